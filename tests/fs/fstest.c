/*
 * The storage stack booted for real (FS_01xx, tests/fs/fs.system): this
 * PD uses the file service (client.c -> file server PD -> virtio-blk PD ->
 * QEMU's disk) and prints one [PASS]/[FAIL] line per test.
 *
 * tools/fstests.py boots the system twice on one disk image made by
 * tools/mkfs.py.  The first boot (no /persist/note yet) exercises the
 * operations and leaves files behind; the second finds them and checks
 * they survived.  The disk is then checked on the host with build/host/fsck.
 */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arca/fs.h>
#include <arca/monitor.h>

#define FS_CH 0
#define MONITOR_CH 9
#define CRASHER_CH 1
#define BIG_SIZE 100000     /* more than 64 KiB: the indirect block is used */
#define NOTE "written by the first boot\n"
#define HELLO "hello from mkfs\n"     /* tools/fstests.py adds it as /hello.txt */

uintptr_t fs_buf;
uint64_t fs_buf_size;

static uint8_t big[BIG_SIZE], back[BIG_SIZE + 100];
static char failure[160];

#define EXPECT(cond, ...)                                                   \
    do {                                                                    \
        if (!(cond)) {                                                      \
            snprintf(failure, sizeof(failure), __VA_ARGS__);                \
            return 0;                                                       \
        }                                                                   \
    } while (0)

#define EXPECT_EQ(got, want, what)                                          \
    EXPECT((long)(got) == (long)(want), "%s: got %ld (%s), wanted %ld", what, \
           (long)(got), (long)(got) < 0 ? fs_strerror((long)(got)) : "-", (long)(want))

static void pattern(uint8_t *buf, size_t len, unsigned seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
}

static int listed(const char *dir, const char *name, int is_dir, uint64_t size)
{
    static struct fs_dirent ents[64];
    long n = fs_list(dir, ents, 64);
    for (long i = 0; i < n; i++)
        if (strcmp(ents[i].name, name) == 0)
            return ents[i].is_dir == is_dir && (is_dir || ents[i].size == size);
    return 0;
}

static int t_mkfs_file(void)
{
    char buf[64];
    memset(buf, 0, sizeof(buf));
    EXPECT_EQ(fs_read("/hello.txt", buf, sizeof(buf) - 1), strlen(HELLO), "read /hello.txt");
    EXPECT(strcmp(buf, HELLO) == 0, "/hello.txt holds '%s'", buf);
    EXPECT(listed("/", "hello.txt", 0, strlen(HELLO)), "/hello.txt not listed");
    return 1;
}

static int t_small_file(void)
{
    const char *text = "small file";
    EXPECT_EQ(fs_write("/a.txt", text, strlen(text)), FS_OK, "write /a.txt");
    char buf[32];
    memset(buf, 0, sizeof(buf));
    EXPECT_EQ(fs_read("/a.txt", buf, sizeof(buf)), strlen(text), "read /a.txt");
    EXPECT(strcmp(buf, text) == 0, "/a.txt holds '%s'", buf);
    EXPECT_EQ(fs_write("/a.txt", "v2", 2), FS_OK, "replace /a.txt");
    EXPECT_EQ(fs_read("/a.txt", buf, sizeof(buf)), 2, "read /a.txt again");
    EXPECT(memcmp(buf, "v2", 2) == 0, "replaced /a.txt holds '%.2s'", buf);
    EXPECT(listed("/", "a.txt", 0, 2), "/a.txt not listed with size 2");
    return 1;
}

static int t_big_file(void)
{
    pattern(big, BIG_SIZE, 7);
    EXPECT_EQ(fs_write("/big", big, BIG_SIZE), FS_OK, "write /big");
    EXPECT_EQ(fs_read("/big", back, sizeof(back)), BIG_SIZE, "read /big");
    EXPECT(memcmp(big, back, BIG_SIZE) == 0, "/big reads back different bytes");
    EXPECT_EQ(fs_read("/big", back, 5000), 5000, "read the start of /big");
    return 1;
}

static int t_directories(void)
{
    EXPECT_EQ(fs_mkdir("/d"), FS_OK, "mkdir /d");
    EXPECT_EQ(fs_mkdir("/d/e"), FS_OK, "mkdir /d/e");
    EXPECT_EQ(fs_write("/d/e/f", "deep", 4), FS_OK, "write /d/e/f");
    EXPECT(listed("/d", "e", 1, 0), "/d/e not listed as a directory");
    EXPECT(listed("/d/e", "f", 0, 4), "/d/e/f not listed");
    EXPECT_EQ(fs_mkdir("/d"), FS_EEXIST, "mkdir /d again");
    EXPECT_EQ(fs_mkdir("/none/x"), FS_ENOENT, "mkdir /none/x");
    EXPECT_EQ(fs_remove("/d"), FS_ENOTEMPTY, "remove /d");
    EXPECT_EQ(fs_write("/d/e/f/g", "x", 1), FS_ENOTDIR, "write under a file");
    EXPECT_EQ(fs_write("/d", "x", 1), FS_EISDIR, "write a directory");
    struct fs_dirent one;
    EXPECT_EQ(fs_list("/a.txt", &one, 1), FS_ENOTDIR, "list a file");
    return 1;
}

static int t_remove(void)
{
    EXPECT_EQ(fs_remove("/d/e/f"), FS_OK, "remove /d/e/f");
    EXPECT_EQ(fs_remove("/d/e"), FS_OK, "remove /d/e");
    EXPECT_EQ(fs_remove("/d"), FS_OK, "remove /d");
    char c;
    EXPECT_EQ(fs_read("/d/e/f", &c, 1), FS_ENOENT, "read removed /d/e/f");
    EXPECT(!listed("/", "d", 1, 0), "/d still listed");
    EXPECT_EQ(fs_remove("/a.txt"), FS_OK, "remove /a.txt");
    EXPECT_EQ(fs_remove("/a.txt"), FS_ENOENT, "remove /a.txt twice");
    return 1;
}

static int t_limits(void)
{
    EXPECT_EQ(fs_write("/huge", big, fs_buf_size), FS_ETOOBIG, "write past the buffer");
    EXPECT_EQ(fs_write("relative", "x", 1), FS_EINVAL, "relative path");
    EXPECT_EQ(fs_mkdir("/a//b"), FS_EINVAL, "empty component");
    char name[FS_NAME_MAX + 3];
    name[0] = '/';
    memset(name + 1, 'n', FS_NAME_MAX + 1);
    name[FS_NAME_MAX + 2] = '\0';
    EXPECT_EQ(fs_write(name, "x", 1), FS_EINVAL, "name of 60 bytes");
    return 1;
}

/* Asks the monitor to crash PD `name` (restarted by its on_fault policy). */
static long crash(const char *name)
{
    uint64_t words[MONITOR_NAME_WORDS];
    monitor_pack_name(name, words);
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        microkit_mr_set((seL4_Uint8)i, words[i]);
    microkit_msginfo r = microkit_ppcall(MONITOR_CH,
                                         microkit_msginfo_new(MONITOR_CRASH, MONITOR_NAME_WORDS));
    return (long)microkit_msginfo_get_label(r);
}

/* After a crash and restart of `pd`, the file service works and the data
 * is as it was (the server mounts again; the driver resets the device). */
static int t_after_crash(const char *pd)
{
    EXPECT_EQ(crash(pd), MONITOR_OK, "monitor crash request");
    pattern(big, BIG_SIZE, 7);
    memset(back, 0, sizeof(back));
    EXPECT_EQ(fs_read("/big", back, sizeof(back)), BIG_SIZE, "read /big after the crash");
    EXPECT(memcmp(big, back, BIG_SIZE) == 0, "/big differs after the crash");
    EXPECT_EQ(fs_write("/after-crash", pd, strlen(pd)), FS_OK, "write after the crash");
    return 1;
}

static int t_crash_fs(void)
{
    return t_after_crash("fs");
}

static int t_crash_blk(void)
{
    return t_after_crash("blk");
}

/*
 * The server crashed in the middle of a request: the call returns
 * FS_ERESTARTED.  The crasher PD (tests/fs/crasher.c) runs only once this
 * PD, the server and the driver all wait, i.e. during a disk transfer of
 * the second write.  Rewriting a file with the same size reuses exactly its
 * blocks (the first rewrite made them the lowest free ones), so the disk
 * stays consistent wherever the crash lands, and the content is the same.
 */
static int t_restarted(void)
{
    pattern(big, BIG_SIZE, 7);
    EXPECT_EQ(fs_write("/big", big, BIG_SIZE), FS_OK, "rewrite /big");
    microkit_notify(CRASHER_CH);
    EXPECT_EQ(fs_write("/big", big, BIG_SIZE), FS_ERESTARTED,
              "rewrite /big while the crasher crashes the server");
    memset(back, 0, sizeof(back));
    EXPECT_EQ(fs_read("/big", back, sizeof(back)), BIG_SIZE, "read /big after the restart");
    EXPECT(memcmp(big, back, BIG_SIZE) == 0, "/big differs after the restart");
    return 1;
}

static int t_persisted(void)
{
    char buf[64];
    memset(buf, 0, sizeof(buf));
    EXPECT_EQ(fs_read("/persist/note", buf, sizeof(buf) - 1), strlen(NOTE), "read /persist/note");
    EXPECT(strcmp(buf, NOTE) == 0, "/persist/note holds '%s'", buf);
    pattern(big, BIG_SIZE, 7);
    EXPECT_EQ(fs_read("/big", back, sizeof(back)), BIG_SIZE, "read /big");
    EXPECT(memcmp(big, back, BIG_SIZE) == 0, "/big changed across the reboot");
    EXPECT(!listed("/", "a.txt", 0, 2), "removed /a.txt is back");
    return 1;
}

static void run(const char *name, int (*fn)(void))
{
    failure[0] = '\0';
    if (fn())
        printf("[PASS] %s\n", name);
    else
        printf("[FAIL] %s: %s\n", name, failure);
}

void init(void)
{
    fs_client_init(FS_CH, (void *)fs_buf, fs_buf_size);
    char c;
    long r = fs_read("/persist/note", &c, 1);
    if (r == FS_ENOENT) {
        printf("fstest: first boot\n");
        run("FS_0101", t_mkfs_file);
        run("FS_0102", t_small_file);
        run("FS_0103", t_big_file);
        run("FS_0104", t_directories);
        run("FS_0105", t_remove);
        run("FS_0106", t_limits);
        run("FS_0107", t_crash_fs);
        run("FS_0108", t_crash_blk);
        run("FS_0114", t_restarted);
        if (fs_mkdir("/persist") != FS_OK ||
            fs_write("/persist/note", NOTE, strlen(NOTE)) != FS_OK)
            printf("fstest: error: cannot leave /persist/note for the second boot\n");
        printf("fstest: first boot done\n");
    } else {
        printf("fstest: second boot\n");
        run("FS_0110", t_persisted);
        printf("fstest: second boot done\n");
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}
