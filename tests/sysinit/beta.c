/*
 * Test system: checks the pattern alpha wrote into the shared region
 * (mapped read-only here) whenever alpha notifies it, and notifies back
 * only if it matches.  on_fault="restart"; alpha has the monitor crash it.
 */
#include <stdint.h>
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

#include "systest.h"

uintptr_t shared;       /* setvar_vaddr */

void init(void)
{
    printf("beta: started (restart %lu)\n", arca_pd_restart_count());
}

void notified(microkit_channel ch)
{
    const volatile unsigned char *p = (const volatile unsigned char *)shared;

    if (ch != BETA_ALPHA) {
        printf("[FAIL] SYSTEM_0002: beta notified on channel %u\n", ch);
        return;
    }
    for (unsigned i = 0; i < SHARED_SIZE; i++) {
        if (p[i] != PATTERN(i)) {
            printf("[FAIL] SYSTEM_0002: shared byte %u is %#x, want %#x\n", i, p[i],
                   PATTERN(i));
            return;
        }
    }
    printf("beta: shared region matches\n");
    /* Sent by the event loop when this handler returns. */
    microkit_deferred_notify(BETA_ALPHA);
}
