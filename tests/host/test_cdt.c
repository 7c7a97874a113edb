/*
 * kernel/core/cdt.c (+ cap.c, delete.c): the capability derivation tree —
 * insertion, parenthood, badge lineages, "last cap" detection, move, swap,
 * revoke (capabilities.md §4, §7, §10).
 *
 * Endpoint/notification caps name fake, never dereferenced, addresses.
 * Slot lists are written [a, b, c]: the tree's list order (cdt.h).
 */
#include <string.h>

#include "harness.h"
#include "cdt.h"
#include "delete.h"

/* Defined in test_delete.c (the object_finalise log and the link checker). */
void fin_reset(void);
size_t fin_count(void);
cap_t fin_get(size_t i);
size_t fin_count_of(cap_t c);
void arena_reset(void);
void arena_add(cte_t *slots, size_t n);
void check_links(void);

#define FAKE_BASE 0x200000000000UL
#define UT_BITS   20

static _Alignas(4096) cte_t cs[2048];

static cap_t ep(unsigned i, word_t badge)
{
    return cap_ipc_new(CAP_ENDPOINT, FAKE_BASE + (paddr_t)i * 64, RIGHTS_ALL, badge);
}

static cap_t nt(unsigned i, word_t badge)
{
    return cap_ipc_new(CAP_NOTIFICATION, FAKE_BASE + (paddr_t)i * 64,
                       RIGHT_READ | RIGHT_WRITE, badge);
}

/* Covers objects 0 .. 2^14 - 1. */
static cap_t ut(void)
{
    return cap_untyped_new(FAKE_BASE, UT_BITS, false, 0);
}

static void setup(void)
{
    memset(cs, 0, sizeof(cs));
    arena_reset();
    arena_add(cs, ARRAY_SIZE(cs));
    fin_reset();
}

/* The list from cs[idx[0]] is exactly cs[idx[0]], cs[idx[1]], ... */
static void expect_list(const int *idx, size_t n)
{
    CHECK(cdt_prev(&cs[idx[0]]) == NULL);
    for (size_t i = 0; i < n; i++) {
        cte_t *s = &cs[idx[i]];
        CHECK(!cap_is_null(s->cap));
        if (i > 0)
            CHECK_PTR_EQ(cdt_prev(s), &cs[idx[i - 1]]);
        if (i + 1 < n)
            CHECK_PTR_EQ(cdt_next(s), &cs[idx[i + 1]]);
        else
            CHECK(cdt_next(s) == NULL);
    }
    check_links();
}

#define EXPECT_LIST(...)                                                      \
    do {                                                                      \
        static const int l_[] = { __VA_ARGS__ };                              \
        expect_list(l_, ARRAY_SIZE(l_));                                      \
    } while (0)

static bool same_cap(cap_t a, cap_t b)
{
    return a.w0 == b.w0 && a.w1 == b.w1;
}

/* Number of slots cte_revoke would delete: the run the slot is parent of. */
static size_t descendants(const cte_t *s)
{
    size_t n = 0;
    for (cte_t *x = cdt_next(s); x != NULL && cdt_is_parent_of(s, x); x = cdt_next(x))
        n++;
    return n;
}

HOST_TEST(CDT_0001)
{
    /* Roots and objects made from an untyped. */
    setup();
    cdt_insert_root(&cs[0], ut());
    CHECK(cdt_revocable(&cs[0]) && cdt_first_badged(&cs[0]));
    CHECK(cdt_prev(&cs[0]) == NULL && cdt_next(&cs[0]) == NULL);
    CHECK(!cdt_has_children(&cs[0]));
    CHECK(cdt_is_final(&cs[0]));

    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_child(&cs[0], &cs[2], nt(1, 0));
    EXPECT_LIST(0, 2, 1);           /* a new child comes first */
    CHECK(same_cap(cs[1].cap, ep(0, 0)));
    CHECK(cdt_revocable(&cs[1]) && cdt_first_badged(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[2]));
    CHECK(!cdt_is_parent_of(&cs[2], &cs[1]));      /* different objects */
    CHECK(!cdt_is_parent_of(&cs[1], &cs[0]));
    CHECK(cdt_has_children(&cs[0]));
    CHECK(!cdt_has_children(&cs[2]));
    CHECK_EQ(descendants(&cs[0]), 2);
    CHECK(cdt_is_final(&cs[1]) && cdt_is_final(&cs[2]));

    /* Region containment: outside or straddling the end is not a child. */
    cte_t probe = { .cap = cap_ipc_new(CAP_ENDPOINT, FAKE_BASE + BIT(UT_BITS), 0xF, 0) };
    CHECK(!cdt_is_parent_of(&cs[0], &probe));
    probe.cap = cap_ipc_new(CAP_ENDPOINT, FAKE_BASE + BIT(UT_BITS) - 16, 0xF, 0);
    CHECK(cdt_is_parent_of(&cs[0], &probe));
    probe.cap = cap_ipc_new(CAP_NOTIFICATION, FAKE_BASE + BIT(UT_BITS) - 16, 0xF, 0);
    CHECK(!cdt_is_parent_of(&cs[0], &probe));      /* 32 bytes: straddles */
    probe.cap = cap_ipc_new(CAP_ENDPOINT, FAKE_BASE - 16, 0xF, 0);
    CHECK(!cdt_is_parent_of(&cs[0], &probe));

    /* A smaller untyped made from it: a child, and parent of what is inside it. */
    cdt_insert_child(&cs[0], &cs[3], cap_untyped_new(FAKE_BASE + 4096, 12, false, 0));
    cdt_insert_child(&cs[3], &cs[4], ep(64, 0));
    EXPECT_LIST(0, 3, 4, 2, 1);
    CHECK(cdt_is_parent_of(&cs[0], &cs[3]));
    CHECK(cdt_is_parent_of(&cs[3], &cs[4]));
    CHECK(!cdt_is_parent_of(&cs[3], &cs[2]));
    CHECK_EQ(descendants(&cs[3]), 1);
    CHECK_EQ(descendants(&cs[0]), 4);
    CHECK(cdt_is_final(&cs[3]));
}

HOST_TEST(CDT_0002)
{
    /* An original's copies are its children; a copy's copies are siblings. */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[2], cap_ipc_set_rights(ep(0, 0), RIGHT_READ));
    EXPECT_LIST(0, 1, 2);
    CHECK(!cdt_revocable(&cs[2]) && !cdt_first_badged(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[2]));
    cdt_insert_derived(&cs[2], &cs[3], ep(0, 0));
    EXPECT_LIST(0, 1, 2, 3);
    CHECK(!cdt_is_parent_of(&cs[2], &cs[3]));
    CHECK(!cdt_has_children(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[3]));
    cdt_insert_derived(&cs[1], &cs[4], ep(0, 0));
    cdt_insert_child(&cs[0], &cs[5], ep(1, 0));
    EXPECT_LIST(0, 5, 1, 4, 2, 3);
    CHECK_EQ(descendants(&cs[1]), 3);
    CHECK_EQ(descendants(&cs[5]), 0);
    CHECK_EQ(descendants(&cs[0]), 5);
    CHECK(!cdt_is_final(&cs[1]) && !cdt_is_final(&cs[3]));
    CHECK(cdt_is_final(&cs[5]));

    /* Revoke deletes exactly the descendants. */
    cte_revoke(&cs[1]);
    EXPECT_LIST(0, 5, 1);
    CHECK(cap_is_null(cs[2].cap) && cap_is_null(cs[3].cap) && cap_is_null(cs[4].cap));
    CHECK_EQ(fin_count(), 0);       /* the original is left: nothing destroyed */
    CHECK(cdt_is_final(&cs[1]));
    cte_revoke(&cs[1]);             /* nothing left to revoke */
    EXPECT_LIST(0, 5, 1);
    cte_revoke(&cs[0]);
    EXPECT_LIST(0);
    CHECK_EQ(fin_count(), 2);
    CHECK_EQ(fin_count_of(ep(0, 0)), 1);
    CHECK_EQ(fin_count_of(ep(1, 0)), 1);
}

HOST_TEST(CDT_0003)
{
    /* Badged lineages (capabilities.md §4). */
    setup();
    CHECK(cap_is_revocable(ep(0, 5), ep(0, 0)));
    CHECK(!cap_is_revocable(ep(0, 5), ep(0, 5)));
    CHECK(!cap_is_revocable(ep(0, 0), ep(0, 0)));
    CHECK(cap_is_revocable(nt(1, 3), nt(1, 0)));
    CHECK(!cap_is_revocable(nt(1, 3), nt(1, 3)));
    CHECK(cap_is_revocable(ut(), ut()));
    CHECK(!cap_is_revocable(cap_cnode_new((paddr_t)(uintptr_t)cs, 4, 0, 0),
                            cap_cnode_new((paddr_t)(uintptr_t)cs, 4, 0, 0)));

    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    /* Minting a badge from the unbadged original: a revocable child lineage. */
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 5));
    CHECK(cdt_revocable(&cs[2]) && cdt_first_badged(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[2]));
    /* Copies of a badged cap are its children; copies of those, siblings. */
    cdt_insert_derived(&cs[2], &cs[3], ep(0, 5));
    cdt_insert_derived(&cs[3], &cs[4], ep(0, 5));
    EXPECT_LIST(0, 1, 2, 3, 4);
    CHECK(!cdt_revocable(&cs[3]) && !cdt_first_badged(&cs[3]));
    CHECK(cdt_is_parent_of(&cs[2], &cs[3]));
    CHECK(cdt_is_parent_of(&cs[2], &cs[4]));
    CHECK(!cdt_is_parent_of(&cs[3], &cs[4]));
    CHECK_EQ(descendants(&cs[2]), 2);

    /* A second lineage with the same badge is not the first one's child. */
    cdt_insert_derived(&cs[1], &cs[5], ep(0, 5));
    EXPECT_LIST(0, 1, 5, 2, 3, 4);
    CHECK(!cdt_is_parent_of(&cs[5], &cs[2]));
    CHECK(!cdt_has_children(&cs[5]));
    cdt_insert_derived(&cs[5], &cs[6], ep(0, 5));
    CHECK_EQ(descendants(&cs[5]), 1);
    /* A different badge is not a child. */
    cdt_insert_derived(&cs[1], &cs[7], ep(0, 7));
    EXPECT_LIST(0, 1, 7, 5, 6, 2, 3, 4);
    CHECK(!cdt_is_parent_of(&cs[7], &cs[5]));
    CHECK(!cdt_has_children(&cs[7]));
    /* A mint from an unbadged copy: revocable, but the copy is no parent. */
    cdt_insert_derived(&cs[1], &cs[8], ep(0, 0));
    cdt_insert_derived(&cs[8], &cs[9], ep(0, 9));
    EXPECT_LIST(0, 1, 8, 9, 7, 5, 6, 2, 3, 4);
    CHECK(cdt_revocable(&cs[9]));
    CHECK(!cdt_is_parent_of(&cs[8], &cs[9]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[9]));
    /* Minting badge 0 leaves the cap unbadged: a plain copy. */
    cdt_insert_derived(&cs[1], &cs[10], ep(0, 0));
    CHECK(!cdt_revocable(&cs[10]));
    /* The unbadged original is the parent of every cap to the object. */
    CHECK_EQ(descendants(&cs[1]), 9);
    for (int i = 1; i <= 10; i++)
        CHECK(!cdt_is_final(&cs[i]));

    /* Revoking one lineage leaves the others. */
    cte_revoke(&cs[2]);
    EXPECT_LIST(0, 1, 10, 8, 9, 7, 5, 6, 2);
    cte_revoke(&cs[5]);
    EXPECT_LIST(0, 1, 10, 8, 9, 7, 5, 2);
    cte_revoke(&cs[9]);
    cte_revoke(&cs[7]);
    EXPECT_LIST(0, 1, 10, 8, 9, 7, 5, 2);
    cte_revoke(&cs[1]);
    EXPECT_LIST(0, 1);
    CHECK_EQ(fin_count(), 0);
}

HOST_TEST(CDT_0004)
{
    /*
     * "First badged" is inherited on removal: when a badged lineage's head
     * goes, its copies (now under the unbadged original) must not become
     * children of another lineage with the same badge that precedes them.
     */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 5));
    cdt_insert_derived(&cs[2], &cs[3], ep(0, 5));
    cdt_insert_derived(&cs[1], &cs[4], ep(0, 5));
    EXPECT_LIST(0, 1, 4, 2, 3);
    cte_delete(&cs[2]);
    EXPECT_LIST(0, 1, 4, 3);
    CHECK_EQ(fin_count(), 0);
    CHECK(cdt_first_badged(&cs[3]));
    CHECK(!cdt_revocable(&cs[3]));
    CHECK(!cdt_is_parent_of(&cs[4], &cs[3]));
    CHECK(!cdt_has_children(&cs[4]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[3]));
    cte_revoke(&cs[4]);
    EXPECT_LIST(0, 1, 4, 3);

    /* Removing a cap that is not first badged passes nothing on. */
    cdt_insert_derived(&cs[4], &cs[5], ep(0, 5));
    cdt_insert_derived(&cs[5], &cs[6], ep(0, 5));
    EXPECT_LIST(0, 1, 4, 5, 6, 3);
    cte_delete(&cs[5]);
    EXPECT_LIST(0, 1, 4, 6, 3);
    CHECK(!cdt_first_badged(&cs[6]));
    CHECK(cdt_is_parent_of(&cs[4], &cs[6]));
    CHECK_EQ(descendants(&cs[4]), 1);
    /* The inherited flag survives a further removal of its holder's successor. */
    cte_delete(&cs[4]);             /* first badged: cs[6] inherits */
    EXPECT_LIST(0, 1, 6, 3);
    CHECK(cdt_first_badged(&cs[6]) && cdt_first_badged(&cs[3]));
    cdt_insert_derived(&cs[1], &cs[7], ep(0, 5));
    EXPECT_LIST(0, 1, 7, 6, 3);
    CHECK(!cdt_has_children(&cs[7]));
    CHECK_EQ(descendants(&cs[1]), 3);
}

HOST_TEST(CDT_0005)
{
    /* "Last cap to the object" (cdt_is_final) looks at adjacent caps. */
    setup();
    cdt_insert_root(&cs[0], ep(0, 0));
    CHECK(cdt_is_final(&cs[0]));
    cdt_insert_derived(&cs[0], &cs[1], ep(0, 3));  /* the badge does not matter */
    CHECK(!cdt_is_final(&cs[0]) && !cdt_is_final(&cs[1]));
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 3));
    CHECK(!cdt_is_final(&cs[1]));
    cte_delete(&cs[1]);
    CHECK(!cdt_is_final(&cs[0]) && !cdt_is_final(&cs[2]));
    cte_delete(&cs[0]);
    CHECK(cdt_is_final(&cs[2]));
    CHECK_EQ(fin_count(), 0);

    /* Neighbours naming other objects do not count. */
    cdt_insert_root(&cs[10], ut());
    cdt_insert_child(&cs[10], &cs[11], ep(1, 0));
    cdt_insert_child(&cs[10], &cs[12], nt(1, 0));  /* same address, other type */
    cdt_insert_child(&cs[10], &cs[13], ep(2, 0));
    EXPECT_LIST(10, 13, 12, 11);
    CHECK(cdt_is_final(&cs[11]) && cdt_is_final(&cs[12]) && cdt_is_final(&cs[13]));

    /* Untyped caps are never the same object, not even as copies. */
    cdt_insert_root(&cs[20], ut());
    cdt_insert_derived(&cs[20], &cs[21], ut());
    EXPECT_LIST(20, 21);
    CHECK(cdt_is_parent_of(&cs[20], &cs[21]));
    CHECK(cdt_is_final(&cs[20]) && cdt_is_final(&cs[21]));

    /* CNode caps with different guards name the same CNode. */
    paddr_t cn = (paddr_t)(uintptr_t)&cs[1024];
    cdt_insert_root(&cs[30], cap_cnode_new(cn, 4, 0, 0));
    cdt_insert_derived(&cs[30], &cs[31], cap_cnode_new(cn, 4, 60, 0));
    CHECK(!cdt_is_final(&cs[30]) && !cdt_is_final(&cs[31]));
    CHECK(cdt_is_parent_of(&cs[30], &cs[31]));     /* the original's copy */
    CHECK(!cdt_is_parent_of(&cs[31], &cs[30]));

    /* Control caps are not the objects they hand out. */
    cdt_insert_root(&cs[40], cap_simple_new(CAP_IRQ_CONTROL));
    cdt_insert_derived(&cs[40], &cs[41], cap_irq_handler_new(5));
    CHECK(cdt_is_final(&cs[40]) && cdt_is_final(&cs[41]));
    cdt_insert_root(&cs[42], cap_simple_new(CAP_IO_PORT_CONTROL));
    cdt_insert_derived(&cs[42], &cs[43], cap_io_port_new(0x60, 0x64));
    CHECK(cdt_is_final(&cs[42]) && cdt_is_final(&cs[43]));

    /* Device and normal frames at one address are different objects. */
    cdt_insert_root(&cs[50], cap_frame_new(0x100000, 0, VM_RIGHTS_READ_WRITE, false, 0, 0));
    cdt_insert_derived(&cs[50], &cs[51],
                       cap_frame_new(0x100000, 0, VM_RIGHTS_READ_WRITE, true, 0, 0));
    CHECK(cdt_is_final(&cs[50]) && cdt_is_final(&cs[51]));
    cdt_insert_derived(&cs[51], &cs[52],
                       cap_frame_new(0x100000, 0, VM_RIGHTS_READ_ONLY, true, 0, 0));
    CHECK(!cdt_is_final(&cs[51]) && !cdt_is_final(&cs[52]));
    check_links();
}

HOST_TEST(CDT_0006)
{
    /* cdt_move keeps the tree position and the flags; the source is emptied. */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 0));
    cdt_insert_derived(&cs[2], &cs[3], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[4], ep(0, 6));
    EXPECT_LIST(0, 1, 4, 2, 3);
    word_t flags1 = cs[1].mdb.next & MDB_FLAGS, flags4 = cs[4].mdb.next & MDB_FLAGS;

    cdt_move(&cs[1], &cs[11], cap_ipc_set_rights(ep(0, 0), RIGHT_WRITE));   /* middle */
    EXPECT_LIST(0, 11, 4, 2, 3);
    CHECK(cap_is_null(cs[1].cap) && cs[1].mdb.prev == 0 && cs[1].mdb.next == 0);
    CHECK(same_cap(cs[11].cap, cap_ipc_set_rights(ep(0, 0), RIGHT_WRITE)));
    CHECK_EQ(cs[11].mdb.next & MDB_FLAGS, flags1);
    CHECK(cdt_is_parent_of(&cs[11], &cs[2]));
    cdt_move(&cs[4], &cs[14], cs[4].cap);
    CHECK_EQ(cs[14].mdb.next & MDB_FLAGS, flags4);
    cdt_move(&cs[3], &cs[13], cs[3].cap);           /* tail */
    cdt_move(&cs[0], &cs[10], cs[0].cap);           /* head */
    EXPECT_LIST(10, 11, 14, 2, 13);
    CHECK_EQ(descendants(&cs[10]), 4);
    CHECK_EQ(descendants(&cs[11]), 3);
    CHECK_EQ(descendants(&cs[14]), 0);
    /* Back and forth within neighbours. */
    cdt_move(&cs[2], &cs[3], cs[2].cap);
    cdt_move(&cs[3], &cs[2], cs[3].cap);
    EXPECT_LIST(10, 11, 14, 2, 13);
    /* A lone root moves as a lone root. */
    cdt_insert_root(&cs[20], ep(1, 0));
    cdt_move(&cs[20], &cs[21], cs[20].cap);
    EXPECT_LIST(21);
    CHECK(cdt_revocable(&cs[21]) && cdt_first_badged(&cs[21]));
    cte_revoke(&cs[11]);
    EXPECT_LIST(10, 11);
}

HOST_TEST(CDT_0007)
{
    /* cdt_swap: each cap keeps its place (flags included), also for neighbours. */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 0));
    cdt_insert_derived(&cs[2], &cs[3], ep(0, 0));
    cdt_insert_derived(&cs[3], &cs[4], ep(0, 0));
    cdt_insert_root(&cs[5], ep(1, 0));
    EXPECT_LIST(0, 1, 2, 3, 4);
    cap_t c1 = cs[1].cap, c5 = cs[5].cap;

    /* Not neighbours, different lists: the original E0 into cs[5]. */
    cdt_swap(&cs[1], c5, &cs[5], c1);
    EXPECT_LIST(0, 5, 2, 3, 4);
    EXPECT_LIST(1);
    CHECK(same_cap(cs[1].cap, c5) && same_cap(cs[5].cap, c1));
    CHECK(cdt_revocable(&cs[5]) && cdt_revocable(&cs[1]));
    CHECK_EQ(descendants(&cs[5]), 3);

    /* Neighbours, a before b: the copy in cs[2] and the copy in cs[3]. */
    cap_t r2 = cap_ipc_set_rights(ep(0, 0), RIGHT_READ);
    cap_t w3 = cap_ipc_set_rights(ep(0, 0), RIGHT_WRITE);
    cdt_swap(&cs[2], w3, &cs[3], r2);
    EXPECT_LIST(0, 5, 3, 2, 4);
    CHECK(same_cap(cs[2].cap, w3) && same_cap(cs[3].cap, r2));
    /* Neighbours, b before a. */
    cdt_swap(&cs[4], cs[2].cap, &cs[2], cs[4].cap);
    EXPECT_LIST(0, 5, 3, 4, 2);
    CHECK(same_cap(cs[4].cap, w3));

    /* Parent and child swapped: the parent's cap and position go together. */
    cap_t u = cs[0].cap, e0 = cs[5].cap;
    cdt_swap(&cs[0], e0, &cs[5], u);
    EXPECT_LIST(5, 0, 3, 4, 2);
    CHECK(same_cap(cs[5].cap, u) && same_cap(cs[0].cap, e0));
    CHECK(cdt_is_parent_of(&cs[5], &cs[0]));
    CHECK(cdt_revocable(&cs[0]) && cdt_first_badged(&cs[0]));
    CHECK(!cdt_revocable(&cs[3]));
    CHECK_EQ(descendants(&cs[5]), 4);
    CHECK_EQ(descendants(&cs[0]), 3);
    /* Head and tail of one list. */
    cdt_swap(&cs[5], cs[2].cap, &cs[2], cs[5].cap);
    EXPECT_LIST(2, 0, 3, 4, 5);
    CHECK_EQ(cap_get_type(cs[2].cap), CAP_UNTYPED);
    cte_revoke(&cs[0]);
    EXPECT_LIST(2, 0);
    CHECK_EQ(fin_count(), 0);
}

HOST_TEST(CDT_0008)
{
    /* Revoke with a wide fan-out deletes exactly the descendants. */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(1, 0));        /* a later sibling */
    cdt_insert_child(&cs[0], &cs[2], ep(0, 0));
    for (int i = 3; i < 1003; i++)                     /* copies of the original */
        cdt_insert_derived(i % 3 == 0 ? &cs[2] : &cs[i - 1], &cs[i], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[1500], ep(1, 0));
    CHECK_EQ(descendants(&cs[2]), 1000);
    CHECK_EQ(descendants(&cs[0]), 1003);
    check_links();
    cte_revoke(&cs[2]);
    EXPECT_LIST(0, 2, 1, 1500);
    CHECK_EQ(fin_count(), 0);
    for (int i = 3; i < 1003; i++)
        CHECK(cap_is_null(cs[i].cap));

    /* Many badged lineages: revoking one takes only its own copies. */
    for (int b = 1; b <= 300; b++) {
        int head = 2 + 3 * b;
        cdt_insert_derived(&cs[2], &cs[head], ep(0, (word_t)b % 150 + 1));  /* badges repeat */
        cdt_insert_derived(&cs[head], &cs[head + 1], ep(0, (word_t)b % 150 + 1));
        cdt_insert_derived(&cs[head + 1], &cs[head + 2], ep(0, (word_t)b % 150 + 1));
    }
    check_links();
    CHECK_EQ(descendants(&cs[2]), 900);
    CHECK_EQ(descendants(&cs[2 + 3 * 150]), 2);
    cte_revoke(&cs[2 + 3 * 150]);
    CHECK(cap_is_null(cs[3 + 3 * 150].cap) && cap_is_null(cs[4 + 3 * 150].cap));
    CHECK_EQ(descendants(&cs[2]), 898);
    CHECK_EQ(descendants(&cs[2 + 3 * 300]), 2);    /* same badge, other lineage */
    check_links();
    cte_revoke(&cs[0]);
    EXPECT_LIST(0);
    CHECK_EQ(fin_count(), 2);
}

HOST_TEST(CDT_0009)
{
    /* Deep chains: untyped copies (each the child of the previous one). */
    setup();
    cdt_insert_root(&cs[0], ut());
    for (int i = 1; i < 1000; i++)
        cdt_insert_derived(&cs[i - 1], &cs[i], ut());
    cdt_insert_child(&cs[999], &cs[1000], ep(7, 0));
    for (int i = 0; i < 1000; i += 111)
        CHECK_EQ(descendants(&cs[i]), (size_t)(1000 - i));
    CHECK(cdt_is_parent_of(&cs[500], &cs[501]));
    cte_revoke(&cs[500]);
    CHECK_EQ(fin_count(), 500);     /* 499 untyped caps and the endpoint */
    CHECK_EQ(fin_count_of(ep(7, 0)), 1);
    CHECK(cdt_next(&cs[500]) == NULL);
    CHECK_EQ(descendants(&cs[0]), 500);
    for (int i = 501; i <= 1000; i++)
        CHECK(cap_is_null(cs[i].cap));
    check_links();

    /*
     * Nested untypeds, halving each time, each with an endpoint made from
     * it at its top end (outside the next level): revoking a middle level
     * takes the deeper levels and their endpoints, not the level's siblings.
     */
    setup();
    cdt_insert_root(&cs[0], ut());
    int cur = 0, next = 1;
    for (unsigned bits = UT_BITS; bits > 7; bits--) {
        paddr_t top = FAKE_BASE + BIT(bits) - 64;
        cdt_insert_child(&cs[cur], &cs[next + 1], ep((unsigned)((top - FAKE_BASE) / 64), 0));
        cdt_insert_child(&cs[cur], &cs[next], cap_untyped_new(FAKE_BASE, bits - 1, false, 0));
        cur = next;
        next += 2;
    }
    /*
     * cs[0] U20, cs[1] U19, cs[2] E at the top of U20, cs[3] U18, cs[4] E at
     * the top of U19, ...: the list is 0, 1, 3, 5, ..., 25, 26, 24, ..., 4, 2.
     */
    CHECK_EQ(next, 27);
    CHECK_EQ(descendants(&cs[0]), 26);
    CHECK_EQ(descendants(&cs[5]), 20);      /* slots 7 .. 26 */
    CHECK(!cdt_is_parent_of(&cs[5], &cs[6]));
    cte_revoke(&cs[5]);
    CHECK_EQ(fin_count(), 20);
    CHECK(cap_is_null(cs[7].cap) && cap_is_null(cs[26].cap) && cap_is_null(cs[8].cap));
    EXPECT_LIST(0, 1, 3, 5, 6, 4, 2);
}

HOST_TEST(CDT_0010)
{
    /* IRQ handlers and I/O ports: the first cap from the control cap is an original. */
    setup();
    cdt_insert_root(&cs[0], cap_simple_new(CAP_IRQ_CONTROL));
    cdt_insert_derived(&cs[0], &cs[1], cap_irq_handler_new(5));
    CHECK(cdt_revocable(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[1]));
    cdt_insert_derived(&cs[1], &cs[2], cap_irq_handler_new(5));
    CHECK(!cdt_revocable(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[2]));
    cdt_insert_derived(&cs[0], &cs[3], cap_irq_handler_new(6));
    EXPECT_LIST(0, 3, 1, 2);
    CHECK(!cdt_is_parent_of(&cs[3], &cs[1]));
    CHECK(!cdt_has_children(&cs[3]));
    CHECK(cdt_has_children(&cs[1]));
    CHECK(cdt_is_final(&cs[3]) && !cdt_is_final(&cs[1]));
    CHECK_EQ(descendants(&cs[0]), 3);
    cte_revoke(&cs[1]);
    EXPECT_LIST(0, 3, 1);
    CHECK_EQ(fin_count(), 0);
    cte_revoke(&cs[0]);
    EXPECT_LIST(0);
    CHECK_EQ(fin_count(), 2);

    cdt_insert_root(&cs[10], cap_simple_new(CAP_IO_PORT_CONTROL));
    cdt_insert_derived(&cs[10], &cs[11], cap_io_port_new(0x3F8, 0x3FF));
    cdt_insert_derived(&cs[11], &cs[12], cap_io_port_new(0x3F8, 0x3FF));
    CHECK(cdt_revocable(&cs[11]) && !cdt_revocable(&cs[12]));
    CHECK(cdt_is_parent_of(&cs[11], &cs[12]));
    CHECK(!cdt_is_final(&cs[11]));
    /* has_children is false for a non-original followed by a copy. */
    CHECK(!cdt_has_children(&cs[12]));
    cdt_insert_derived(&cs[12], &cs[13], cap_io_port_new(0x3F8, 0x3FF));
    CHECK(!cdt_has_children(&cs[12]));
    CHECK_EQ(descendants(&cs[11]), 2);
    check_links();
}

HOST_TEST(CDT_0011)
{
    /* cdt_remove on its own: unlinks and empties, no finalisation. */
    setup();
    cdt_insert_root(&cs[0], ut());
    cdt_insert_child(&cs[0], &cs[1], ep(0, 0));
    cdt_insert_derived(&cs[1], &cs[2], ep(0, 0));
    cdt_remove(&cs[1]);
    EXPECT_LIST(0, 2);
    CHECK(cap_is_null(cs[1].cap) && cs[1].mdb.prev == 0 && cs[1].mdb.next == 0);
    CHECK(cdt_first_badged(&cs[2]));    /* inherited, harmless when unbadged */
    CHECK(!cdt_revocable(&cs[2]));
    cdt_remove(&cs[0]);
    EXPECT_LIST(2);
    cdt_remove(&cs[2]);
    CHECK_EQ(fin_count(), 0);
    check_links();
}
