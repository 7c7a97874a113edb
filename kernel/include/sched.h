/*
 * The scheduler: 256 fixed priorities, round-robin within a priority.
 * Ready queues are doubly linked lists with a bitmap of non-empty queues so
 * that choosing the next thread is constant time.
 */
#ifndef SCHED_H
#define SCHED_H

#include "thread.h"

#define NUM_PRIORITIES  256

extern tcb_t *cur_thread;
extern tcb_t idle_thread;

void sched_init(void);
void sched_enqueue(tcb_t *t);          /* at the tail of its priority */
void sched_dequeue(tcb_t *t);
/* A thread is being destroyed: no scheduler reference to it may remain. */
void sched_forget(tcb_t *t);
/* A thread became runnable: seL4's possibleSwitchTo. */
void sched_wake(tcb_t *t);
/* Picks the thread to run next; the current thread if still best. */
void sched_choose(void);
/* Timer tick: charges the current thread and rotates on slice expiry. */
void sched_tick(void);
void sched_yield(void);
/* Highest priority with a ready (queued) thread, -1 if none. */
int sched_highest_ready_priority(void);
/* Leave the kernel into next, which the caller knows is the right choice. */
NORETURN void sched_switch_to(tcb_t *next);
/* Leave the kernel into whatever thread should run now. */
NORETURN void sched_exit_kernel(void);

uint64_t sched_ticks(void);
void sched_dump(void);
extern uint64_t sched_idle_exit_ticks;
bool sched_nothing_runnable(void);

#endif
