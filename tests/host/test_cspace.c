/* kernel/core/cspace.c: CPtr resolution and lookup faults (capabilities.md §1). */
#include <string.h>

#include "harness.h"
#include "cspace.h"

/*
 * CNodes live in static arrays: with -no-pie their addresses are small enough
 * for the 40-bit (address >> 6) field of a CNode cap, and the host's
 * arch/layout.h makes paddr_to_kptr() the identity.
 */
static _Alignas(64) cte_t cn_a[16];
static _Alignas(64) cte_t cn_b[16];
static _Alignas(64) cte_t cn_c[256];
static _Alignas(64) cte_t cn_big[8192];

static void reset(void)
{
    memset(cn_a, 0, sizeof(cn_a));
    memset(cn_b, 0, sizeof(cn_b));
    memset(cn_c, 0, sizeof(cn_c));
    memset(cn_big, 0, sizeof(cn_big));
}

static cap_t cnode(cte_t *slots, unsigned radix, unsigned guard_size, word_t guard)
{
    paddr_t pa = (paddr_t)(uintptr_t)slots;
    CHECK(pa < BIT(CNODE_PTR_BITS + CNODE_PTR_ALIGN));
    CHECK_EQ(pa & MASK(CNODE_PTR_ALIGN), 0);
    cap_t c = cap_cnode_new(pa, radix, guard_size, guard);
    CHECK_PTR_EQ(cap_cnode_slots(c), slots);
    return c;
}

#define CHECK_SLOT(r, s, remaining)                                           \
    do {                                                                      \
        lookup_result_t r_ = (r);                                             \
        CHECK_EQ(r_.fault.type, LOOKUP_NO_FAILURE);                           \
        CHECK_PTR_EQ(r_.slot, (s));                                           \
        CHECK_EQ(r_.bits_remaining, (remaining));                             \
    } while (0)

#define CHECK_FAULT(r, ftype, left, found, guard)                             \
    do {                                                                      \
        lookup_result_t r_ = (r);                                             \
        CHECK(r_.slot == NULL);                                               \
        CHECK_EQ(r_.fault.type, (ftype));                                     \
        CHECK_EQ(r_.fault.bits_left, (left));                                 \
        CHECK_EQ(r_.fault.bits_found, (found));                               \
        CHECK_EQ(r_.fault.guard_found, (guard));                              \
    } while (0)

HOST_TEST(CSPACE_0001)
{
    /* One level: radix 4, guard 60 bits of 0 -> CPtr k is slot k. */
    reset();
    cap_t root = cnode(cn_a, 4, 60, 0);
    for (word_t k = 0; k < 16; k++)
        CHECK_SLOT(cspace_lookup_slot(root, k), &cn_a[k], 0);
    CHECK_FAULT(cspace_lookup_slot(root, 16), LOOKUP_GUARD_MISMATCH, 64, 60, 0);
    CHECK_FAULT(cspace_lookup_slot(root, BIT(63)), LOOKUP_GUARD_MISMATCH, 64, 60, 0);
    CHECK_FAULT(cspace_lookup_slot(root, ~(word_t)0), LOOKUP_GUARD_MISMATCH, 64, 60, 0);
}

HOST_TEST(CSPACE_0002)
{
    /* A non-zero guard at an explicit depth; bits above the depth are ignored. */
    reset();
    cap_t node = cnode(cn_b, 3, 5, 0x15);
    CHECK_SLOT(cspace_resolve(node, (0x15 << 3) | 6, 8), &cn_b[6], 0);
    CHECK_SLOT(cspace_resolve(node, 0xFF00 | (0x15 << 3) | 6, 8), &cn_b[6], 0);
    /* The fault reports the cap's guard, not the bits found in the CPtr. */
    CHECK_FAULT(cspace_resolve(node, (0x14 << 3) | 6, 8), LOOKUP_GUARD_MISMATCH, 8, 5, 0x15);
    /* The same node at a higher depth: guard and index move up. */
    CHECK_SLOT(cspace_resolve(node, ((0x15 << 3) | 2) << 8, 16), &cn_b[2], 8);
}

HOST_TEST(CSPACE_0003)
{
    /* Depth mismatch; depth 0; depth smaller than the guard. */
    reset();
    cap_t node = cnode(cn_a, 4, 2, 1);
    CHECK_FAULT(cspace_resolve(node, 1 << 3, 5), LOOKUP_DEPTH_MISMATCH, 5, 6, 0);
    CHECK_FAULT(cspace_resolve(node, 0, 1), LOOKUP_GUARD_MISMATCH, 1, 2, 1);
    CHECK_FAULT(cspace_resolve(node, 0, 0), LOOKUP_GUARD_MISMATCH, 0, 2, 1);
    cap_t unguarded = cnode(cn_a, 4, 0, 0);
    CHECK_FAULT(cspace_resolve(unguarded, 0, 0), LOOKUP_DEPTH_MISMATCH, 0, 4, 0);
    CHECK_FAULT(cspace_resolve(unguarded, ~(word_t)0, 3), LOOKUP_DEPTH_MISMATCH, 3, 4, 0);
    CHECK_SLOT(cspace_resolve(unguarded, ~(word_t)0, 4), &cn_a[15], 0);
}

HOST_TEST(CSPACE_0004)
{
    /* Guard + radix beyond 64 bits, and exactly 64 with a 63-bit guard. */
    reset();
    cap_t wide = cnode(cn_a, 4, 63, 0x2A);
    CHECK_FAULT(cspace_lookup_slot(wide, 0x2A << 1), LOOKUP_DEPTH_MISMATCH, 64, 67, 0);
    CHECK_FAULT(cspace_lookup_slot(wide, 0x2B << 1), LOOKUP_GUARD_MISMATCH, 64, 63, 0x2A);
    CHECK_FAULT(cspace_resolve(wide, 0, 62), LOOKUP_GUARD_MISMATCH, 62, 63, 0x2A);

    word_t all_ones = MASK(63);
    cap_t exact = cnode(cn_a, 1, 63, all_ones);
    CHECK_SLOT(cspace_lookup_slot(exact, ~(word_t)0), &cn_a[1], 0);
    CHECK_SLOT(cspace_lookup_slot(exact, ~(word_t)0 - 1), &cn_a[0], 0);
    CHECK_FAULT(cspace_lookup_slot(exact, 1), LOOKUP_GUARD_MISMATCH, 64, 63, all_ones);

    /* Maximum field values: radix 63 + guard 63 is a depth mismatch, never a huge index. */
    cap_t max = cnode(cn_a, 63, 63, 0);
    CHECK_FAULT(cspace_lookup_slot(max, 0), LOOKUP_DEPTH_MISMATCH, 64, 126, 0);
}

/* root (radix 4) -> slot 3: B (guard 0xA/4, radix 4) -> slot 7: C (guard 0/44, radix 8). */
static cap_t three_levels(void)
{
    reset();
    cap_t root = cnode(cn_a, 4, 0, 0);
    cn_a[3].cap = cnode(cn_b, 4, 4, 0xA);
    cn_b[7].cap = cnode(cn_c, 8, 44, 0);
    return root;
}

HOST_TEST(CSPACE_0005)
{
    /* Multi-level resolution, full and partial depth. */
    cap_t root = three_levels();
    CHECK_SLOT(cspace_lookup_slot(root, 0x3A70000000000042UL), &cn_c[0x42], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0x3A700000000000FFUL), &cn_c[0xFF], 0);
    /* Depth 12 ends at B's slot 7 even though it holds a CNode cap. */
    CHECK_SLOT(cspace_resolve(root, 0x3A7, 12), &cn_b[7], 0);
    CHECK_EQ(cap_get_type(cn_b[7].cap), CAP_CNODE);
    /* Depth 4 ends at the root's slot 3. */
    CHECK_SLOT(cspace_resolve(root, 0x3, 4), &cn_a[3], 0);
    /* Depth 8: B's guard matches in the 4 bits left, its index does not fit. */
    CHECK_FAULT(cspace_resolve(root, 0x3A, 8), LOOKUP_DEPTH_MISMATCH, 4, 8, 0);
    /* Depth 6: B's guard itself does not fit in the 2 bits left. */
    CHECK_FAULT(cspace_resolve(root, 0xE, 6), LOOKUP_GUARD_MISMATCH, 2, 4, 0xA);
}

HOST_TEST(CSPACE_0006)
{
    /* Guard mismatches at the second and third levels report bits left there. */
    cap_t root = three_levels();
    CHECK_FAULT(cspace_lookup_slot(root, 0x3B70000000000042UL), LOOKUP_GUARD_MISMATCH,
                60, 4, 0xA);
    CHECK_FAULT(cspace_lookup_slot(root, 0x3A70000000100042UL), LOOKUP_GUARD_MISMATCH,
                52, 44, 0);
    CHECK_FAULT(cspace_lookup_slot(root, 0x3A78000000000042UL), LOOKUP_GUARD_MISMATCH,
                52, 44, 0);
}

HOST_TEST(CSPACE_0007)
{
    /* Stopping early at a non-CNode cap or an empty slot, with bits remaining. */
    cap_t root = three_levels();
    cn_a[5].cap = cap_addr_new(CAP_ENDPOINT, 0x1000);
    CHECK_SLOT(cspace_lookup_slot(root, 0x5123456789ABCDEFUL), &cn_a[5], 60);
    CHECK_SLOT(cspace_lookup_slot(root, 0x6000000000000000UL), &cn_a[6], 60);
    CHECK_EQ(cap_get_type(cn_a[6].cap), CAP_NULL);
    cn_b[9].cap = cap_frame_new(0x200000, 0, VM_RIGHTS_READ_WRITE, false, 0, 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0x3A9FFFFFFFFFFFFFUL), &cn_b[9], 52);
    /* At an explicit depth the same holds. */
    CHECK_SLOT(cspace_resolve(root, 0x3A9F, 16), &cn_b[9], 4);
}

HOST_TEST(CSPACE_0008)
{
    /* Invalid roots: anything but a CNode cap. */
    reset();
    CHECK_FAULT(cspace_lookup_slot(cap_null(), 0), LOOKUP_INVALID_ROOT, 64, 0, 0);
    CHECK_FAULT(cspace_resolve(cap_addr_new(CAP_ENDPOINT, 0x1000), 5, 13),
                LOOKUP_INVALID_ROOT, 13, 0, 0);
    CHECK_FAULT(cspace_lookup_slot(cap_simple_new(CAP_IRQ_CONTROL), 1),
                LOOKUP_INVALID_ROOT, 64, 0, 0);
    CHECK_FAULT(cspace_lookup_slot(cap_untyped_new(0x100000, 20, false, 0), 1),
                LOOKUP_INVALID_ROOT, 64, 0, 0);
}

HOST_TEST(CSPACE_0009)
{
    /* The root task's root CNode (config Q): radix 13, guard 51 bits of 0. */
    reset();
    cap_t root = cnode(cn_big, 13, 51, 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0), &cn_big[0], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 100), &cn_big[100], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 8191), &cn_big[8191], 0);
    CHECK_FAULT(cspace_lookup_slot(root, 8192), LOOKUP_GUARD_MISMATCH, 64, 51, 0);
    /* syscalls.md §5.1: depth 13 fails with a guard mismatch. */
    CHECK_FAULT(cspace_resolve(root, 100, 13), LOOKUP_GUARD_MISMATCH, 13, 51, 0);
    CHECK_SLOT(cspace_resolve(root, 100, 64), &cn_big[100], 0);
}

HOST_TEST(CSPACE_0010)
{
    /* Radix and guard-size combinations, each at its exact depth and 4 bits deeper. */
    static const unsigned radixes[] = { 1, 2, 5, 8 };
    static const unsigned guards[] = { 0, 1, 3, 13, 40, 56 };
    const word_t pattern = 0xA5C3F00F5AA5C33CUL;
    for (unsigned ri = 0; ri < ARRAY_SIZE(radixes); ri++) {
        for (unsigned gi = 0; gi < ARRAY_SIZE(guards); gi++) {
            unsigned r = radixes[ri], g = guards[gi];
            if (g + r + 4 > 64)
                continue;
            reset();
            word_t guard = pattern & MASK(g);
            cap_t node = cnode(cn_c, r, g, guard);
            word_t indices[] = { 0, 1, MASK(r) };
            for (unsigned ii = 0; ii < ARRAY_SIZE(indices); ii++) {
                word_t idx = indices[ii];
                word_t cptr = (guard << r) | idx;
                CHECK_SLOT(cspace_resolve(node, cptr, g + r), &cn_c[idx], 0);
                CHECK_SLOT(cspace_resolve(node, (cptr << 4) | 0xF, g + r + 4), &cn_c[idx], 4);
                if (g > 0)
                    CHECK_FAULT(cspace_resolve(node, cptr ^ BIT(g + r - 1), g + r),
                                LOOKUP_GUARD_MISMATCH, g + r, g, guard);
            }
        }
    }
}

HOST_TEST(CSPACE_0011)
{
    /* A CNode holding a cap to itself: every step consumes bits, so it ends. */
    reset();
    cap_t root = cnode(cn_a, 4, 0, 0);
    cn_a[0].cap = root;
    cn_a[9].cap = root;
    CHECK_SLOT(cspace_lookup_slot(root, 0), &cn_a[0], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0x9999999999999999UL), &cn_a[9], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0x9990000000000000UL), &cn_a[0], 0);
    CHECK_SLOT(cspace_lookup_slot(root, 0x9995000000000000UL), &cn_a[5], 48);
}
