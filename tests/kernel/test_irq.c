/*
 * IRQ_*: IRQControl and IRQHandler invocations on pc99 in IOAPIC mode
 * (objects.md §6, invocations.md §2.4, capabilities.md §7/§10), and real
 * interrupts delivered to notifications: the RTC's periodic interrupt
 * (CMOS ports 0x70/0x71, ISA IRQ 8 = IOAPIC pin 8) and the PIT (ports
 * 0x40-0x43, ISA IRQ 0, which QEMU's MADT overrides to IOAPIC pin 2).
 * The kernel's own tick is the LAPIC timer, so both devices are free.
 *
 * Vectors: the `vector` argument v is 0..107, irq = v + 16, CPU vector
 * v + 0x30.  Handlers issued here are deleted by the workspace at the end of
 * each test, which frees their vectors again.
 *
 * The root never blocks: interrupts are awaited by polling the notification
 * against a TSC deadline.
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

#define IRQCTL      seL4_CapIRQControl
#define IOCTL       seL4_CapIOPortControl
#define CT_IRQ_HANDLER 16
#define CT_IO_PORT     19
#define BIG_CPTR    ((seL4_Word)1 << 40)

/* Vectors used by the argument tests (no hardware behind them). */
#define V_A 40
#define V_B 41
#define V_MSI 60

static seL4_Error ioapic(seL4_CPtr slot, seL4_Word pin, seL4_Word level, seL4_Word pol,
                         seL4_Word vector)
{
    return seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, slot, ROOT_DEPTH, 0, pin, level, pol,
                                     vector);
}

static seL4_Error msi(seL4_CPtr slot, seL4_Word bus, seL4_Word dev, seL4_Word func,
                      seL4_Word vector)
{
    return seL4_IRQControl_GetMSI(IRQCTL, ROOT_CNODE, slot, ROOT_DEPTH, bus, dev, func, 0x1234,
                                  vector);
}

/* ======================================================================
 * IRQControl
 * ====================================================================== */

CTEST(IRQ_0001, "IRQControl_Get: TruncatedMessage, then IllegalOperation in IOAPIC mode")
{
    NEW_SLOT(s);
    const seL4_CPtr root = ROOT_CNODE;
    seL4_Word mr[3] = { 3, s, ROOT_DEPTH };
    seL4_MessageInfo_t r = raw_call(IRQCTL, IRQIssueIRQHandler, 2, 1, &root, mr, 2);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "length 2: %s", err_name(INFO_LABEL(r)));
    r = raw_call(IRQCTL, IRQIssueIRQHandler, 3, 0, NULL, mr, 3);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "no cap: %s", err_name(INFO_LABEL(r)));
    const seL4_Word irqs[] = { 0, 3, 8, 15, 16, 100 };
    for (unsigned i = 0; i < sizeof(irqs) / sizeof(irqs[0]); i++) {
        seL4_Error e = seL4_IRQControl_Get(IRQCTL, irqs[i], ROOT_CNODE, s, ROOT_DEPTH);
        EXPECT(e == seL4_IllegalOperation, "irq %lu: %s", (unsigned long)irqs[i], err_name(e));
    }
    EXPECT_TYPE(s, CT_NULL);
    return PASS;
}

CTEST(IRQ_0002, "GetIOAPIC: errors in the documented order")
{
    NEW_SLOT(s);
    NEW_SLOT(full);
    EXPECT_ERR(r_copy(full, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
    const seL4_CPtr root = ROOT_CNODE;

    /* length < 7 or no cap0 → TruncatedMessage. */
    seL4_Word mr[7] = { s, ROOT_DEPTH, 0, 5, 0, 0, V_A };
    seL4_MessageInfo_t r = raw_call(IRQCTL, X86IRQIssueIRQHandlerIOAPIC, 6, 1, &root, mr, 6);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "length 6: %s", err_name(INFO_LABEL(r)));
    r = raw_call(IRQCTL, X86IRQIssueIRQHandlerIOAPIC, 7, 0, NULL, mr, 7);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "no cap: %s", err_name(INFO_LABEL(r)));

    /* vector > 107 → RangeError(0, 107), before everything else. */
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, full, ROOT_DEPTH, 5, 99, 2, 2, 108),
               seL4_RangeError);
    EXPECT_MRS(0, 107);
    EXPECT_ERR(ioapic(s, 5, 0, 0, (seL4_Word)1 << 63), seL4_RangeError);
    EXPECT_MRS(0, 107);

    /* Destination slot: lookup errors, then DeleteFirst (before the IOAPIC
     * argument checks). */
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH, 5, 99, 2, 2,
                                         V_A), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_GuardMismatch, 64, 0, 51);
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, s, 0, 0, 5, 0, 0, V_A),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, seL4_CapInitThreadTCB, s, ROOT_DEPTH, 0, 5, 0, 0,
                                         V_A), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_InvalidRoot);
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, full, ROOT_DEPTH, 5, 99, 2, 2, V_A),
               seL4_DeleteFirst);

    /* ioapic >= 1 (QEMU has one), pin >= 24, level > 1, polarity > 1. */
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, s, ROOT_DEPTH, 1, 99, 2, 2, V_A),
               seL4_RangeError);
    EXPECT_MRS(0, 0);
    EXPECT_ERR(ioapic(s, 24, 2, 2, V_A), seL4_RangeError);
    EXPECT_MRS(0, 23);
    EXPECT_ERR(ioapic(s, 5, 2, 2, V_A), seL4_RangeError);
    EXPECT_MRS(0, 1);
    EXPECT_ERR(ioapic(s, 5, 0, 2, V_A), seL4_RangeError);
    EXPECT_MRS(0, 1);
    EXPECT_TYPE(s, CT_NULL);
    return PASS;
}

CTEST(IRQ_0003, "GetIOAPIC issues a handler; the same vector again → RevokeFirst (before slot errors)")
{
    NEW_SLOT(h);
    NEW_SLOT(h2);
    NEW_SLOT(full);
    EXPECT_ERR(r_copy(full, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
    /* Pin 5 (unused ISA line), edge, active high. */
    EXPECT_ERR(ioapic(h, 5, 0, 0, V_A), seL4_NoError);
    EXPECT_TYPE(h, CT_IRQ_HANDLER);
    EXPECT_ERR(ioapic(h2, 6, 0, 0, V_A), seL4_RevokeFirst);
    EXPECT_ERR(ioapic(full, 6, 0, 0, V_A), seL4_RevokeFirst);
    EXPECT_ERR(seL4_IRQControl_GetIOAPIC(IRQCTL, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH, 0, 6, 0, 0,
                                         V_A), seL4_RevokeFirst);
    EXPECT_ERR(msi(h2, 0, 0, 0, V_A), seL4_RevokeFirst);
    EXPECT_TYPE(h2, CT_NULL);
    /* Level-triggered, active-low works too (another vector). */
    EXPECT_ERR(ioapic(h2, 7, 1, 1, V_B), seL4_NoError);
    EXPECT_TYPE(h2, CT_IRQ_HANDLER);
    /* Boundary vectors 0 and 107. */
    NEW_SLOT(lo);
    NEW_SLOT(hi);
    EXPECT_ERR(msi(lo, 0, 0, 0, 0), seL4_NoError);
    EXPECT_ERR(msi(hi, 0, 0, 0, 107), seL4_NoError);
    EXPECT_TYPE(lo, CT_IRQ_HANDLER);
    EXPECT_TYPE(hi, CT_IRQ_HANDLER);
    return PASS;
}

CTEST(IRQ_0004, "GetMSI: TruncatedMessage, vector, slot, then bus/dev/func range errors")
{
    NEW_SLOT(s);
    NEW_SLOT(full);
    EXPECT_ERR(r_copy(full, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
    const seL4_CPtr root = ROOT_CNODE;
    seL4_Word mr[7] = { s, ROOT_DEPTH, 0, 0, 0, 0, V_MSI };
    seL4_MessageInfo_t r = raw_call(IRQCTL, X86IRQIssueIRQHandlerMSI, 6, 1, &root, mr, 6);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "length 6: %s", err_name(INFO_LABEL(r)));

    EXPECT_ERR(seL4_IRQControl_GetMSI(IRQCTL, ROOT_CNODE, full, ROOT_DEPTH, 256, 32, 8, 0, 108),
               seL4_RangeError);
    EXPECT_MRS(0, 107);
    EXPECT_ERR(seL4_IRQControl_GetMSI(IRQCTL, ROOT_CNODE, full, ROOT_DEPTH, 256, 32, 8, 0, V_MSI),
               seL4_DeleteFirst);
    EXPECT_ERR(seL4_IRQControl_GetMSI(IRQCTL, ROOT_CNODE, BIG_CPTR, ROOT_DEPTH, 256, 32, 8, 0,
                                      V_MSI), seL4_FailedLookup);
    EXPECT_ERR(msi(s, 256, 32, 8, V_MSI), seL4_RangeError);
    EXPECT_MRS(0, 255);
    EXPECT_ERR(msi(s, 255, 32, 8, V_MSI), seL4_RangeError);
    EXPECT_MRS(0, 31);
    EXPECT_ERR(msi(s, 255, 31, 8, V_MSI), seL4_RangeError);
    EXPECT_MRS(0, 7);
    EXPECT_TYPE(s, CT_NULL);
    EXPECT_ERR(msi(s, 255, 31, 7, V_MSI), seL4_NoError);
    EXPECT_TYPE(s, CT_IRQ_HANDLER);
    NEW_SLOT(s2);
    EXPECT_ERR(msi(s2, 1, 2, 3, V_MSI), seL4_RevokeFirst);
    EXPECT_ERR(ioapic(s2, 5, 0, 0, V_MSI), seL4_RevokeFirst);
    return PASS;
}

CTEST(IRQ_0005, "deleting the last handler cap frees the vector; copies keep it active")
{
    NEW_SLOT(h);
    NEW_SLOT(c);
    NEW_SLOT(again);
    EXPECT_ERR(msi(h, 0, 1, 0, V_MSI), seL4_NoError);
    EXPECT_ERR(r_copy(c, h, seL4_AllRights), seL4_NoError);     /* an unchanged copy */
    EXPECT_TYPE(c, CT_IRQ_HANDLER);
    EXPECT_ERR(r_delete(h), seL4_NoError);
    EXPECT_ERR(msi(again, 0, 1, 0, V_MSI), seL4_RevokeFirst);
    EXPECT_ERR(seL4_IRQHandler_Ack(c), seL4_NoError);           /* the copy still works */
    EXPECT_ERR(r_delete(c), seL4_NoError);
    EXPECT_ERR(msi(again, 0, 1, 0, V_MSI), seL4_NoError);
    EXPECT_ERR(r_delete(again), seL4_NoError);
    /* An IOAPIC handler likewise. */
    EXPECT_ERR(ioapic(h, 5, 0, 0, V_A), seL4_NoError);
    EXPECT_ERR(r_delete(h), seL4_NoError);
    EXPECT_ERR(ioapic(h, 5, 0, 0, V_A), seL4_NoError);
    return PASS;
}

CTEST(IRQ_0006, "IRQControl cannot be copied; revoking it deletes every issued handler")
{
    NEW_SLOT(s);
    EXPECT_ERR(r_copy(s, IRQCTL, seL4_AllRights), seL4_IllegalOperation);
    NEW_SLOT(h1);
    NEW_SLOT(h2);
    EXPECT_ERR(msi(h1, 0, 0, 0, V_MSI), seL4_NoError);
    EXPECT_ERR(ioapic(h2, 5, 0, 0, V_A), seL4_NoError);
    /* Handlers are CDT children of IRQControl (invocations.md §2.4). */
    EXPECT_ERR(r_revoke(IRQCTL), seL4_NoError);
    EXPECT_TYPE(h1, CT_NULL);
    EXPECT_TYPE(h2, CT_NULL);
    EXPECT_TYPE(IRQCTL, CT_IRQ_CONTROL);
    EXPECT_ERR(msi(h1, 0, 0, 0, V_MSI), seL4_NoError);
    EXPECT_ERR(ioapic(h2, 5, 0, 0, V_A), seL4_NoError);
    return PASS;
}

CTEST(IRQ_0007, "labels IRQControl and IRQHandler do not accept: IllegalOperation")
{
    NEW_SLOT(h);
    EXPECT_ERR(msi(h, 0, 0, 0, V_MSI), seL4_NoError);
    seL4_MessageInfo_t r = raw_call(IRQCTL, IRQAckIRQ, 0, 0, NULL, NULL, 0);
    EXPECT(INFO_LABEL(r) == seL4_IllegalOperation, "IRQControl + Ack: %s",
           err_name(INFO_LABEL(r)));
    r = raw_call(IRQCTL, X86IOPortIn8, 1, 0, NULL, (seL4_Word[]){ 0x70 }, 1);
    EXPECT(INFO_LABEL(r) == seL4_IllegalOperation, "IRQControl + In8: %s",
           err_name(INFO_LABEL(r)));
    r = raw_call(h, IRQIssueIRQHandler, 0, 0, NULL, NULL, 0);
    EXPECT(INFO_LABEL(r) == seL4_IllegalOperation, "IRQHandler + Get: %s",
           err_name(INFO_LABEL(r)));
    r = raw_call(h, X86IRQIssueIRQHandlerMSI, 0, 0, NULL, NULL, 0);
    EXPECT(INFO_LABEL(r) == seL4_IllegalOperation, "IRQHandler + GetMSI: %s",
           err_name(INFO_LABEL(r)));
    r = raw_call(h, CNodeCopy, 0, 0, NULL, NULL, 0);
    EXPECT(INFO_LABEL(r) == seL4_IllegalOperation, "IRQHandler + CNodeCopy: %s",
           err_name(INFO_LABEL(r)));
    return PASS;
}

/* ======================================================================
 * IRQHandler
 * ====================================================================== */

CTEST(IRQ_0010, "SetNotification: cap errors (InvalidCapability 0), TruncatedMessage; Ack/Clear succeed")
{
    NEW_SLOT(h);
    EXPECT_ERR(msi(h, 0, 0, 0, V_MSI), seL4_NoError);
    NEW_UT(ut, 16);
    NEW_OBJ(ntfn, ut, seL4_NotificationObject, 0);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(ro);
    NEW_SLOT(wo);
    NEW_SLOT(badged);
    EXPECT_ERR(r_copy(ro, ntfn, seL4_CanRead), seL4_NoError);
    EXPECT_ERR(r_copy(wo, ntfn, seL4_CanWrite), seL4_NoError);
    EXPECT_ERR(r_mint(badged, ntfn, seL4_AllRights, 0x42), seL4_NoError);

    seL4_MessageInfo_t r = raw_call(h, IRQSetIRQHandler, 0, 0, NULL, NULL, 0);
    EXPECT(INFO_LABEL(r) == seL4_TruncatedMessage, "no cap: %s", err_name(INFO_LABEL(r)));
    /* invocations.md §2.4: InvalidCapability with index 0 for cap0. */
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability);
    EXPECT_MRS(0);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, ro), seL4_InvalidCapability);
    EXPECT_MRS(0);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, seL4_CapInitThreadTCB), seL4_InvalidCapability);
    EXPECT_MRS(0);
    NEW_SLOT(empty);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, empty), seL4_InvalidCapability);
    EXPECT_MRS(0);

    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, wo), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, badged), seL4_NoError);   /* replaces */
    EXPECT_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_Clear(h), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_Clear(h), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(h, ntfn), seL4_NoError);
    /* Deleting the notification while attached, then the handler. */
    EXPECT_ERR(r_delete(badged), seL4_NoError);
    EXPECT_ERR(r_delete(wo), seL4_NoError);
    EXPECT_ERR(r_delete(ro), seL4_NoError);
    EXPECT_ERR(r_delete(ntfn), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    EXPECT_ERR(r_delete(h), seL4_NoError);
    return PASS;
}

/* ======================================================================
 * Real interrupts
 * ====================================================================== */

/* I/O through an IOPort cap; -1 on error. */
static int in8(seL4_CPtr cap, seL4_Word port)
{
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(cap, (seL4_Uint16)port);
    return r.error == seL4_NoError ? r.result : -1;
}

static bool out8(seL4_CPtr cap, seL4_Word port, seL4_Word v)
{
    return seL4_X86_IOPort_Out8(cap, port, v) == seL4_NoError;
}

/* CMOS register access (index port 0x70 with NMI enable bit 7 clear). */
static int cmos_read(seL4_CPtr io, unsigned reg)
{
    if (!out8(io, 0x70, reg & 0x7F))
        return -1;
    return in8(io, 0x71);
}

static bool cmos_write(seL4_CPtr io, unsigned reg, unsigned v)
{
    return out8(io, 0x70, reg & 0x7F) && out8(io, 0x71, v & 0xFF);
}

/* Poll `ntfn` until its word is non-zero or `ms` passed; the word or 0. */
static seL4_Word wait_signal(seL4_CPtr ntfn, unsigned ms)
{
    uint64_t end = tsc_after_ms(ms);
    do {
        seL4_Word w = ntfn_poll(ntfn);
        if (w != 0)
            return w;
    } while (test_rdtsc() < end);
    return 0;
}

#define RTC_VECTOR  50
#define RTC_BADGE   0x80
#define PIT_VECTOR  51
#define PIT_BADGE   0x100

struct rtc {
    seL4_CPtr io, handler, ntfn, badged;
    int reg_a, reg_b;
    bool started;
};

/* IOPort for 0x70-0x71, handler for pin 8 (edge, active high), a
 * notification (badge RTC_BADGE on the handler's copy). */
static test_result_t rtc_setup(struct rtc *r)
{
    memset(r, 0, sizeof(*r));
    r->io = slot_alloc();
    r->handler = slot_alloc();
    r->badged = slot_alloc();
    EXPECT(r->io && r->handler && r->badged, "out of slots");
    seL4_CPtr ut = ut_carve(12);
    EXPECT(ut != 0, "no untyped");
    r->ntfn = mk_obj(ut, seL4_NotificationObject, 0, NULL);
    EXPECT(r->ntfn != 0, "notification");
    EXPECT_ERR(r_mint(r->badged, r->ntfn, seL4_AllRights, RTC_BADGE), seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x70, 0x71, ROOT_CNODE, r->io, ROOT_DEPTH),
               seL4_NoError);
    EXPECT_ERR(ioapic(r->handler, 8, 0, 0, RTC_VECTOR), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(r->handler, r->badged), seL4_NoError);
    r->reg_a = cmos_read(r->io, 0x0A);
    r->reg_b = cmos_read(r->io, 0x0B);
    EXPECT(r->reg_a >= 0 && r->reg_b >= 0, "CMOS read through the IOPort cap failed");
    return PASS;
}

/* Periodic interrupt at 128 Hz (rate 9). */
static test_result_t rtc_start(struct rtc *r)
{
    EXPECT(cmos_write(r->io, 0x0A, ((unsigned)r->reg_a & 0xF0) | 0x09), "CMOS write");
    EXPECT(cmos_write(r->io, 0x0B, (unsigned)r->reg_b | 0x40), "CMOS write");   /* PIE */
    r->started = true;
    EXPECT(cmos_read(r->io, 0x0C) >= 0, "CMOS read");   /* clear pending flags */
    return PASS;
}

static void rtc_stop(struct rtc *r)
{
    if (r->io == 0 || r->reg_b < 0)
        return;
    if (r->started) {
        (void)cmos_write(r->io, 0x0B, (unsigned)r->reg_b & ~0x40u);
        (void)cmos_write(r->io, 0x0A, (unsigned)r->reg_a);
        (void)cmos_read(r->io, 0x0C);
    }
}

/* Unmask: Ack, then read register C so that the RTC drops its line and the
 * next period makes a fresh edge (an edge while the pin was masked is lost,
 * and the line stays high until C is read). */
static test_result_t rtc_ack(struct rtc *r)
{
    EXPECT_ERR(seL4_IRQHandler_Ack(r->handler), seL4_NoError);
    EXPECT(cmos_read(r->io, 0x0C) >= 0, "CMOS read");
    return PASS;
}

/* One interrupt: signal with our badge, the RTC says periodic (reg C bits
 * 7 IRQF and 6 PF), acknowledge the device, then (if ack) the IRQ. */
static test_result_t rtc_take(struct rtc *r, int k, bool ack)
{
    seL4_Word w = wait_signal(r->ntfn, 1000);
    EXPECT(w == RTC_BADGE, "interrupt %d: notification word %#lx, expected %#x", k,
           (unsigned long)w, RTC_BADGE);
    int c = cmos_read(r->io, 0x0C);
    EXPECT(c >= 0 && (c & 0xC0) == 0xC0, "interrupt %d: RTC register C %#x", k, c);
    if (ack)
        CHECK(rtc_ack(r));
    return PASS;
}

static test_result_t rtc_body(struct rtc *r)
{
    CHECK(rtc_start(r));
    for (int k = 0; k < 5; k++)
        CHECK(rtc_take(r, k, true));
    /* Without Ack the line stays masked: nothing arrives. */
    CHECK(rtc_take(r, 5, false));
    delay_ms(30);
    (void)cmos_read(r->io, 0x0C);
    delay_ms(10);
    EXPECT(ntfn_poll(r->ntfn) == 0, "an interrupt arrived although it was not acknowledged");
    CHECK(rtc_ack(r));
    CHECK(rtc_take(r, 6, true));
    return PASS;
}

CTEST(IRQ_0020, "RTC periodic interrupt (IOAPIC pin 8) → notification; Ack re-enables; no Ack, no interrupt")
{
    static struct rtc r;
    test_result_t res = rtc_setup(&r);
    if (res == PASS)
        res = rtc_body(&r);
    rtc_stop(&r);
    return res;
}

static test_result_t rtc_clear_body(struct rtc *r)
{
    CHECK(rtc_start(r));
    CHECK(rtc_take(r, 0, true));
    /* Clear detaches the notification: the next interrupt only masks the
     * line (objects.md §6). */
    EXPECT_ERR(seL4_IRQHandler_Clear(r->handler), seL4_NoError);
    (void)cmos_read(r->io, 0x0C);
    /* An interrupt that came between the Ack above and the Clear signalled
     * (and left the line masked): take it, then expect nothing more. */
    (void)ntfn_poll(r->ntfn);
    delay_ms(30);
    EXPECT(ntfn_poll(r->ntfn) == 0, "signal after Clear");
    /* Attach it again: still masked until Ack. */
    EXPECT_ERR(seL4_IRQHandler_SetNotification(r->handler, r->badged), seL4_NoError);
    (void)cmos_read(r->io, 0x0C);
    delay_ms(30);
    EXPECT(ntfn_poll(r->ntfn) == 0, "signal while masked");
    CHECK(rtc_ack(r));
    CHECK(rtc_take(r, 1, true));
    /* Deleting the handler masks the line; the vector can be issued again. */
    EXPECT_ERR(r_delete(r->handler), seL4_NoError);
    (void)cmos_read(r->io, 0x0C);
    (void)ntfn_poll(r->ntfn);
    delay_ms(30);
    EXPECT(ntfn_poll(r->ntfn) == 0, "signal after the handler was deleted");
    EXPECT_ERR(ioapic(r->handler, 8, 0, 0, RTC_VECTOR), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(r->handler, r->badged), seL4_NoError);
    (void)cmos_read(r->io, 0x0C);
    CHECK(rtc_take(r, 2, true));
    return PASS;
}

CTEST(IRQ_0021, "RTC: Clear detaches the notification; deleting the handler masks; re-issue works")
{
    static struct rtc r;
    test_result_t res = rtc_setup(&r);
    if (res == PASS)
        res = rtc_clear_body(&r);
    rtc_stop(&r);
    return res;
}

/* ---- PIT ------------------------------------------------------------------ */

struct pit {
    seL4_CPtr io, handler, ntfn, badged;
    bool started;
};

static void pit_stop(struct pit *p)
{
    /* Mode 0 without a count: the output stays low, no more edges. */
    if (p->io != 0 && p->started)
        (void)out8(p->io, 0x43, 0x30);
}

/* IOPort for 0x40-0x43, handler for pin 2 signalling `ntfn` with `badge`. */
static test_result_t pit_setup(struct pit *p, seL4_CPtr ntfn, seL4_Word badge)
{
    memset(p, 0, sizeof(*p));
    p->io = slot_alloc();
    p->handler = slot_alloc();
    p->badged = slot_alloc();
    EXPECT(p->io && p->handler && p->badged, "out of slots");
    p->ntfn = ntfn;
    EXPECT_ERR(r_mint(p->badged, p->ntfn, seL4_AllRights, badge), seL4_NoError);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(IOCTL, 0x40, 0x43, ROOT_CNODE, p->io, ROOT_DEPTH),
               seL4_NoError);
    /* ISA IRQ 0 → GSI 2 (QEMU's MADT interrupt source override), edge, high. */
    EXPECT_ERR(ioapic(p->handler, 2, 0, 0, PIT_VECTOR), seL4_NoError);
    EXPECT_ERR(seL4_IRQHandler_SetNotification(p->handler, p->badged), seL4_NoError);
    return PASS;
}

/* Channel 0, lobyte/hibyte, mode 2 (rate generator): a rising edge every
 * `count` PIT clocks (1.193182 MHz). */
static test_result_t pit_start(struct pit *p, unsigned count)
{
    EXPECT(out8(p->io, 0x43, 0x34), "PIT command");
    p->started = true;
    EXPECT(out8(p->io, 0x40, count & 0xFF) && out8(p->io, 0x40, count >> 8), "PIT count");
    return PASS;
}

static test_result_t pit_body(struct pit *p)
{
    seL4_CPtr ut = ut_carve(12);
    EXPECT(ut != 0, "no untyped");
    seL4_CPtr ntfn = mk_obj(ut, seL4_NotificationObject, 0, NULL);
    EXPECT(ntfn != 0, "notification");
    CHECK(pit_setup(p, ntfn, PIT_BADGE));
    CHECK(pit_start(p, 1193));          /* ~1 kHz */
    for (int k = 0; k < 5; k++) {
        seL4_Word w = wait_signal(p->ntfn, 1000);
        EXPECT(w == PIT_BADGE, "PIT interrupt %d: notification word %#lx", k, (unsigned long)w);
        EXPECT_ERR(seL4_IRQHandler_Ack(p->handler), seL4_NoError);
    }
    /* Without Ack: one more signal, then nothing. */
    EXPECT(wait_signal(p->ntfn, 1000) == PIT_BADGE, "no interrupt");
    delay_ms(20);
    EXPECT(ntfn_poll(p->ntfn) == 0, "PIT interrupt while masked");
    return PASS;
}

CTEST(IRQ_0022, "PIT channel 0 (IOAPIC pin 2) at 1 kHz: interrupts until an Ack is withheld")
{
    static struct pit p;
    test_result_t res = pit_body(&p);
    pit_stop(&p);
    return res;
}

static test_result_t or_body(struct rtc *r, struct pit *p)
{
    CHECK(pit_setup(p, r->ntfn, PIT_BADGE));
    CHECK(rtc_start(r));
    CHECK(pit_start(p, 1193));
    /* Each line signals once and stays masked (no Ack): the word is the OR
     * of both badges (objects.md §6, §10). */
    delay_ms(60);
    seL4_Word w = ntfn_poll(r->ntfn);
    /* Both normally arrive within 60 ms; on a loaded host QEMU may deliver
     * one late. Neither line can signal twice (both stay masked), so keep
     * collecting until both badges have been seen or a generous deadline. */
    uint64_t end = tsc_after_ms(1000);
    while (w != (RTC_BADGE | PIT_BADGE) && test_rdtsc() < end) {
        delay_ms(10);
        w |= ntfn_poll(r->ntfn);
    }
    EXPECT(w == (RTC_BADGE | PIT_BADGE), "notification word %#lx, expected %#x",
           (unsigned long)w, RTC_BADGE | PIT_BADGE);
    EXPECT(ntfn_poll(r->ntfn) == 0, "the word was not reset by the poll");
    return PASS;
}

CTEST(IRQ_0023, "RTC and PIT signalling one notification with two badges: the word is their OR")
{
    static struct rtc r;
    static struct pit p;
    memset(&p, 0, sizeof(p));
    test_result_t res = rtc_setup(&r);
    if (res == PASS)
        res = or_body(&r, &p);
    pit_stop(&p);
    rtc_stop(&r);
    return res;
}

/* A waiting thread is woken by the interrupt (not only polling). */
struct waiter {
    seL4_CPtr ntfn;
    volatile seL4_Word word;
    volatile int woke;
};

static void wait_fn(void *arg)
{
    struct waiter *w = arg;
    seL4_Word badge = 0;
    seL4_Wait(w->ntfn, &badge);
    w->word = badge;
    w->woke = 1;
}

static test_result_t rtc_thread_body(struct rtc *r, struct waiter *w)
{
    w->ntfn = r->ntfn;
    SPAWN(t, wait_fn, w, T_PRIO);
    settle();
    EXPECT(!w->woke, "woke up before any interrupt");
    /* Wait below the thread's priority: once the interrupt makes it
     * runnable it preempts the root. */
    EXPECT_ERR(root_prio(ROOT_SETTLE_PRIO), seL4_NoError);
    test_result_t started = rtc_start(r);
    uint64_t end = tsc_after_ms(1000);
    while (!w->woke && test_rdtsc() < end)
        ;
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    CHECK(started);
    EXPECT(w->woke, "the waiting thread was not woken by the interrupt");
    EXPECT(w->word == RTC_BADGE, "word %#lx", (unsigned long)w->word);
    settle();
    EXPECT_DONE(t);
    return PASS;
}

TTEST(IRQ_0024, "a thread blocked in Wait on the notification is woken by the RTC interrupt")
{
    static struct rtc r;
    static struct waiter w;
    memset(&w, 0, sizeof(w));
    test_result_t res = rtc_setup(&r);
    if (res == PASS)
        res = rtc_thread_body(&r, &w);
    rtc_stop(&r);
    return res;
}
