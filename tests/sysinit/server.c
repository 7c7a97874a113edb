/*
 * Test system: a protected-procedure server that can be asked to crash
 * while a client is blocked in its call (on_fault="restart").
 */
#include <stdint.h>
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

#include "systest.h"

void init(void)
{
    printf("server: started (restart %lu)\n", arca_pd_restart_count());
}

static int waited;      /* a SERVER_WAIT call has been answered */

void notified(microkit_channel ch)
{
    if (ch == SERVER_FROM_ECHO_B) {
        if (waited)
            printf("[PASS] SYSTEM_0023\n");
        else
            printf("[FAIL] SYSTEM_0023: notification delivered before the reply\n");
        return;
    }
    printf("server: unexpected notification on %u\n", ch);
}

/* Ask echo for two notifications and wait, inside the call, for A only;
 * B must reach notified() after the reply has gone out. */
static microkit_msginfo wait_for_echo(void)
{
    seL4_Word got;

    microkit_notify(SERVER_TO_ECHO);
    got = arca_wait_notifications(1ull << SERVER_FROM_ECHO_A);
    waited = 1;
    microkit_mr_set(0, got == (1ull << SERVER_FROM_ECHO_A) ? SERVER_WAIT_ANSWER : 0);
    return microkit_msginfo_new(0, 1);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    (void)ch;
    switch (microkit_msginfo_get_label(msg)) {
    case SERVER_ADD:
        if (microkit_msginfo_get_count(msg) != 2)
            return microkit_msginfo_new(1, 0);
        microkit_mr_set(0, microkit_mr_get(0) + microkit_mr_get(1));
        microkit_mr_set(1, arca_pd_restart_count());
        return microkit_msginfo_new(0, 2);
    case SERVER_WAIT:
        return wait_for_echo();
    case SERVER_CRASH:
        printf("server: crashing while serving a call\n");
        *(volatile uint64_t *)0 = 1;
        return microkit_msginfo_new(0, 0);
    default:
        return microkit_msginfo_new(1, 0);
    }
}
