/*
 * The file server PD: fscore (the on-disk file system) over the virtio-blk
 * driver PD, serving clients through protected procedure calls and one
 * shared buffer per client (fsproto.h; clients use client.c).
 *
 * What the system description gives it:
 *   channel 0, pp="true" on this end   to the blk driver
 *   blk_data region mapped             setvar_vaddr="fs_blk_data", setvar_size="fs_blk_data_size"
 *   channels 1..FS_MAX_CLIENTS         one per client (pp="true" on the client's end)
 *   each client's buffer mapped        setvar_vaddr="fs_client<ch>_buf",
 *                                      setvar_size="fs_client<ch>_size"
 * The blk driver must have a higher priority than the server, the server
 * a higher one than its clients (a ppcall goes up in priority).
 *
 * Mounting happens in init() (again after every restart): a disk that
 * fails the check is mounted read-only, a bad superblock refuses it (every
 * request then fails with FS_EIO, and the mount is retried at the next
 * request).  The result is printed as one line.
 */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arca/monitor.h>

#include "../blk/blk.h"
#include "fscore.h"
#include "fsproto.h"

#define BLK_CH 0
#define FS_MAX_CLIENTS 4
#define SECTORS_PER_BLOCK (FSC_BLOCK_SIZE / BLK_SECTOR_SIZE)

/* Patched in by the system initialiser; 0 when not given. */
uintptr_t fs_blk_data;
uint64_t fs_blk_data_size;
uintptr_t fs_client1_buf, fs_client2_buf, fs_client3_buf, fs_client4_buf;
uint64_t fs_client1_size, fs_client2_size, fs_client3_size, fs_client4_size;

static struct fscore fs;
static struct fsc_blockdev disk;

/* --- the block device: ppcalls to the driver ------------------------------ */

static int blk_call(uint64_t op, uint32_t block)
{
    microkit_mr_set(0, (uint64_t)block * SECTORS_PER_BLOCK);
    microkit_mr_set(1, SECTORS_PER_BLOCK);
    microkit_msginfo r = microkit_ppcall(BLK_CH, microkit_msginfo_new(op, 2));
    return microkit_msginfo_get_label(r) == BLK_OK ? 0 : -1;
}

static int blk_read(void *ctx, uint32_t block, void *buf)
{
    (void)ctx;
    if (blk_call(BLK_OP_READ, block) != 0)
        return -1;
    memcpy(buf, (const void *)fs_blk_data, FSC_BLOCK_SIZE);
    return 0;
}

static int blk_write(void *ctx, uint32_t block, const void *buf)
{
    (void)ctx;
    memcpy((void *)fs_blk_data, buf, FSC_BLOCK_SIZE);
    return blk_call(BLK_OP_WRITE, block);
}

static void mount(void)
{
    if (fs_blk_data == 0 || fs_blk_data_size < FSC_BLOCK_SIZE) {
        printf("fs: error: the blk data region is not mapped (fs_blk_data, >= 4 KiB)\n");
        return;
    }
    microkit_msginfo r = microkit_ppcall(BLK_CH, microkit_msginfo_new(BLK_OP_INFO, 0));
    if (microkit_msginfo_get_label(r) != BLK_OK || microkit_msginfo_get_count(r) < 1) {
        printf("fs: error: the block driver has no disk (reply %lu); not mounted\n",
               (unsigned long)microkit_msginfo_get_label(r));
        return;
    }
    uint64_t sectors = microkit_mr_get(0);
    uint64_t blocks = sectors / SECTORS_PER_BLOCK;
    disk.ctx = NULL;
    disk.blocks = blocks > FSC_MAX_BLOCKS ? FSC_MAX_BLOCKS : (uint32_t)blocks;
    disk.read = blk_read;
    disk.write = blk_write;
    int m = fscore_mount(&fs, &disk);
    if (m == FSC_READWRITE)
        printf("fs: mounted, %u of %u KiB free\n", (unsigned)(fs.free_blocks * 4),
               (unsigned)(fs.sb.total_blocks * 4));
    else if (m == FSC_READONLY)
        printf("fs: error: %s; mounted read-only\n", fs.error);
    else
        printf("fs: error: %s; not mounted\n", fs.error);
}

void init(void)
{
    mount();
}

void notified(microkit_channel ch)
{
    (void)ch;   /* nothing signals the server */
}

/* --- requests ------------------------------------------------------------ */

static uint8_t *client_buffer(microkit_channel ch, size_t *size)
{
    uintptr_t buf[FS_MAX_CLIENTS] = { fs_client1_buf, fs_client2_buf, fs_client3_buf,
                                      fs_client4_buf };
    uint64_t sizes[FS_MAX_CLIENTS] = { fs_client1_size, fs_client2_size, fs_client3_size,
                                       fs_client4_size };
    if (ch < 1 || ch > FS_MAX_CLIENTS || buf[ch - 1] == 0 || sizes[ch - 1] < FSP_MIN_BUFFER)
        return NULL;
    *size = sizes[ch - 1];
    return (uint8_t *)buf[ch - 1];
}

/* Decodes and runs one request; returns the result for MR0. */
static long serve(uint8_t *shared, size_t size, uint64_t op, uint64_t nmr,
                  uint64_t a0, uint64_t a1)
{
    /* The path is copied out first: the client may change the buffer while
     * the request runs. */
    char path[FSP_PATH_BYTES];
    memcpy(path, shared, sizeof(path));
    if (memchr(path, '\0', sizeof(path)) == NULL)
        return FS_EINVAL;
    uint8_t *data = shared + FSP_DATA_OFF;
    size_t room = size - FSP_DATA_OFF;

    if (fs.state == FSC_UNMOUNTED)
        mount();
    if (fs.state == FSC_UNMOUNTED)
        return FS_EIO;
    switch (op) {
    case FSP_READ:
        if (nmr < 2 || a1 > room)
            return FS_EINVAL;
        return fscore_read(&fs, path, a0, data, a1);
    case FSP_WRITE:
        if (nmr < 1 || a0 > room)
            return a0 > room ? FS_ETOOBIG : FS_EINVAL;
        return fscore_write(&fs, path, data, a0);
    case FSP_MKDIR:
        return fscore_mkdir(&fs, path);
    case FSP_REMOVE:
        return fscore_remove(&fs, path);
    case FSP_LIST:
        if (nmr < 2 || a0 > UINT32_MAX || a1 > room / sizeof(struct fs_dirent))
            return FS_EINVAL;
        return fscore_list(&fs, path, (uint32_t)a0, (struct fs_dirent *)data, a1);
    default:
        return FS_EINVAL;
    }
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    uint64_t op = microkit_msginfo_get_label(msg);
    uint64_t nmr = microkit_msginfo_get_count(msg);
    uint64_t a0 = nmr > 0 ? microkit_mr_get(0) : 0;
    uint64_t a1 = nmr > 1 ? microkit_mr_get(1) : 0;
    size_t size = 0;
    uint8_t *shared = client_buffer(ch, &size);
    long r = shared == NULL ? FS_EINVAL : serve(shared, size, op, nmr, a0, a1);
    microkit_mr_set(0, (uint64_t)r);
    return microkit_msginfo_new(0, 1);
}
