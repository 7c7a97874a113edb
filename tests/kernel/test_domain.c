/*
 * DOMAIN_*: the domain cap (initial slot 11): DomainSet_Set and the domain
 * schedule (objects.md §8, invocations.md §2.5).  Configuration Q has
 * CONFIG_NUM_DOMAINS = 1 and CONFIG_NUM_DOMAIN_SCHEDULES = 2.
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

#define DOMAIN_CAP seL4_CapDomain
#define MAX_DURATION ((1UL << 56) - 1)

struct flag {
    volatile int set;
};

static void set_flag(void *arg)
{
    ((struct flag *)arg)->set = 1;
}

TTEST(DOMAIN_0001, "DomainSet_Set(0) on a new thread: it still runs")
{
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 0, t->tcb), seL4_NoError);
    static struct flag f;
    f.set = 0;
    START(t, set_flag, &f);
    settle();
    EXPECT(f.set, "thread in domain 0 did not run");
    return PASS;
}

TTEST(DOMAIN_0002, "DomainSet_Set(0) on a blocked thread: it still receives")
{
    NEW_EP(ep);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(t, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 0, t->tcb), seL4_NoError);
    seL4_NBSend(ep, msg_info(0xD0, 0, 0));
    settle();
    EXPECT_DONE(t);
    EXPECT(INFO_LABEL(r.info) == 0xD0, "label %#lx", (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

TTEST(DOMAIN_0003, "DomainSet_Set: domain >= NUM_DOMAINS → InvalidArgument(0)")
{
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 1, t->tcb), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 255, t->tcb), seL4_InvalidArgument);
    EXPECT_MRS(0);
    /* The full word is compared (domain 2^32 is not domain 0). */
    seL4_Word mr[1] = { 1UL << 32 };
    seL4_CPtr caps[1] = { t->tcb };
    seL4_MessageInfo_t info = raw_call(DOMAIN_CAP, DomainSetSet, 1, 1, caps, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_InvalidArgument && seL4_GetMR(0) == 0,
           "domain 2^32: label %lu MR0 %lu", (unsigned long)INFO_LABEL(info),
           (unsigned long)seL4_GetMR(0));
    return PASS;
}

TTEST(DOMAIN_0004, "DomainSet_Set: extra cap not a TCB → InvalidArgument(1)")
{
    NEW_EP(ep);
    NEW_SLOT(empty);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 0, ep), seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 0, ROOT_CNODE), seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_DomainSet_Set(DOMAIN_CAP, 0, empty), seL4_InvalidArgument);
    EXPECT_MRS(1);
    return PASS;
}

TTEST(DOMAIN_0005, "DomainSet_Set: truncated messages, checked in the documented order")
{
    NEW_THREAD(t, T_PRIO);
    seL4_CPtr caps[1] = { t->tcb };
    seL4_Word mr[1] = { 0 };
    /* length 0 → TruncatedMessage */
    seL4_MessageInfo_t info = raw_call(DOMAIN_CAP, DomainSetSet, 0, 1, caps, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    /* no cap, valid domain → TruncatedMessage */
    info = raw_call(DOMAIN_CAP, DomainSetSet, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "no cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    /* no cap, bad domain: the domain is checked first → InvalidArgument(0) */
    mr[0] = 1;
    info = raw_call(DOMAIN_CAP, DomainSetSet, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_InvalidArgument && seL4_GetMR(0) == 0,
           "no cap, domain 1: label %lu MR0 %lu", (unsigned long)INFO_LABEL(info),
           (unsigned long)seL4_GetMR(0));
    return PASS;
}

TTEST(DOMAIN_0006, "ScheduleConfigure: range, duration and start-entry rules")
{
    /* NUM_DOMAIN_SCHEDULES = 2: only index 0 is configurable (the last
     * entry stays an end marker); NUM_DOMAINS = 1: only domain 0. */
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 1, 0, 10), seL4_RangeError);
    EXPECT_MRS(0, 0);
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 0, 1, 10), seL4_RangeError);
    EXPECT_MRS(0, 0);
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 0, 0, 1UL << 56),
               seL4_InvalidArgument);
    EXPECT_MRS(2);
    /* Entry 0 is the current start index: duration 0 would end the schedule. */
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 0, 0, 0), seL4_InvalidArgument);
    EXPECT_MRS(2);
    seL4_Word mr[3] = { 0, 0, 10 };
    seL4_MessageInfo_t info = raw_call(DOMAIN_CAP, DomainScheduleConfigure, 2, 0, NULL, mr, 2);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 2: label %lu",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 0, 0, 100), seL4_NoError);
    /* Back to the initial schedule: domain 0, maximal duration. */
    EXPECT_ERR(seL4_DomainSet_ScheduleConfigure(DOMAIN_CAP, 0, 0, MAX_DURATION), seL4_NoError);
    return PASS;
}

TTEST(DOMAIN_0007, "ScheduleSetStart: RangeError past the table, end marker → InvalidArgument(0)")
{
    EXPECT_ERR(seL4_DomainSet_ScheduleSetStart(DOMAIN_CAP, 2), seL4_RangeError);
    EXPECT_MRS(0, 1);
    EXPECT_ERR(seL4_DomainSet_ScheduleSetStart(DOMAIN_CAP, ~0UL), seL4_RangeError);
    EXPECT_MRS(0, 1);
    /* Entry 1 is the end marker of the initial schedule. */
    EXPECT_ERR(seL4_DomainSet_ScheduleSetStart(DOMAIN_CAP, 1), seL4_InvalidArgument);
    EXPECT_MRS(0);
    seL4_Word mr[1] = { 0 };
    seL4_MessageInfo_t info = raw_call(DOMAIN_CAP, DomainScheduleSetStart, 0, 0, NULL, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_DomainSet_ScheduleSetStart(DOMAIN_CAP, 0), seL4_NoError);
    /* Scheduling goes on in domain 0. */
    static struct flag f;
    f.set = 0;
    SPAWN(t, set_flag, &f, T_PRIO);
    settle();
    EXPECT(f.set, "thread did not run after ScheduleSetStart(0)");
    return PASS;
}

TTEST(DOMAIN_0008, "labels that are not domain methods: IllegalOperation")
{
    const seL4_Word labels[] = { 0, TCBSuspend, TL_CNodeRevoke, DomainScheduleSetStart + 1, 999 };
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        seL4_Word mr[3] = { 0, 0, 0 };
        seL4_MessageInfo_t info = raw_call(DOMAIN_CAP, labels[i], 3, 0, NULL, mr, 3);
        EXPECT(INFO_LABEL(info) == seL4_IllegalOperation, "label %lu: error %lu",
               (unsigned long)labels[i], (unsigned long)INFO_LABEL(info));
    }
    return PASS;
}
