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

typedef struct tcb {
    arch_context_t ctx;         /* first: the frame top must stay aligned */
    thread_state_t state;
    uint8_t priority;
    uint8_t mcp;
    uint8_t domain;
    bool queued;                /* in a scheduler ready queue */
    unsigned timeslice;         /* ticks left */
    struct tcb *sched_next;
    struct tcb *sched_prev;
    vaddr_t ipc_buffer_vaddr;   /* tcbIPCBuffer */
    cte_t slots[5];             /* the TCB's own cap slots, TCB_SLOT_* */
    char name[TCB_NAME_MAX];    /* debug name (seL4_DebugNameThread) */
} tcb_t;

/* The TCB object is 2^11 bytes in this configuration (objects.md). */
#define TCB_OBJECT_BITS 11
_Static_assert(sizeof(tcb_t) <= (1 << TCB_OBJECT_BITS), "TCB must fit its object");

static inline bool thread_is_runnable(const tcb_t *t)
{
    return t->state == THREAD_RUNNING || t->state == THREAD_RESTART;
}

const char *thread_state_name(thread_state_t s);
void thread_set_state(tcb_t *t, thread_state_t s);
void thread_set_name(tcb_t *t, const char *name);
void thread_suspend(tcb_t *t);
void thread_restart(tcb_t *t);
/*
 * The IPC buffer as a kernel pointer, NULL if the thread has none usable:
 * no frame cap, a device frame, or (when writing) a read-only frame
 * (syscalls.md §6.2).
 */
word_t *thread_ipc_buffer(const tcb_t *t, bool for_write);
/* Physical address of the thread's VSpace root, 0 if it has none. */
paddr_t thread_vspace_root(const tcb_t *t);

#endif
