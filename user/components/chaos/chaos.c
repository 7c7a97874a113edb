/*
 * The chaos PD: fault injection for the default system.  The shell's
 * `crash PD during COMMAND` writes PD's name into the shared page
 * chaos_request and notifies us; we ask the monitor to crash that PD.
 *
 * The point is *when* that happens: this PD has the lowest priority, so it
 * runs only once every other PD is blocked -- typically while the shell
 * waits in a call to the file server, which waits in a call to the block
 * driver, which waits for the disk.  The crash then hits a server in the
 * middle of a request, and the client sees the restart (e.g. the file
 * service's FS_ERESTARTED).  If nothing blocks, the crash simply happens
 * as soon as the system is idle.
 *
 * The .system description gives this PD (user/systems/default.system):
 *   channel SHELL_CH    notifications from the shell
 *   channel MONITOR_CH  pp to pd="monitor"
 *   the page chaos_request, mapped read-only, setvar_vaddr="chaos_request"
 */
#include <stdint.h>
#include <stdio.h>
#include <microkit.h>

#include <arca/monitor.h>

#define SHELL_CH   1
#define MONITOR_CH 2

uintptr_t chaos_request;

void init(void)
{
}

void notified(microkit_channel ch)
{
    char name[8 * MONITOR_NAME_WORDS];
    uint64_t words[MONITOR_NAME_WORDS];
    const volatile char *req = (const volatile char *)chaos_request;

    if (ch != SHELL_CH || req == NULL)
        return;
    /* The page belongs to the shell too: copy, then check the copy. */
    for (unsigned i = 0; i < sizeof(name); i++)
        name[i] = req[i];
    name[sizeof(name) - 1] = '\0';
    if (name[0] == '\0')
        return;
    monitor_pack_name(name, words);
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        microkit_mr_set((uint8_t)i, words[i]);
    microkit_msginfo r = microkit_ppcall(MONITOR_CH,
                                         microkit_msginfo_new(MONITOR_CRASH, MONITOR_NAME_WORDS));
    if (microkit_msginfo_get_label(r) != MONITOR_OK)
        printf("chaos: the monitor refused to crash '%s' (reply %lu)\n", name,
               (unsigned long)microkit_msginfo_get_label(r));
}
