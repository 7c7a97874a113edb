/*
 * Endpoints: synchronous rendezvous between a sender and a receiver
 * (objects.md §9), and reply caps for Call (capabilities.md §6).
 */
#include "ipc.h"
#include "sched.h"
#include "cdt.h"
#include "delete.h"
#include "fault.h"
#include <sel4/messageinfo.h>
#include <sel4/constants.h>

/* The caller waits for a reply; the receiver gets a one-shot reply cap. */
static void setup_reply(tcb_t *caller, tcb_t *receiver, bool can_grant)
{
    thread_set_state(caller, THREAD_BLOCKED_ON_REPLY);
    cte_t *master = &caller->slots[TCB_SLOT_REPLY];
    cte_t *slot = &receiver->slots[TCB_SLOT_CALLER];
    /* Recv emptied the caller slot; anything left there is stale. */
    cte_delete(slot);
    cdt_insert_child(master, slot, cap_reply_new(caller, false, can_grant));
}

/* After the message of a Call is delivered: reply cap, or Inactive if none allowed. */
static void finish_call(tcb_t *caller, tcb_t *receiver, const ipc_block_t *how,
                        bool receiver_grant)
{
    if (how->can_grant || how->can_grant_reply)
        setup_reply(caller, receiver, receiver_grant);
    else
        thread_set_state(caller, THREAD_INACTIVE);
}

/* A pending fault travels instead of the sender's message registers. */
static void deliver(tcb_t *sender, tcb_t *receiver, paddr_t ep, const ipc_block_t *how)
{
    if (sender->fault.type != FAULT_NULL)
        transfer_fault(sender, receiver, how->badge);
    else
        transfer_message(sender, receiver, ep, how->badge, how->can_grant);
}

static void send(tcb_t *sender, cap_t cap, bool blocking, bool is_call, bool force_grant_reply)
{
    paddr_t ep_paddr = cap_ipc_paddr(cap);
    endpoint_t *ep = ep_ptr(ep_paddr);
    unsigned rights = cap_ipc_rights(cap);
    ipc_block_t how = {
        .object = ep_paddr, .badge = cap_ipc_badge(cap),
        .can_grant = (rights & RIGHT_GRANT) != 0,
        .can_grant_reply = force_grant_reply || (rights & RIGHT_GRANT_REPLY) != 0,
        .is_call = is_call,
    };
    thread_queue_t q = ep_queue(ep);

    if (ep_state(ep) != EP_RECV) {
        if (!blocking)
            return;                     /* NBSend: no receiver, message dropped */
        sender->blocked = how;
        sender->send_seq = ++ep_send_seq;
        thread_set_state(sender, THREAD_BLOCKED_ON_SEND);
        queue_append(&q, sender);
        ep_set(ep, q, EP_SEND);
        return;
    }

    tcb_t *receiver = q.head;
    queue_remove(&q, receiver);
    ep_set(ep, q, q.head != NULL ? EP_RECV : EP_IDLE);
    deliver(sender, receiver, ep_paddr, &how);
    bool receiver_grant = receiver->blocked.can_grant;
    thread_set_state(receiver, THREAD_RUNNING);
    if (is_call)
        finish_call(sender, receiver, &how, receiver_grant);
    sched_wake(receiver);
}

void ipc_send(tcb_t *sender, cap_t cap, bool blocking, bool is_call)
{
    send(sender, cap, blocking, is_call, false);
}

void ipc_send_fault(tcb_t *t, cap_t handler)
{
    send(t, handler, true, true, true);
}

void ipc_receive(tcb_t *receiver, cap_t cap, bool blocking)
{
    paddr_t ep_paddr = cap_ipc_paddr(cap);
    endpoint_t *ep = ep_ptr(ep_paddr);
    bool receiver_grant = (cap_ipc_rights(cap) & RIGHT_GRANT) != 0;
    thread_queue_t q = ep_queue(ep);

    if (ep_state(ep) != EP_SEND) {
        if (!blocking) {
            arch_set_reg(&receiver->ctx, FR_RDI, 0);     /* NBRecv: nothing */
            return;
        }
        receiver->blocked = (ipc_block_t){ .object = ep_paddr, .can_grant = receiver_grant };
        thread_set_state(receiver, THREAD_BLOCKED_ON_RECEIVE);
        queue_append(&q, receiver);
        ep_set(ep, q, EP_RECV);
        return;
    }

    tcb_t *sender = q.head;
    badged_sends_unlinking(sender);
    queue_remove(&q, sender);
    ep_set(ep, q, q.head != NULL ? EP_SEND : EP_IDLE);
    ipc_block_t how = sender->blocked;
    deliver(sender, receiver, ep_paddr, &how);
    if (how.is_call) {
        finish_call(sender, receiver, &how, receiver_grant);
    } else {
        thread_set_state(sender, THREAD_RUNNING);
        sched_wake(sender);
    }
}

/* A reply to a fault is read as register updates (faults.md §4). */
static void reply_to_fault(tcb_t *replier, tcb_t *faulter)
{
    static const unsigned mr_regs[4] = { FR_R10, FR_R8, FR_R9, FR_R15 };
    seL4_MessageInfo_t info = { { arch_get_reg(&replier->ctx, FR_RSI) } };
    const word_t *buf = thread_ipc_buffer(replier, false);
    unsigned length = (unsigned)seL4_MessageInfo_get_length(info);
    word_t mrs[seL4_MsgMaxLength];
    if (length > seL4_MsgMaxLength)
        length = seL4_MsgMaxLength;
    if (buf == NULL && length > 4)
        length = 4;
    for (unsigned i = 0; i < length; i++)
        mrs[i] = i < 4 ? arch_get_reg(&replier->ctx, mr_regs[i]) : buf[1 + i];
    fault_reply(faulter, seL4_MessageInfo_get_label(info), length, mrs);
}

void ipc_reply(tcb_t *replier, cte_t *slot)
{
    cap_t cap = slot->cap;
    tcb_t *caller = cap_thread_tcb(cap);        /* a reply cap names its caller's TCB */
    bool grant = cap_reply_can_grant(cap);
    if (caller->state == THREAD_BLOCKED_ON_REPLY) {
        if (caller->fault.type != FAULT_NULL) {
            reply_to_fault(replier, caller);
        } else {
            /* The reply carries badge 0 and is never unwrapped. */
            transfer_message(replier, caller, 0, 0, grant);
            thread_set_state(caller, THREAD_RUNNING);
            sched_wake(caller);
        }
    }
    cte_delete(slot);
}

/* Every queued thread redoes its syscall (and then finds the cap gone). */
static void restart_all(thread_queue_t q)
{
    for (tcb_t *t = q.head, *next; t != NULL; t = next) {
        next = t->ipc_next;
        badged_sends_unlinking(t);
        t->ipc_next = t->ipc_prev = NULL;
        thread_set_state(t, THREAD_RESTART);
        sched_enqueue(t);
    }
}

void endpoint_cancel_all(paddr_t ep_paddr)
{
    endpoint_t *ep = ep_ptr(ep_paddr);
    thread_queue_t q = ep_queue(ep);
    ep_set(ep, (thread_queue_t){ NULL, NULL }, EP_IDLE);
    restart_all(q);
}

bool endpoint_cancel_one(paddr_t ep_paddr)
{
    endpoint_t *ep = ep_ptr(ep_paddr);
    thread_queue_t q = ep_queue(ep);
    tcb_t *t = q.head;
    if (t == NULL)
        return false;
    ep_state_t state = ep_state(ep);
    badged_sends_unlinking(t);
    queue_remove(&q, t);
    ep_set(ep, q, q.head != NULL ? state : EP_IDLE);
    thread_set_state(t, THREAD_RESTART);
    sched_enqueue(t);
    return true;
}

void endpoint_remove_thread(tcb_t *t)
{
    endpoint_t *ep = ep_ptr(t->blocked.object);
    thread_queue_t q = ep_queue(ep);
    ep_state_t state = ep_state(ep);
    badged_sends_unlinking(t);
    queue_remove(&q, t);
    ep_set(ep, q, q.head != NULL ? state : EP_IDLE);
}
