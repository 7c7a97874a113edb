/*
 * The scheduler: 256 fixed priorities, round-robin within a priority.
 * Ready queues are doubly linked lists with a bitmap of non-empty queues so
 * that choosing the next thread is constant time.
 */
#ifndef SCHED_H
#define SCHED_H

#include "thread.h"
#include "config.h"

#define NUM_PRIORITIES  256

extern tcb_t *cur_thread;
extern unsigned sched_cur_domain;
extern tcb_t idle_thread;

void sched_init(void);
void sched_enqueue(tcb_t *t);          /* at the tail of its priority */
void sched_dequeue(tcb_t *t);
/*
 * Domains (object/domain.c): called every tick; true when the current
 * domain's time ran out and the schedule moved on to the next entry.
 */
bool domain_tick(void);
/* Moves a thread to another domain, re-queueing it if it is ready. */
void sched_set_domain(tcb_t *t, unsigned domain);
/* The schedule changed the current domain: choose again at kernel exit. */
void sched_domain_changed(void);

/* A thread is being destroyed: no scheduler reference to it may remain. */
void sched_forget(tcb_t *t);
/* A thread became runnable: seL4's possibleSwitchTo. */
void sched_wake(tcb_t *t);
/* Picks the thread to run next; the current thread if still best. */
void sched_choose(void);
/* Timer tick: charges the current thread and rotates on slice expiry. */
void sched_tick(void);
void sched_yield(void);
/* seL4's rescheduleRequired: choose from the queues at kernel exit. */
void sched_reschedule_required(void);
/* Highest priority with a ready (queued) thread, -1 if none. */
int sched_highest_ready_priority(void);
/* Leave the kernel into whatever thread should run now. */
NORETURN void sched_exit_kernel(void);

uint64_t sched_ticks(void);
bool sched_queues_consistent(word_t *queued);
void sched_dump(void);
extern uint64_t sched_idle_exit_ticks;
bool sched_nothing_runnable(void);

#endif
