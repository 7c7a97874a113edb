/*
 * kernel/core/invariants_objects.c: the invariant checker's object and
 * queue checks. Each test builds a small consistent state (an untyped over
 * a static arena, objects made from it, threads and an endpoint), checks
 * that it passes, then breaks one thing and expects that violation.
 */
#include <string.h>

#include "harness.h"
#include "invariants.h"
#include "cdt.h"
#include "ipc.h"
#include "asid.h"

#define ARENA_BITS 16

static _Alignas(1 << ARENA_BITS) uint8_t arena[1 << ARENA_BITS];
static cte_t anchor;
static cte_t slots[16];
static unsigned used_slots;

static paddr_t at(word_t offset)
{
    return (paddr_t)(uintptr_t)(arena + offset);
}

static tcb_t *tcb_at(word_t offset)
{
    return (tcb_t *)(arena + offset);
}

static cte_t *new_slot(void)
{
    CHECK(used_slots < ARRAY_SIZE(slots));
    return &slots[used_slots++];
}

/* The untyped over the whole arena, first in the list, watermark at `used`. */
static cte_t *reset(word_t used)
{
    memset(arena, 0, sizeof(arena));
    memset(slots, 0, sizeof(slots));
    memset(&anchor, 0, sizeof(anchor));
    used_slots = 0;
    cte_t *ut = new_slot();
    ut->cap = cap_untyped_new(at(0), ARENA_BITS, false, used);
    cdt_link_after(&anchor, ut, MDB_REVOCABLE);
    return ut;
}

/* A cap made from the untyped (a child, right after it in the list). */
static cte_t *child(cte_t *parent, cap_t cap)
{
    cte_t *s = new_slot();
    cdt_insert_child(parent, s, cap);
    return s;
}

/* A cap the kernel made outside any untyped (boot objects): a root. */
static cte_t *root(cap_t cap)
{
    cte_t *s = new_slot();
    s->cap = cap;
    cdt_link_after(&anchor, s, MDB_REVOCABLE);
    return s;
}

static cap_t endpoint_cap(word_t offset)
{
    return cap_ipc_new(CAP_ENDPOINT, at(offset), RIGHTS_ALL, 0);
}

static void expect_objects(const char *what)
{
    inv_result_t res;
    inv_violation_t v = { 0 };
    bool ok = inv_check_objects(&anchor, &res, &v);
    if (what == NULL) {
        if (!ok)
            host_fail(__FILE__, __LINE__, "unexpected violation: %s", v.what);
        return;
    }
    CHECK(!ok);
    CHECK_STR(v.what, what);
}

static void expect_threads(word_t ready, const char *what)
{
    inv_result_t res;
    inv_violation_t v = { 0 };
    CHECK(inv_check_objects(&anchor, &res, &v));
    bool ok = inv_check_threads(ready, &v);
    if (what == NULL) {
        if (!ok)
            host_fail(__FILE__, __LINE__, "unexpected violation: %s", v.what);
        return;
    }
    CHECK(!ok);
    CHECK_STR(v.what, what);
}

/* Objects that overlap: two caps to different objects share memory. */
HOST_TEST(INVARIANTS_0001)
{
    cte_t *ut = reset(8192);
    child(ut, cap_thread_new(tcb_at(0)));
    child(ut, endpoint_cap(2048));
    child(ut, endpoint_cap(2064));
    /* Copies of one object are the same object, not an overlap. */
    cte_t *ep = child(ut, endpoint_cap(4096));
    cdt_insert_derived(ep, new_slot(), ep->cap);
    expect_objects(NULL);

    child(ut, endpoint_cap(1024));      /* inside the TCB */
    expect_objects("two different objects overlap");
}

/* An object made from an untyped above its watermark. */
HOST_TEST(INVARIANTS_0002)
{
    cte_t *ut = reset(4096);
    child(ut, endpoint_cap(4080));
    expect_objects(NULL);
    child(ut, endpoint_cap(4096));
    expect_objects("an object derived from an untyped lies above its watermark");
}

/* An object lying inside an untyped that it was not made from. */
HOST_TEST(INVARIANTS_0003)
{
    cte_t *ut = reset(4096);
    child(ut, endpoint_cap(0));
    expect_objects(NULL);
    /* A kernel boot object outside every untyped is fine... */
    static _Alignas(16) endpoint_t outside;
    root(cap_ipc_new(CAP_ENDPOINT, (paddr_t)(uintptr_t)&outside, RIGHTS_ALL, 0));
    expect_objects(NULL);
    /* ...one inside an untyped's region is not. */
    root(endpoint_cap(32768));
    expect_objects("an object inside an untyped is not derived from one");
}

/* Nested untypeds: what lies in the inner one must be made from it. */
HOST_TEST(INVARIANTS_0004)
{
    cte_t *ut = reset(16384);
    cte_t *inner = child(ut, cap_untyped_new(at(8192), 13, false, 64));
    child(inner, endpoint_cap(8192));
    child(ut, endpoint_cap(0));
    expect_objects(NULL);
    /* Made from the outer untyped, below its watermark, but inside the inner one. */
    child(ut, endpoint_cap(12288));
    expect_objects("an object inside an untyped was made from another untyped");
}

/* Untypeds overlap without nesting; an untyped's watermark beyond its size. */
HOST_TEST(INVARIANTS_0005)
{
    cte_t *ut = reset(16384);
    cte_t *inner = child(ut, cap_untyped_new(at(8192), 13, false, 0));
    expect_objects(NULL);
    inner->cap = cap_untyped_new(at(8192), 13, false, 16384);
    expect_objects("untyped watermark beyond its size");

    ut = reset(65536);
    /* A root untyped that starts inside another and runs past its end. */
    root(cap_untyped_new(at(0) + 65536 - 4096, 13, false, 0));
    expect_objects("an object straddles the end of an untyped");
}

/* Threads blocked on an endpoint are in its queue, and only they are. */
HOST_TEST(INVARIANTS_0006)
{
    cte_t *ut = reset(8192);
    tcb_t *a = tcb_at(0), *b = tcb_at(2048);
    endpoint_t *ep = (endpoint_t *)(arena + 4096);
    child(ut, cap_thread_new(a));
    child(ut, cap_thread_new(b));
    child(ut, endpoint_cap(4096));
    expect_threads(0, NULL);

    thread_queue_t q = { NULL, NULL };
    a->state = THREAD_BLOCKED_ON_SEND;
    a->blocked.object = at(4096);
    queue_append(&q, a);
    ep_set(ep, q, EP_SEND);
    expect_threads(0, NULL);

    /* b says it waits on the endpoint but is not in the queue. */
    b->state = THREAD_BLOCKED_ON_SEND;
    b->blocked.object = at(4096);
    expect_threads(0, "a thread blocked on an object is not in its queue");

    queue_append(&q, b);
    ep_set(ep, q, EP_SEND);
    expect_threads(0, NULL);

    /* b stops waiting but stays linked in the queue. */
    b->state = THREAD_RUNNING;
    expect_threads(0, "a thread that waits in no queue has queue links");
}

/* Queue loops, and the ready queues against the queued flags. */
HOST_TEST(INVARIANTS_0007)
{
    cte_t *ut = reset(8192);
    tcb_t *a = tcb_at(0), *b = tcb_at(2048);
    endpoint_t *ep = (endpoint_t *)(arena + 4096);
    child(ut, cap_thread_new(a));
    child(ut, cap_thread_new(b));
    child(ut, endpoint_cap(4096));

    thread_queue_t q = { NULL, NULL };
    a->state = b->state = THREAD_BLOCKED_ON_RECEIVE;
    a->blocked.object = b->blocked.object = at(4096);
    queue_append(&q, a);
    queue_append(&q, b);
    ep_set(ep, q, EP_RECV);
    expect_threads(0, NULL);
    b->ipc_next = a;                    /* a loop */
    expect_threads(0, "a queue holds more threads than exist (a loop)");

    reset(8192);
    a = tcb_at(0);
    child(&slots[0], cap_thread_new(a));
    a->state = THREAD_RUNNING;
    a->queued = true;
    expect_threads(1, NULL);
    expect_threads(0, "threads marked queued and threads in the ready queues differ");
}

/* ------------------------------------------------------------------------ */
/* Mappings (kernel/core/invariants_vspace.c) over a fake page-table walk    */
/* ------------------------------------------------------------------------ */

struct fake_entry {
    unsigned level;
    vaddr_t va;
    paddr_t target;
    bool page;
};

static paddr_t fake_root;
static struct fake_entry fake[8];
static unsigned nfake;

/* The host's arch_vspace_walk: the entries above, for the one fake root. */
bool arch_vspace_walk(paddr_t root, arch_vspace_visit_t visit, void *ctx)
{
    if (root != fake_root)
        return true;
    for (unsigned i = 0; i < nfake; i++) {
        if (!visit(ctx, fake[i].level, fake[i].va, fake[i].target, fake[i].page))
            return false;
    }
    return true;
}

static _Alignas(4096) paddr_t asid_pool[ASID_POOL_ENTRIES];

static void expect_mappings(const char *what)
{
    inv_result_t res = { 0 };
    inv_violation_t v = { 0 };
    bool ok = inv_check_mappings(&anchor, &res, &v);
    if (what == NULL) {
        if (!ok)
            host_fail(__FILE__, __LINE__, "unexpected violation: %s", v.what);
        return;
    }
    CHECK(!ok);
    CHECK_STR(v.what, what);
}

/* ASID 1 names a VSpace holding a page table at 4 MiB and a frame in it. */
static void vspace_setup(void)
{
    reset(0);
    memset(asid_pool, 0, sizeof(asid_pool));
    asid_pool_install(0, (paddr_t)(uintptr_t)asid_pool);
    fake_root = 0x7000;
    asid_assign(1, fake_root);
    nfake = 0;
    fake[nfake++] = (struct fake_entry){ 2, 0x400000, 0x9000, false };
    fake[nfake++] = (struct fake_entry){ 3, 0x400000, 0xA000, true };
    root(cap_set_mapping(cap_addr_new(CAP_PAGE_TABLE, 0x9000), 0x400000, 1));
    root(cap_frame_new(0xA000, 0, VM_RIGHTS_READ_WRITE, false, 0x400000, 1));
}

/* Every present entry needs a cap that says it is mapped there. */
HOST_TEST(INVARIANTS_0008)
{
    vspace_setup();
    /* A stale cap (its table went away) is allowed: the converse is not required. */
    root(cap_frame_new(0xB000, 0, VM_RIGHTS_READ_WRITE, false, 0x800000, 1));
    expect_mappings(NULL);

    /* A frame mapped with no cap saying so. */
    fake[nfake++] = (struct fake_entry){ 3, 0x401000, 0xC000, true };
    expect_mappings("a VSpace maps a frame that no cap says is mapped there");

    /* The cap says another ASID. */
    nfake--;
    slots[2].cap = cap_frame_new(0xA000, 0, VM_RIGHTS_READ_WRITE, false, 0x400000, 2);
    expect_mappings("a VSpace maps a frame that no cap says is mapped there");

    /* A table entry whose table has no cap mapped there. */
    vspace_setup();
    slots[1].cap = cap_set_mapping(cap_addr_new(CAP_PAGE_TABLE, 0x9000), 0x600000, 1);
    expect_mappings("a VSpace holds a table that no cap says is mapped there");

    /* A 2 MiB frame cap does not justify a 4 KiB entry at its address. */
    vspace_setup();
    slots[2].cap = cap_frame_new(0xA000, 1, VM_RIGHTS_READ_WRITE, false, 0x400000, 1);
    expect_mappings("a VSpace maps a frame that no cap says is mapped there");

    /* A cap's own mapping fields: aligned to what it maps, in the user half. */
    vspace_setup();
    root(cap_frame_new(0x200000, 1, VM_RIGHTS_READ_WRITE, false, 0x401000, 1));
    expect_mappings("a cap says it is mapped at an address it cannot be mapped at");
    asid_pool_remove((paddr_t)(uintptr_t)asid_pool);
}

/* Every cap in a CNode slot is in the list; empty slots are not linked. */
HOST_TEST(INVARIANTS_0009)
{
    cte_t *ut = reset(4096);
    cte_t *cnode = (cte_t *)(arena + 0);            /* 16 slots: 512 bytes */
    cte_t *ep = child(ut, endpoint_cap(1024));
    child(ut, cap_cnode_new(at(0), 4, 0, 0));       /* before ep in the list */
    cdt_insert_derived(ep, &cnode[3], ep->cap);
    cdt_insert_derived(&cnode[3], &cnode[7], ep->cap);
    expect_objects(NULL);

    /* The list is cut before slot 7: the walk from the anchor misses it. */
    cdt_set_next(&cnode[3], NULL);
    expect_objects("a cap in a slot is not linked into the derivation tree");
    cdt_set_next(&cnode[3], &cnode[7]);
    expect_objects(NULL);

    cnode[9].mdb.prev = (word_t)&cnode[3];
    expect_objects("an empty slot has derivation-tree links");
}
