/*
 * Endpoints, notifications and reply caps: seL4's synchronous IPC and
 * asynchronous signals (objects.md §9-§10, capabilities.md §6, §9).
 *
 * Endpoint object (16 bytes): a FIFO queue of blocked senders or of blocked
 * receivers, and its state. Notification object (32 bytes): a FIFO queue of
 * waiters, its state, the signal word and the TCB it is bound to.
 */
#ifndef IPC_H
#define IPC_H

#include "thread.h"

typedef enum ep_state { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 } ep_state_t;
typedef enum ntfn_state { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 } ntfn_state_t;

typedef struct thread_queue {
    tcb_t *head;
    tcb_t *tail;
} thread_queue_t;

/*
 * The objects are as small as seL4's (16 and 32 bytes): the state lives in
 * the low bits of a TCB pointer or address (TCBs are 2 KiB aligned).
 */
#define OBJ_STATE_MASK  3UL

typedef struct endpoint {
    word_t head;                /* tcb_t * */
    word_t tail_and_state;      /* tcb_t * | ep_state_t */
} endpoint_t;

typedef struct notification {
    word_t head;                /* tcb_t * */
    word_t tail;                /* tcb_t * */
    word_t word;                /* pending signal bits */
    word_t bound_and_state;     /* bound TCB's paddr | ntfn_state_t */
} notification_t;

_Static_assert(sizeof(endpoint_t) == 16, "seL4_EndpointBits is 4");
_Static_assert(sizeof(notification_t) == 32, "seL4_NotificationBits is 5");

static inline thread_queue_t ep_queue(const endpoint_t *ep)
{
    return (thread_queue_t){ (tcb_t *)ep->head, (tcb_t *)(ep->tail_and_state & ~OBJ_STATE_MASK) };
}

static inline ep_state_t ep_state(const endpoint_t *ep)
{
    return (ep_state_t)(ep->tail_and_state & OBJ_STATE_MASK);
}

static inline void ep_set(endpoint_t *ep, thread_queue_t q, ep_state_t state)
{
    ep->head = (word_t)q.head;
    ep->tail_and_state = (word_t)q.tail | state;
}

static inline thread_queue_t ntfn_queue(const notification_t *n)
{
    return (thread_queue_t){ (tcb_t *)n->head, (tcb_t *)n->tail };
}

static inline ntfn_state_t ntfn_state(const notification_t *n)
{
    return (ntfn_state_t)(n->bound_and_state & OBJ_STATE_MASK);
}

static inline paddr_t ntfn_bound(const notification_t *n)
{
    return n->bound_and_state & ~OBJ_STATE_MASK;
}

static inline void ntfn_set_queue(notification_t *n, thread_queue_t q, ntfn_state_t state)
{
    n->head = (word_t)q.head;
    n->tail = (word_t)q.tail;
    n->bound_and_state = ntfn_bound(n) | state;
}

static inline void ntfn_set_bound(notification_t *n, paddr_t tcb)
{
    n->bound_and_state = tcb | ntfn_state(n);
}

/* Endpoint operations (object/endpoint.c). cap is the endpoint cap used. */
void ipc_send(tcb_t *sender, cap_t cap, bool blocking, bool is_call);
void ipc_receive(tcb_t *receiver, cap_t cap, bool blocking);
/* A faulting thread "Calls" its handler with GrantReply forced on. */
void ipc_send_fault(tcb_t *t, cap_t handler);
/* Reply through the reply cap in slot (the caller slot or a saved reply cap). */
void ipc_reply(tcb_t *replier, cte_t *slot);
void endpoint_cancel_all(paddr_t ep);
/*
 * One queued thread of an endpoint or notification redoes its system call
 * (the first of endpoint_cancel_all's / ntfn_cancel_all's steps); false if
 * none was queued. Deleting the last cap drains a long queue this way, one
 * work unit per thread (core/delete.c).
 */
bool endpoint_cancel_one(paddr_t ep);
bool ntfn_cancel_one(paddr_t ntfn);
/*
 * CNode_CancelBadgedSends by caller (object/badged_sends.c): threads queued
 * to send on ep with the badge redo their system call, one work unit each;
 * false if preempted (caller remembers how far it got).
 */
bool endpoint_cancel_badged_sends(tcb_t *caller, paddr_t ep, word_t badge);
/* Every removal of a thread from an endpoint's queue calls this first. */
void badged_sends_unlinking(tcb_t *t);
/* The thread's stopped CancelBadgedSends is abandoned (or finished). */
void badged_sends_forget(tcb_t *caller);
/*
 * End of a system call of a thread with a record: it is kept only if this
 * call was the CancelBadgedSends that stopped again (its restart), so one
 * that fails instead (the cap was deleted meanwhile) does not leave it.
 */
void badged_sends_syscall_done(tcb_t *t);
/* Sequence number of the last send that blocked (tcb.send_seq). */
extern uint64_t ep_send_seq;
void endpoint_remove_thread(tcb_t *t);

/* Notification operations (object/notification.c). */
void ntfn_signal(paddr_t ntfn, word_t badge);
void ntfn_wait(tcb_t *t, paddr_t ntfn, bool blocking);
void ntfn_cancel_all(paddr_t ntfn);
void ntfn_remove_thread(tcb_t *t);
bool ntfn_can_bind(paddr_t ntfn);
void ntfn_bind(paddr_t ntfn, tcb_t *t);
void ntfn_unbind(tcb_t *t);
/* Bound notification pending for t: consume it into RDI; true if it did. */
bool ntfn_take_bound_signal(tcb_t *t);

/*
 * Message transfer (core/transfer.c): MRs, caps (if can_grant; caps to
 * endpoint ep are unwrapped into badges), label and badge, into the
 * receiver's registers and IPC buffer.
 */
void transfer_message(tcb_t *sender, tcb_t *receiver, paddr_t ep, word_t badge, bool can_grant);
/* The sender's pending fault as a message (faults.md §3), badge = handler's. */
void transfer_fault(tcb_t *sender, tcb_t *receiver, word_t badge);

static inline endpoint_t *ep_ptr(paddr_t p)
{
    return paddr_to_kptr(p);
}

static inline notification_t *ntfn_ptr(paddr_t p)
{
    return paddr_to_kptr(p);
}

/* FIFO thread queues shared by endpoints and notifications. */
static inline void queue_append(thread_queue_t *q, tcb_t *t)
{
    t->ipc_next = NULL;
    t->ipc_prev = q->tail;
    if (q->tail != NULL)
        q->tail->ipc_next = t;
    else
        q->head = t;
    q->tail = t;
}

static inline void queue_remove(thread_queue_t *q, tcb_t *t)
{
    if (t->ipc_prev != NULL)
        t->ipc_prev->ipc_next = t->ipc_next;
    else
        q->head = t->ipc_next;
    if (t->ipc_next != NULL)
        t->ipc_next->ipc_prev = t->ipc_prev;
    else
        q->tail = t->ipc_prev;
    t->ipc_next = t->ipc_prev = NULL;
}

#endif
