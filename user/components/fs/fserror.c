/* fs_strerror (<arca/fs.h>): shared by the client library and host tools. */
#include <arca/fs.h>

const char *fs_strerror(long code)
{
    switch (code) {
    case FS_OK:         return "success";
    case FS_ENOENT:     return "no such file or directory";
    case FS_EEXIST:     return "already exists";
    case FS_ENOTDIR:    return "not a directory";
    case FS_EISDIR:     return "is a directory";
    case FS_ENOTEMPTY:  return "directory not empty";
    case FS_ENOSPC:     return "no space left (disk or directory full)";
    case FS_EINVAL:     return "invalid path or argument";
    case FS_EIO:        return "I/O error or corrupt file system";
    case FS_ERESTARTED: return "file server restarted";
    case FS_ETOOBIG:    return "too big for the shared buffer";
    default:            return code > 0 ? "success" : "unknown error";
    }
}
