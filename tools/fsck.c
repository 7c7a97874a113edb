/*
 * fsck: checks an Arca file system image on the host with the file
 * server's own code (user/components/fs/fscore.c), and reads from it.
 * Built by make as build/host/fsck; make test checks tools/mkfs.py's images
 * with it (FS_0050...).
 *
 *   fsck IMAGE            check; prints one line, exit 0 clean, 1 read-only
 *                         (inconsistent), 2 refused or unusable
 *   fsck IMAGE ls PATH    the directory's entries, one a line: d|f SIZE NAME
 *   fsck IMAGE cat PATH   the file's bytes on stdout
 *
 * The image is opened read-only: nothing here writes to it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../user/components/fs/fscore.h"

static int image_read(void *ctx, uint32_t block, void *buf)
{
    int fd = *(int *)ctx;
    ssize_t n = pread(fd, buf, FSC_BLOCK_SIZE, (off_t)block * FSC_BLOCK_SIZE);
    return n == FSC_BLOCK_SIZE ? 0 : -1;
}

static int image_write(void *ctx, uint32_t block, const void *buf)
{
    (void)ctx;
    (void)block;
    (void)buf;
    return -1;
}

static struct fscore fs;
static uint8_t data[FSC_MAX_FILE_SIZE];

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: fsck IMAGE [ls PATH | cat PATH]\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "fsck: cannot open %s\n", argv[1]);
        return 2;
    }
    struct fsc_blockdev dev = { &fd, (uint32_t)(st.st_size / FSC_BLOCK_SIZE),
                                image_read, image_write };
    int r = fscore_mount(&fs, &dev);
    if (argc == 2) {
        if (r == FSC_READWRITE) {
            printf("%s: clean, %u of %u blocks free, %u of %u inodes free\n", argv[1],
                   (unsigned)fs.free_blocks, (unsigned)fs.sb.total_blocks,
                   (unsigned)fs.free_inodes, (unsigned)fs.sb.inode_count - 1);
            return 0;
        }
        printf("%s: %s: %s\n", argv[1], r == FSC_READONLY ? "inconsistent (read-only)"
                                                           : "refused", fs.error);
        return r == FSC_READONLY ? 1 : 2;
    }
    if (r < 0) {
        fprintf(stderr, "fsck: %s: refused: %s\n", argv[1], fs.error);
        return 2;
    }
    const char *path = argv[3];
    if (strcmp(argv[2], "cat") == 0) {
        long n = fscore_read(&fs, path, 0, data, sizeof(data));
        if (n < 0) {
            fprintf(stderr, "fsck: %s: %s\n", path, fs_strerror(n));
            return 2;
        }
        fwrite(data, 1, (size_t)n, stdout);
        return 0;
    }
    if (strcmp(argv[2], "ls") == 0) {
        struct fs_dirent ents[16];
        for (uint32_t start = 0;;) {
            long n = fscore_list(&fs, path, start, ents, 16);
            if (n < 0) {
                fprintf(stderr, "fsck: %s: %s\n", path, fs_strerror(n));
                return 2;
            }
            for (long i = 0; i < n; i++)
                printf("%c %llu %s\n", ents[i].is_dir ? 'd' : 'f',
                       (unsigned long long)ents[i].size, ents[i].name);
            if (n < 16)
                return 0;
            start += (uint32_t)n;
        }
    }
    fprintf(stderr, "fsck: unknown command %s\n", argv[2]);
    return 2;
}
