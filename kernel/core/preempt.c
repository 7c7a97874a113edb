/* Preemption points: work-unit counting and the pending-interrupt check. */
#include "preempt.h"
#include "arch.h"
#ifdef ARCA_HOST_TEST
#include "ipc.h"
#include "irq.h"
#endif

unsigned preempt_mode = PREEMPT_ON;
word_t preempt_work_units = PREEMPT_WORK_UNITS;
struct preempt_stats preempt_stats;

static word_t units;            /* in this kernel entry */
static word_t since_check;
static uint64_t last_check;     /* TSC at the last check (or the entry) */

static void note_gap(void)
{
    uint64_t now = arch_read_cycle_counter();
    if (now - last_check > preempt_stats.max_gap_cycles)
        preempt_stats.max_gap_cycles = now - last_check;
    last_check = now;
}

void preempt_begin(void)
{
    units = 0;
    since_check = 0;
    last_check = arch_read_cycle_counter();
}

void preempt_count_unit(void)
{
    units++;
}

bool preempt_point(void)
{
    units++;
    if (++since_check < preempt_work_units)
        return false;
    since_check = 0;
    note_gap();
    if (preempt_mode == PREEMPT_STRESS)
        return true;
    return preempt_mode == PREEMPT_ON && arch_irq_pending();
}

void preempt_end(bool preempted)
{
    if (units == 0)
        return;
    note_gap();
    if (units > preempt_stats.max_units)
        preempt_stats.max_units = units;
    if (preempted)
        preempt_stats.preemptions++;
    units = 0;
}

#ifdef ARCA_HOST_TEST
/* Host tests: no interrupts unless a test provides its own check. */
__attribute__((weak)) bool arch_irq_pending(void)
{
    return false;
}

__attribute__((weak)) uint64_t arch_read_cycle_counter(void)
{
    return 0;
}

/* Host tests have no thread queues (delete.c drains them on real kernels). */
__attribute__((weak)) bool endpoint_cancel_one(paddr_t ep)
{
    (void)ep;
    return false;
}

__attribute__((weak)) bool ntfn_cancel_one(paddr_t ntfn)
{
    (void)ntfn;
    return false;
}

/* Host tests have no IRQ notification slots. */
__attribute__((weak)) bool irq_clear_notification_preemptible(unsigned irq)
{
    (void)irq;
    return true;
}
#endif
