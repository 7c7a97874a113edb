/*
 * The shell PD: reads lines from the console driver, runs them
 * (shell_cmd.c) against the file server and the monitor, prints through
 * the console.
 *
 * Event driven like every PD: the console driver notifies CONSOLE_CH when
 * input arrives; notified() takes all buffered bytes, feeds them to the
 * line editor and runs each completed line before prompting again.
 *
 * The .system description gives this PD (user/systems/default.system):
 *   channel CONSOLE_CH  pp to the console driver, which notifies us
 *   channel FS_CH       pp to the file server
 *   channel MONITOR_CH  pp to pd="monitor" (ps, crash, restart)
 *   channel CHAOS_CH    optional: notify the fault injector (crash ... during),
 *                       whose page is mapped rw with setvar_vaddr="chaos_request"
 *   the file server's shared buffer, mapped rw with setvar_vaddr="fs_buffer"
 *   and setvar_size="fs_buffer_size"
 */
#include <stddef.h>
#include <stdint.h>
#include <microkit.h>

#include <arca/console.h>
#include <arca/fs.h>
#include <arca/monitor.h>

#include "shell_cmd.h"

#define CONSOLE_CH     0
#define FS_CH          1
#define MONITOR_CH     2
#define CHAOS_CH       3            /* optional: the fault injector */
#define CHAOS_NAME_MAX 64

/* The buffer shared with the file server (setvar_vaddr / setvar_size). */
uintptr_t fs_buffer;
uint64_t fs_buffer_size;
/* The page the fault injector reads a PD name from (setvar_vaddr). */
uintptr_t chaos_request;

static struct shell_line line;

/* --- the real services behind struct shell_ops ----------------------------- */

static void out_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    console_write(buf, len);
}

static long do_fs_read(void *ctx, const char *path, void *buf, size_t len)
{
    (void)ctx;
    return fs_read(path, buf, len);
}

static long do_fs_write(void *ctx, const char *path, const void *buf, size_t len)
{
    (void)ctx;
    return fs_write(path, buf, len);
}

static long do_fs_remove(void *ctx, const char *path)
{
    (void)ctx;
    return fs_remove(path);
}

static long do_fs_mkdir(void *ctx, const char *path)
{
    (void)ctx;
    return fs_mkdir(path);
}

static long do_fs_list(void *ctx, const char *path, struct fs_dirent *out, size_t max)
{
    (void)ctx;
    return fs_list(path, out, max);
}

static const char *do_fs_strerror(void *ctx, long code)
{
    (void)ctx;
    return fs_strerror(code);
}

static unsigned do_pd_info(void *ctx, unsigned index, struct shell_pd_info *info)
{
    uint64_t words[MONITOR_NAME_WORDS];

    (void)ctx;
    microkit_mr_set(0, index);
    microkit_msginfo reply = microkit_ppcall(MONITOR_CH, microkit_msginfo_new(MONITOR_PD_INFO, 1));
    unsigned label = (unsigned)microkit_msginfo_get_label(reply);
    if (label != MONITOR_OK)
        return label;
    if (microkit_msginfo_get_count(reply) < MONITOR_INFO_MRS)
        return MONITOR_EINVAL;      /* a short reply: treat as malformed */
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        words[i] = microkit_mr_get((uint8_t)i);
    monitor_unpack_name(words, info->name);
    info->state = microkit_mr_get(8);
    info->restarts = microkit_mr_get(9);
    info->faults = microkit_mr_get(10);
    return MONITOR_OK;
}

static unsigned pd_request(unsigned label, const char *name)
{
    uint64_t words[MONITOR_NAME_WORDS];

    monitor_pack_name(name, words);
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        microkit_mr_set((uint8_t)i, words[i]);
    microkit_msginfo reply = microkit_ppcall(MONITOR_CH,
                                             microkit_msginfo_new(label, MONITOR_NAME_WORDS));
    return (unsigned)microkit_msginfo_get_label(reply);
}

static unsigned do_pd_crash(void *ctx, const char *name)
{
    (void)ctx;
    return pd_request(MONITOR_CRASH, name);
}

static unsigned do_pd_restart(void *ctx, const char *name)
{
    (void)ctx;
    return pd_request(MONITOR_RESTART, name);
}

static int do_pd_crash_later(void *ctx, const char *name)
{
    volatile char *req = (volatile char *)chaos_request;
    size_t i;

    (void)ctx;
    if (req == NULL || !(microkit_notifications & (1ull << CHAOS_CH)))
        return -1;
    for (i = 0; i + 1 < CHAOS_NAME_MAX && name[i] != '\0'; i++)
        req[i] = name[i];
    req[i] = '\0';
    microkit_notify(CHAOS_CH);
    return 0;
}

static const struct shell_ops ops = {
    .write = out_write,
    .fs_read = do_fs_read,
    .fs_write = do_fs_write,
    .fs_remove = do_fs_remove,
    .fs_mkdir = do_fs_mkdir,
    .fs_list = do_fs_list,
    .fs_strerror = do_fs_strerror,
    .pd_info = do_pd_info,
    .pd_crash = do_pd_crash,
    .pd_restart = do_pd_restart,
    .pd_crash_later = do_pd_crash_later,
};

/* --- the PD ------------------------------------------------------------------ */

static void prompt(void)
{
    console_write(SHELL_PROMPT, sizeof(SHELL_PROMPT) - 1);
}

/* Takes every buffered input byte; runs each line as it completes. */
static void take_input(void)
{
    char buf[64];
    size_t n;

    while ((n = console_read(buf, sizeof(buf))) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (shell_line_feed(&line, &ops, (unsigned char)buf[i])) {
                shell_execute(&ops, line.buf);
                prompt();
            }
        }
    }
}

void init(void)
{
    static const char banner[] = "Arca shell; type help for the commands.\n";

    console_client_init(CONSOLE_CH);
    fs_client_init(FS_CH, (void *)fs_buffer, (size_t)fs_buffer_size);
    shell_line_reset(&line);
    console_write(banner, sizeof(banner) - 1);
    prompt();
    /* Input that came before we started notified a channel nobody was
     * waiting on yet; the notification is still pending, but reading now
     * costs nothing. */
    take_input();
}

void notified(microkit_channel ch)
{
    if (ch == CONSOLE_CH)
        take_input();
}
