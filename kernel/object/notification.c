/*
 * Notifications: asynchronous signals, a word of OR-ed badges and a queue
 * of waiters, optionally bound to one TCB (objects.md §10).
 */
#include "ipc.h"
#include "sched.h"

static void wake_with_badge(tcb_t *t, word_t badge)
{
    arch_set_reg(&t->ctx, FR_RDI, badge);
    thread_set_state(t, THREAD_RUNNING);
    sched_wake(t);
}

void ntfn_signal(paddr_t ntfn_paddr, word_t badge)
{
    notification_t *n = ntfn_ptr(ntfn_paddr);
    thread_queue_t q = ntfn_queue(n);

    switch (ntfn_state(n)) {
    case NTFN_IDLE: {
        paddr_t bound = ntfn_bound(n);
        tcb_t *t = bound != 0 ? paddr_to_kptr(bound) : NULL;
        if (t != NULL && t->state == THREAD_BLOCKED_ON_RECEIVE) {
            /* The bound thread is in Recv on an endpoint: it gets the signal. */
            endpoint_remove_thread(t);
            wake_with_badge(t, badge);
        } else {
            n->word = badge;
            ntfn_set_queue(n, q, NTFN_ACTIVE);
        }
        break;
    }
    case NTFN_WAITING: {
        tcb_t *t = q.head;
        queue_remove(&q, t);
        ntfn_set_queue(n, q, q.head != NULL ? NTFN_WAITING : NTFN_IDLE);
        wake_with_badge(t, badge);
        break;
    }
    case NTFN_ACTIVE:
        n->word |= badge;
        break;
    }
}

void ntfn_wait(tcb_t *t, paddr_t ntfn_paddr, bool blocking)
{
    notification_t *n = ntfn_ptr(ntfn_paddr);
    thread_queue_t q = ntfn_queue(n);
    if (ntfn_state(n) == NTFN_ACTIVE) {
        arch_set_reg(&t->ctx, FR_RDI, n->word);
        n->word = 0;
        ntfn_set_queue(n, q, NTFN_IDLE);
        return;
    }
    if (!blocking) {
        arch_set_reg(&t->ctx, FR_RDI, 0);       /* Poll: nothing pending */
        return;
    }
    t->blocked = (ipc_block_t){ .object = ntfn_paddr };
    thread_set_state(t, THREAD_BLOCKED_ON_NOTIFICATION);
    queue_append(&q, t);
    ntfn_set_queue(n, q, NTFN_WAITING);
}

bool ntfn_take_bound_signal(tcb_t *t)
{
    if (t->bound_notification == 0)
        return false;
    notification_t *n = ntfn_ptr(t->bound_notification);
    if (ntfn_state(n) != NTFN_ACTIVE)
        return false;
    arch_set_reg(&t->ctx, FR_RDI, n->word);
    n->word = 0;
    ntfn_set_queue(n, ntfn_queue(n), NTFN_IDLE);
    return true;
}

void ntfn_cancel_all(paddr_t ntfn_paddr)
{
    notification_t *n = ntfn_ptr(ntfn_paddr);
    thread_queue_t q = ntfn_queue(n);
    ntfn_set_queue(n, (thread_queue_t){ NULL, NULL }, NTFN_IDLE);
    for (tcb_t *t = q.head, *next; t != NULL; t = next) {
        next = t->ipc_next;
        t->ipc_next = t->ipc_prev = NULL;
        thread_set_state(t, THREAD_RESTART);
        sched_enqueue(t);
    }
    paddr_t bound = ntfn_bound(n);
    if (bound != 0)
        ntfn_unbind(paddr_to_kptr(bound));
}

bool ntfn_cancel_one(paddr_t ntfn_paddr)
{
    notification_t *n = ntfn_ptr(ntfn_paddr);
    thread_queue_t q = ntfn_queue(n);
    tcb_t *t = q.head;
    if (ntfn_state(n) != NTFN_WAITING || t == NULL)
        return false;
    queue_remove(&q, t);
    ntfn_set_queue(n, q, q.head != NULL ? NTFN_WAITING : NTFN_IDLE);
    thread_set_state(t, THREAD_RESTART);
    sched_enqueue(t);
    return true;
}

void ntfn_remove_thread(tcb_t *t)
{
    notification_t *n = ntfn_ptr(t->blocked.object);
    thread_queue_t q = ntfn_queue(n);
    queue_remove(&q, t);
    ntfn_set_queue(n, q, q.head != NULL ? NTFN_WAITING : NTFN_IDLE);
}

bool ntfn_can_bind(paddr_t ntfn_paddr)
{
    notification_t *n = ntfn_ptr(ntfn_paddr);
    return ntfn_state(n) != NTFN_WAITING && ntfn_bound(n) == 0;
}

void ntfn_bind(paddr_t ntfn_paddr, tcb_t *t)
{
    ntfn_set_bound(ntfn_ptr(ntfn_paddr), kptr_to_paddr(t));
    t->bound_notification = ntfn_paddr;
}

void ntfn_unbind(tcb_t *t)
{
    if (t->bound_notification == 0)
        return;
    ntfn_set_bound(ntfn_ptr(t->bound_notification), 0);
    t->bound_notification = 0;
}
