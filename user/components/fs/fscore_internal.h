/* Helpers shared by fscore.c (operations) and fscheck.c (the mount check). */
#ifndef ARCA_FSCORE_INTERNAL_H
#define ARCA_FSCORE_INTERNAL_H

#include <string.h>

#include "fscore.h"

/* Superblock byte offsets (docs/filesystem.md). */
#define SB_MAGIC         0
#define SB_VERSION       8
#define SB_BLOCK_SIZE    12
#define SB_TOTAL_BLOCKS  16
#define SB_BITMAP_START  20
#define SB_BITMAP_BLOCKS 24
#define SB_INODE_START   28
#define SB_INODE_BLOCKS  32
#define SB_INODE_COUNT   36
#define SB_DATA_START    40
#define SB_ROOT_INODE    44
#define SB_CHECKSUM      48     /* CRC-32 of bytes 0..47 */
#define SB_USED          52     /* bytes after this are zero */

/* Inode byte offsets. */
#define IN_TYPE     0
#define IN_SIZE     4
#define IN_DIRECT   8
#define IN_INDIRECT 56

/* Directory entry: inode number, then the NUL-padded name. */
#define DE_INODE 0
#define DE_NAME  4
#define DE_NAME_BYTES (FSC_DIRENT_SIZE - DE_NAME)

static inline uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline int bit_get(const uint8_t *map, uint32_t n)
{
    return (map[n / 8] >> (n % 8)) & 1;
}

static inline void bit_set(uint8_t *map, uint32_t n)
{
    map[n / 8] |= (uint8_t)(1u << (n % 8));
}

static inline void bit_clear(uint8_t *map, uint32_t n)
{
    map[n / 8] &= (uint8_t)~(1u << (n % 8));
}

static inline uint32_t blocks_for(uint64_t size)
{
    return (uint32_t)((size + FSC_BLOCK_SIZE - 1) / FSC_BLOCK_SIZE);
}

static inline int dev_read(const struct fscore *fs, uint32_t block, void *buf)
{
    if (block >= fs->dev.blocks || fs->dev.read(fs->dev.ctx, block, buf) != 0)
        return FS_EIO;
    return 0;
}

static inline int dev_write(const struct fscore *fs, uint32_t block, const void *buf)
{
    if (block >= fs->dev.blocks || fs->dev.write(fs->dev.ctx, block, buf) != 0)
        return FS_EIO;
    return 0;
}

static inline int data_block_ok(const struct fscore *fs, uint32_t b)
{
    return b >= fs->sb.data_start && b < fs->sb.total_blocks;
}

static inline void inode_decode(const uint8_t *p, struct fsc_inode *in)
{
    in->type = (uint16_t)get16(p + IN_TYPE);
    in->size = get32(p + IN_SIZE);
    for (unsigned i = 0; i < FSC_NDIRECT; i++)
        in->direct[i] = get32(p + IN_DIRECT + 4 * i);
    in->indirect = get32(p + IN_INDIRECT);
}

static inline void inode_encode(uint8_t *p, const struct fsc_inode *in)
{
    memset(p, 0, FSC_INODE_SIZE);
    put16(p + IN_TYPE, in->type);
    put32(p + IN_SIZE, in->size);
    for (unsigned i = 0; i < FSC_NDIRECT; i++)
        put32(p + IN_DIRECT + 4 * i, in->direct[i]);
    put32(p + IN_INDIRECT, in->indirect);
}

/* A directory entry name is 1..59 bytes, NUL-padded to 60, no '/', not "."
 * or "..". */
static inline int name_ok(const uint8_t *name)
{
    size_t n = 0;
    while (n < DE_NAME_BYTES && name[n] != 0) {
        if (name[n] == '/')
            return 0;
        n++;
    }
    if (n == 0 || n > FS_NAME_MAX)
        return 0;
    for (size_t i = n; i < DE_NAME_BYTES; i++)
        if (name[i] != 0)
            return 0;
    if (name[0] == '.' && (n == 1 || (n == 2 && name[1] == '.')))
        return 0;
    return 1;
}

int fsc_read_inode(struct fscore *fs, uint32_t ino, struct fsc_inode *in);
void fsc_error(struct fscore *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
