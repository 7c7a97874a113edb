/* Thread state changes and the thread helpers generic code needs. */
#include "thread.h"
#include "sched.h"
#include "kstring.h"
#include "ipc.h"
#include "cdt.h"
#include "delete.h"

static const char *const state_names[] = {
    [THREAD_INACTIVE] = "inactive",
    [THREAD_RUNNING] = "running",
    [THREAD_RESTART] = "restart",
    [THREAD_BLOCKED_ON_RECEIVE] = "blocked on receive",
    [THREAD_BLOCKED_ON_SEND] = "blocked on send",
    [THREAD_BLOCKED_ON_REPLY] = "blocked on reply",
    [THREAD_BLOCKED_ON_NOTIFICATION] = "blocked on notification",
    [THREAD_IDLE] = "idle",
};

const char *thread_state_name(thread_state_t s)
{
    if ((unsigned)s < ARRAY_SIZE(state_names) && state_names[s] != NULL)
        return state_names[s];
    return "?";
}

/*
 * Every state change goes through here. A thread that stops being runnable
 * is taken out of the ready queues now rather than lazily, so the queues
 * only ever hold runnable threads (easy to check, and cheap on one core).
 */
void thread_set_state(tcb_t *t, thread_state_t s)
{
    t->state = s;
    if (!thread_is_runnable(t))
        sched_dequeue(t);
}

void thread_set_name(tcb_t *t, const char *name)
{
    kstrlcpy(t->name, name, sizeof(t->name));
}

void thread_cancel_ipc(tcb_t *t)
{
    /* A pending fault is dropped; a restarted thread faults again if it must. */
    t->fault.type = FAULT_NULL;
    switch (t->state) {
    case THREAD_BLOCKED_ON_SEND:
    case THREAD_BLOCKED_ON_RECEIVE:
        endpoint_remove_thread(t);
        break;
    case THREAD_BLOCKED_ON_NOTIFICATION:
        ntfn_remove_thread(t);
        break;
    case THREAD_BLOCKED_ON_REPLY: {
        /* The reply cap to this thread is a child of its master reply cap. */
        cte_t *master = &t->slots[TCB_SLOT_REPLY];
        cte_t *next = cdt_next(master);
        if (next != NULL && cdt_is_parent_of(master, next))
            cte_delete(next);
        break;
    }
    default:
        break;
    }
}

void thread_suspend(tcb_t *t)
{
    thread_cancel_ipc(t);
    /* A suspended thread's restarted CancelBadgedSends is a new call. */
    badged_sends_forget(t);
    /* A running thread continues after its current syscall when resumed. */
    if (t->state == THREAD_RUNNING)
        arch_set_reg(&t->ctx, FR_FAULT_IP, arch_get_reg(&t->ctx, FR_RIP));
    thread_set_state(t, THREAD_INACTIVE);
}

void thread_restart(tcb_t *t)
{
    if (t->state != THREAD_INACTIVE && !thread_is_blocked(t))
        return;                         /* only stopped threads are restarted */
    thread_cancel_ipc(t);
    thread_set_state(t, THREAD_RESTART);
    sched_wake(t);
}

void thread_init_slots(tcb_t *t)
{
    cdt_insert_anchored_root(&t->slots[TCB_SLOT_REPLY], cap_reply_new(t, true, true));
}

word_t *thread_ipc_buffer(const tcb_t *t, bool for_write)
{
    cap_t frame = t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (cap_get_type(frame) != CAP_FRAME || cap_frame_is_device(frame))
        return NULL;
    if (for_write && cap_frame_rights(frame) != VM_RIGHTS_READ_WRITE)
        return NULL;
    word_t offset = t->ipc_buffer_vaddr & (cap_frame_size(frame) - 1);
    return paddr_to_kptr(cap_object_paddr(frame) + offset);
}

