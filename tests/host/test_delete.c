/*
 * kernel/core/delete.c: cap deletion, object destruction and revocation
 * (capabilities.md §10), and a randomized check of the whole derivation tree
 * (cdt.c + delete.c) against an independent reference model.
 *
 * object/finalise.c is not linked: object_finalise below records which
 * objects were destroyed. This file also holds the helpers test_cdt.c uses
 * (the finalise log and the tree-link checker); their prototypes are repeated
 * there.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "cdt.h"
#include "delete.h"
#include "thread.h"

/* ------------------------------------------------------------------------ */
/* object_finalise stub: a log of destroyed objects                          */
/* ------------------------------------------------------------------------ */

#define FIN_MAX (1u << 17)

static cap_t fin_log[FIN_MAX];
static size_t fin_n;
static uintptr_t fin_lowest_frame;
static bool fin_scan;           /* look for caps left to each finalised object */
static bool fin_live_cap;       /* an object was finalised with a cap left */

static bool same_identity(cap_t a, cap_t b);
static bool any_cap_to(cap_t c);
void fin_reset(void);
size_t fin_count(void);
cap_t fin_get(size_t i);
size_t fin_count_of(cap_t c);
uintptr_t fin_lowest(void);
void arena_reset(void);
void arena_add(cte_t *slots, size_t n);
void check_links(void);

void object_finalise(cap_t cap)
{
    if (fin_n < FIN_MAX)
        fin_log[fin_n] = cap;
    fin_n++;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (frame < fin_lowest_frame)
        fin_lowest_frame = frame;
    /* Only the last cap finalises (untyped caps are never "the same object"). */
    if (fin_scan && cap_get_type(cap) != CAP_UNTYPED && any_cap_to(cap))
        fin_live_cap = true;
}

/*
 * Finalisation happens when the last cap goes, before a CNode or TCB is
 * emptied (delete.c: a TCB must stop before its slots are emptied).
 */
void fin_reset(void)
{
    fin_n = 0;
    fin_lowest_frame = UINTPTR_MAX;
    fin_live_cap = false;
    fin_scan = true;
}

size_t fin_count(void)
{
    return fin_n;
}

cap_t fin_get(size_t i)
{
    return i < fin_n && i < FIN_MAX ? fin_log[i] : cap_null();
}

uintptr_t fin_lowest(void)
{
    return fin_lowest_frame;
}

/* Object identity for the log: type plus the object's address. */
static bool same_identity(cap_t a, cap_t b)
{
    if (cap_get_type(a) != cap_get_type(b))
        return false;
    paddr_t ba, bb;
    unsigned sa, sb;
    if (!cap_object_region(a, &ba, &sa) || !cap_object_region(b, &bb, &sb))
        return a.w0 == b.w0 && a.w1 == b.w1;
    return ba == bb && sa == sb;
}

size_t fin_count_of(cap_t c)
{
    size_t n = 0;
    for (size_t i = 0; i < fin_n && i < FIN_MAX; i++)
        n += same_identity(fin_log[i], c);
    return n;
}

/* ------------------------------------------------------------------------ */
/* Tree-link checker                                                         */
/* ------------------------------------------------------------------------ */

#define MAX_ARENAS 16

static struct {
    cte_t *base;
    size_t n;
} arenas[MAX_ARENAS];
static size_t n_arenas;

void arena_reset(void)
{
    n_arenas = 0;
}

void arena_add(cte_t *slots, size_t n)
{
    if (n_arenas == MAX_ARENAS)
        host_fail(__FILE__, __LINE__, "too many arenas");
    arenas[n_arenas].base = slots;
    arenas[n_arenas].n = n;
    n_arenas++;
}

/* Is there a (non-zombie) cap to c's object in the registered arenas? */
static bool any_cap_to(cap_t c)
{
    for (size_t a = 0; a < n_arenas; a++)
        for (size_t i = 0; i < arenas[a].n; i++)
            if (same_identity(arenas[a].base[i].cap, c))
                return true;
    return false;
}

static bool in_arena(const cte_t *p)
{
    for (size_t a = 0; a < n_arenas; a++) {
        uintptr_t lo = (uintptr_t)arenas[a].base;
        uintptr_t hi = lo + arenas[a].n * sizeof(cte_t);
        if ((uintptr_t)p >= lo && (uintptr_t)p < hi)
            return ((uintptr_t)p - lo) % sizeof(cte_t) == 0;
    }
    return false;
}

/*
 * Every non-empty slot's neighbours are non-empty slots of the registered
 * arenas that link back to it; empty slots have no links; no zombie is
 * left; and walking every list from its head visits each non-empty slot
 * exactly once (so there are no cycles).
 */
static bool links_allow_zombies;

void check_links(void)
{
    size_t nonempty = 0;
    for (size_t a = 0; a < n_arenas; a++) {
        for (size_t i = 0; i < arenas[a].n; i++) {
            cte_t *s = &arenas[a].base[i];
            if (cap_is_null(s->cap)) {
                if (s->mdb.prev != 0 || s->mdb.next != 0)
                    host_fail(__FILE__, __LINE__, "empty slot %p has links", (void *)s);
                continue;
            }
            if (cap_get_type(s->cap) == CAP_ZOMBIE && !links_allow_zombies)
                host_fail(__FILE__, __LINE__, "zombie left in slot %p", (void *)s);
            nonempty++;
            cte_t *next = cdt_next(s), *prev = cdt_prev(s);
            if (next != NULL) {
                if (!in_arena(next) || cap_is_null(next->cap) || cdt_prev(next) != s)
                    host_fail(__FILE__, __LINE__, "bad next link %p -> %p", (void *)s,
                              (void *)next);
            }
            if (prev != NULL) {
                if (!in_arena(prev) || cap_is_null(prev->cap) || cdt_next(prev) != s)
                    host_fail(__FILE__, __LINE__, "bad prev link %p -> %p", (void *)s,
                              (void *)prev);
            }
        }
    }
    size_t visited = 0;
    for (size_t a = 0; a < n_arenas; a++) {
        for (size_t i = 0; i < arenas[a].n; i++) {
            cte_t *s = &arenas[a].base[i];
            if (cap_is_null(s->cap) || cdt_prev(s) != NULL)
                continue;
            for (cte_t *x = s; x != NULL; x = cdt_next(x)) {
                if (++visited > nonempty)
                    host_fail(__FILE__, __LINE__, "list from %p does not end", (void *)s);
            }
        }
    }
    if (visited != nonempty)
        host_fail(__FILE__, __LINE__, "%zu slots are on a cycle without a head",
                  nonempty - visited);
}

/* ------------------------------------------------------------------------ */
/* Preemption: every test may run with deletions stopped part-way            */
/* ------------------------------------------------------------------------ */

/*
 * With host_preempt on, an interrupt is "pending" at every preemption check
 * and the checks come every 1..3 work units, so cte_delete/cte_revoke (the
 * macros below) stop as often as they can; they are called again until
 * done, as a restarted system call would be, and the tree must be well
 * formed (zombies allowed) at every stop.
 */
#include "preempt.h"

static bool host_preempt;
static unsigned preempt_stops;

bool arch_irq_pending(void)
{
    return host_preempt;
}

static void preempt_units_for_mode(void)
{
    extern word_t preempt_work_units;
    preempt_work_units = host_preempt ? 1 + preempt_stops % 3 : PREEMPT_WORK_UNITS;
    preempt_begin();
}

static void delete_until_done(cte_t *slot)
{
    for (;;) {
        preempt_units_for_mode();
        if (cte_delete_preemptible(slot))
            break;
        preempt_stops++;
        links_allow_zombies = true;
        check_links();
        links_allow_zombies = false;
    }
}

static void revoke_until_done(cte_t *slot)
{
    for (;;) {
        preempt_units_for_mode();
        if (cte_revoke_preemptible(slot))
            break;
        preempt_stops++;
        links_allow_zombies = true;
        check_links();
        links_allow_zombies = false;
    }
}

#define cte_delete(slot) delete_until_done(slot)
#define cte_revoke(slot) revoke_until_done(slot)

/* ------------------------------------------------------------------------ */
/* Helpers                                                                    */
/* ------------------------------------------------------------------------ */

/* Endpoint/notification objects are never dereferenced: fake addresses. */
#define FAKE_BASE 0x200000000000UL

static cap_t ep(unsigned i)
{
    return cap_ipc_new(CAP_ENDPOINT, FAKE_BASE + (paddr_t)i * 64, RIGHTS_ALL, 0);
}

static cap_t cnode_cap(cte_t *slots, unsigned radix)
{
    paddr_t pa = (paddr_t)(uintptr_t)slots;
    CHECK(pa < BIT(CNODE_PTR_BITS + CNODE_PTR_ALIGN));
    CHECK_EQ(pa & MASK(CNODE_PTR_ALIGN), 0);
    cap_t c = cap_cnode_new(pa, radix, 0, 0);
    CHECK_PTR_EQ(cap_cnode_slots(c), slots);
    return c;
}

static cap_t untyped_over(const void *base, unsigned bits)
{
    return cap_untyped_new((paddr_t)(uintptr_t)base, bits, false, 0);
}

static bool all_empty(const cte_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!cap_is_null(s[i].cap) || s[i].mdb.prev != 0 || s[i].mdb.next != 0)
            return false;
    return true;
}

static _Alignas(4096) cte_t roots[64];

/* Nested CNodes: nest[i] has 2 slots (radix 1, 64 bytes). */
#define NEST_MAX 32768
static _Alignas(4096) cte_t nest[NEST_MAX][2];

/* Three CNodes of 8 slots for the cycle tests. */
static _Alignas(4096) cte_t cyc[3][8];

static _Alignas(4096) tcb_t tcbs[2];

static void setup(void)
{
    memset(roots, 0, sizeof(roots));
    memset(cyc, 0, sizeof(cyc));
    memset(tcbs, 0, sizeof(tcbs));
    arena_reset();
    arena_add(roots, ARRAY_SIZE(roots));
    arena_add(&cyc[0][0], 3 * 8);
    arena_add(tcbs[0].slots, ARRAY_SIZE(tcbs[0].slots));
    arena_add(tcbs[1].slots, ARRAY_SIZE(tcbs[1].slots));
    fin_reset();
}

/* ------------------------------------------------------------------------ */
/* Deletion tests                                                            */
/* ------------------------------------------------------------------------ */

HOST_TEST(DELETE_0001)
{
    /* Only the last cap to an endpoint finalises it; empty slots are no-ops. */
    setup();
    cdt_insert_root(&roots[0], untyped_over((void *)FAKE_BASE, 12));
    cdt_insert_child(&roots[0], &roots[1], ep(0));
    cdt_insert_derived(&roots[1], &roots[2], ep(0));
    cdt_insert_derived(&roots[2], &roots[3], ep(0));

    cte_delete(&roots[5]);
    cte_revoke(&roots[5]);
    CHECK_EQ(fin_count(), 0);

    cte_delete(&roots[2]);
    CHECK_EQ(fin_count(), 0);
    CHECK(all_empty(&roots[2], 1));
    cte_delete(&roots[1]);          /* the original, with a copy left */
    CHECK_EQ(fin_count(), 0);
    check_links();
    /* The copy is now a child of the untyped. */
    CHECK_PTR_EQ(cdt_next(&roots[0]), &roots[3]);
    CHECK(cdt_is_parent_of(&roots[0], &roots[3]));
    CHECK(cdt_is_final(&roots[3]));
    cte_delete(&roots[3]);
    CHECK_EQ(fin_count(), 1);
    CHECK_EQ(fin_count_of(ep(0)), 1);
    CHECK(cdt_next(&roots[0]) == NULL);
    /* Deleting an untyped cap "finalises" the untyped (a no-op there). */
    cte_delete(&roots[0]);
    CHECK_EQ(fin_count(), 2);
    CHECK_EQ(cap_get_type(fin_get(1)), CAP_UNTYPED);
    check_links();
}

HOST_TEST(DELETE_0002)
{
    /*
     * Deleting the last cap to a CNode deletes the caps inside it: objects
     * whose last cap was inside are finalised, others are not.
     */
    setup();
    cte_t *a = cyc[0];
    cdt_insert_root(&roots[0], untyped_over(cyc, 12));
    cdt_insert_root(&roots[1], untyped_over((void *)FAKE_BASE, 12));
    cdt_insert_child(&roots[0], &roots[2], cnode_cap(a, 3));
    cdt_insert_child(&roots[1], &a[0], ep(0));              /* only cap */
    cdt_insert_child(&roots[1], &roots[3], ep(1));
    cdt_insert_derived(&roots[3], &a[5], ep(1));            /* copy; original outside */
    cdt_insert_child(&roots[1], &a[6], ep(2));
    cdt_insert_derived(&a[6], &a[7], ep(2));                /* two caps, both inside */
    cdt_insert_derived(&roots[2], &roots[4], cnode_cap(a, 3));  /* a second CNode cap */
    check_links();

    cte_delete(&roots[2]);          /* not the last cap to the CNode */
    CHECK_EQ(fin_count(), 0);
    CHECK(!cap_is_null(a[0].cap));
    cte_delete(&roots[4]);
    check_links();
    CHECK(all_empty(a, 8));
    CHECK(all_empty(&roots[4], 1));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 3);
    CHECK(same_identity(fin_get(0), cnode_cap(a, 3)));     /* the CNode first */
    CHECK_EQ(fin_count_of(ep(0)), 1);
    CHECK_EQ(fin_count_of(ep(2)), 1);
    CHECK_EQ(fin_count_of(ep(1)), 0);
    CHECK(!cap_is_null(roots[3].cap));
    CHECK(cdt_next(&roots[0]) == NULL);
    CHECK_PTR_EQ(cdt_next(&roots[1]), &roots[3]);
    CHECK(cdt_next(&roots[3]) == NULL);
}

/*
 * n nested CNodes: the only cap to nest[0] is in roots[1], the only cap to
 * nest[i + 1] is in nest[i][0], and nest[i][1] holds the only cap to
 * endpoint i. All CNode caps are children of the untyped in roots[0], in
 * the order c0, c1, ... when in_order, else c(n-1), ..., c0.
 */
static void build_nest(size_t n, bool in_order)
{
    memset(nest, 0, n * sizeof(nest[0]));
    arena_add(&nest[0][0], 2 * n);
    cdt_insert_root(&roots[0], untyped_over(nest, 21));
    for (size_t k = 0; k < n; k++) {
        size_t i = in_order ? n - 1 - k : k;
        cte_t *holder = i == 0 ? &roots[1] : &nest[i - 1][0];
        cdt_insert_child(&roots[0], holder, cnode_cap(nest[i], 1));
        cdt_insert_root(&nest[i][1], ep((unsigned)i));
    }
}

static void check_nest_gone(size_t n)
{
    CHECK(all_empty(&nest[0][0], 2 * n));
    CHECK(all_empty(&roots[1], 1));
    CHECK_EQ(fin_count(), 2 * n);
    CHECK(!fin_live_cap);
    /* Each CNode and each endpoint exactly once, a CNode before its contents. */
    static uint8_t seen[NEST_MAX][2];
    memset(seen, 0, n * 2);
    for (size_t k = 0; k < 2 * n; k++) {
        cap_t c = fin_get(k);
        size_t i;
        if (cap_get_type(c) == CAP_ENDPOINT) {
            i = (cap_ipc_paddr(c) - FAKE_BASE) / 64;
            CHECK(i < n);
            CHECK_EQ(seen[i][0], 1);
            CHECK_EQ(seen[i][1], 0);
            seen[i][1] = 1;
        } else {
            CHECK_EQ(cap_get_type(c), CAP_CNODE);
            i = (size_t)(cap_cnode_slots(c) - &nest[0][0]) / 2;
            CHECK(i < n);
            CHECK_PTR_EQ(cap_cnode_slots(c), nest[i]);
            CHECK_EQ(seen[i][0], 0);
            seen[i][0] = 1;
        }
    }
    CHECK(cdt_next(&roots[0]) == NULL);
    check_links();
}

static void nested_delete(size_t n)
{
    setup();
    build_nest(n, false);
    check_links();
    fin_reset();
    fin_scan = n <= 1000;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    cte_delete(&roots[1]);
    check_nest_gone(n);
    /* Emptying is iterative: the stack does not grow with the nesting. */
    CHECK(fin_lowest() < frame);
    CHECK(frame - fin_lowest() < 4096);
}

HOST_TEST(DELETE_0003)
{
    nested_delete(1000);
}

HOST_TEST(DELETE_0004)
{
    nested_delete(NEST_MAX);
}

HOST_TEST(DELETE_0005)
{
    /* Revoking the untyped that covers a deep nest destroys it all. */
    setup();
    build_nest(5000, true);
    fin_scan = false;
    CHECK_PTR_EQ(cdt_next(&roots[0]), &roots[1]);  /* c0 first: a deep cascade */
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    cte_revoke(&roots[0]);
    check_nest_gone(5000);
    CHECK(frame - fin_lowest() < 4096);
    CHECK_EQ(cap_get_type(roots[0].cap), CAP_UNTYPED);
}

HOST_TEST(DELETE_0006)
{
    /*
     * Cycles: a CNode holding a cap to itself survives the deletion of its
     * other caps (as in seL4); two CNodes holding each other's caps likewise.
     * Revoking the untyped that covers them destroys them.
     */
    setup();
    cte_t *a = cyc[0], *b = cyc[1], *c = cyc[2];
    cdt_insert_root(&roots[0], untyped_over(cyc, 12));
    cdt_insert_root(&roots[5], ep(9));                      /* original elsewhere */
    cdt_insert_child(&roots[0], &roots[1], cnode_cap(a, 3));
    cdt_insert_derived(&roots[1], &a[0], cnode_cap(a, 3));  /* self cap */
    cdt_insert_root(&a[1], ep(1));
    cdt_insert_root(&a[2], ep(2));
    cdt_insert_derived(&roots[5], &a[4], ep(9));
    cdt_insert_child(&roots[0], &roots[2], cnode_cap(b, 3));
    cdt_insert_child(&roots[0], &roots[3], cnode_cap(c, 3));
    cdt_insert_derived(&roots[3], &b[0], cnode_cap(c, 3));
    cdt_insert_derived(&roots[2], &c[7], cnode_cap(b, 3));
    cdt_insert_root(&b[3], ep(3));
    cdt_insert_root(&c[3], ep(4));
    check_links();

    cte_delete(&roots[1]);
    cte_delete(&roots[2]);
    cte_delete(&roots[3]);
    CHECK_EQ(fin_count(), 0);
    CHECK(!cap_is_null(a[0].cap) && !cap_is_null(b[0].cap) && !cap_is_null(c[7].cap));
    check_links();

    cte_revoke(&roots[0]);
    check_links();
    CHECK(all_empty(&cyc[0][0], 3 * 8));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 7);
    for (unsigned i = 1; i <= 4; i++)
        CHECK_EQ(fin_count_of(ep(i)), 1);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(fin_count_of(cnode_cap(cyc[i], 3)), 1);
    CHECK_EQ(fin_count_of(ep(9)), 0);
    CHECK(cdt_next(&roots[5]) == NULL);
    CHECK(cdt_next(&roots[0]) == NULL);
}

HOST_TEST(DELETE_0007)
{
    /*
     * Deleting a cap inside a cycle: a holds the only cap to b, b the only
     * cap to a; deleting b's slot destroys both. Then a CNode whose only cap
     * is in itself is destroyed by deleting that slot.
     */
    setup();
    cte_t *a = cyc[0], *b = cyc[1], *c = cyc[2];
    cdt_insert_root(&roots[0], untyped_over(cyc, 12));
    cdt_insert_child(&roots[0], &b[2], cnode_cap(a, 3));
    cdt_insert_child(&roots[0], &a[6], cnode_cap(b, 3));
    cdt_insert_root(&a[0], ep(1));
    cdt_insert_root(&a[7], ep(2));
    cdt_insert_root(&b[0], ep(3));
    cdt_insert_root(&b[7], ep(4));
    cte_delete(&b[2]);
    check_links();
    CHECK(all_empty(a, 8) && all_empty(b, 8));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 6);
    CHECK(same_identity(fin_get(0), cnode_cap(a, 3)));
    CHECK_EQ(fin_count_of(cnode_cap(b, 3)), 1);
    for (unsigned i = 1; i <= 4; i++)
        CHECK_EQ(fin_count_of(ep(i)), 1);

    fin_reset();
    cdt_insert_child(&roots[0], &c[3], cnode_cap(c, 3));
    cdt_insert_root(&c[0], ep(5));
    cdt_insert_root(&c[7], ep(6));
    cte_delete(&c[3]);
    check_links();
    CHECK(all_empty(c, 8));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 3);
    CHECK(same_identity(fin_get(0), cnode_cap(c, 3)));
    CHECK(cdt_next(&roots[0]) == NULL);
}

HOST_TEST(DELETE_0008)
{
    /* TCBs: the TCB is finalised (stopped), then its slots are emptied. */
    setup();
    tcb_t *t = &tcbs[0];
    cte_t *a = cyc[0];
    cdt_insert_root(&roots[0], untyped_over(tcbs, 12));
    cdt_insert_root(&roots[1], untyped_over(cyc, 12));
    cdt_insert_child(&roots[0], &roots[2], cap_thread_new(t));
    cdt_insert_child(&roots[1], &t->slots[TCB_SLOT_CSPACE], cnode_cap(a, 3));
    cdt_insert_root(&t->slots[TCB_SLOT_IPC_BUFFER], ep(1));
    cdt_insert_root(&a[1], ep(2));
    cdt_insert_root(&a[2], ep(3));
    cte_delete(&roots[2]);
    check_links();
    CHECK(all_empty(t->slots, 5) && all_empty(a, 8));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 5);
    /* The TCB comes first, before everything it held. */
    CHECK_EQ(cap_get_type(fin_get(0)), CAP_THREAD);
    CHECK_PTR_EQ(cap_thread_tcb(fin_get(0)), t);
    CHECK_EQ(fin_count_of(cnode_cap(a, 3)), 1);
    for (unsigned i = 1; i <= 3; i++)
        CHECK_EQ(fin_count_of(ep(i)), 1);

    /*
     * A cycle through a TCB: the TCB's CSpace slot holds the only cap to a,
     * and a holds the only cap to the TCB. Deleting the TCB's slot destroys
     * both; the TCB is finalised once.
     */
    fin_reset();
    cdt_insert_child(&roots[1], &t->slots[TCB_SLOT_CSPACE], cnode_cap(a, 3));
    cdt_insert_child(&roots[0], &a[3], cap_thread_new(t));
    cdt_insert_root(&t->slots[TCB_SLOT_CALLER], ep(4));
    cdt_insert_root(&a[0], ep(5));
    cte_delete(&t->slots[TCB_SLOT_CSPACE]);
    check_links();
    CHECK(all_empty(t->slots, 5) && all_empty(a, 8));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 4);
    CHECK(same_identity(fin_get(0), cnode_cap(a, 3)));
    CHECK_EQ(fin_count_of(cap_thread_new(t)), 1);
    CHECK_EQ(fin_count_of(ep(4)), 1);
    CHECK_EQ(fin_count_of(ep(5)), 1);
    CHECK(cdt_next(&roots[0]) == NULL && cdt_next(&roots[1]) == NULL);
}

HOST_TEST(DELETE_0009)
{
    /*
     * Revoke whose target lives in a CNode the revocation destroys: the
     * target slot is emptied with it and the revocation stops there; the
     * remaining children stay linked (as in seL4).
     */
    setup();
    cte_t *k = cyc[0];
    cdt_insert_root(&k[0], untyped_over(cyc, 12));
    cdt_insert_child(&k[0], &roots[2], cnode_cap(cyc[1], 3));
    cdt_insert_child(&k[0], &roots[1], cnode_cap(k, 3));
    CHECK_PTR_EQ(cdt_next(&k[0]), &roots[1]);
    cte_revoke(&k[0]);
    check_links();
    CHECK(all_empty(k, 8));
    CHECK(all_empty(&roots[1], 1));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 2);                   /* k, then the untyped cap in k[0] */
    CHECK(same_identity(fin_get(0), cnode_cap(k, 3)));
    CHECK_EQ(cap_get_type(fin_get(1)), CAP_UNTYPED);
    CHECK_EQ(cap_get_type(roots[2].cap), CAP_CNODE);
    CHECK(cdt_prev(&roots[2]) == NULL && cdt_next(&roots[2]) == NULL);
}

HOST_TEST(DELETE_0010)
{
    /*
     * Revoking an untyped that covers nested CNodes, TCBs and endpoints
     * (the objects' caps are spread among each other) empties everything.
     */
    setup();
    cte_t *a = cyc[0], *b = cyc[1], *c = cyc[2];
    tcb_t *t = &tcbs[1];
    memset(nest, 0, 8 * sizeof(nest[0]));
    arena_add(&nest[0][0], 16);
    cdt_insert_root(&roots[0], untyped_over((void *)0, 46));   /* covers everything */
    cdt_insert_child(&roots[0], &roots[1], cnode_cap(a, 3));
    cdt_insert_child(&roots[0], &a[1], cnode_cap(b, 3));
    cdt_insert_derived(&a[1], &c[1], cnode_cap(b, 3));
    cdt_insert_child(&roots[0], &b[1], cnode_cap(c, 3));
    cdt_insert_child(&roots[0], &c[2], cap_thread_new(t));
    cdt_insert_child(&roots[0], &t->slots[0], cnode_cap(nest[0], 1));
    for (unsigned i = 0; i < 7; i++)
        cdt_insert_child(&roots[0], &nest[i][0], cnode_cap(nest[i + 1], 1));
    cdt_insert_derived(&roots[1], &nest[7][1], cnode_cap(a, 3)); /* back to a */
    cdt_insert_child(&roots[0], &a[7], ep(1));
    cdt_insert_derived(&a[7], &b[7], ep(1));
    cdt_insert_derived(&a[7], &nest[3][1], ep(1));
    cdt_insert_child(&roots[0], &t->slots[3], ep(2));
    cdt_insert_child(&roots[0], &roots[3], ep(3));
    check_links();

    cte_revoke(&roots[0]);
    check_links();
    CHECK(cdt_next(&roots[0]) == NULL);
    CHECK(all_empty(&cyc[0][0], 24) && all_empty(&nest[0][0], 16) && all_empty(t->slots, 5));
    CHECK(all_empty(&roots[1], 63));
    CHECK(!fin_live_cap);
    CHECK_EQ(fin_count(), 15);
    CHECK_EQ(fin_count_of(ep(1)), 1);
    CHECK_EQ(fin_count_of(ep(2)), 1);
    CHECK_EQ(fin_count_of(ep(3)), 1);
    CHECK_EQ(fin_count_of(cap_thread_new(t)), 1);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(fin_count_of(cnode_cap(cyc[i], 3)), 1);
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(fin_count_of(cnode_cap(nest[i], 1)), 1);
}

HOST_TEST(DELETE_0011)
{
    /* Deleting a cap with children re-parents them (list semantics). */
    setup();
    cdt_insert_root(&roots[0], untyped_over((void *)FAKE_BASE, 12));
    cdt_insert_child(&roots[0], &roots[1], ep(0));
    cdt_insert_derived(&roots[1], &roots[2], ep(0));                 /* copy */
    cap_t b5 = cap_ipc_new(CAP_ENDPOINT, FAKE_BASE, RIGHTS_ALL, 5);
    cdt_insert_derived(&roots[1], &roots[3], b5);                    /* badge 5 */
    cdt_insert_derived(&roots[3], &roots[4], b5);                    /* its copy */
    /* [U, E0, E5, E5c, Ec] */
    CHECK(cdt_is_parent_of(&roots[3], &roots[4]));
    cte_delete(&roots[1]);
    CHECK_EQ(fin_count(), 0);
    check_links();
    /* The badged lineage keeps its child; everything is under the untyped. */
    CHECK(cdt_is_parent_of(&roots[3], &roots[4]));
    CHECK(cdt_is_parent_of(&roots[0], &roots[3]));
    CHECK(!cdt_is_parent_of(&roots[3], &roots[2]));
    cte_revoke(&roots[3]);
    CHECK(all_empty(&roots[4], 1));
    CHECK(!cap_is_null(roots[2].cap));
    CHECK_EQ(fin_count(), 0);
    cte_delete(&roots[3]);
    CHECK_EQ(fin_count(), 0);
    cte_delete(&roots[2]);
    CHECK_EQ(fin_count(), 1);
    CHECK(cdt_next(&roots[0]) == NULL);
    check_links();
}

/* ------------------------------------------------------------------------ */
/* Randomized test against an independent reference model                    */
/* ------------------------------------------------------------------------ */

/*
 * Objects: 16 endpoints (even) and notifications (odd) at fake addresses,
 * made from the untypeds UA (objects 0-7) and UB (8-15); two CNodes K0, K1
 * (8 slots each) and a TCB, made from the untyped UK covering `karena`.
 * Slots: the pool CNodes P0 and P1 (never destroyed) and the slots of K0,
 * K1 and the TCB while those objects are alive.
 *
 * The model is an explicit forest with ordered children, not a list: each
 * cap records its parent. It follows seL4's documented rules
 * (capabilities.md §4, §7, §10):
 *  - a cap derived from X is X's child if X is an original (revocable) that
 *    can parent it (untyped: anything made from it; unbadged endpoint or
 *    notification original: any cap to the object; badged original: only
 *    non-original copies with its badge), else X's sibling, placed right
 *    after X; a new child comes first among X's children;
 *  - deleting a cap puts its children, in order, in its place under its
 *    parent; deleting the last cap to an object finalises it, then a CNode
 *    or TCB is emptied; untyped caps are never "the same object";
 *  - revoke deletes the first child until there is none (or the target is
 *    gone, destroyed with a CNode that held it).
 * What the list representation implies, and the model keeps too: a tree
 * root (cdt_insert_root) starts its own list; when a root is deleted, its
 * children remain one list (a sequence of trees), so each list is modelled
 * as a "head" node whose children are the list's top-level trees.
 */

enum { NIPC = 16, O_K0 = NIPC, O_K1, O_T, O_UA, O_UB, O_UK, NOBJ };

#define KRADIX 3
#define NSLOT (16 + 16 + 8 + 8 + 5)

static struct {
    _Alignas(4096) tcb_t tcb;
    _Alignas(2048) cte_t k0[1 << KRADIX];
    _Alignas(256) cte_t k1[1 << KRADIX];
} karena;
static _Alignas(4096) cte_t pool0[16], pool1[16];

static cte_t *slot_ptr(int s)
{
    if (s < 16)
        return &pool0[s];
    if (s < 32)
        return &pool1[s - 16];
    if (s < 40)
        return &karena.k0[s - 32];
    if (s < 48)
        return &karena.k1[s - 40];
    return &karena.tcb.slots[s - 48];
}

/* Containers: 0, 1 pools, 2 K0, 3 K1, 4 TCB. */
static int slot_container(int s)
{
    return s < 16 ? 0 : s < 32 ? 1 : s < 40 ? 2 : s < 48 ? 3 : 4;
}

static const int container_first[5] = { 0, 16, 32, 40, 48 };
static const int container_count[5] = { 16, 16, 8, 8, 5 };

static int container_obj(int c)
{
    return c == 2 ? O_K0 : c == 3 ? O_K1 : c == 4 ? O_T : -1;
}

static paddr_t obj_paddr(int o)
{
    if (o < NIPC)
        return FAKE_BASE + (paddr_t)o * 64;
    if (o == O_K0)
        return (paddr_t)(uintptr_t)karena.k0;
    if (o == O_K1)
        return (paddr_t)(uintptr_t)karena.k1;
    return (paddr_t)(uintptr_t)&karena.tcb;
}

static bool obj_is_untyped(int o)
{
    return o >= O_UA;
}

static cap_t untyped_cap(int o)
{
    if (o == O_UA)
        return cap_untyped_new(FAKE_BASE, 9, false, 0);
    if (o == O_UB)
        return cap_untyped_new(FAKE_BASE + 512, 9, false, 0);
    return untyped_over(&karena, 12);
}

/* A fresh cap to object o, as Untyped_Retype makes it. */
static cap_t new_object_cap(int o)
{
    if (o < NIPC)
        return cap_ipc_new(o % 2 == 0 ? CAP_ENDPOINT : CAP_NOTIFICATION, obj_paddr(o),
                           o % 2 == 0 ? RIGHTS_ALL : RIGHT_READ | RIGHT_WRITE, 0);
    if (o == O_K0 || o == O_K1)
        return cap_cnode_new(obj_paddr(o), KRADIX, 0, 0);
    return cap_thread_new(&karena.tcb);
}

/* The object a finalised cap names (-1: not one of ours). */
static int cap_obj(cap_t c)
{
    switch (cap_get_type(c)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION: {
        paddr_t pa = cap_ipc_paddr(c);
        if (pa < FAKE_BASE || pa >= FAKE_BASE + NIPC * 64 || (pa - FAKE_BASE) % 64 != 0)
            return -1;
        int o = (int)((pa - FAKE_BASE) / 64);
        bool is_ep = cap_get_type(c) == CAP_ENDPOINT;
        return (o % 2 == 0) == is_ep ? o : -1;
    }
    case CAP_THREAD:
        return cap_thread_tcb(c) == &karena.tcb ? O_T : -1;
    case CAP_CNODE:
        return cap_cnode_paddr(c) == obj_paddr(O_K0) ? O_K0
             : cap_cnode_paddr(c) == obj_paddr(O_K1) ? O_K1 : -1;
    case CAP_UNTYPED:
        for (int o = O_UA; o <= O_UK; o++)
            if (c.w0 == untyped_cap(o).w0 && c.w1 == untyped_cap(o).w1)
                return o;
        return -1;
    default:
        return -1;
    }
}

#define MAXN 128

typedef struct mnode {
    bool used;
    bool head;          /* a list head: its children are top-level trees */
    bool revocable;
    int slot;
    int obj;
    cap_t cap;
    int parent;
    int nkids;
    int kids[MAXN];
} mnode_t;

static mnode_t mn[MAXN];
static int m_slot[NSLOT];
static unsigned m_fin[NOBJ], k_fin[NOBJ];

static unsigned cur_seed;
static int cur_step;
static char cur_op[200];

#define MFAIL(...)                                                            \
    do {                                                                      \
        char m_[300];                                                         \
        snprintf(m_, sizeof(m_), __VA_ARGS__);                                \
        host_fail(__FILE__, __LINE__, "seed %u step %d (%s): %s", cur_seed,   \
                  cur_step, cur_op, m_);                                      \
    } while (0)

static int m_alloc(void)
{
    for (int i = 0; i < MAXN; i++) {
        if (!mn[i].used) {
            memset(&mn[i], 0, sizeof(mn[i]));
            mn[i].used = true;
            mn[i].parent = -1;
            mn[i].slot = -1;
            return i;
        }
    }
    MFAIL("model out of nodes");
}

static int kid_index(int p, int n)
{
    for (int i = 0; i < mn[p].nkids; i++)
        if (mn[p].kids[i] == n)
            return i;
    MFAIL("model: %d is not a child of %d", n, p);
}

static void kid_insert(int p, int pos, int n)
{
    if (mn[p].nkids == MAXN)
        MFAIL("model: too many children");
    memmove(&mn[p].kids[pos + 1], &mn[p].kids[pos], (size_t)(mn[p].nkids - pos) * sizeof(int));
    mn[p].kids[pos] = n;
    mn[p].nkids++;
    mn[n].parent = p;
}

static int m_new_cap(int slot, cap_t cap, int obj, bool revocable)
{
    int n = m_alloc();
    mn[n].slot = slot;
    mn[n].cap = cap;
    mn[n].obj = obj;
    mn[n].revocable = revocable;
    m_slot[slot] = n;
    return n;
}

static void m_insert_root(int slot, cap_t cap, int obj)
{
    int h = m_alloc();
    mn[h].head = true;
    kid_insert(h, 0, m_new_cap(slot, cap, obj, true));
}

static void m_insert_child(int parent, int slot, cap_t cap, int obj)
{
    kid_insert(parent, 0, m_new_cap(slot, cap, obj, true));
}

/* seL4's isCapRevocable, restated. */
static bool m_revocable(cap_t new_cap, cap_t src)
{
    switch (cap_get_type(new_cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        return cap_ipc_badge(new_cap) != cap_ipc_badge(src);
    case CAP_UNTYPED:
        return true;
    default:
        return false;
    }
}

static bool m_can_parent(int x, cap_t new_cap, bool new_revocable)
{
    if (!mn[x].revocable)
        return false;
    cap_type_t t = cap_get_type(mn[x].cap);
    if (t == CAP_ENDPOINT || t == CAP_NOTIFICATION) {
        word_t b = cap_ipc_badge(mn[x].cap);
        return b == 0 || (cap_ipc_badge(new_cap) == b && !new_revocable);
    }
    return true;
}

static void m_insert_derived(int x, int slot, cap_t cap)
{
    bool rev = m_revocable(cap, mn[x].cap);
    if (m_can_parent(x, cap, rev)) {
        kid_insert(x, 0, m_new_cap(slot, cap, mn[x].obj, rev));
        return;
    }
    if (mn[x].nkids != 0)
        MFAIL("model: a sibling of a cap with children cannot follow it");
    int p = mn[x].parent;
    kid_insert(p, kid_index(p, x) + 1, m_new_cap(slot, cap, mn[x].obj, rev));
}

static int m_count_obj(int obj)
{
    int c = 0;
    for (int i = 0; i < MAXN; i++)
        c += mn[i].used && !mn[i].head && mn[i].obj == obj;
    return c;
}

static bool container_alive(int c)
{
    return c < 2 || m_count_obj(container_obj(c)) > 0;
}

/* Unlinks node n: its children take its place, in order. */
static void m_remove(int n)
{
    int p = mn[n].parent;
    int pos = kid_index(p, n);
    memmove(&mn[p].kids[pos], &mn[p].kids[pos + 1],
            (size_t)(mn[p].nkids - pos - 1) * sizeof(int));
    mn[p].nkids--;
    for (int i = 0; i < mn[n].nkids; i++)
        kid_insert(p, pos + i, mn[n].kids[i]);
    m_slot[mn[n].slot] = -1;
    mn[n].used = false;
    if (mn[p].head && mn[p].nkids == 0)
        mn[p].used = false;
}

static void m_delete(int n)
{
    int obj = mn[n].obj;
    m_remove(n);
    if (obj_is_untyped(obj)) {
        m_fin[obj]++;
        return;
    }
    if (m_count_obj(obj) > 0)
        return;
    m_fin[obj]++;                       /* finalised first, then emptied */
    for (int c = 2; c < 5; c++) {
        if (container_obj(c) != obj)
            continue;
        for (int s = container_first[c]; s < container_first[c] + container_count[c]; s++)
            if (m_slot[s] >= 0)
                m_delete(m_slot[s]);
    }
}

static void m_revoke(int n)
{
    /* No node is allocated while deleting, so a freed n stays unused. */
    while (mn[n].used && mn[n].nkids > 0)
        m_delete(mn[n].kids[0]);
}

static int subtree_size(int n)
{
    int size = 1;
    for (int i = 0; i < mn[n].nkids; i++)
        size += subtree_size(mn[n].kids[i]);
    return size;
}

/* Walks the kernel list in step with the model's preorder. */
static cte_t *check_preorder(int n, cte_t *k)
{
    if (k != slot_ptr(mn[n].slot))
        MFAIL("list order: slot %d expected, kernel has %p", mn[n].slot, (void *)k);
    k = cdt_next(k);
    for (int i = 0; i < mn[n].nkids; i++)
        k = check_preorder(mn[n].kids[i], k);
    return k;
}

static void collect_fin(void)
{
    for (size_t i = 0; i < fin_count(); i++) {
        int o = cap_obj(fin_get(i));
        if (o < 0)
            MFAIL("finalised an unknown object (type %d)", cap_get_type(fin_get(i)));
        k_fin[o]++;
    }
    if (fin_live_cap)
        MFAIL("an object was finalised while a cap to it was left");
    fin_reset();
}

static void verify(void)
{
    collect_fin();
    for (int o = 0; o < NOBJ; o++)
        if (m_fin[o] != k_fin[o])
            MFAIL("object %d finalised %u times, model says %u", o, k_fin[o], m_fin[o]);
    int ncaps = 0;
    for (int s = 0; s < NSLOT; s++) {
        cte_t *k = slot_ptr(s);
        int n = m_slot[s];
        if (n < 0) {
            if (!cap_is_null(k->cap))
                MFAIL("slot %d should be empty, holds type %d", s, cap_get_type(k->cap));
            continue;
        }
        ncaps++;
        if (k->cap.w0 != mn[n].cap.w0 || k->cap.w1 != mn[n].cap.w1)
            MFAIL("slot %d holds the wrong cap", s);
    }
    check_links();

    int listed = 0;
    for (int h = 0; h < MAXN; h++) {
        if (!mn[h].used || !mn[h].head)
            continue;
        if (mn[h].nkids == 0)
            MFAIL("model: empty list head");
        cte_t *first = slot_ptr(mn[mn[h].kids[0]].slot);
        if (cdt_prev(first) != NULL)
            MFAIL("slot %d should start a list", mn[mn[h].kids[0]].slot);
        cte_t *k = first;
        for (int i = 0; i < mn[h].nkids; i++) {
            k = check_preorder(mn[h].kids[i], k);
            listed += subtree_size(mn[h].kids[i]);
        }
        if (k != NULL)
            MFAIL("list from slot %d is longer than the model's", mn[mn[h].kids[0]].slot);
    }
    if (listed != ncaps)
        MFAIL("model lists %d caps, %d slots are full", listed, ncaps);

    int count[NOBJ] = { 0 };
    for (int n = 0; n < MAXN; n++)
        if (mn[n].used && !mn[n].head)
            count[mn[n].obj]++;
    for (int s = 0; s < NSLOT; s++) {
        int n = m_slot[s];
        if (n < 0)
            continue;
        cte_t *k = slot_ptr(s);
        bool final = obj_is_untyped(mn[n].obj) || count[mn[n].obj] == 1;
        if (cdt_is_final(k) != final)
            MFAIL("slot %d: is_final %d, model %d", s, cdt_is_final(k), final);
        if (cdt_revocable(k) != mn[n].revocable)
            MFAIL("slot %d: revocable %d, model %d", s, cdt_revocable(k), mn[n].revocable);
        if (cdt_has_children(k) != (mn[n].nkids > 0))
            MFAIL("slot %d: has_children %d, model %d", s, cdt_has_children(k),
                  mn[n].nkids > 0);
        /* What cte_revoke would delete: the run of slots it is parent of. */
        int run = 0;
        for (cte_t *x = cdt_next(k); x != NULL && cdt_is_parent_of(k, x); x = cdt_next(x))
            run++;
        if (run != subtree_size(n) - 1)
            MFAIL("slot %d: %d descendants, model %d", s, run, subtree_size(n) - 1);
    }
}

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

static int rn(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

enum { PICK_ANY, PICK_FULL, PICK_EMPTY, PICK_UNTYPED };

/* A random slot of a live container (-1 if none fits). */
static int pick(int what, int not1, int not2)
{
    int cand[NSLOT], n = 0;
    for (int s = 0; s < NSLOT; s++) {
        if (s == not1 || s == not2 || !container_alive(slot_container(s)))
            continue;
        int node = m_slot[s];
        if ((what == PICK_FULL && node < 0) || (what == PICK_EMPTY && node >= 0))
            continue;
        if (what == PICK_UNTYPED && (node < 0 || !obj_is_untyped(mn[node].obj)))
            continue;
        cand[n++] = s;
    }
    return n == 0 ? -1 : cand[rn(n)];
}

/* Copy and Mint: the derived cap, or a null cap if the invocation fails. */
static cap_t derive(int src, bool mint)
{
    int x = m_slot[src];
    cap_t cap = mn[x].cap;
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION: {
        cap = cap_ipc_set_rights(cap, cap_ipc_rights(cap) & (unsigned)rn(16));
        if (mint) {
            if (cap_ipc_badge(cap) != 0)
                return cap_null();      /* only unbadged caps can be badged */
            cap.w1 = (word_t)rn(4);     /* few badges: lineages collide */
        }
        return cap;
    }
    case CAP_CNODE:
        if (mint)
            return cap_cnode_new(cap_cnode_paddr(cap), KRADIX, (unsigned)rn(62), rnd());
        return cap;
    case CAP_UNTYPED:
        return mn[x].nkids > 0 ? cap_null() : cap;     /* RevokeFirst */
    default:
        return cap;
    }
}

/* Mutate: a CNode cap may get a new guard. */
static cap_t maybe_mutate(cap_t cap)
{
    if (cap_get_type(cap) == CAP_CNODE && rn(2) == 0)
        return cap_cnode_new(cap_cnode_paddr(cap), KRADIX, (unsigned)rn(62), rnd());
    return cap;
}

static void random_step(void)
{
    int r = rn(100);
    if (r < 25) {                                       /* copy, mint */
        bool mint = r >= 13;
        int src = pick(PICK_FULL, -1, -1), dst = pick(PICK_EMPTY, -1, -1);
        if (src < 0 || dst < 0)
            return;
        cap_t cap = derive(src, mint);
        snprintf(cur_op, sizeof(cur_op), "%s %d -> %d", mint ? "mint" : "copy", src, dst);
        if (cap_is_null(cap))
            return;
        cdt_insert_derived(slot_ptr(src), slot_ptr(dst), cap);
        m_insert_derived(m_slot[src], dst, cap);
    } else if (r < 31) {                                /* move, mutate */
        int src = pick(PICK_FULL, -1, -1), dst = pick(PICK_EMPTY, -1, -1);
        if (src < 0 || dst < 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "move %d -> %d", src, dst);
        cap_t cap = maybe_mutate(slot_ptr(src)->cap);
        cdt_move(slot_ptr(src), slot_ptr(dst), cap);
        int n = m_slot[src];
        m_slot[src] = -1;
        m_slot[dst] = n;
        mn[n].slot = dst;
        mn[n].cap = cap;
    } else if (r < 37) {                                /* swap (Rotate, src == dest) */
        int a = pick(PICK_FULL, -1, -1);
        int b = pick(PICK_FULL, a, -1);
        if (a < 0 || b < 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "swap %d <-> %d", a, b);
        cap_t new_a = maybe_mutate(slot_ptr(b)->cap), new_b = maybe_mutate(slot_ptr(a)->cap);
        cdt_swap(slot_ptr(a), new_a, slot_ptr(b), new_b);
        int na = m_slot[a], nb = m_slot[b];
        m_slot[a] = nb;
        m_slot[b] = na;
        mn[nb].slot = a;
        mn[nb].cap = new_a;
        mn[na].slot = b;
        mn[na].cap = new_b;
    } else if (r < 40) {                                /* Rotate, src != dest */
        int src = pick(PICK_FULL, -1, -1);
        int pivot = pick(PICK_FULL, src, -1);
        int dst = pick(PICK_EMPTY, -1, -1);
        if (src < 0 || pivot < 0 || dst < 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "rotate %d -> %d -> %d", src, pivot, dst);
        cap_t to_dst = maybe_mutate(slot_ptr(pivot)->cap);
        cap_t to_pivot = maybe_mutate(slot_ptr(src)->cap);
        cdt_move(slot_ptr(pivot), slot_ptr(dst), to_dst);
        cdt_move(slot_ptr(src), slot_ptr(pivot), to_pivot);
        int np = m_slot[pivot], ns = m_slot[src];
        m_slot[dst] = np;
        mn[np].slot = dst;
        mn[np].cap = to_dst;
        m_slot[pivot] = ns;
        mn[ns].slot = pivot;
        mn[ns].cap = to_pivot;
        m_slot[src] = -1;
    } else if (r < 65) {                                /* delete (rarely an empty slot) */
        int s = pick(rn(10) == 0 ? PICK_ANY : PICK_FULL, -1, -1);
        if (s < 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "delete %d", s);
        cte_delete(slot_ptr(s));
        if (m_slot[s] >= 0)
            m_delete(m_slot[s]);
    } else if (r < 72) {                                /* revoke */
        int s = pick(rn(10) == 0 ? PICK_ANY : PICK_FULL, -1, -1);
        if (s < 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "revoke %d", s);
        cte_revoke(slot_ptr(s));
        if (m_slot[s] >= 0)
            m_revoke(m_slot[s]);
    } else if (r < 94) {                                /* retype */
        int u = pick(PICK_UNTYPED, -1, -1), dst = pick(PICK_EMPTY, -1, -1);
        if (u < 0 || dst < 0)
            return;
        int uo = mn[m_slot[u]].obj, cand[8], n = 0;
        int lo = uo == O_UA ? 0 : uo == O_UB ? 8 : O_K0;
        int hi = uo == O_UK ? O_T : lo + 7;
        for (int o = lo; o <= hi; o++)
            if (m_count_obj(o) == 0)
                cand[n++] = o;
        if (n == 0)
            return;
        int o = cand[rn(n)];
        snprintf(cur_op, sizeof(cur_op), "retype object %d from %d into %d", o, u, dst);
        cap_t cap = new_object_cap(o);
        cdt_insert_child(slot_ptr(u), slot_ptr(dst), cap);
        m_insert_child(m_slot[u], dst, cap, o);
    } else {                                            /* a new untyped root */
        int o = O_UA + rn(3), dst = pick(PICK_EMPTY, -1, -1);
        if (dst < 0 || m_count_obj(o) > 0)
            return;
        snprintf(cur_op, sizeof(cur_op), "root untyped %d in %d", o, dst);
        cdt_insert_root(slot_ptr(dst), untyped_cap(o));
        m_insert_root(dst, untyped_cap(o), o);
    }
}

static void random_run(unsigned seed, int steps)
{
    memset(pool0, 0, sizeof(pool0));
    memset(pool1, 0, sizeof(pool1));
    memset(&karena, 0, sizeof(karena));
    memset(mn, 0, sizeof(mn));
    memset(m_fin, 0, sizeof(m_fin));
    memset(k_fin, 0, sizeof(k_fin));
    for (int s = 0; s < NSLOT; s++)
        m_slot[s] = -1;
    arena_reset();
    arena_add(pool0, 16);
    arena_add(pool1, 16);
    arena_add(karena.k0, 1 << KRADIX);
    arena_add(karena.k1, 1 << KRADIX);
    arena_add(karena.tcb.slots, ARRAY_SIZE(karena.tcb.slots));
    fin_reset();
    cur_seed = seed;
    rng = (seed + 1) * 0x9E3779B97F4A7C15ULL;
    for (int o = O_UA; o <= O_UK; o++) {
        int s = o - O_UA;
        cdt_insert_root(slot_ptr(s), untyped_cap(o));
        m_insert_root(s, untyped_cap(o), o);
    }
    for (cur_step = 0; cur_step < steps; cur_step++) {
        snprintf(cur_op, sizeof(cur_op), "nothing");
        random_step();
        verify();
    }
}

HOST_TEST(DELETE_0100)
{
    for (unsigned seed = 1; seed <= 20; seed++)
        random_run(seed, 5000);
}

/* Every deletion test again, each deletion stopped as often as possible. */
HOST_TEST(DELETE_0101)
{
    host_preempt = true;
    preempt_stops = 0;
    host_test_DELETE_0001();
    host_test_DELETE_0002();
    nested_delete(1000);
    host_test_DELETE_0005();
    host_test_DELETE_0006();
    host_test_DELETE_0007();
    host_test_DELETE_0008();
    host_test_DELETE_0009();
    host_test_DELETE_0010();
    host_test_DELETE_0011();
    for (unsigned seed = 1; seed <= 10; seed++)
        random_run(seed, 3000);
    host_preempt = false;
    preempt_units_for_mode();
    CHECK(preempt_stops > 10000);
}
