/*
 * Threads (TCBs) and their state machine.
 *
 * States follow seL4's: a thread is Running (runnable: queued or current),
 * Restart (runnable; will re-execute its syscall instruction), Inactive
 * (suspended or never started), blocked in one of the IPC states, or the
 * idle thread's own state. Only Running and Restart threads are runnable.
 */
#ifndef THREAD_H
#define THREAD_H

#include "types.h"
#include "arch.h"
#include "cap.h"
#include "faultinfo.h"

typedef enum thread_state {
    THREAD_INACTIVE = 0,
    THREAD_RUNNING,
    THREAD_RESTART,
    THREAD_BLOCKED_ON_RECEIVE,
    THREAD_BLOCKED_ON_SEND,
    THREAD_BLOCKED_ON_REPLY,
    THREAD_BLOCKED_ON_NOTIFICATION,
    THREAD_IDLE,
} thread_state_t;

#define TCB_NAME_MAX    64

/* Caps a TCB holds itself (as seL4's TCB CNode). */
#define TCB_SLOT_CSPACE     0   /* root of the thread's CSpace */
#define TCB_SLOT_VSPACE     1   /* root of its VSpace (PML4) */
#define TCB_SLOT_REPLY      2
#define TCB_SLOT_CALLER     3
#define TCB_SLOT_IPC_BUFFER 4   /* frame holding its IPC buffer */

/* What a blocked thread is blocked on, and how (seL4's thread state fields). */
typedef struct ipc_block {
    paddr_t object;             /* endpoint or notification */
    word_t badge;               /* sender's badge (BlockedOnSend) */
    bool can_grant;             /* sender's/receiver's cap has Grant */
    bool can_grant_reply;       /* sender's cap has GrantReply */
    bool is_call;               /* BlockedOnSend by Call */
} ipc_block_t;

#define TCB_FLAG_FPU_DISABLED   BIT(0)

typedef struct tcb {
    arch_context_t ctx;         /* first: the frame top must stay aligned */
    thread_state_t state;
    ipc_block_t blocked;        /* valid in the Blocked* states */
    fault_t fault;              /* pending fault until the handler replies */
    uint8_t priority;
    uint8_t mcp;
    uint8_t domain;
    bool queued;                /* in a scheduler ready queue */
    unsigned timeslice;         /* ticks left */
    word_t flags;               /* TCB_FLAG_* (seL4_TCB_SetFlags) */
    word_t fault_handler;       /* CPtr, looked up in the thread's CSpace */
    struct tcb *sched_next;     /* ready queue */
    struct tcb *sched_prev;
    struct tcb *ipc_next;       /* endpoint or notification queue */
    struct tcb *ipc_prev;
    paddr_t bound_notification; /* 0 if none */
    vaddr_t ipc_buffer_vaddr;   /* tcbIPCBuffer */
    cte_t slots[5];             /* the TCB's own cap slots, TCB_SLOT_* */
    char name[TCB_NAME_MAX];    /* debug name (seL4_DebugNameThread) */
    uint64_t send_seq;          /* when it queued to send (ep_send_seq) */
    /*
     * A CNode_CancelBadgedSends this thread made that stopped part-way
     * (object/badged_sends.c): the endpoint (0: none), the badge, the last
     * send_seq the call looks at, and the queued thread it resumes after
     * (NULL: at the head); cbs_stopped: it stopped in the current system
     * call. cbs_owner is the reverse link, on the queued thread.
     */
    paddr_t cbs_ep;
    word_t cbs_badge;
    bool cbs_stopped;
    uint64_t cbs_limit;
    struct tcb *cbs_after;
    struct tcb *cbs_owner;
} tcb_t;

/* The TCB object is 2^11 bytes in this configuration (objects.md). */
#define TCB_OBJECT_BITS 11
_Static_assert(sizeof(tcb_t) <= (1 << TCB_OBJECT_BITS), "TCB must fit its object");

static inline bool thread_is_runnable(const tcb_t *t)
{
    return t->state == THREAD_RUNNING || t->state == THREAD_RESTART;
}

static inline bool thread_is_blocked(const tcb_t *t)
{
    return t->state == THREAD_BLOCKED_ON_RECEIVE || t->state == THREAD_BLOCKED_ON_SEND ||
           t->state == THREAD_BLOCKED_ON_REPLY || t->state == THREAD_BLOCKED_ON_NOTIFICATION;
}

static inline word_t canonical_or_zero(word_t v)
{
    return (v < 0x0000800000000000UL || v >= 0xFFFF800000000000UL) ? v : 0;
}

/* User RFLAGS as WriteRegisters leaves them (objects.md §7.2). */
static inline word_t sanitise_user_flags(word_t v)
{
    v &= 0xFFFUL;                               /* only bits 0..11 survive */
    v |= BIT(1) | BIT(9);                       /* reserved bit 1, IF */
    return v & ~(BIT(3) | BIT(5) | BIT(8));     /* reserved bits, TF */
}

const char *thread_state_name(thread_state_t s);
void thread_set_state(tcb_t *t, thread_state_t s);
void thread_set_name(tcb_t *t, const char *name);
/* seL4's suspend: cancel IPC, Inactive; a running thread resumes after its syscall. */
void thread_suspend(tcb_t *t);
/* seL4's restart (Resume): a stopped thread cancels its IPC and redoes its syscall. */
void thread_restart(tcb_t *t);
/* Takes the thread out of whatever IPC it is blocked in (no state change). */
void thread_cancel_ipc(tcb_t *t);
/* A newly created or boot thread: master reply cap and initial fields. */
void thread_init_slots(tcb_t *t);
/*
 * The IPC buffer as a kernel pointer, NULL if the thread has none usable:
 * no frame cap, a device frame, or (when writing) a read-only frame
 * (syscalls.md §6.2).
 */
word_t *thread_ipc_buffer(const tcb_t *t, bool for_write);
/* Physical address of the thread's VSpace root, 0 if it has none. */
static inline paddr_t thread_vspace_root(const tcb_t *t)
{
    cap_t root = t->slots[TCB_SLOT_VSPACE].cap;
    return cap_get_type(root) == CAP_PML4 ? cap_object_paddr(root) : 0;
}

#endif
