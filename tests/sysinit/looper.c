/*
 * Test system: a PD with on_fault="restart" that faults at every start.
 * The monitor must give up after its crash-loop limit and leave it
 * stopped instead of restarting it forever.
 */
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

void init(void)
{
    printf("looper: started (restart %lu)\n", arca_pd_restart_count());
    __asm__ volatile("ud2");
}

void notified(microkit_channel ch)
{
    printf("looper: SURVIVED (notified on %u)\n", ch);
}
