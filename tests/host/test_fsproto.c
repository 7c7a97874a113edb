/*
 * The file service's two ends on the host: the client library
 * (user/components/fs/client.c) calling the file server
 * (user/components/fs/server.c) through the stand-in <microkit.h>, the
 * server calling a fake block driver over a RAM disk.  Message registers
 * are one array, as the IPC buffer is: the server's own calls to the
 * driver overwrite its request's registers, as they would on Arca.
 * Then each end alone against a hostile other end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microkit.h>

#include "harness.h"
#include "../../user/components/blk/blk.h"
#include "../../user/components/fs/fscore.h"
#include "../../user/components/fs/fsproto.h"
#include <arca/monitor.h>

/* The server's entry points and patched variables (server.c). */
void init(void);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg);
extern uintptr_t fs_blk_data;
extern uint64_t fs_blk_data_size;
extern uintptr_t fs_client1_buf, fs_client2_buf;
extern uint64_t fs_client1_size, fs_client2_size;

#define CLIENT_CH 1         /* the server's channel to the client, and the client's to it */
#define SERVER_BLK_CH 0     /* the server's channel to the driver */
#define DISK_BLOCKS 128u

static uint8_t disk[DISK_BLOCKS * FSC_BLOCK_SIZE];
static uint8_t blk_data[FSC_BLOCK_SIZE];
static uint8_t shared[FSP_MIN_BUFFER];  /* the smallest buffer the server takes */
static int blk_fail;
static unsigned blk_calls;

/* The fake driver: BLK_OP_* against `disk`, checked like blk.c does. */
static microkit_msginfo fake_blk(microkit_msginfo msg)
{
    uint64_t op = microkit_msginfo_get_label(msg);
    blk_calls++;
    if (op == BLK_OP_INFO) {
        microkit_mr_set(0, sizeof(disk) / BLK_SECTOR_SIZE);
        return microkit_msginfo_new(BLK_OK, 1);
    }
    uint64_t sector = microkit_mr_get(0), count = microkit_mr_get(1);
    if (microkit_msginfo_get_count(msg) < 2 || count == 0 ||
        count > sizeof(blk_data) / BLK_SECTOR_SIZE ||
        sector >= sizeof(disk) / BLK_SECTOR_SIZE ||
        count > sizeof(disk) / BLK_SECTOR_SIZE - sector)
        return microkit_msginfo_new(BLK_EINVAL, 0);
    if (blk_fail)
        return microkit_msginfo_new(BLK_EIO, 0);
    uint8_t *at = disk + sector * BLK_SECTOR_SIZE;
    if (op == BLK_OP_READ)
        memcpy(blk_data, at, count * BLK_SECTOR_SIZE);
    else if (op == BLK_OP_WRITE)
        memcpy(at, blk_data, count * BLK_SECTOR_SIZE);
    else
        return microkit_msginfo_new(BLK_EINVAL, 0);
    return microkit_msginfo_new(BLK_OK, 0);
}

/* Who answers a ppcall: the client's go to the server, the server's to
 * the driver (both use channel numbers of their own; they differ here). */
static microkit_msginfo route(microkit_channel ch, microkit_msginfo msg)
{
    if (ch == CLIENT_CH)
        return protected(CLIENT_CH, msg);
    if (ch == SERVER_BLK_CH)
        return fake_blk(msg);
    return microkit_msginfo_new(0, 0);
}

static int ram_read(void *ctx, uint32_t block, void *buf)
{
    (void)ctx;
    memcpy(buf, disk + (size_t)block * FSC_BLOCK_SIZE, FSC_BLOCK_SIZE);
    return 0;
}

static int ram_write(void *ctx, uint32_t block, const void *buf)
{
    (void)ctx;
    memcpy(disk + (size_t)block * FSC_BLOCK_SIZE, buf, FSC_BLOCK_SIZE);
    return 0;
}

static struct fsc_blockdev ram = { NULL, DISK_BLOCKS, ram_read, ram_write };

/* A formatted disk, the server started on it, the client connected. */
static void start(void)
{
    CHECK_EQ(fscore_format(&ram, 0, 256), FS_OK);
    blk_fail = 0;
    fs_blk_data = (uintptr_t)blk_data;
    fs_blk_data_size = sizeof(blk_data);
    fs_client1_buf = (uintptr_t)shared;
    fs_client1_size = sizeof(shared);
    fs_client2_buf = 0;
    fs_client2_size = 0;
    fake_ppcall_handler = route;
    init();
    fs_client_init(CLIENT_CH, shared, sizeof(shared));
}

static uint8_t big[20000], back[20000];

HOST_TEST(FS_0020)  /* client -> server -> driver: the operations end to end */
{
    start();
    CHECK_EQ(fs_mkdir("/d"), FS_OK);
    CHECK_EQ(fs_write("/d/f", "hello", 5), FS_OK);
    char buf[16];
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(fs_read("/d/f", buf, sizeof(buf)), 5);
    CHECK_STR(buf, "hello");
    CHECK_EQ(fs_read("/d/f", buf, 0), 0);
    /* A file larger than the buffer, put there behind the server's back,
     * is read in buffer-sized pieces. */
    static struct fscore direct;
    CHECK_EQ(fscore_mount(&direct, &ram), FSC_READWRITE);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + i / 300);
    CHECK_EQ(fscore_write(&direct, "/big", big, sizeof(big)), FS_OK);
    CHECK_EQ(fs_read("/big", back, sizeof(back)), sizeof(big));
    CHECK(memcmp(big, back, sizeof(big)) == 0);
    CHECK_EQ(fs_read("/big", back, 5000), 5000);
    /* Listing in pages: more entries than fit the buffer at once. */
    char name[32];
    for (int i = 0; i < 120; i++) {
        snprintf(name, sizeof(name), "/d/n%03d", i);
        CHECK_EQ(fs_write(name, "", 0), FS_OK);
    }
    static struct fs_dirent ents[200];
    CHECK_EQ(fs_list("/d", ents, 200), 121);
    CHECK_STR(ents[0].name, "f");
    CHECK_EQ(ents[0].size, 5);
    CHECK_STR(ents[120].name, "n119");
    CHECK_EQ(fs_list("/d", ents, 60), 60);
    CHECK_STR(ents[59].name, "n058");
    CHECK_EQ(fs_list("/", ents, 200), 2);
    CHECK_EQ(ents[0].is_dir, 1);
    CHECK_EQ(fs_remove("/d/f"), FS_OK);
    CHECK_EQ(fs_read("/d/f", buf, 1), FS_ENOENT);
    CHECK_EQ(fs_remove("/d"), FS_ENOTEMPTY);
}

HOST_TEST(FS_0021)  /* errors through the protocol */
{
    start();
    CHECK_EQ(fs_write("/f", big, sizeof(shared) - FSP_DATA_OFF), FS_OK);
    CHECK_EQ(fs_write("/f", big, sizeof(shared) - FSP_DATA_OFF + 1), FS_ETOOBIG);
    CHECK_EQ(fs_mkdir("/f/x"), FS_ENOTDIR);
    CHECK_EQ(fs_mkdir("/f"), FS_EEXIST);
    CHECK_EQ(fs_write("relative", "x", 1), FS_EINVAL);
    CHECK_EQ(fs_read(NULL, back, 1), FS_EINVAL);
    char path[FS_PATH_MAX + 2];
    memset(path, 'a', sizeof(path));
    path[0] = '/';
    path[FS_PATH_MAX + 1] = '\0';           /* 256 bytes: one too many */
    CHECK_EQ(fs_mkdir(path), FS_EINVAL);
    struct fs_dirent one;
    CHECK_EQ(fs_list("/none", &one, 0), FS_ENOENT);
    CHECK_EQ(fs_list("/f", &one, 1), FS_ENOTDIR);
    /* A disk the server cannot mount: FS_EIO, then fixed behind its back:
     * the next request mounts it. */
    disk[0] = 'X';
    init();
    CHECK_EQ(fs_read("/f", back, 1), FS_EIO);
    disk[0] = 'A';
    CHECK_EQ(fs_read("/f", back, 1), 1);
    /* The driver fails: FS_EIO. */
    blk_fail = 1;
    CHECK_EQ(fs_read("/f", back, 1), FS_EIO);
    blk_fail = 0;
    /* A client without the buffer set up. */
    fs_client_init(CLIENT_CH, NULL, 0);
    CHECK_EQ(fs_read("/f", back, 1), FS_EINVAL);
    fs_client_init(CLIENT_CH, shared, 100);   /* too small */
    CHECK_EQ(fs_mkdir("/g"), FS_EINVAL);
}

/* A raw request to the server: returns MR0 of its reply. */
static long raw(microkit_channel ch, uint64_t op, unsigned nmr, uint64_t a0, uint64_t a1)
{
    microkit_mr_set(0, a0);
    microkit_mr_set(1, a1);
    microkit_msginfo r = protected(ch, microkit_msginfo_new(op, (uint16_t)nmr));
    CHECK_EQ(microkit_msginfo_get_label(r), 0);
    CHECK_EQ(microkit_msginfo_get_count(r), 1);
    return (long)microkit_mr_get(0);
}

HOST_TEST(FS_0022)  /* the server against hostile requests */
{
    start();
    size_t room = sizeof(shared) - FSP_DATA_OFF;
    strcpy((char *)shared, "/f");
    CHECK_EQ(raw(CLIENT_CH, FSP_WRITE, 1, 3, 0), FS_OK);
    CHECK_EQ(raw(CLIENT_CH, FSP_WRITE, 1, room + 1, 0), FS_ETOOBIG);
    CHECK_EQ(raw(CLIENT_CH, FSP_WRITE, 1, ~0ull, 0), FS_ETOOBIG);
    CHECK_EQ(raw(CLIENT_CH, FSP_WRITE, 0, 3, 0), FS_EINVAL);         /* no length */
    CHECK_EQ(raw(CLIENT_CH, FSP_READ, 2, 0, room), 3);
    CHECK_EQ(raw(CLIENT_CH, FSP_READ, 2, 0, room + 1), FS_EINVAL);
    CHECK_EQ(raw(CLIENT_CH, FSP_READ, 2, ~0ull, 10), 0);             /* offset past the end */
    CHECK_EQ(raw(CLIENT_CH, FSP_READ, 1, 0, 10), FS_EINVAL);
    CHECK_EQ(raw(CLIENT_CH, FSP_LIST, 2, 0, room / sizeof(struct fs_dirent) + 1), FS_EINVAL);
    strcpy((char *)shared, "/");
    CHECK_EQ(raw(CLIENT_CH, FSP_LIST, 2, 1ull << 40, 1), FS_EINVAL);
    CHECK_EQ(raw(CLIENT_CH, FSP_LIST, 2, 0, 1), 1);
    CHECK_EQ(raw(CLIENT_CH, 0, 2, 0, 1), FS_EINVAL);                  /* unknown operations */
    CHECK_EQ(raw(CLIENT_CH, 99, 2, 0, 1), FS_EINVAL);
    CHECK_EQ(raw(CLIENT_CH, 1ull << 50, 2, 0, 1), FS_EINVAL);
    memset(shared, 'x', FSP_PATH_BYTES);                              /* no NUL in the path */
    CHECK_EQ(raw(CLIENT_CH, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    CHECK_EQ(raw(CLIENT_CH, FSP_READ, 2, 0, 1), FS_EINVAL);
    /* Channels without a buffer, or out of range. */
    strcpy((char *)shared, "/g");
    CHECK_EQ(raw(2, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    CHECK_EQ(raw(0, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    CHECK_EQ(raw(5, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    CHECK_EQ(raw(63, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    fs_client2_buf = (uintptr_t)shared;
    fs_client2_size = FSP_MIN_BUFFER - 1;                            /* too small */
    CHECK_EQ(raw(2, FSP_MKDIR, 0, 0, 0), FS_EINVAL);
    /* None of that changed the disk. */
    static struct fscore check;
    CHECK_EQ(fscore_mount(&check, &ram), FSC_READWRITE);
    struct fs_dirent ents[4];
    CHECK_EQ(fscore_list(&check, "/", 0, ents, 4), 1);
    CHECK_STR(ents[0].name, "f");
}

/* A server that answers whatever the test sets up. */
static microkit_msginfo bad_reply;
static uint64_t bad_mr0;
static struct fs_dirent bad_entries[4];
static microkit_msginfo hostile(microkit_channel ch, microkit_msginfo msg)
{
    (void)ch;
    (void)msg;
    memcpy(shared + FSP_DATA_OFF, bad_entries, sizeof(bad_entries));
    microkit_mr_set(0, bad_mr0);
    return bad_reply;
}

HOST_TEST(FS_0023)  /* the client against a restarted or hostile server */
{
    start();
    fake_ppcall_handler = hostile;
    struct fs_dirent ents[4];
    bad_reply = microkit_msginfo_new(ARCA_LABEL_PD_RESTARTED, 0);
    CHECK_EQ(fs_read("/f", back, 10), FS_ERESTARTED);
    CHECK_EQ(fs_write("/f", "x", 1), FS_ERESTARTED);
    CHECK_EQ(fs_mkdir("/d"), FS_ERESTARTED);
    CHECK_EQ(fs_remove("/d"), FS_ERESTARTED);
    CHECK_EQ(fs_list("/", ents, 4), FS_ERESTARTED);
    bad_reply = microkit_msginfo_new(0, 0);                 /* no result register */
    CHECK_EQ(fs_read("/f", back, 10), FS_EIO);
    bad_reply = microkit_msginfo_new(7, 1);                 /* an unknown label */
    CHECK_EQ(fs_mkdir("/d"), FS_EIO);
    bad_reply = microkit_msginfo_new(0, 1);
    bad_mr0 = 11;                                           /* more than asked for */
    CHECK_EQ(fs_read("/f", back, 10), FS_EIO);
    bad_mr0 = (uint64_t)-1000;                              /* not an FS_E* code */
    CHECK_EQ(fs_read("/f", back, 10), FS_EIO);
    CHECK_EQ(fs_write("/f", "x", 1), FS_EIO);
    bad_mr0 = 5;                                            /* write/mkdir/remove give 0 */
    CHECK_EQ(fs_write("/f", "x", 1), FS_EIO);
    CHECK_EQ(fs_remove("/f"), FS_EIO);
    bad_mr0 = 5;                                            /* 5 entries when 4 were asked */
    CHECK_EQ(fs_list("/", ents, 4), FS_EIO);
    /* Names without a NUL and odd flags come back terminated and 0/1. */
    memset(bad_entries, 'z', sizeof(bad_entries));
    bad_mr0 = 2;
    CHECK_EQ(fs_list("/", ents, 2), 2);
    CHECK_EQ(strlen(ents[0].name), FS_NAME_MAX);
    CHECK_EQ(ents[1].is_dir, 1);
    bad_mr0 = (uint64_t)FS_ENOSPC;
    CHECK_EQ(fs_write("/f", "x", 1), FS_ENOSPC);
    fake_ppcall_handler = route;
}
