/*
 * Hosted (Linux) run-time check of the pure-C parts of Arca's libsel4:
 * bit-field encodings and IPC-buffer helpers.  No system call stub is
 * executed.  Built and run by libsel4/check.sh.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>

static int failures;

#define EXPECT_EQ(actual, expected)                                              \
    do {                                                                         \
        unsigned long a_ = (unsigned long)(actual);                              \
        unsigned long e_ = (unsigned long)(expected);                            \
        if (a_ != e_) {                                                          \
            printf("FAIL %s:%d: %s = 0x%lx, expected 0x%lx\n",                   \
                   __FILE__, __LINE__, #actual, a_, e_);                         \
            failures++;                                                          \
        }                                                                        \
    } while (0)

static seL4_IPCBuffer buffer;

int main(void)
{
    /* Message info: the worked example of syscalls.md section 5.1. */
    seL4_MessageInfo_t info = seL4_MessageInfo_new(20, 0, 1, 5);
    EXPECT_EQ(info.words[0], 0x14085);
    EXPECT_EQ(seL4_MessageInfo_new(8, 0, 0, 0).words[0], 0x8000);
    EXPECT_EQ(seL4_MessageInfo_new(0, 7, 3, 120).words[0], (7ul << 9) | (3ul << 7) | 120);
    EXPECT_EQ(seL4_MessageInfo_new(0xfffffffffffff, 0, 0, 0).words[0], 0xfffffffffffff000ul);
    EXPECT_EQ(seL4_MessageInfo_get_label(info), 20);
    EXPECT_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    EXPECT_EQ(seL4_MessageInfo_get_length(info), 5);
    EXPECT_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 5);
    EXPECT_EQ(info.words[0], 0x14085 | (5ul << 9));
    info = seL4_MessageInfo_set_length(info, 0x80);     /* truncated to 7 bits */
    EXPECT_EQ(seL4_MessageInfo_get_length(info), 0);
    EXPECT_EQ(seL4_MessageInfo_get_label(info), 20);
    seL4_MessageInfo_ptr_set_label(&info, 3);
    EXPECT_EQ(seL4_MessageInfo_ptr_get_label(&info), 3);
    EXPECT_EQ(seL4_MessageInfo_get_extraCaps(info), 1);

    /* Rights (capabilities.md section 3). */
    EXPECT_EQ(seL4_NoRights.words[0], 0x0);
    EXPECT_EQ(seL4_CanWrite.words[0], 0x1);
    EXPECT_EQ(seL4_CanRead.words[0], 0x2);
    EXPECT_EQ(seL4_ReadWrite.words[0], 0x3);
    EXPECT_EQ(seL4_CanGrant.words[0], 0x4);
    EXPECT_EQ(seL4_CanGrantReply.words[0], 0x8);
    EXPECT_EQ(seL4_NoRead.words[0], 0xD);
    EXPECT_EQ(seL4_NoWrite.words[0], 0xE);
    EXPECT_EQ(seL4_AllRights.words[0], 0xF);
    EXPECT_EQ(seL4_CapRights_get_capAllowGrantReply(seL4_CanGrantReply), 1);
    EXPECT_EQ(seL4_CapRights_get_capAllowRead(seL4_NoRead), 0);

    /* CNode cap data (capabilities.md section 1.1). */
    EXPECT_EQ(seL4_CNode_CapData_new(0, 51).words[0], 51);
    EXPECT_EQ(seL4_CNode_CapData_new(5, 3).words[0], (5ul << 6) | 3);
    EXPECT_EQ(seL4_CNode_CapData_get_guard(seL4_CNode_CapData_new(5, 3)), 5);

    /* IPC buffer helpers. */
    seL4_SetIPCBuffer(&buffer);
    EXPECT_EQ((unsigned long)seL4_GetIPCBuffer(), (unsigned long)&buffer);
    seL4_SetMR(0, 11);
    seL4_SetMR(119, 12);
    EXPECT_EQ(((seL4_Word *)&buffer)[1], 11);
    EXPECT_EQ(((seL4_Word *)&buffer)[120], 12);
    EXPECT_EQ(seL4_GetMR(119), 12);
    seL4_SetUserData(13);
    EXPECT_EQ(((seL4_Word *)&buffer)[121], 13);
    seL4_SetCap(2, 14);
    EXPECT_EQ(((seL4_Word *)&buffer)[124], 14);
    EXPECT_EQ(seL4_GetBadge(2), 14);
    seL4_SetCapReceivePath(2, 100, 64);
    EXPECT_EQ(((seL4_Word *)&buffer)[125], 2);
    EXPECT_EQ(((seL4_Word *)&buffer)[126], 100);
    EXPECT_EQ(((seL4_Word *)&buffer)[127], 64);
    {
        seL4_CPtr root = 0;
        seL4_Word depth = 0;
        seL4_GetCapReceivePath(&root, seL4_Null, &depth);
        EXPECT_EQ(root, 2);
        EXPECT_EQ(depth, 64);
    }

    /* Thread-name copy used by seL4_DebugNameThread. */
    {
        char longname[2000];
        memset(&buffer, 0x55, sizeof(buffer));
        arca_copy_thread_name(&buffer, "rootserver");
        EXPECT_EQ(memcmp((char *)&buffer + 8, "rootserver", 11), 0);
        EXPECT_EQ(((unsigned char *)&buffer)[0], 0x55);     /* tag untouched */

        memset(longname, 'a', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        memset(&buffer, 0x55, sizeof(buffer));
        arca_copy_thread_name(&buffer, longname);
        EXPECT_EQ(strlen((char *)&buffer + 8), 959);
        EXPECT_EQ(((unsigned char *)&buffer)[967], 0);      /* last byte of msg[] */
        EXPECT_EQ(((unsigned char *)&buffer)[968], 0x55);   /* userData untouched */
    }

    if (failures != 0) {
        printf("host_check: %d failure(s)\n", failures);
        return 1;
    }
    printf("host_check: all checks passed\n");
    return 0;
}
