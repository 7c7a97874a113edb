/*
 * Preemption points for long-running kernel operations (docs/preemption.md).
 *
 * The kernel runs with interrupts off. Operations whose work grows with
 * user-controlled sizes (Revoke, Delete, untyped reset) call
 * preempt_point() after each unit of work. Every PREEMPT_WORK_UNITS units it
 * looks for a pending interrupt; if there is one the operation stops where
 * it is, with every object consistent, the invoking thread is left in the
 * Restart state, and the interrupt is taken as soon as the kernel exits. The
 * thread re-executes its system call later and continues from the state the
 * objects record (zombies, the untyped's watermark).
 */
#ifndef PREEMPT_H
#define PREEMPT_H

#include "types.h"

/* Work units between two checks for a pending interrupt (seL4's default). */
#define PREEMPT_WORK_UNITS  100

/*
 * Kernel command line preempt=0|1|stress: never stop (for comparisons),
 * stop when an interrupt is pending (the default), or stop at every check
 * as if one always were (tests: every restart path is taken).
 */
enum { PREEMPT_OFF, PREEMPT_ON, PREEMPT_STRESS };
extern unsigned preempt_mode;
/* PREEMPT_WORK_UNITS unless set by preempt_units=N (stress tests). */
extern word_t preempt_work_units;

/* Starts counting for one kernel entry. */
void preempt_begin(void);
/* One unit of work done; true if the operation must stop now. */
bool preempt_point(void);
/* Counts a unit without offering to stop (work that cannot be resumed). */
void preempt_count_unit(void);
/* The entry's preemptible work is over (statistics). */
void preempt_end(bool preempted);

/* An interrupt is waiting to be taken (arch/platform). */
bool arch_irq_pending(void);

struct preempt_stats {
    uint64_t preemptions;       /* operations stopped at a preemption point */
    uint64_t max_units;         /* most work units in one kernel entry */
    uint64_t max_gap_cycles;    /* longest stretch without a check (TSC) */
};
extern struct preempt_stats preempt_stats;

#endif
