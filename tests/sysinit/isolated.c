/*
 * Test system: PD isolation.  This PD has one notify channel (0, to
 * 'hello'), a private read-write region ('progress', which survives its
 * restarts) and the 'shared' region read-only -- nothing else.
 *
 * Caps: the library refuses channels the PD was not given (with a
 * message), and going around the library finds empty slots: every
 * invocation of them fails with InvalidCapability, while the one channel
 * it has works.  Memory: each start takes the next probe from 'progress';
 * a probe must fault (the monitor prints the decoded fault and restarts
 * the PD, on_fault="restart"), so reaching the end proves every probe
 * faulted (memory, a CPtr outside its CNode, an unknown system call).
 * The test runner checks the monitor's decoded lines too.
 */
#include <stdint.h>
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>
#include <sel4/arca.h>

uintptr_t progress;     /* setvar_vaddr: a private page */
uintptr_t shared_ro;    /* setvar_vaddr: mapped read-only */

#define UNMAPPED 0x50000000ul

static void result(const char *name, int ok, const char *why)
{
    if (ok)
        printf("[PASS] %s\n", name);
    else
        printf("[FAIL] %s: %s\n", name, why);
}

/* Invoke cap with a Call and return the kernel's answer label. */
static seL4_Word call_label(seL4_CPtr cap, seL4_Word label)
{
    return seL4_MessageInfo_get_label(seL4_Call(cap, seL4_MessageInfo_new(label, 0, 0, 0)));
}

static void probe_caps(void)
{
    /* Through the library: refused with a message, nothing sent. */
    microkit_notify(5);
    seL4_Word pp = microkit_msginfo_get_label(microkit_ppcall(6, microkit_msginfo_new(1, 0)));
    microkit_irq_ack(7);
    microkit_notify(0);     /* the channel it has: 'hello' prints it */

    /* Around the library: the slots are empty. */
    result("SYSTEM_0014",
           pp == 0 &&
           call_label(BASE_OUTPUT_NOTIFICATION_CAP + 0, 0) == seL4_NoError &&
           call_label(BASE_OUTPUT_NOTIFICATION_CAP + 5, 0) == seL4_InvalidCapability &&
           call_label(BASE_ENDPOINT_CAP + 6, 1) == seL4_InvalidCapability,
           "a channel the PD was not given can be used");
    result("SYSTEM_0015",
           seL4_IRQHandler_Ack(BASE_IRQ_CAP + 7) == seL4_InvalidCapability &&
           seL4_TCB_Suspend(BASE_TCB_CAP + 0) == seL4_InvalidCapability &&
           seL4_X86_IOPort_Out8(BASE_IOPORT_CAP + 0, 0x80, 0) == seL4_InvalidCapability &&
           call_label(3, 0) == seL4_InvalidCapability,
           "an IRQ, TCB, I/O port or VSpace cap the PD was not given is there");
}

void init(void)
{
    volatile uint64_t *step_p = (volatile uint64_t *)progress;
    uint64_t step = *step_p;

    *step_p = step + 1;
    printf("isolated: started (restart %lu), probe %lu\n", arca_pd_restart_count(),
           (unsigned long)step);
    switch (step) {
    case 0:
        probe_caps();
        (void)*(volatile uint64_t *)UNMAPPED;
        break;
    case 1:
        *(volatile uint64_t *)shared_ro = 1;
        break;
    case 2:
        /* A CPtr beyond its CNode's 9 bits: the lookup itself fails. */
        seL4_Call(0x10000, seL4_MessageInfo_new(0, 0, 0, 0));
        break;
    case 3:
        arca_syscall_raw(12345, 0, 0, 0, 0, 0, 0);
        break;
    default:
        result("SYSTEM_0013", step == 4 && arca_pd_restart_count() == 4,
               "a probe did not fault");
        printf("isolated: done\n");
        return;
    }
    printf("isolated: probe %lu did not fault\n", (unsigned long)step);
}

void notified(microkit_channel ch)
{
    printf("isolated: notified on %u\n", ch);
}
