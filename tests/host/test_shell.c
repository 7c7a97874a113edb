/*
 * user/components/shell/shell_cmd.c: the shell's commands and line editor,
 * against a fake file service (an in-memory tree), a fake monitor (a PD
 * table) and a console that records everything written.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include <arca/fs.h>
#include <arca/monitor.h>
#include "../../user/components/shell/shell_cmd.h"

/* --- the recorded console ---------------------------------------------- */

static char out[16384];
static size_t out_len;

static void fake_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    CHECK(out_len + len < sizeof(out));
    memcpy(out + out_len, buf, len);
    out_len += len;
    out[out_len] = '\0';
}

/* --- the fake file service --------------------------------------------- */

#define FAKE_FILES 16
struct fake_file {
    int used, is_dir;
    char path[FS_PATH_MAX + 1];
    char data[SHELL_FILE_MAX + 64];
    size_t size;
};
static struct fake_file files[FAKE_FILES];
static long fs_force_error;        /* nonzero: every fs call fails with it */
static char last_path[FS_PATH_MAX + 8];
static size_t last_read_len;

static struct fake_file *find(const char *path)
{
    for (int i = 0; i < FAKE_FILES; i++) {
        if (files[i].used && strcmp(files[i].path, path) == 0)
            return &files[i];
    }
    return NULL;
}

static struct fake_file *add(const char *path, int is_dir)
{
    for (int i = 0; i < FAKE_FILES; i++) {
        if (!files[i].used) {
            memset(&files[i], 0, sizeof(files[i]));
            files[i].used = 1;
            files[i].is_dir = is_dir;
            snprintf(files[i].path, sizeof(files[i].path), "%s", path);
            return &files[i];
        }
    }
    return NULL;
}

/* The directory part of an absolute path ("/a/b" -> "/a", "/a" -> "/"). */
static void parent_of(const char *path, char *dir)
{
    const char *slash = strrchr(path, '/');
    size_t n = (size_t)(slash - path);
    if (n == 0)
        n = 1;
    memcpy(dir, path, n);
    dir[n] = '\0';
}

/* The fake fault injector: armed, the next file request "crashes". */
static int injector_armed, injector_missing;
static char injector_pd[128];

static long check_path(const char *path)
{
    snprintf(last_path, sizeof(last_path), "%s", path);
    if (injector_armed) {
        injector_armed = 0;
        return FS_ERESTARTED;
    }
    if (fs_force_error)
        return fs_force_error;
    if (path[0] != '/' || strlen(path) > FS_PATH_MAX)
        return FS_EINVAL;
    return 0;
}

static long fake_read(void *ctx, const char *path, void *buf, size_t len)
{
    (void)ctx;
    long e = check_path(path);
    if (e)
        return e;
    last_read_len = len;
    struct fake_file *f = find(path);
    if (f == NULL)
        return FS_ENOENT;
    if (f->is_dir)
        return FS_EISDIR;
    size_t n = f->size < len ? f->size : len;
    memcpy(buf, f->data, n);
    return (long)n;
}

static long fake_fs_write(void *ctx, const char *path, const void *buf, size_t len)
{
    (void)ctx;
    char dir[FS_PATH_MAX + 1];
    long e = check_path(path);
    if (e)
        return e;
    parent_of(path, dir);
    struct fake_file *d = find(dir);
    if (d == NULL)
        return FS_ENOENT;
    if (!d->is_dir)
        return FS_ENOTDIR;
    struct fake_file *f = find(path);
    if (f != NULL && f->is_dir)
        return FS_EISDIR;
    if (len > sizeof(f->data))
        return FS_ETOOBIG;
    if (f == NULL && (f = add(path, 0)) == NULL)
        return FS_ENOSPC;
    memcpy(f->data, buf, len);
    f->size = len;
    return (long)len;
}

static long fake_remove(void *ctx, const char *path)
{
    (void)ctx;
    long e = check_path(path);
    if (e)
        return e;
    struct fake_file *f = find(path);
    if (f == NULL)
        return FS_ENOENT;
    f->used = 0;
    return 0;
}

static long fake_mkdir(void *ctx, const char *path)
{
    (void)ctx;
    long e = check_path(path);
    if (e)
        return e;
    if (find(path) != NULL)
        return FS_EEXIST;
    return add(path, 1) != NULL ? 0 : FS_ENOSPC;
}

static size_t list_extra;   /* the fake claims this many more entries than asked */

static long fake_list(void *ctx, const char *path, struct fs_dirent *outv, size_t max)
{
    (void)ctx;
    char dir[FS_PATH_MAX + 1];
    long e = check_path(path);
    if (e)
        return e;
    struct fake_file *d = find(path);
    if (d == NULL)
        return FS_ENOENT;
    if (!d->is_dir)
        return FS_ENOTDIR;
    size_t n = 0;
    for (int i = 0; i < FAKE_FILES && n < max; i++) {
        if (!files[i].used || strcmp(files[i].path, "/") == 0)
            continue;
        parent_of(files[i].path, dir);
        if (strcmp(dir, path) != 0)
            continue;
        memset(&outv[n], 0, sizeof(outv[n]));
        snprintf(outv[n].name, sizeof(outv[n].name), "%s", strrchr(files[i].path, '/') + 1);
        outv[n].is_dir = (uint8_t)files[i].is_dir;
        outv[n].size = files[i].size;
        n++;
    }
    return (long)(n + list_extra);
}

static const char *fake_strerror(void *ctx, long code)
{
    (void)ctx;
    switch (code) {
    case FS_ENOENT: return "no such file or directory";
    case FS_EEXIST: return "already exists";
    case FS_ENOTDIR: return "not a directory";
    case FS_EISDIR: return "is a directory";
    case FS_ERESTARTED: return "the file server restarted";
    case FS_EINVAL: return "invalid argument";
    default: return NULL;
    }
}

/* --- the fake monitor ---------------------------------------------------- */

struct fake_pd {
    const char *name;
    uint64_t state, restarts, faults;
};
static struct fake_pd pds[] = {
    { "console", MONITOR_STATE_RUNNING, 0, 0 },
    { "blk", MONITOR_STATE_RUNNING, 0, 0 },
    { "fs", MONITOR_STATE_RUNNING, 2, 3 },
    { "shell", MONITOR_STATE_STOPPED, 0, 1 },
};
#define NUM_PDS (sizeof(pds) / sizeof(pds[0]))
static unsigned monitor_force;     /* nonzero: every monitor call replies this */
static char last_pd[128];
static unsigned info_calls;

static unsigned fake_info(void *ctx, unsigned index, struct shell_pd_info *info)
{
    (void)ctx;
    info_calls++;
    if (monitor_force)
        return monitor_force;
    if (index >= NUM_PDS)
        return MONITOR_ENOENT;
    snprintf(info->name, sizeof(info->name), "%s", pds[index].name);
    info->state = pds[index].state;
    info->restarts = pds[index].restarts;
    info->faults = pds[index].faults;
    return MONITOR_OK;
}

static unsigned pd_action(const char *name, int restart)
{
    snprintf(last_pd, sizeof(last_pd), "%s", name);
    if (monitor_force)
        return monitor_force;
    if (strcmp(name, "monitor") == 0)
        return MONITOR_EPERM;
    for (size_t i = 0; i < NUM_PDS; i++) {
        if (strcmp(pds[i].name, name) == 0) {
            if (!restart)
                pds[i].faults++;
            pds[i].restarts++;
            return MONITOR_OK;
        }
    }
    return MONITOR_ENOENT;
}

static unsigned fake_crash(void *ctx, const char *name)
{
    (void)ctx;
    return pd_action(name, 0);
}

static unsigned fake_restart(void *ctx, const char *name)
{
    (void)ctx;
    return pd_action(name, 1);
}

static int fake_crash_later(void *ctx, const char *name)
{
    (void)ctx;
    if (injector_missing)
        return -1;
    snprintf(injector_pd, sizeof(injector_pd), "%s", name);
    injector_armed = 1;
    return 0;
}

static const struct shell_ops ops = {
    .write = fake_write,
    .fs_read = fake_read,
    .fs_write = fake_fs_write,
    .fs_remove = fake_remove,
    .fs_mkdir = fake_mkdir,
    .fs_list = fake_list,
    .fs_strerror = fake_strerror,
    .pd_info = fake_info,
    .pd_crash = fake_crash,
    .pd_restart = fake_restart,
    .pd_crash_later = fake_crash_later,
};

static void reset(void)
{
    out_len = 0;
    out[0] = '\0';
    memset(files, 0, sizeof(files));
    add("/", 1);
    fs_force_error = 0;
    monitor_force = 0;
    last_path[0] = last_pd[0] = '\0';
    last_read_len = 0;
    list_extra = 0;
    info_calls = 0;
    injector_armed = injector_missing = 0;
    injector_pd[0] = '\0';
    pds[0].restarts = pds[0].faults = 0;
}

/* Runs a line with fresh output; returns shell_execute's result. */
static int run(const char *line)
{
    out_len = 0;
    out[0] = '\0';
    return shell_execute(&ops, line);
}

/* The output is exactly one line and it starts with "error: ". */
static int one_error_line(void)
{
    return strncmp(out, "error: ", 7) == 0 && strchr(out, '\n') == out + out_len - 1;
}

/* --- tests ------------------------------------------------------------- */

HOST_TEST(SHELL_0001)   /* split: blanks, tabs, empty, too many words */
{
    char line[64] = "  ls \t /a   b ";
    char *argv[4];
    CHECK_EQ(shell_split(line, argv, 4), 3);
    CHECK_STR(argv[0], "ls");
    CHECK_STR(argv[1], "/a");
    CHECK_STR(argv[2], "b");
    char empty[8] = " \t ";
    CHECK_EQ(shell_split(empty, argv, 4), 0);
    char many[32] = "a b c d e";
    CHECK_EQ(shell_split(many, argv, 4), -1);
}

HOST_TEST(SHELL_0002)   /* absolute paths: relative names get "/", limits */
{
    char p[FS_PATH_MAX + 1];
    CHECK_EQ(shell_abs_path("a/b", p, sizeof(p)), 0);
    CHECK_STR(p, "/a/b");
    CHECK_EQ(shell_abs_path("/x", p, sizeof(p)), 0);
    CHECK_STR(p, "/x");
    char long_name[FS_PATH_MAX + 2];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    CHECK_EQ(shell_abs_path(long_name, p, sizeof(p)), -1);
    long_name[FS_PATH_MAX - 1] = '\0';  /* 254 bytes + the added '/' = 255 */
    CHECK_EQ(shell_abs_path(long_name, p, sizeof(p)), 0);
    CHECK_EQ(strlen(p), FS_PATH_MAX);
    char small[4];
    CHECK_EQ(shell_abs_path("abc", small, sizeof(small)), -1);
}

HOST_TEST(SHELL_0003)   /* empty line, echo, unknown command */
{
    reset();
    CHECK_EQ(run(""), 0);
    CHECK_EQ(out_len, 0);
    CHECK_EQ(run("   "), 0);
    CHECK_EQ(out_len, 0);
    CHECK_EQ(run("echo  hello    world "), 0);
    CHECK_STR(out, "hello world\n");
    CHECK_EQ(run("echo"), 0);
    CHECK_STR(out, "\n");
    CHECK_EQ(run("frobnicate x"), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "frobnicate") != NULL);
}

HOST_TEST(SHELL_0004)   /* help lists every command */
{
    static const char *names[] = { "help", "ls [DIR]", "cat PATH", "write PATH TEXT...",
                                   "rm PATH", "mkdir PATH", "echo TEXT...", "ps", "crash PD",
                                   "restart PD" };
    reset();
    CHECK_EQ(run("help"), 0);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        CHECK(strstr(out, names[i]) != NULL);
    CHECK_EQ(run("help me"), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "usage: help") != NULL);
}

HOST_TEST(SHELL_0005)   /* write then cat: text joined by single spaces */
{
    reset();
    CHECK_EQ(run("write /hello  hi   there"), 0);
    CHECK_EQ(out_len, 0);
    struct fake_file *f = find("/hello");
    CHECK(f != NULL);
    CHECK_EQ(f->size, 8);
    CHECK(memcmp(f->data, "hi there", 8) == 0);
    CHECK_EQ(run("cat /hello"), 0);
    CHECK_STR(out, "hi there\n");
    CHECK_EQ(last_read_len, SHELL_FILE_MAX + 1);
    /* Replaces, does not append. */
    CHECK_EQ(run("write hello x"), 0);
    CHECK_STR(last_path, "/hello");
    CHECK_EQ(run("cat hello"), 0);
    CHECK_STR(out, "x\n");
    /* No text: an empty file. */
    CHECK_EQ(run("write /empty"), 0);
    CHECK_EQ(find("/empty")->size, 0);
    CHECK_EQ(run("cat /empty"), 0);
    CHECK_STR(out, "");
}

HOST_TEST(SHELL_0006)   /* cat: no newline added twice, control bytes shown as '.' */
{
    reset();
    struct fake_file *f = add("/bin", 0);
    memcpy(f->data, "a\x01\x1b[2J\tb\x7f\xff\n", 11);
    f->size = 11;
    CHECK_EQ(run("cat /bin"), 0);
    CHECK_EQ(out_len, 11);
    CHECK(memcmp(out, "a..[2J\tb..\n", 11) == 0);
}

HOST_TEST(SHELL_0007)   /* file errors: one "error:" line naming the path */
{
    reset();
    CHECK_EQ(run("cat /nope"), -1);
    CHECK(one_error_line());
    CHECK_STR(out, "error: cat /nope: no such file or directory\n");
    CHECK_EQ(run("cat"), -1);
    CHECK_STR(out, "error: usage: cat PATH\n");
    CHECK_EQ(run("cat a b"), -1);
    CHECK(one_error_line());
    CHECK_EQ(run("write"), -1);
    CHECK_STR(out, "error: usage: write PATH TEXT...\n");
    CHECK_EQ(run("mkdir /d"), 0);
    CHECK_EQ(run("mkdir /d"), -1);
    CHECK_STR(out, "error: mkdir /d: already exists\n");
    CHECK_EQ(run("cat /d"), -1);
    CHECK_STR(out, "error: cat /d: is a directory\n");
    CHECK_EQ(run("write /nodir/f x"), -1);
    CHECK_STR(out, "error: write /nodir/f: no such file or directory\n");
    /* A code the service has no text for still gives one line. */
    fs_force_error = -77;
    CHECK_EQ(run("ls"), -1);
    CHECK_STR(out, "error: ls /: unknown error\n");
}

HOST_TEST(SHELL_0008)   /* ls: default /, directories marked, sizes */
{
    reset();
    CHECK_EQ(run("write /a 12345"), 0);
    CHECK_EQ(run("mkdir /docs"), 0);
    CHECK_EQ(run("write /docs/n xy"), 0);
    CHECK_EQ(run("ls"), 0);
    CHECK_STR(last_path, "/");
    CHECK_STR(out, "         5  a\n         -  docs/\n");
    CHECK_EQ(run("ls docs"), 0);
    CHECK_STR(last_path, "/docs");
    CHECK_STR(out, "         2  n\n");
    CHECK_EQ(run("ls /a"), -1);
    CHECK_STR(out, "error: ls /a: not a directory\n");
    CHECK_EQ(run("ls /a /b"), -1);
    CHECK(one_error_line());
}

HOST_TEST(SHELL_0009)   /* ls: a service claiming more entries than asked is capped */
{
    reset();
    CHECK_EQ(run("write /a 1"), 0);
    list_extra = 1000;
    CHECK_EQ(run("ls"), 0);
    /* SHELL_LIST_MAX lines at most, no overrun (ASan would catch it). */
    size_t lines = 0;
    for (size_t i = 0; i < out_len; i++)
        lines += out[i] == '\n';
    CHECK_EQ(lines, SHELL_LIST_MAX);
}

HOST_TEST(SHELL_0010)   /* rm and mkdir */
{
    reset();
    CHECK_EQ(run("mkdir /d"), 0);
    CHECK(find("/d") != NULL && find("/d")->is_dir);
    CHECK_EQ(run("write /d/f x"), 0);
    CHECK_EQ(run("rm /d/f"), 0);
    CHECK(find("/d/f") == NULL);
    CHECK_EQ(run("rm /d/f"), -1);
    CHECK_STR(out, "error: rm /d/f: no such file or directory\n");
    CHECK_EQ(run("rm /"), -1);
    CHECK(one_error_line());
    CHECK(find("/") != NULL);
    CHECK_EQ(run("rm"), -1);
    CHECK_STR(out, "error: usage: rm PATH\n");
}

HOST_TEST(SHELL_0011)   /* the file server restarted: an error, then success */
{
    reset();
    fs_force_error = FS_ERESTARTED;
    CHECK_EQ(run("write /f hi"), -1);
    CHECK_STR(out, "error: write /f: the file server restarted\n");
    fs_force_error = 0;
    CHECK_EQ(run("write /f hi"), 0);
    CHECK_EQ(run("cat /f"), 0);
    CHECK_STR(out, "hi\n");
}

HOST_TEST(SHELL_0012)   /* ps: header, one line per PD, stops at ENOENT */
{
    reset();
    CHECK_EQ(run("ps"), 0);
    CHECK_EQ(info_calls, NUM_PDS + 1);
    CHECK(strncmp(out, "PD ", 3) == 0);
    CHECK(strstr(out, "STATE") && strstr(out, "RESTARTS"));
    CHECK(strstr(out, "\nconsole          running         0        0\n") != NULL);
    CHECK(strstr(out, "\nfs               running         2        3\n") != NULL);
    CHECK(strstr(out, "\nshell            stopped         0        1\n") != NULL);
    monitor_force = MONITOR_EINVAL;
    CHECK_EQ(run("ps"), -1);
    /* The header, then one error line. */
    char *nl = strchr(out, '\n');
    CHECK(nl != NULL && strncmp(nl + 1, "error: ", 7) == 0);
    CHECK_EQ(run("ps x"), -1);
    CHECK(one_error_line());
}

HOST_TEST(SHELL_0013)   /* crash and restart through the monitor */
{
    reset();
    CHECK_EQ(run("crash console"), 0);
    CHECK_STR(last_pd, "console");
    CHECK_STR(out, "crashed console\n");
    CHECK_EQ(pds[0].faults, 1);
    CHECK_EQ(run("restart console"), 0);
    CHECK_STR(out, "restarted console\n");
    CHECK_EQ(pds[0].restarts, 2);
    CHECK_EQ(run("crash nosuch"), -1);
    CHECK_STR(out, "error: crash: no PD named 'nosuch'\n");
    CHECK_EQ(run("restart monitor"), -1);
    CHECK_STR(out, "error: restart: not allowed for 'monitor'\n");
    CHECK_EQ(run("crash"), -1);
    CHECK_STR(out, "error: usage: crash PD [during CMD...]\n");
    monitor_force = 77;
    CHECK_EQ(run("restart fs"), -1);
    CHECK_STR(out, "error: restart: unexpected monitor reply 77\n");
}

HOST_TEST(SHELL_0014)   /* hostile lengths: long PD names and paths */
{
    char line[SHELL_LINE_MAX + 1];
    reset();
    memset(line, 0, sizeof(line));
    strcpy(line, "crash ");
    memset(line + 6, 'p', 70);
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK_EQ(last_pd[0], '\0');         /* never reached the monitor */
    memset(line, 0, sizeof(line));
    strcpy(line, "cat /");
    memset(line + 5, 'f', FS_PATH_MAX - 1);     /* a 255-byte path: passed on */
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK_EQ(strlen(last_path), FS_PATH_MAX);
    last_path[0] = '\0';
    line[5 + FS_PATH_MAX - 1] = 'f';            /* 256 bytes: refused here */
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "path too long") != NULL);
    CHECK_EQ(last_path[0], '\0');
}

HOST_TEST(SHELL_0015)   /* lines too long and too many words are refused */
{
    char line[SHELL_LINE_MAX + 100];
    reset();
    memset(line, 'e', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "line too long") != NULL);
    /* 40 words */
    line[0] = '\0';
    strcat(line, "echo");
    for (int i = 0; i < 39; i++)
        strcat(line, " w");
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "too many words") != NULL);
}

/* --- line editor ----------------------------------------------------------- */

static struct shell_line ed;

/* Feeds a string; returns how many lines it completed (the last stays in
 * ed.buf). */
static int type(const char *s, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += shell_line_feed(&ed, &ops, (unsigned char)s[i]);
    return lines;
}
#define TYPE(lit) type(lit, sizeof(lit) - 1)

HOST_TEST(SHELL_0016)   /* Enter: CR, LF or CR LF each end one line; echo */
{
    reset();
    shell_line_reset(&ed);
    CHECK_EQ(TYPE("ls /\r"), 1);
    CHECK_STR(ed.buf, "ls /");
    CHECK_STR(out, "ls /\n");
    out_len = 0;
    CHECK_EQ(TYPE("\n"), 0);            /* the LF of CR LF */
    CHECK_EQ(out_len, 0);
    CHECK_EQ(TYPE("ps\n"), 1);
    CHECK_STR(ed.buf, "ps");
    CHECK_EQ(TYPE("\n"), 1);            /* LF LF: an empty line */
    CHECK_STR(ed.buf, "");
    CHECK_EQ(TYPE("a\r\nb\r\n"), 2);
    CHECK_STR(ed.buf, "b");
}

HOST_TEST(SHELL_0017)   /* backspace, DEL, Ctrl-U, Ctrl-C */
{
    reset();
    shell_line_reset(&ed);
    CHECK_EQ(TYPE("\x7f" "lx\x7fs\x08\x08" "cat\r"), 1);
    CHECK_STR(ed.buf, "cat");
    CHECK_STR(out, "lx\b \bs\b \b\b \bcat\n");
    out_len = 0;
    CHECK_EQ(TYPE("junk\x15ok\r"), 1);
    CHECK_STR(ed.buf, "ok");
    CHECK_STR(out, "junk\b \b\b \b\b \b\b \bok\n");
    out_len = 0;
    CHECK_EQ(TYPE("rm /x\x03"), 1);
    CHECK_STR(ed.buf, "");
    CHECK_STR(out, "rm /x^C\n");
    CHECK_EQ(TYPE("y\r"), 1);
    CHECK_STR(ed.buf, "y");
}

HOST_TEST(SHELL_0018)   /* escape sequences and control bytes are dropped; tab is a blank */
{
    reset();
    shell_line_reset(&ed);
    CHECK_EQ(TYPE("\x1b[A\x1b[1;5Ce\x01\x02" "cho\tx\x1bOy\x1b[3~\r"), 1);
    /* ESC O is a two-byte sequence: the 'O' goes, the 'y' stays. */
    CHECK_STR(ed.buf, "echo xy");
    CHECK_STR(out, "echo xy\n");
}

HOST_TEST(SHELL_0019)   /* a line never grows past SHELL_LINE_MAX */
{
    char many[SHELL_LINE_MAX + 50];
    reset();
    shell_line_reset(&ed);
    memset(many, 'q', sizeof(many));
    CHECK_EQ(type(many, sizeof(many)), 0);
    CHECK_EQ(ed.len, SHELL_LINE_MAX);
    CHECK_EQ(out_len, SHELL_LINE_MAX);
    CHECK_EQ(TYPE("\x7f" "!\r"), 1);
    CHECK_EQ(strlen(ed.buf), SHELL_LINE_MAX);
    CHECK_EQ(ed.buf[SHELL_LINE_MAX - 1], '!');
    /* And shell_execute takes a full-length line. */
    memcpy(ed.buf, "echo ", 5);
    out_len = 0;
    CHECK_EQ(shell_execute(&ops, ed.buf), 0);
    CHECK_EQ(out_len, SHELL_LINE_MAX - 5 + 1);
    CHECK_EQ(out[out_len - 1], '\n');
}

HOST_TEST(SHELL_0020)   /* crash PD during CMD: armed, then the command sees the restart */
{
    reset();
    CHECK_EQ(run("write /hello hi"), 0);
    CHECK_EQ(run("crash fs during cat /hello"), -1);
    CHECK_STR(injector_pd, "fs");
    CHECK_STR(out, "error: cat /hello: the file server restarted\n");
    CHECK_EQ(last_pd[0], '\0');        /* not the immediate monitor crash */
    CHECK_EQ(run("cat /hello"), 0);
    CHECK_STR(out, "hi\n");
    /* The inner command's words are joined again. */
    CHECK_EQ(run("crash console during echo a   b"), 0);
    CHECK_STR(injector_pd, "console");
    CHECK_STR(out, "a b\n");
}

HOST_TEST(SHELL_0021)   /* crash ... during: malformed uses, no injector */
{
    reset();
    CHECK_EQ(run("crash fs during"), -1);
    CHECK_STR(out, "error: usage: crash PD [during CMD...]\n");
    CHECK_EQ(run("crash fs now ls"), -1);
    CHECK_STR(out, "error: usage: crash PD [during CMD...]\n");
    CHECK_EQ(run("crash fs during crash blk"), -1);
    CHECK(one_error_line());
    CHECK_EQ(injector_armed, 0);
    injector_missing = 1;
    CHECK_EQ(run("crash fs during ls"), -1);
    CHECK(one_error_line());
    CHECK(strstr(out, "fault injector") != NULL);
    CHECK_EQ(last_path[0], '\0');      /* the command did not run */
    char line[200] = "crash ";
    memset(line + 6, 'n', 80);
    strcpy(line + 86, " during ls");
    injector_missing = 0;
    CHECK_EQ(run(line), -1);
    CHECK(one_error_line());
    CHECK_EQ(injector_armed, 0);
}

HOST_TEST(SHELL_0022)   /* cat: a file longer than SHELL_FILE_MAX is shown in part, and says so */
{
    reset();
    struct fake_file *f = add("/exact", 0);
    memset(f->data, 'x', SHELL_FILE_MAX);
    f->size = SHELL_FILE_MAX;
    CHECK_EQ(run("cat /exact"), 0);
    CHECK_EQ(out_len, SHELL_FILE_MAX + 1);      /* the bytes and a newline, no note */
    f = add("/long", 0);
    memset(f->data, 'y', SHELL_FILE_MAX + 10);
    f->size = SHELL_FILE_MAX + 10;
    CHECK_EQ(run("cat /long"), 0);
    CHECK(strncmp(out + SHELL_FILE_MAX, "\n(/long is longer", 17) == 0);
    CHECK_EQ(out[SHELL_FILE_MAX - 1], 'y');
}
