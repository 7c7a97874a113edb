/*
 * Mounting: the superblock is decoded and validated (a bad one refuses the
 * mount), then the whole structure is checked (a problem mounts the file
 * system read-only).  The check stops at the first problem and reports it
 * in fs->error as one line.
 */
#include <stdarg.h>
#include <stdio.h>

#include "fscore_internal.h"

void fsc_error(struct fscore *fs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fs->error, sizeof(fs->error), fmt, ap);
    va_end(ap);
}

uint32_t fscore_crc32(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* Decodes and validates block 0; returns 0 or FS_EIO with fs->error set. */
static int check_super(struct fscore *fs)
{
    uint8_t *b = fs->block;
    struct fsc_super *sb = &fs->sb;

    if (dev_read(fs, 0, b) != 0) {
        fsc_error(fs, "cannot read the superblock (block 0)");
        return FS_EIO;
    }
    if (memcmp(b + SB_MAGIC, FSC_MAGIC, 8) != 0) {
        fsc_error(fs, "bad superblock: no ARCA-FS magic in block 0");
        return FS_EIO;
    }
    sb->version = get32(b + SB_VERSION);
    if (sb->version != FSC_VERSION) {
        fsc_error(fs, "bad superblock: version %u, this server knows %u",
                  (unsigned)sb->version, FSC_VERSION);
        return FS_EIO;
    }
    uint32_t want = fscore_crc32(b, SB_CHECKSUM), have = get32(b + SB_CHECKSUM);
    if (want != have) {
        fsc_error(fs, "bad superblock: checksum 0x%08x, contents give 0x%08x",
                  (unsigned)have, (unsigned)want);
        return FS_EIO;
    }
    sb->block_size = get32(b + SB_BLOCK_SIZE);
    sb->total_blocks = get32(b + SB_TOTAL_BLOCKS);
    sb->bitmap_start = get32(b + SB_BITMAP_START);
    sb->bitmap_blocks = get32(b + SB_BITMAP_BLOCKS);
    sb->inode_start = get32(b + SB_INODE_START);
    sb->inode_blocks = get32(b + SB_INODE_BLOCKS);
    sb->inode_count = get32(b + SB_INODE_COUNT);
    sb->data_start = get32(b + SB_DATA_START);
    sb->root_inode = get32(b + SB_ROOT_INODE);

    const char *what = NULL;
    if (sb->block_size != FSC_BLOCK_SIZE)
        what = "block size is not 4096";
    else if (sb->total_blocks < FSC_MIN_BLOCKS || sb->total_blocks > FSC_MAX_BLOCKS)
        what = "block count out of range";
    else if (sb->total_blocks > fs->dev.blocks)
        what = "file system is larger than the device";
    else if (sb->bitmap_start != 1 ||
             sb->bitmap_blocks != (sb->total_blocks + FSC_BITS_PER_BLOCK - 1) / FSC_BITS_PER_BLOCK)
        what = "bitmap location or size wrong";
    else if (sb->inode_start != sb->bitmap_start + sb->bitmap_blocks ||
             sb->inode_blocks == 0 || sb->inode_blocks > FSC_MAX_INODES / FSC_INODES_PER_BLOCK ||
             sb->inode_count != sb->inode_blocks * FSC_INODES_PER_BLOCK)
        what = "inode table location or size wrong";
    else if (sb->data_start != sb->inode_start + sb->inode_blocks ||
             sb->data_start >= sb->total_blocks)
        what = "data area location wrong";
    else if (sb->root_inode != FSC_ROOT_INODE)
        what = "root inode is not 1";
    if (what != NULL) {
        fsc_error(fs, "bad superblock: %s", what);
        return FS_EIO;
    }
    return 0;
}

/* Marks block b as used by inode ino in fs->seen; 0 or -1 with the error. */
static int claim(struct fscore *fs, uint32_t ino, uint32_t b)
{
    if (!data_block_ok(fs, b)) {
        fsc_error(fs, "inode %u points at block %u outside the data area",
                  (unsigned)ino, (unsigned)b);
        return -1;
    }
    if (bit_get(fs->seen, b)) {
        fsc_error(fs, "block %u is used twice (again by inode %u)", (unsigned)b, (unsigned)ino);
        return -1;
    }
    bit_set(fs->seen, b);
    if (!bit_get(fs->bitmap, b)) {
        fsc_error(fs, "block %u of inode %u is free in the bitmap", (unsigned)b, (unsigned)ino);
        return -1;
    }
    return 0;
}

/* One used inode: size and block pointers. */
static int check_inode(struct fscore *fs, uint32_t ino, const struct fsc_inode *in)
{
    if (in->type != FSC_TYPE_FILE && in->type != FSC_TYPE_DIR) {
        fsc_error(fs, "inode %u has unknown type %u", (unsigned)ino, (unsigned)in->type);
        return -1;
    }
    if (ino == 0) {
        fsc_error(fs, "inode 0 is reserved but in use");
        return -1;
    }
    if (in->type == FSC_TYPE_DIR &&
        (in->size % FSC_DIRENT_SIZE != 0 || in->size > FSC_MAX_DIR_BLOCKS * FSC_BLOCK_SIZE)) {
        fsc_error(fs, "directory inode %u has bad size %u", (unsigned)ino, (unsigned)in->size);
        return -1;
    }
    if (in->size > FSC_MAX_FILE_SIZE) {
        fsc_error(fs, "inode %u has size %u beyond the maximum", (unsigned)ino, (unsigned)in->size);
        return -1;
    }
    uint32_t n = blocks_for(in->size);
    for (uint32_t i = 0; i < FSC_NDIRECT; i++) {
        if (i < n) {
            if (claim(fs, ino, in->direct[i]) != 0)
                return -1;
        } else if (in->direct[i] != 0) {
            fsc_error(fs, "inode %u has a block pointer beyond its size", (unsigned)ino);
            return -1;
        }
    }
    if (n <= FSC_NDIRECT) {
        if (in->indirect != 0) {
            fsc_error(fs, "inode %u has an indirect block it does not need", (unsigned)ino);
            return -1;
        }
        return 0;
    }
    if (claim(fs, ino, in->indirect) != 0)
        return -1;
    if (dev_read(fs, in->indirect, fs->ind) != 0) {
        fsc_error(fs, "cannot read block %u", (unsigned)in->indirect);
        return -1;
    }
    for (uint32_t i = 0; i < FSC_PTRS_PER_BLOCK; i++) {
        uint32_t b = get32(fs->ind + 4 * i);
        if (i < n - FSC_NDIRECT) {
            if (claim(fs, ino, b) != 0)
                return -1;
        } else if (b != 0) {
            fsc_error(fs, "inode %u has a block pointer beyond its size", (unsigned)ino);
            return -1;
        }
    }
    return 0;
}

/* refs[ino]: low two bits the inode's type, REF_LINKED once a directory
 * entry names it. */
#define REF_LINKED 0x4u

/* Every inode; then the bitmap against what the inodes use. */
static int check_inodes_and_bitmap(struct fscore *fs, uint32_t *used_inodes)
{
    const struct fsc_super *sb = &fs->sb;
    memset(fs->seen, 0, sizeof(fs->seen));
    memset(fs->refs, 0, sizeof(fs->refs));
    *used_inodes = 0;
    for (uint32_t blk = 0; blk < sb->inode_blocks; blk++) {
        if (dev_read(fs, sb->inode_start + blk, fs->block) != 0) {
            fsc_error(fs, "cannot read inode table block %u", (unsigned)(sb->inode_start + blk));
            return -1;
        }
        for (uint32_t k = 0; k < FSC_INODES_PER_BLOCK; k++) {
            uint32_t ino = blk * FSC_INODES_PER_BLOCK + k;
            struct fsc_inode in;
            inode_decode(fs->block + k * FSC_INODE_SIZE, &in);
            if (in.type == FSC_TYPE_FREE)
                continue;
            if (check_inode(fs, ino, &in) != 0)
                return -1;
            fs->refs[ino] = (uint8_t)in.type;
            (*used_inodes)++;
        }
    }
    for (uint32_t b = 0; b < sb->bitmap_blocks * FSC_BITS_PER_BLOCK; b++) {
        int marked = bit_get(fs->bitmap, b);
        if (b < sb->data_start) {
            if (!marked) {
                fsc_error(fs, "metadata block %u is free in the bitmap", (unsigned)b);
                return -1;
            }
        } else if (b >= sb->total_blocks) {
            if (marked) {
                fsc_error(fs, "bitmap marks block %u beyond the end of the file system",
                          (unsigned)b);
                return -1;
            }
        } else if (marked && !bit_get(fs->seen, b)) {
            fsc_error(fs, "block %u is marked used but belongs to no inode", (unsigned)b);
            return -1;
        }
    }
    return 0;
}

/* The directory tree from the root: every entry names a used inode, every
 * used inode is named exactly once, names are valid and unique. */
static int check_tree(struct fscore *fs)
{
    const struct fsc_super *sb = &fs->sb;
    if ((fs->refs[FSC_ROOT_INODE] & 3u) != FSC_TYPE_DIR) {
        fsc_error(fs, "root inode %u is not a directory", FSC_ROOT_INODE);
        return -1;
    }
    uint32_t head = 0, tail = 0;
    fs->queue[tail++] = FSC_ROOT_INODE;
    while (head < tail) {
        uint32_t d = fs->queue[head++];
        struct fsc_inode in;
        if (fsc_read_inode(fs, d, &in) != 0) {
            fsc_error(fs, "cannot read inode %u", (unsigned)d);
            return -1;
        }
        uint32_t nblocks = blocks_for(in.size);
        for (uint32_t i = 0; i < nblocks; i++) {
            if (dev_read(fs, in.direct[i], fs->dir + i * FSC_BLOCK_SIZE) != 0) {
                fsc_error(fs, "cannot read block %u", (unsigned)in.direct[i]);
                return -1;
            }
        }
        uint32_t n = in.size / FSC_DIRENT_SIZE;
        for (uint32_t e = 0; e < n; e++) {
            const uint8_t *ent = fs->dir + e * FSC_DIRENT_SIZE;
            uint32_t ino = get32(ent + DE_INODE);
            if (ino == 0)
                continue;
            if (!name_ok(ent + DE_NAME)) {
                fsc_error(fs, "directory inode %u: entry %u has a bad name", (unsigned)d,
                          (unsigned)e);
                return -1;
            }
            const char *name = (const char *)ent + DE_NAME;
            if (ino >= sb->inode_count || ino == FSC_ROOT_INODE) {
                fsc_error(fs, "directory inode %u: entry '%s' points at invalid inode %u",
                          (unsigned)d, name, (unsigned)ino);
                return -1;
            }
            if ((fs->refs[ino] & 3u) == FSC_TYPE_FREE) {
                fsc_error(fs, "directory inode %u: entry '%s' points at free inode %u",
                          (unsigned)d, name, (unsigned)ino);
                return -1;
            }
            if (fs->refs[ino] & REF_LINKED) {
                fsc_error(fs, "inode %u is named twice (again as '%s' in directory inode %u)",
                          (unsigned)ino, name, (unsigned)d);
                return -1;
            }
            for (uint32_t f = 0; f < e; f++) {
                const uint8_t *other = fs->dir + f * FSC_DIRENT_SIZE;
                if (get32(other + DE_INODE) != 0 &&
                    memcmp(other + DE_NAME, ent + DE_NAME, DE_NAME_BYTES) == 0) {
                    fsc_error(fs, "directory inode %u: name '%s' appears twice", (unsigned)d,
                              name);
                    return -1;
                }
            }
            fs->refs[ino] |= REF_LINKED;
            if ((fs->refs[ino] & 3u) == FSC_TYPE_DIR)
                fs->queue[tail++] = (uint16_t)ino;
        }
    }
    for (uint32_t ino = 0; ino < sb->inode_count; ino++) {
        if (ino != FSC_ROOT_INODE && (fs->refs[ino] & 3u) != FSC_TYPE_FREE &&
            !(fs->refs[ino] & REF_LINKED)) {
            fsc_error(fs, "inode %u is in use but in no directory", (unsigned)ino);
            return -1;
        }
    }
    return 0;
}

int fscore_mount(struct fscore *fs, const struct fsc_blockdev *dev)
{
    fs->dev = *dev;
    fs->state = FSC_UNMOUNTED;
    fs->error[0] = '\0';
    fs->free_blocks = fs->free_inodes = 0;
    fs->ind_cached = 0;     /* the check uses fs->ind as scratch */
    int err = check_super(fs);
    if (err != 0)
        return err;

    const struct fsc_super *sb = &fs->sb;
    memset(fs->bitmap, 0, sizeof(fs->bitmap));
    for (uint32_t i = 0; i < sb->bitmap_blocks; i++) {
        if (dev_read(fs, sb->bitmap_start + i, fs->bitmap + i * FSC_BLOCK_SIZE) != 0) {
            fsc_error(fs, "cannot read bitmap block %u", (unsigned)(sb->bitmap_start + i));
            return FS_EIO;
        }
    }
    uint32_t used_inodes;
    if (check_inodes_and_bitmap(fs, &used_inodes) != 0 || check_tree(fs) != 0) {
        fs->state = FSC_READONLY;
        return FSC_READONLY;
    }
    uint32_t used = 0;
    for (uint32_t b = 0; b < sb->total_blocks; b++)
        used += (uint32_t)bit_get(fs->bitmap, b);
    fs->free_blocks = sb->total_blocks - used;
    fs->free_inodes = sb->inode_count - 1 - used_inodes;   /* inode 0 is never used */
    fs->state = FSC_READWRITE;
    return FSC_READWRITE;
}
