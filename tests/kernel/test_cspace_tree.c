/*
 * CSPACE_0020..: big derivation trees (capabilities.md §4, §5 Revoke, §10;
 * objects.md §3.2 step 4). 10,000 caps live in one CNode of 2^14 slots;
 * each tree is removed with a single seL4_CNode_Revoke, after which the
 * untyped it came from must be reusable at its full size (a Retype resets
 * the watermark only when the untyped has no CDT descendant left, so a
 * single surviving cap would make the full-size Retype fail).
 */
#include <stdio.h>
#include "util.h"

#define BIG_RADIX 14
#define BIG_SLOTS (1UL << BIG_RADIX)
#define NCAPS 10000UL

/* Every slot of the big CNode is empty: 64 windows of 256 (util.h). */
static test_result_t big_is_empty(seL4_CPtr probe_ut, seL4_CPtr big)
{
    for (seL4_Word off = 0; off < BIG_SLOTS; off += 256) {
        int r = window_empty(probe_ut, big, 0, 0, off, 256);
        EXPECT(r == 1, "slots [%lu, %lu) of the big CNode: %s", (unsigned long)off,
               (unsigned long)(off + 256), r == 0 ? "still occupied" : "probe failed");
    }
    return PASS;
}

static test_result_t make_big(seL4_CPtr *big)
{
    seL4_CPtr ut = ut_carve(BIG_RADIX + seL4_SlotBits);
    EXPECT(ut != 0, "no untyped for a 2^%d-slot CNode", BIG_RADIX);
    seL4_Error e;
    *big = mk_obj(ut, seL4_CapTableObject, BIG_RADIX, &e);
    EXPECT(*big != 0, "Retype of the big CNode: %s", err_name(e));
    return PASS;
}

/*
 * Fill big[first .. first+n) with descendants of the endpoint cap at
 * (ep_root, ep_index, ep_depth): a fan-out of plain copies (the rest), a
 * chain of 30% copies of copies, and ~30% groups of (badged mint + 3
 * copies in a chain). For n = 10,000: [0,4000) fan-out, [4000,7000) chain,
 * [7000,10000) 750 groups of 4.
 */
static test_result_t fill_endpoint_tree(seL4_CPtr big, seL4_Word first, seL4_Word n,
                                        seL4_CPtr ep_root, seL4_Word ep_index, seL4_Word ep_depth)
{
    seL4_Word chain = n * 3 / 10, groups = n * 3 / 10 / 4, fan = n - chain - 4 * groups;
    seL4_Word i = first;
    for (seL4_Word k = 0; k < fan; k++, i++) {
        seL4_CapRights_t r = (k % 3 == 0) ? seL4_ReadWrite : seL4_AllRights;
        seL4_Error e = seL4_CNode_Copy(big, i, BIG_RADIX, ep_root, ep_index, (seL4_Uint8)ep_depth, r);
        EXPECT(e == seL4_NoError, "fan-out copy %lu: %s", (unsigned long)k, err_name(e));
    }
    for (seL4_Word k = 0; k < chain; k++, i++) {
        seL4_Error e = seL4_CNode_Copy(big, i, BIG_RADIX, big, i - 1, BIG_RADIX, seL4_AllRights);
        EXPECT(e == seL4_NoError, "chained copy %lu: %s", (unsigned long)k, err_name(e));
    }
    for (seL4_Word g = 0; g < groups; g++) {
        seL4_Error e = seL4_CNode_Mint(big, i, BIG_RADIX, ep_root, ep_index, (seL4_Uint8)ep_depth,
                                       seL4_AllRights, g + 1);
        EXPECT(e == seL4_NoError, "badged mint %lu: %s", (unsigned long)g, err_name(e));
        i++;
        for (int c = 0; c < 3; c++, i++) {
            e = seL4_CNode_Copy(big, i, BIG_RADIX, big, i - 1, BIG_RADIX, seL4_AllRights);
            EXPECT(e == seL4_NoError, "copy %d of badge %lu: %s", c, (unsigned long)(g + 1),
                   err_name(e));
        }
    }
    EXPECT(i == first + n, "filled %lu slots, wanted %lu", (unsigned long)(i - first),
           (unsigned long)n);
    return PASS;
}

#define CHECK(call)                                                          \
    do {                                                                     \
        test_result_t c_ = (call);                                           \
        if (c_ != PASS)                                                      \
            return c_;                                                       \
    } while (0)

CTEST(CSPACE_0020, "10,000 copies/mints of one endpoint cap removed by one Revoke; untyped then reusable at full size")
{
    seL4_CPtr big;
    CHECK(make_big(&big));
    NEW_UT(ut, 12);
    NEW_SLOT(ep);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, ep, 1),
               seL4_NoError);
    CHECK(fill_endpoint_tree(big, 0, NCAPS, ROOT_CNODE, ep, ROOT_DEPTH));
    /* Spot checks, and the slots past the tree are still empty. */
    static const seL4_Word spots[] = { 0, 3999, 4000, 6999, 7000, 7003, 9996, 9999 };
    for (unsigned k = 0; k < sizeof(spots) / sizeof(spots[0]); k++)
        EXPECT_TYPE_AT(big, spots[k], BIG_RADIX, CT_EP);
    EXPECT(window_empty(ut, big, 0, 0, NCAPS, 256) == 1, "slots after the tree not empty");
    EXPECT(window_empty(ut, big, 0, 0, NCAPS - 256, 256) == 0, "tree slots look empty");

    EXPECT_ERR(r_revoke(ep), seL4_NoError);

    EXPECT_TYPE(ep, CT_EP);
    CHECK(big_is_empty(ut, big));
    /* The endpoint is the untyped's only descendant now; once it is gone
     * the untyped resets and a full-size Retype fits. */
    EXPECT_ERR(r_delete(ep), seL4_NoError);
    seL4_Word fb = ut_free_bytes(ut);
    EXPECT(fb == 4096, "untyped free bytes %ld after the tree went", (long)fb);
    NEW_SLOT(whole);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, ROOT_CNODE, 0, 0, whole, 1),
               seL4_NoError);
    EXPECT_TYPE(whole, CT_UNTYPED);
    return PASS;
}

#define CHAIN 2000UL

CTEST(CSPACE_0021, "10,000-cap tree (2,000-deep untyped chain + endpoint fan-out/badges) removed by one Revoke of its untyped")
{
    seL4_CPtr big;
    CHECK(make_big(&big));
    NEW_UT(ut, 14);
    NEW_SLOT(scratch);
    /* big[0] = 4 KiB untyped from ut; big[k] = the whole of big[k-1]. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, big, 0, 0, 0, 1), seL4_NoError);
    for (seL4_Word k = 1; k <= CHAIN; k++) {
        /* Invoked caps must be reachable from the thread's CSpace: move
         * the parent into a root slot for the Retype, then back. */
        EXPECT_ERR(seL4_CNode_Move(ROOT_CNODE, scratch, 64, big, k - 1, BIG_RADIX), seL4_NoError);
        seL4_Error e;
        if (k < CHAIN)
            e = seL4_Untyped_Retype(scratch, seL4_UntypedObject, 12, big, 0, 0, k, 1);
        else
            e = seL4_Untyped_Retype(scratch, seL4_EndpointObject, 0, big, 0, 0, k, 1);
        EXPECT(e == seL4_NoError, "Retype at depth %lu: %s", (unsigned long)k, err_name(e));
        EXPECT_ERR(seL4_CNode_Move(big, k - 1, BIG_RADIX, ROOT_CNODE, scratch, 64), seL4_NoError);
    }
    /* big[CHAIN] is the endpoint; the rest are its copies and mints. */
    CHECK(fill_endpoint_tree(big, CHAIN + 1, NCAPS - CHAIN - 1, big, CHAIN, BIG_RADIX));
    EXPECT_TYPE_AT(big, 0, BIG_RADIX, CT_UNTYPED);
    EXPECT_TYPE_AT(big, CHAIN - 1, BIG_RADIX, CT_UNTYPED);
    EXPECT_TYPE_AT(big, CHAIN, BIG_RADIX, CT_EP);
    EXPECT_TYPE_AT(big, NCAPS - 1, BIG_RADIX, CT_EP);
    EXPECT(window_empty(ut, big, 0, 0, NCAPS, 256) == 1, "slots after the tree not empty");
    seL4_Word fb = ut_free_bytes(ut);
    EXPECT(fb == 16384 - 4096, "untyped free bytes %ld with the tree alive", (long)fb);

    EXPECT_ERR(r_revoke(ut), seL4_NoError);

    EXPECT_TYPE(ut, CT_UNTYPED);
    CHECK(big_is_empty(ut, big));
    fb = ut_free_bytes(ut);
    EXPECT(fb == 16384, "untyped free bytes %ld after Revoke", (long)fb);
    NEW_SLOT(whole);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_UntypedObject, 14, ROOT_CNODE, 0, 0, whole, 1),
               seL4_NoError);
    EXPECT_TYPE(whole, CT_UNTYPED);
    return PASS;
}
