/*
 * Kernel invariants, checked mechanically (invariants.h). Everything is
 * reached from the derivation-tree anchor (every cap in the system is in
 * its list), the scheduler's queues and the kernel's own tables:
 *
 *  - the cap list is well formed: links are symmetric, no empty slot is
 *    linked, every cap has a known type; a zombie (an object a preempted
 *    deletion is emptying) is the only cap to its object and counts no
 *    more slots than the object has;
 *  - objects as memory (invariants_objects.c): every object lies inside
 *    its untyped ancestor below the watermark, untypeds nest, whatever lies
 *    in an untyped was made from it, and no two different objects overlap;
 *  - queues: ready queues (links, bitmap, queued flags, only runnable
 *    threads of that domain and priority); endpoint and notification
 *    queues (state matches the queue, every queued thread is blocked on
 *    exactly that object in the matching state); and conversely every
 *    thread is in exactly the queues its state implies (counted over the
 *    distinct objects: invariants_objects.c);
 *  - bound notifications point back at their TCB; reply caps name threads
 *    that wait for a reply;
 *  - address spaces (invariants_vspace.c): every present entry in the user
 *    half of every VSpace an ASID names is backed by a cap that says it is
 *    mapped exactly there;
 *  - what the kernel keeps beside the caps matches them: active IRQs and
 *    IRQ handler caps (and an IRQ's notification), the issued I/O ports
 *    and the IOPort caps' ranges, installed ASID pools and pool caps, and
 *    every ASID that names a VSpace and a PML4 cap holding that ASID.
 *
 * Cost: O(n log n) in the caps (two sorts into static arrays, bounded by
 * INV_MAX_OBJECTS and INV_MAX_MAPPINGS; beyond those the checks that need
 * them cover part of the state, and the kernel says so once), plus every
 * queue, every present page-table entry, and fixed tables (8 KiB of I/O
 * port bitmap, 4096 ASIDs, 128 IRQs).
 */
#include "invariants.h"
#include "cdt.h"
#include "ipc.h"
#include "sched.h"
#include "panic.h"
#include "printf.h"
#include "kstring.h"
#include "asid.h"
#include "irq.h"

unsigned invariants_every;

#define LIST_LIMIT      (1UL << 24)     /* more slots than memory allows: a loop */

static NORETURN void violation(const char *what, const void *where, word_t detail)
{
    panic("invariant violated: %s (at %p, %#lx)", what, where, detail);
}

static bool known_type(cap_type_t t)
{
    return t != CAP_NULL && kstrncmp(cap_type_name(t), "unknown", 8) != 0;
}

/*
 * What the kernel keeps outside the caps, seen from the caps: per pass, the
 * IRQs with a handler cap, the I/O ports some IOPort cap covers, the ASIDs
 * a PML4 cap holds for the VSpace the ASID names, and the ASID pools with a cap.
 */
static uint64_t irq_caps[IRQ_COUNT / 64];
static uint64_t port_caps[ARCH_IOPORT_WORDS];
static uint64_t asid_caps[BIT(ASID_BITS) / 64];
static unsigned pool_caps;

static void mark_ports(unsigned first, unsigned last)
{
    for (unsigned p = first; p <= last;) {
        if (p % 64 == 0 && last - p >= 63) {
            port_caps[p / 64] = ~0UL;
            p += 64;
        } else {
            port_caps[p / 64] |= BIT(p % 64);
            p++;
        }
    }
}

extern char _text_start[], _kernel_end[];

static void note_kernel_state(const cte_t *s)
{
    cap_t c = s->cap;
    paddr_t base;
    unsigned bits;
    /*
     * The kernel image (code, data, the tree's anchor) is no object's
     * memory. (The boot-only code below it is handed out as untyped.)
     */
    if (cap_object_region(c, &base, &bits) && base < kptr_to_paddr(_kernel_end) &&
        base + BIT(bits) > kptr_to_paddr(_text_start))
        violation("a cap names memory of the kernel image", s, base);
    switch (cap_get_type(c)) {
    case CAP_IRQ_HANDLER:
        if (cap_irq(c) >= IRQ_COUNT)
            violation("an IRQ handler cap for an IRQ that does not exist", s, cap_irq(c));
        irq_caps[cap_irq(c) / 64] |= BIT(cap_irq(c) % 64);
        break;
    case CAP_IO_PORT:
        if (cap_io_port_last(c) < cap_io_port_first(c))
            violation("an IOPort cap with an empty range", s, c.w0);
        mark_ports(cap_io_port_first(c), cap_io_port_last(c));
        break;
    case CAP_PML4:
        /* A PML4 cap may keep an ASID whose pool went away (as in seL4). */
        if (cap_asid(c) != 0 && asid_lookup(cap_asid(c)) == cap_object_paddr(c))
            asid_caps[cap_asid(c) / 64] |= BIT(cap_asid(c) % 64);
        break;
    case CAP_ASID_POOL:
        if (cap_asid(c) % ASID_POOL_ENTRIES != 0 ||
            asid_pool_of(cap_asid(c)) != cap_object_paddr(c))
            violation("an ASID pool cap whose pool is not installed", s, cap_asid(c));
        pool_caps |= 1u << (cap_asid(c) >> ASID_POOL_BITS);
        break;
    default:
        break;
    }
}

static void check_kernel_state(void)
{
    for (unsigned irq = 0; irq < IRQ_COUNT; irq++) {
        bool cap = (irq_caps[irq / 64] >> (irq % 64)) & 1;
        if (irq_is_active(irq) != cap)
            violation(cap ? "an IRQ with a handler cap is not active"
                          : "an active IRQ has no handler cap", NULL, irq);
        if (irq_has_notification(irq) && !cap)
            violation("an IRQ without a handler cap signals a notification", NULL, irq);
    }
    for (unsigned w = 0; w < ARCH_IOPORT_WORDS; w++) {
        uint64_t issued = arch_ioport_issued_word(w);
        if (issued != port_caps[w])
            violation("the I/O ports marked issued and the IOPort caps differ", NULL,
                      w * 64 + (unsigned)__builtin_ctzl(issued ^ port_caps[w]));
    }
    for (unsigned pool = 0; pool < ASID_NUM_POOLS; pool++) {
        if (asid_pool_of(pool << ASID_POOL_BITS) != 0 && !((pool_caps >> pool) & 1))
            violation("an installed ASID pool has no cap", NULL, pool);
    }
    for (unsigned asid = 1; asid < BIT(ASID_BITS); asid++) {
        if (asid % ASID_POOL_ENTRIES == 0 && asid_pool_of(asid) == 0) {
            asid += ASID_POOL_ENTRIES - 1;      /* no pool: no ASIDs here */
            continue;
        }
        if (asid_lookup(asid) != 0 && !((asid_caps[asid / 64] >> (asid % 64)) & 1))
            violation("an ASID names a VSpace that no PML4 cap with that ASID holds", NULL,
                      asid);
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
        note_kernel_state(s);
        prev = s;
    }
}

/*
 * The walk from the anchor sees only what the anchor reaches: start also
 * from the current thread's own slots, which are there whatever the list
 * says (its CSpace root CNode is scanned with every other CNode).
 */
static void check_roots(inv_violation_t *v)
{
    tcb_t *t = cur_thread;
    if (t == NULL || t == &idle_thread)
        return;
    /* Its CSpace root cap leads back to the anchor, and the anchor to it. */
    const cte_t *s = &t->slots[TCB_SLOT_CSPACE], *first = s;
    word_t steps = 0;
    if (!cap_is_null(s->cap)) {
        while (cdt_prev(s) != NULL && steps++ < LIST_LIMIT) {
            first = s;
            s = cdt_prev(s);
        }
        if (s != &cdt_anchor)
            violation("a cap's derivation-tree list does not start at the anchor", s, steps);
        if (cdt_next(&cdt_anchor) != first)
            violation("the anchor does not lead to the first cap of its list", first,
                      (word_t)cdt_next(&cdt_anchor));
    }
    if (!inv_check_slots(t->slots, ARRAY_SIZE(t->slots), v))
        violation(v->what, v->where, v->detail);
}

/*
 * The two sorting checks take most of the time; they take turns, so that
 * one check stays short (timing tests run with the checker on): objects
 * and threads at one check, mappings at the next.
 */
static unsigned turn;

void invariants_check(void)
{
    bool objects = (turn++ & 1) == 0;
    memset(irq_caps, 0, sizeof(irq_caps));
    memset(port_caps, 0, sizeof(port_caps));
    memset(asid_caps, 0, sizeof(asid_caps));
    pool_caps = 0;
    inv_result_t res;
    inv_violation_t v;
    check_roots(&v);
    check_caps();
    check_kernel_state();

    res = (inv_result_t){ 0 };
    if (objects && !inv_check_objects(&cdt_anchor, &res, &v))
        violation(v.what, v.where, v.detail);
    static bool told;
    if (res.truncated && !told) {
        told = true;
        kprintf("invariants: more than %u caps name memory; overlap and queue checks "
               "cover the first %u\n", INV_MAX_OBJECTS, INV_MAX_OBJECTS);
    }
    inv_result_t maps = { 0 };
    if (!objects && !inv_check_mappings(&cdt_anchor, &maps, &v))
        violation(v.what, v.where, v.detail);
    static bool told_maps;
    if (maps.truncated && !told_maps) {
        told_maps = true;
        kprintf("invariants: more than %u mapped caps; the mapping check is skipped\n",
                INV_MAX_MAPPINGS);
    }
    word_t ready;
    if (!sched_queues_consistent(&ready))
        violation("ready queues, bitmap and queued flags disagree", NULL, 0);
    if (objects && !res.truncated && !inv_check_threads(ready, &v))
        violation(v.what, v.where, v.detail);
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
