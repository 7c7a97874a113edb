/*
 * Arca user libc: errno.  A plain global, not thread-local: the library
 * is meant for single-threaded root tasks, and keeping it out of TLS means
 * it works even before the crt has installed the TLS block.
 */
#ifndef ARCA_ERRNO_H
#define ARCA_ERRNO_H

extern int errno;

#define EPERM  1
#define ENOENT 2
#define EIO    5
#define ENOMEM 12
#define EFAULT 14
#define EBUSY  16
#define EINVAL 22
#define ENOSPC 28
#define EDOM   33
#define ERANGE 34
#define ENOSYS 38
#define EOVERFLOW 75

#endif
