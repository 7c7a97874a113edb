/*
 * The shell's commands (see shell_cmd.h).  Pure C over struct shell_ops:
 * no system calls here, so the host tests exercise exactly this code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <arca/monitor.h>

#include "shell_cmd.h"

/* Formats into a bounded buffer and writes it: output longer than the
 * buffer is cut, never overrun. */
static void say(const struct shell_ops *ops, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(const struct shell_ops *ops, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(buf))
        n = (int)sizeof(buf) - 1;
    ops->write(ops->ctx, buf, (size_t)n);
}

static int fail(const struct shell_ops *ops, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Every failure is one line starting with "error: ". */
static int fail(const struct shell_ops *ops, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        buf[0] = '\0';
    /* A newline inside the message would make it two lines. */
    for (char *p = buf; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
    say(ops, "error: %s\n", buf);
    return -1;
}

static int fs_fail(const struct shell_ops *ops, const char *cmd, const char *path, long code)
{
    const char *text = ops->fs_strerror(ops->ctx, code);
    return fail(ops, "%s %s: %s", cmd, path, text != NULL ? text : "unknown error");
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int shell_split(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line;

    for (;;) {
        while (is_blank(*p))
            p++;
        if (*p == '\0')
            return argc;
        if (argc == max)
            return -1;
        argv[argc++] = p;
        while (*p != '\0' && !is_blank(*p))
            p++;
        if (*p != '\0')
            *p++ = '\0';
    }
}

int shell_abs_path(const char *arg, char *out, size_t size)
{
    size_t len = strlen(arg);
    size_t need = len + (arg[0] != '/') + 1;

    if (need > size || need - 1 > FS_PATH_MAX)
        return -1;
    size_t pos = 0;
    if (arg[0] != '/')
        out[pos++] = '/';
    memcpy(out + pos, arg, len + 1);
    return 0;
}

/* Joins argv[0..argc) with single spaces into out; -1 if it does not fit. */
static long join_words(int argc, char **argv, char *out, size_t size)
{
    size_t pos = 0;

    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (pos + (i > 0) + len >= size)
            return -1;
        if (i > 0)
            out[pos++] = ' ';
        memcpy(out + pos, argv[i], len);
        pos += len;
    }
    out[pos] = '\0';
    return (long)pos;
}

/* --- commands -------------------------------------------------------------- */

struct command {
    const char *name;
    int min_args, max_args;     /* words after the command name */
    const char *usage;
    const char *help;
    int (*run)(const struct shell_ops *ops, int argc, char **argv);
};

static int cmd_help(const struct shell_ops *ops, int argc, char **argv);

static int cmd_echo(const struct shell_ops *ops, int argc, char **argv)
{
    char text[SHELL_LINE_MAX + 1];

    /* Cannot fail: the words came from one line of at most that size. */
    long len = join_words(argc - 1, argv + 1, text, sizeof(text) - 1);
    if (len < 0)
        return fail(ops, "echo: text too long");
    text[len++] = '\n';
    ops->write(ops->ctx, text, (size_t)len);
    return 0;
}

static int path_arg(const struct shell_ops *ops, const char *cmd, const char *arg,
                    char out[FS_PATH_MAX + 1])
{
    if (shell_abs_path(arg, out, FS_PATH_MAX + 1) < 0)
        return fail(ops, "%s: path too long (at most %d bytes)", cmd, FS_PATH_MAX);
    return 0;
}

static int cmd_ls(const struct shell_ops *ops, int argc, char **argv)
{
    static struct fs_dirent entries[SHELL_LIST_MAX];
    char path[FS_PATH_MAX + 1];

    if (path_arg(ops, "ls", argc > 1 ? argv[1] : "/", path) < 0)
        return -1;
    long n = ops->fs_list(ops->ctx, path, entries, SHELL_LIST_MAX);
    if (n < 0)
        return fs_fail(ops, "ls", path, n);
    if (n > SHELL_LIST_MAX)
        n = SHELL_LIST_MAX;     /* a misbehaving service must not overrun us */
    for (long i = 0; i < n; i++) {
        struct fs_dirent *e = &entries[i];
        e->name[FS_NAME_MAX] = '\0';
        if (e->is_dir)
            say(ops, "%10s  %s/\n", "-", e->name);
        else
            say(ops, "%10llu  %s\n", (unsigned long long)e->size, e->name);
    }
    return 0;
}

static int cmd_cat(const struct shell_ops *ops, int argc, char **argv)
{
    /* One byte more than is shown, to tell a longer file from one of
     * exactly SHELL_FILE_MAX bytes. */
    static char data[SHELL_FILE_MAX + 1];
    char path[FS_PATH_MAX + 1];
    int cut = 0;

    (void)argc;
    if (path_arg(ops, "cat", argv[1], path) < 0)
        return -1;
    long n = ops->fs_read(ops->ctx, path, data, sizeof(data));
    if (n < 0)
        return fs_fail(ops, "cat", path, n);
    if (n > SHELL_FILE_MAX) {
        n = SHELL_FILE_MAX;
        cut = 1;
    }
    /* Keep the terminal sane: control bytes other than newline and tab
     * are shown as '.'. */
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
            data[i] = '.';
    }
    ops->write(ops->ctx, data, (size_t)n);
    if (n > 0 && data[n - 1] != '\n')
        ops->write(ops->ctx, "\n", 1);
    if (cut)
        say(ops, "(%s is longer: only its first %d bytes are shown)\n", path, SHELL_FILE_MAX);
    return 0;
}

static int cmd_write(const struct shell_ops *ops, int argc, char **argv)
{
    char text[SHELL_LINE_MAX + 1];
    char path[FS_PATH_MAX + 1];

    if (path_arg(ops, "write", argv[1], path) < 0)
        return -1;
    long len = join_words(argc - 2, argv + 2, text, sizeof(text));
    if (len < 0)
        return fail(ops, "write: text too long");
    long r = ops->fs_write(ops->ctx, path, text, (size_t)len);
    if (r < 0)
        return fs_fail(ops, "write", path, r);
    return 0;
}

static int cmd_rm(const struct shell_ops *ops, int argc, char **argv)
{
    char path[FS_PATH_MAX + 1];

    (void)argc;
    if (path_arg(ops, "rm", argv[1], path) < 0)
        return -1;
    if (strcmp(path, "/") == 0)
        return fail(ops, "rm: cannot remove the root directory");
    long r = ops->fs_remove(ops->ctx, path);
    if (r < 0)
        return fs_fail(ops, "rm", path, r);
    return 0;
}

static int cmd_mkdir(const struct shell_ops *ops, int argc, char **argv)
{
    char path[FS_PATH_MAX + 1];

    (void)argc;
    if (path_arg(ops, "mkdir", argv[1], path) < 0)
        return -1;
    long r = ops->fs_mkdir(ops->ctx, path);
    if (r < 0)
        return fs_fail(ops, "mkdir", path, r);
    return 0;
}

static const char *state_name(uint64_t state)
{
    switch (state) {
    case MONITOR_STATE_RUNNING: return "running";
    case MONITOR_STATE_STOPPED: return "stopped";
    default: return "unknown";
    }
}

static int monitor_fail(const struct shell_ops *ops, const char *cmd, const char *pd,
                        unsigned label)
{
    switch (label) {
    case MONITOR_ENOENT: return fail(ops, "%s: no PD named '%s'", cmd, pd);
    case MONITOR_EPERM: return fail(ops, "%s: not allowed for '%s'", cmd, pd);
    case MONITOR_EINVAL: return fail(ops, "%s: the monitor rejected the request", cmd);
    case ARCA_LABEL_PD_RESTARTED: return fail(ops, "%s: the monitor restarted", cmd);
    default: return fail(ops, "%s: unexpected monitor reply %u", cmd, label);
    }
}

static int cmd_ps(const struct shell_ops *ops, int argc, char **argv)
{
    struct shell_pd_info info;

    (void)argc;
    (void)argv;
    say(ops, "%-16s %-8s %8s %8s\n", "PD", "STATE", "RESTARTS", "FAULTS");
    for (unsigned i = 0; i < SHELL_PS_MAX; i++) {
        memset(&info, 0, sizeof(info));
        unsigned label = ops->pd_info(ops->ctx, i, &info);
        if (label == MONITOR_ENOENT)
            return 0;
        if (label != MONITOR_OK)
            return monitor_fail(ops, "ps", "", label);
        info.name[SHELL_PD_NAME - 1] = '\0';
        say(ops, "%-16s %-8s %8llu %8llu\n", info.name, state_name(info.state),
            (unsigned long long)info.restarts, (unsigned long long)info.faults);
    }
    return 0;
}

static int pd_name_arg(const struct shell_ops *ops, const char *cmd, const char *name)
{
    if (strlen(name) >= SHELL_PD_NAME)
        return fail(ops, "%s: PD name too long (at most %d bytes)", cmd, SHELL_PD_NAME - 1);
    return 0;
}

/*
 * crash PD during COMMAND...: arm the fault injector, then run COMMAND.
 * The injector runs only when everything else waits, so PD faults in the
 * middle of whatever COMMAND is waiting for (e.g. a disk transfer).
 */
static int crash_during(const struct shell_ops *ops, int argc, char **argv)
{
    char inner[SHELL_LINE_MAX + 1];

    if (strcmp(argv[3], "crash") == 0)
        return fail(ops, "crash: the command after 'during' cannot be crash");
    if (join_words(argc - 3, argv + 3, inner, sizeof(inner)) < 0)
        return fail(ops, "crash: command too long");
    if (ops->pd_crash_later == NULL || ops->pd_crash_later(ops->ctx, argv[1]) < 0)
        return fail(ops, "crash: no fault injector in this system (a PD named chaos)");
    return shell_execute(ops, inner);
}

static int cmd_crash(const struct shell_ops *ops, int argc, char **argv)
{
    if (argc != 2 && (argc < 4 || strcmp(argv[2], "during") != 0))
        return fail(ops, "usage: crash PD [during CMD...]");
    if (pd_name_arg(ops, "crash", argv[1]) < 0)
        return -1;
    if (argc > 2)
        return crash_during(ops, argc, argv);
    unsigned label = ops->pd_crash(ops->ctx, argv[1]);
    if (label != MONITOR_OK)
        return monitor_fail(ops, "crash", argv[1], label);
    say(ops, "crashed %s\n", argv[1]);
    return 0;
}

static int cmd_restart(const struct shell_ops *ops, int argc, char **argv)
{
    (void)argc;
    if (pd_name_arg(ops, "restart", argv[1]) < 0)
        return -1;
    unsigned label = ops->pd_restart(ops->ctx, argv[1]);
    if (label != MONITOR_OK)
        return monitor_fail(ops, "restart", argv[1], label);
    say(ops, "restarted %s\n", argv[1]);
    return 0;
}

static const struct command commands[] = {
    { "help", 0, 0, "help", "this list", cmd_help },
    { "ls", 0, 1, "ls [DIR]", "list a directory (default /)", cmd_ls },
    { "cat", 1, 1, "cat PATH", "print a file", cmd_cat },
    { "write", 1, SHELL_MAX_ARGS, "write PATH TEXT...", "create or replace a file with TEXT",
      cmd_write },
    { "rm", 1, 1, "rm PATH", "remove a file or an empty directory", cmd_rm },
    { "mkdir", 1, 1, "mkdir PATH", "make a directory", cmd_mkdir },
    { "echo", 0, SHELL_MAX_ARGS, "echo TEXT...", "print TEXT", cmd_echo },
    { "ps", 0, 0, "ps", "each PD with its state and restart count", cmd_ps },
    { "crash", 1, SHELL_MAX_ARGS, "crash PD [during CMD...]",
      "make a PD fault now, or while CMD waits for it", cmd_crash },
    { "restart", 1, 1, "restart PD", "restart a PD (fresh state, same caps)", cmd_restart },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(const struct shell_ops *ops, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    say(ops, "commands (paths are absolute; \"a\" means \"/a\"):\n");
    for (size_t i = 0; i < NUM_COMMANDS; i++)
        say(ops, "  %-26s %s\n", commands[i].usage, commands[i].help);
    return 0;
}

int shell_execute(const struct shell_ops *ops, const char *line)
{
    char copy[SHELL_LINE_MAX + 1];
    char *argv[SHELL_MAX_ARGS + 1];

    size_t len = strnlen(line, sizeof(copy));
    if (len == sizeof(copy))
        return fail(ops, "line too long (at most %d bytes)", SHELL_LINE_MAX);
    memcpy(copy, line, len + 1);
    int argc = shell_split(copy, argv, SHELL_MAX_ARGS + 1);
    if (argc < 0)
        return fail(ops, "too many words (at most %d)", SHELL_MAX_ARGS);
    if (argc == 0)
        return 0;
    for (size_t i = 0; i < NUM_COMMANDS; i++) {
        const struct command *c = &commands[i];
        if (strcmp(argv[0], c->name) != 0)
            continue;
        if (argc - 1 < c->min_args || argc - 1 > c->max_args)
            return fail(ops, "usage: %s", c->usage);
        return c->run(ops, argc, argv);
    }
    return fail(ops, "unknown command '%.40s' (try help)", argv[0]);
}

/* --- line editor ------------------------------------------------------------ */

void shell_line_reset(struct shell_line *l)
{
    l->len = 0;
    l->buf[0] = '\0';
    l->after_cr = 0;
    l->escape = 0;
}

int shell_line_feed(struct shell_line *l, const struct shell_ops *ops, unsigned char c)
{
    int after_cr = l->after_cr;

    l->after_cr = 0;
    if (l->escape == 1) {
        /* ESC [ starts a CSI sequence; ESC and anything else is a
         * two-byte sequence (e.g. Alt-key). */
        l->escape = c == '[' ? 2 : 0;
        return 0;
    }
    if (l->escape == 2) {
        /* CSI parameters are 0x20..0x3f; the final byte ends it. */
        if (c < 0x20 || c > 0x3f)
            l->escape = 0;
        return 0;
    }
    switch (c) {
    case '\r':
    case '\n':
        if (c == '\n' && after_cr)
            return 0;           /* the second half of a CR LF Enter */
        l->after_cr = c == '\r';
        ops->write(ops->ctx, "\n", 1);
        l->buf[l->len] = '\0';
        l->len = 0;
        return 1;
    case 0x08:                  /* backspace */
    case 0x7f:                  /* DEL, what most terminals send for it */
        if (l->len > 0) {
            l->len--;
            ops->write(ops->ctx, "\b \b", 3);
        }
        return 0;
    case 0x15:                  /* Ctrl-U */
        while (l->len > 0) {
            l->len--;
            ops->write(ops->ctx, "\b \b", 3);
        }
        return 0;
    case 0x03:                  /* Ctrl-C */
        ops->write(ops->ctx, "^C\n", 3);
        l->len = 0;
        l->buf[0] = '\0';
        return 1;
    case 0x1b:
        l->escape = 1;
        return 0;
    case '\t':
        c = ' ';
        break;
    default:
        break;
    }
    if (c < 0x20 || c >= 0x7f || l->len >= SHELL_LINE_MAX)
        return 0;
    l->buf[l->len++] = (char)c;
    ops->write(ops->ctx, (const char *)&c, 1);
    return 0;
}
