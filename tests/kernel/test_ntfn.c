/*
 * NTFN_*: notifications: Signal/Wait/Poll, badges OR-ed, rights, FIFO
 * waiters, binding to TCBs and deletion (objects.md §10, syscalls.md §8,
 * capabilities.md §3, §10).
 *
 * The root never Polls a notification that is bound to a thread (that is a
 * CapFault for anyone but the bound thread, objects.md §10).
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

TTEST(NTFN_0001, "Signal then Poll returns the badge and clears the word")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x10);
    seL4_Signal(b);
    EXPECT(ntfn_poll(ntfn) == 0x10, "first Poll");
    EXPECT(ntfn_poll(ntfn) == 0, "second Poll did not find it cleared");
    return PASS;
}

TTEST(NTFN_0002, "badges of several Signals are OR-ed together")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b1, ntfn, seL4_AllRights, 1);
    NEW_MINT(b2, ntfn, seL4_AllRights, 2);
    NEW_MINT(b4, ntfn, seL4_AllRights, 4);
    NEW_MINT(bh, ntfn, seL4_AllRights, 1UL << 63);
    seL4_Signal(b1);
    seL4_Signal(b4);
    seL4_Signal(b1);
    seL4_Signal(bh);
    seL4_Signal(b2);
    seL4_Word w = ntfn_poll(ntfn);
    EXPECT(w == (7 | (1UL << 63)), "word %#lx", (unsigned long)w);
    return PASS;
}

TTEST(NTFN_0003, "Wait blocks until a Signal and returns that Signal's badge")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x40);
    static struct actor w;
    actor_init(&w, OP_WAIT, ntfn);
    SPAWN_ACTOR(t, &w, OP_WAIT, ntfn, T_PRIO);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_AT_SYSCALL(t);
    seL4_Signal(b);
    settle();
    EXPECT_DONE(t);
    EXPECT(w.badge == 0x40, "badge %#lx", (unsigned long)w.badge);
    EXPECT(ntfn_poll(ntfn) == 0, "the word was not consumed");
    return PASS;
}

TTEST(NTFN_0004, "a pending signal is taken by Wait at once; the next Wait blocks")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b3, ntfn, seL4_AllRights, 3);
    NEW_MINT(b8, ntfn, seL4_AllRights, 8);
    seL4_Signal(b3);
    seL4_Signal(b8);
    static struct actor w;
    actor_init(&w, OP_WAIT, ntfn);
    w.repeat = 2;
    SPAWN_ACTOR(t, &w, OP_WAIT, ntfn, T_PRIO);
    settle();
    EXPECT(w.completed == 1 && w.badges[0] == 11, "first Wait: %d done, badge %#lx", w.completed,
           (unsigned long)w.badges[0]);
    EXPECT_NOT_DONE(t);
    seL4_Signal(b8);
    settle();
    EXPECT_DONE(t);
    EXPECT(w.badges[1] == 8, "second Wait badge %#lx", (unsigned long)w.badges[1]);
    return PASS;
}

TTEST(NTFN_0005, "waiters are woken one per Signal, in FIFO order, each with its badge")
{
    NEW_NTFN(ntfn);
    static struct actor w[3];
    struct thread *t[3];
    for (int i = 0; i < 3; i++) {
        actor_init(&w[i], OP_WAIT, ntfn);
        t[i] = actor_spawn(&w[i], OP_WAIT, ntfn, T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    for (int i = 0; i < 3; i++) {
        seL4_CPtr b = cap_mint(ntfn, seL4_AllRights, (seL4_Word)(0x100 << i));
        EXPECT(b != 0, "mint: %s", thread_error());
        seL4_Signal(b);
        settle();
        for (int j = 0; j < 3; j++)
            EXPECT(t[j]->done == (j <= i), "after signal %d: waiter %d done = %d", i, j,
                   t[j]->done);
        EXPECT(w[i].badge == (seL4_Word)(0x100 << i), "waiter %d badge %#lx", i,
               (unsigned long)w[i].badge);
    }
    return PASS;
}

TTEST(NTFN_0006, "badge 0 still signals: wakes a waiter with 0, or activates the object")
{
    NEW_NTFN(ntfn);
    static struct actor w1, w2;
    actor_init(&w1, OP_WAIT, ntfn);
    w1.badge = 0x999;
    SPAWN_ACTOR(t1, &w1, OP_WAIT, ntfn, T_PRIO);
    settle();
    seL4_Signal(ntfn);                          /* unbadged cap */
    settle();
    EXPECT_DONE(t1);
    EXPECT(w1.badge == 0, "badge %#lx", (unsigned long)w1.badge);

    seL4_Signal(ntfn);                          /* nobody waits: Active, word 0 */
    actor_init(&w2, OP_WAIT, ntfn);
    w2.badge = 0x999;
    SPAWN_ACTOR(t2, &w2, OP_WAIT, ntfn, T_PRIO);
    settle();
    EXPECT_DONE(t2);
    EXPECT(w2.badge == 0, "badge %#lx", (unsigned long)w2.badge);
    return PASS;
}

TTEST(NTFN_0007, "Signal, NBSend and Call on a notification all signal it")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b1, ntfn, seL4_AllRights, 1);
    NEW_MINT(b2, ntfn, seL4_AllRights, 2);
    NEW_MINT(b4, ntfn, seL4_AllRights, 4);
    static struct actor s, n, c;
    actor_init(&s, OP_SEND, b1);
    s.label = 0x77;
    s.length = 3;
    SPAWN_ACTOR(ts, &s, OP_SEND, b1, T_PRIO);
    actor_init(&n, OP_NBSEND, b2);
    SPAWN_ACTOR(tn, &n, OP_NBSEND, b2, T_PRIO);
    actor_init(&c, OP_CALL, b4);
    c.label = 0x99;
    c.length = 2;
    SPAWN_ACTOR(tc, &c, OP_CALL, b4, T_PRIO);
    settle();
    EXPECT_DONE(ts);
    EXPECT_DONE(tn);
    EXPECT_DONE(tc);
    /* Call gets an empty success reply (objects.md §10). */
    EXPECT(c.info.words[0] == 0 && c.badge == 0, "Call reply info %#lx badge %#lx",
           (unsigned long)c.info.words[0], (unsigned long)c.badge);
    EXPECT(ntfn_poll(ntfn) == 7, "word after three signals");
    return PASS;
}

TTEST(NTFN_0008, "signalling through a cap without Write: dropped; Call → InvalidCapability(0)")
{
    NEW_NTFN(ntfn);
    NEW_MINT(ro, ntfn, seL4_CanRead, 0x20);
    seL4_Signal(ro);
    seL4_NBSend(ro, msg_info(0, 0, 0));
    EXPECT(ntfn_poll(ntfn) == 0, "signalled without Write");
    static struct actor c;
    actor_init(&c, OP_CALL, ro);
    SPAWN_ACTOR(t, &c, OP_CALL, ro, T_PRIO);
    settle();
    EXPECT_DONE(t);
    EXPECT(INFO_LABEL(c.info) == seL4_InvalidCapability && c.mr[0] == 0,
           "Call: label %lu MR0 %lu", (unsigned long)INFO_LABEL(c.info), (unsigned long)c.mr[0]);
    EXPECT(ntfn_poll(ntfn) == 0, "signalled without Write");
    return PASS;
}

static test_result_t ntfn_noread_test(int op)
{
    NEW_NTFN(ntfn);
    NEW_COPY(wo, ntfn, seL4_CanWrite);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x31);
    static struct actor w;
    actor_init(&w, op, wo);
    SPAWN_ACTOR(t, &w, op, wo, T_PRIO);
    settle();
    EXPECT(w.entered == 1, "thread did not run");
    EXPECT(w.completed == 0, "receive without Read returned");
    EXPECT_NOT_DONE(t);
    EXPECT_AT_SYSCALL(t);
    seL4_Signal(b);
    settle();
    EXPECT(w.completed == 0, "the faulted thread took a signal");
    EXPECT(ntfn_poll(ntfn) == 0x31, "the signal was consumed");
    return PASS;
}

TTEST(NTFN_0009, "Wait through a cap without Read: CapFault, thread Inactive")
{
    return ntfn_noread_test(OP_WAIT);
}

TTEST(NTFN_0010, "Poll through a cap without Read: CapFault, thread Inactive")
{
    return ntfn_noread_test(OP_POLL);
}

/* ======================================================================
 * Bound notifications
 * ====================================================================== */

/* A thread bound to `ntfn` running actor `a` (not started if !start). */
static struct thread *bound_thread(seL4_CPtr ntfn, struct actor *a, bool start)
{
    struct thread *t = thread_create(T_PRIO);
    if (t == NULL)
        return NULL;
    if (seL4_TCB_BindNotification(t->tcb, ntfn) != seL4_NoError)
        return NULL;
    if (start && thread_start(t, actor_fn, a) != seL4_NoError)
        return NULL;
    return t;
}

TTEST(NTFN_0020, "a signal to a bound notification ends the thread's Recv on an endpoint")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x30);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    r.repeat = 2;
    struct thread *t = bound_thread(ntfn, &r, true);
    EXPECT(t != NULL, "bound thread: %s", thread_error());
    settle();
    EXPECT(r.entered == 1 && r.completed == 0, "thread not blocked in Recv");
    seL4_Signal(b);
    settle();
    EXPECT(r.completed == 1, "Recv did not return on the signal");
    EXPECT(r.badges[0] == 0x30, "badge %#lx", (unsigned long)r.badges[0]);
    /* Only RDI is written (syscalls.md §3.3); the stub passed info 0. */
    EXPECT(r.infos[0].words[0] == 0, "info %#lx", (unsigned long)r.infos[0].words[0]);
    EXPECT_NOT_DONE(t);                         /* in its second Recv */
    seL4_NBSend(ep, msg_info(0x12, 0, 0));
    settle();
    EXPECT_DONE(t);
    EXPECT(INFO_LABEL(r.infos[1]) == 0x12 && r.badges[1] == 0, "second Recv: label %#lx",
           (unsigned long)INFO_LABEL(r.infos[1]));
    return PASS;
}

TTEST(NTFN_0021, "a pending bound signal is delivered by Recv before a queued sender")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 5);
    static struct actor r, s;
    actor_init(&r, OP_RECV, ep);
    r.repeat = 2;
    struct thread *t = bound_thread(ntfn, &r, false);
    EXPECT(t != NULL, "bound thread: %s", thread_error());
    seL4_Signal(b);                             /* t is Inactive: ntfn Active */
    actor_init(&s, OP_SEND, ep);
    s.label = 0x13;
    s.length = 1;
    s.seed = 21;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(sender);
    START(t, actor_fn, &r);
    settle();
    EXPECT_DONE(t);
    EXPECT(r.badges[0] == 5 && r.infos[0].words[0] == 0, "first Recv: badge %#lx info %#lx",
           (unsigned long)r.badges[0], (unsigned long)r.infos[0].words[0]);
    EXPECT(r.badges[1] == 0 && INFO_LABEL(r.infos[1]) == 0x13 &&
           r.mr0s[1] == mr_pattern(21, 0), "second Recv: badge %#lx label %#lx",
           (unsigned long)r.badges[1], (unsigned long)INFO_LABEL(r.infos[1]));
    EXPECT_DONE(sender);
    return PASS;
}

TTEST(NTFN_0022, "the bound thread may Wait on its own notification")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 7);
    static struct actor w;
    actor_init(&w, OP_WAIT, ntfn);
    struct thread *t = bound_thread(ntfn, &w, true);
    EXPECT(t != NULL, "bound thread: %s", thread_error());
    settle();
    EXPECT_NOT_DONE(t);
    seL4_Signal(b);
    settle();
    EXPECT_DONE(t);
    EXPECT(w.badge == 7, "badge %#lx", (unsigned long)w.badge);
    return PASS;
}

TTEST(NTFN_0023, "Wait on a notification bound to another thread: CapFault")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 9);
    NEW_THREAD(owner, T_PRIO);
    EXPECT_ERR(seL4_TCB_BindNotification(owner->tcb, ntfn), seL4_NoError);
    static struct actor w;
    actor_init(&w, OP_WAIT, ntfn);
    SPAWN_ACTOR(other, &w, OP_WAIT, ntfn, T_PRIO);
    settle();
    EXPECT(w.entered == 1 && w.completed == 0, "Wait returned");
    EXPECT_NOT_DONE(other);
    EXPECT_AT_SYSCALL(other);
    seL4_Signal(b);                             /* owner not receiving: Active */
    settle();
    EXPECT(w.completed == 0, "the faulted thread took the signal");
    EXPECT_ERR(seL4_TCB_UnbindNotification(owner->tcb), seL4_NoError);
    EXPECT(ntfn_poll(ntfn) == 9, "signal lost");
    return PASS;
}

struct bound_caller {
    seL4_CPtr ep, ep3;
    volatile int step;
    volatile seL4_Word badge2;
};

static void bound_caller_fn(void *arg)
{
    struct bound_caller *p = arg;
    (void)seL4_Call(p->ep, msg_info(0x16, 0, 0));
    p->step = 1;
    seL4_Word badge = 0;
    (void)seL4_Recv(p->ep3, &badge);
    p->badge2 = badge;
    p->step = 2;
}

struct slow_server {
    seL4_CPtr ep, sn;
    volatile int step;
};

static void slow_server_fn(void *arg)
{
    struct slow_server *p = arg;
    seL4_Word badge;
    (void)seL4_Recv(p->ep, &badge);
    p->step = 1;
    seL4_Wait(p->sn, &badge);               /* keeps the reply cap */
    seL4_Reply(msg_info(0, 0, 0));
    p->step = 2;
}

TTEST(NTFN_0024, "a signal while the bound thread waits for a reply is kept for its next Recv")
{
    NEW_EP(ep);
    NEW_EP(ep3);
    NEW_NTFN(ntfn);
    NEW_NTFN(sn);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x16);
    static struct slow_server s;
    memset(&s, 0, sizeof(s));
    s.ep = ep;
    s.sn = sn;
    SPAWN(server, slow_server_fn, &s, T_PRIO);
    settle();
    static struct bound_caller p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.ep3 = ep3;
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_TCB_BindNotification(t->tcb, ntfn), seL4_NoError);
    START(t, bound_caller_fn, &p);
    settle();
    EXPECT(s.step == 1 && p.step == 0, "server step %d, caller step %d", s.step, p.step);
    seL4_Signal(b);                             /* caller is BlockedOnReply: not woken */
    settle();
    EXPECT(p.step == 0, "the signal woke a thread waiting for its reply");
    seL4_Signal(sn);                            /* server replies */
    settle();
    EXPECT(s.step == 2, "server step %d", s.step);
    EXPECT(p.step == 2, "caller step %d: its Recv did not get the pending signal", p.step);
    EXPECT(p.badge2 == 0x16, "badge %#lx", (unsigned long)p.badge2);
    return PASS;
}

TTEST(NTFN_0025, "after UnbindNotification a signal no longer ends the thread's Recv")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_MINT(b, ntfn, seL4_AllRights, 0x25);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    struct thread *t = bound_thread(ntfn, &r, false);
    EXPECT(t != NULL, "bound thread: %s", thread_error());
    EXPECT_ERR(seL4_TCB_UnbindNotification(t->tcb), seL4_NoError);
    START(t, actor_fn, &r);
    settle();
    seL4_Signal(b);
    settle();
    EXPECT(r.completed == 0, "Recv returned on an unbound notification's signal");
    EXPECT(ntfn_poll(ntfn) == 0x25, "signal lost");
    return PASS;
}

/* ======================================================================
 * Deletion
 * ====================================================================== */

TTEST(NTFN_0030, "deleting a notification restarts its waiters; they fault; none is lost")
{
    /* capabilities.md §10: waiters set to Restart; their Wait then finds an
     * empty slot: CapFault (syscalls.md §8 Recv) → Inactive. */
    NEW_NTFN(ntfn);
    static struct actor w[2];
    struct thread *t[2];
    for (int i = 0; i < 2; i++) {
        actor_init(&w[i], OP_WAIT, ntfn);
        t[i] = actor_spawn(&w[i], OP_WAIT, ntfn, T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    EXPECT_ERR(r_delete(ntfn), seL4_NoError);
    settle();
    for (int i = 0; i < 2; i++) {
        EXPECT(w[i].completed == 0, "waiter %d returned", i);
        EXPECT(!t[i]->done, "waiter %d finished", i);
        EXPECT_AT_SYSCALL(t[i]);
    }
    /* A new notification in the same slot; resumed, both wait again. */
    EXPECT_ERR(seL4_Untyped_Retype(env_untyped(), seL4_NotificationObject, 0, ROOT_CNODE, 0, 0,
                                   ntfn, 1), seL4_NoError);
    for (int i = 0; i < 2; i++) {
        EXPECT_ERR(seL4_TCB_Resume(t[i]->tcb), seL4_NoError);
        settle();
    }
    NEW_MINT(b, ntfn, seL4_AllRights, 0x30);
    for (int i = 0; i < 2; i++) {
        seL4_Signal(b);
        settle();
    }
    for (int i = 0; i < 2; i++) {
        EXPECT(t[i]->done, "waiter %d lost", i);
        EXPECT(w[i].badge == 0x30, "waiter %d badge %#lx", i, (unsigned long)w[i].badge);
    }
    return PASS;
}

TTEST(NTFN_0031, "deleting a bound notification unbinds it")
{
    NEW_NTFN(ntfn);
    NEW_NTFN(other);
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_TCB_BindNotification(t->tcb, ntfn), seL4_NoError);
    EXPECT_ERR(r_delete(ntfn), seL4_NoError);
    EXPECT_ERR(seL4_TCB_UnbindNotification(t->tcb), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_BindNotification(t->tcb, other), seL4_NoError);
    return PASS;
}
