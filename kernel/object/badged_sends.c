/*
 * CNode_CancelBadgedSends, one queued thread per work unit
 * (docs/preemption.md).
 *
 * Every thread queued to send on the endpoint with the badge is restarted;
 * the others stay queued in their order. The walk can stop after any
 * thread. Correctness never depends on where it resumes (the queue is well
 * formed after every step and a restarted walk that began at the head would
 * give the same result), but progress does: non-matching threads stay in
 * the queue, and a walk that always began at the head could look at the
 * same long prefix in every kernel entry and never get past it.
 *
 * So the caller remembers the last thread it looked at that stays queued
 * (tcb.cbs_after). Everything queued up to that thread has another badge,
 * and that stays true while the thread remains queued: threads are only
 * ever appended at the tail, and a queued thread's badge does not change.
 * When the remembered thread leaves the queue in any way, its predecessor
 * (which satisfies the same condition) takes its place, found through the
 * reverse link tcb.cbs_owner; that is why every removal from an endpoint
 * queue calls badged_sends_unlinking(). Pointers thus only ever name
 * threads that are queued, never freed memory.
 *
 * The call looks only at threads that were queued when it began, as seL4
 * does (it detaches the queue and walks it in one go): every send that
 * blocks gets a sequence number (tcb.send_seq, from ep_send_seq), and the
 * call remembers the last number issued before it began (cbs_limit).
 * Threads are queued in that order, so the walk ends at the first newer
 * one. Without the limit, a restarted sender that sends again while the
 * call is stopped would queue up behind the position, be restarted again,
 * and so on for ever.
 *
 * The record (endpoint, badge, limit, position) belongs to the calling
 * thread and means "this call is under way": it is dropped when the call
 * completes, at the end of any other system call of the thread (the
 * restarted call failed, say, because its cap was deleted meanwhile:
 * badged_sends_syscall_done), and when anything else changes what the
 * thread does next (Suspend, WriteRegisters, CopyRegisters into it, its
 * destruction). A call for another endpoint or badge starts afresh.
 *
 * A queued thread is the position of at most one caller. A walk due to stop
 * at a thread that is another caller's position takes one more step (so
 * the overrun is bounded by the number of calls stopped on the endpoint);
 * a position whose thread leaves moves to the predecessor, or to the head
 * if that one is another caller's. A caller thus moves back only when a
 * thread it already passed leaves the queue, and those are finitely many:
 * every call completes.
 */
#include "ipc.h"
#include "sched.h"
#include "preempt.h"

uint64_t ep_send_seq;

/* The caller resuming after t (if any) resumes after t's predecessor. */
static void step_back(tcb_t *t)
{
    tcb_t *c = t->cbs_owner;
    if (c == NULL)
        return;
    t->cbs_owner = NULL;
    c->cbs_after = NULL;
    tcb_t *prev = t->ipc_prev;
    if (prev != NULL && prev->cbs_owner == NULL) {
        prev->cbs_owner = c;
        c->cbs_after = prev;
    }
}

void badged_sends_unlinking(tcb_t *t)
{
    step_back(t);
}

/* The caller resumes after `at` (NULL: at the head); no other caller's. */
static void set_position(tcb_t *caller, tcb_t *at)
{
    if (caller->cbs_after == at)
        return;
    if (caller->cbs_after != NULL)
        caller->cbs_after->cbs_owner = NULL;
    caller->cbs_after = at;
    if (at != NULL)
        at->cbs_owner = caller;
}

void badged_sends_forget(tcb_t *caller)
{
    set_position(caller, NULL);
    caller->cbs_ep = 0;
    caller->cbs_stopped = false;
}

void badged_sends_syscall_done(tcb_t *t)
{
    if (t->cbs_stopped)
        t->cbs_stopped = false;
    else
        badged_sends_forget(t);
}

static bool may_stop_at(const tcb_t *caller, const tcb_t *at)
{
    return at == NULL || at->cbs_owner == NULL || at->cbs_owner == caller;
}

bool endpoint_cancel_badged_sends(tcb_t *caller, paddr_t ep_paddr, word_t badge)
{
    if (caller->cbs_ep != ep_paddr || caller->cbs_badge != badge) {
        badged_sends_forget(caller);
        caller->cbs_ep = ep_paddr;
        caller->cbs_badge = badge;
        caller->cbs_limit = ep_send_seq;
    }
    endpoint_t *ep = ep_ptr(ep_paddr);
    thread_queue_t q = ep_queue(ep);
    tcb_t *last = caller->cbs_after;
    tcb_t *t = NULL;
    if (ep_state(ep) == EP_SEND)
        t = last != NULL ? last->ipc_next : q.head;
    bool stop = false;
    while (t != NULL && t->send_seq <= caller->cbs_limit) {
        if (stop && may_stop_at(caller, last)) {
            set_position(caller, last);
            caller->cbs_stopped = true;
            return false;
        }
        tcb_t *next = t->ipc_next;
        if (t->blocked.badge == badge) {
            badged_sends_unlinking(t);
            queue_remove(&q, t);
            ep_set(ep, q, q.head != NULL ? EP_SEND : EP_IDLE);
            thread_set_state(t, THREAD_RESTART);
            sched_enqueue(t);
        } else {
            last = t;
        }
        t = next;
        if (preempt_point())
            stop = true;
    }
    badged_sends_forget(caller);
    return true;
}
