/*
 * fscore: Arca's on-disk file system (format: docs/filesystem.md) as pure
 * C over a block-device callback interface.  No allocation, no system
 * calls: the file server PD runs it over the virtio-blk driver, the host
 * tests (tests/host/test_fs.c) and the image checker (tools/fsck.c) over a
 * RAM or file-backed device.
 *
 * Everything read from the disk is treated as hostile: block and inode
 * numbers are range-checked on every access, not only by the mount check.
 *
 * Paths are absolute, as in <arca/fs.h>; return values are the FS_E* codes
 * from there.
 */
#ifndef ARCA_FSCORE_H
#define ARCA_FSCORE_H

#include <stddef.h>
#include <stdint.h>

#include <arca/fs.h>

#define FSC_BLOCK_SIZE     4096u
#define FSC_VERSION        1u
#define FSC_MAGIC          "ARCA-FS"      /* 8 bytes with the NUL */
#define FSC_INODE_SIZE     64u
#define FSC_INODES_PER_BLOCK (FSC_BLOCK_SIZE / FSC_INODE_SIZE)
#define FSC_DIRENT_SIZE    64u
#define FSC_DIRENTS_PER_BLOCK (FSC_BLOCK_SIZE / FSC_DIRENT_SIZE)
#define FSC_NDIRECT        12u
#define FSC_PTRS_PER_BLOCK (FSC_BLOCK_SIZE / 4u)
#define FSC_MAX_FILE_BLOCKS (FSC_NDIRECT + FSC_PTRS_PER_BLOCK)
#define FSC_MAX_FILE_SIZE  (FSC_MAX_FILE_BLOCKS * FSC_BLOCK_SIZE)
/* Directories use direct blocks only: at most 12 blocks, 768 entries. */
#define FSC_MAX_DIR_BLOCKS FSC_NDIRECT
#define FSC_MAX_DIR_ENTRIES (FSC_MAX_DIR_BLOCKS * FSC_DIRENTS_PER_BLOCK)
#define FSC_MIN_BLOCKS     8u
#define FSC_MAX_BLOCKS     65536u         /* 256 MiB */
#define FSC_MAX_INODES     8192u
#define FSC_BITS_PER_BLOCK (FSC_BLOCK_SIZE * 8u)
#define FSC_ROOT_INODE     1u

#define FSC_TYPE_FREE 0u
#define FSC_TYPE_FILE 1u
#define FSC_TYPE_DIR  2u

/* The block device: whole FS blocks, 0 on success, negative on failure. */
struct fsc_blockdev {
    void *ctx;
    uint32_t blocks;                /* device size in FSC_BLOCK_SIZE blocks */
    int (*read)(void *ctx, uint32_t block, void *buf);
    int (*write)(void *ctx, uint32_t block, const void *buf);
};

/* The decoded superblock. */
struct fsc_super {
    uint32_t version, block_size, total_blocks;
    uint32_t bitmap_start, bitmap_blocks;
    uint32_t inode_start, inode_blocks, inode_count;
    uint32_t data_start, root_inode;
};

struct fsc_inode {
    uint16_t type;
    uint32_t size;
    uint32_t direct[FSC_NDIRECT];
    uint32_t indirect;
};

#define FSC_ERROR_MAX 160

/* Mount states. */
#define FSC_UNMOUNTED 0
#define FSC_READWRITE 1
#define FSC_READONLY  2   /* the check found an inconsistency: reads only */

struct fscore {
    struct fsc_blockdev dev;
    struct fsc_super sb;
    int state;
    uint32_t free_blocks, free_inodes;
    char error[FSC_ERROR_MAX];      /* the first problem the check found */
    uint8_t bitmap[FSC_MAX_BLOCKS / 8];
    uint8_t block[FSC_BLOCK_SIZE];  /* scratch */
    uint8_t ind[FSC_BLOCK_SIZE];    /* an indirect block being worked on */
    uint32_t ind_cached;            /* the block `ind` holds unchanged, or 0 */
    uint8_t dir[FSC_MAX_DIR_BLOCKS * FSC_BLOCK_SIZE]; /* a loaded directory */
    /* Mount check only. */
    uint8_t seen[FSC_MAX_BLOCKS / 8];
    uint8_t refs[FSC_MAX_INODES];
    uint16_t queue[FSC_MAX_INODES];
};

/*
 * Writes an empty file system of `total_blocks` blocks (0: the whole
 * device) with `inodes` inodes (0: a default from the size).  Returns 0 or
 * FS_EINVAL / FS_EIO.
 */
int fscore_format(const struct fsc_blockdev *dev, uint32_t total_blocks, uint32_t inodes);

/*
 * Reads the superblock and checks the whole file system.  Returns
 * FSC_READWRITE when consistent; FSC_READONLY when the superblock is sound
 * but the structure is not (reads still work, every change fails with
 * FS_EIO); FS_EIO when refused (bad superblock or the device failed).
 * fs->error holds a one-line description of the first problem found.
 */
int fscore_mount(struct fscore *fs, const struct fsc_blockdev *dev);

/* Reads up to len bytes from offset; returns bytes read (0 at the end). */
long fscore_read(struct fscore *fs, const char *path, uint64_t offset, void *buf, size_t len);
/* Creates or replaces the file. */
long fscore_write(struct fscore *fs, const char *path, const void *buf, size_t len);
long fscore_mkdir(struct fscore *fs, const char *path);
/* Removes a file or an empty directory. */
long fscore_remove(struct fscore *fs, const char *path);
/* Lists the entries of a directory from the `start`-th one on. */
long fscore_list(struct fscore *fs, const char *path, uint32_t start,
                 struct fs_dirent *out, size_t max);
/* Size and kind of one path ("/" included). */
long fscore_stat(struct fscore *fs, const char *path, struct fs_dirent *out);

/* CRC-32 (IEEE 802.3, as zlib's crc32) used for the superblock. */
uint32_t fscore_crc32(const void *data, size_t len);

#endif
