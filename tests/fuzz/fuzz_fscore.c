/*
 * Fuzz target: the file system core (user/components/fs/fscore.c,
 * fscheck.c) on a hostile disk.
 *
 * A small file system with files (one with an indirect block) and nested
 * directories is built once; each input is a list of 3-byte patches
 * (offset low, offset high, value) written into its first 16 blocks
 * (superblock, bitmap, inode table, directories, the indirect block, data).
 * The patched disk is mounted and a fixed series of operations runs on it.
 * Nothing may read or write outside the disk or the caller's buffers (ASan,
 * and the RAM device refuses block numbers past its end), and:
 *   - on a read-only or refused mount every change fails with FS_EIO;
 *   - on a clean mount the operations keep it clean: a fresh mount after
 *     them is read-write again with the same free counts;
 *   - results are in range (bytes read <= asked, entries <= asked).
 */
#include "fuzz_common.h"
#include "../../user/components/fs/fscore.h"

#define BLOCKS 64u
#define PATCHED_BYTES (16u * FSC_BLOCK_SIZE)

static uint8_t base[BLOCKS * FSC_BLOCK_SIZE], disk[BLOCKS * FSC_BLOCK_SIZE];
static uint8_t buf[70000];
static struct fscore fs, again;

static int ram_read(void *ctx, uint32_t block, void *out)
{
    uint8_t *d = ctx;
    FZ_CHECK(block < BLOCKS);
    memcpy(out, d + (size_t)block * FSC_BLOCK_SIZE, FSC_BLOCK_SIZE);
    return 0;
}

static int ram_write(void *ctx, uint32_t block, const void *in)
{
    uint8_t *d = ctx;
    FZ_CHECK(block < BLOCKS);
    memcpy(d + (size_t)block * FSC_BLOCK_SIZE, in, FSC_BLOCK_SIZE);
    return 0;
}

static void build_base(void)
{
    struct fsc_blockdev dev = { base, BLOCKS, ram_read, ram_write };
    FZ_CHECK(fscore_format(&dev, 0, 64) == FS_OK);
    FZ_CHECK(fscore_mount(&fs, &dev) == FSC_READWRITE);
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 13 + 5);
    FZ_CHECK(fscore_write(&fs, "/a", buf, 100) == FS_OK);
    FZ_CHECK(fscore_mkdir(&fs, "/d") == FS_OK);
    FZ_CHECK(fscore_write(&fs, "/d/b", buf, 60000) == FS_OK);
    FZ_CHECK(fscore_mkdir(&fs, "/d/e") == FS_OK);
    FZ_CHECK(fscore_write(&fs, "/d/e/f", buf, 5000) == FS_OK);
    FZ_CHECK(fscore_write(&fs, "/z", "", 0) == FS_OK);
}

/* A change: FS_EIO unless mounted read-write; otherwise a valid code. */
static void change(long r, int writable)
{
    if (!writable)
        FZ_CHECK(r == FS_EIO);
    else
        FZ_CHECK(r <= 0 && r >= FS_ETOOBIG);
}

static void reads(void)
{
    static const char *paths[] = { "/", "/a", "/d", "/d/b", "/d/e", "/d/e/f", "/z", "/none",
                                   "/d/e/f/g", "/new" };
    struct fs_dirent ents[8];
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        long r = fscore_read(&fs, paths[i], 0, buf, sizeof(buf));
        FZ_CHECK(r <= (long)sizeof(buf) && r >= FS_ETOOBIG);
        r = fscore_read(&fs, paths[i], 4000, buf, 9000);
        FZ_CHECK(r <= 9000 && r >= FS_ETOOBIG);
        r = fscore_list(&fs, paths[i], 0, ents, 8);
        FZ_CHECK(r <= 8 && r >= FS_ETOOBIG);
        for (long k = 0; k < r; k++)
            FZ_CHECK(memchr(ents[k].name, '\0', sizeof(ents[k].name)) != NULL);
        r = fscore_list(&fs, paths[i], 3, ents, 2);
        FZ_CHECK(r <= 2 && r >= FS_ETOOBIG);
        r = fscore_stat(&fs, paths[i], ents);
        FZ_CHECK(r <= 0 && r >= FS_ETOOBIG);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        build_base();
        ready = 1;
    }
    memcpy(disk, base, sizeof(disk));
    for (size_t i = 0; i + 3 <= size; i += 3) {
        size_t off = ((size_t)data[i] | (size_t)data[i + 1] << 8) % PATCHED_BYTES;
        disk[off] = data[i + 2];
    }
    struct fsc_blockdev dev = { disk, BLOCKS, ram_read, ram_write };
    int m = fscore_mount(&fs, &dev);
    FZ_CHECK(m == FSC_READWRITE || m == FSC_READONLY || m == FS_EIO);
    FZ_CHECK(memchr(fs.error, '\0', sizeof(fs.error)) != NULL);
    FZ_CHECK((m == FSC_READWRITE) == (fs.error[0] == '\0'));
    int writable = m == FSC_READWRITE;

    reads();
    change(fscore_write(&fs, "/new", buf, 5000), writable);
    change(fscore_mkdir(&fs, "/x"), writable);
    change(fscore_write(&fs, "/d/b", buf, 20000), writable);
    change(fscore_remove(&fs, "/a"), writable);
    change(fscore_remove(&fs, "/d/e/f"), writable);
    change(fscore_remove(&fs, "/d/e"), writable);
    change(fscore_write(&fs, "/d/e", buf, 10), writable);
    change(fscore_write(&fs, "/big", buf, sizeof(buf)), writable);
    reads();

    if (writable) {
        FZ_CHECK(fs.state == FSC_READWRITE);
        int m2 = fscore_mount(&again, &dev);
        if (m2 != FSC_READWRITE)
            fz_fail(__FILE__, __LINE__, "a clean disk became inconsistent: %s", again.error);
        FZ_CHECK(again.free_blocks == fs.free_blocks);
        FZ_CHECK(again.free_inodes == fs.free_inodes);
    }
    return 0;
}
