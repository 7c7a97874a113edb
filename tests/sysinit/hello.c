/*
 * The smallest PD: prints that it started, with its restart count.  Part
 * of the test system (tests/sysinit/); also shows the shape of a PD.
 */
#include <stdio.h>
#include <microkit.h>
#include <arca/pd.h>

void init(void)
{
    printf("%s: started (restart %lu)\n", microkit_name, arca_pd_restart_count());
}

void notified(microkit_channel ch)
{
    printf("%s: notified on channel %u\n", microkit_name, ch);
}
