/*
 * The shell's command language, kept free of seL4 and Microkit so that it
 * can be unit-tested on the host (tests/host/test_shell.c) against fake
 * file, monitor and console services.
 *
 * The PD (shell.c) feeds input bytes to the line editor (shell_line_feed);
 * every completed line goes to shell_execute, which splits it into words,
 * runs the command through the operations in struct shell_ops and writes
 * the result through ops->write.  A command that fails prints exactly one
 * line starting with "error:".
 */
#ifndef ARCA_SHELL_CMD_H
#define ARCA_SHELL_CMD_H

#include <stddef.h>
#include <stdint.h>

#include <arca/fs.h>

#define SHELL_PROMPT     "arca> "
#define SHELL_LINE_MAX   512     /* bytes in an input line, without the NUL */
#define SHELL_MAX_ARGS   32
#define SHELL_FILE_MAX   4096    /* bytes cat shows, write stores */
#define SHELL_LIST_MAX   64      /* entries ls shows */
#define SHELL_PS_MAX     64      /* PDs ps asks about (Microkit allows 63) */
#define SHELL_PD_NAME    64      /* bytes in a PD name, with the NUL */

struct shell_pd_info {
    char name[SHELL_PD_NAME];
    uint64_t state;             /* MONITOR_STATE_* */
    uint64_t restarts;
    uint64_t faults;
};

/*
 * What the commands act on.  The fs_* members have the meaning of the
 * functions in <arca/fs.h>; the monitor members return a monitor reply
 * label (MONITOR_OK, MONITOR_ENOENT, ...; see <arca/monitor.h>) or
 * ARCA_LABEL_PD_RESTARTED.
 */
struct shell_ops {
    void *ctx;
    void (*write)(void *ctx, const char *buf, size_t len);

    long (*fs_read)(void *ctx, const char *path, void *buf, size_t len);
    long (*fs_write)(void *ctx, const char *path, const void *buf, size_t len);
    long (*fs_remove)(void *ctx, const char *path);
    long (*fs_mkdir)(void *ctx, const char *path);
    long (*fs_list)(void *ctx, const char *path, struct fs_dirent *out, size_t max);
    const char *(*fs_strerror)(void *ctx, long code);

    unsigned (*pd_info)(void *ctx, unsigned index, struct shell_pd_info *out);
    unsigned (*pd_crash)(void *ctx, const char *name);
    unsigned (*pd_restart)(void *ctx, const char *name);
    /* Arms the fault injector to crash `name` once the system next waits
     * (user/components/chaos/); returns 0, or -1 if there is none. */
    int (*pd_crash_later)(void *ctx, const char *name);
};

/* Runs one input line (NUL-terminated, at most SHELL_LINE_MAX bytes; a
 * longer one is rejected with an error).  Returns 0 if the command
 * succeeded or the line was empty, -1 if it printed an error. */
int shell_execute(const struct shell_ops *ops, const char *line);

/*
 * Splits `line` in place at blanks into at most `max` words; returns the
 * count, or -1 if there are more than `max` words.  No quoting: commands
 * that take text (echo, write) join their words with single spaces.
 */
int shell_split(char *line, char **argv, int max);

/*
 * Makes an absolute path for the file service: "a/b" becomes "/a/b"
 * (the shell has no working directory; everything is relative to "/").
 * Returns 0, or -1 if the result would not fit in `size` bytes or would
 * exceed FS_PATH_MAX.
 */
int shell_abs_path(const char *arg, char *out, size_t size);

/* --- the line editor ----------------------------------------------------- */

struct shell_line {
    char buf[SHELL_LINE_MAX + 1];
    size_t len;
    int after_cr;       /* the last byte was '\r': a '\n' now is the same Enter */
    int escape;         /* inside an escape sequence: 1 after ESC, 2 after ESC [ */
};

void shell_line_reset(struct shell_line *l);

/*
 * Feeds one input byte.  Echo for the terminal (the typed character,
 * "\b \b" for a backspace, "\n" for Enter) goes through ops->write.
 * Returns 1 when the byte completed a line (then l->buf holds it,
 * NUL-terminated, until the next call), else 0.  Printable ASCII is
 * kept, backspace/DEL erase, Ctrl-U erases the line, Ctrl-C abandons it
 * (echoing "^C" and a newline, and completing an empty line so the caller
 * prompts again), escape sequences (arrow keys) and other control bytes
 * are dropped, and bytes beyond SHELL_LINE_MAX are dropped.
 */
int shell_line_feed(struct shell_line *l, const struct shell_ops *ops, unsigned char c);

#endif
