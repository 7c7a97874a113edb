/*
 * The IPC fastpath: Call and ReplyRecv in the common case, in one straight
 * line from syscall entry to the switch into the other thread.
 *
 * Each check below names a case the fastpath does not handle; any of them
 * sends the syscall down the ordinary path (api/syscall.c), which handles
 * everything. When the fastpath runs, its effect is exactly the slow path's:
 * same message registers, badge, message info, thread states, queue order,
 * reply cap and choice of the next thread. CONFIG_FASTPATH=0 compiles it
 * out; the kernel command line option fastpath=0 turns it off at run time.
 */
#include "fastpath.h"
#include "ipc.h"
#include "sched.h"
#include "cdt.h"
#include "arch.h"
#include "syscall.h"
#include <sel4/messageinfo.h>
#include <sel4/syscall.h>
#include <sel4/constants.h>

bool fastpath_enabled = true;

#if CONFIG_FASTPATH

/* The message fits in the registers and carries no caps. */
static bool simple_message(seL4_MessageInfo_t info)
{
    return seL4_MessageInfo_get_extraCaps(info) == 0 &&
           seL4_MessageInfo_get_length(info) <= seL4_FastMessageRegisters;
}

/*
 * A thread whose CancelBadgedSends stopped part-way holds a record of it
 * that the end of its next system call, whatever that call is, settles
 * (badged_sends_syscall_done, on the full path only): such a thread never
 * takes a fastpath, or a stale record could outlive a call it belonged to.
 */
static bool nothing_under_way(const tcb_t *cur)
{
    return cur->cbs_ep == 0;
}

/* The first `length` MRs and the message info go register to register. */
static void copy_message(tcb_t *from, tcb_t *to, seL4_MessageInfo_t info, word_t badge)
{
    word_t *src = from->ctx.regs, *dst = to->ctx.regs;
    /* Nested tests rather than a switch: the empty message costs one. */
    word_t length = seL4_MessageInfo_get_length(info);
    if (length > 0) {
        dst[FR_R10] = src[FR_R10];
        if (length > 1) {
            dst[FR_R8] = src[FR_R8];
            if (length > 2) {
                dst[FR_R9] = src[FR_R9];
                if (length > 3)
                    dst[FR_R15] = src[FR_R15];
            }
        }
    }
    seL4_MessageInfo_t out = seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), 0, 0,
                                                  seL4_MessageInfo_get_length(info));
    dst[FR_RSI] = out.words[0];
    dst[FR_RDI] = badge;
}

/* The receiver's VSpace is usable: it will be loaded on the switch. */
static bool has_vspace(const tcb_t *t)
{
    return cap_get_type(t->slots[TCB_SLOT_VSPACE].cap) == CAP_PML4;
}

/*
 * The thread woken by this IPC runs next when the current thread blocks,
 * by seL4's rule (sched.c, take_candidate): unless it has lower priority
 * than the current thread and than some ready thread.
 */
static bool would_run(const tcb_t *woken, const tcb_t *cur)
{
    if (CONFIG_NUM_DOMAINS > 1 && woken->domain != sched_cur_domain)
        return false;
    return woken->priority >= cur->priority ||
           (int)woken->priority >= sched_highest_ready_priority();
}

/* Call: a receiver is waiting on the endpoint and should run next. */
static void fastpath_call(tcb_t *cur)
{
    seL4_MessageInfo_t info = { { cur->ctx.regs[FR_RSI] } };
    if (!simple_message(info) || !nothing_under_way(cur))
        return;
    /* The invoked cap: an endpoint we may send on, with a reply possible. */
    cte_t *slot = cspace_lookup_fast(cur->slots[TCB_SLOT_CSPACE].cap, cur->ctx.regs[FR_RDI]);
    if (slot == NULL || cap_get_type(slot->cap) != CAP_ENDPOINT)
        return;
    cap_t cap = slot->cap;
    unsigned rights = cap_ipc_rights(cap);
    if (!(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return;
    /* Someone must be waiting to receive. */
    endpoint_t *ep = ep_ptr(cap_ipc_paddr(cap));
    if (ep_state(ep) != EP_RECV)
        return;
    thread_queue_t q = ep_queue(ep);
    tcb_t *dest = q.head;
    /* The receiver must be the scheduler's choice once the caller blocks. */
    if (!would_run(dest, cur) || !has_vspace(dest))
        return;
    /* Its caller slot is empty (its Recv emptied it). */
    if (!cap_is_null(dest->slots[TCB_SLOT_CALLER].cap))
        return;

    /* dest is the head: unlink it from the front. */
    q.head = dest->ipc_next;
    if (q.head != NULL)
        q.head->ipc_prev = NULL;
    else
        q.tail = NULL;
    dest->ipc_next = dest->ipc_prev = NULL;
    ep_set(ep, q, q.head != NULL ? EP_RECV : EP_IDLE);
    copy_message(cur, dest, info, cap_ipc_badge(cap));

    /* The caller waits for the reply; the receiver gets the reply cap. */
    cur->state = THREAD_BLOCKED_ON_REPLY;
    cdt_insert_child(&cur->slots[TCB_SLOT_REPLY], &dest->slots[TCB_SLOT_CALLER],
                     cap_reply_new(cur, false, dest->blocked.can_grant));
    dest->state = THREAD_RUNNING;
    cur_thread = dest;
    arch_switch_to_user(dest);
}

/* ReplyRecv: reply to a caller that should run next, then wait on the endpoint. */
static void fastpath_reply_recv(tcb_t *cur)
{
    seL4_MessageInfo_t info = { { cur->ctx.regs[FR_RSI] } };
    if (!simple_message(info) || !nothing_under_way(cur))
        return;
    /* The receive half: an endpoint we may receive on, with no sender waiting. */
    cte_t *slot = cspace_lookup_fast(cur->slots[TCB_SLOT_CSPACE].cap, cur->ctx.regs[FR_RDI]);
    if (slot == NULL || cap_get_type(slot->cap) != CAP_ENDPOINT)
        return;
    cap_t cap = slot->cap;
    if (!(cap_ipc_rights(cap) & RIGHT_READ))
        return;
    endpoint_t *ep = ep_ptr(cap_ipc_paddr(cap));
    if (ep_state(ep) == EP_SEND)
        return;
    /* A pending bound notification would end the receive at once. */
    if (cur->bound_notification != 0)
        return;
    /* The reply half: a reply cap to a caller waiting for it, not after a fault. */
    cte_t *reply_slot = &cur->slots[TCB_SLOT_CALLER];
    cap_t reply = reply_slot->cap;
    if (cap_get_type(reply) != CAP_REPLY)
        return;
    tcb_t *caller = cap_thread_tcb(reply);
    if (caller->state != THREAD_BLOCKED_ON_REPLY || caller->fault.type != FAULT_NULL)
        return;
    /* The caller must be the scheduler's choice once we block. */
    if (!would_run(caller, cur) || !has_vspace(caller))
        return;

    /* Block on the endpoint, behind any other receivers. */
    thread_queue_t q = ep_queue(ep);
    /* Only these two fields mean anything while blocked on receive. */
    cur->blocked.object = cap_ipc_paddr(cap);
    cur->blocked.can_grant = (cap_ipc_rights(cap) & RIGHT_GRANT) != 0;
    cur->state = THREAD_BLOCKED_ON_RECEIVE;
    queue_append(&q, cur);
    ep_set(ep, q, EP_RECV);

    /* The reply: badge 0, and the one-shot reply cap is used up. */
    copy_message(cur, caller, info, 0);
    cdt_remove(reply_slot);
    caller->state = THREAD_RUNNING;
    cur_thread = caller;
    arch_switch_to_user(caller);
}

/*
 * Entered straight from the syscall stub (arch entry.S) for Call and
 * ReplyRecv, with the frame saved; whatever the fastpath declines goes on
 * to the ordinary path with nothing changed.
 */
NORETURN void c_fastpath_call(void)
{
    fastpath_call(cur_thread);
    c_handle_syscall();
}

NORETURN void c_fastpath_reply_recv(void)
{
    fastpath_reply_recv(cur_thread);
    c_handle_syscall();
}
/*
 * Signal: Send or NBSend on a notification cap we may write, with no caps
 * attached. The slow path would look up the IPC buffer and build an
 * invocation only to reach the same ntfn_signal; nothing is replied
 * (neither is a Call), so the effect is identical.
 */
static void fastpath_signal(tcb_t *cur)
{
    seL4_MessageInfo_t info = { { cur->ctx.regs[FR_RSI] } };
    if (seL4_MessageInfo_get_extraCaps(info) != 0)
        return;             /* the slow path looks them up (and may fault) */
    if (!nothing_under_way(cur))
        return;
    cte_t *slot = cspace_lookup_fast(cur->slots[TCB_SLOT_CSPACE].cap, cur->ctx.regs[FR_RDI]);
    if (slot == NULL || cap_get_type(slot->cap) != CAP_NOTIFICATION)
        return;
    cap_t cap = slot->cap;
    if (!(cap_ipc_rights(cap) & RIGHT_WRITE))
        return;
    ntfn_signal(cap_ipc_paddr(cap), cap_ipc_badge(cap));
    sched_exit_kernel();
}

NORETURN void c_fastpath_signal(void)
{
    fastpath_signal(cur_thread);
    c_handle_syscall();
}
#endif /* CONFIG_FASTPATH */
