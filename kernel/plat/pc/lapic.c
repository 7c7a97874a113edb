/*
 * Local APIC and the kernel's timer tick.
 *
 * The LAPIC timer runs periodically at CONFIG_TIMER_TICK_MS. Its rate (and
 * the TSC's, which the root task gets in bootinfo) is unknown until measured,
 * so both are calibrated against PIT channel 2, whose input clock is fixed at
 * 1.193182 MHz. Channel 2 is used because its output can be polled through
 * port 0x61 without taking any interrupt.
 */
#include "arch.h"
#include "plat.h"
#include "panic.h"
#include "printf.h"
#include "preempt.h"
#include <arch/machine.h>
#include <arch/paging.h>
#include <arch/descriptors.h>

#define LAPIC_ID        0x020
#define LAPIC_TPR       0x080
#define LAPIC_EOI       0x0B0
#define LAPIC_SVR       0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0
#define LAPIC_IRR       0x200   /* 8 registers of 32 vectors, 16 bytes apart */

#define LVT_MASKED      BIT(16)
#define LVT_PERIODIC    BIT(17)
#define SVR_ENABLE      BIT(8)
#define APIC_BASE_ENABLE BIT(11)
#define TIMER_DIV_16    0x3

#define PIT_HZ          1193182
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PIT_GATE_PORT   0x61
#define CALIBRATE_MS    10

static volatile uint8_t *lapic;
static uint32_t lapic_ticks_per_ms;
static uint32_t tsc_mhz;

static void lapic_write(uint32_t reg, uint32_t v)
{
    mmio_write32(lapic + reg, v);
}

static uint32_t lapic_read(uint32_t reg)
{
    return mmio_read32(lapic + reg);
}

void lapic_init(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic = (volatile uint8_t *)paging_map_device(acpi_info.lapic_paddr);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
}

/* Busy-waits CALIBRATE_MS on PIT channel 2, in one-shot mode 0. */
static void pit_wait_start(void)
{
    uint16_t count = PIT_HZ / 1000 * CALIBRATE_MS;
    uint8_t gate = inb(PIT_GATE_PORT);
    outb(PIT_GATE_PORT, (uint8_t)((gate & ~0x03) | 0x00));   /* gate low, speaker off */
    outb(PIT_CMD, 0xB0);                /* channel 2, lo/hi byte, mode 0 */
    outb(PIT_CH2, count & 0xFF);
    outb(PIT_CH2, count >> 8);
    outb(PIT_GATE_PORT, (uint8_t)((gate & ~0x03) | 0x01));   /* gate high: count */
}

static bool pit_wait_done(void)
{
    return (inb(PIT_GATE_PORT) & 0x20) != 0;
}

void timer_calibrate(void)
{
    lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
    pit_wait_start();
    lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
    uint64_t tsc0 = rdtsc();
    uint64_t spins = 0;
    while (!pit_wait_done()) {
        if (++spins > 1000000000UL)
            panic("PIT channel 2 never counted down: cannot calibrate the timer");
    }
    uint32_t lapic_elapsed = 0xFFFFFFFF - lapic_read(LAPIC_TIMER_CUR);
    uint64_t tsc_elapsed = rdtsc() - tsc0;
    lapic_write(LAPIC_TIMER_INIT, 0);

    lapic_ticks_per_ms = lapic_elapsed / CALIBRATE_MS;
    tsc_mhz = (uint32_t)(tsc_elapsed / (CALIBRATE_MS * 1000));
    if (lapic_ticks_per_ms == 0 || tsc_mhz == 0)
        panic("timer calibration failed (lapic %u/ms, tsc %u MHz)", lapic_ticks_per_ms, tsc_mhz);
    kprintf("timer: LAPIC %u ticks/ms (div 16), TSC %u MHz\n", lapic_ticks_per_ms, tsc_mhz);
}

void arch_timer_start(unsigned period_ms)
{
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
    lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
    lapic_write(LAPIC_TIMER_INIT, lapic_ticks_per_ms * period_ms);
}

uint32_t plat_tsc_mhz(void)
{
    return tsc_mhz;
}

uint32_t arch_tsc_mhz(void)
{
    return tsc_mhz;
}

void plat_timer_ack(void)
{
    lapic_write(LAPIC_EOI, 0);
}

void plat_irq_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> 24;
}

/*
 * For preemption points: is any interrupt (vector 32..255) requested and
 * not yet taken? Reading the IRR needs no interrupt window, so the kernel
 * never has to take an interrupt in kernel mode; vectors 0..31 are
 * exceptions and never appear there.
 */
bool arch_irq_pending(void)
{
    for (uint32_t i = 1; i < 8; i++) {
        if (lapic_read(LAPIC_IRR + i * 0x10) != 0)
            return true;
    }
    return false;
}
