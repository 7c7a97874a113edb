/* libsel4/include/sel4/messageinfo.h: the message-info word (syscalls.md §5). */
#include "harness.h"
#include <sel4/messageinfo.h>

#define LABEL_MAX ((seL4_Word)0xFFFFFFFFFFFFF)   /* 52 bits */

HOST_TEST(MSGINFO_0001)
{
    /* syscalls.md §5.1: CNodeCopy, label 20, extraCaps 1, length 5 = 0x14085. */
    seL4_MessageInfo_t info = seL4_MessageInfo_new(20, 0, 1, 5);
    CHECK_EQ(info.words[0], 0x14085);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 20);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 5);
    /* The DeleteFirst reply of the same example: label 8, length 0. */
    CHECK_EQ(seL4_MessageInfo_new(8, 0, 0, 0).words[0], 0x8000);
}

HOST_TEST(MSGINFO_0002)
{
    /* Each field at its maximum lands in its own bits only. */
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 0, 120).words[0], 120);
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 0, 0x7F).words[0], 0x7F);
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 3, 0).words[0], 0x180);
    CHECK_EQ(seL4_MessageInfo_new(0, 7, 0, 0).words[0], 0xE00);
    CHECK_EQ(seL4_MessageInfo_new(LABEL_MAX, 0, 0, 0).words[0], ~(seL4_Word)0xFFF);
    CHECK_EQ(seL4_MessageInfo_new(LABEL_MAX, 7, 3, 0x7F).words[0], ~(seL4_Word)0);
    /* Values wider than a field are truncated, never spill into a neighbour. */
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 0, 0x80).words[0], 0);
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 4, 0).words[0], 0);
    CHECK_EQ(seL4_MessageInfo_new(0, 8, 0, 0).words[0], 0);
    CHECK_EQ(seL4_MessageInfo_new(((seL4_Word)1 << 52) | 1, 0, 0, 0).words[0], 0x1000);
}

HOST_TEST(MSGINFO_0003)
{
    /* Setters change one field and keep the others; pointer forms agree. */
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0xABCDE, 5, 2, 99);
    info = seL4_MessageInfo_set_length(info, 3);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0xABCDE);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 5);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 2);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 3);
    seL4_MessageInfo_ptr_set_extraCaps(&info, 0);
    CHECK_EQ(seL4_MessageInfo_ptr_get_extraCaps(&info), 0);
    CHECK_EQ(seL4_MessageInfo_ptr_get_length(&info), 3);
    seL4_MessageInfo_ptr_set_label(&info, ~(seL4_Word)0);
    CHECK_EQ(seL4_MessageInfo_get_label(info), LABEL_MAX);
    CHECK_EQ(info.words[0], ~(seL4_Word)0xFFF | (5 << 9) | 3);
}
