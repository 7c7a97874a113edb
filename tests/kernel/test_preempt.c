/*
 * PREEMPT_*: long operations stopped by interrupts (docs/preemption.md).
 *
 * A ticker thread above the root (preempt_util.h) takes PIT interrupts at
 * about 5 kHz while the root, at a lower priority, runs a Revoke, a Delete
 * or a Retype that resets a large untyped. Every interrupt that arrives
 * stops the operation at its next preemption point; the root's system call
 * is restarted after the ticker ran and continues. The result must be
 * exactly that of an uninterrupted operation, and the kernel must report
 * that it did stop (preemptions > 0). make test also runs this suite with
 * invariants=101, and with preempt=stress (a stop at every check).
 */
#include <stdio.h>
#include <string.h>
#include "preempt_util.h"

#define PT_VECTOR    53         /* IRQ vector argument for the PIT handler */
#define PT_RATE      239        /* PIT count: ~5 kHz */
#define TICKER_PRIO  200
#define OP_PRIO      100        /* the root while it runs the operation */
#define CT_ZOMBIE    18
#define BIT(n)       ((seL4_Word)1 << (n))

static struct pit_ticker ticker;

static const char *ticker_start(void)
{
    memset(&ticker, 0, sizeof(ticker));
    seL4_CPtr ntfn = new_obj(seL4_NotificationObject, 0);
    if (ntfn == 0)
        return "no notification";
    const char *err = pit_ticker_setup(&ticker, ntfn, PT_VECTOR);
    if (err != NULL)
        return err;
    if (thread_spawn(pit_ticker_fn, &ticker, TICKER_PRIO) == NULL)
        return "no ticker thread";
    settle();                   /* the ticker acknowledges and waits */
    if (!pit_ticker_rate(&ticker, PT_RATE))
        return "PIT programming failed";
    return NULL;
}

static void ticker_end(void)
{
    pit_ticker_stop(&ticker);
    settle();
    /* Free the vector and the ports for the next attempt. */
    (void)r_delete(ticker.handler);
    (void)r_delete(ticker.io);
}

/*
 * Interrupts come from QEMU timers that follow host time; on a loaded host
 * an operation of a few milliseconds can see none (QEMU's timer thread gets
 * no CPU while the vCPU thread runs). Each scenario is therefore tried up
 * to ATTEMPTS times: every attempt must give exactly the right result, and
 * at least one must have been preempted.
 */
#define ATTEMPTS 6
typedef test_result_t attempt_fn(seL4_Word *evidence);

static test_result_t until_preempted(attempt_fn *fn, const char *what)
{
    seL4_Word evidence = 0;
    for (int attempt = 0; attempt < ATTEMPTS && evidence == 0; attempt++)
        CHECK(fn(&evidence));
    EXPECT(evidence > 0, "%s: not preempted in %d attempts (interrupts taken: %u)", what,
           ATTEMPTS, ticker.wakeups);
    return PASS;
}

#define TICKER_START()                                                       \
    do {                                                                     \
        const char *t_ = ticker_start();                                     \
        EXPECT(t_ == NULL, "ticker: %s", t_);                                \
    } while (0)

/* ------------------------------------------------------------------------ */

#define R1      13                      /* 8192 slots */
#define N1      (1u << R1)
#define BLOCK   64

/* Block kind of slot i: 0 copies of e, 1 mints of e and their copies, 2 copies of f. */
static unsigned kind_of(seL4_Word i)
{
    return (unsigned)((i / BLOCK) % 3);
}

static test_result_t attempt_PREEMPT_0001(seL4_Word *evidence)
{
    NEW_UT(ut, R1 + 5 + 1);
    NEW_OBJ(cn, ut, seL4_CapTableObject, R1);
    NEW_OBJ(e, ut, seL4_EndpointObject, 0);
    NEW_OBJ(f, ut, seL4_EndpointObject, 0);
    for (seL4_Word i = 0; i < N1; i++) {
        seL4_Error err;
        switch (kind_of(i)) {
        case 0:
            err = seL4_CNode_Copy(cn, i, R1, ROOT_CNODE, e, ROOT_DEPTH, seL4_AllRights);
            break;
        case 1:
            /* A badged lineage: mint, then a copy of the mint. */
            if (i % 2 == 0)
                err = seL4_CNode_Mint(cn, i, R1, ROOT_CNODE, e, ROOT_DEPTH, seL4_AllRights,
                                      1 + i % 7);
            else
                err = seL4_CNode_Copy(cn, i, R1, cn, i - 1, R1, seL4_AllRights);
            break;
        default:
            err = seL4_CNode_Copy(cn, i, R1, ROOT_CNODE, f, ROOT_DEPTH, seL4_AllRights);
            break;
        }
        EXPECT(err == seL4_NoError, "filling slot %lu: %s", (unsigned long)i, err_name(err));
    }
    TICKER_START();
    (void)preempt_stats(true);
    EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
    seL4_Error err = r_revoke(e);
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    struct preempt_stats st = preempt_stats(false);
    ticker_end();
    EXPECT(err == seL4_NoError, "Revoke: %s", err_name(err));
    *evidence = st.preemptions;
    EXPECT_TYPE(e, CT_EP);
    EXPECT_TYPE(f, CT_EP);
    for (seL4_Word b = 0; b < N1; b += BLOCK) {
        if (kind_of(b) != 2) {
            EXPECT(window_empty(ut, cn, 0, 0, b, BLOCK) == 1, "E block at %lu not empty",
                   (unsigned long)b);
            continue;
        }
        for (seL4_Word i = b; i < b + BLOCK; i++)
            EXPECT_TYPE_AT(cn, i, R1, CT_EP);
    }
    /* The copies of f are f's descendants, and go with f's revoke. */
    EXPECT_ERR(r_revoke(f), seL4_NoError);
    for (seL4_Word b = 0; b < N1; b += 256)
        EXPECT(window_empty(ut, cn, 0, 0, b, 256) == 1, "slots %lu.. not empty",
               (unsigned long)b);
    return PASS;
}

/* ------------------------------------------------------------------------ */

#define R2      12
#define N2      (1u << R2)

/*
 * A CNode `a` (2^R2 slots, from ut) whose slots hold the only caps to
 * objects made from u2: endpoints, notifications, CNodes holding endpoints,
 * and TCBs. Returns PASS or a reason.
 */
static test_result_t build_full_cnode(seL4_CPtr ut, seL4_CPtr u2, seL4_CPtr *out)
{
    NEW_OBJ(a, ut, seL4_CapTableObject, R2);
    seL4_Word at = 0;
    for (int k = 0; k < 8; k++, at += 256)
        EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, a, 0, 0, at, 256),
                   seL4_NoError);
    for (int k = 0; k < 4; k++, at += 256)
        EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_NotificationObject, 0, a, 0, 0, at, 256),
                   seL4_NoError);
    /* 64 CNodes of 16 slots, each full of endpoints, and 16 TCBs. */
    seL4_Word nested = at;
    EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_CapTableObject, 4, a, 0, 0, nested, 64),
               seL4_NoError);
    for (seL4_Word c = 0; c < 64; c++) {
        /* Into a[nested + c]: a 16-slot CNode reached at depth R2 + ... from a. */
        seL4_CPtr hold = slot_alloc();
        EXPECT(hold != 0, "no slot");
        EXPECT_ERR(seL4_CNode_Move(ROOT_CNODE, hold, ROOT_DEPTH, a, nested + c, R2),
                   seL4_NoError);
        EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, hold, 0, 0, 0, 16),
                   seL4_NoError);
        EXPECT_ERR(seL4_CNode_Move(a, nested + c, R2, ROOT_CNODE, hold, ROOT_DEPTH),
                   seL4_NoError);
        slot_free(hold);
    }
    at += 64;
    EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_TCBObject, 0, a, 0, 0, at, 16), seL4_NoError);
    *out = a;
    return PASS;
}

static test_result_t attempt_PREEMPT_0002(seL4_Word *evidence)
{
    NEW_UT(ut, R2 + 5 + 1);
    NEW_UT(u2, 20);
    seL4_CPtr a;
    CHECK(build_full_cnode(ut, u2, &a));
    EXPECT(ut_free_bytes(u2) < BIT(20), "u2 has no objects");
    TICKER_START();
    (void)preempt_stats(true);
    EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
    seL4_Error err = r_delete(a);
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    struct preempt_stats st = preempt_stats(false);
    ticker_end();
    EXPECT(err == seL4_NoError, "Delete: %s", err_name(err));
    *evidence = st.preemptions;
    EXPECT_TYPE(a, CT_NULL);
    /* Every object made from u2 is gone: it has no children left. */
    seL4_Word fb = ut_free_bytes(u2);
    EXPECT(fb == BIT(20), "u2 free bytes %#lx after the delete", (unsigned long)fb);
    return PASS;
}

/* ------------------------------------------------------------------------ */

/* Woken by the PIT while the root's Delete is stopped part-way. */
struct observer {
    struct pit_ticker *pit;
    seL4_CPtr target, scratch;
    volatile int saw_zombie, move_refused, copy_refused, finished;
    volatile seL4_Error delete_err;
};

static void observer_fn(void *arg)
{
    struct observer *o = arg;
    struct pit_ticker *p = o->pit;
    (void)seL4_IRQHandler_Ack(p->handler);
    for (;;) {
        seL4_Word badge;
        seL4_Wait(p->ntfn, &badge);
        if (p->stop)
            return;
        p->wakeups++;
        if (!o->finished && ctype(o->target) == CT_ZOMBIE) {
            o->saw_zombie = 1;
            o->move_refused = r_move(o->scratch, o->target) == seL4_IllegalOperation;
            o->copy_refused = r_copy(o->scratch, o->target, seL4_AllRights) ==
                              seL4_IllegalOperation;
            /* Finish the other thread's deletion. */
            o->delete_err = r_delete(o->target);
            o->finished = 1;
        }
        (void)seL4_IRQHandler_Ack(p->handler);
    }
}

static test_result_t attempt_PREEMPT_0003(seL4_Word *evidence)
{
    NEW_UT(ut, R2 + 5 + 1);
    NEW_UT(u2, 20);
    NEW_SLOT(scratch);
    seL4_CPtr a;
    CHECK(build_full_cnode(ut, u2, &a));
    static struct observer o;
    memset(&o, 0, sizeof(o));
    memset(&ticker, 0, sizeof(ticker));
    o.pit = &ticker;
    o.target = a;
    o.scratch = scratch;
    NEW_NTFN(ntfn);
    const char *err = pit_ticker_setup(&ticker, ntfn, PT_VECTOR);
    EXPECT(err == NULL, "PIT: %s", err);
    SPAWN(t, observer_fn, &o, TICKER_PRIO);
    settle();
    EXPECT(pit_ticker_rate(&ticker, PT_RATE), "PIT programming failed");
    EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
    /* Restarted after the observer emptied the slot, it finds nothing to do. */
    seL4_Error del = r_delete(a);
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    ticker_end();
    EXPECT(del == seL4_NoError, "Delete: %s", err_name(del));
    *evidence = o.saw_zombie;
    if (o.saw_zombie) {
        EXPECT(o.move_refused, "a zombie could be moved");
        EXPECT(o.copy_refused, "a zombie could be copied");
        EXPECT(o.delete_err == seL4_NoError, "the observer's Delete: %s",
               err_name(o.delete_err));
    }
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(scratch, CT_NULL);
    seL4_Word fb = ut_free_bytes(u2);
    EXPECT(fb == BIT(20), "u2 free bytes %#lx after the delete", (unsigned long)fb);
    (void)t;
    return PASS;
}

/* ------------------------------------------------------------------------ */

static test_result_t attempt_PREEMPT_0004(seL4_Word *evidence)
{
    NEW_UT(ut, 21);
    /* Dirty every byte-range of the untyped with TCBs (names, contexts). */
    seL4_CPtr first[4];
    for (int k = 0; k < 4; k++) {
        first[k] = slot_alloc_range(256);
        EXPECT(first[k] != 0, "no slots");
        EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT_CNODE, 0, 0, first[k], 256),
                   seL4_NoError);
    }
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    for (int k = 0; k < 4; k++)
        slot_free_range(first[k], 256);
    TICKER_START();
    (void)preempt_stats(true);
    EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
    NEW_SLOT(cn);
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_CapTableObject, 16, ROOT_CNODE, 0, 0, cn, 1);
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    struct preempt_stats st = preempt_stats(false);
    ticker_end();
    EXPECT(err == seL4_NoError, "Retype: %s", err_name(err));
    *evidence = st.preemptions;
    /* A CNode over memory that was not zeroed would hold garbage "caps". */
    for (seL4_Word b = 0; b < BIT(16); b += 256)
        EXPECT(window_empty(ut, cn, 0, 0, b, 256) == 1, "CNode slots %lu.. not empty",
               (unsigned long)b);
    return PASS;
}

TTEST(PREEMPT_0001, "Revoke of an 8192-cap tree under ~5 kHz interrupts deletes exactly the descendants")
{
    return until_preempted(attempt_PREEMPT_0001, "the revoke");
}

TTEST(PREEMPT_0002, "Deleting the last cap to a full CNode under interrupts destroys everything in it")
{
    return until_preempted(attempt_PREEMPT_0002, "the delete");
}

TTEST(PREEMPT_0003, "A Delete stopped part-way leaves a zombie: not movable or copyable; another thread's Delete finishes it")
{
    return until_preempted(attempt_PREEMPT_0003, "no zombie seen: the delete");
}

TTEST(PREEMPT_0004, "Retype after 2 MiB of TCBs were deleted: the reset, interrupted, leaves all memory zero")
{
    return until_preempted(attempt_PREEMPT_0004, "the reset");
}

TTEST(PREEMPT_0005, "Preemption statistics: the work-unit limit and a gap bound are reported")
{
    struct preempt_stats st = preempt_stats(true);
    EXPECT(st.units_per_check >= 1 && st.units_per_check <= 1000000,
           "units per check %lu", (unsigned long)st.units_per_check);
    st = preempt_stats(false);
    EXPECT(st.preemptions == 0 && st.max_units == 0, "not reset: %lu %lu",
           (unsigned long)st.preemptions, (unsigned long)st.max_units);
    return PASS;
}

TTEST(PREEMPT_0006, "Deleting the last cap to an endpoint and a notification with 7 waiters each restarts them all")
{
    NEW_UT(u, 12);
    NEW_OBJ(ep, u, seL4_EndpointObject, 0);
    NEW_OBJ(ntfn, u, seL4_NotificationObject, 0);
    static struct actor a[14];
    for (int i = 0; i < 14; i++) {
        SPAWN_ACTOR(t, &a[i], i < 7 ? OP_RECV : OP_WAIT, i < 7 ? ep : ntfn, T_PRIO);
        (void)t;
    }
    settle();
    for (int i = 0; i < 14; i++)
        EXPECT(a[i].entered == 1 && a[i].completed == 0, "actor %d: entered %d completed %d",
               i, a[i].entered, a[i].completed);
    /* The waiters use these very slots: restarted, they find them empty. */
    EXPECT_ERR(r_delete(ep), seL4_NoError);
    EXPECT_ERR(r_delete(ntfn), seL4_NoError);
    settle();
    for (int i = 0; i < 14; i++)
        EXPECT(a[i].completed == 0, "actor %d completed its %s", i, i < 7 ? "Recv" : "Wait");
    seL4_Word fb = ut_free_bytes(u);
    EXPECT(fb == BIT(12), "free bytes %#lx: an object survived", (unsigned long)fb);
    return PASS;
}

/* ------------------------------------------------------------------------ */
/* CNode_CancelBadgedSends on a long queue (PREEMPT_0007-0009)               */
/* ------------------------------------------------------------------------ */

/*
 * Threads without a stack or IPC buffer: each runs this loop, making
 * system call r15 (Send: a one-word message, its number from r14) on the
 * cap in r12 (info in r13), and makes it again whenever it completes.
 */
void cbs_sender_loop(void);
__asm__(".text\n"
        ".globl cbs_sender_loop\n"
        "cbs_sender_loop:\n"
        "1:  movq %r12, %rdi\n"
        "    movq %r13, %rsi\n"
        "    movq %r15, %rdx\n"
        "    movq %r14, %r10\n"         /* MR0 */
        "    syscall\n"
        "    jmp 1b\n");

/* Starts (or restarts) tcb in that loop. */
static seL4_Error loop_start(seL4_CPtr tcb, seL4_Word sys, seL4_CPtr cap, seL4_Word id)
{
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.rip = (seL4_Word)(uintptr_t)cbs_sender_loop;
    ctx.rflags = RFLAGS_DEFAULT;
    ctx.r12 = cap;
    ctx.r13 = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
    ctx.r14 = id;
    ctx.r15 = sys;
    return seL4_TCB_WriteRegisters(tcb, true, 0, 20, &ctx);
}

#define NS          512                 /* senders */
#define NBADGES     5

struct senders {
    seL4_CPtr ep;                       /* unbadged, all rights */
    seL4_CPtr cap[NBADGES + 1];         /* cap[b]: badge b, all rights */
    seL4_CPtr first[NS / 256];          /* the TCB caps, 256 per range */
    seL4_Word badge[NS];
    int order[NS];                      /* the queue, front first */
    int n;                              /* threads in it */
};

static struct senders sd;

static seL4_CPtr sender_tcb(int i)
{
    return sd.first[i / 256] + (seL4_Word)(i % 256);
}

/*
 * NS TCBs from ut at priority prio, thread i sending with badge badge_of[i];
 * each is started and runs until it blocks before the next starts, so the
 * queue holds 0, 1, ..., NS - 1 in that order.
 */
static test_result_t senders_start(seL4_CPtr ut, seL4_Word prio, const seL4_Word *badge_of)
{
    for (int b = 1; b <= NBADGES; b++) {
        sd.cap[b] = cap_mint(sd.ep, seL4_AllRights, (seL4_Word)b);
        EXPECT(sd.cap[b] != 0, "mint: %s", thread_error());
    }
    for (int k = 0; k < NS / 256; k++) {
        sd.first[k] = slot_alloc_range(256);
        EXPECT(sd.first[k] != 0, "no slots");
        EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT_CNODE, 0, 0, sd.first[k], 256),
                   seL4_NoError);
    }
    for (int i = 0; i < NS; i++) {
        seL4_CPtr tcb = sender_tcb(i);
        sd.badge[i] = badge_of[i];
        EXPECT_ERR(seL4_TCB_Configure(tcb, 0, ROOT_CNODE, 0, seL4_CapInitThreadVSpace, 0, 0,
                                      seL4_CapNull), seL4_NoError);
        EXPECT_ERR(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio), seL4_NoError);
        EXPECT_ERR(loop_start(tcb, (seL4_Word)seL4_SysSend, sd.cap[badge_of[i]], (seL4_Word)i),
                   seL4_NoError);
        settle();
        sd.order[i] = i;
    }
    sd.n = NS;
    return PASS;
}

static void senders_end(seL4_CPtr ut)
{
    (void)r_revoke(ut);
    for (int k = 0; k < NS / 256; k++)
        slot_free_range(sd.first[k], 256);
}

/*
 * Takes everything queued (the root is above the senders, so nobody sends
 * meanwhile): got[0..*n-1] = sender numbers, front first. Each must carry
 * its own badge.
 */
static test_result_t drain(int *got, int *n)
{
    *n = 0;
    for (;;) {
        seL4_Word badge = 0;
        (void)seL4_NBRecv(sd.ep, &badge);
        if (badge == 0)
            return PASS;
        seL4_Word id = seL4_GetMR(0);
        EXPECT(id < NS && *n < NS, "message %lu (badge %lu)", (unsigned long)id,
               (unsigned long)badge);
        EXPECT(badge == sd.badge[id], "sender %lu came with badge %lu, has %lu",
               (unsigned long)id, (unsigned long)badge, (unsigned long)sd.badge[id]);
        got[(*n)++] = (int)id;
    }
}

/*
 * After CancelBadgedSends(b): the queue holds the other senders in their
 * order (matching ones may follow them only if they ran and sent again
 * while the call was stopped: rerun_ok). Then every sender runs, and all
 * NS must be queued again, each once (the cancelled ones were restarted,
 * not lost).
 */
static test_result_t check_after_cancel(seL4_Word b, bool rerun_ok)
{
    static int got[NS];
    int n;
    CHECK(drain(got, &n));
    int j = 0;
    for (int i = 0; i < sd.n; i++) {
        int id = sd.order[i];
        if (sd.badge[id] == b)
            continue;
        EXPECT(j < n && got[j] == id, "badge %lu: queue position %d holds %d, expected %d",
               (unsigned long)b, j, j < n ? got[j] : -1, id);
        j++;
    }
    for (; j < n; j++)
        EXPECT(rerun_ok && sd.badge[got[j]] == b, "badge %lu: sender %d (badge %lu) queued "
               "after the others", (unsigned long)b, got[j], (unsigned long)sd.badge[got[j]]);
    settle();
    CHECK(drain(got, &n));
    EXPECT(n == NS, "badge %lu: %d senders queued again, expected %d", (unsigned long)b, n, NS);
    static bool seen[NS];
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < n; i++) {
        EXPECT(!seen[got[i]], "sender %d queued twice", got[i]);
        seen[got[i]] = true;
    }
    /*
     * Queue them again in a known order (woken threads run in an order the
     * scheduler picks): all stopped, then started one at a time.
     */
    for (int i = 0; i < NS; i++)
        EXPECT_ERR(seL4_TCB_Suspend(sender_tcb(i)), seL4_NoError);
    for (int i = 0; i < NS; i++) {
        EXPECT_ERR(seL4_TCB_Resume(sender_tcb(i)), seL4_NoError);
        settle();
        sd.order[i] = i;
    }
    return PASS;
}

/* Badges 1-4 mixed; badge 5 only on the last 16 (a long prefix to pass). */
static void mixed_badges(seL4_Word *badge_of)
{
    for (int i = 0; i < NS; i++)
        badge_of[i] = i >= NS - 16 ? 5 : 1 + (seL4_Word)((i * 7 + i / 3) % 4);
}

/* One CancelBadgedSends per badge (5 first), each checked; preemptions counted. */
static test_result_t cancel_each_badge(bool rerun_ok, seL4_Word *evidence)
{
    for (int k = 0; k < NBADGES; k++) {
        seL4_Word b = (seL4_Word)(NBADGES - k);
        (void)preempt_stats(true);
        EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
        seL4_Error err = seL4_CNode_CancelBadgedSends(ROOT_CNODE, sd.cap[b], ROOT_DEPTH);
        EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
        struct preempt_stats st = preempt_stats(false);
        EXPECT(err == seL4_NoError, "CancelBadgedSends(%lu): %s", (unsigned long)b,
               err_name(err));
        *evidence += st.preemptions;
        CHECK(check_after_cancel(b, rerun_ok));
    }
    return PASS;
}

TTEST(PREEMPT_0007, "CancelBadgedSends on 512 queued senders (5 badges): exactly the matching ones restarted, the rest in order")
{
    NEW_UT(ut, 21);
    NEW_EP(ep);
    sd.ep = ep;
    static seL4_Word badge_of[NS];
    mixed_badges(badge_of);
    /* Below the root's OP_PRIO: nothing runs while the call is stopped. */
    CHECK(senders_start(ut, 50, badge_of));
    seL4_Word evidence = 0;
    CHECK(cancel_each_badge(false, &evidence));
    senders_end(ut);
    return PASS;
}

static test_result_t attempt_PREEMPT_0008(seL4_Word *evidence)
{
    NEW_UT(ut, 21);
    NEW_EP(ep);
    sd.ep = ep;
    static seL4_Word badge_of[NS];
    mixed_badges(badge_of);
    /*
     * Above the root's OP_PRIO: whenever the call stops, the senders it
     * restarted so far run and send again before it resumes. The call must
     * not cancel them a second time (with preempt=stress it would never
     * end), and must finish.
     */
    CHECK(senders_start(ut, OP_PRIO + 50, badge_of));
    TICKER_START();
    test_result_t r = cancel_each_badge(true, evidence);
    ticker_end();
    senders_end(ut);
    return r;
}

TTEST(PREEMPT_0008, "CancelBadgedSends under ~5 kHz interrupts, restarted senders sending again meanwhile: right result, and it ends")
{
    return until_preempted(attempt_PREEMPT_0008, "CancelBadgedSends");
}

TTEST(PREEMPT_0009, "CancelBadgedSends restarting all 512 queued senders leaves the endpoint idle")
{
    NEW_UT(ut, 21);
    NEW_EP(ep);
    sd.ep = ep;
    static seL4_Word badge_of[NS];
    for (int i = 0; i < NS; i++)
        badge_of[i] = 2;
    CHECK(senders_start(ut, 50, badge_of));
    EXPECT_ERR(root_prio(OP_PRIO), seL4_NoError);
    seL4_Error err = seL4_CNode_CancelBadgedSends(ROOT_CNODE, sd.cap[2], ROOT_DEPTH);
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    EXPECT(err == seL4_NoError, "CancelBadgedSends: %s", err_name(err));
    /* Idle: a Recv now would block, NBRecv finds nothing. */
    seL4_Word badge = 0x999;
    (void)seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0, "NBRecv after the cancel: badge %lu", (unsigned long)badge);
    CHECK(check_after_cancel(2, false));
    senders_end(ut);
    return PASS;
}

/*
 * 256 threads wait on a notification whose only cap left is the copy an IRQ
 * handler holds; that copy goes by IRQHandler_Clear, by SetNotification
 * with another notification, or with the last IRQHandler cap. Each time the
 * waiters are all restarted (the kernel does this one per work unit,
 * stopping under preempt=stress); restarted, their Wait finds no cap and
 * they fault to `fep`, which counts them.
 */
#define NW 256

static test_result_t waiters_arm(seL4_CPtr first, seL4_CPtr ntfn)
{
    for (int i = 0; i < NW; i++) {
        EXPECT_ERR(loop_start(first + (seL4_Word)i, (seL4_Word)seL4_SysRecv, ntfn, 0),
                   seL4_NoError);
        settle();
    }
    return PASS;
}

/* All NW waiters faulted (each Calls fep once); nobody else sent. */
static test_result_t waiters_faulted(seL4_CPtr fep, const char *how)
{
    int n = 0;
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(fep, &badge);
        if (badge == 0)
            break;
        EXPECT(seL4_MessageInfo_get_label(info) == seL4_Fault_CapFault,
               "%s: fault label %lu", how, (unsigned long)seL4_MessageInfo_get_label(info));
        n++;
    }
    EXPECT(n == NW, "%s: %d waiters faulted, expected %d", how, n, NW);
    return PASS;
}

TTEST(PREEMPT_0010, "An IRQ handler's notification copy as the last cap, 256 waiters: Clear, SetNotification and handler deletion restart them all")
{
    NEW_UT(ut, 20);
    NEW_EP(ep);
    NEW_MINT(fep, ep, seL4_AllRights, 1);
    NEW_SLOT(handler);
    seL4_CPtr first = slot_alloc_range(NW);
    EXPECT(first != 0, "no slots");
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT_CNODE, 0, 0, first, NW),
               seL4_NoError);
    for (int i = 0; i < NW; i++) {
        EXPECT_ERR(seL4_TCB_Configure(first + (seL4_Word)i, fep, ROOT_CNODE, 0,
                                      seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull),
                   seL4_NoError);
        EXPECT_ERR(seL4_TCB_SetPriority(first + (seL4_Word)i, seL4_CapInitThreadTCB, 50),
                   seL4_NoError);
    }
    NEW_NTFN(other);
    for (int how = 0; how < 3; how++) {
        static const char *const what[] = { "Clear", "SetNotification", "handler deletion" };
        EXPECT_ERR(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT_CNODE, handler, ROOT_DEPTH,
                                             0, 2, 0, 0, PT_VECTOR), seL4_NoError);
        NEW_UT(un, 12);
        NEW_OBJ(ntfn, un, seL4_NotificationObject, 0);
        EXPECT_ERR(seL4_IRQHandler_SetNotification(handler, ntfn), seL4_NoError);
        CHECK(waiters_arm(first, ntfn));
        /* The waiters stay queued: the IRQ's copy still names the object. */
        EXPECT_ERR(r_delete(ntfn), seL4_NoError);
        settle();
        int n = 0;
        for (seL4_Word badge = 1; badge != 0; n++)
            (void)seL4_NBRecv(fep, &badge);
        EXPECT(n == 1, "%s: a waiter faulted before the copy went", what[how]);
        EXPECT(ut_free_bytes(un) < BIT(12), "%s: the notification is gone too early",
               what[how]);
        if (how == 0)
            EXPECT_ERR(seL4_IRQHandler_Clear(handler), seL4_NoError);
        else if (how == 1)
            EXPECT_ERR(seL4_IRQHandler_SetNotification(handler, other), seL4_NoError);
        else
            EXPECT_ERR(r_delete(handler), seL4_NoError);
        /* The notification is gone: un has no children left. */
        seL4_Word fb = ut_free_bytes(un);
        EXPECT(fb == BIT(12), "%s: free bytes %#lx, the notification survived", what[how],
               (unsigned long)fb);
        settle();
        CHECK(waiters_faulted(fep, what[how]));
        if (how != 2)
            EXPECT_ERR(r_delete(handler), seL4_NoError);
        slot_free(ntfn);
    }
    (void)r_revoke(ut);
    slot_free_range(first, NW);
    return PASS;
}
