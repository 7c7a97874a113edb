/*
 * A PD image for the tests of tools/system.py (tests/system/): it defines
 * every variable the tool patches (Microkit's microkit_* set) and the
 * targets of the test descriptions' setvars.  It never runs.
 */
#include <stdint.h>

char microkit_name[64];
uint8_t microkit_passive;
uint64_t microkit_irqs;
uint64_t microkit_notifications;
uint64_t microkit_pps;
uint64_t microkit_ioports;

uint64_t buffer_vaddr;
uint64_t buffer_size;
uint64_t buffer_paddr;
uint64_t serial_irq_id;
uint64_t serial_port_id;
uint64_t serial_port_addr;
uint64_t child_ch;
uint64_t worker_id;
uint32_t small_var;

void _start(void)
{
    for (;;)
        ;
}
