/* pong: answers ppcalls from ping and reports its notifications. */
#include <stdio.h>
#include <microkit.h>

#define PING 5      /* our end of the channel to ping */

void init(void)
{
    printf("pong: ready\n");
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    unsigned long n = (unsigned long)microkit_mr_get(0);

    printf("pong: ppcall on channel %u, label %lu, number %lu\n", ch,
           (unsigned long)microkit_msginfo_get_label(msginfo), n);
    microkit_mr_set(0, n + 1);
    return microkit_msginfo_new(0, 1);
}

void notified(microkit_channel ch)
{
    if (ch == PING)
        printf("pong: ping notified me; goodbye\n");
}
