/*
 * IOAPICs: found through the MADT, every redirection entry masked at boot.
 * User-level drivers get pins routed to them later (IRQControl_GetIOAPIC).
 */
#include "arch.h"
#include "plat.h"
#include "printf.h"
#include <arch/machine.h>
#include <arch/paging.h>

#define IOAPIC_REGSEL   0x00
#define IOAPIC_WINDOW   0x10
#define IOAPIC_REG_VER  0x01
#define IOAPIC_REDTBL   0x10
#define REDIR_MASKED    BIT(16)

struct ioapic {
    volatile uint8_t *base;
    unsigned pins;
};

static struct ioapic ioapics[8];
static unsigned num_ioapics;

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
    mmio_write32(io->base + IOAPIC_REGSEL, reg);
    return mmio_read32(io->base + IOAPIC_WINDOW);
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
    mmio_write32(io->base + IOAPIC_REGSEL, reg);
    mmio_write32(io->base + IOAPIC_WINDOW, v);
}

void ioapic_init(void)
{
    for (unsigned i = 0; i < acpi_info.num_ioapics && i < ARRAY_SIZE(ioapics); i++) {
        struct ioapic *io = &ioapics[num_ioapics++];
        io->base = (volatile uint8_t *)paging_map_device(acpi_info.ioapic_paddr[i]);
        io->pins = ((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xFF) + 1;
        for (unsigned pin = 0; pin < io->pins; pin++) {
            ioapic_write(io, IOAPIC_REDTBL + 2 * pin, REDIR_MASKED);
            ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, 0);
        }
        kprintf("ioapic %u: %u pins, all masked\n", i, io->pins);
    }
}

unsigned ioapic_count(void)
{
    return num_ioapics;
}

unsigned ioapic_pins(unsigned index)
{
    return index < num_ioapics ? ioapics[index].pins : 0;
}

#define REDIR_ACTIVE_LOW    BIT(13)
#define REDIR_LEVEL         BIT(15)

/* Fixed delivery, physical destination: the boot CPU's LAPIC. Stays masked. */
void ioapic_route(unsigned index, unsigned pin, unsigned vector, bool level, bool active_low)
{
    struct ioapic *io = &ioapics[index];
    uint32_t low = vector | REDIR_MASKED;
    if (level)
        low |= REDIR_LEVEL;
    if (active_low)
        low |= REDIR_ACTIVE_LOW;
    ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, lapic_id() << 24);
    ioapic_write(io, IOAPIC_REDTBL + 2 * pin, low);
}

void ioapic_set_mask(unsigned index, unsigned pin, bool masked)
{
    struct ioapic *io = &ioapics[index];
    uint32_t low = ioapic_read(io, IOAPIC_REDTBL + 2 * pin);
    low = masked ? low | REDIR_MASKED : low & ~REDIR_MASKED;
    ioapic_write(io, IOAPIC_REDTBL + 2 * pin, low);
}
