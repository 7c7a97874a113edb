/*
 * IOPORT_*: I/O port capabilities (objects.md §5, invocations.md §2.9,
 * capabilities.md §7 and §10): IOPortControl_Issue with its ordered errors
 * and the global "already issued" rule, In/Out range checks, real port I/O
 * on the CMOS/RTC (ports 0x70/0x71) and freeing a range by deleting its
 * caps.  (IOPORT_0030, user `in`/`out` → #GP, is in test_fault.c, which has
 * the fault-handler machinery.)
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

#define IOCTL       seL4_CapIOPortControl
#define CT_IO_PORT  19
#define BIG_CPTR    ((seL4_Word)1 << 40)

static seL4_Error issue(seL4_CPtr slot, seL4_Word first, seL4_Word last)
{
    return seL4_X86_IOPortControl_Issue(IOCTL, first, last, ROOT_CNODE, slot, ROOT_DEPTH);
}

/* Raw In/Out with an unmasked port word; returns the reply. */
static seL4_MessageInfo_t raw_io(seL4_CPtr cap, seL4_Word label, seL4_Word len, seL4_Word port,
                                 seL4_Word data)
{
    seL4_Word mr[2] = { port, data };
    return raw_call(cap, label, len, 0, NULL, mr, len < 2 ? len : 2);
}

#define EXPECT_LABEL(info, want, what)                                       \
    EXPECT(INFO_LABEL(info) == (seL4_Word)(want), "%s: %s, expected %s", what, \
           err_name(INFO_LABEL(info)), err_name(want))

CTEST(IOPORT_0001, "Issue: TruncatedMessage, last < first (InvalidArgument 1), then slot errors")
{
    NEW_SLOT(s);
    NEW_SLOT(full);
    EXPECT_ERR(r_copy(full, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
    const seL4_CPtr root = ROOT_CNODE;
    seL4_Word mr[4] = { 0x70, 0x71, s, ROOT_DEPTH };
    seL4_MessageInfo_t r = raw_call(IOCTL, X86IOPortControlIssue, 3, 1, &root, mr, 3);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "length 3");
    r = raw_call(IOCTL, X86IOPortControlIssue, 4, 0, NULL, mr, 4);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "no cap");

    /* last < first comes before the slot checks. */
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x71, 0x70, ROOT_CNODE, full, ROOT_DEPTH),
               seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0xFFFF, 0, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH),
               seL4_InvalidArgument);
    EXPECT_MRS(1);
    /* Arguments are masked to 16 bits: 0x10071 is port 0x71 < 0x72. */
    EXPECT_ERR(issue(s, 0x10072, 0x71), seL4_InvalidArgument);

    /* Slot errors. */
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x70, 0x71, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_GuardMismatch, 64, 0, 51);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x70, 0x71, ROOT_CNODE, s, 0),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x70, 0x71, seL4_CapInitThreadTCB, s,
                                            ROOT_DEPTH), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_InvalidRoot);
    EXPECT_ERR(issue(full, 0x70, 0x71), seL4_DeleteFirst);
    EXPECT_TYPE(s, CT_NULL);

    /* None of that issued anything: the range is still free. */
    EXPECT_ERR(issue(s, 0x70, 0x71), seL4_NoError);
    EXPECT_TYPE(s, CT_IO_PORT);
    return PASS;
}

CTEST(IOPORT_0002, "Issue: any port already issued → RevokeFirst (before slot errors); masking")
{
    NEW_SLOT(a);
    NEW_SLOT(b);
    NEW_SLOT(c);
    NEW_SLOT(d);
    NEW_SLOT(full);
    EXPECT_ERR(r_copy(full, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(issue(a, 0x70, 0x71), seL4_NoError);
    const seL4_Word overlap[][2] = {
        { 0x70, 0x71 }, { 0x71, 0x72 }, { 0x6F, 0x70 }, { 0x71, 0x71 }, { 0x60, 0x80 },
        { 0, 0xFFFF }, { 0x10071, 0x10071 },
    };
    for (unsigned i = 0; i < sizeof(overlap) / sizeof(overlap[0]); i++) {
        seL4_Error e = issue(b, overlap[i][0], overlap[i][1]);
        EXPECT(e == seL4_RevokeFirst, "[%#lx, %#lx]: %s", (unsigned long)overlap[i][0],
               (unsigned long)overlap[i][1], err_name(e));
    }
    EXPECT_ERR(issue(full, 0x71, 0x72), seL4_RevokeFirst);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x71, 0x72, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH),
               seL4_RevokeFirst);
    EXPECT_TYPE(b, CT_NULL);
    /* Adjacent ranges are fine, also given with high bits set. */
    EXPECT_ERR(issue(b, 0x72, 0x73), seL4_NoError);
    EXPECT_ERR(issue(c, 0x1006E, 0x2006F), seL4_NoError);
    EXPECT_ERR(issue(d, 0x6F, 0x6F), seL4_RevokeFirst);
    EXPECT_TYPE(b, CT_IO_PORT);
    EXPECT_TYPE(c, CT_IO_PORT);
    /* The masked issue covers exactly 0x6E..0x6F. */
    EXPECT_ERR(issue(d, 0x6D, 0x6D), seL4_NoError);
    return PASS;
}

CTEST(IOPORT_0003, "In/Out: the accessed ports must lie inside the cap's range (IllegalOperation)")
{
    NEW_SLOT(io);
    EXPECT_ERR(issue(io, 0x70, 0x71), seL4_NoError);
    seL4_X86_IOPort_In8_t i8 = seL4_X86_IOPort_In8(io, 0x71);
    EXPECT_ERR(i8.error, seL4_NoError);
    i8 = seL4_X86_IOPort_In8(io, 0x70);
    EXPECT_ERR(i8.error, seL4_NoError);
    seL4_X86_IOPort_In16_t i16 = seL4_X86_IOPort_In16(io, 0x70);
    EXPECT_ERR(i16.error, seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPort_In16(io, 0x71).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_In8(io, 0x72).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_In8(io, 0x6F).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_In32(io, 0x70).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_In16(io, 0xFFFF).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_Out8(io, 0x72, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_Out16(io, 0x71, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_Out32(io, 0x70, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_Out8(io, 0x70, 0x0D), seL4_NoError);

    /* Port words are masked to 16 bits; a read replies label 0, length 1. */
    seL4_MessageInfo_t r = raw_io(io, X86IOPortIn8, 1, 0x10071, 0);
    EXPECT_LABEL(r, seL4_NoError, "In8(0x10071)");
    EXPECT(INFO_LEN(r) == 1, "In8 reply length %lu", (unsigned long)INFO_LEN(r));
    r = raw_io(io, X86IOPortIn8, 1, 0xFFFF0072UL, 0);
    EXPECT_LABEL(r, seL4_IllegalOperation, "In8(0xffff0072)");
    r = raw_io(io, X86IOPortOut8, 2, 0x10070, 0x0D);
    EXPECT_LABEL(r, seL4_NoError, "Out8(0x10070)");

    /* Truncated messages. */
    r = raw_io(io, X86IOPortIn8, 0, 0, 0);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "In8 with length 0");
    r = raw_io(io, X86IOPortIn16, 0, 0, 0);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "In16 with length 0");
    r = raw_io(io, X86IOPortOut8, 1, 0x70, 0);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "Out8 with length 1");
    r = raw_io(io, X86IOPortOut32, 1, 0x70, 0);
    EXPECT_LABEL(r, seL4_TruncatedMessage, "Out32 with length 1");

    /* A four-port range allows In32/Out32 at its start only. */
    NEW_SLOT(io4);
    EXPECT_ERR(issue(io4, 0x72, 0x75), seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPort_In32(io4, 0x72).error, seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPort_In32(io4, 0x73).error, seL4_IllegalOperation);
    EXPECT_ERR(seL4_X86_IOPort_In16(io4, 0x74).error, seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPort_In16(io4, 0x75).error, seL4_IllegalOperation);
    /* One cap does not grant another cap's ports. */
    EXPECT_ERR(seL4_X86_IOPort_In8(io4, 0x71).error, seL4_IllegalOperation);
    return PASS;
}

CTEST(IOPORT_0004, "labels: IOPortControl and IOPort accept only their own (IllegalOperation)")
{
    NEW_SLOT(io);
    EXPECT_ERR(issue(io, 0x70, 0x71), seL4_NoError);
    seL4_MessageInfo_t r = raw_io(IOCTL, X86IOPortIn8, 1, 0x70, 0);
    EXPECT_LABEL(r, seL4_IllegalOperation, "IOPortControl + In8");
    const seL4_CPtr root = ROOT_CNODE;
    NEW_SLOT(s);
    seL4_Word mr[4] = { 0x80, 0x80, s, ROOT_DEPTH };
    r = raw_call(io, X86IOPortControlIssue, 4, 1, &root, mr, 4);
    EXPECT_LABEL(r, seL4_IllegalOperation, "IOPort + Issue");
    r = raw_io(io, CNodeDelete, 2, 0, 0);
    EXPECT_LABEL(r, seL4_IllegalOperation, "IOPort + CNodeDelete");
    EXPECT_TYPE(s, CT_NULL);
    /* IOPortControl cannot be copied (capabilities.md §7). */
    EXPECT_ERR(r_copy(s, IOCTL, seL4_AllRights), seL4_IllegalOperation);
    return PASS;
}

/* CMOS register through an IOPort cap for 0x70..0x71 (NMI bit 7 clear). */
static int cmos_read(seL4_CPtr io, unsigned reg)
{
    if (seL4_X86_IOPort_Out8(io, 0x70, reg & 0x7F) != seL4_NoError)
        return -1;
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(io, 0x71);
    return r.error == seL4_NoError ? r.result : -1;
}

static bool cmos_write(seL4_CPtr io, unsigned reg, unsigned v)
{
    return seL4_X86_IOPort_Out8(io, 0x70, reg & 0x7F) == seL4_NoError &&
           seL4_X86_IOPort_Out8(io, 0x71, v & 0xFF) == seL4_NoError;
}

/* Seconds register, read outside an update cycle (register A bit 7). */
static int rtc_seconds(seL4_CPtr io)
{
    for (int i = 0; i < 100000; i++) {
        int a = cmos_read(io, 0x0A);
        if (a < 0)
            return -1;
        if (!(a & 0x80))
            return cmos_read(io, 0x00);
    }
    return -1;
}

CTEST(IOPORT_0005, "CMOS/RTC through an IOPort cap: status D, RAM byte round trip, the clock ticks")
{
    NEW_SLOT(io);
    EXPECT_ERR(issue(io, 0x70, 0x71), seL4_NoError);
    /* Status register D: bit 7 = valid RAM and time. */
    int d = cmos_read(io, 0x0D);
    EXPECT(d >= 0 && (d & 0x80), "register D = %#x", d);
    /* A general-purpose CMOS RAM byte (0x7F): write, read back, restore. */
    int old = cmos_read(io, 0x7F);
    EXPECT(old >= 0, "read of CMOS 0x7F failed");
    EXPECT(cmos_write(io, 0x7F, 0xA5), "write failed");
    int v1 = cmos_read(io, 0x7F);
    EXPECT(cmos_write(io, 0x7F, 0x5A), "write failed");
    int v2 = cmos_read(io, 0x7F);
    (void)cmos_write(io, 0x7F, (unsigned)old);
    EXPECT(v1 == 0xA5 && v2 == 0x5A, "CMOS 0x7F read back %#x and %#x", v1, v2);
    /* In16 at 0x70 reads both ports at once: the data byte is the high one. */
    EXPECT_ERR(seL4_X86_IOPort_Out8(io, 0x70, 0x0D), seL4_NoError);
    seL4_X86_IOPort_In16_t w = seL4_X86_IOPort_In16(io, 0x70);
    EXPECT_ERR(w.error, seL4_NoError);
    EXPECT((w.result >> 8) & 0x80, "In16(0x70) = %#x: register D not in the high byte", w.result);
    /* The seconds change within 1.2 s. */
    int s0 = rtc_seconds(io);
    EXPECT(s0 >= 0, "seconds unreadable");
    delay_ms(1200);
    int s1 = rtc_seconds(io);
    EXPECT(s1 >= 0 && s1 != s0, "seconds did not change: %#x then %#x", s0, s1);
    return PASS;
}

CTEST(IOPORT_0006, "deleting the last cap frees the range; copies keep it issued")
{
    NEW_SLOT(a);
    NEW_SLOT(copy);
    NEW_SLOT(again);
    EXPECT_ERR(issue(a, 0x70, 0x71), seL4_NoError);
    EXPECT_ERR(r_copy(copy, a, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(copy, CT_IO_PORT);
    EXPECT_ERR(seL4_X86_IOPort_In8(copy, 0x71).error, seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    EXPECT_ERR(issue(again, 0x70, 0x71), seL4_RevokeFirst);
    EXPECT_ERR(issue(again, 0x71, 0x71), seL4_RevokeFirst);
    EXPECT_ERR(seL4_X86_IOPort_In8(copy, 0x71).error, seL4_NoError);
    EXPECT_ERR(r_delete(copy), seL4_NoError);
    EXPECT_ERR(issue(again, 0x70, 0x71), seL4_NoError);
    EXPECT_ERR(r_delete(again), seL4_NoError);
    /* Only the deleted cap's range is freed. */
    EXPECT_ERR(issue(a, 0x70, 0x70), seL4_NoError);
    EXPECT_ERR(issue(copy, 0x71, 0x71), seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    EXPECT_ERR(issue(again, 0x71, 0x71), seL4_RevokeFirst);
    EXPECT_ERR(issue(again, 0x70, 0x70), seL4_NoError);
    return PASS;
}

CTEST(IOPORT_0007, "revoking IOPortControl deletes every issued IOPort cap and frees the ports")
{
    NEW_SLOT(a);
    NEW_SLOT(b);
    NEW_SLOT(c);
    EXPECT_ERR(issue(a, 0x70, 0x71), seL4_NoError);
    EXPECT_ERR(issue(b, 0x40, 0x43), seL4_NoError);
    EXPECT_ERR(r_copy(c, b, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_revoke(IOCTL), seL4_NoError);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(b, CT_NULL);
    EXPECT_TYPE(c, CT_NULL);
    EXPECT_TYPE(IOCTL, CT_IO_PORT_CONTROL);
    EXPECT_ERR(issue(a, 0x40, 0x71), seL4_NoError);
    return PASS;
}

/* A thread in another CSpace uses an IOPort cap given to it. */
struct io_user {
    seL4_CPtr cap;
    volatile int value, error, done;
};

static void io_user_fn(void *arg)
{
    struct io_user *u = arg;
    if (seL4_X86_IOPort_Out8(u->cap, 0x70, 0x0D) != seL4_NoError) {
        u->error = 1;
    } else {
        seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(u->cap, 0x71);
        u->error = r.error;
        u->value = r.result;
    }
    u->done = 1;
}

TTEST(IOPORT_0008, "an IOPort cap copied into a thread's own CSpace works there")
{
    NEW_SLOT(io);
    EXPECT_ERR(issue(io, 0x70, 0x71), seL4_NoError);
    seL4_CPtr cn = new_cnode(4);
    EXPECT(cn != 0, "cnode: %s", thread_error());
    EXPECT_ERR(cn_copy(cn, 4, 3, io, seL4_AllRights), seL4_NoError);
    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.cspace = cn;
    o.cspace_radix = 4;
    o.self_index = 1;
    struct thread *t = thread_create_opts(&o);
    EXPECT(t != NULL, "thread: %s", thread_error());
    static struct io_user u;
    memset(&u, 0, sizeof(u));
    u.cap = 3;
    START(t, io_user_fn, &u);
    settle();
    EXPECT(u.done, "thread did not finish");
    EXPECT(u.error == 0 && (u.value & 0x80), "error %d, register D %#x", u.error, u.value);
    return PASS;
}
