/*
 * DOMAIN_01xx: a kernel built with several scheduling domains (make
 * DOMAINS=4) runs only the current domain's threads and moves through the
 * domain schedule (objects.md §8). Built into its own root task with the
 * suite's framework; tools/testrun.py boots it on a DOMAINS=4 kernel.
 */
#include <stdio.h>
#include "framework.h"
#include "thread_util.h"

#if CONFIG_NUM_DOMAINS < 2
#error "build with -DCONFIG_NUM_DOMAINS=4"
#endif

#define WINDOW_TICKS 10         /* 20 ms per schedule entry */

static volatile seL4_Word counter;

static void count_forever(void *arg)
{
    (void)arg;
    for (;;)
        counter++;
}

static test_result_t two_domain_schedule(void)
{
    seL4_CPtr dom = seL4_CapDomain;
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(dom, 0, 0, WINDOW_TICKS), seL4_NoError);
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(dom, 1, 1, WINDOW_TICKS), seL4_NoError);
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(dom, 2, 0, 0), seL4_NoError);  /* end */
    EXPECT_ERR(seL4_DomainSet_ScheduleSetStart(dom, 0), seL4_NoError);
    return PASS;
}

static void restore_schedule(void)
{
    (void)seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, (1UL << 56) - 1);
    (void)seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0);
}

TTEST(DOMAIN_0101, "a thread in another domain runs only in that domain's windows")
{
    test_result_t r = two_domain_schedule();
    if (r != PASS)
        return r;
    /* Lower priority than the spinning root, but in domain 1. */
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_DomainSet_Set(seL4_CapDomain, 1, t->tcb), seL4_NoError);
    counter = 0;
    EXPECT_ERR(thread_start(t, count_forever, NULL), seL4_NoError);

    /*
     * The root spins at a higher priority, so the domain-1 thread can only
     * run while the root is away, and only in domain 1's windows, which
     * last 20 ms. When the root sees the counter move, the thread ran
     * somewhere between the previous read and this one; the root must have
     * been away for most of a window there: the longest stretch without a
     * TSC read in that interval (the previous read's own span, the gap
     * since, this read's span) must be at least 2 ms. A switch can fall
     * between a counter read and the TSC read next to it, hence the
     * spans on both sides of each read.
     */
    uint64_t mhz = test_tsc_mhz(), end = test_rdtsc() + 200 * 1000 * mhz;
    uint64_t prev_after = test_rdtsc(), prev_span = 0;
    seL4_Word seen = counter;
    unsigned switches = 0;
    bool overlap = false;
    while (prev_after < end) {
        uint64_t before = test_rdtsc();
        seL4_Word c = counter;
        uint64_t after = test_rdtsc();
        if (c != seen) {
            uint64_t away = prev_span;
            if (before - prev_after > away)
                away = before - prev_after;
            if (after - before > away)
                away = after - before;
            if (away < 2 * 1000 * mhz)
                overlap = true;
            switches++;
            seen = c;
        }
        prev_span = after - before;
        prev_after = after;
    }
    restore_schedule();
    EXPECT(counter > 0, "the domain-1 thread never ran");
    EXPECT(switches >= 2, "only %u domain switches in 200 ms", switches);
    EXPECT(!overlap, "the domain-1 thread ran during domain 0's window");
    return PASS;
}

TTEST(DOMAIN_0102, "DomainSet_Set accepts every configured domain and no other")
{
    NEW_THREAD(t, T_PRIO);
    for (seL4_Word d = 0; d < CONFIG_NUM_DOMAINS; d++)
        EXPECT_ERR(seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)d, t->tcb), seL4_NoError);
    EXPECT_ERR(seL4_DomainSet_Set(seL4_CapDomain, CONFIG_NUM_DOMAINS, t->tcb),
               seL4_InvalidArgument);
    EXPECT_ERR(seL4_DomainSet_Set(seL4_CapDomain, 0, t->tcb), seL4_NoError);
    return PASS;
}

TTEST(DOMAIN_0103, "a ready thread of another domain waits; the root keeps running")
{
    /* Everything in domain 0 by default; a domain-2 thread never runs while
     * the schedule stays on domain 0. */
    NEW_THREAD(t, 254);
    EXPECT_ERR(seL4_DomainSet_Set(seL4_CapDomain, 2, t->tcb), seL4_NoError);
    counter = 0;
    EXPECT_ERR(thread_start(t, count_forever, NULL), seL4_NoError);
    delay_ms(30);
    settle();
    EXPECT(counter == 0, "a domain-2 thread ran in domain 0 (%lu)", (unsigned long)counter);
    return PASS;
}
