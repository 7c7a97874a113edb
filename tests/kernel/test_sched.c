/*
 * SCHED_*: priorities, preemption, round robin and the MCP rules
 * (objects.md §7.3 "Scheduling", SetPriority/SetMCPriority/SetSchedParams;
 * invocations.md TCBSetPriority..TCBSetSchedParams; syscalls.md §8 Yield).
 *
 * Event logs record the order in which threads did things; the expected
 * orders follow from "the highest runnable priority runs" and "Yield
 * appends the caller to its priority's tail".  Nothing here depends on the
 * order of equal-priority threads made ready by other means.
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

struct prio_case {
    seL4_CPtr obj;              /* endpoint or notification */
    struct thread *other;       /* thread acted upon */
    seL4_Word prio;             /* priority to set */
    struct evlog *log;
};

#define EXPECT_LOG(log, ...)                                                 \
    do {                                                                     \
        const int w_[] = { __VA_ARGS__ };                                    \
        EXPECT(ev_equal(log, w_, (int)(sizeof(w_) / sizeof(w_[0]))),         \
               "event order: %s", ev_str(log));                              \
    } while (0)

/* ---- high-priority side: block, then log 2 ---- */
static void high_recv(void *arg)
{
    struct prio_case *p = arg;
    seL4_Word badge;
    (void)seL4_Recv(p->obj, &badge);
    ev_add(p->log, 2);
}

static void high_wait(void *arg)
{
    struct prio_case *p = arg;
    seL4_Word badge;
    seL4_Wait(p->obj, &badge);
    ev_add(p->log, 2);
}

static void high_log(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 2);
}

/* ---- low-priority side: log 1, wake the other, log 3 ---- */
static void low_nbsend(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 1);
    seL4_NBSend(p->obj, msg_info(0, 0, 0));
    ev_add(p->log, 3);
}

static void low_signal(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 1);
    seL4_Signal(p->obj);
    ev_add(p->log, 3);
}

static void low_resume(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 1);
    (void)seL4_TCB_Resume(p->other->tcb);
    ev_add(p->log, 3);
}

static void low_raise_other(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 1);
    (void)seL4_TCB_SetPriority(p->other->tcb, seL4_CapInitThreadTCB, p->prio);
    ev_add(p->log, 3);
}

static void low_lower_self(void *arg)
{
    struct prio_case *p = arg;
    ev_add(p->log, 1);
    (void)seL4_TCB_SetPriority(thread_self()->tcb, seL4_CapInitThreadTCB, p->prio);
    ev_add(p->log, 3);
}

static void low_reply(void *arg)
{
    struct prio_case *p = arg;
    seL4_Word badge;
    (void)seL4_Recv(p->obj, &badge);
    ev_add(p->log, 1);
    seL4_Reply(msg_info(0, 0, 0));
    ev_add(p->log, 3);
}

static void high_call(void *arg)
{
    struct prio_case *p = arg;
    (void)seL4_Call(p->obj, msg_info(0, 0, 0));
    ev_add(p->log, 2);
}

static struct evlog logbuf;
static struct prio_case pc;

static void pc_reset(seL4_CPtr obj)
{
    memset(&logbuf, 0, sizeof(logbuf));
    memset(&pc, 0, sizeof(pc));
    pc.obj = obj;
    pc.log = &logbuf;
}

TTEST(SCHED_0001, "a higher-priority receiver woken by NBSend preempts the sender")
{
    NEW_EP(ep);
    pc_reset(ep);
    SPAWN(high, high_recv, &pc, 150);
    settle();
    SPAWN(low, low_nbsend, &pc, 50);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    EXPECT_DONE(high);
    EXPECT_DONE(low);
    return PASS;
}

TTEST(SCHED_0002, "a higher-priority waiter woken by Signal preempts the signaller")
{
    NEW_NTFN(ntfn);
    pc_reset(ntfn);
    SPAWN(high, high_wait, &pc, 150);
    settle();
    SPAWN(low, low_signal, &pc, 50);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    return PASS;
}

TTEST(SCHED_0003, "resuming a higher-priority thread preempts the resumer")
{
    pc_reset(0);
    NEW_THREAD(high, 150);
    EXPECT_ERR(thread_prepare(high, high_log, &pc, false), seL4_NoError);
    pc.other = high;
    SPAWN(low, low_resume, &pc, 50);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    return PASS;
}

TTEST(SCHED_0004, "replying to a higher-priority caller preempts the replier")
{
    NEW_EP(ep);
    pc_reset(ep);
    SPAWN(low, low_reply, &pc, 50);
    settle();
    SPAWN(high, high_call, &pc, 150);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    EXPECT_DONE(high);
    EXPECT_DONE(low);
    return PASS;
}

TTEST(SCHED_0005, "raising a ready thread above the caller preempts the caller")
{
    pc_reset(0);
    NEW_THREAD(other, 50);
    EXPECT_ERR(thread_start(other, high_log, &pc), seL4_NoError);    /* ready, prio 50 */
    pc.other = other;
    pc.prio = 150;
    SPAWN(low, low_raise_other, &pc, 100);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    return PASS;
}

TTEST(SCHED_0006, "lowering its own priority below a ready thread lets that thread run")
{
    pc_reset(0);
    pc.prio = 50;
    NEW_THREAD(other, 80);
    NEW_THREAD(self, 100);
    EXPECT_ERR(thread_start(other, high_log, &pc), seL4_NoError);
    EXPECT_ERR(thread_start(self, low_lower_self, &pc), seL4_NoError);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    return PASS;
}

TTEST(SCHED_0007, "SetPriority of a blocked thread takes effect when it wakes")
{
    NEW_EP(ep);
    pc_reset(ep);
    SPAWN(blocked, high_recv, &pc, 50);
    settle();
    EXPECT_ERR(seL4_TCB_SetPriority(blocked->tcb, seL4_CapInitThreadTCB, 150), seL4_NoError);
    SPAWN(low, low_nbsend, &pc, 100);
    settle();
    EXPECT_LOG(&logbuf, 1, 2, 3);
    return PASS;
}

struct order {
    seL4_Word prio;
    struct evlog *log;
};

static void log_prio(void *arg)
{
    struct order *o = arg;
    ev_add(o->log, (int)o->prio);
}

TTEST(SCHED_0008, "ready threads run in priority order, highest first")
{
    static struct order o[6];
    static struct evlog log;
    memset(&log, 0, sizeof(log));
    const seL4_Word prios[6] = { 10, 50, 30, 254, 70, 20 };
    for (int i = 0; i < 6; i++) {
        o[i].prio = prios[i];
        o[i].log = &log;
        SPAWN(t, log_prio, &o[i], prios[i]);
    }
    settle();
    EXPECT_LOG(&log, 254, 70, 50, 30, 20, 10);
    return PASS;
}

struct counter {
    volatile seL4_Word count;
    volatile seL4_Word seen_start, seen_end;
    volatile int ok;
    struct counter *other;
};

static void count_once(void *arg)
{
    struct counter *c = arg;
    c->count++;
}

static void spin_watching(void *arg)
{
    struct counter *c = arg;
    c->seen_start = c->other->count;
    delay_ms(30);
    c->seen_end = c->other->count;
}

TTEST(SCHED_0009, "a lower-priority thread does not run while a higher one spins")
{
    static struct counter lo, hi;
    memset(&lo, 0, sizeof(lo));
    memset(&hi, 0, sizeof(hi));
    hi.other = &lo;
    SPAWN(tl, count_once, &lo, 50);
    SPAWN(th, spin_watching, &hi, 150);
    settle();
    EXPECT_DONE(th);
    EXPECT_DONE(tl);
    EXPECT(hi.seen_start == 0 && hi.seen_end == 0,
           "the lower thread ran during 30 ms of the higher one (%lu, %lu)",
           (unsigned long)hi.seen_start, (unsigned long)hi.seen_end);
    EXPECT(lo.count == 1, "lower thread count %lu", (unsigned long)lo.count);
    return PASS;
}

static void yield_watching(void *arg)
{
    struct counter *c = arg;
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        seL4_Yield();
        if (c->other->count != 0)
            ok = 0;
    }
    c->ok = ok;
}

TTEST(SCHED_0010, "Yield with no other thread at that priority does not run lower ones")
{
    static struct counter lo, hi;
    memset(&lo, 0, sizeof(lo));
    memset(&hi, 0, sizeof(hi));
    hi.other = &lo;
    SPAWN(tl, count_once, &lo, 50);
    SPAWN(th, yield_watching, &hi, 150);
    settle();
    EXPECT_DONE(th);
    EXPECT(hi.ok, "a lower-priority thread ran during Yield");
    EXPECT_DONE(tl);
    return PASS;
}

struct rr {
    int id, rounds;
    struct evlog *log;
};

static void rr_yield(void *arg)
{
    struct rr *r = arg;
    for (int i = 0; i < r->rounds; i++) {
        ev_add(r->log, r->id);
        seL4_Yield();
    }
}

TTEST(SCHED_0011, "round robin with Yield: two equal-priority threads alternate strictly")
{
    static struct evlog log;
    static struct rr a, b;
    memset(&log, 0, sizeof(log));
    a = (struct rr){ 1, 50, &log };
    b = (struct rr){ 2, 50, &log };
    SPAWN(ta, rr_yield, &a, T_PRIO);
    SPAWN(tb, rr_yield, &b, T_PRIO);
    settle();
    EXPECT_DONE(ta);
    EXPECT_DONE(tb);
    EXPECT(log.n == 100, "%d events", log.n);
    for (int i = 0; i + 1 < log.n; i++)
        EXPECT(log.ev[i] != log.ev[i + 1], "no alternation at event %d: %s", i, ev_str(&log));
    return PASS;
}

TTEST(SCHED_0012, "round robin with Yield: three threads keep a fixed cyclic order")
{
    static struct evlog log;
    static struct rr r[3];
    memset(&log, 0, sizeof(log));
    for (int i = 0; i < 3; i++) {
        r[i] = (struct rr){ i + 1, 10, &log };
        SPAWN(t, rr_yield, &r[i], T_PRIO);
    }
    settle();
    EXPECT(log.n == 30, "%d events", log.n);
    EXPECT(log.ev[0] != log.ev[1] && log.ev[1] != log.ev[2] && log.ev[0] != log.ev[2],
           "first round: %s", ev_str(&log));
    for (int i = 0; i + 3 < log.n; i++)
        EXPECT(log.ev[i] == log.ev[i + 3], "order changed at event %d: %s", i, ev_str(&log));
    return PASS;
}

/*
 * Two spinners that count how often the other ran in between. Each stops
 * once both have seen `target` switches, or at the deadline: a generous
 * deadline, because under TCG the TSC follows host time, and a loaded host
 * that stops QEMU for a while eats the guest's time without ticks.
 */
struct slicer {
    volatile seL4_Word count, switches;
    struct slicer *other;
    uint64_t deadline;
    seL4_Word target;
};

static bool slicers_done(const struct slicer *s)
{
    return s->switches >= s->target && s->other->switches >= s->other->target;
}

static void slice_spin(void *arg)
{
    struct slicer *s = arg;
    seL4_Word last = s->other->count;
    while (test_rdtsc() < s->deadline && !slicers_done(s)) {
        s->count++;
        seL4_Word now = s->other->count;
        if (now != last) {
            s->switches++;
            last = now;
        }
    }
}

TTEST(SCHED_0013, "round robin without Yield: equal-priority spinners share the CPU by time slice")
{
    /* 5 ticks of 2 ms per slice (syscalls.md §7): about 3 slices each in 30 ms. */
    static struct slicer a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.other = &b;
    b.other = &a;
    a.deadline = b.deadline = tsc_after_ms(3000);
    a.target = b.target = 3;
    SPAWN(ta, slice_spin, &a, T_PRIO);
    SPAWN(tb, slice_spin, &b, T_PRIO);
    settle();
    EXPECT_DONE(ta);
    EXPECT_DONE(tb);
    EXPECT(a.count > 0 && b.count > 0, "counts %lu %lu", (unsigned long)a.count,
           (unsigned long)b.count);
    EXPECT(a.switches >= 3 && b.switches >= 3,
           "too few time-slice switches: A saw B run %lu times, B saw A %lu times",
           (unsigned long)a.switches, (unsigned long)b.switches);
    return PASS;
}

TTEST(SCHED_0014, "the root (priority 255) and a 255 thread share the CPU by time slice")
{
    static struct slicer t, root;
    memset(&t, 0, sizeof(t));
    memset(&root, 0, sizeof(root));
    t.other = &root;
    root.other = &t;
    t.deadline = root.deadline = tsc_after_ms(3000);
    t.target = root.target = 2;
    SPAWN(th, slice_spin, &t, ROOT_PRIO);
    slice_spin(&root);
    EXPECT(wait_flag(&th->done, 5000), "thread did not finish");
    EXPECT(root.switches >= 2 && t.switches >= 2,
           "no preemption between equal priorities: root saw %lu switches, thread %lu",
           (unsigned long)root.switches, (unsigned long)t.switches);
    return PASS;
}

TTEST(SCHED_0015, "the root lowering its own priority runs a higher ready thread at once")
{
    static struct counter c;
    memset(&c, 0, sizeof(c));
    SPAWN(t, count_once, &c, T_PRIO);
    EXPECT(c.count == 0, "thread ran before the root blocked or lowered itself");
    EXPECT_ERR(root_prio(T_PRIO - 1), seL4_NoError);
    seL4_Word seen = c.count;
    EXPECT_ERR(root_prio(ROOT_PRIO), seL4_NoError);
    EXPECT(seen == 1, "thread had not run when SetPriority returned");
    EXPECT_DONE(t);
    return PASS;
}

/* ======================================================================
 * MCP rules
 * ====================================================================== */

TTEST(SCHED_0020, "SetPriority: authority MCP bound (RangeError 0..MCP), authority type, length")
{
    NEW_THREAD(auth, T_PRIO);
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    /* A new TCB has MCP 0 (objects.md §3.2). */
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, auth->tcb, 1), seL4_RangeError);
    EXPECT_MRS(0, 0);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, auth->tcb, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetMCPriority(auth->tcb, seL4_CapInitThreadTCB, 50), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, auth->tcb, 51), seL4_RangeError);
    EXPECT_MRS(0, 50);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, auth->tcb, 50), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, 256), seL4_RangeError);
    EXPECT_MRS(0, 255);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, ep, 10), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, ROOT_CNODE, 10), seL4_InvalidCapability);
    EXPECT_MRS(1);
    seL4_Word mr[1] = { 10 };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBSetPriority, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "no cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    seL4_CPtr caps[1] = { seL4_CapInitThreadTCB };
    info = raw_call(t->tcb, TCBSetPriority, 0, 1, caps, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(SCHED_0021, "SetMCPriority: bounded by the authority's MCP; the new MCP is used")
{
    NEW_THREAD(a, T_PRIO);
    NEW_THREAD(b, T_PRIO);
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    EXPECT_ERR(seL4_TCB_SetMCPriority(a->tcb, seL4_CapInitThreadTCB, 60), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetMCPriority(b->tcb, a->tcb, 61), seL4_RangeError);
    EXPECT_MRS(0, 60);
    EXPECT_ERR(seL4_TCB_SetMCPriority(b->tcb, a->tcb, 30), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, b->tcb, 31), seL4_RangeError);
    EXPECT_MRS(0, 30);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, b->tcb, 30), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetMCPriority(b->tcb, seL4_CapInitThreadTCB, 256), seL4_RangeError);
    EXPECT_MRS(0, 255);
    EXPECT_ERR(seL4_TCB_SetMCPriority(b->tcb, ep, 1), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* A thread may use itself as authority: bounded by its own MCP. */
    EXPECT_ERR(seL4_TCB_SetPriority(b->tcb, b->tcb, 30), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetPriority(b->tcb, b->tcb, 31), seL4_RangeError);
    EXPECT_MRS(0, 30);
    return PASS;
}

TTEST(SCHED_0022, "SetSchedParams: both values checked against the MCP, then both set")
{
    NEW_THREAD(a, T_PRIO);
    NEW_THREAD(b, T_PRIO);
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    EXPECT_ERR(seL4_TCB_SetMCPriority(a->tcb, seL4_CapInitThreadTCB, 50), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 51, 10), seL4_RangeError);
    EXPECT_MRS(0, 50);
    EXPECT_ERR(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 10, 51), seL4_RangeError);
    EXPECT_MRS(0, 50);
    EXPECT_ERR(seL4_TCB_SetSchedParams(b->tcb, ep, 10, 10), seL4_InvalidCapability);
    EXPECT_MRS(1);
    seL4_Word mr[2] = { 10, 10 };
    seL4_CPtr caps[1] = { seL4_CapInitThreadTCB };
    seL4_MessageInfo_t info = raw_call(b->tcb, TCBSetSchedParams, 1, 1, caps, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 1: label %lu",
           (unsigned long)INFO_LABEL(info));
    /* Nothing was changed by the failures: b's MCP is still 0. */
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, b->tcb, 1), seL4_RangeError);
    EXPECT_MRS(0, 0);

    EXPECT_ERR(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 40, 20), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, b->tcb, 41), seL4_RangeError);
    EXPECT_MRS(0, 40);
    EXPECT_ERR(seL4_TCB_SetPriority(t->tcb, b->tcb, 40), seL4_NoError);
    return PASS;
}

TTEST(SCHED_0023, "SetSchedParams sets the priority that scheduling uses")
{
    static struct order o[2];
    static struct evlog log;
    memset(&log, 0, sizeof(log));
    NEW_THREAD(x, 20);
    NEW_THREAD(y, 40);
    o[0] = (struct order){ 1, &log };
    o[1] = (struct order){ 2, &log };
    /* x goes above y through SetSchedParams. */
    EXPECT_ERR(seL4_TCB_SetSchedParams(x->tcb, seL4_CapInitThreadTCB, 90, 80), seL4_NoError);
    EXPECT_ERR(thread_start(y, log_prio, &o[1]), seL4_NoError);
    EXPECT_ERR(thread_start(x, log_prio, &o[0]), seL4_NoError);
    settle();
    EXPECT_LOG(&log, 1, 2);
    return PASS;
}
