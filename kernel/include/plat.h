/* The PC platform: console, interrupt controllers, timers, ACPI, exit. */
#ifndef PLAT_H
#define PLAT_H

#include "types.h"

void serial_init(void);

/* ACPI: finds the RSDP and the MADT (LAPIC/IOAPIC addresses). */
struct acpi_info {
    bool found;
    uint8_t rsdp[36];           /* copy for bootinfo (ACPI 2.0 size) */
    paddr_t lapic_paddr;
    unsigned num_ioapics;
    paddr_t ioapic_paddr[8];
    uint32_t ioapic_gsi_base[8];
};
extern struct acpi_info acpi_info;
void acpi_init(void);

void pic_disable(void);
void ioapic_init(void);
unsigned ioapic_count(void);
unsigned ioapic_pins(unsigned index);
void ioapic_route(unsigned index, unsigned pin, unsigned vector, bool level, bool active_low);
void ioapic_set_mask(unsigned index, unsigned pin, bool masked);

void lapic_init(void);
/* Measures LAPIC timer and TSC rates against the PIT. */
void timer_calibrate(void);
uint32_t plat_tsc_mhz(void);
void plat_timer_ack(void);
/* End of interrupt at the local APIC. */
void plat_irq_eoi(void);
uint32_t lapic_id(void);

/* QEMU's isa-debug-exit: QEMU exits with status (code << 1) | 1. */
#define EXIT_HALT       0x10    /* seL4_DebugHalt: status 33 */
#define EXIT_IDLE       0x11    /* nothing left to run (halt_when_idle): 35 */
#define EXIT_PANIC      0x7F    /* kernel panic or kernel exception: 255 */

#endif
