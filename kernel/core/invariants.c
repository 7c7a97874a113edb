/*
 * Kernel invariants, checked mechanically (invariants.h). Everything is
 * reached from the derivation-tree anchor (every cap in the system is in
 * its list) and the scheduler's queues:
 *
 *  - the cap list is well formed: links are symmetric, no empty slot is
 *    linked, every cap has a known type; a zombie (an object a preempted
 *    deletion is emptying) is the only cap to its object and counts no
 *    more slots than the object has;
 *  - every untyped's watermark covers everything derived from it, and those
 *    objects lie inside it;
 *  - ready queues: links, bitmap, queued flags, only runnable threads, in
 *    the queue of their own domain and priority;
 *  - endpoint and notification queues: state matches the queue, every
 *    queued thread is blocked on exactly that object in the matching state;
 *  - bound notifications point back at their TCB; reply caps name threads
 *    that wait for a reply.
 */
#include "invariants.h"
#include "cdt.h"
#include "ipc.h"
#include "sched.h"
#include "panic.h"
#include "printf.h"
#include "kstring.h"

unsigned invariants_every;

#define LIST_LIMIT      (1UL << 24)     /* more slots than memory allows: a loop */
/*
 * Each untyped's descendants are checked up to this many per pass: a full
 * check of every nested untyped would be quadratic in deep trees (a chain
 * of thousands of untypeds); the first descendants are where a watermark
 * bug shows, and every descendant is still checked under its own parent.
 */
#define UNTYPED_CHECK_LIMIT 64

static NORETURN void violation(const char *what, const void *where, word_t detail)
{
    panic("invariant violated: %s (at %p, %#lx)", what, where, detail);
}

static bool known_type(cap_type_t t)
{
    return t != CAP_NULL && kstrncmp(cap_type_name(t), "unknown", 8) != 0;
}

static void check_untyped(const cte_t *slot)
{
    cap_t ut = slot->cap;
    paddr_t base = cap_object_paddr(ut);
    word_t used = cap_untyped_free_offset(ut);
    if (used > BIT(cap_untyped_size_bits(ut)))
        violation("untyped watermark beyond its size", slot, used);
    /* (A copied untyped's watermark is at its end: see untyped_mark_copied.) */
    unsigned n = 0;
    for (const cte_t *d = cdt_next(slot); d != NULL && cdt_is_parent_of(slot, d) &&
         n < UNTYPED_CHECK_LIMIT; d = cdt_next(d), n++) {
        paddr_t obase;
        unsigned obits;
        if (!cap_object_region(d->cap, &obase, &obits))
            continue;
        if (obase < base || obase + BIT(obits) > base + used)
            violation("object derived from an untyped lies above its watermark", d, obase);
    }
}

static void check_queue_links(thread_queue_t q, const void *obj)
{
    tcb_t *prev = NULL;
    for (tcb_t *t = q.head; t != NULL; t = t->ipc_next) {
        if (t->ipc_prev != prev)
            violation("IPC queue links are not symmetric", obj, (word_t)t);
        prev = t;
    }
    if (q.tail != prev)
        violation("IPC queue tail is not its last thread", obj, (word_t)q.tail);
}

static void check_endpoint(cap_t cap)
{
    paddr_t pa = cap_ipc_paddr(cap);
    endpoint_t *ep = ep_ptr(pa);
    thread_queue_t q = ep_queue(ep);
    ep_state_t st = ep_state(ep);
    if ((st == EP_IDLE) != (q.head == NULL))
        violation("endpoint state does not match its queue", ep, st);
    check_queue_links(q, ep);
    thread_state_t want = st == EP_SEND ? THREAD_BLOCKED_ON_SEND : THREAD_BLOCKED_ON_RECEIVE;
    for (tcb_t *t = q.head; t != NULL; t = t->ipc_next) {
        if (t->state != want || t->blocked.object != pa)
            violation("thread in an endpoint queue is not blocked on it", t, t->state);
    }
}

static void check_notification(cap_t cap)
{
    paddr_t pa = cap_ipc_paddr(cap);
    notification_t *n = ntfn_ptr(pa);
    thread_queue_t q = ntfn_queue(n);
    ntfn_state_t st = ntfn_state(n);
    if ((st == NTFN_WAITING) != (q.head != NULL))
        violation("notification state does not match its queue", n, st);
    check_queue_links(q, n);
    for (tcb_t *t = q.head; t != NULL; t = t->ipc_next) {
        if (t->state != THREAD_BLOCKED_ON_NOTIFICATION || t->blocked.object != pa)
            violation("thread in a notification queue is not waiting on it", t, t->state);
    }
    paddr_t bound = ntfn_bound(n);
    if (bound != 0 && ((tcb_t *)paddr_to_kptr(bound))->bound_notification != pa)
        violation("bound notification and TCB disagree", n, bound);
}

static void check_thread(cap_t cap)
{
    tcb_t *t = cap_thread_tcb(cap);
    if (t->queued && !thread_is_runnable(t))
        violation("a queued thread is not runnable", t, t->state);
    if (t->bound_notification != 0 &&
        ntfn_bound(ntfn_ptr(t->bound_notification)) != kptr_to_paddr(t))
        violation("TCB's bound notification does not point back", t, t->bound_notification);
    if (t->domain >= CONFIG_NUM_DOMAINS)
        violation("thread in a domain that does not exist", t, t->domain);
}

static void check_reply(const cte_t *slot)
{
    cap_t cap = slot->cap;
    if (cap_reply_is_master(cap))
        return;
    tcb_t *caller = cap_thread_tcb(cap);
    if (caller->state != THREAD_BLOCKED_ON_REPLY)
        violation("a reply cap names a thread that is not waiting for a reply", slot,
                  caller->state);
}

static void check_zombie(const cte_t *slot)
{
    cap_t z = slot->cap;
    word_t size = cap_zombie_is_tcb(z) ? ARRAY_SIZE(((tcb_t *)0)->slots)
                                       : BIT(cap_zombie_radix(z));
    if (cap_zombie_left(z) > size)
        violation("a zombie counts more slots than its object has", slot, cap_zombie_left(z));
    /* Caps to one object are neighbours in the list: none may be left. */
    const cte_t *around[2] = { cdt_prev(slot), cdt_next(slot) };
    for (unsigned i = 0; i < 2; i++) {
        cap_type_t t = around[i] != NULL ? cap_get_type(around[i]->cap) : CAP_NULL;
        if ((t == CAP_CNODE || t == CAP_THREAD) &&
            (t == CAP_THREAD ? around[i]->cap.w1 : cap_cnode_paddr(around[i]->cap)) ==
                cap_zombie_object(z))
            violation("a cap to an object that a zombie is emptying", around[i], z.w1);
    }
}

static void check_caps(void)
{
    const cte_t *prev = &cdt_anchor;
    word_t count = 0;
    for (const cte_t *s = cdt_next(&cdt_anchor); s != NULL; s = cdt_next(s)) {
        if (cdt_prev(s) != prev)
            violation("derivation-tree links are not symmetric", s, (word_t)cdt_prev(s));
        if (!known_type(cap_get_type(s->cap)))
            violation("an empty slot is linked in the tree", s, s->cap.w0);
        if (++count > LIST_LIMIT)
            violation("the derivation-tree list does not end", s, count);
        switch (cap_get_type(s->cap)) {
        case CAP_UNTYPED:
            check_untyped(s);
            break;
        case CAP_ENDPOINT:
            check_endpoint(s->cap);
            break;
        case CAP_NOTIFICATION:
            check_notification(s->cap);
            break;
        case CAP_THREAD:
            check_thread(s->cap);
            break;
        case CAP_REPLY:
            check_reply(s);
            break;
        case CAP_ZOMBIE:
            check_zombie(s);
            break;
        default:
            break;
        }
        prev = s;
    }
}

void invariants_check(void)
{
    check_caps();
    if (!sched_queues_consistent())
        violation("ready queues, bitmap and queued flags disagree", NULL, 0);
}

#if !CONFIG_RELEASE
static uint64_t exits;

void invariants_maybe_check(void)
{
    if (invariants_every == 0 || ++exits % invariants_every != 0)
        return;
    invariants_check();
}
#endif
