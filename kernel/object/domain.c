/*
 * The Domain cap: moving threads between scheduling domains and editing
 * the domain schedule (objects.md §8, invocations.md DomainSet*).
 *
 * Arca is built with CONFIG_NUM_DOMAINS = 1 (configuration Q), so every
 * thread is in domain 0 and the schedule has one real entry; the
 * invocations still check and store exactly what seL4 does.
 */
#include "invocation.h"
#include "config.h"

#define SCHEDULE_LEN        CONFIG_NUM_DOMAIN_SCHEDULES
#define MAX_DURATION        (BIT(56) - 1)

struct schedule_entry {
    word_t domain;
    word_t duration;        /* ticks; 0 marks the end of the schedule */
};

/* Initial schedule: domain 0 for as long as possible, then the end marker. */
static struct schedule_entry schedule[SCHEDULE_LEN] = { { 0, MAX_DURATION } };
static word_t schedule_start;

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
    ((tcb_t *)cap_thread_tcb(tcb))->domain = (uint8_t)domain;
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
