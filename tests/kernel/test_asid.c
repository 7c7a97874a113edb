/*
 * ASID_*: ASID control and ASID pools (objects.md §4.2, invocations.md
 * §2.8, capabilities.md §7 and §10): MakePool and Assign with every error
 * in the documented order, 8 pools in all (the boot pool is one), 512
 * ASIDs per pool, PML4s without an ASID, and what deleting pools and PML4s
 * does to the VSpaces that used them.
 */
#include <stdio.h>
#include "vm_util.h"

#define DEF seL4_X86_Default_VMAttributes

static seL4_Error make_pool(seL4_CPtr ut, seL4_CPtr dst)
{
    return seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT_CNODE, dst, ROOT_DEPTH);
}

/* A new ASID pool in a new slot (from a new 4 KiB untyped), or 0. */
static seL4_CPtr new_pool(seL4_Error *err)
{
    seL4_CPtr ut = ut_carve(12);
    seL4_CPtr s = slot_alloc();
    *err = seL4_NotEnoughMemory;
    if (ut == 0 || s == 0)
        return 0;
    *err = make_pool(ut, s);
    return *err == seL4_NoError ? s : 0;
}

#define NEW_POOL(var)                                                        \
    seL4_CPtr var;                                                           \
    do {                                                                     \
        seL4_Error pe_;                                                      \
        var = new_pool(&pe_);                                                \
        EXPECT(var != 0, "MakePool: %s", err_name(pe_));                     \
    } while (0)

/* Is `pml4` usable as a VSpace? (a PDPT maps into it) */
static seL4_Error try_map_pdpt(seL4_CPtr pml4, seL4_Word va)
{
    seL4_CPtr pdpt = vm_obj(seL4_X86_PDPTObject);
    if (pdpt == 0)
        return seL4_NotEnoughMemory;
    return seL4_X86_PDPT_Map(pdpt, pml4, va, DEF);
}

/* ------------------------------------------------------------------------- */

VMTEST(ASID_0001, "MakePool: pool cap (type 13) in the slot, the untyped is used up, its PML4s work")
{
    NEW_UT(ut, 12);
    NEW_SLOT(pool);
    EXPECT(ut_free_bytes(ut) == 4096, "fresh untyped");
    EXPECT_ERR(make_pool(ut, pool), seL4_NoError);
    EXPECT_TYPE(pool, CT_ASID_POOL);
    EXPECT_TYPE(ut, CT_UNTYPED);
    /* "marked fully used" (objects.md §4.2): nothing else fits. */
    EXPECT(ut_free_bytes(ut) == 0, "untyped still has %ld free bytes", (long)ut_free_bytes(ut));
    /* The pool is a child of the untyped: revoking the untyped removes it. */
    VM_NEW(pml4, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, pml4), seL4_NoError);
    EXPECT_TYPE(pml4, CT_PML4);
    EXPECT_ERR(try_map_pdpt(pml4, 0), seL4_NoError);
    VM_COPY(pcopy, pool, seL4_AllRights);
    EXPECT_TYPE(pcopy, CT_ASID_POOL);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    EXPECT_TYPE(pool, CT_NULL);
    EXPECT_TYPE(pcopy, CT_NULL);
    EXPECT(ut_free_bytes(ut) == 4096, "untyped not reusable after revoke");
    return PASS;
}

VMTEST(ASID_0002, "8 pools in all: 7 more after the boot pool, then DeleteFirst; a deleted pool frees its number")
{
    seL4_CPtr pools[7];
    for (int i = 0; i < 7; i++) {
        seL4_Error e;
        pools[i] = new_pool(&e);
        EXPECT(pools[i] != 0, "pool %d of 7: %s", i + 1, err_name(e));
    }
    NEW_UT(ut, 12);
    NEW_SLOT(dst);
    EXPECT_ERR(make_pool(ut, dst), seL4_DeleteFirst);
    /* "all 8 pools in use" is checked before the untyped (invocations.md). */
    VM_NEW(ep, seL4_EndpointObject);
    EXPECT_ERR(make_pool(ep, dst), seL4_DeleteFirst);
    EXPECT_ERR(make_pool(ut, seL4_CapInitThreadTCB), seL4_DeleteFirst);
    EXPECT_TYPE(dst, CT_NULL);
    EXPECT(ut_free_bytes(ut) == 4096, "failed MakePool used the untyped");
    /* Every pool hands out ASIDs. */
    for (int i = 0; i < 7; i++) {
        VM_NEW(pml4, seL4_X64_PML4Object);
        EXPECT_ERR(seL4_X86_ASIDPool_Assign(pools[i], pml4), seL4_NoError);
        EXPECT_ERR(try_map_pdpt(pml4, 0x10000000UL), seL4_NoError);
    }
    EXPECT_ERR(r_delete(pools[3]), seL4_NoError);
    EXPECT_ERR(make_pool(ut, dst), seL4_NoError);
    EXPECT_TYPE(dst, CT_ASID_POOL);
    NEW_UT(ut2, 12);
    NEW_SLOT(dst2);
    EXPECT_ERR(make_pool(ut2, dst2), seL4_DeleteFirst);
    return PASS;
}

VMTEST(ASID_0003, "MakePool: TruncatedMessage, then untyped not 4 KiB / not untyped / device → InvalidCapability(1)")
{
    NEW_UT(ut, 12);
    NEW_SLOT(dst);
    const seL4_CPtr caps[2] = { ut, ROOT_CNODE };
    const seL4_Word mr[2] = { dst, ROOT_DEPTH };
    seL4_MessageInfo_t i = raw_call(seL4_CapASIDControl, X86ASIDControlMakePool, 1, 2, caps, mr, 2);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_TruncatedMessage, "length 1: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    i = raw_call(seL4_CapASIDControl, X86ASIDControlMakePool, 2, 1, caps, mr, 2);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_TruncatedMessage, "one cap: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    NEW_UT(ut13, 13);
    NEW_UT(ut11, 11);
    VM_NEW(frame, seL4_X86_4K);
    VM_NEW(ep, seL4_EndpointObject);
    NEW_SLOT(empty);
    seL4_CPtr dev = ut_carve_device(12);
    EXPECT(dev != 0, "no device untyped of 4 KiB");
    const seL4_CPtr bad[] = { ut13, ut11, frame, ep, empty, dev, seL4_CapInitThreadASIDPool };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(make_pool(bad[k], dst), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    /* ... before the destination checks: bad untyped + occupied slot. */
    EXPECT_ERR(make_pool(dev, seL4_CapInitThreadTCB), seL4_InvalidCapability);
    EXPECT_TYPE(dst, CT_NULL);
    EXPECT_ERR(make_pool(ut, dst), seL4_NoError);
    return PASS;
}

VMTEST(ASID_0004, "MakePool: an untyped with children → RevokeFirst (before the destination checks)")
{
    NEW_UT(ut, 12);
    NEW_SLOT(dst);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    EXPECT_ERR(make_pool(ut, dst), seL4_RevokeFirst);
    EXPECT_ERR(make_pool(ut, seL4_CapInitThreadTCB), seL4_RevokeFirst);
    EXPECT_TYPE(dst, CT_NULL);
    EXPECT_ERR(r_delete(ep), seL4_NoError);
    EXPECT_ERR(make_pool(ut, dst), seL4_NoError);
    /* An untyped that already backs a pool has a child too. */
    NEW_SLOT(dst2);
    EXPECT_ERR(make_pool(ut, dst2), seL4_RevokeFirst);
    return PASS;
}

VMTEST(ASID_0005, "MakePool destination: RangeError(1,64), FailedLookup (root, guard, depth), DeleteFirst")
{
    NEW_UT(ut, 12);
    NEW_SLOT(dst);
    seL4_CPtr ctl = seL4_CapASIDControl;
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(ctl, ut, ROOT_CNODE, dst, 0), seL4_RangeError);
    EXPECT_MRS(1, 64);
    const seL4_CPtr caps[2] = { ut, ROOT_CNODE };
    const seL4_Word mr65[2] = { dst, 65 };
    seL4_MessageInfo_t i = raw_call(ctl, X86ASIDControlMakePool, 2, 2, caps, mr65, 2);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_RangeError, "depth 65: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    EXPECT_MRS(1, 64);
    /* cap1 not a CNode → FailedLookup(0, InvalidRoot). */
    VM_NEW(ep, seL4_EndpointObject);
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(ctl, ut, ep, dst, ROOT_DEPTH), seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    /* Index with bits above the root CNode's radix: guard mismatch
     * (capabilities.md §1: bitsLeft 64, guard 0, guard size 51). */
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(ctl, ut, ROOT_CNODE, 1UL << 40, ROOT_DEPTH),
               seL4_FailedLookup);
    EXPECT_MRS(0, 4, 64, 0, 64 - CONFIG_ROOT_CNODE_SIZE_BITS);
    /* Depth 63 (index 1 passes the guard): the root CNode's 64 bits do
     * not fit → DepthMismatch(bitsLeft 63, bitsFound 64). */
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(ctl, ut, ROOT_CNODE, 1, 63), seL4_FailedLookup);
    EXPECT_MRS(0, 3, 63, 64);
    /* Occupied destination. */
    EXPECT_ERR(make_pool(ut, seL4_CapInitThreadTCB), seL4_DeleteFirst);
    EXPECT_ERR(make_pool(ut, ROOT_CNODE), seL4_DeleteFirst);
    /* None of this used the untyped or a pool number. */
    EXPECT(ut_free_bytes(ut) == 4096, "untyped used by a failed MakePool");
    EXPECT_TYPE(dst, CT_NULL);
    EXPECT_ERR(make_pool(ut, dst), seL4_NoError);
    /* Into a slot of another CNode, addressed with a depth. */
    NEW_UT(ut2, 12);
    seL4_Error e;
    seL4_CPtr cn = mk_obj(vm_ut(), seL4_CapTableObject, 4, &e);
    EXPECT(cn != 0, "CNode: %s", err_name(e));
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(ctl, ut2, cn, 5, 4), seL4_NoError);
    EXPECT_TYPE_AT(cn, 5, 4, CT_ASID_POOL);
    return PASS;
}

VMTEST(ASID_0006, "Assign: TruncatedMessage, InvalidCapability(1) for non-PML4 or assigned PML4, IllegalOperation labels")
{
    VM_NEW(pml4, seL4_X64_PML4Object);
    seL4_CPtr pool = seL4_CapInitThreadASIDPool;
    seL4_MessageInfo_t i = raw_call(pool, X86ASIDPoolAssign, 0, 0, NULL, NULL, 0);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_TruncatedMessage, "no cap: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(frame, seL4_X86_4K);
    VM_NEW(ep, seL4_EndpointObject);
    NEW_SLOT(empty);
    const seL4_CPtr bad[] = { pdpt, frame, ep, empty, pool, ROOT_CNODE,
                              seL4_CapInitThreadVSpace /* ASID 1 already */ };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, bad[k]), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, pml4), seL4_NoError);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, pml4), seL4_InvalidCapability);
    EXPECT_MRS(1);
    NEW_POOL(p2);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(p2, pml4), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* Labels: a pool takes only Assign, ASID control only MakePool. */
    const seL4_CPtr caps[2] = { pml4, ROOT_CNODE };
    const seL4_Word mr[2] = { 0, 0 };
    static const seL4_Word pool_bad[] = { InvalidInvocation, X86ASIDControlMakePool, X86PageMap,
                                          CNodeCopy };
    for (unsigned k = 0; k < sizeof(pool_bad) / sizeof(pool_bad[0]); k++) {
        i = raw_call(pool, pool_bad[k], 2, 2, caps, mr, 2);
        EXPECT(seL4_MessageInfo_get_label(i) == seL4_IllegalOperation, "pool, label %lu: %s",
               (unsigned long)pool_bad[k], err_name(seL4_MessageInfo_get_label(i)));
    }
    static const seL4_Word ctl_bad[] = { InvalidInvocation, X86ASIDPoolAssign, UntypedRetype };
    for (unsigned k = 0; k < sizeof(ctl_bad) / sizeof(ctl_bad[0]); k++) {
        i = raw_call(seL4_CapASIDControl, ctl_bad[k], 2, 2, caps, mr, 2);
        EXPECT(seL4_MessageInfo_get_label(i) == seL4_IllegalOperation, "control, label %lu: %s",
               (unsigned long)ctl_bad[k], err_name(seL4_MessageInfo_get_label(i)));
    }
    return PASS;
}

VMTEST(ASID_0007, "a new pool hands out exactly 512 ASIDs, then DeleteFirst; deleting a PML4 frees one")
{
    NEW_POOL(pool);
    NEW_UT(ut, 21);                         /* 512 PML4s of 4 KiB */
    seL4_CPtr s0 = slot_alloc_range(256), s1 = slot_alloc_range(256);
    EXPECT(s0 != 0 && s1 != 0, "no 2 x 256 slots");
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_X64_PML4Object, 0, ROOT_CNODE, 0, 0, s0, 256),
               seL4_NoError);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_X64_PML4Object, 0, ROOT_CNODE, 0, 0, s1, 256),
               seL4_NoError);
    for (seL4_Word k = 0; k < 512; k++) {
        seL4_CPtr p = k < 256 ? s0 + k : s1 + (k - 256);
        seL4_Error e = seL4_X86_ASIDPool_Assign(pool, p);
        EXPECT(e == seL4_NoError, "Assign number %lu: %s", (unsigned long)(k + 1), err_name(e));
    }
    VM_NEW(extra, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, extra), seL4_DeleteFirst);
    /* The boot pool is separate. */
    VM_NEW(other, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, other), seL4_NoError);
    /* All of them are real VSpaces: the first and the last map a PDPT. */
    EXPECT_ERR(try_map_pdpt(s0, 0), seL4_NoError);
    EXPECT_ERR(try_map_pdpt(s1 + 255, 0), seL4_NoError);
    /* Deleting the last cap of a PML4 releases its ASID (objects.md §4.2). */
    EXPECT_ERR(r_delete(s0 + 100), seL4_NoError);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, extra), seL4_NoError);
    EXPECT_ERR(try_map_pdpt(extra, 0), seL4_NoError);
    VM_NEW(extra2, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, extra2), seL4_DeleteFirst);
    /* A copy keeps the ASID alive: deleting one of two caps frees nothing. */
    VM_COPY(c, s1 + 7, seL4_AllRights);
    EXPECT_ERR(r_delete(s1 + 7), seL4_NoError);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, extra2), seL4_DeleteFirst);
    EXPECT_ERR(try_map_pdpt(c, 0), seL4_NoError);
    EXPECT_ERR(r_delete(c), seL4_NoError);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, extra2), seL4_NoError);
    return PASS;
}

VMTEST(ASID_0008, "a PML4 without an ASID: no Copy, no mapping into it, not a thread VSpace")
{
    VM_NEW(bare, seL4_X64_PML4Object);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    VM_NEW(f, seL4_X86_4K);
    VM_NEW(tcb, seL4_TCBObject);
    NEW_SLOT(s);
    /* capabilities.md §7: deriving an unassigned PML4 fails. */
    EXPECT_ERR(r_copy(s, bare, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(r_mint(s, bare, seL4_AllRights, 0), seL4_IllegalOperation);
    EXPECT_TYPE(s, CT_NULL);
    EXPECT_ERR(seL4_X86_PDPT_Map(pdpt, bare, 0, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd, bare, 0, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, bare, 0, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(seL4_X86_Page_Map(f, bare, 0x1000, seL4_ReadWrite, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* invocations.md TCBConfigure step 5 / SetSpace. */
    EXPECT_ERR(seL4_TCB_Configure(tcb, 0, ROOT_CNODE, 0, bare, 0, 0, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT_CNODE, 0, bare, 0), seL4_IllegalOperation);
    /* Assigned, the same cap does all of that. */
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, bare), seL4_NoError);
    EXPECT_ERR(r_copy(s, bare, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(s, CT_PML4);
    EXPECT_ERR(seL4_X86_PDPT_Map(pdpt, s, 0, DEF), seL4_NoError);     /* through the copy */
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd, bare, 0, DEF), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, bare, 0, DEF), seL4_NoError);
    EXPECT_ERR(seL4_X86_Page_Map(f, s, 0x1000, seL4_ReadWrite, DEF), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Configure(tcb, 0, ROOT_CNODE, 0, bare, 0, 0, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT_CNODE, 0, s, 0), seL4_NoError);
    /* A copy of an assigned PML4 cannot be assigned again. */
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, s), seL4_InvalidCapability);
    return PASS;
}

VMTEST(ASID_0009, "after its pool is deleted a PML4's ASID names nothing: FailedLookup(InvalidRoot), ordered")
{
    NEW_POOL(pool);
    struct vspace vs;
    EXPECT(vs_create(&vs, pool), "VSpace from the new pool: %s", vm_error());
    seL4_Word va = 0x20000000UL;
    VS_PAGE(f, &vs, va, seL4_ReadWrite);
    EXPECT_ERR(r_delete(pool), seL4_NoError);
    EXPECT_TYPE(vs.pml4, CT_PML4);
    /* invocations.md X86PageMap step 4, X86PageTableMap "ASID errors". */
    VM_NEW(g, seL4_X86_4K);
    EXPECT_ERR(seL4_X86_Page_Map(g, vs.pml4, va + 0x1000, seL4_ReadWrite, DEF), seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs.pml4, va + VM_2M, DEF), seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd, vs.pml4, va + VM_1G, DEF), seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    EXPECT_ERR(seL4_X86_PDPT_Map(pdpt, vs.pml4, VM_512G, DEF), seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    /* Order: the address range check (step 3) comes first, alignment
     * (step 5) after the ASID. */
    EXPECT_ERR(seL4_X86_Page_Map(g, vs.pml4, VM_KERNEL_VADDR, seL4_ReadWrite, DEF),
               seL4_InvalidArgument);
    EXPECT_ERR(seL4_X86_Page_Map(g, vs.pml4, va + 0x1008, seL4_ReadWrite, DEF),
               seL4_FailedLookup);
    EXPECT_MRS(0, LF_INVALID_ROOT);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs.pml4, VM_KERNEL_VADDR, DEF), seL4_InvalidArgument);
    /* The frame mapped there unmaps without complaint; it still records
     * that mapping, so it can be mapped at that address only... */
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    /* ... and after Unmap it maps into the root VSpace. */
    VS_ROOT(rv);
    seL4_Word rva = vm_region();
    EXPECT_ERR(vs_map(&rv, f, 12, rva, seL4_ReadWrite), seL4_NoError);
    EXPECT(peek(rva) == 0, "frame contents");
    return PASS;
}

VMTEST(ASID_0010, "a re-made pool reuses the ASID: the stale PML4 cap → InvalidCapability(1), the new one works")
{
    NEW_UT(ut, 12);
    NEW_SLOT(pool);
    EXPECT_ERR(make_pool(ut, pool), seL4_NoError);
    VM_NEW(x, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, x), seL4_NoError);
    EXPECT_ERR(try_map_pdpt(x, 0), seL4_NoError);
    EXPECT_ERR(r_delete(pool), seL4_NoError);
    /* Same untyped (no children now), same slot: the first free pool
     * number is the one just released, and its first entry is free. */
    EXPECT_ERR(make_pool(ut, pool), seL4_NoError);
    VM_NEW(y, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pool, y), seL4_NoError);
    /* x's ASID now names y (invocations.md §2.6 VS-checks, X86PageMap step 4). */
    EXPECT_ERR(try_map_pdpt(x, VM_512G), seL4_InvalidCapability);
    EXPECT_MRS(1);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, x, 0, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    VM_NEW(f, seL4_X86_4K);
    EXPECT_ERR(seL4_X86_Page_Map(f, x, 0x1000, seL4_ReadWrite, DEF), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* y is a fresh, empty VSpace (x's PDPT is not in it). */
    EXPECT_ERR(try_map_pdpt(y, 0), seL4_NoError);
    return PASS;
}

VMTEST(ASID_0011, "the boot pool: Assign through it and through a copy; deleting the copy changes nothing")
{
    VM_COPY(pc, seL4_CapInitThreadASIDPool, seL4_AllRights);
    EXPECT_TYPE(pc, CT_ASID_POOL);
    VM_NEW(a, seL4_X64_PML4Object);
    VM_NEW(b, seL4_X64_PML4Object);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, a), seL4_NoError);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(pc, b), seL4_NoError);
    EXPECT_ERR(r_delete(pc), seL4_NoError);
    EXPECT_ERR(try_map_pdpt(a, 0), seL4_NoError);
    EXPECT_ERR(try_map_pdpt(b, 0), seL4_NoError);
    /* The root task's own VSpace still works. */
    VS_ROOT(rv);
    seL4_Word va = vm_region();
    VS_PAGE(f, &rv, va, seL4_ReadWrite);
    poke(va, 1);
    EXPECT(peek(va) == 1, "root VSpace");
    /* ASID control is not in the "derive gives null" list of
     * capabilities.md §7, so it copies, and the copy makes pools. */
    NEW_SLOT(s);
    EXPECT_ERR(r_copy(s, seL4_CapASIDControl, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(s, CT_ASID_CONTROL);
    NEW_UT(ut, 12);
    NEW_SLOT(p);
    EXPECT_ERR(seL4_X86_ASIDControl_MakePool(s, ut, ROOT_CNODE, p, ROOT_DEPTH), seL4_NoError);
    EXPECT_TYPE(p, CT_ASID_POOL);
    return PASS;
}

VMTEST(ASID_0012, "deleting a PML4 with live mappings: its frames and tables unmap harmlessly later")
{
    VS_CREATE(vs);
    seL4_Word va = 0x30000000UL;
    VS_PAGE(f, &vs, va, seL4_ReadWrite);
    seL4_CPtr pt = vs_table(&vs, va, 3);
    seL4_CPtr pd = vs_table(&vs, va, 2);
    EXPECT_WRITE(&vs, va + 8, 77);          /* needs a thread in vs: maps the image */
    EXPECT_ERR(r_revoke(vs.pml4), seL4_NoError);
    EXPECT_ERR(r_delete(vs.pml4), seL4_NoError);
    /* capabilities.md §10 / objects.md §4.4: caps below still claim to be
     * mapped; Unmap on them is a no-op. */
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_NoError);
    /* Unmapped now, they are reusable in a new VSpace. */
    VS_CREATE(vs2);
    EXPECT_ERR(vs_tables(&vs2, va, 2), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs2.pml4, va, DEF), seL4_NoError);
    EXPECT_ERR(seL4_X86_Page_Map(f, vs2.pml4, va, seL4_ReadWrite, DEF), seL4_NoError);
    EXPECT_READ(&vs2, va + 8, 77);
    return PASS;
}
