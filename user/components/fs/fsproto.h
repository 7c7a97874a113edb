/*
 * The wire protocol between the file server (server.c) and its client
 * library (client.c); private to the two.
 *
 * Each client has its own shared buffer, mapped read-write in both:
 *   [0, FSP_PATH_BYTES)   the path, NUL-terminated
 *   [FSP_DATA_OFF, size)  data: file contents in or out, directory entries
 * A request is a ppcall with label FSP_*; the reply has label 0 and MR0 =
 * the result (bytes or entries, or a negative FS_E* code).  Another reply
 * label means the server did not answer the request (ARCA_LABEL_PD_RESTARTED
 * after a crash).
 */
#ifndef ARCA_FSPROTO_H
#define ARCA_FSPROTO_H

#include <arca/fs.h>

#define FSP_PATH_BYTES (FS_PATH_MAX + 1)
#define FSP_DATA_OFF   FSP_PATH_BYTES
#define FSP_MIN_BUFFER (FSP_DATA_OFF + 4096)

#define FSP_READ   1 /* MR0 offset, MR1 bytes wanted -> bytes read, data in the buffer */
#define FSP_WRITE  2 /* MR0 bytes (data in the buffer): create or replace */
#define FSP_MKDIR  3
#define FSP_REMOVE 4
#define FSP_LIST   5 /* MR0 first entry, MR1 entries wanted -> entries (struct fs_dirent[]) */

#endif
