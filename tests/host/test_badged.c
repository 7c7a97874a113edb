/*
 * kernel/object/badged_sends.c: CNode_CancelBadgedSends stopped after every
 * 1-3 threads and resumed, against a reference model, while other things
 * happen to the queue between the stops (docs/preemption.md).
 *
 * The file is linked alone: endpoint.c's queueing is imitated here (a send
 * that blocks takes a sequence number and is appended; every removal calls
 * badged_sends_unlinking first), and thread_set_state/sched_enqueue record
 * which threads were restarted.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ipc.h"
#include "sched.h"
#include "preempt.h"

#define NT      640             /* threads */
#define NC      4               /* callers of CancelBadgedSends */
#define NE      2               /* endpoints */

static tcb_t threads[NT] __attribute__((aligned(2048)));
static tcb_t callers[NC] __attribute__((aligned(2048)));
static endpoint_t eps[NE] __attribute__((aligned(16)));
static unsigned restarts[NT];

void thread_set_state(tcb_t *t, thread_state_t s)
{
    t->state = s;
}

void sched_enqueue(tcb_t *t)
{
    CHECK(t >= threads && t < threads + NT);
    CHECK_EQ(t->state, THREAD_RESTART);
    restarts[t - threads]++;
}

static paddr_t ep_addr(int e)
{
    return (paddr_t)(uintptr_t)&eps[e];
}

/* endpoint.c's blocking send, as far as the queue is concerned. */
static void h_send(tcb_t *t, int e, word_t badge)
{
    endpoint_t *ep = &eps[e];
    CHECK(ep_state(ep) != EP_RECV);
    thread_queue_t q = ep_queue(ep);
    t->blocked = (ipc_block_t){ .object = ep_addr(e), .badge = badge };
    t->send_seq = ++ep_send_seq;
    t->state = THREAD_BLOCKED_ON_SEND;
    queue_append(&q, t);
    ep_set(ep, q, EP_SEND);
}

/* endpoint_remove_thread / a receive taking t. */
static void h_remove(tcb_t *t)
{
    endpoint_t *ep = ep_ptr(t->blocked.object);
    thread_queue_t q = ep_queue(ep);
    badged_sends_unlinking(t);
    queue_remove(&q, t);
    ep_set(ep, q, q.head != NULL ? EP_SEND : EP_IDLE);
    t->state = THREAD_INACTIVE;
}

static uint64_t rng;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

/* The queue is well formed, and every position link is mutual and queued. */
static void check_state(void)
{
    for (int e = 0; e < NE; e++) {
        thread_queue_t q = ep_queue(&eps[e]);
        CHECK_EQ(q.head == NULL, ep_state(&eps[e]) == EP_IDLE);
        tcb_t *prev = NULL;
        uint64_t seq = 0;
        for (tcb_t *t = q.head; t != NULL; prev = t, t = t->ipc_next) {
            CHECK_PTR_EQ(t->ipc_prev, prev);
            CHECK_EQ(t->state, THREAD_BLOCKED_ON_SEND);
            CHECK_EQ(t->blocked.object, ep_addr(e));
            CHECK(t->send_seq > seq);
            seq = t->send_seq;
            if (t->cbs_owner != NULL)
                CHECK_PTR_EQ(t->cbs_owner->cbs_after, t);
        }
        CHECK_PTR_EQ(q.tail, prev);
    }
    for (int c = 0; c < NC; c++) {
        tcb_t *at = callers[c].cbs_after;
        if (at == NULL)
            continue;
        CHECK_PTR_EQ(at->cbs_owner, &callers[c]);
        CHECK_EQ(at->state, THREAD_BLOCKED_ON_SEND);
        CHECK_EQ(at->blocked.object, callers[c].cbs_ep);
        /* Everything up to the position has another badge. */
        for (tcb_t *t = ep_queue(ep_ptr(at->blocked.object)).head; t != at; t = t->ipc_next) {
            CHECK(t != NULL);
            CHECK(t->blocked.badge != callers[c].cbs_badge);
        }
    }
}

/* A call under way, and what the model says about it. */
struct call {
    bool active;
    int e;
    word_t badge;
    unsigned entries;
    bool must_go[NT];           /* queued with the badge when the call began */
    bool newer[NT];             /* not queued then (later sends) */
};

static struct call calls[NC];

static void call_begin(int c, int e, word_t badge)
{
    struct call *k = &calls[c];
    memset(k, 0, sizeof(*k));
    k->active = true;
    k->e = e;
    k->badge = badge;
    for (int i = 0; i < NT; i++) {
        tcb_t *t = &threads[i];
        bool queued = t->state == THREAD_BLOCKED_ON_SEND && t->blocked.object == ep_addr(e);
        k->must_go[i] = queued && t->blocked.badge == badge;
        k->newer[i] = !queued;
    }
}

/* One kernel entry of caller c's call; true when it completed. */
static bool call_entry(int c)
{
    struct call *k = &calls[c];
    preempt_work_units = 1 + rnd(3);
    preempt_begin();
    k->entries++;
    CHECK(k->entries < 20 * NT);
    static unsigned before[NT];
    memcpy(before, restarts, sizeof(before));
    bool done = endpoint_cancel_badged_sends(&callers[c], ep_addr(k->e), k->badge);
    /* The end of the system call (syscall.c). */
    if (callers[c].cbs_ep != 0)
        badged_sends_syscall_done(&callers[c]);
    CHECK_EQ(callers[c].cbs_ep != 0, !done);
    check_state();
    /* Only threads of this call's set were restarted, each once. */
    for (int i = 0; i < NT; i++) {
        if (restarts[i] == before[i])
            continue;
        CHECK_EQ(restarts[i], before[i] + 1);
        CHECK(k->must_go[i] && !k->newer[i]);
        k->newer[i] = true;     /* gone: a later send of it is newer */
    }
    if (!done)
        return false;
    k->active = false;
    CHECK(callers[c].cbs_after == NULL && callers[c].cbs_ep == 0);
    /* Every thread that was queued with the badge has left the queue. */
    for (int i = 0; i < NT; i++) {
        tcb_t *t = &threads[i];
        if (k->must_go[i])
            CHECK(!(t->state == THREAD_BLOCKED_ON_SEND && t->blocked.object == ep_addr(k->e) &&
                    !k->newer[i]));
    }
    return true;
}

/* Sequence numbers of the queue, for order comparisons. */
static unsigned snapshot(int e, uint64_t *seqs)
{
    unsigned n = 0;
    for (tcb_t *t = ep_queue(&eps[e]).head; t != NULL; t = t->ipc_next)
        seqs[n++] = t->send_seq;
    return n;
}

static void reset(uint64_t seed)
{
    memset(threads, 0, sizeof(threads));
    memset(callers, 0, sizeof(callers));
    memset(eps, 0, sizeof(eps));
    memset(restarts, 0, sizeof(restarts));
    memset(calls, 0, sizeof(calls));
    rng = seed * 0x9E3779B97F4A7C15ULL + 1;
}

/*
 * 600 senders with badges 1-5 on one endpoint; the badge-3 ones go, the
 * others stay in order, without anything else happening.
 */
HOST_TEST(BADGED_0001)
{
    unsigned saved_mode = preempt_mode;
    preempt_mode = PREEMPT_STRESS;
    reset(1);
    static uint64_t before[NT], after[NT];
    for (int i = 0; i < 600; i++)
        h_send(&threads[i], 0, 1 + (word_t)rnd(5));
    unsigned n0 = snapshot(0, before);
    call_begin(0, 0, 3);
    while (!call_entry(0))
        ;
    unsigned n1 = snapshot(0, after), j = 0;
    for (unsigned i = 0; i < n0; i++) {
        tcb_t *t = NULL;
        for (int k = 0; k < 600; k++)
            if (threads[k].send_seq == before[i])
                t = &threads[k];
        CHECK(t != NULL);
        if (t->blocked.badge == 3) {
            CHECK_EQ(restarts[t - threads], 1);
            CHECK_EQ(t->state, THREAD_RESTART);
        } else {
            CHECK(j < n1);
            CHECK_EQ(after[j++], before[i]);
        }
    }
    CHECK_EQ(j, n1);
    /* At most 3 threads per entry, at least 1. */
    CHECK(calls[0].entries >= n0 / 3 && calls[0].entries <= n0);
    /* All badge 3 now, on a fresh endpoint: it ends idle. */
    reset(2);
    for (int i = 0; i < 300; i++)
        h_send(&threads[i], 1, 3);
    call_begin(0, 1, 3);
    while (!call_entry(0))
        ;
    CHECK_EQ(ep_state(&eps[1]), EP_IDLE);
    CHECK(ep_queue(&eps[1]).head == NULL && ep_queue(&eps[1]).tail == NULL);
    for (int i = 0; i < 300; i++)
        CHECK_EQ(restarts[i], 1);
    preempt_mode = saved_mode;
}

/*
 * Several callers on two endpoints, stopped every 1-3 threads, while
 * between their entries senders queue up (new ones and restarted ones
 * sending again), queued threads leave (receives, suspends), and callers
 * are suspended (their call starts afresh). Every call must complete, and
 * must restart exactly the threads the model says.
 */
HOST_TEST(BADGED_0002)
{
    unsigned saved_mode = preempt_mode;
    preempt_mode = PREEMPT_STRESS;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        reset(seed);
        unsigned completed = 0;
        for (int i = 0; i < NT / 2; i++)
            h_send(&threads[i], rnd(NE), 1 + (word_t)rnd(4));
        for (unsigned step = 0; step < 6000; step++) {
            unsigned what = rnd(100);
            int c = (int)rnd(NC);
            tcb_t *t = &threads[rnd(NT)];
            if (what < 50) {
                if (!calls[c].active)
                    call_begin(c, (int)rnd(NE), 1 + (word_t)rnd(4));
                if (call_entry(c))
                    completed++;
            } else if (what < 70) {
                /* A new or restarted thread sends (again). */
                if (t->state == THREAD_INACTIVE || t->state == THREAD_RESTART) {
                    h_send(t, rnd(NE), 1 + (word_t)rnd(4));
                    for (int k = 0; k < NC; k++)
                        calls[k].newer[t - threads] = true;
                }
            } else if (what < 85) {
                /* A receive takes the head, or a queued thread is suspended. */
                if (t->state == THREAD_BLOCKED_ON_SEND) {
                    if (rnd(2) == 0)
                        t = (tcb_t *)ep_ptr(t->blocked.object)->head;
                    h_remove(t);
                }
            } else if (what < 88 && calls[c].active) {
                /* The caller is suspended: its next call is a new one. */
                badged_sends_forget(&callers[c]);
                calls[c].active = false;
            } else if (what < 91 && calls[c].active) {
                /* Its restarted call fails (the cap went): a new one next. */
                badged_sends_syscall_done(&callers[c]);
                CHECK_EQ(callers[c].cbs_ep, 0);
                calls[c].active = false;
            }
            check_state();
        }
        for (int c = 0; c < NC; c++)
            while (calls[c].active && !call_entry(c))
                ;
        CHECK(completed > 50);
    }
    preempt_mode = saved_mode;
}
