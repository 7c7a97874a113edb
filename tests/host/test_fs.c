/*
 * user/components/fs/fscore.c and fscheck.c over a RAM-backed block
 * device: operations, limits, persistence across mounts, and the mount
 * check against corrupted disks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../user/components/fs/fscore.h"

#define DISK_BLOCKS 256u        /* 1 MiB */

static uint8_t disk[FSC_MAX_BLOCKS / 64 * FSC_BLOCK_SIZE];   /* 4 MiB */
static uint32_t disk_blocks;
static long fail_writes_after = -1;    /* -1: never; else writes left */
static int fail_reads;

static int ram_read(void *ctx, uint32_t block, void *buf)
{
    (void)ctx;
    if (fail_reads || block >= disk_blocks)
        return -1;
    memcpy(buf, disk + (size_t)block * FSC_BLOCK_SIZE, FSC_BLOCK_SIZE);
    return 0;
}

static int ram_write(void *ctx, uint32_t block, const void *buf)
{
    (void)ctx;
    if (block >= disk_blocks)
        return -1;
    if (fail_writes_after == 0)
        return -1;
    if (fail_writes_after > 0)
        fail_writes_after--;
    memcpy(disk + (size_t)block * FSC_BLOCK_SIZE, buf, FSC_BLOCK_SIZE);
    return 0;
}

static struct fsc_blockdev dev = { NULL, 0, ram_read, ram_write };
static struct fscore fs;

/* A fresh, formatted and mounted disk of `blocks` blocks. */
static void fresh(uint32_t blocks, uint32_t inodes)
{
    memset(disk, 0xA5, sizeof(disk));   /* formatting must not rely on zeroes */
    disk_blocks = blocks;
    dev.blocks = blocks;
    fail_writes_after = -1;
    fail_reads = 0;
    CHECK_EQ(fscore_format(&dev, 0, inodes), FS_OK);
    CHECK_EQ(fscore_mount(&fs, &dev), FSC_READWRITE);
    CHECK_STR(fs.error, "");
}

static void remount_clean(void)
{
    static struct fscore again;
    int r = fscore_mount(&again, &dev);
    if (r != FSC_READWRITE)
        host_fail(__FILE__, __LINE__, "remount gave %d: %s", r, again.error);
    CHECK_EQ(again.free_blocks, fs.free_blocks);
    CHECK_EQ(again.free_inodes, fs.free_inodes);
    CHECK_EQ(fscore_mount(&fs, &dev), FSC_READWRITE);
}

static void pattern(uint8_t *buf, size_t len, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
}

static uint8_t big[FSC_MAX_FILE_SIZE + FSC_BLOCK_SIZE];
static uint8_t back[FSC_MAX_FILE_SIZE + FSC_BLOCK_SIZE];

HOST_TEST(FS_0001)  /* format and mount: empty root, free counts */
{
    fresh(DISK_BLOCKS, 0);
    struct fs_dirent d;
    CHECK_EQ(fscore_stat(&fs, "/", &d), FS_OK);
    CHECK_STR(d.name, "/");
    CHECK_EQ(d.is_dir, 1);
    CHECK_EQ(d.size, 0);
    struct fs_dirent list[4];
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 4), 0);
    /* superblock + 1 bitmap + 32 inodes -> 1 inode block; 253 free */
    CHECK_EQ(fs.sb.inode_count, 64);
    CHECK_EQ(fs.free_blocks, DISK_BLOCKS - 3);
    CHECK_EQ(fs.free_inodes, 64 - 2);
    CHECK_EQ(fscore_format(&dev, 4, 0), FS_EINVAL);           /* too small */
    CHECK_EQ(fscore_format(&dev, DISK_BLOCKS + 1, 0), FS_EINVAL); /* beyond the device */
}

HOST_TEST(FS_0002)  /* create a small file, read it back, list it */
{
    fresh(DISK_BLOCKS, 0);
    const char *text = "hello, arca\n";
    CHECK_EQ(fscore_write(&fs, "/hello.txt", text, strlen(text)), FS_OK);
    char buf[64];
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(fscore_read(&fs, "/hello.txt", 0, buf, sizeof(buf)), strlen(text));
    CHECK_STR(buf, text);
    CHECK_EQ(fscore_read(&fs, "/hello.txt", 7, buf, 4), 4);
    CHECK(memcmp(buf, "arca", 4) == 0);
    CHECK_EQ(fscore_read(&fs, "/hello.txt", 12, buf, 4), 0);
    CHECK_EQ(fscore_read(&fs, "/hello.txt", 1000, buf, 4), 0);
    struct fs_dirent list[4];
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 4), 1);
    CHECK_STR(list[0].name, "hello.txt");
    CHECK_EQ(list[0].is_dir, 0);
    CHECK_EQ(list[0].size, strlen(text));
    CHECK_EQ(fscore_write(&fs, "/empty", "", 0), FS_OK);
    CHECK_EQ(fscore_read(&fs, "/empty", 0, buf, sizeof(buf)), 0);
    CHECK_EQ(fscore_read(&fs, "/nothing", 0, buf, sizeof(buf)), FS_ENOENT);
    remount_clean();
}

HOST_TEST(FS_0003)  /* files of 64 KiB and more (indirect block), offsets */
{
    fresh(DISK_BLOCKS * 4, 0);
    uint32_t before = fs.free_blocks;
    size_t sizes[] = { 65536, 65536 + 1, 12 * 4096, 12 * 4096 + 1, 700000 };
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t n = sizes[k];
        pattern(big, n, k);
        CHECK_EQ(fscore_write(&fs, "/big", big, n), FS_OK);
        memset(back, 0, n);
        CHECK_EQ(fscore_read(&fs, "/big", 0, back, n + 100), n);
        CHECK(memcmp(big, back, n) == 0);
        /* A read crossing blocks, from an odd offset. */
        CHECK_EQ(fscore_read(&fs, "/big", 4000, back, 10000), 10000);
        CHECK(memcmp(big + 4000, back, 10000) == 0);
        uint32_t blocks = (uint32_t)((n + 4095) / 4096);
        /* data, the indirect block past 12, and the root's first block */
        CHECK_EQ(before - fs.free_blocks, blocks + (blocks > 12 ? 1 : 0) + 1);
        remount_clean();
    }
    pattern(big, FSC_MAX_FILE_SIZE, 9);
    CHECK_EQ(fscore_write(&fs, "/big", big, FSC_MAX_FILE_SIZE + 1), FS_ENOSPC);
}

HOST_TEST(FS_0004)  /* replace grows and shrinks; freed blocks come back */
{
    fresh(DISK_BLOCKS, 0);
    uint32_t before = fs.free_blocks;
    pattern(big, 100000, 1);
    CHECK_EQ(fscore_write(&fs, "/f", big, 100000), FS_OK);
    CHECK_EQ(fscore_write(&fs, "/f", "short", 5), FS_OK);
    CHECK_EQ(before - fs.free_blocks, 2);   /* the file's block and the root's */
    char buf[16];
    CHECK_EQ(fscore_read(&fs, "/f", 0, buf, sizeof(buf)), 5);
    CHECK(memcmp(buf, "short", 5) == 0);
    pattern(big, 60000, 2);
    CHECK_EQ(fscore_write(&fs, "/f", big, 60000), FS_OK);
    CHECK_EQ(fscore_read(&fs, "/f", 0, back, sizeof(back)), 60000);
    CHECK(memcmp(big, back, 60000) == 0);
    CHECK_EQ(fscore_remove(&fs, "/f"), FS_OK);
    CHECK_EQ(fs.free_blocks, before);       /* the emptied root gives its block back */
    remount_clean();
}

HOST_TEST(FS_0005)  /* nested directories and the errors around them */
{
    fresh(DISK_BLOCKS, 0);
    CHECK_EQ(fscore_mkdir(&fs, "/a"), FS_OK);
    CHECK_EQ(fscore_mkdir(&fs, "/a/b"), FS_OK);
    CHECK_EQ(fscore_mkdir(&fs, "/a/b/c/"), FS_OK);
    CHECK_EQ(fscore_write(&fs, "/a/b/c/f", "deep", 4), FS_OK);
    CHECK_EQ(fscore_write(&fs, "/a/top", "x", 1), FS_OK);
    char buf[8];
    CHECK_EQ(fscore_read(&fs, "/a/b/c/f", 0, buf, sizeof(buf)), 4);
    CHECK(memcmp(buf, "deep", 4) == 0);
    struct fs_dirent list[4];
    CHECK_EQ(fscore_list(&fs, "/a", 0, list, 4), 2);
    CHECK_STR(list[0].name, "b");
    CHECK_EQ(list[0].is_dir, 1);
    CHECK_STR(list[1].name, "top");
    CHECK_EQ(list[1].is_dir, 0);
    CHECK_EQ(fscore_list(&fs, "/a/b/", 0, list, 4), 1);
    CHECK_EQ(fscore_mkdir(&fs, "/a"), FS_EEXIST);
    CHECK_EQ(fscore_mkdir(&fs, "/"), FS_EEXIST);
    CHECK_EQ(fscore_mkdir(&fs, "/x/y"), FS_ENOENT);
    CHECK_EQ(fscore_write(&fs, "/x/y", "z", 1), FS_ENOENT);
    CHECK_EQ(fscore_write(&fs, "/a", "z", 1), FS_EISDIR);
    CHECK_EQ(fscore_write(&fs, "/", "z", 1), FS_EISDIR);
    CHECK_EQ(fscore_read(&fs, "/a", 0, buf, 1), FS_EISDIR);
    CHECK_EQ(fscore_mkdir(&fs, "/a/top/sub"), FS_ENOTDIR);
    CHECK_EQ(fscore_read(&fs, "/a/top/sub", 0, buf, 1), FS_ENOTDIR);
    CHECK_EQ(fscore_list(&fs, "/a/top", 0, list, 4), FS_ENOTDIR);
    CHECK_EQ(fscore_list(&fs, "/nope", 0, list, 4), FS_ENOENT);
    /* Same name in different directories is fine. */
    CHECK_EQ(fscore_write(&fs, "/a/b/top", "y", 1), FS_OK);
    CHECK_EQ(fscore_read(&fs, "/a/b/top", 0, buf, 1), 1);
    CHECK_EQ(buf[0], 'y');
    remount_clean();
}

HOST_TEST(FS_0006)  /* remove files and directories */
{
    fresh(DISK_BLOCKS, 0);
    uint32_t blocks = fs.free_blocks, inodes = fs.free_inodes;
    CHECK_EQ(fscore_mkdir(&fs, "/d"), FS_OK);
    CHECK_EQ(fscore_write(&fs, "/d/f", "data", 4), FS_OK);
    CHECK_EQ(fscore_remove(&fs, "/d"), FS_ENOTEMPTY);
    CHECK_EQ(fscore_remove(&fs, "/"), FS_EINVAL);
    CHECK_EQ(fscore_remove(&fs, "/d/none"), FS_ENOENT);
    CHECK_EQ(fscore_remove(&fs, "/d/f"), FS_OK);
    CHECK_EQ(fscore_remove(&fs, "/d/f"), FS_ENOENT);
    CHECK_EQ(fscore_remove(&fs, "/d"), FS_OK);
    CHECK_EQ(fs.free_blocks, blocks);
    CHECK_EQ(fs.free_inodes, inodes);
    struct fs_dirent list[2];
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 2), 0);
    remount_clean();
}

HOST_TEST(FS_0007)  /* fill the disk: ENOSPC changes nothing, delete frees */
{
    fresh(64, 0);   /* 64 blocks, 3 of metadata */
    pattern(big, 8 * 4096, 3);
    int files = 0;
    char name[32];
    long r;
    for (;;) {
        snprintf(name, sizeof(name), "/f%d", files);
        r = fscore_write(&fs, name, big, 8 * 4096);
        if (r != FS_OK)
            break;
        files++;
    }
    CHECK_EQ(r, FS_ENOSPC);
    CHECK_EQ(files, 7);     /* 61 free data blocks, one goes to the root */
    uint32_t left = fs.free_blocks;
    CHECK(left < 8);
    /* A partial fit fails too, and leaves the space as it was. */
    CHECK_EQ(fscore_write(&fs, "/f0", big, 16 * 4096), FS_ENOSPC);
    CHECK_EQ(fs.free_blocks, left);
    CHECK_EQ(fscore_read(&fs, "/f0", 0, back, sizeof(back)), 8 * 4096);
    CHECK(memcmp(big, back, 8 * 4096) == 0);
    remount_clean();
    CHECK_EQ(fscore_remove(&fs, "/f2"), FS_OK);
    CHECK_EQ(fs.free_blocks, left + 8);
    CHECK_EQ(fscore_write(&fs, "/again", big, 8 * 4096), FS_OK);
    remount_clean();
}

HOST_TEST(FS_0008)  /* persistence: a second mount sees the same tree */
{
    fresh(DISK_BLOCKS, 0);
    CHECK_EQ(fscore_mkdir(&fs, "/etc"), FS_OK);
    CHECK_EQ(fscore_write(&fs, "/etc/motd", "welcome", 7), FS_OK);
    pattern(big, 70000, 4);
    CHECK_EQ(fscore_write(&fs, "/blob", big, 70000), FS_OK);
    static struct fscore other;
    CHECK_EQ(fscore_mount(&other, &dev), FSC_READWRITE);
    char buf[16];
    CHECK_EQ(fscore_read(&other, "/etc/motd", 0, buf, sizeof(buf)), 7);
    CHECK(memcmp(buf, "welcome", 7) == 0);
    CHECK_EQ(fscore_read(&other, "/blob", 0, back, sizeof(back)), 70000);
    CHECK(memcmp(big, back, 70000) == 0);
    struct fs_dirent list[4];
    CHECK_EQ(fscore_list(&other, "/", 0, list, 4), 2);
    CHECK_STR(list[0].name, "etc");
    CHECK_STR(list[1].name, "blob");
    CHECK_EQ(list[1].size, 70000);
}

/* Mounting the current disk must give `want` and exactly this message. */
static void expect_mount(int want, const char *msg)
{
    static struct fscore m;
    int r = fscore_mount(&m, &dev);
    if (r != want || strcmp(m.error, msg) != 0)
        host_fail(__FILE__, __LINE__, "mount gave %d \"%s\", wanted %d \"%s\"", r, m.error,
                  want, msg);
}

static void put32_at(uint32_t block, uint32_t off, uint32_t v)
{
    uint8_t *p = disk + (size_t)block * FSC_BLOCK_SIZE + off;
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void reseal_super(void)
{
    put32_at(0, 48, fscore_crc32(disk, 48));
}

HOST_TEST(FS_0009)  /* a bad superblock refuses the mount */
{
    fresh(DISK_BLOCKS, 0);
    static uint8_t good[FSC_BLOCK_SIZE];
    memcpy(good, disk, FSC_BLOCK_SIZE);
    disk[0] = 'X';
    expect_mount(FS_EIO, "bad superblock: no ARCA-FS magic in block 0");
    memcpy(disk, good, FSC_BLOCK_SIZE);
    put32_at(0, 8, 2);
    expect_mount(FS_EIO, "bad superblock: version 2, this server knows 1");
    memcpy(disk, good, FSC_BLOCK_SIZE);
    disk[100] ^= 1;     /* outside the checksummed bytes: still fine */
    expect_mount(FSC_READWRITE, "");
    put32_at(0, 16, DISK_BLOCKS - 1);
    char msg[FSC_ERROR_MAX];
    snprintf(msg, sizeof(msg), "bad superblock: checksum 0x%08x, contents give 0x%08x",
             (unsigned)fscore_crc32(good, 48), (unsigned)fscore_crc32(disk, 48));
    expect_mount(FS_EIO, msg);
    /* Resealed but impossible geometry. */
    struct { uint32_t off, value; const char *msg; } cases[] = {
        { 12, 512, "bad superblock: block size is not 4096" },
        { 16, 4, "bad superblock: block count out of range" },
        { 16, DISK_BLOCKS + 1, "bad superblock: file system is larger than the device" },
        { 24, 2, "bad superblock: bitmap location or size wrong" },
        { 36, 65, "bad superblock: inode table location or size wrong" },
        { 40, 2, "bad superblock: data area location wrong" },
        { 44, 2, "bad superblock: root inode is not 1" },
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        memcpy(disk, good, FSC_BLOCK_SIZE);
        put32_at(0, cases[k].off, cases[k].value);
        reseal_super();
        expect_mount(FS_EIO, cases[k].msg);
    }
    memcpy(disk, good, FSC_BLOCK_SIZE);
    fail_reads = 1;
    expect_mount(FS_EIO, "cannot read the superblock (block 0)");
    fail_reads = 0;
    expect_mount(FSC_READWRITE, "");
}

static uint32_t get32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *inode_at(uint32_t ino)
{
    return disk + (size_t)(fs.sb.inode_start + ino / FSC_INODES_PER_BLOCK) * FSC_BLOCK_SIZE +
           (ino % FSC_INODES_PER_BLOCK) * FSC_INODE_SIZE;
}

/* Direct block pointer i of inode ino, as on the disk. */
static uint32_t direct_of(uint32_t ino, unsigned i)
{
    return get32_at(inode_at(ino) + 8 + 4 * i);
}

/* Entry e of the first block of directory inode ino. */
static uint8_t *dirent_at(uint32_t ino, unsigned e)
{
    return disk + (size_t)direct_of(ino, 0) * FSC_BLOCK_SIZE + e * FSC_DIRENT_SIZE;
}

static void set32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void bitmap_flip(uint32_t b)
{
    disk[(size_t)FSC_BLOCK_SIZE + b / 8] ^= (uint8_t)(1u << (b % 8));
}

HOST_TEST(FS_0010)  /* bitmap against the inodes: read-only mount */
{
    fresh(DISK_BLOCKS, 0);
    CHECK_EQ(fscore_write(&fs, "/f", "0123456789", 10), FS_OK);   /* inode 2 */
    uint32_t b = direct_of(2, 0);
    CHECK(b >= fs.sb.data_start);
    bitmap_flip(b);         /* the file's block now looks free */
    char msg[FSC_ERROR_MAX];
    snprintf(msg, sizeof(msg), "block %u of inode 2 is free in the bitmap", (unsigned)b);
    expect_mount(FSC_READONLY, msg);
    /* Read-only: reads work, changes fail. */
    CHECK_EQ(fscore_mount(&fs, &dev), FSC_READONLY);
    char buf[16];
    CHECK_EQ(fscore_read(&fs, "/f", 0, buf, sizeof(buf)), 10);
    CHECK(memcmp(buf, "0123456789", 10) == 0);
    struct fs_dirent list[2];
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 2), 1);
    CHECK_EQ(fscore_write(&fs, "/g", "x", 1), FS_EIO);
    CHECK_EQ(fscore_mkdir(&fs, "/d"), FS_EIO);
    CHECK_EQ(fscore_remove(&fs, "/f"), FS_EIO);
    bitmap_flip(b);
    expect_mount(FSC_READWRITE, "");
    bitmap_flip(DISK_BLOCKS - 1);   /* a block marked used that nobody owns */
    snprintf(msg, sizeof(msg), "block %u is marked used but belongs to no inode",
             DISK_BLOCKS - 1);
    expect_mount(FSC_READONLY, msg);
    bitmap_flip(DISK_BLOCKS - 1);
    bitmap_flip(1);         /* the bitmap block itself */
    expect_mount(FSC_READONLY, "metadata block 1 is free in the bitmap");
    bitmap_flip(1);
    bitmap_flip(DISK_BLOCKS + 3);
    snprintf(msg, sizeof(msg), "bitmap marks block %u beyond the end of the file system",
             DISK_BLOCKS + 3);
    expect_mount(FSC_READONLY, msg);
    bitmap_flip(DISK_BLOCKS + 3);
    expect_mount(FSC_READWRITE, "");
}

HOST_TEST(FS_0011)  /* inodes and directory entries */
{
    fresh(DISK_BLOCKS, 0);
    CHECK_EQ(fscore_mkdir(&fs, "/d"), FS_OK);            /* inode 2 */
    CHECK_EQ(fscore_write(&fs, "/d/f", "", 0), FS_OK);   /* inode 3, no blocks */
    CHECK_EQ(fscore_write(&fs, "/d/g", "", 0), FS_OK);   /* inode 4 */
    CHECK_EQ(fscore_write(&fs, "/a", "A", 1), FS_OK);    /* inode 5 */
    CHECK_EQ(fscore_write(&fs, "/b", "B", 1), FS_OK);    /* inode 6 */
    static uint8_t good[DISK_BLOCKS * FSC_BLOCK_SIZE];
    memcpy(good, disk, sizeof(good));
    char msg[FSC_ERROR_MAX];

    inode_at(3)[0] = 0;     /* the file's inode freed behind the directory's back */
    expect_mount(FSC_READONLY, "directory inode 2: entry 'f' points at free inode 3");
    memcpy(disk, good, sizeof(good));
    inode_at(3)[0] = 7;
    expect_mount(FSC_READONLY, "inode 3 has unknown type 7");
    memcpy(disk, good, sizeof(good));
    set32(dirent_at(2, 0), 0);  /* the entry removed, the inode left in use */
    expect_mount(FSC_READONLY, "inode 3 is in use but in no directory");
    memcpy(disk, good, sizeof(good));
    dirent_at(2, 0)[5] = '/';
    expect_mount(FSC_READONLY, "directory inode 2: entry 0 has a bad name");
    memcpy(disk, good, sizeof(good));
    set32(dirent_at(2, 0), 999);
    expect_mount(FSC_READONLY, "directory inode 2: entry 'f' points at invalid inode 999");
    memcpy(disk, good, sizeof(good));
    set32(dirent_at(2, 0), 1);
    expect_mount(FSC_READONLY, "directory inode 2: entry 'f' points at invalid inode 1");
    memcpy(disk, good, sizeof(good));
    dirent_at(2, 1)[4] = 'f';   /* "g" renamed to "f" */
    expect_mount(FSC_READONLY, "directory inode 2: name 'f' appears twice");
    memcpy(disk, good, sizeof(good));
    set32(dirent_at(2, 1), 3);  /* "g" names inode 3 too */
    expect_mount(FSC_READONLY, "inode 3 is named twice (again as 'g' in directory inode 2)");
    memcpy(disk, good, sizeof(good));
    set32(inode_at(6) + 8, direct_of(5, 0));    /* /b's block pointer at /a's block */
    snprintf(msg, sizeof(msg), "block %u is used twice (again by inode 6)",
             (unsigned)direct_of(5, 0));
    expect_mount(FSC_READONLY, msg);
    memcpy(disk, good, sizeof(good));
    set32(inode_at(6) + 8, 2);
    expect_mount(FSC_READONLY, "inode 6 points at block 2 outside the data area");
    memcpy(disk, good, sizeof(good));
    set32(inode_at(6) + 8 + 4 * 5, direct_of(5, 0));
    expect_mount(FSC_READONLY, "inode 6 has a block pointer beyond its size");
    memcpy(disk, good, sizeof(good));
    set32(inode_at(6) + 56, direct_of(5, 0));
    expect_mount(FSC_READONLY, "inode 6 has an indirect block it does not need");
    memcpy(disk, good, sizeof(good));
    set32(inode_at(2) + 4, 65);
    expect_mount(FSC_READONLY, "directory inode 2 has bad size 65");
    memcpy(disk, good, sizeof(good));
    set32(inode_at(6) + 4, FSC_MAX_FILE_SIZE + 1);
    snprintf(msg, sizeof(msg), "inode 6 has size %u beyond the maximum", FSC_MAX_FILE_SIZE + 1);
    expect_mount(FSC_READONLY, msg);
    memcpy(disk, good, sizeof(good));
    inode_at(1)[0] = FSC_TYPE_FILE;
    expect_mount(FSC_READONLY, "root inode 1 is not a directory");
    memcpy(disk, good, sizeof(good));
    inode_at(0)[0] = FSC_TYPE_FILE;
    expect_mount(FSC_READONLY, "inode 0 is reserved but in use");
    memcpy(disk, good, sizeof(good));
    expect_mount(FSC_READWRITE, "");
}

HOST_TEST(FS_0012)  /* path validation */
{
    fresh(DISK_BLOCKS, 0);
    const char *bad[] = { "", "a", "//", "/a//b", "/.", "/..", "/a/./b", "/a/../b", NULL };
    char buf[4];
    for (int i = 0; bad[i] != NULL; i++) {
        if (fscore_write(&fs, bad[i], "x", 1) != FS_EINVAL ||
            fscore_mkdir(&fs, bad[i]) != FS_EINVAL ||
            fscore_read(&fs, bad[i], 0, buf, 1) != FS_EINVAL)
            host_fail(__FILE__, __LINE__, "path \"%s\" not rejected", bad[i]);
    }
    CHECK_EQ(fscore_write(&fs, NULL, "x", 1), FS_EINVAL);
    char name[FS_NAME_MAX + 3];
    name[0] = '/';
    memset(name + 1, 'n', FS_NAME_MAX);
    name[FS_NAME_MAX + 1] = '\0';
    CHECK_EQ(fscore_write(&fs, name, "ok", 2), FS_OK);     /* 59 bytes */
    struct fs_dirent list[2];
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 2), 1);
    CHECK_EQ(strlen(list[0].name), FS_NAME_MAX);
    name[FS_NAME_MAX + 1] = 'n';
    name[FS_NAME_MAX + 2] = '\0';
    CHECK_EQ(fscore_write(&fs, name, "no", 2), FS_EINVAL);  /* 60 bytes */
    /* The whole path may be 255 bytes, not 256. */
    char path[FS_PATH_MAX + 2];
    size_t n = 0;
    while (n + 5 <= FS_PATH_MAX - 10) {
        memcpy(path + n, "/dddd", 5);
        n += 5;
        path[n] = '\0';
        CHECK_EQ(fscore_mkdir(&fs, path), FS_OK);
    }
    path[n] = '/';
    memset(path + n + 1, 'e', FS_PATH_MAX - 1 - n);
    path[FS_PATH_MAX] = '\0';
    CHECK_EQ(strlen(path), FS_PATH_MAX);
    CHECK_EQ(fscore_write(&fs, path, "x", 1), FS_OK);
    path[FS_PATH_MAX] = 'e';
    path[FS_PATH_MAX + 1] = '\0';
    CHECK_EQ(fscore_write(&fs, path, "x", 1), FS_EINVAL);
    remount_clean();
}

HOST_TEST(FS_0013)  /* out of inodes; a full directory */
{
    fresh(DISK_BLOCKS, 64);     /* 62 usable inodes */
    char name[32];
    for (int i = 0; i < 62; i++) {
        snprintf(name, sizeof(name), "/n%d", i);
        CHECK_EQ(fscore_write(&fs, name, "", 0), FS_OK);
    }
    CHECK_EQ(fscore_write(&fs, "/one-more", "", 0), FS_ENOSPC);
    CHECK_EQ(fscore_mkdir(&fs, "/dir"), FS_ENOSPC);
    CHECK_EQ(fs.free_inodes, 0);
    remount_clean();
    CHECK_EQ(fscore_remove(&fs, "/n7"), FS_OK);
    CHECK_EQ(fscore_mkdir(&fs, "/dir"), FS_OK);

    fresh(DISK_BLOCKS, 1024);
    for (unsigned i = 0; i < FSC_MAX_DIR_ENTRIES; i++) {
        snprintf(name, sizeof(name), "/e%u", i);
        CHECK_EQ(fscore_write(&fs, name, "", 0), FS_OK);
    }
    CHECK_EQ(fscore_write(&fs, "/full", "", 0), FS_ENOSPC);
    remount_clean();
    /* Removing from the end gives the directory's blocks back. */
    uint32_t free_before = fs.free_blocks;
    for (unsigned i = FSC_MAX_DIR_ENTRIES; i-- > FSC_MAX_DIR_ENTRIES - FSC_DIRENTS_PER_BLOCK;) {
        snprintf(name, sizeof(name), "/e%u", i);
        CHECK_EQ(fscore_remove(&fs, name), FS_OK);
    }
    CHECK_EQ(fs.free_blocks, free_before + 1);
    remount_clean();
}

HOST_TEST(FS_0014)  /* listing in pages; freed slots are reused */
{
    fresh(DISK_BLOCKS, 0);
    char name[32];
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "/f%d", i);
        CHECK_EQ(fscore_write(&fs, name, name, strlen(name)), FS_OK);
    }
    struct fs_dirent list[4];
    int seen = 0;
    for (uint32_t start = 0;; start += 4) {
        long n = fscore_list(&fs, "/", start, list, 4);
        CHECK(n >= 0 && n <= 4);
        for (long k = 0; k < n; k++) {
            snprintf(name, sizeof(name), "f%d", seen++);
            CHECK_STR(list[k].name, name);
            CHECK_EQ(list[k].size, strlen(name) + 1);
        }
        if (n < 4)
            break;
    }
    CHECK_EQ(seen, 10);
    CHECK_EQ(fscore_remove(&fs, "/f3"), FS_OK);
    CHECK_EQ(fscore_list(&fs, "/", 3, list, 1), 1);
    CHECK_STR(list[0].name, "f4");
    CHECK_EQ(fscore_write(&fs, "/new", "n", 1), FS_OK);   /* takes f3's slot */
    CHECK_EQ(fscore_list(&fs, "/", 3, list, 1), 1);
    CHECK_STR(list[0].name, "new");
    CHECK_EQ(fscore_list(&fs, "/", 10, list, 4), 0);
    CHECK_EQ(fscore_list(&fs, "/", 0, list, 0), 0);
}

HOST_TEST(FS_0015)  /* device errors: EIO, and read-only after a failed change */
{
    fresh(DISK_BLOCKS, 0);
    CHECK_EQ(fscore_write(&fs, "/f", "data", 4), FS_OK);
    char buf[8];
    fail_reads = 1;
    CHECK_EQ(fscore_read(&fs, "/f", 0, buf, sizeof(buf)), FS_EIO);
    CHECK_EQ(fs.state, FSC_READWRITE);      /* nothing was changed */
    fail_reads = 0;
    pattern(big, 20000, 5);
    fail_writes_after = 2;      /* dies in the middle of the data */
    CHECK_EQ(fscore_write(&fs, "/g", big, 20000), FS_EIO);
    CHECK_EQ(fs.state, FSC_READONLY);
    CHECK_STR(fs.error, "I/O error during a change; the file system is now read-only");
    CHECK_EQ(fscore_write(&fs, "/h", "x", 1), FS_EIO);
    fail_writes_after = -1;
    /* Nothing reached the inode table: the disk still checks clean, with
     * the data blocks written so far unreferenced and still free. */
    expect_mount(FSC_READWRITE, "");
}

/* Random operations on a small tree against a model kept in memory; the
 * disk must check clean and match the model after every few operations. */
#define MODEL_FILES 12
static struct {
    int exists;
    size_t len;
    uint8_t data[20000];
} model[MODEL_FILES];

static void model_path(char *out, size_t size, int i)
{
    snprintf(out, size, i < MODEL_FILES / 2 ? "/m%d" : "/sub/m%d", i);
}

HOST_TEST(FS_0016)
{
    fresh(48, 0);   /* small, so that ENOSPC happens often */
    memset(model, 0, sizeof(model));
    CHECK_EQ(fscore_mkdir(&fs, "/sub"), FS_OK);
    uint32_t x = 12345;
    char path[32];
    for (int op = 0; op < 3000; op++) {
        x = x * 1103515245u + 12345u;
        int i = (int)((x >> 8) % MODEL_FILES);
        model_path(path, sizeof(path), i);
        if ((x >> 20) % 3 != 0) {
            size_t len = (x >> 4) % sizeof(model[i].data);
            pattern(big, len, (unsigned)op);
            long r = fscore_write(&fs, path, big, len);
            if (r == FS_OK) {
                model[i].exists = 1;
                model[i].len = len;
                memcpy(model[i].data, big, len);
            } else if (r != FS_ENOSPC) {
                host_fail(__FILE__, __LINE__, "op %d: write %s gave %ld", op, path, r);
            }
        } else {
            long r = fscore_remove(&fs, path);
            CHECK_EQ(r, model[i].exists ? FS_OK : FS_ENOENT);
            model[i].exists = 0;
        }
        if (op % 50 == 49) {
            remount_clean();
            for (int k = 0; k < MODEL_FILES; k++) {
                model_path(path, sizeof(path), k);
                long r = fscore_read(&fs, path, 0, back, sizeof(back));
                if (!model[k].exists) {
                    CHECK_EQ(r, FS_ENOENT);
                    continue;
                }
                CHECK_EQ(r, model[k].len);
                CHECK(memcmp(back, model[k].data, model[k].len) == 0);
            }
        }
    }
}
