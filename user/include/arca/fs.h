/*
 * The file service, as its clients (the shell) see it.  Implemented by
 * user/components/fs/client.c over protected procedure calls to the file
 * server PD and a shared buffer region; the wire protocol is private to the
 * file server and its client library.
 *
 * A client calls fs_client_init once from its init() with the channel id
 * of its pp channel to the file server and the address and size of the
 * shared buffer region mapped in both (read-write).
 *
 * Paths are absolute ("/", "/a/b"), components up to FS_NAME_MAX bytes.
 * Every call returns 0 or more on success and a negative FS_E* code on
 * failure; fs_strerror gives a short English text for the code.
 */
#ifndef ARCA_FS_H
#define ARCA_FS_H

#include <stddef.h>
#include <stdint.h>

#define FS_NAME_MAX 59
#define FS_PATH_MAX 255

#define FS_OK          0
#define FS_ENOENT     -1  /* no such file or directory */
#define FS_EEXIST     -2  /* already exists */
#define FS_ENOTDIR    -3  /* a path component is not a directory */
#define FS_EISDIR     -4  /* is a directory */
#define FS_ENOTEMPTY  -5  /* directory not empty */
#define FS_ENOSPC     -6  /* disk or directory full */
#define FS_EINVAL     -7  /* bad path or argument */
#define FS_EIO        -8  /* the disk failed or the file system is corrupt */
#define FS_ERESTARTED -9  /* the file server restarted during the request */
#define FS_ETOOBIG    -10 /* does not fit the shared buffer */

void fs_client_init(unsigned channel, void *shared, size_t shared_size);

/* Reads up to `len` bytes of the file into buf; returns bytes read. */
long fs_read(const char *path, void *buf, size_t len);
/* Creates or replaces the file with `len` bytes. */
long fs_write(const char *path, const void *buf, size_t len);
long fs_remove(const char *path);          /* file or empty directory */
long fs_mkdir(const char *path);

struct fs_dirent {
    char name[FS_NAME_MAX + 1];
    uint8_t is_dir;
    uint64_t size;
};
/* Lists up to `max` entries of a directory; returns how many. */
long fs_list(const char *path, struct fs_dirent *out, size_t max);

const char *fs_strerror(long code);

#endif
