/*
 * LATENCY_0001: interrupt latency while the kernel does long operations
 * (docs/preemption.md). A root task of its own, booted by tools/testrun.py
 * under QEMU -icount (the TSC and the PIT then run on instruction-counted
 * virtual time, so the figures do not depend on the host's load).
 *
 * A high-priority ticker thread waits on the PIT's notification at 1 kHz
 * and records the TSC at every wake-up. A low-priority worker meanwhile
 * revokes an endpoint with 100,000 copies in a CNode of 2^17 slots, fills
 * the CNode again and deletes it (its last cap: 100,000 caps emptied from a
 * zombie). The largest gap between two wake-ups is the PIT period plus the
 * worst wake-up delay; the test fails if that delay exceeds a bound derived
 * from the kernel's work-unit limit (a kernel entry that ran unbounded
 * shows as a gap of the whole operation, tens of milliseconds). The line
 * "latency: ..." reports the figures.
 */
#include <stdio.h>
#include <string.h>
#include "../kernel/preempt_util.h"

#define RADIX        17
#define NCAPS        100000u
#define PIT_COUNT    1193           /* 1 kHz */
#define PERIOD_US    1000
#define TICKER_PRIO  200
#define WORKER_PRIO  50
#define VECTOR       54
/*
 * The bound on the wake-up delay: PREEMPT_WORK_UNITS units between checks
 * cost well under 100 us each under TCG, so a stopped operation, the
 * interrupt, the switch to the ticker and the restart fit in 1 ms with a
 * wide margin; an unpreempted revoke of 100,000 caps takes far longer.
 */
#define DELAY_BOUND_US 1000

static struct pit_ticker ticker;

struct work {
    seL4_CPtr cn, ep;
    volatile seL4_Error revoke_err, fill_err, delete_err;
    volatile uint64_t revoke_tsc, fill_tsc, delete_tsc;
};

static seL4_Error fill(seL4_CPtr cn, seL4_CPtr ep)
{
    for (seL4_Word i = 0; i < NCAPS; i++) {
        seL4_Error e = seL4_CNode_Copy(cn, i, RADIX, ROOT_CNODE, ep, ROOT_DEPTH, seL4_AllRights);
        if (e != seL4_NoError)
            return e;
    }
    return seL4_NoError;
}

static void worker_fn(void *arg)
{
    struct work *w = arg;
    uint64_t t0 = test_rdtsc();
    w->revoke_err = r_revoke(w->ep);
    uint64_t t1 = test_rdtsc();
    w->fill_err = fill(w->cn, w->ep);
    uint64_t t2 = test_rdtsc();
    w->delete_err = r_delete(w->cn);
    uint64_t t3 = test_rdtsc();
    w->revoke_tsc = t1 - t0;
    w->fill_tsc = t2 - t1;
    w->delete_tsc = t3 - t2;
}

static unsigned long us(uint64_t cycles)
{
    uint64_t mhz = test_tsc_mhz();
    return (unsigned long)(cycles / (mhz != 0 ? mhz : 1000));
}

TTEST(LATENCY_0001, "1 kHz PIT wake-ups while 100,000 caps are revoked and a 2^17-slot CNode deleted")
{
    NEW_UT(ut, RADIX + 5 + 1);
    NEW_OBJ(cn, ut, seL4_CapTableObject, RADIX);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    EXPECT_ERR(fill(cn, ep), seL4_NoError);

    memset(&ticker, 0, sizeof(ticker));
    NEW_NTFN(ntfn);
    const char *err = pit_ticker_setup(&ticker, ntfn, VECTOR);
    EXPECT(err == NULL, "PIT: %s", err);
    SPAWN(tk, pit_ticker_fn, &ticker, TICKER_PRIO);
    settle();
    static struct work w;
    memset(&w, 0, sizeof(w));
    w.cn = cn;
    w.ep = ep;
    NEW_THREAD(worker, WORKER_PRIO);
    (void)preempt_stats(true);
    EXPECT(pit_ticker_rate(&ticker, PIT_COUNT), "PIT programming failed");
    START(worker, worker_fn, &w);
    /* The root (priority 1 in settle) runs again once the worker is done. */
    while (!worker->done)
        settle();
    struct preempt_stats st = preempt_stats(false);
    pit_ticker_stop(&ticker);
    settle();

    EXPECT(w.revoke_err == seL4_NoError, "Revoke: %s", err_name(w.revoke_err));
    EXPECT(w.fill_err == seL4_NoError, "refill: %s", err_name(w.fill_err));
    EXPECT(w.delete_err == seL4_NoError, "Delete: %s", err_name(w.delete_err));
    EXPECT_TYPE(cn, CT_NULL);
    EXPECT_TYPE(ep, CT_EP);

    unsigned long worst = us(ticker.worst_gap);
    unsigned long delay = worst > PERIOD_US ? worst - PERIOD_US : 0;
    printf("latency: worst wake-up delay %lu us (largest gap %lu us between 1 kHz PIT "
           "wake-ups, %u wake-ups); revoke of %u caps %lu us, refill %lu us, delete of the "
           "CNode %lu us; kernel: %lu preemptions, at most %lu work units per entry, "
           "%lu units per check, longest stretch without a check %lu us\n",
           delay, worst, ticker.wakeups, NCAPS, us(w.revoke_tsc), us(w.fill_tsc),
           us(w.delete_tsc), (unsigned long)st.preemptions, (unsigned long)st.max_units,
           (unsigned long)st.units_per_check, us(st.max_gap_cycles));
    EXPECT(ticker.wakeups > 10, "only %u PIT wake-ups", ticker.wakeups);
    EXPECT(delay <= DELAY_BOUND_US, "worst wake-up delay %lu us > %u us: a kernel entry ran "
           "unbounded (%lu preemptions)", delay, DELAY_BOUND_US,
           (unsigned long)st.preemptions);
    EXPECT(st.preemptions > 0, "the long operations were never preempted");
    (void)tk;
    return PASS;
}
