/*
 * CNODE_*: the CNode invocations (capabilities.md §3-§5, §7, §10;
 * invocations.md §1.2, §1.3, §2.3) on the root CNode and small CNodes.
 *
 * Slot contents are observed with seL4_DebugCapIdentify (capabilities.md
 * §8); slots of other CNodes through ctype_at() (Move out, look, Move back).
 */
#include <stdio.h>
#include "util.h"

#define GUARD_FAIL_ROOT(bits_left) seL4_GuardMismatch, (bits_left), 0, 51

/* Root CNode: guard size 51, radix 13 (boot.md §7); a CPtr with bit 13 set
 * fails its guard. */
#define BAD_ROOT_INDEX(slot) ((seL4_Word)(slot) | (1UL << 13))

CTEST(CNODE_0001, "Copy: the copy has the source's type, the source stays, copies of copies")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(b);
    NEW_SLOT(c);
    EXPECT_ERR(r_copy(a, ep, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_ERR(r_copy(b, a, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_ERR(r_copy(c, nt, seL4_ReadWrite), seL4_NoError);
    EXPECT_TYPE(c, CT_NTFN);
    EXPECT_TYPE(nt, CT_NTFN);
    /* Deleting one copy leaves the others. */
    EXPECT_ERR(r_delete(a), seL4_NoError);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_TYPE(ep, CT_EP);
    return PASS;
}

CTEST(CNODE_0002, "Copy of derivable initial caps (TCB, CNode, VSpace with ASID, ASID caps, frames, domain, paging)")
{
    static const struct { seL4_CPtr slot; seL4_Word type; } ok[] = {
        { seL4_CapInitThreadTCB, CT_TCB },
        { seL4_CapInitThreadCNode, CT_CNODE },
        { seL4_CapInitThreadVSpace, CT_PML4 },      /* has ASID 1: derivable (§7) */
        { seL4_CapASIDControl, CT_ASID_CONTROL },
        { seL4_CapInitThreadASIDPool, CT_ASID_POOL },
        { seL4_CapBootInfoFrame, CT_FRAME },
        { seL4_CapInitThreadIPCBuffer, CT_FRAME },
        { seL4_CapDomain, CT_DOMAIN },
    };
    NEW_SLOT(a);
    for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        seL4_Error e = r_copy(a, ok[i].slot, seL4_AllRights);
        EXPECT(e == seL4_NoError, "Copy of slot %lu: %s", (unsigned long)ok[i].slot, err_name(e));
        EXPECT_TYPE(a, ok[i].type);
        EXPECT_ERR(r_delete(a), seL4_NoError);
        EXPECT_TYPE(a, CT_NULL);
        EXPECT_TYPE(ok[i].slot, ok[i].type);
    }
    /* The image's paging structures are mapped, so they are derivable. */
    const seL4_BootInfo *bi = test_bootinfo();
    for (seL4_CPtr s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        seL4_Word t = ctype(s);
        seL4_Error e = r_copy(a, s, seL4_AllRights);
        EXPECT(e == seL4_NoError, "Copy of mapped paging cap in slot %lu (%s): %s",
               (unsigned long)s, type_name(t), err_name(e));
        EXPECT_TYPE(a, t);
        EXPECT_ERR(r_delete(a), seL4_NoError);
    }
    return PASS;
}

CTEST(CNODE_0003, "Copy/Mint of non-derivable caps: IllegalOperation; untyped with children: RevokeFirst")
{
    NEW_UT(ut, 16);
    NEW_SLOT(a);
    /* §7: IRQControl and IOPortControl derive to a null cap. */
    EXPECT_ERR(r_copy(a, seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(r_mint(a, seL4_CapIRQControl, seL4_AllRights, 0), seL4_IllegalOperation);
    EXPECT_ERR(r_copy(a, seL4_CapIOPortControl, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(seL4_CapIRQControl, CT_IRQ_CONTROL);
    EXPECT_TYPE(seL4_CapIOPortControl, CT_IO_PORT_CONTROL);
    /* §7: unmapped paging structures / a PML4 without ASID are not derivable. */
    static const struct { seL4_Word obj; seL4_Word type; } paging[] = {
        { seL4_X64_PML4Object, CT_PML4 }, { seL4_X86_PDPTObject, CT_PDPT },
        { seL4_X86_PageDirectoryObject, CT_PD }, { seL4_X86_PageTableObject, CT_PT },
    };
    for (unsigned i = 0; i < 4; i++) {
        NEW_OBJ(p, ut, paging[i].obj, 0);
        EXPECT_ERR(r_copy(a, p, seL4_AllRights), seL4_IllegalOperation);
        EXPECT_ERR(r_mint(a, p, seL4_AllRights, 0), seL4_IllegalOperation);
        EXPECT_TYPE(a, CT_NULL);
        /* Move does not derive: it works. */
        EXPECT_ERR(r_move(a, p), seL4_NoError);
        EXPECT_TYPE(a, paging[i].type);
        EXPECT_ERR(r_move(p, a), seL4_NoError);
        EXPECT_TYPE(p, paging[i].type);
    }
    /* Frames are always derivable. */
    NEW_OBJ(f, ut, seL4_X86_4K, 0);
    EXPECT_ERR(r_copy(a, f, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_FRAME);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* An untyped with children: RevokeFirst; without: fine. */
    NEW_UT(u2, 12);
    NEW_OBJ(child, u2, seL4_EndpointObject, 0);
    EXPECT_ERR(r_copy(a, u2, seL4_AllRights), seL4_RevokeFirst);
    EXPECT_ERR(r_mint(a, u2, seL4_AllRights, 0), seL4_RevokeFirst);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_ERR(r_delete(child), seL4_NoError);
    EXPECT_ERR(r_copy(a, u2, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(a, CT_UNTYPED);
    return PASS;
}

CTEST(CNODE_0004, "Copy errors in order: dest lookup, DeleteFirst, src lookup, src empty")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(full, ut, seL4_NotificationObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(empty_src);

    /* Destination depth out of range: RangeError(1, 64), before anything. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 0, ROOT_CNODE, BAD_ROOT_INDEX(ep), 64, seL4_AllRights),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 65, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    /* Destination guard mismatch: FailedLookup, source flag 0. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, BAD_ROOT_INDEX(a), 64, ROOT_CNODE, BAD_ROOT_INDEX(ep), 64,
                               seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    /* Destination depth 13 < the root cap's guard size 51. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 13, ROOT_CNODE, ep, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(13));
    /* Occupied destination: DeleteFirst, even with a bad source. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, full, 64, ROOT_CNODE, BAD_ROOT_INDEX(ep), 64,
                               seL4_AllRights), seL4_DeleteFirst);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, full, 64, ROOT_CNODE, ep, 0, seL4_AllRights),
               seL4_DeleteFirst);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, full, 64, ep, 0, 64, seL4_AllRights), seL4_DeleteFirst);
    EXPECT_ERR(r_copy(full, empty_src, seL4_AllRights), seL4_DeleteFirst);
    /* Source lookup: RangeError / FailedLookup with source flag 1. */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, ep, 0, seL4_AllRights),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, ep, 65, seL4_AllRights),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ROOT_CNODE, 1UL << 40, 64, seL4_AllRights),
               seL4_FailedLookup);
    EXPECT_MRS(1, GUARD_FAIL_ROOT(64));
    /* Source root not a CNode: FailedLookup(1, InvalidRoot). */
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, ep, 0, 64, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_InvalidRoot);
    /* Empty source: FailedLookup(1, MissingCapability, bitsLeft = src depth). */
    EXPECT_ERR(r_copy(a, empty_src, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 64);
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(CNODE_0005, "Copy TruncatedMessage cases and their place in the check order (raw Call)")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(empty_src);
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[5] = { a, 64, ep, 64, 0xF };
    seL4_MessageInfo_t r;

    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 0, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 1, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT(seL4_MessageInfo_get_length(r) == 0, "Truncated reply length %lu",
           (unsigned long)seL4_MessageInfo_get_length(r));
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 3, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 4, 0, root, m, 5);      /* no extra cap */
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* The destination lookup comes before the length < 4 check. */
    seL4_Word bad_dest[5] = { a, 0, ep, 64, 0xF };
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 3, 1, root, bad_dest, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_RangeError);
    /* length 4: DeleteFirst and the source checks come before length < 5. */
    seL4_Word occupied[5] = { ep, 64, ep, 64, 0xF };
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 4, 1, root, occupied, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_DeleteFirst);
    seL4_Word no_src[5] = { a, 64, empty_src, 64, 0xF };
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 4, 1, root, no_src, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 64);
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 4, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT_TYPE(a, CT_NULL);
    /* length 5 is complete. */
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 5, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    return PASS;
}

CTEST(CNODE_0006, "Mint sets a badge (observed through a notification); badged caps cannot be re-minted")
{
    NEW_UT(ut, 16);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_SLOT(m1);
    NEW_SLOT(m2);
    NEW_SLOT(c1);
    NEW_SLOT(u0);
    NEW_SLOT(m3);
    NEW_SLOT(big);
    NEW_SLOT(x);
    EXPECT(ntfn_poll(nt) == 0, "fresh notification word not 0");
    EXPECT_ERR(r_mint(m1, nt, seL4_AllRights, 0x55), seL4_NoError);
    EXPECT_TYPE(m1, CT_NTFN);
    seL4_Signal(m1);
    seL4_Word w = ntfn_poll(nt);
    EXPECT(w == 0x55, "word after Signal via badge 0x55: %#lx", (unsigned long)w);
    /* A copy of a badged cap keeps the badge. */
    EXPECT_ERR(r_copy(c1, m1, seL4_AllRights), seL4_NoError);
    seL4_Signal(c1);
    w = ntfn_poll(nt);
    EXPECT(w == 0x55, "word after Signal via a copy: %#lx", (unsigned long)w);
    /* Signals OR their badges together (§4). */
    EXPECT_ERR(r_mint(m2, nt, seL4_AllRights, 0xF00), seL4_NoError);
    seL4_Signal(m1);
    seL4_Signal(m2);
    w = ntfn_poll(nt);
    EXPECT(w == 0xF55, "word after two Signals: %#lx", (unsigned long)w);
    EXPECT(ntfn_poll(nt) == 0, "Poll did not clear the word");
    /* Minting a badged cap: IllegalOperation whatever the badge argument. */
    EXPECT_ERR(r_mint(x, m1, seL4_AllRights, 0x77), seL4_IllegalOperation);
    EXPECT_ERR(r_mint(x, m1, seL4_AllRights, 0), seL4_IllegalOperation);
    EXPECT_ERR(r_mint(x, c1, seL4_AllRights, 0x55), seL4_IllegalOperation);
    EXPECT_TYPE(x, CT_NULL);
    /* Mint with badge 0 leaves the cap unbadged: it can be minted again. */
    EXPECT_ERR(r_mint(u0, nt, seL4_AllRights, 0), seL4_NoError);
    EXPECT_ERR(r_mint(m3, u0, seL4_AllRights, 0x9), seL4_NoError);
    seL4_Signal(m3);
    w = ntfn_poll(nt);
    EXPECT(w == 0x9, "word after Signal via badge 9: %#lx", (unsigned long)w);
    /* All 64 badge bits are kept. */
    EXPECT_ERR(r_mint(big, nt, seL4_AllRights, 0x8000000000000001UL), seL4_NoError);
    seL4_Signal(big);
    w = ntfn_poll(nt);
    EXPECT(w == 0x8000000000000001UL, "64-bit badge arrived as %#lx", (unsigned long)w);
    /* Endpoint caps follow the same rule. */
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(eb);
    EXPECT_ERR(r_mint(eb, ep, seL4_AllRights, 5), seL4_NoError);
    EXPECT_TYPE(eb, CT_EP);
    EXPECT_ERR(r_mint(x, eb, seL4_AllRights, 6), seL4_IllegalOperation);
    EXPECT_ERR(r_copy(x, eb, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(x, CT_EP);
    return PASS;
}

CTEST(CNODE_0007, "Copy/Mint mask rights (AND) and can never add them back")
{
    NEW_UT(ut, 16);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(ro);
    NEW_SLOT(wo);
    NEW_SLOT(ro2);
    NEW_SLOT(wo2);
    /* Notification: Write = may Signal, Read = may Wait/Poll. */
    EXPECT_ERR(r_mint(ro, nt, seL4_CanRead, 0x1), seL4_NoError);
    EXPECT_ERR(r_mint(wo, nt, seL4_CanWrite, 0x2), seL4_NoError);
    seL4_Signal(ro);                                /* no Write: dropped */
    seL4_Word w = ntfn_poll(nt);
    EXPECT(w == 0, "Signal through a read-only cap changed the word to %#lx", (unsigned long)w);
    seL4_Signal(wo);
    w = ntfn_poll(ro);                              /* Poll through the read-only cap */
    EXPECT(w == 0x2, "word %#lx after Signal via write-only cap", (unsigned long)w);
    /* Rights do not grow back on Copy with AllRights. */
    EXPECT_ERR(r_copy(ro2, ro, seL4_AllRights), seL4_NoError);
    seL4_Signal(ro2);
    w = ntfn_poll(nt);
    EXPECT(w == 0, "copy of a read-only cap could Signal (word %#lx)", (unsigned long)w);
    /* Write removed by the mask. */
    EXPECT_ERR(r_copy(wo2, nt, seL4_CanRead), seL4_NoError);
    seL4_Signal(wo2);
    w = ntfn_poll(nt);
    EXPECT(w == 0, "cap copied with CanRead could Signal (word %#lx)", (unsigned long)w);

    /* Endpoint: CancelBadgedSends needs all four rights (§5). */
    static const seL4_Word masks[] = { 0x7, 0xB, 0xD, 0xE, 0x3, 0x0 };
    NEW_SLOT(e);
    NEW_SLOT(e2);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ep, 64), seL4_NoError);
    for (unsigned i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
        EXPECT_ERR(r_copy(e, ep, rights_w(masks[i])), seL4_NoError);
        seL4_Error err = seL4_CNode_CancelBadgedSends(ROOT_CNODE, e, 64);
        EXPECT(err == seL4_IllegalOperation, "CancelBadgedSends on a copy with rights %#lx: %s",
               (unsigned long)masks[i], err_name(err));
        EXPECT_ERR(r_copy(e2, e, seL4_AllRights), seL4_NoError);
        err = seL4_CNode_CancelBadgedSends(ROOT_CNODE, e2, 64);
        EXPECT(err == seL4_IllegalOperation, "rights %#lx grew back to all on Copy: %s",
               (unsigned long)masks[i], err_name(err));
        EXPECT_ERR(r_delete(e2), seL4_NoError);
        EXPECT_ERR(r_delete(e), seL4_NoError);
    }
    EXPECT_ERR(r_mint(e, ep, seL4_NoWrite, 3), seL4_NoError);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, e, 64), seL4_IllegalOperation);
    EXPECT_ERR(r_delete(e), seL4_NoError);
    EXPECT_ERR(r_mint(e, ep, seL4_AllRights, 3), seL4_NoError);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, e, 64), seL4_NoError);

    /* Caps without rights: masking has no effect (§3). */
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(cn0);
    EXPECT_ERR(r_copy(cn0, cn, seL4_NoRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(cn0, 3, 4, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE_AT(cn, 3, 4, CT_EP);
    NEW_UT(u2, 12);
    NEW_SLOT(u2c);
    EXPECT_ERR(r_copy(u2c, u2, seL4_NoRights), seL4_NoError);
    NEW_SLOT(obj);
    EXPECT_ERR(seL4_Untyped_Retype(u2c, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, obj, 1),
               seL4_NoError);
    EXPECT_TYPE(obj, CT_EP);
    return PASS;
}

CTEST(CNODE_0008, "Mint: CNode guard data, badge ignored for other types, errors and truncation")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(empty_src);
    /* Root CNode radix 13: guard size 51 fits (= the original cap), 52 does not. */
    EXPECT_ERR(r_mint(a, ROOT_CNODE, seL4_AllRights, cnode_data(0, 52)), seL4_IllegalOperation);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_ERR(r_mint(a, ROOT_CNODE, seL4_AllRights, cnode_data(0, 51)), seL4_NoError);
    EXPECT_TYPE(a, CT_CNODE);
    /* The minted root CNode cap works like the original one. */
    NEW_SLOT(b);
    EXPECT_ERR(seL4_CNode_Copy(a, b, 64, a, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_ERR(r_delete(b), seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* Other cap types ignore the badge. */
    EXPECT_ERR(r_mint(a, tcb, seL4_AllRights, 0x1234), seL4_NoError);
    EXPECT_TYPE(a, CT_TCB);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* Truncation: length < 6 only after the source checks (raw Call). */
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[6] = { a, 64, ep, 64, 0xF, 7 };
    seL4_MessageInfo_t r = raw_call(ROOT_CNODE, TL_CNodeMint, 5, 1, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeMint, 3, 1, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeMint, 6, 0, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    seL4_Word no_src[6] = { a, 64, empty_src, 64, 0xF, 7 };
    r = raw_call(ROOT_CNODE, TL_CNodeMint, 5, 1, root, no_src, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 64);
    seL4_Word occupied[6] = { ep, 64, empty_src, 64, 0xF, 7 };
    r = raw_call(ROOT_CNODE, TL_CNodeMint, 5, 1, root, occupied, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_DeleteFirst);
    EXPECT_TYPE(a, CT_NULL);
    r = raw_call(ROOT_CNODE, TL_CNodeMint, 6, 1, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    /* Source errors of Mint: as Copy. */
    NEW_SLOT(c);
    EXPECT_ERR(seL4_CNode_Mint(ROOT_CNODE, c, 64, ROOT_CNODE, ep, 0, seL4_AllRights, 1),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Mint(ROOT_CNODE, c, 64, ep, 0, 64, seL4_AllRights, 1), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_InvalidRoot);
    return PASS;
}

CTEST(CNODE_0009, "Move: the cap changes slot; DeleteFirst, FailedLookup, TruncatedMessage")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(empty_src);
    EXPECT_ERR(r_move(a, ep), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_TYPE(ep, CT_NULL);
    EXPECT_ERR(r_move(ep, a), seL4_NoError);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_TYPE(a, CT_NULL);
    /* Occupied destination (also: a slot onto itself). */
    EXPECT_ERR(r_move(nt, ep), seL4_DeleteFirst);
    EXPECT_ERR(r_move(ep, ep), seL4_DeleteFirst);
    EXPECT_ERR(r_move(nt, empty_src), seL4_DeleteFirst);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_TYPE(nt, CT_NTFN);
    /* Source errors. */
    EXPECT_ERR(r_move(a, empty_src), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 64);
    EXPECT_ERR(seL4_CNode_Move(ROOT_CNODE, a, 64, ROOT_CNODE, ep, 65), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Move(ROOT_CNODE, a, 64, ROOT_CNODE, BAD_ROOT_INDEX(ep), 64),
               seL4_FailedLookup);
    EXPECT_MRS(1, GUARD_FAIL_ROOT(64));
    EXPECT_ERR(seL4_CNode_Move(ROOT_CNODE, BAD_ROOT_INDEX(a), 64, ROOT_CNODE, ep, 64),
               seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    /* Truncation (raw): length < 4 or no extra cap. */
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[4] = { a, 64, ep, 64 };
    seL4_MessageInfo_t r = raw_call(ROOT_CNODE, TL_CNodeMove, 3, 1, root, m, 4);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeMove, 4, 0, root, m, 4);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT_TYPE(ep, CT_EP);
    r = raw_call(ROOT_CNODE, TL_CNodeMove, 4, 1, root, m, 4);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_TYPE(ep, CT_NULL);
    return PASS;
}

CTEST(CNODE_0010, "Move keeps the cap's place in the derivation tree")
{
    NEW_UT(ut, 12);
    NEW_SLOT(ep);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, ep, 1),
               seL4_NoError);
    NEW_SLOT(c1);
    NEW_SLOT(c2);
    NEW_SLOT(c3);
    NEW_SLOT(c4);
    NEW_SLOT(ep2);
    NEW_SLOT(ut2);
    EXPECT_ERR(r_copy(c1, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c2, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c3, ep, seL4_AllRights), seL4_NoError);
    /* Move a copy, then the parent: Revoke through the new parent slot
     * still finds the moved copy. */
    EXPECT_ERR(r_move(c4, c3), seL4_NoError);
    EXPECT_ERR(r_move(ep2, ep), seL4_NoError);
    EXPECT_ERR(r_revoke(ep2), seL4_NoError);
    EXPECT_TYPE(c1, CT_NULL);
    EXPECT_TYPE(c2, CT_NULL);
    EXPECT_TYPE(c4, CT_NULL);
    EXPECT_TYPE(ep2, CT_EP);
    /* Moving an untyped keeps its children: Revoke at the new slot. */
    EXPECT_ERR(r_move(ut2, ut), seL4_NoError);
    EXPECT_TYPE(ut, CT_NULL);
    EXPECT_ERR(r_copy(c1, ut2, seL4_AllRights), seL4_RevokeFirst);
    seL4_Word fb = ut_free_bytes(ut2);
    EXPECT(fb == 4096 - 16, "free bytes after Move %ld", (long)fb);
    EXPECT_ERR(r_revoke(ut2), seL4_NoError);
    EXPECT_TYPE(ep2, CT_NULL);
    EXPECT_ERR(r_copy(c1, ut2, seL4_AllRights), seL4_NoError);
    return PASS;
}

CTEST(CNODE_0011, "Mutate: endpoint/notification IllegalOperation; untyped and CNode move with new data")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 8);
    NEW_UT(u2, 12);
    NEW_SLOT(a);
    NEW_SLOT(empty_src);
    /* §4: Mutate on any endpoint/notification cap gives a null cap. */
    EXPECT_ERR(r_mutate(a, ep, 0), seL4_IllegalOperation);
    EXPECT_ERR(r_mutate(a, ep, 5), seL4_IllegalOperation);
    EXPECT_ERR(r_mutate(a, nt, 0), seL4_IllegalOperation);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_TYPE(nt, CT_NTFN);
    /* Untyped: data ignored, cap moved, still usable. */
    EXPECT_ERR(r_mutate(a, u2, 0x123), seL4_NoError);
    EXPECT_TYPE(a, CT_UNTYPED);
    EXPECT_TYPE(u2, CT_NULL);
    NEW_SLOT(obj);
    EXPECT_ERR(seL4_Untyped_Retype(a, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, obj, 1),
               seL4_NoError);
    EXPECT_ERR(r_move(u2, a), seL4_NoError);
    /* CNode: new guard. radix 8 + guard size 57 > 64: IllegalOperation. */
    NEW_SLOT(g);
    EXPECT_ERR(r_mutate(g, cn, cnode_data(0x5, 57)), seL4_IllegalOperation);
    EXPECT_TYPE(cn, CT_CNODE);
    EXPECT_ERR(seL4_CNode_Copy(cn, 7, 8, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_mutate(g, cn, cnode_data(0x5, 56)), seL4_NoError);
    EXPECT_TYPE(cn, CT_NULL);
    EXPECT_TYPE(g, CT_CNODE);
    /* The mutated cap now consumes 56 guard bits + 8 index bits. */
    EXPECT_TYPE_AT(g, (0x5UL << 8) | 7, 64, CT_EP);
    EXPECT_ERR(seL4_CNode_Copy(ROOT_CNODE, a, 64, g, 7, 8, seL4_AllRights), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_GuardMismatch, 8, 0x5, 56);
    /* Errors: DeleteFirst, empty source, truncation after the source checks. */
    EXPECT_ERR(r_mutate(ep, u2, 0), seL4_DeleteFirst);
    EXPECT_ERR(r_mutate(a, empty_src, 0), seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 64);
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[5] = { a, 64, u2, 64, 0 };
    seL4_MessageInfo_t r = raw_call(ROOT_CNODE, TL_CNodeMutate, 4, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT_TYPE(u2, CT_UNTYPED);
    seL4_Word no_src[5] = { a, 64, empty_src, 64, 0 };
    r = raw_call(ROOT_CNODE, TL_CNodeMutate, 4, 1, root, no_src, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_FailedLookup);
    r = raw_call(ROOT_CNODE, TL_CNodeMutate, 5, 1, root, m, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT_TYPE(a, CT_UNTYPED);
    EXPECT_TYPE(u2, CT_NULL);
    return PASS;
}

CTEST(CNODE_0012, "Rotate: src -> pivot, pivot -> dest, each with its new cap data")
{
    NEW_UT(ut, 16);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    NEW_SLOT(dest);
    /* src = TCB, pivot = frame, dest empty. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, dest, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 tcb, 64), seL4_NoError);
    EXPECT_TYPE(dest, CT_FRAME);
    EXPECT_TYPE(frame, CT_TCB);
    EXPECT_TYPE(tcb, CT_NULL);

    /* With CNode caps the data words become guards: dest_badge for the
     * cap that goes pivot -> dest, pivot_badge for src -> pivot. */
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_OBJ(ca, ut, seL4_CapTableObject, 8);
    NEW_OBJ(cb, ut, seL4_CapTableObject, 8);
    NEW_SLOT(d2);
    EXPECT_ERR(seL4_CNode_Copy(ca, 1, 8, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(cb, 2, 8, ROOT_CNODE, nt, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d2, 64, cnode_data(0x3, 4), ROOT_CNODE, cb, 64,
                                 cnode_data(0x7, 56), ROOT_CNODE, ca, 64), seL4_NoError);
    EXPECT_TYPE(ca, CT_NULL);
    EXPECT_TYPE(cb, CT_CNODE);
    EXPECT_TYPE(d2, CT_CNODE);
    /* d2 = CNode B with guard 0x3/4 bits; cb = CNode A with guard 0x7/56 bits. */
    EXPECT_TYPE_AT(d2, (0x3UL << 8) | 2, 12, CT_NTFN);
    EXPECT_TYPE_AT(cb, (0x7UL << 8) | 1, 64, CT_EP);
    return PASS;
}

CTEST(CNODE_0013, "Rotate with src == dest swaps the two caps (with their derivation subtrees)")
{
    NEW_UT(ut, 16);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, tcb, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 tcb, 64), seL4_NoError);
    EXPECT_TYPE(tcb, CT_FRAME);
    EXPECT_TYPE(frame, CT_TCB);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, tcb, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 tcb, 64), seL4_NoError);
    EXPECT_TYPE(tcb, CT_TCB);
    EXPECT_TYPE(frame, CT_FRAME);
    /* Swap an untyped that has a child with the frame: the child follows. */
    NEW_UT(u2, 12);
    NEW_OBJ(child, u2, seL4_EndpointObject, 0);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, u2, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 u2, 64), seL4_NoError);
    EXPECT_TYPE(frame, CT_UNTYPED);
    EXPECT_TYPE(u2, CT_FRAME);
    EXPECT_ERR(r_revoke(frame), seL4_NoError);
    EXPECT_TYPE(child, CT_NULL);
    EXPECT_TYPE(u2, CT_FRAME);
    return PASS;
}

CTEST(CNODE_0014, "Rotate errors in the documented order")
{
    NEW_UT(ut, 16);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(d);
    NEW_SLOT(e1);
    NEW_SLOT(cncopy);
    /* Truncation (raw): length < 8, fewer than 2 extra caps. */
    const seL4_CPtr caps[2] = { ROOT_CNODE, ROOT_CNODE };
    seL4_Word m[8] = { d, 64, 0, frame, 64, 0, tcb, 64 };
    seL4_MessageInfo_t r = raw_call(ROOT_CNODE, TL_CNodeRotate, 7, 2, caps, m, 8);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(ROOT_CNODE, TL_CNodeRotate, 8, 1, caps, m, 8);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT_TYPE(d, CT_NULL);
    /* Destination lookup first. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 0, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 1UL << 40, 64), seL4_RangeError);
    EXPECT_MRS(1, 64);
    /* Then the source lookup (source flag 1) before the pivot lookup. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ROOT_CNODE, frame, 0, 0, ROOT_CNODE,
                                 1UL << 40, 64), seL4_FailedLookup);
    EXPECT_MRS(1, GUARD_FAIL_ROOT(64));
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ROOT_CNODE, 1UL << 40, 64, 0, ROOT_CNODE,
                                 tcb, 64), seL4_FailedLookup);
    EXPECT_MRS(1, GUARD_FAIL_ROOT(64));
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ep, 0, 64, 0, ROOT_CNODE, tcb, 64),
               seL4_FailedLookup);
    EXPECT_MRS(1, seL4_InvalidRoot);
    /* pivot == src or pivot == dest: IllegalOperation, before emptiness checks. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ROOT_CNODE, e1, 64, 0, ROOT_CNODE, e1, 64),
               seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, tcb, 64, 0, ROOT_CNODE, tcb, 64, 0, ROOT_CNODE,
                                 frame, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, tcb, 64, 0, ROOT_CNODE, tcb, 64, 0, ROOT_CNODE,
                                 tcb, 64), seL4_IllegalOperation);
    /* src != dest and dest occupied: DeleteFirst, even with an empty src. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, tcb, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 e1, 64), seL4_DeleteFirst);
    /* Empty src: FailedLookup(1, MissingCapability, src_depth); use the
     * 16-slot CNode so that the depth (4) is recognisable. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, cn, 5, 4, 0, cn, 3, 4),
               seL4_FailedLookup);
    EXPECT_MRS(1, seL4_MissingCapability, 4);
    /* Full src, empty pivot: FailedLookup with source flag 0 (§5). */
    EXPECT_ERR(seL4_CNode_Move(cn, 3, 4, ROOT_CNODE, tcb, 64), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, cn, 5, 4, 0, cn, 3, 4),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 4);
    EXPECT_TYPE_AT(cn, 3, 4, CT_TCB);
    EXPECT_TYPE(d, CT_NULL);
    /* Endpoint / notification caps cannot be updated with "preserve": null. */
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ROOT_CNODE, frame, 64, 0, ROOT_CNODE,
                                 ep, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, 0, ROOT_CNODE, nt, 64, 0, ROOT_CNODE,
                                 frame, 64), seL4_IllegalOperation);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_TYPE(nt, CT_NTFN);
    EXPECT_TYPE(frame, CT_FRAME);
    EXPECT_TYPE(d, CT_NULL);
    /* A CNode pivot with a guard too large for its radix (4 + 61 > 64). */
    EXPECT_ERR(r_copy(cncopy, cn, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Rotate(ROOT_CNODE, d, 64, cnode_data(0, 61), ROOT_CNODE, cncopy, 64, 0,
                                 ROOT_CNODE, frame, 64), seL4_IllegalOperation);
    EXPECT_TYPE(cncopy, CT_CNODE);
    EXPECT_TYPE(d, CT_NULL);
    return PASS;
}

CTEST(CNODE_0015, "Delete: removes one cap; empty slot is fine; lookup errors; last cap destroys the object")
{
    NEW_UT(ut, 12);
    NEW_SLOT(ep);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, ep, 1),
               seL4_NoError);
    NEW_SLOT(a);
    NEW_SLOT(b);
    EXPECT_ERR(r_copy(a, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(b, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_ERR(r_delete(a), seL4_NoError);          /* empty: success */
    EXPECT_ERR(seL4_CNode_Delete(ROOT_CNODE, b, 0), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Delete(ROOT_CNODE, b, 65), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Delete(ROOT_CNODE, BAD_ROOT_INDEX(b), 64), seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    EXPECT_TYPE(b, CT_EP);
    /* Deleting the original while a copy exists keeps the object... */
    EXPECT_ERR(r_delete(ep), seL4_NoError);
    EXPECT_TYPE(b, CT_EP);
    seL4_Word fb = ut_free_bytes(ut);
    EXPECT(fb == 4096 - 16, "untyped free bytes %ld with the endpoint alive", (long)fb);
    /* ...deleting the last cap destroys it: the untyped has no child left. */
    EXPECT_ERR(r_delete(b), seL4_NoError);
    fb = ut_free_bytes(ut);
    EXPECT(fb == 4096, "untyped free bytes %ld after the last cap went", (long)fb);
    return PASS;
}

CTEST(CNODE_0016, "Deleting the last cap of a CNode deletes the caps inside it (nested CNodes too)")
{
    NEW_UT(ut, 16);
    NEW_UT(u2, 12);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(x);
    /* C2 lives only in cn[0]; an endpoint from u2 lives only in C2[5]. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_CapTableObject, 3, cn, 0, 0, 0, 1), seL4_NoError);
    EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, cn, 0, 4, 5, 1), seL4_NoError);
    /* And a second endpoint from u2 directly in cn[2]. */
    EXPECT_ERR(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, cn, 0, 0, 2, 1), seL4_NoError);
    EXPECT_TYPE_AT(cn, 0, 4, CT_CNODE);
    EXPECT_TYPE_AT(cn, 2, 4, CT_EP);
    EXPECT_TYPE_AT(cn, 5, 7, CT_EP);                /* cn[0] -> C2[5], 4 + 3 bits */
    EXPECT_ERR(r_copy(x, u2, seL4_AllRights), seL4_RevokeFirst);
    seL4_Word fb = ut_free_bytes(u2);
    EXPECT(fb == 4096 - 32, "free bytes %ld with two endpoints", (long)fb);
    EXPECT_ERR(r_delete(cn), seL4_NoError);
    EXPECT_TYPE(cn, CT_NULL);
    /* Both endpoints were deleted with the CNodes: u2 has no children. */
    EXPECT_ERR(r_copy(x, u2, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(x), seL4_NoError);
    fb = ut_free_bytes(u2);
    EXPECT(fb == 4096, "free bytes %ld after the CNode went", (long)fb);
    return PASS;
}

CTEST(CNODE_0017, "Revoke deletes every copy and keeps the target; Revoke of a leaf or empty slot is a no-op")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    NEW_SLOT(b);
    NEW_SLOT(c);
    NEW_SLOT(empty);
    EXPECT_ERR(r_copy(a, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(b, ep, seL4_ReadWrite), seL4_NoError);
    EXPECT_ERR(r_copy(c, a, seL4_AllRights), seL4_NoError);
    /* A copy has no children: revoking it changes nothing. */
    EXPECT_ERR(r_revoke(a), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_TYPE(c, CT_EP);
    EXPECT_ERR(r_revoke(empty), seL4_NoError);
    EXPECT_ERR(r_revoke(ep), seL4_NoError);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(b, CT_NULL);
    EXPECT_TYPE(c, CT_NULL);
    /* Lookup errors. */
    EXPECT_ERR(seL4_CNode_Revoke(ROOT_CNODE, ep, 0), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_Revoke(ROOT_CNODE, BAD_ROOT_INDEX(ep), 64), seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    return PASS;
}

CTEST(CNODE_0018, "Revoke of a badged (minted) cap deletes only that badge's subtree")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    /* Three badge lineages (mint + copies) and a plain copy, all under ep. */
    seL4_CPtr m = slot_alloc_range(3), c = slot_alloc_range(6);
    EXPECT(m != 0 && c != 0, "no slots");
    NEW_SLOT(plain);
    for (seL4_Word k = 0; k < 3; k++)
        EXPECT_ERR(r_mint(m + k, ep, seL4_AllRights, 5 + k), seL4_NoError);
    for (seL4_Word k = 0; k < 3; k++) {
        EXPECT_ERR(r_copy(c + 2 * k, m + k, seL4_AllRights), seL4_NoError);
        EXPECT_ERR(r_copy(c + 2 * k + 1, c + 2 * k, seL4_AllRights), seL4_NoError);
    }
    EXPECT_ERR(r_copy(plain, ep, seL4_AllRights), seL4_NoError);
    /* Revoke the middle lineage (badge 6). */
    EXPECT_ERR(r_revoke(m + 1), seL4_NoError);
    EXPECT_TYPE(m + 1, CT_EP);
    EXPECT_TYPE(c + 2, CT_NULL);
    EXPECT_TYPE(c + 3, CT_NULL);
    for (seL4_Word k = 0; k < 3; k += 2) {
        EXPECT_TYPE(m + k, CT_EP);
        EXPECT_TYPE(c + 2 * k, CT_EP);
        EXPECT_TYPE(c + 2 * k + 1, CT_EP);
    }
    EXPECT_TYPE(plain, CT_EP);
    /* Then badge 7, then badge 5. */
    EXPECT_ERR(r_revoke(m + 2), seL4_NoError);
    EXPECT_TYPE(c + 4, CT_NULL);
    EXPECT_TYPE(c + 5, CT_NULL);
    EXPECT_TYPE(m, CT_EP);
    EXPECT_TYPE(c, CT_EP);
    EXPECT_TYPE(c + 1, CT_EP);
    EXPECT_ERR(r_revoke(m), seL4_NoError);
    EXPECT_TYPE(c, CT_NULL);
    EXPECT_TYPE(c + 1, CT_NULL);
    EXPECT_TYPE(m + 1, CT_EP);
    EXPECT_TYPE(m + 2, CT_EP);
    EXPECT_TYPE(plain, CT_EP);
    /* Revoke of the unbadged original takes everything. */
    EXPECT_ERR(r_revoke(ep), seL4_NoError);
    EXPECT_TYPE(ep, CT_EP);
    for (seL4_Word k = 0; k < 3; k++)
        EXPECT_TYPE(m + k, CT_NULL);
    EXPECT_TYPE(plain, CT_NULL);
    return PASS;
}

CTEST(CNODE_0019, "CancelBadgedSends: needs an endpoint cap with all rights; badged and unbadged succeed")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(nt, ut, seL4_NotificationObject, 0);
    NEW_SLOT(b);
    NEW_SLOT(empty);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ep, 64), seL4_NoError);
    EXPECT_ERR(r_mint(b, ep, seL4_AllRights, 0x42), seL4_NoError);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, b, 64), seL4_NoError);
    EXPECT_TYPE(b, CT_EP);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, empty, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, nt, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ROOT_CNODE, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ut, 64), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ep, 0), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, BAD_ROOT_INDEX(ep), 64), seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    return PASS;
}

CTEST(CNODE_0020, "SaveCaller: no caller = success with the slot left empty; occupied slot = DeleteFirst")
{
    NEW_UT(ut, 12);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, a, 64), seL4_NoError);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, ep, 64), seL4_DeleteFirst);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, a, 65), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, BAD_ROOT_INDEX(a), 64), seL4_FailedLookup);
    EXPECT_MRS(0, GUARD_FAIL_ROOT(64));
    return PASS;
}

CTEST(CNODE_0021, "Label dispatch: non-CNode labels on a CNode, CNode labels elsewhere, length < 2")
{
    NEW_UT(ut, 16);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    NEW_SLOT(a);
    const seL4_CPtr root[2] = { ROOT_CNODE, ROOT_CNODE };
    seL4_Word m[8] = { a, 64, a, 64, 0xF, 0, 0, 0 };
    static const seL4_Word not_cnode[] = { TL_UntypedRetype, TL_TCBSetFlags, TL_IRQIssueIRQHandler,
                                           33, 52, 1000 };
    for (unsigned i = 0; i < sizeof(not_cnode) / sizeof(not_cnode[0]); i++) {
        /* The label check comes before the length check. */
        seL4_MessageInfo_t r = raw_call(ROOT_CNODE, not_cnode[i], 0, 0, root, m, 0);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "label %lu on a CNode: %s", (unsigned long)not_cnode[i],
               err_name(seL4_MessageInfo_get_label(r)));
        r = raw_call(ROOT_CNODE, not_cnode[i], 6, 1, root, m, 8);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "label %lu on a CNode (length 6): %s", (unsigned long)not_cnode[i],
               err_name(seL4_MessageInfo_get_label(r)));
    }
    for (seL4_Word l = TL_CNodeRevoke; l <= TL_CNodeSaveCaller; l++) {
        for (seL4_Word len = 0; len < 2; len++) {
            seL4_MessageInfo_t r = raw_call(ROOT_CNODE, l, len, 2, root, m, 8);
            EXPECT(seL4_MessageInfo_get_label(r) == seL4_TruncatedMessage,
                   "CNode label %lu with length %lu: %s", (unsigned long)l, (unsigned long)len,
                   err_name(seL4_MessageInfo_get_label(r)));
        }
        /* Other cap types reject CNode labels. */
        seL4_MessageInfo_t r = raw_call(ut, l, 8, 2, root, m, 8);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "CNode label %lu on an untyped: %s", (unsigned long)l,
               err_name(seL4_MessageInfo_get_label(r)));
        r = raw_call(tcb, l, 8, 2, root, m, 8);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "CNode label %lu on a TCB: %s", (unsigned long)l,
               err_name(seL4_MessageInfo_get_label(r)));
        r = raw_call(frame, l, 8, 2, root, m, 8);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "CNode label %lu on a frame: %s", (unsigned long)l,
               err_name(seL4_MessageInfo_get_label(r)));
    }
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(CNODE_0022, "Successful CNode invocations reply label 0, length 0, no caps")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    NEW_SLOT(a);
    NEW_SLOT(b);
    NEW_SLOT(c);
    const seL4_CPtr root[2] = { ROOT_CNODE, ROOT_CNODE };
    struct { seL4_Word label, len, ncaps; seL4_Word mr[8]; } ops[] = {
        { TL_CNodeCopy, 5, 1, { a, 64, ep, 64, 0xF } },
        { TL_CNodeMint, 6, 1, { b, 64, ep, 64, 0xF, 0x99 } },
        { TL_CNodeRevoke, 2, 0, { ep, 64 } },                   /* deletes a and b */
        { TL_CNodeMove, 4, 1, { a, 64, tcb, 64 } },
        { TL_CNodeMutate, 5, 1, { tcb, 64, a, 64, 0 } },
        { TL_CNodeRotate, 8, 2, { c, 64, 0, frame, 64, 0, tcb, 64 } },
        { TL_CNodeCancelBadgedSends, 2, 0, { ep, 64 } },
        { TL_CNodeSaveCaller, 2, 0, { b, 64 } },
        { TL_CNodeDelete, 2, 0, { c, 64 } },
    };
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        seL4_MessageInfo_t r = raw_call(ROOT_CNODE, ops[i].label, ops[i].len, ops[i].ncaps, root,
                                        ops[i].mr, ops[i].len);
        EXPECT(seL4_MessageInfo_get_label(r) == 0 && seL4_MessageInfo_get_length(r) == 0 &&
                   seL4_MessageInfo_get_extraCaps(r) == 0,
               "label %lu: reply label %lu (%s) length %lu caps %lu", (unsigned long)ops[i].label,
               (unsigned long)seL4_MessageInfo_get_label(r),
               err_name(seL4_MessageInfo_get_label(r)),
               (unsigned long)seL4_MessageInfo_get_length(r),
               (unsigned long)seL4_MessageInfo_get_extraCaps(r));
    }
    /* After: tcb -> pivot (frame slot), frame -> c, deleted. */
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_TYPE(b, CT_NULL);
    EXPECT_TYPE(c, CT_NULL);
    EXPECT_TYPE(tcb, CT_NULL);
    EXPECT_TYPE(frame, CT_TCB);
    EXPECT_TYPE(ep, CT_EP);
    return PASS;
}

CTEST(CNODE_0023, "Depth arguments are whole words: 0x140 is out of range, not 64")
{
    NEW_UT(ut, 12);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    const seL4_CPtr root[1] = { ROOT_CNODE };
    /* capabilities.md §5: "the kernel reads the whole word". */
    seL4_Word del[2] = { ep, 0x140 };
    seL4_MessageInfo_t r = raw_call(ROOT_CNODE, TL_CNodeDelete, 2, 0, root, del, 2);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_TYPE(ep, CT_EP);
    seL4_Word cp[5] = { a, 64, ep, 0x140, 0xF };
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 5, 1, root, cp, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_TYPE(a, CT_NULL);
    /* Rights: only the low four bits of the rights word mean anything. */
    seL4_Word cp2[5] = { a, 64, ep, 64, ~0UL };
    r = raw_call(ROOT_CNODE, TL_CNodeCopy, 5, 1, root, cp2, 5);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, a, 64), seL4_NoError);
    return PASS;
}
