/*
 * Test system: when the server notifies it, echo notifies the server back
 * twice, first on the channel the server is not waiting for.
 */
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

#include "systest.h"

void init(void)
{
    printf("echo: started (restart %lu)\n", arca_pd_restart_count());
}

void notified(microkit_channel ch)
{
    if (ch != ECHO_FROM_SERVER) {
        printf("echo: unexpected notification on %u\n", ch);
        return;
    }
    microkit_notify(ECHO_TO_SERVER_B);
    microkit_notify(ECHO_TO_SERVER_A);
}
