/*
 * The Domain cap: moving threads between scheduling domains and editing
 * the domain schedule (objects.md §8, invocations.md DomainSet*).
 *
 * Configuration Q has one domain (CONFIG_NUM_DOMAINS = 1); a build with
 * more (make DOMAINS=n) runs only the current domain's threads and moves
 * through the schedule one entry per `duration` timer ticks, wrapping to
 * the start entry at an end marker.
 */
#include "invocation.h"
#include "config.h"
#include "sched.h"

#define SCHEDULE_LEN        CONFIG_NUM_DOMAIN_SCHEDULES
#define MAX_DURATION        (BIT(56) - 1)

struct schedule_entry {
    word_t domain;
    word_t duration;        /* ticks; 0 marks the end of the schedule */
};

/* Initial schedule: domain 0 for as long as possible, then the end marker. */
static struct schedule_entry schedule[SCHEDULE_LEN] = { { 0, MAX_DURATION } };
static word_t schedule_start;
static word_t schedule_index;
static word_t ticks_left = MAX_DURATION;

static bool is_end_marker(word_t i)
{
    return schedule[i].duration == 0;
}

/* Makes entry i current: its domain runs for its duration. */
static void enter_entry(word_t i)
{
    schedule_index = i;
    ticks_left = schedule[i].duration;
    if (sched_cur_domain != schedule[i].domain) {
        sched_cur_domain = (unsigned)schedule[i].domain;
        sched_domain_changed();
    }
}

bool domain_tick(void)
{
    if (ticks_left > 1) {
        ticks_left--;
        return false;
    }
    /* The next entry, wrapping to the start at an end marker or the end. */
    word_t next = schedule_index + 1;
    if (next >= SCHEDULE_LEN || is_end_marker(next))
        next = schedule_start;
    unsigned before = sched_cur_domain;
    schedule_index = next;
    ticks_left = schedule[next].duration;
    sched_cur_domain = (unsigned)schedule[next].domain;
    return sched_cur_domain != before;
}

static bool decode_set(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 1)
        return err_simple(e, seL4_TruncatedMessage, "DomainSet_Set needs a domain");
    word_t domain = inv_mr(inv, 0);
    if (domain >= CONFIG_NUM_DOMAINS)
        return err_invalid_argument(e, 0, "no such domain");
    if (inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "DomainSet_Set needs a TCB cap");
    cap_t tcb = inv->extra[0]->cap;
    if (cap_get_type(tcb) != CAP_THREAD)
        return err_invalid_argument(e, 1, "not a TCB cap");
    sched_set_domain(cap_thread_tcb(tcb), (unsigned)domain);
    return true;
}

static bool decode_configure(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 3)
        return err_simple(e, seL4_TruncatedMessage, "ScheduleConfigure needs 3 words");
    word_t index = inv_mr(inv, 0), domain = inv_mr(inv, 1), duration = inv_mr(inv, 2);
    if (index >= SCHEDULE_LEN - 1)
        return err_range(e, 0, SCHEDULE_LEN - 2, "the last entry stays an end marker");
    if (domain >= CONFIG_NUM_DOMAINS)
        return err_range(e, 0, CONFIG_NUM_DOMAINS - 1, "no such domain");
    if (duration > MAX_DURATION)
        return err_invalid_argument(e, 2, "duration too long");
    if (duration == 0 && domain != 0)
        return err_invalid_argument(e, 1, "an end marker must name domain 0");
    if (duration == 0 && index == schedule_start)
        return err_invalid_argument(e, 2, "the start entry cannot be an end marker");
    schedule[index] = (struct schedule_entry){ domain, duration };
    return true;
}

static bool decode_set_start(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 1)
        return err_simple(e, seL4_TruncatedMessage, "ScheduleSetStart needs an index");
    word_t index = inv_mr(inv, 0);
    if (index >= SCHEDULE_LEN)
        return err_range(e, 0, SCHEDULE_LEN - 1, "no such schedule entry");
    if (schedule[index].duration == 0 && schedule[index].domain == 0)
        return err_invalid_argument(e, 0, "the entry is an end marker");
    schedule_start = index;
    enter_entry(index);                 /* switches immediately */
    return true;
}

bool decode_domain_invocation(invocation_t *inv, syscall_error_t *e)
{
    switch (inv->label) {
    case DomainSetSet:
        return decode_set(inv, e);
    case DomainScheduleConfigure:
        return decode_configure(inv, e);
    case DomainScheduleSetStart:
        return decode_set_start(inv, e);
    default:
        return err_simple(e, seL4_IllegalOperation, "not a domain invocation");
    }
}
