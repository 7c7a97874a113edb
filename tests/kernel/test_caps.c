/* CAP_*: end-to-end capability scenarios across Retype, CNode ops and deletion. */
#include <stdio.h>
#include "framework.h"

/* The smallest RAM untyped of at least 2^bits bytes, or 0. */
static seL4_CPtr find_untyped(unsigned bits)
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_CPtr best = 0;
    unsigned best_bits = 64;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits >= bits && u->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = u->sizeBits;
        }
    }
    return best;
}

#define ROOT seL4_CapInitThreadCNode
#define SLOTS_START (test_bootinfo()->empty.start + 4000)

TEST(CAP_0001, "retype, copy, mint, delete and revoke an endpoint")
{
    seL4_CPtr ut = find_untyped(16);
    EXPECT(ut != 0, "no untyped");
    seL4_CPtr ep = SLOTS_START, copy = ep + 1, minted = ep + 2, minted_copy = ep + 3;
    int err = seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1);
    EXPECT(err == 0, "retype: %d", err);
    EXPECT(seL4_DebugCapIdentify(ep) == 4, "type %u", seL4_DebugCapIdentify(ep));
    err = seL4_CNode_Copy(ROOT, copy, 64, ROOT, ep, 64, seL4_AllRights);
    EXPECT(err == 0, "copy: %d", err);
    err = seL4_CNode_Mint(ROOT, minted, 64, ROOT, ep, 64, seL4_AllRights, 42);
    EXPECT(err == 0, "mint: %d", err);
    err = seL4_CNode_Copy(ROOT, minted_copy, 64, ROOT, minted, 64, seL4_AllRights);
    EXPECT(err == 0, "copy of minted: %d", err);
    /* Mint of a badged cap is refused. */
    err = seL4_CNode_Mint(ROOT, minted_copy + 1, 64, ROOT, minted, 64, seL4_AllRights, 7);
    EXPECT(err == seL4_IllegalOperation, "re-badge: %d", err);
    /* Revoking the badged cap deletes its copy only. */
    err = seL4_CNode_Revoke(ROOT, minted, 64);
    EXPECT(err == 0 && seL4_DebugCapIdentify(minted_copy) == 0 &&
           seL4_DebugCapIdentify(minted) == 4 && seL4_DebugCapIdentify(copy) == 4,
           "revoke badged: %d", err);
    /* Revoking the untyped deletes everything made from it. */
    err = seL4_CNode_Revoke(ROOT, ut, 64);
    EXPECT(err == 0, "revoke untyped: %d", err);
    for (seL4_CPtr s = ep; s < ep + 4; s++)
        EXPECT(seL4_DebugCapIdentify(s) == 0, "slot %lu not empty", (unsigned long)s);
    return PASS;
}

TEST(CAP_0002, "a CNode made by Retype holds caps; deleting it deletes them")
{
    seL4_CPtr ut = find_untyped(16);
    seL4_CPtr cn = SLOTS_START, root2 = cn + 1, out = cn + 2;
    EXPECT(seL4_Untyped_Retype(ut, seL4_CapTableObject, 4, ROOT, 0, 0, cn, 1) == 0, "cnode");
    EXPECT(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 3, 1) == 0, "ep in cnode");
    /* A root CNode cap without a guard resolves 13 bits, then 4 in cn. */
    EXPECT(seL4_CNode_Mint(ROOT, root2, 64, ROOT, ROOT, 64, seL4_AllRights, 0) == 0, "mint root");
    int err = seL4_CNode_Copy(ROOT, out, 64, root2, (cn << 4) | 3, 13 + 4, seL4_AllRights);
    EXPECT(err == 0, "two-level copy: %d", err);
    EXPECT(seL4_DebugCapIdentify(out) == 4, "copied type %u", seL4_DebugCapIdentify(out));
    EXPECT(seL4_CNode_Delete(ROOT, out, 64) == 0, "delete copy");
    EXPECT(seL4_CNode_Delete(ROOT, cn, 64) == 0, "delete cnode");
    err = seL4_CNode_Copy(ROOT, out, 64, root2, (cn << 4) | 3, 13 + 4, seL4_AllRights);
    EXPECT(err == seL4_FailedLookup, "lookup after delete: %d", err);
    EXPECT(seL4_CNode_Delete(ROOT, root2, 64) == 0, "delete root2");
    EXPECT(seL4_CNode_Revoke(ROOT, ut, 64) == 0, "revoke");
    return PASS;
}

TEST(CAP_0003, "an untyped and its copy never hand out the same memory")
{
    /* A child untyped (watermark 0) is copied, and the copy allocates: the
     * original must not allocate over what the copy made (found by the
     * syscall fuzzer: overlapping objects corrupted kernel state). */
    seL4_CPtr ut = find_untyped(16);
    seL4_CPtr child = SLOTS_START, copy = child + 1, f1 = child + 2, f2 = child + 3;
    EXPECT(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, ROOT, 0, 0, child, 1) == 0, "child");
    EXPECT(seL4_CNode_Copy(ROOT, copy, 64, ROOT, child, 64, seL4_AllRights) == 0, "copy");
    EXPECT(seL4_Untyped_Retype(copy, seL4_X86_4K, 0, ROOT, 0, 0, f1, 1) == 0, "via copy");
    int err = seL4_Untyped_Retype(child, seL4_X86_4K, 0, ROOT, 0, 0, f2, 1);
    EXPECT(err == seL4_NotEnoughMemory, "retype through the original: %d", err);
    EXPECT(seL4_DebugCapIdentify(f2) == 0, "a second frame over the same memory");
    /* With the copy gone the original has no children: it resets and works. */
    EXPECT(seL4_CNode_Revoke(ROOT, copy, 64) == 0 && seL4_CNode_Delete(ROOT, copy, 64) == 0,
           "revoke and delete the copy");
    EXPECT(seL4_Untyped_Retype(child, seL4_X86_4K, 0, ROOT, 0, 0, f2, 1) == 0, "after reset");
    EXPECT(seL4_CNode_Revoke(ROOT, ut, 64) == 0, "revoke");
    return PASS;
}
