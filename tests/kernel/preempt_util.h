/*
 * Helpers for the preemption tests (PREEMPT_, test_preempt.c) and the
 * interrupt-latency boot (LATENCY_, tests/latency/): the kernel's preemption
 * statistics, and the PIT as an interrupt source a test controls.
 *
 * The PIT (ports 0x40-0x43, ISA IRQ 0 = IOAPIC pin 2 on QEMU) is free: the
 * kernel's own tick is the LAPIC timer. A "ticker" thread above the thread
 * doing the long operation waits on the PIT's notification, records when it
 * woke and acknowledges the interrupt, so interrupts keep arriving while the
 * operation runs and each one must interrupt it (docs/preemption.md).
 */
#ifndef TESTS_PREEMPT_UTIL_H
#define TESTS_PREEMPT_UTIL_H

#include <sel4/arca.h>
#include <sel4/arca_syscalls.h>
#include "thread_util.h"

struct preempt_stats {
    seL4_Word preemptions;      /* operations stopped at a preemption point */
    seL4_Word max_units;        /* most work units in one kernel entry */
    seL4_Word max_gap_cycles;   /* longest stretch without a check (TSC) */
    seL4_Word units_per_check;  /* the kernel's work-unit limit */
};

static inline struct preempt_stats preempt_stats(bool reset)
{
    arca_syscall_result_t r = arca_syscall_raw((seL4_Word)ARCA_SYS_DEBUG_PREEMPT_STATS,
                                               reset ? 1 : 0, 0, 0, 0, 0, 0);
    return (struct preempt_stats){ r.rdi, r.rsi, r.r10, r.r8 };
}

#define PIT_TICKER_MAX 4096

struct pit_ticker {
    seL4_CPtr io, handler, ntfn;
    volatile int stop;          /* the ticker returns at its next wake-up */
    volatile unsigned wakeups;
    volatile uint64_t last_tsc, worst_gap;  /* TSC between consecutive wake-ups */
    volatile uint64_t gaps[PIT_TICKER_MAX]; /* the first PIT_TICKER_MAX gaps */
};

/* IOPort 0x40-0x43 and a handler for pin 2 on `vector` signalling ntfn. */
static inline const char *pit_ticker_setup(struct pit_ticker *p, seL4_CPtr ntfn,
                                           seL4_Word vector)
{
    p->ntfn = ntfn;
    p->io = slot_alloc();
    p->handler = slot_alloc();
    if (p->io == 0 || p->handler == 0)
        return "out of slots";
    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x40, 0x43, ROOT_CNODE, p->io,
                                     ROOT_DEPTH) != seL4_NoError)
        return "IOPortControl_Issue 0x40-0x43 failed";
    if (seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT_CNODE, p->handler, ROOT_DEPTH, 0, 2,
                                  0, 0, vector) != seL4_NoError)
        return "GetIOAPIC for pin 2 failed";
    if (seL4_IRQHandler_SetNotification(p->handler, ntfn) != seL4_NoError)
        return "SetNotification failed";
    return NULL;
}

/* Channel 0, mode 2 (rate generator): an interrupt every `count` PIT clocks
 * (1.193182 MHz); count 0 stops it (mode 0 without a count). */
static inline bool pit_ticker_rate(struct pit_ticker *p, unsigned count)
{
    if (count == 0)
        return seL4_X86_IOPort_Out8(p->io, 0x43, 0x30) == seL4_NoError;
    return seL4_X86_IOPort_Out8(p->io, 0x43, 0x34) == seL4_NoError &&
           seL4_X86_IOPort_Out8(p->io, 0x40, count & 0xFF) == seL4_NoError &&
           seL4_X86_IOPort_Out8(p->io, 0x40, count >> 8) == seL4_NoError;
}

/* The ticker thread's body: wait, record, acknowledge, until p->stop. */
static inline void pit_ticker_fn(void *arg)
{
    struct pit_ticker *p = arg;
    (void)seL4_IRQHandler_Ack(p->handler);
    for (;;) {
        seL4_Word badge;
        seL4_Wait(p->ntfn, &badge);
        uint64_t now = test_rdtsc();
        if (p->stop)
            return;
        if (p->wakeups > 0) {
            uint64_t gap = now - p->last_tsc;
            if (gap > p->worst_gap)
                p->worst_gap = gap;
            if (p->wakeups - 1 < PIT_TICKER_MAX)
                p->gaps[p->wakeups - 1] = gap;
        }
        p->last_tsc = now;
        p->wakeups++;
        (void)seL4_IRQHandler_Ack(p->handler);
    }
}

/* Stops the PIT and lets the ticker return (it must be waiting). */
static inline void pit_ticker_stop(struct pit_ticker *p)
{
    p->stop = 1;
    (void)pit_ticker_rate(p, 0);
    (void)seL4_Signal(p->ntfn);
}

#endif
