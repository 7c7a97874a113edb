/*
 * Test system: a PD with the default fault policy (stop) that faults as
 * soon as it starts: it must be reported once per start and stay stopped.
 */
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

void init(void)
{
    printf("stopper: started (restart %lu)\n", arca_pd_restart_count());
    __asm__ volatile("ud2");
    printf("stopper: SURVIVED its fault\n");
}

void notified(microkit_channel ch)
{
    printf("stopper: SURVIVED (notified on %u)\n", ch);
}
