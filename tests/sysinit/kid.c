/*
 * Test system: a child PD.  A parent's microkit_pd_restart sets only the
 * instruction pointer and keeps memory, so `runs` counts across restarts:
 * the first run faults, the second notifies the parent.
 */
#include <stdint.h>
#include <stdio.h>
#include <microkit.h>

#define PARENT_CHANNEL 0

static int runs;
/* Not a constant the compiler can see through. */
volatile uintptr_t fault_addr = 0x10;

void init(void)
{
    runs++;
    printf("kid: run %d\n", runs);
    if (runs == 1)
        (void)*(volatile uint64_t *)fault_addr;
    microkit_notify(PARENT_CHANNEL);
}

void notified(microkit_channel ch)
{
    printf("kid: notified on %u\n", ch);
}
