/*
 * fscore operations: format, path lookup, read, write (create or replace),
 * mkdir, remove, list, stat.  The format is in docs/filesystem.md; the
 * mount check is in fscheck.c.
 *
 * A change first makes sure every block and inode it needs is free (so
 * running out of space changes nothing), then writes in the order data,
 * indirect block, inode, directory entry, bitmap.  An I/O error in the
 * middle of a change leaves the disk inconsistent, so the file system turns
 * read-only at that point.
 */
#include "fscore_internal.h"

/* --- blocks and inodes --------------------------------------------------- */

int fsc_read_inode(struct fscore *fs, uint32_t ino, struct fsc_inode *in)
{
    if (ino == 0 || ino >= fs->sb.inode_count)
        return FS_EIO;
    uint32_t blk = fs->sb.inode_start + ino / FSC_INODES_PER_BLOCK;
    if (dev_read(fs, blk, fs->block) != 0)
        return FS_EIO;
    inode_decode(fs->block + (ino % FSC_INODES_PER_BLOCK) * FSC_INODE_SIZE, in);
    return 0;
}

static int write_inode(struct fscore *fs, uint32_t ino, const struct fsc_inode *in)
{
    if (ino == 0 || ino >= fs->sb.inode_count)
        return FS_EIO;
    uint32_t blk = fs->sb.inode_start + ino / FSC_INODES_PER_BLOCK;
    if (dev_read(fs, blk, fs->block) != 0)
        return FS_EIO;
    inode_encode(fs->block + (ino % FSC_INODES_PER_BLOCK) * FSC_INODE_SIZE, in);
    return dev_write(fs, blk, fs->block);
}

/* The disk block holding block `i` of the inode's data, validated. */
static int file_block(struct fscore *fs, const struct fsc_inode *in, uint32_t i, uint32_t *out)
{
    uint32_t b;
    if (i < FSC_NDIRECT) {
        b = in->direct[i];
    } else {
        if (i >= FSC_MAX_FILE_BLOCKS || !data_block_ok(fs, in->indirect))
            return FS_EIO;
        if (fs->ind_cached != in->indirect) {
            fs->ind_cached = 0;
            if (dev_read(fs, in->indirect, fs->ind) != 0)
                return FS_EIO;
            fs->ind_cached = in->indirect;
        }
        b = get32(fs->ind + 4 * (i - FSC_NDIRECT));
    }
    if (!data_block_ok(fs, b))
        return FS_EIO;
    *out = b;
    return 0;
}

static uint32_t alloc_block(struct fscore *fs)
{
    for (uint32_t b = fs->sb.data_start; b < fs->sb.total_blocks; b++) {
        if (!bit_get(fs->bitmap, b)) {
            bit_set(fs->bitmap, b);
            fs->free_blocks--;
            return b;
        }
    }
    return 0;   /* callers count free blocks first: only a corrupt count gets here */
}

static void free_block(struct fscore *fs, uint32_t b)
{
    if (data_block_ok(fs, b) && bit_get(fs->bitmap, b)) {
        bit_clear(fs->bitmap, b);
        fs->free_blocks++;
    }
}

static int flush_bitmap(struct fscore *fs)
{
    for (uint32_t i = 0; i < fs->sb.bitmap_blocks; i++)
        if (dev_write(fs, fs->sb.bitmap_start + i, fs->bitmap + i * FSC_BLOCK_SIZE) != 0)
            return FS_EIO;
    return 0;
}

/* Data blocks (and the indirect block) an inode of this size holds. */
static uint32_t blocks_held(uint32_t size)
{
    uint32_t n = blocks_for(size);
    return n + (n > FSC_NDIRECT ? 1u : 0u);
}

/* Frees the inode's blocks in the in-memory bitmap. */
static int release_blocks(struct fscore *fs, const struct fsc_inode *in)
{
    uint32_t n = blocks_for(in->size);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b;
        if (file_block(fs, in, i, &b) != 0)
            return FS_EIO;
        free_block(fs, b);
    }
    if (n > FSC_NDIRECT)
        free_block(fs, in->indirect);
    return 0;
}

/* After an I/O error in the middle of a change. */
static long broken(struct fscore *fs)
{
    fs->state = FSC_READONLY;
    fsc_error(fs, "I/O error during a change; the file system is now read-only");
    return FS_EIO;
}

/* --- directories and paths ----------------------------------------------- */

/* Loads directory `ino` into fs->dir; FS_ENOTDIR if it is a file. */
static int dir_load(struct fscore *fs, uint32_t ino, struct fsc_inode *in)
{
    if (fsc_read_inode(fs, ino, in) != 0)
        return FS_EIO;
    if (in->type == FSC_TYPE_FILE)
        return FS_ENOTDIR;
    if (in->type != FSC_TYPE_DIR || in->size % FSC_DIRENT_SIZE != 0 ||
        in->size > FSC_MAX_DIR_BLOCKS * FSC_BLOCK_SIZE)
        return FS_EIO;
    uint32_t n = blocks_for(in->size);
    for (uint32_t i = 0; i < n; i++)
        if (!data_block_ok(fs, in->direct[i]) ||
            dev_read(fs, in->direct[i], fs->dir + i * FSC_BLOCK_SIZE) != 0)
            return FS_EIO;
    return 0;
}

/* The entry named `name` (60 NUL-padded bytes) in the loaded directory. */
static int dir_find(struct fscore *fs, const struct fsc_inode *dir, const uint8_t *name,
                    uint32_t *slot)
{
    uint32_t n = dir->size / FSC_DIRENT_SIZE;
    for (uint32_t e = 0; e < n; e++) {
        const uint8_t *ent = fs->dir + e * FSC_DIRENT_SIZE;
        if (get32(ent + DE_INODE) != 0 && memcmp(ent + DE_NAME, name, DE_NAME_BYTES) == 0) {
            *slot = e;
            return 0;
        }
    }
    return FS_ENOENT;
}

struct walk {
    uint32_t parent;            /* directory holding the last component, or 0 */
    uint32_t ino;               /* the inode found, or 0 */
    uint32_t slot;              /* its entry in the parent */
    uint8_t name[DE_NAME_BYTES]; /* last component, NUL padded ("" for "/") */
};

/*
 * Resolves an absolute path.  Returns 0 with w->ino set, or FS_ENOENT with
 * w->parent set when only the last component is missing (w->parent is 0
 * when an earlier one is), or another error.  Empty components ("a//b")
 * and "." / ".." are invalid; one trailing '/' is allowed.
 */
/* Copies the component at path[pos..] (up to '/' or len) into name, NUL
 * padded; returns its end, or 0 when it is not a valid name. */
static size_t component(const char *path, size_t len, size_t pos, uint8_t name[DE_NAME_BYTES])
{
    size_t end = pos;
    while (end < len && path[end] != '/')
        end++;
    size_t n = end - pos;
    if (n == 0 || n > FS_NAME_MAX)
        return 0;
    memset(name, 0, DE_NAME_BYTES);
    memcpy(name, path + pos, n);
    return name_ok(name) ? end : 0;
}

static int walk(struct fscore *fs, const char *path, struct walk *w)
{
    memset(w, 0, sizeof(*w));
    if (path == NULL || path[0] != '/')
        return FS_EINVAL;
    size_t len = strnlen(path, FS_PATH_MAX + 1);
    if (len > FS_PATH_MAX)
        return FS_EINVAL;
    if (len >= 2 && path[len - 1] == '/' && path[len - 2] == '/')
        return FS_EINVAL;   /* "//" or "/a//": an empty last component */
    if (len > 1 && path[len - 1] == '/')
        len--;
    /* The whole path is validated before any lookup, so that a bad path is
     * EINVAL whatever exists on the disk. */
    for (size_t pos = 1; pos < len;) {
        size_t end = component(path, len, pos, w->name);
        if (end == 0)
            return FS_EINVAL;
        pos = end + 1;
    }
    w->ino = FSC_ROOT_INODE;
    for (size_t pos = 1; pos < len;) {
        size_t end = component(path, len, pos, w->name);
        struct fsc_inode dir;
        int err = dir_load(fs, w->ino, &dir);
        if (err != 0)
            return err;
        w->parent = w->ino;
        err = dir_find(fs, &dir, w->name, &w->slot);
        if (err != 0) {
            w->ino = 0;
            if (end < len)
                w->parent = 0;
            return FS_ENOENT;
        }
        w->ino = get32(fs->dir + w->slot * FSC_DIRENT_SIZE + DE_INODE);
        if (w->ino >= fs->sb.inode_count || w->ino == FSC_ROOT_INODE)
            return FS_EIO;
        pos = end + 1;
    }
    return 0;
}

/*
 * Finds a slot for a new entry in the loaded directory `dir`: a free one,
 * or one past the end.  *grow is 1 when the directory needs a new block.
 */
static int dir_slot(struct fscore *fs, const struct fsc_inode *dir, uint32_t *slot, int *grow)
{
    uint32_t n = dir->size / FSC_DIRENT_SIZE;
    *grow = 0;
    for (uint32_t e = 0; e < n; e++) {
        if (get32(fs->dir + e * FSC_DIRENT_SIZE + DE_INODE) == 0) {
            *slot = e;
            return 0;
        }
    }
    if (n >= FSC_MAX_DIR_ENTRIES)
        return FS_ENOSPC;
    *slot = n;
    *grow = dir->size % FSC_BLOCK_SIZE == 0;
    return 0;
}

/* Writes the block of the loaded directory (inode `dino`) that holds entry
 * `slot` back, and the inode when the entry lies past the old end. */
static int dir_store(struct fscore *fs, uint32_t dino, struct fsc_inode *dir, uint32_t slot)
{
    uint32_t bi = slot / FSC_DIRENTS_PER_BLOCK;
    if (!data_block_ok(fs, dir->direct[bi]) ||
        dev_write(fs, dir->direct[bi], fs->dir + bi * FSC_BLOCK_SIZE) != 0)
        return FS_EIO;
    if ((slot + 1) * FSC_DIRENT_SIZE > dir->size) {
        dir->size = (slot + 1) * FSC_DIRENT_SIZE;
        return write_inode(fs, dino, dir);
    }
    return 0;
}

static uint32_t find_free_inode(struct fscore *fs)
{
    for (uint32_t blk = 0; blk < fs->sb.inode_blocks; blk++) {
        if (dev_read(fs, fs->sb.inode_start + blk, fs->block) != 0)
            return 0;
        for (uint32_t k = 0; k < FSC_INODES_PER_BLOCK; k++) {
            uint32_t ino = blk * FSC_INODES_PER_BLOCK + k;
            if (ino >= 2 && get16(fs->block + k * FSC_INODE_SIZE + IN_TYPE) == FSC_TYPE_FREE)
                return ino;
        }
    }
    return 0;
}

static int writable(const struct fscore *fs)
{
    return fs->state == FSC_READWRITE;
}

/* --- operations ---------------------------------------------------------- */

long fscore_read(struct fscore *fs, const char *path, uint64_t offset, void *buf, size_t len)
{
    if (fs->state == FSC_UNMOUNTED)
        return FS_EIO;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err != 0)
        return err;
    struct fsc_inode in;
    if (fsc_read_inode(fs, w.ino, &in) != 0)
        return FS_EIO;
    if (in.type == FSC_TYPE_DIR)
        return FS_EISDIR;
    if (in.type != FSC_TYPE_FILE || in.size > FSC_MAX_FILE_SIZE)
        return FS_EIO;
    if (offset >= in.size)
        return 0;
    size_t n = in.size - offset < len ? (size_t)(in.size - offset) : len;
    uint8_t *out = buf;
    size_t done = 0;
    while (done < n) {
        uint64_t at = offset + done;
        uint32_t b, within = (uint32_t)(at % FSC_BLOCK_SIZE);
        if (file_block(fs, &in, (uint32_t)(at / FSC_BLOCK_SIZE), &b) != 0 ||
            dev_read(fs, b, fs->block) != 0)
            return FS_EIO;
        size_t chunk = FSC_BLOCK_SIZE - within;
        if (chunk > n - done)
            chunk = n - done;
        memcpy(out + done, fs->block + within, chunk);
        done += chunk;
    }
    return (long)n;
}

/* Writes len bytes into freshly allocated blocks of `in` (whose old blocks
 * are already released). */
static int fill_blocks(struct fscore *fs, struct fsc_inode *in, const uint8_t *data, size_t len)
{
    uint32_t n = blocks_for(len);
    memset(in->direct, 0, sizeof(in->direct));
    in->indirect = 0;
    in->size = (uint32_t)len;
    if (n > FSC_NDIRECT) {
        in->indirect = alloc_block(fs);
        memset(fs->ind, 0, FSC_BLOCK_SIZE);
        fs->ind_cached = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = alloc_block(fs);
        if (b == 0)
            return FS_EIO;
        size_t off = (size_t)i * FSC_BLOCK_SIZE;
        size_t chunk = len - off < FSC_BLOCK_SIZE ? len - off : FSC_BLOCK_SIZE;
        memset(fs->block, 0, FSC_BLOCK_SIZE);
        memcpy(fs->block, data + off, chunk);
        if (dev_write(fs, b, fs->block) != 0)
            return FS_EIO;
        if (i < FSC_NDIRECT)
            in->direct[i] = b;
        else
            put32(fs->ind + 4 * (i - FSC_NDIRECT), b);
    }
    if (n > FSC_NDIRECT && (in->indirect == 0 || dev_write(fs, in->indirect, fs->ind) != 0))
        return FS_EIO;
    return 0;
}

/* Creates a file or directory entry named w->name in w->parent. */
static long create(struct fscore *fs, struct walk *w, uint16_t type, const void *buf, size_t len)
{
    struct fsc_inode dir;
    int err = dir_load(fs, w->parent, &dir);
    if (err != 0)
        return err;
    uint32_t slot;
    int grow;
    err = dir_slot(fs, &dir, &slot, &grow);
    if (err != 0)
        return err;
    if (fs->free_inodes == 0 || blocks_held((uint32_t)len) + (uint32_t)grow > fs->free_blocks)
        return FS_ENOSPC;
    uint32_t ino = find_free_inode(fs);
    if (ino == 0)
        return broken(fs);
    struct fsc_inode in;
    memset(&in, 0, sizeof(in));
    in.type = type;
    if (fill_blocks(fs, &in, buf, len) != 0 || write_inode(fs, ino, &in) != 0)
        return broken(fs);
    fs->free_inodes--;
    if (grow) {
        uint32_t bi = slot / FSC_DIRENTS_PER_BLOCK;
        dir.direct[bi] = alloc_block(fs);
        memset(fs->dir + bi * FSC_BLOCK_SIZE, 0, FSC_BLOCK_SIZE);
    }
    uint8_t *ent = fs->dir + slot * FSC_DIRENT_SIZE;
    put32(ent + DE_INODE, ino);
    memcpy(ent + DE_NAME, w->name, DE_NAME_BYTES);
    if (dir_store(fs, w->parent, &dir, slot) != 0 || flush_bitmap(fs) != 0)
        return broken(fs);
    return FS_OK;
}

long fscore_write(struct fscore *fs, const char *path, const void *buf, size_t len)
{
    if (!writable(fs))
        return FS_EIO;
    if (len > FSC_MAX_FILE_SIZE)
        return FS_ENOSPC;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err == FS_ENOENT && w.parent != 0)
        return create(fs, &w, FSC_TYPE_FILE, buf, len);
    if (err != 0)
        return err;
    struct fsc_inode in;
    if (fsc_read_inode(fs, w.ino, &in) != 0)
        return FS_EIO;
    if (in.type == FSC_TYPE_DIR)
        return FS_EISDIR;
    if (in.type != FSC_TYPE_FILE || in.size > FSC_MAX_FILE_SIZE)
        return FS_EIO;
    if (blocks_held((uint32_t)len) > fs->free_blocks + blocks_held(in.size))
        return FS_ENOSPC;
    if (release_blocks(fs, &in) != 0)
        return FS_EIO;
    if (fill_blocks(fs, &in, buf, len) != 0 || write_inode(fs, w.ino, &in) != 0 ||
        flush_bitmap(fs) != 0)
        return broken(fs);
    return FS_OK;
}

long fscore_mkdir(struct fscore *fs, const char *path)
{
    if (!writable(fs))
        return FS_EIO;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err == 0)
        return FS_EEXIST;
    if (err == FS_ENOENT && w.parent != 0)
        return create(fs, &w, FSC_TYPE_DIR, NULL, 0);
    return err;
}

long fscore_remove(struct fscore *fs, const char *path)
{
    if (!writable(fs))
        return FS_EIO;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err != 0)
        return err;
    if (w.ino == FSC_ROOT_INODE)
        return FS_EINVAL;
    struct fsc_inode in;
    if (fsc_read_inode(fs, w.ino, &in) != 0)
        return FS_EIO;
    if (in.type == FSC_TYPE_DIR) {
        struct fsc_inode tmp;
        if (dir_load(fs, w.ino, &tmp) != 0)
            return FS_EIO;
        for (uint32_t e = 0; e < tmp.size / FSC_DIRENT_SIZE; e++)
            if (get32(fs->dir + e * FSC_DIRENT_SIZE + DE_INODE) != 0)
                return FS_ENOTEMPTY;
    } else if (in.type != FSC_TYPE_FILE) {
        return FS_EIO;
    }
    /* The entry goes first: a crash after it leaks, but never dangles. */
    struct fsc_inode dir;
    if (dir_load(fs, w.parent, &dir) != 0)
        return FS_EIO;
    if (release_blocks(fs, &in) != 0)
        return FS_EIO;
    memset(fs->dir + w.slot * FSC_DIRENT_SIZE, 0, FSC_DIRENT_SIZE);
    uint32_t bi = w.slot / FSC_DIRENTS_PER_BLOCK;
    if (dev_write(fs, dir.direct[bi], fs->dir + bi * FSC_BLOCK_SIZE) != 0)
        return broken(fs);
    /* Trim free entries off the end of the directory, and blocks with them. */
    uint32_t old_size = dir.size;
    while (dir.size > 0 &&
           get32(fs->dir + dir.size - FSC_DIRENT_SIZE + DE_INODE) == 0)
        dir.size -= FSC_DIRENT_SIZE;
    for (uint32_t i = blocks_for(dir.size); i < blocks_for(old_size); i++) {
        free_block(fs, dir.direct[i]);
        dir.direct[i] = 0;
    }
    if (dir.size != old_size && write_inode(fs, w.parent, &dir) != 0)
        return broken(fs);
    memset(&in, 0, sizeof(in));
    if (write_inode(fs, w.ino, &in) != 0 || flush_bitmap(fs) != 0)
        return broken(fs);
    fs->free_inodes++;
    return FS_OK;
}

static void fill_dirent(struct fs_dirent *out, const char *name, const struct fsc_inode *in)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->name, name, strnlen(name, FS_NAME_MAX));
    out->is_dir = in->type == FSC_TYPE_DIR;
    out->size = in->size;
}

long fscore_list(struct fscore *fs, const char *path, uint32_t start,
                 struct fs_dirent *out, size_t max)
{
    if (fs->state == FSC_UNMOUNTED)
        return FS_EIO;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err != 0)
        return err;
    struct fsc_inode dir;
    err = dir_load(fs, w.ino, &dir);
    if (err != 0)
        return err;
    uint32_t seen = 0;
    size_t got = 0;
    for (uint32_t e = 0; e < dir.size / FSC_DIRENT_SIZE && got < max; e++) {
        const uint8_t *ent = fs->dir + e * FSC_DIRENT_SIZE;
        uint32_t ino = get32(ent + DE_INODE);
        if (ino == 0)
            continue;
        if (seen++ < start)
            continue;
        struct fsc_inode in;
        if (!name_ok(ent + DE_NAME) || fsc_read_inode(fs, ino, &in) != 0)
            return FS_EIO;
        fill_dirent(&out[got++], (const char *)ent + DE_NAME, &in);
    }
    return (long)got;
}

long fscore_stat(struct fscore *fs, const char *path, struct fs_dirent *out)
{
    if (fs->state == FSC_UNMOUNTED)
        return FS_EIO;
    struct walk w;
    int err = walk(fs, path, &w);
    if (err != 0)
        return err;
    struct fsc_inode in;
    if (fsc_read_inode(fs, w.ino, &in) != 0 ||
        (in.type != FSC_TYPE_FILE && in.type != FSC_TYPE_DIR))
        return FS_EIO;
    fill_dirent(out, w.ino == FSC_ROOT_INODE ? "/" : (const char *)w.name, &in);
    return FS_OK;
}

/* --- format -------------------------------------------------------------- */

int fscore_format(const struct fsc_blockdev *dev, uint32_t total, uint32_t inodes)
{
    static uint8_t b[FSC_BLOCK_SIZE];
    if (total == 0)
        total = dev->blocks < FSC_MAX_BLOCKS ? dev->blocks : FSC_MAX_BLOCKS;
    if (total < FSC_MIN_BLOCKS || total > FSC_MAX_BLOCKS || total > dev->blocks)
        return FS_EINVAL;
    if (inodes == 0)
        inodes = total / 8;
    inodes = (inodes + FSC_INODES_PER_BLOCK - 1) / FSC_INODES_PER_BLOCK * FSC_INODES_PER_BLOCK;
    if (inodes < FSC_INODES_PER_BLOCK)
        inodes = FSC_INODES_PER_BLOCK;
    if (inodes > FSC_MAX_INODES)
        return FS_EINVAL;
    uint32_t bitmap_blocks = (total + FSC_BITS_PER_BLOCK - 1) / FSC_BITS_PER_BLOCK;
    uint32_t inode_blocks = inodes / FSC_INODES_PER_BLOCK;
    uint32_t inode_start = 1 + bitmap_blocks;
    uint32_t data_start = inode_start + inode_blocks;
    if (data_start >= total)
        return FS_EINVAL;

    memset(b, 0, sizeof(b));
    memcpy(b + SB_MAGIC, FSC_MAGIC, 8);
    put32(b + SB_VERSION, FSC_VERSION);
    put32(b + SB_BLOCK_SIZE, FSC_BLOCK_SIZE);
    put32(b + SB_TOTAL_BLOCKS, total);
    put32(b + SB_BITMAP_START, 1);
    put32(b + SB_BITMAP_BLOCKS, bitmap_blocks);
    put32(b + SB_INODE_START, inode_start);
    put32(b + SB_INODE_BLOCKS, inode_blocks);
    put32(b + SB_INODE_COUNT, inodes);
    put32(b + SB_DATA_START, data_start);
    put32(b + SB_ROOT_INODE, FSC_ROOT_INODE);
    put32(b + SB_CHECKSUM, fscore_crc32(b, SB_CHECKSUM));
    if (dev->write(dev->ctx, 0, b) != 0)
        return FS_EIO;

    for (uint32_t i = 0; i < bitmap_blocks; i++) {
        memset(b, 0, sizeof(b));
        for (uint32_t k = 0; k < FSC_BITS_PER_BLOCK; k++) {
            uint32_t blk = i * FSC_BITS_PER_BLOCK + k;
            if (blk < data_start)
                bit_set(b, k);
        }
        if (dev->write(dev->ctx, 1 + i, b) != 0)
            return FS_EIO;
    }
    for (uint32_t i = 0; i < inode_blocks; i++) {
        memset(b, 0, sizeof(b));
        if (i == 0) {
            struct fsc_inode root;
            memset(&root, 0, sizeof(root));
            root.type = FSC_TYPE_DIR;
            inode_encode(b + FSC_ROOT_INODE * FSC_INODE_SIZE, &root);
        }
        if (dev->write(dev->ctx, inode_start + i, b) != 0)
            return FS_EIO;
    }
    return FS_OK;
}
