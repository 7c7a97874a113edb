/* ping: asks pong to add one to a number, then notifies it. */
#include <stdio.h>
#include <microkit.h>

#define PONG 0      /* our end of the channel to pong */

void init(void)
{
    printf("ping: calling pong with 41\n");
    microkit_mr_set(0, 41);
    microkit_msginfo reply = microkit_ppcall(PONG, microkit_msginfo_new(1, 1));
    printf("ping: pong answered %lu (label %lu)\n",
           (unsigned long)microkit_mr_get(0),
           (unsigned long)microkit_msginfo_get_label(reply));
    microkit_notify(PONG);
}

void notified(microkit_channel ch)
{
    printf("ping: notified on channel %u\n", ch);
}
