/*
 * CSPACE_*: CPtr resolution through one, two and three levels of CNodes
 * with guards (capabilities.md §1, §1.1, §2), and CSpace-shaped deletion
 * (§10). Multi-level CSpaces are reached through CNode-operation arguments
 * (index/depth relative to the invoked or extra-cap CNode), since the root
 * task's own CSpace root consumes all 64 bits in its first level.
 */
#include <stdio.h>
#include "util.h"

/* FailedLookup MRs: source flag, then the lookup failure (§2). */
#define GUARD_MISMATCH(src, left, guard, found) (src), seL4_GuardMismatch, (left), (guard), (found)
#define DEPTH_MISMATCH(src, left, found) (src), seL4_DepthMismatch, (left), (found)

CTEST(CSPACE_0001, "Root CNode (guard 51, radix 13) needs depth 64; other depths fail with the right words")
{
    NEW_UT(ut, 12);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* n = 13 < guard size 51: GuardMismatch(bitsLeft 13, guard 0, bitsFound 51). */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 13, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 13, 0, 51));
    /* n = 63: guard fits (bits 62..12 of index 0 are 0), level 64 > 63. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, 0, 63, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 63, 64));
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, 0, 52, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 52, 64));
    /* Bits above the radix are guard bits. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a | (1UL << 63), 64, ROOT_CNODE, ep, 64,
                               seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 64, 0, 51));
    /* The same rules for a source lookup, with source flag 1. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, ep, 13, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(1, 13, 0, 51));
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, 0, 63, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(1, 63, 64));
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(CSPACE_0002, "One guardless sub-CNode: index/depth relative to it; extra bits ignored; depth mismatches")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 6);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_Copy(cn, 5, 6, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE_AT(cn, 5, 6, CT_EP);
    /* Only the low `depth` bits of the index are looked at. */
    EXPECT_TYPE_AT(cn, (0xABCUL << 6) | 5, 6, CT_EP);
    EXPECT_TYPE_AT(cn, 4, 6, CT_NULL);
    /* depth 5 < radix 6: DepthMismatch(bitsLeft 5, bitsFound 6). */
    EXPECT_ERR(seL4_CNode_Copy(cn, 5, 5, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 5, 6));
    /* depth 7: one bit left over at a non-CNode slot: DepthMismatch(1, 0). */
    EXPECT_ERR(seL4_CNode_Copy(cn, (5 << 1) | 1, 7, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 1, 0));
    /* ...also when that slot is empty. */
    EXPECT_ERR(seL4_CNode_Copy(cn, 6 << 1, 7, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 1, 0));
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, cn, 5 << 1, 7, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(1, 1, 0));
    /* Copy out, Delete inside. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, cn, 5, 6, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_ERR(seL4_CNode_Delete(cn, 5, 6), seL4_NoError);
    EXPECT_TYPE_AT(cn, 5, 6, CT_NULL);
    EXPECT_TYPE(a, CT_EP);
    /* A root that is not a CNode: InvalidRoot (one word). */
    EXPECT_ERR(seL4_CNode_Copy(cn, 1, 6, a, 5, 6, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_InvalidRoot);
    return PASS;
}

/* ---- two levels: L1 (radix 8) with a 40-bit guard, L2 (radix 8) with an
 *      8-bit guard in L1[5]: 48 + 16 = 64 bits ---------------------------- */

#define G1 0x123456789AUL       /* 40-bit guard field */
#define G2 0xABUL               /* 8-bit guard field */
#define L1_SLOT 5UL

static seL4_Word p2(seL4_Word idx)
{
    return (G1 << 24) | (L1_SLOT << 16) | (G2 << 8) | idx;
}

struct two {
    seL4_CPtr l1, l2, g1;
};

static test_result_t build_two(seL4_CPtr ut, struct two *t)
{
    seL4_Error e;
    t->l1 = mk_obj(ut, seL4_CapTableObject, 8, &e);
    EXPECT(t->l1 != 0, "L1 CNode: %s", err_name(e));
    t->l2 = mk_obj(ut, seL4_CapTableObject, 8, &e);
    EXPECT(t->l2 != 0, "L2 CNode: %s", err_name(e));
    t->g1 = slot_alloc();
    EXPECT(t->g1 != 0, "no slot");
    EXPECT_ERR(r_mint(t->g1, t->l1, seL4_AllRights, cnode_data(G1, 40)), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Mint(t->l1, L1_SLOT, 8, ROOT_CNODE, t->l2, 64, seL4_AllRights,
                               cnode_data(G2, 8)), seL4_NoError);
    return PASS;
}

#define BUILD_TWO(t, ut)                                                     \
    struct two t;                                                            \
    do {                                                                     \
        test_result_t b_ = build_two(ut, &t);                                \
        if (b_ != PASS)                                                      \
            return b_;                                                       \
    } while (0)

CTEST(CSPACE_0003, "Two-level CSpace with guards: 64-bit paths reach L2, 48-bit paths stop in L1")
{
    NEW_UT(ut, 16);
    BUILD_TWO(t, ut);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(7), 64, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE_AT(t.l2, 7, 8, CT_EP);                  /* seen through L2's own cap */
    EXPECT_TYPE_AT(t.g1, p2(7), 64, CT_EP);
    /* 48 bits name L1[5], the slot holding the L2 cap (n == level stops). */
    EXPECT_TYPE_AT(t.g1, p2(7) >> 16, 48, CT_CNODE);
    /* A 48-bit path into L1 proper. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, (G1 << 8) | 6, 48, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_NoError);
    EXPECT_TYPE_AT(t.l1, 6, 8, CT_EP);
    /* Source lookups through the tree. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, t.g1, p2(7), 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    /* Retype destination: node_index/node_depth name L1[5] (holds L2). */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, t.g1, p2(0) >> 16, 48, 9, 1),
               seL4_NoError);
    EXPECT_TYPE_AT(t.l2, 9, 8, CT_NTFN);
    /* Delete and Revoke through the tree. */
    EXPECT_ERR(seL4_CNode_Delete(t.g1, p2(7), 64), seL4_NoError);
    EXPECT_TYPE_AT(t.l2, 7, 8, CT_NULL);
    EXPECT_ERR(seL4_CNode_Revoke(t.g1, p2(9), 64), seL4_NoError);
    EXPECT_TYPE_AT(t.l2, 9, 8, CT_NTFN);
    return PASS;
}

CTEST(CSPACE_0004, "Two-level CSpace: GuardMismatch words at each level (guardFound = the cap's guard)")
{
    NEW_UT(ut, 16);
    BUILD_TWO(t, ut);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    /* Wrong bit in the L1 guard. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(7) ^ (1UL << 30), 64, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 64, G1, 40));
    /* Wrong bit in the L2 guard: 16 bits left at L2. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(7) ^ (1UL << 9), 64, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 16, G2, 8));
    /* depth 50: 2 bits left at L2, its 8-bit guard does not fit. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(7) >> 14, 50, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 2, G2, 8));
    /* The same as a source lookup. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, t.g1, p2(7) ^ (1UL << 9), 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(1, 16, G2, 8));
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, t.g1, 0, 64, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(1, 64, G1, 40));
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(CSPACE_0005, "Two-level CSpace: DepthMismatch words (level too big; bits left at a non-CNode slot)")
{
    NEW_UT(ut, 16);
    BUILD_TWO(t, ut);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_Copy(t.l1, 6, 8, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    /* depth 40: the L1 guard (40 bits) matches, but L1's level is 48. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, G1, 40, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 40, 48));
    /* depth 56: 8 bits left at L2, guard matches, level 16 > 8. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(7) >> 8, 56, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 8, 16));
    /* ...the guard is checked before the level. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, (p2(7) >> 8) ^ 1, 56, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 8, G2, 8));
    /* depth 56 through L1[6] (an endpoint) and L1[7] (empty): 8 bits left. */
    EXPECT_ERR(seL4_CNode_Copy(t.g1, (G1 << 16) | (6 << 8) | 0x12, 56, ROOT_CNODE, ep, 64,
                               seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 8, 0));
    EXPECT_ERR(seL4_CNode_Copy(t.g1, (G1 << 16) | (7 << 8) | 0x12, 56, ROOT_CNODE, ep, 64,
                               seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 8, 0));
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, t.g1, (G1 << 16) | (6 << 8), 56, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(1, 8, 0));
    /* With exactly 48 bits L1[6] itself is found. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, t.g1, (G1 << 8) | 6, 48, seL4_AllRights),
               seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    return PASS;
}

/* ---- three levels: 24 + 20 + 20 bits ------------------------------------- */

#define GA 0xABCDEUL            /* L1: guard 20 bits, radix 4 */
#define GB 0x1234UL             /* L2: guard 16 bits, radix 4, in L1[3] */
#define GC 0x2A5AUL             /* L3: guard 14 bits, radix 6, in L2[9] */

static seL4_Word p3(seL4_Word idx)
{
    return (GA << 44) | (3UL << 40) | (GB << 24) | (9UL << 20) | (GC << 6) | idx;
}

/* A 44-bit path to L2[idx]. */
static seL4_Word p3_l2(seL4_Word idx)
{
    return ((p3(0) >> 20) & ~0xFUL) | idx;
}

CTEST(CSPACE_0006, "Three-level CSpace: objects placed and found at every level; errors at level 2 and 3")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_OBJ(l1, ut, seL4_CapTableObject, 4);
    NEW_OBJ(l2, ut, seL4_CapTableObject, 4);
    NEW_OBJ(l3, ut, seL4_CapTableObject, 6);
    NEW_SLOT(g1);
    EXPECT_ERR(r_mint(g1, l1, seL4_AllRights, cnode_data(GA, 20)), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Mint(l1, 3, 4, ROOT_CNODE, l2, 64, seL4_AllRights, cnode_data(GB, 16)),
               seL4_NoError);
    EXPECT_ERR(seL4_CNode_Mint(l2, 9, 4, ROOT_CNODE, l3, 64, seL4_AllRights, cnode_data(GC, 14)),
               seL4_NoError);
    /* Level 3. */
    EXPECT_ERR(seL4_CNode_Copy(g1, p3(33), 64, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE_AT(l3, 33, 6, CT_EP);
    EXPECT_TYPE_AT(g1, p3(33), 64, CT_EP);
    /* Level 2 (44 bits). */
    EXPECT_ERR(seL4_CNode_Copy(g1, p3_l2(11), 44, ROOT_CNODE, nt, 64, seL4_AllRights),
               seL4_NoError);
    EXPECT_TYPE_AT(l2, 11, 4, CT_NTFN);
    EXPECT_TYPE_AT(g1, p3_l2(9), 44, CT_CNODE);
    /* Retype into L3: node_index names L2[9] (44 bits). */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, g1, p3_l2(9), 44, 40, 1), seL4_NoError);
    EXPECT_TYPE_AT(l3, 40, 6, CT_TCB);
    /* Move from level 3 to level 1 (24 bits). */
    EXPECT_ERR(seL4_CNode_Move(g1, (GA << 4) | 12, 24, g1, p3(33), 64), seL4_NoError);
    EXPECT_TYPE_AT(l1, 12, 4, CT_EP);
    EXPECT_TYPE_AT(l3, 33, 6, CT_NULL);
    /* Errors: L3 guard, L2 guard with too few bits, L3 level too big. */
    EXPECT_ERR(seL4_CNode_Copy(g1, p3(33) ^ (1UL << 10), 64, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 20, GC, 14));
    EXPECT_ERR(seL4_CNode_Copy(g1, p3(33) >> 34, 30, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 6, GB, 16));
    EXPECT_ERR(seL4_CNode_Copy(g1, p3(33) >> 4, 60, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 16, 20));
    EXPECT_ERR(seL4_CNode_Copy(g1, p3(33) ^ (1UL << 50), 64, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 64, GA, 20));
    return PASS;
}

CTEST(CSPACE_0007, "Guardless two-level CSpace: depth = sum of radices")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(a, ut, seL4_CapTableObject, 3);
    NEW_OBJ(b, ut, seL4_CapTableObject, 5);
    EXPECT_ERR(seL4_CNode_Copy(a, 2, 3, ROOT_CNODE, b, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(a, (2 << 5) | 17, 8, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_NoError);
    EXPECT_TYPE_AT(b, 17, 5, CT_EP);
    EXPECT_TYPE_AT(a, 2, 3, CT_CNODE);
    EXPECT_TYPE_AT(a, (0xFFFFUL << 8) | (2 << 5) | 17, 8, CT_EP);
    /* depth 6: 3 bits left at B (level 5). */
    EXPECT_ERR(seL4_CNode_Copy(a, (2 << 3) | 1, 6, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 3, 5));
    /* depth 9: 1 bit left at B[17] (an endpoint). */
    EXPECT_ERR(seL4_CNode_Copy(a, ((2 << 5) | 17) << 1, 9, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 1, 0));
    return PASS;
}

CTEST(CSPACE_0008, "CNode cap data: only guardSize guard bits are kept; Mutate replaces the guard")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 8);
    NEW_SLOT(g);
    NEW_SLOT(g2);
    NEW_SLOT(z);
    EXPECT_ERR(seL4_CNode_Copy(cn, 3, 8, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    /* guard 0x1FF with guardSize 4: the cap keeps guard 0xF (§1.1). */
    EXPECT_ERR(r_mint(g, cn, seL4_AllRights, cnode_data(0x1FF, 4)), seL4_NoError);
    EXPECT_TYPE_AT(g, (0xFUL << 8) | 3, 12, CT_EP);
    EXPECT_ERR(seL4_CNode_Copy(g, (0xEUL << 8) | 3, 12, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 12, 0xF, 4));
    /* Mutate to guard 0x2 / 2 bits: the old path fails, the new one works. */
    EXPECT_ERR(r_mutate(g2, g, cnode_data(0x2, 2)), seL4_NoError);
    EXPECT_TYPE(g, CT_NULL);
    EXPECT_TYPE_AT(g2, (0x2UL << 8) | 3, 10, CT_EP);
    EXPECT_ERR(seL4_CNode_Copy(g2, (0xFUL << 8) | 3, 12, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(GUARD_MISMATCH(0, 12, 0x2, 2));
    /* Cap data 0: no guard, the cap consumes exactly its radix. */
    EXPECT_ERR(r_mint(z, g2, seL4_AllRights, 0), seL4_NoError);
    EXPECT_TYPE_AT(z, 3, 8, CT_EP);
    return PASS;
}

CTEST(CSPACE_0009, "Deleting one of two CNode caps keeps the contents; deleting the last removes them")
{
    NEW_UT(ut, 16);
    NEW_UT(u2, 12);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(c2);
    EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, cn, 0, 0, 2, 1), seL4_NoError);
    EXPECT_ERR(r_copy(c2, cn, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(cn), seL4_NoError);
    EXPECT_TYPE_AT(c2, 2, 4, CT_EP);
    seL4_Word fb = ut_free_bytes(u2);
    EXPECT(fb == 4096 - 16, "u2 free bytes %ld while the CNode lives", (long)fb);
    EXPECT_ERR(r_delete(c2), seL4_NoError);
    fb = ut_free_bytes(u2);
    EXPECT(fb == 4096, "u2 free bytes %ld after the last CNode cap went", (long)fb);
    return PASS;
}

CTEST(CSPACE_0010, "Revoke of a CNode cap deletes its copies, not the CNode's contents")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(c1);
    NEW_SLOT(c2);
    EXPECT_ERR(seL4_CNode_Copy(cn, 2, 4, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c1, cn, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_mint(c2, cn, seL4_AllRights, cnode_data(1, 4)), seL4_NoError);
    EXPECT_ERR(r_revoke(cn), seL4_NoError);
    EXPECT_TYPE(c1, CT_NULL);
    EXPECT_TYPE(c2, CT_NULL);
    EXPECT_TYPE(cn, CT_CNODE);
    EXPECT_TYPE_AT(cn, 2, 4, CT_EP);
    return PASS;
}

CTEST(CSPACE_0011, "Cyclic CNodes (self-reference, 2-cycle) left unreachable are reclaimed by Revoke of their untyped")
{
    NEW_UT(ut, 16);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);            /* [0, 512) */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 1, 1),
               seL4_NoError);                           /* [512, 528) */
    NEW_OBJ(a, ut, seL4_CapTableObject, 4);             /* [1024, 1536) */
    NEW_OBJ(b, ut, seL4_CapTableObject, 4);             /* [1536, 2048) */
    EXPECT_ERR(seL4_CNode_Copy(cn, 0, 4, ROOT_CNODE, cn, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(a, 0, 4, ROOT_CNODE, b, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(b, 0, 4, ROOT_CNODE, a, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(cn), seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    EXPECT_ERR(r_delete(b), seL4_NoError);
    seL4_Word fb = ut_free_bytes(ut);
    EXPECT(fb == 65536 - 2048, "free bytes %ld with the unreachable CNodes alive", (long)fb);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    fb = ut_free_bytes(ut);
    EXPECT(fb == 65536, "free bytes %ld after Revoke", (long)fb);
    NEW_SLOT(whole);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_UntypedObject, 16, ROOT_CNODE, 0, 0, whole, 1),
               seL4_NoError);
    return PASS;
}

CTEST(CSPACE_0012, "Revoke reaches copies at every level of a two-level CSpace")
{
    NEW_UT(ut, 16);
    BUILD_TWO(t, ut);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_Copy(t.g1, p2(1), 64, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Mint(t.g1, p2(2), 64, ROOT_CNODE, ep, 64, seL4_AllRights, 77),
               seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(t.g1, (G1 << 8) | 9, 48, t.g1, p2(2), 64, seL4_AllRights),
               seL4_NoError);
    EXPECT_ERR(r_copy(a, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_revoke(ep), seL4_NoError);
    EXPECT_TYPE_AT(t.l2, 1, 8, CT_NULL);
    EXPECT_TYPE_AT(t.l2, 2, 8, CT_NULL);
    EXPECT_TYPE_AT(t.l1, 9, 8, CT_NULL);
    EXPECT_TYPE_AT(t.l1, L1_SLOT, 8, CT_CNODE);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(ep, CT_EP);
    return PASS;
}

CTEST(CSPACE_0013, "Root CNode cap minted with guard size 0: 13-bit paths name root slots, longer ones go deeper")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(r0);
    NEW_SLOT(a);
    EXPECT_ERR(r_mint(r0, ROOT_CNODE, seL4_AllRights, cnode_data(0, 0)), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(r0, a, 13, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* 13 + 4 bits: root slot `cn`, then cn[3]. */
    EXPECT_ERR(seL4_CNode_Copy(r0, (cn << 4) | 3, 17, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_NoError);
    EXPECT_TYPE_AT(cn, 3, 4, CT_EP);
    EXPECT_TYPE_AT(r0, (cn << 4) | 3, 17, CT_EP);
    /* 64 bits: 51 left over at the endpoint's root slot; 47 left at cn[3]. */
    EXPECT_ERR(seL4_CNode_Copy(r0, (seL4_Word)ep << 51, 64, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 51, 0));
    EXPECT_ERR(seL4_CNode_Copy(r0, ((seL4_Word)cn << 51) | (3UL << 47), 64, ROOT_CNODE, ep, 64,
                               seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 47, 0));
    /* 16 bits: 3 left at cn, whose level is 4. */
    EXPECT_ERR(seL4_CNode_Copy(r0, (cn << 3) | 1, 16, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(DEPTH_MISMATCH(0, 3, 4));
    return PASS;
}
