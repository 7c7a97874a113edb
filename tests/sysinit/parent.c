/*
 * Test system: a parent PD.  Its child 'kid' (child id 3) faults on its
 * first run; the fault arrives here through fault() with Microkit's badge
 * (not at the monitor), and the parent restarts the child in place with
 * microkit_pd_restart.  The child then notifies the parent.
 */
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

#define KID 3
#define KID_CHANNEL 4
#define KID_ENTRY 0x400000      /* PDs are linked with _start first at 0x400000 */
#define KID_FAULT_ADDR 0x10

static void result(const char *name, int ok, const char *why)
{
    if (ok)
        printf("[PASS] %s\n", name);
    else
        printf("[FAIL] %s: %s\n", name, why);
}

void init(void)
{
    printf("parent: started (restart %lu)\n", arca_pd_restart_count());
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)reply;
    result("SYSTEM_0019",
           child == KID && microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault &&
           microkit_mr_get(seL4_VMFault_Addr) == KID_FAULT_ADDR,
           "the child's fault did not reach fault() with its id and address");
    microkit_pd_restart(child, KID_ENTRY);
    return seL4_False;      /* restarted, not resumed at the fault */
}

void notified(microkit_channel ch)
{
    result("SYSTEM_0020", ch == KID_CHANNEL, "notified on the wrong channel");
    microkit_pd_stop(KID);
    printf("parent: stopped kid\n");
}
