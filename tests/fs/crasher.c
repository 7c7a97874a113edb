/*
 * Part of the storage test system (tests/fs/fs.system): when the test PD
 * notifies it, asks the monitor to crash the file server.  Its priority is
 * the lowest, so it runs only when every other PD is blocked -- while the
 * test PD waits in a call to the file server that waits in a call to the
 * driver that waits for the disk.  The crash then hits the server in the
 * middle of a request, and the test PD must get FS_ERESTARTED (FS_0114).
 */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include <arca/monitor.h>

#define TEST_CH 0
#define MONITOR_CH 9

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch != TEST_CH)
        return;
    uint64_t words[MONITOR_NAME_WORDS];
    monitor_pack_name("fs", words);
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        microkit_mr_set((seL4_Uint8)i, words[i]);
    microkit_msginfo r = microkit_ppcall(MONITOR_CH,
                                         microkit_msginfo_new(MONITOR_CRASH, MONITOR_NAME_WORDS));
    if (microkit_msginfo_get_label(r) != MONITOR_OK)
        printf("crasher: error: the monitor refused (label %lu)\n",
               (unsigned long)microkit_msginfo_get_label(r));
}
