/*
 * The file service client library (<arca/fs.h>) over protected procedure
 * calls to the file server and the shared buffer (fsproto.h).
 *
 * The server is not trusted more than it must be: results outside what
 * was asked for become FS_EIO, and names copied out of the buffer are
 * NUL-terminated here.
 */
#include <microkit.h>
#include <stdint.h>
#include <string.h>

#include <arca/fs.h>
#include <arca/monitor.h>

#include "fsproto.h"

static unsigned fs_channel;
static uint8_t *fs_shared;
static size_t fs_room;          /* bytes in the data area */

void fs_client_init(unsigned channel, void *shared, size_t shared_size)
{
    fs_channel = channel;
    if (shared == NULL || shared_size < FSP_MIN_BUFFER) {
        fs_shared = NULL;
        fs_room = 0;
        return;
    }
    fs_shared = shared;
    fs_room = shared_size - FSP_DATA_OFF;
}

/* Puts the path into the buffer; FS_EINVAL when it cannot be sent. */
static long set_path(const char *path)
{
    if (fs_shared == NULL)
        return FS_EINVAL;
    if (path == NULL)
        return FS_EINVAL;
    size_t n = strnlen(path, FSP_PATH_BYTES);
    if (n >= FSP_PATH_BYTES)
        return FS_EINVAL;
    memcpy(fs_shared, path, n + 1);
    return 0;
}

/* One request; the server's result, or FS_ERESTARTED / FS_EIO. */
static long call(uint64_t op, unsigned nmr, uint64_t a0, uint64_t a1)
{
    if (nmr > 0)
        microkit_mr_set(0, a0);
    if (nmr > 1)
        microkit_mr_set(1, a1);
    microkit_msginfo r = microkit_ppcall(fs_channel, microkit_msginfo_new(op, nmr));
    uint64_t label = microkit_msginfo_get_label(r);
    if (label == ARCA_LABEL_PD_RESTARTED)
        return FS_ERESTARTED;
    if (label != 0 || microkit_msginfo_get_count(r) < 1)
        return FS_EIO;
    long v = (long)microkit_mr_get(0);
    return v < FS_ETOOBIG ? FS_EIO : v;
}

long fs_read(const char *path, void *buf, size_t len)
{
    long err = set_path(path);
    if (err != 0)
        return err;
    uint8_t *out = buf;
    size_t done = 0;
    while (done < len) {
        size_t want = len - done < fs_room ? len - done : fs_room;
        long r = call(FSP_READ, 2, done, want);
        if (r < 0)
            return r;
        if ((size_t)r > want)
            return FS_EIO;
        memcpy(out + done, fs_shared + FSP_DATA_OFF, (size_t)r);
        done += (size_t)r;
        if ((size_t)r < want)
            break;
    }
    if (len == 0) {     /* still tells a missing file from an empty one */
        long r = call(FSP_READ, 2, 0, 0);
        if (r < 0)
            return r;
    }
    return (long)done;
}

long fs_write(const char *path, const void *buf, size_t len)
{
    long err = set_path(path);
    if (err != 0)
        return err;
    if (len > fs_room)
        return FS_ETOOBIG;
    memcpy(fs_shared + FSP_DATA_OFF, buf, len);
    long r = call(FSP_WRITE, 1, len, 0);
    return r > 0 ? FS_EIO : r;
}

long fs_remove(const char *path)
{
    long err = set_path(path);
    if (err != 0)
        return err;
    long r = call(FSP_REMOVE, 0, 0, 0);
    return r > 0 ? FS_EIO : r;
}

long fs_mkdir(const char *path)
{
    long err = set_path(path);
    if (err != 0)
        return err;
    long r = call(FSP_MKDIR, 0, 0, 0);
    return r > 0 ? FS_EIO : r;
}

long fs_list(const char *path, struct fs_dirent *out, size_t max)
{
    long err = set_path(path);
    if (err != 0)
        return err;
    size_t per = fs_room / sizeof(struct fs_dirent);
    size_t got = 0;
    do {
        size_t want = max - got < per ? max - got : per;
        long r = call(FSP_LIST, 2, got, want);
        if (r < 0)
            return r;
        if ((size_t)r > want)
            return FS_EIO;
        memcpy(out + got, fs_shared + FSP_DATA_OFF, (size_t)r * sizeof(struct fs_dirent));
        for (size_t i = got; i < got + (size_t)r; i++) {
            out[i].name[FS_NAME_MAX] = '\0';
            out[i].is_dir = out[i].is_dir != 0;
        }
        got += (size_t)r;
        if ((size_t)r < want)
            break;
    } while (got < max);
    if (max == 0) {     /* still reports a missing or non-directory path */
        long r = call(FSP_LIST, 2, 0, 0);
        if (r < 0)
            return r;
    }
    return (long)got;
}
