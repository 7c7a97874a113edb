/*
 * UNTYPED_*: Untyped_Retype (objects.md §1-§3, invocations.md §2.1):
 * every config-Q object type, every error in the documented order, the
 * watermark, device untypeds, child untypeds and revocation.
 *
 * The watermark is observed through ut_free_bytes() (util.h): a Retype that
 * cannot fit reports NotEnoughMemory with MR0 = 2^blockSize - free offset.
 */
#include <stdio.h>
#include "util.h"

/* Retype into root slots [dst, dst+n): node_depth 0 = the root CNode itself. */
static seL4_Error rt(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr dst, seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, bits, ROOT_CNODE, 0, 0, dst, n);
}

#define EXPECT_FREE(ut, want)                                                \
    do {                                                                     \
        seL4_Word f_ = ut_free_bytes(ut);                                    \
        EXPECT(f_ == (seL4_Word)(want), "free bytes %ld, expected %ld", (long)f_, \
               (long)(want));                                                \
    } while (0)

struct objtype {
    seL4_Word type, bits, tag, size_bits;
};

/* Retype each object into a fresh slot, check the cap type and the bytes
 * it took from a fresh 2^ut_bits untyped (each object starts at offset 0
 * of its own child untyped, so size = the free-bytes drop). */
static test_result_t retype_each(const struct objtype *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned ut_bits = o[i].size_bits < 12 ? 12 : (unsigned)o[i].size_bits;
        seL4_CPtr ut = ut_carve(ut_bits);
        EXPECT(ut != 0, "no 2^%u untyped for type %lu", ut_bits, (unsigned long)o[i].type);
        seL4_CPtr s = slot_alloc();
        EXPECT(s != 0, "no slot");
        seL4_Error e = rt(ut, o[i].type, o[i].bits, s, 1);
        EXPECT(e == seL4_NoError, "Retype of type %lu (size_bits %lu): %s",
               (unsigned long)o[i].type, (unsigned long)o[i].bits, err_name(e));
        seL4_Word t = ctype(s);
        EXPECT(t == o[i].tag, "type %lu made a %s cap, expected %s", (unsigned long)o[i].type,
               type_name(t), type_name(o[i].tag));
        seL4_Word fb = ut_free_bytes(ut);
        seL4_Word want = (1UL << ut_bits) - (1UL << o[i].size_bits);
        EXPECT(fb == want, "type %lu: %ld bytes left of 2^%u, expected %ld (object 2^%lu)",
               (unsigned long)o[i].type, (long)fb, ut_bits, (long)want,
               (unsigned long)o[i].size_bits);
        EXPECT_ERR(r_delete(s), seL4_NoError);
        EXPECT_FREE(ut, 1UL << ut_bits);            /* no children: reset */
    }
    return PASS;
}

CTEST(UNTYPED_0001, "Retype Untyped children: type 2, 2^size_bits bytes each, naturally aligned, usable")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(3);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 4, s, 1), seL4_NoError);
    EXPECT_TYPE(s, CT_UNTYPED);
    EXPECT_FREE(s, 16);
    EXPECT_FREE(ut, 65536 - 16);
    /* 2^12 goes to the next 4 KiB boundary: [4096, 8192). */
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 12, s + 1, 1), seL4_NoError);
    EXPECT_TYPE(s + 1, CT_UNTYPED);
    EXPECT_FREE(s + 1, 4096);
    EXPECT_FREE(ut, 65536 - 8192);
    /* 2^13 at [8192, 16384). */
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 13, s + 2, 1), seL4_NoError);
    EXPECT_FREE(ut, 65536 - 16384);
    /* A child untyped can be retyped in turn. */
    NEW_SLOT(ep);
    EXPECT_ERR(rt(s + 1, seL4_EndpointObject, 0, ep, 1), seL4_NoError);
    EXPECT_TYPE(ep, CT_EP);
    EXPECT_FREE(s + 1, 4096 - 16);
    EXPECT_FREE(ut, 65536 - 16384);         /* the grandchild does not touch ut */
    return PASS;
}

CTEST(UNTYPED_0002, "Retype TCB, Endpoint, Notification: cap types 12, 4, 6 and sizes 2^11, 2^4, 2^5")
{
    static const struct objtype o[] = {
        { seL4_TCBObject, 0, CT_TCB, seL4_TCBBits },
        { seL4_EndpointObject, 0, CT_EP, seL4_EndpointBits },
        { seL4_NotificationObject, 0, CT_NTFN, seL4_NotificationBits },
    };
    EXPECT(seL4_TCBBits == 11 && seL4_EndpointBits == 4 && seL4_NotificationBits == 5,
           "libsel4 object sizes");
    return retype_each(o, 3);
}

CTEST(UNTYPED_0003, "Retype CNodes: cap type 10, 2^(radix+5) bytes, 2^radix empty slots")
{
    static const struct objtype o[] = {
        { seL4_CapTableObject, 1, CT_CNODE, 6 },
        { seL4_CapTableObject, 4, CT_CNODE, 9 },
        { seL4_CapTableObject, 10, CT_CNODE, 15 },
    };
    test_result_t r = retype_each(o, 3);
    if (r != PASS)
        return r;
    NEW_UT(ut, 16);
    NEW_OBJ(c10, ut, seL4_CapTableObject, 10);      /* [0, 32768) */
    NEW_OBJ(c1, ut, seL4_CapTableObject, 1);        /* [32768, 32832) */
    /* radix 1: two slots, offsets 0..1. */
    EXPECT(window_empty(ut, c1, 0, 0, 0, 2) == 1, "radix-1 CNode not empty");
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, c1, 0, 0, 2, 1), seL4_RangeError);
    EXPECT_MRS(0, 1);
    /* radix 10: 1024 empty slots. */
    for (seL4_Word off = 0; off < 1024; off += 256)
        EXPECT(window_empty(ut, c10, 0, 0, off, 256) == 1, "radix-10 CNode slots %lu.. occupied",
               (unsigned long)off);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, c10, 0, 0, 1024, 1),
               seL4_RangeError);
    EXPECT_MRS(0, 1023);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, c10, 0, 0, 1023, 1), seL4_NoError);
    EXPECT_TYPE_AT(c10, 1023, 10, CT_EP);
    return PASS;
}

CTEST(UNTYPED_0004, "Retype PML4, PDPT, PageDirectory, PageTable: cap types 9, 7, 5, 3, 4 KiB each")
{
    static const struct objtype o[] = {
        { seL4_X64_PML4Object, 0, CT_PML4, 12 },
        { seL4_X86_PDPTObject, 0, CT_PDPT, 12 },
        { seL4_X86_PageDirectoryObject, 0, CT_PD, 12 },
        { seL4_X86_PageTableObject, 0, CT_PT, 12 },
    };
    EXPECT(seL4_X64_PML4Object == 6 && seL4_X86_PDPTObject == 5 &&
           seL4_X86_PageDirectoryObject == 11 && seL4_X86_PageTableObject == 10,
           "object type numbers (objects.md §1.1)");
    return retype_each(o, 4);
}

CTEST(UNTYPED_0005, "Retype 4K and LargePage frames: cap type 1, 2^12 and 2^21 bytes")
{
    static const struct objtype o[] = {
        { seL4_X86_4K, 0, CT_FRAME, 12 },
        { seL4_X86_LargePageObject, 0, CT_FRAME, 21 },
    };
    EXPECT(seL4_X86_4K == 8 && seL4_X86_LargePageObject == 9, "object type numbers");
    test_result_t r = retype_each(o, 2);
    if (r != PASS)
        return r;
    /* A 4K frame then a 2 MiB frame: the large one is 2 MiB aligned. */
    NEW_UT(ut, 22);
    NEW_OBJ(f, ut, seL4_X86_4K, 0);
    NEW_OBJ(l, ut, seL4_X86_LargePageObject, 0);
    EXPECT_FREE(ut, 0);
    EXPECT_TYPE(f, CT_FRAME);
    EXPECT_TYPE(l, CT_FRAME);
    return PASS;
}

CTEST(UNTYPED_0006, "Retype a HugePage (1 GiB frame, type 7) from a RAM untyped of >= 2^30 bytes")
{
    EXPECT(seL4_X64_HugePageObject == 7 && seL4_HugePageBits == 30, "HugePage constants");
    bool big = false;
    for (seL4_Word i = 0; i < ut_count(); i++)
        big |= !ut_desc(i)->isDevice && ut_desc(i)->sizeBits >= 30;
    if (!big) {
        printf("UNTYPED_0006: note: no RAM untyped of 1 GiB in bootinfo; HugePage part skipped\n");
        return PASS;
    }
    static const struct objtype o[] = { { seL4_X64_HugePageObject, 0, CT_FRAME, 30 } };
    return retype_each(o, 1);
}

CTEST(UNTYPED_0007, "Size bits of fixed-size objects are ignored (below 64); objects fill their untyped")
{
    NEW_UT(ut, 12);
    NEW_SLOT(a);
    /* invocations.md UntypedRetype step 3 checks size_bits < 64 and the
     * resulting object size; an endpoint is 2^4 whatever size_bits says. */
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 63, a, 1), seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_FREE(ut, 4096 - 16);
    EXPECT_ERR(r_delete(a), seL4_NoError);
    /* Exactly two TCBs fit in 4 KiB. */
    seL4_CPtr s = slot_alloc_range(3);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_TCBObject, 0, s, 2), seL4_NoError);
    EXPECT_TYPE(s, CT_TCB);
    EXPECT_TYPE(s + 1, CT_TCB);
    EXPECT_FREE(ut, 0);
    EXPECT_ERR(rt(ut, seL4_TCBObject, 0, s + 2, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(0);
    return PASS;
}

CTEST(UNTYPED_0008, "One Retype makes up to 256 objects, cap i in window slot i, nothing outside the window")
{
    NEW_UT(ut, 16);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 9);            /* [0, 16384) */
    /* 256 endpoints into cn[100..356) via node_index/node_depth. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, cn, 64, 100, 256),
               seL4_NoError);
    EXPECT_FREE(ut, 65536 - 16384 - 256 * 16);
    EXPECT(window_empty(ut, cn, 0, 0, 0, 100) == 1, "slots below the window touched");
    EXPECT(window_empty(ut, cn, 0, 0, 356, 156) == 1, "slots above the window touched");
    for (seL4_Word i = 100; i < 356; i++)
        EXPECT_TYPE_AT(cn, i, 9, CT_EP);
    /* Five notifications into root slots. */
    seL4_CPtr s = slot_alloc_range(6);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_NotificationObject, 0, s, 5), seL4_NoError);
    for (seL4_Word i = 0; i < 5; i++)
        EXPECT_TYPE(s + i, CT_NTFN);
    EXPECT_TYPE(s + 5, CT_NULL);
    /* The objects are distinct: revoking one's copies leaves the others. */
    NEW_SLOT(c);
    EXPECT_ERR(r_copy(c, s + 2, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_revoke(s + 1), seL4_NoError);
    EXPECT_TYPE(c, CT_NTFN);
    EXPECT_ERR(r_revoke(s + 2), seL4_NoError);
    EXPECT_TYPE(c, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0009, "Retype TruncatedMessage: length < 6 or no root cap (raw Call)")
{
    NEW_UT(ut, 12);
    NEW_SLOT(a);
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[6] = { seL4_EndpointObject, 0, 0, 0, a, 1 };
    for (seL4_Word len = 0; len < 6; len++) {
        seL4_MessageInfo_t r = raw_call(ut, TL_UntypedRetype, len, 1, root, m, 6);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_TruncatedMessage, "length %lu: %s",
               (unsigned long)len, err_name(seL4_MessageInfo_get_label(r)));
    }
    seL4_MessageInfo_t r = raw_call(ut, TL_UntypedRetype, 6, 0, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* Truncation comes before argument checks. */
    seL4_Word bad[6] = { 99, 99, 0, 99, 99999, 0 };
    r = raw_call(ut, TL_UntypedRetype, 5, 1, root, bad, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    EXPECT_TYPE(a, CT_NULL);
    r = raw_call(ut, TL_UntypedRetype, 6, 1, root, m, 6);
    EXPECT_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    EXPECT(seL4_MessageInfo_get_length(r) == 0, "success reply length %lu",
           (unsigned long)seL4_MessageInfo_get_length(r));
    EXPECT_TYPE(a, CT_EP);
    return PASS;
}

CTEST(UNTYPED_0010, "Retype type >= ObjectTypeCount (12): InvalidArgument(0), checked first")
{
    NEW_UT(ut, 12);
    NEW_SLOT(a);
    static const seL4_Word bad[] = { 12, 13, 17, seL4_X86_IOPageTableObject, seL4_X86_VCPUObject,
                                     0xfffffffeUL, ~0UL };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        seL4_Error e = rt(ut, bad[i], 0, a, 1);
        EXPECT(e == seL4_InvalidArgument, "type %#lx: %s", (unsigned long)bad[i], err_name(e));
        EXPECT_MRS(0);
        /* Even with every later argument wrong too. */
        e = seL4_Untyped_Retype(ut, bad[i], 64, ROOT_CNODE, 1UL << 40, 65, 1UL << 40, 0);
        EXPECT(e == seL4_InvalidArgument, "type %#lx with bad args: %s", (unsigned long)bad[i],
               err_name(e));
        EXPECT_MRS(0);
    }
    EXPECT_TYPE(a, CT_NULL);
    EXPECT(seL4_ObjectTypeCount == 12, "seL4_ObjectTypeCount %d", (int)seL4_ObjectTypeCount);
    return PASS;
}

CTEST(UNTYPED_0011, "Retype size checks: size_bits >= 64 or object > 2^47 is RangeError(0, 47)")
{
    NEW_UT(ut, 12);
    NEW_SLOT(a);
    static const struct { seL4_Word type, bits; } bad[] = {
        { seL4_UntypedObject, 48 }, { seL4_UntypedObject, 64 }, { seL4_UntypedObject, 1UL << 40 },
        { seL4_CapTableObject, 43 }, { seL4_CapTableObject, 64 }, { seL4_CapTableObject, 60 },
        { seL4_EndpointObject, 64 }, { seL4_TCBObject, 100 }, { seL4_X86_4K, 64 },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        seL4_Error e = rt(ut, bad[i].type, bad[i].bits, a, 1);
        EXPECT(e == seL4_RangeError, "type %lu size_bits %lu: %s", (unsigned long)bad[i].type,
               (unsigned long)bad[i].bits, err_name(e));
        EXPECT_MRS(0, 47);
    }
    /* The largest legal sizes pass the size check (and then do not fit). */
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 47, a, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(4096);
    EXPECT_ERR(rt(ut, seL4_CapTableObject, 42, a, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(4096);
    /* Size is checked before the CNode/Untyped minimums and the destination. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_UntypedObject, 64, ROOT_CNODE, 0, 65, a, 0),
               seL4_RangeError);
    EXPECT_MRS(0, 47);
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0012, "Retype CNode of size 0 or Untyped below 2^4: InvalidArgument(1), before the destination")
{
    NEW_UT(ut, 12);
    NEW_SLOT(a);
    EXPECT_ERR(rt(ut, seL4_CapTableObject, 0, a, 1), seL4_InvalidArgument);
    EXPECT_MRS(1);
    for (seL4_Word b = 0; b < 4; b++) {
        seL4_Error e = rt(ut, seL4_UntypedObject, b, a, 1);
        EXPECT(e == seL4_InvalidArgument, "Untyped of %lu bits: %s", (unsigned long)b, err_name(e));
        EXPECT_MRS(1);
    }
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_CapTableObject, 0, ROOT_CNODE, 1UL << 40, 65, 99999, 0),
               seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 4, a, 1), seL4_NoError);
    EXPECT_TYPE(a, CT_UNTYPED);
    return PASS;
}

CTEST(UNTYPED_0013, "Retype destination lookup (node_depth != 0): RangeError(1,64), FailedLookup words, InvalidRoot")
{
    NEW_UT(ut, 12);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ROOT_CNODE, 65, a, 1),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ROOT_CNODE, 0x140, a, 1),
               seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 1UL << 20, 64, a, 1),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_GuardMismatch, 64, 0, 51);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ROOT_CNODE, 13, a, 1),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_GuardMismatch, 13, 0, 51);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, 0, 63, a, 1),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_DepthMismatch, 63, 64);
    /* Root cap not a CNode with node_depth != 0: InvalidRoot. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ep, 0, 64, a, 1), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_InvalidRoot);
    /* Lookup errors come before offset/count checks. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ROOT_CNODE, 65,
                                   1UL << 40, 0), seL4_RangeError);
    EXPECT_MRS(1, 64);
    EXPECT_TYPE(a, CT_NULL);
    /* A correct path: ROOT_CNODE slot 2 (the root CNode cap) at depth 64. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ROOT_CNODE, 64, a, 1),
               seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    return PASS;
}

CTEST(UNTYPED_0014, "Retype destination not a CNode: FailedLookup(0, MissingCapability, bitsLeft = node_depth)")
{
    NEW_UT(ut, 16);
    NEW_OBJ(ep, ut, seL4_EndpointObject, 0);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(empty);
    NEW_SLOT(a);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ep, 64, a, 1),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 64);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, empty, 64, a, 1),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 64);
    /* node_depth 0: the root cap itself must be a CNode. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ep, 0, 0, a, 1), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 0);
    /* Inside a sub-CNode: cn[3] holds an endpoint, depth 4. */
    EXPECT_ERR(seL4_CNode_Copy(cn, 3, 4, ROOT_CNODE, ep, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 3, 4, 0, 1), seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 4);
    /* Checked before the offset and count. */
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, ep, 64, 1UL << 40, 0),
               seL4_FailedLookup);
    EXPECT_MRS(0, seL4_MissingCapability, 64);
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0015, "Retype node_offset beyond the CNode: RangeError(0, 2^radix - 1), before num_objects")
{
    NEW_UT(ut, 16);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 8192, 1), seL4_RangeError);
    EXPECT_MRS(0, 8191);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 1UL << 40, 1), seL4_RangeError);
    EXPECT_MRS(0, 8191);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 8192, 0), seL4_RangeError);
    EXPECT_MRS(0, 8191);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 16, 1), seL4_RangeError);
    EXPECT_MRS(0, 15);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT_CNODE, cn, 64, 16, 300),
               seL4_RangeError);
    EXPECT_MRS(0, 15);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 15, 1), seL4_NoError);
    EXPECT_TYPE_AT(cn, 15, 4, CT_EP);
    return PASS;
}

CTEST(UNTYPED_0016, "Retype num_objects: 0 and 257 are RangeError(1, 256); past the CNode end RangeError(1, room)")
{
    NEW_UT(ut, 16);
    NEW_OBJ(cn, ut, seL4_CapTableObject, 4);
    NEW_SLOT(a);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, a, 0), seL4_RangeError);
    EXPECT_MRS(1, 256);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, a, 257), seL4_RangeError);
    EXPECT_MRS(1, 256);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 8190, 257), seL4_RangeError);
    EXPECT_MRS(1, 256);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 8190, 3), seL4_RangeError);
    EXPECT_MRS(1, 2);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, 8191, 2), seL4_RangeError);
    EXPECT_MRS(1, 1);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 10, 7), seL4_RangeError);
    EXPECT_MRS(1, 6);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 17), seL4_RangeError);
    EXPECT_MRS(1, 16);
    EXPECT_TYPE(a, CT_NULL);
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 10, 6), seL4_NoError);
    for (seL4_Word i = 10; i < 16; i++)
        EXPECT_TYPE_AT(cn, i, 4, CT_EP);
    return PASS;
}

CTEST(UNTYPED_0017, "Retype into a window with an occupied slot: DeleteFirst, nothing created")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(3);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_NotificationObject, 0, s + 1, 1), seL4_NoError);
    seL4_Word before = ut_free_bytes(ut);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 3), seL4_DeleteFirst);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s + 1, 1), seL4_DeleteFirst);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s + 1, 2), seL4_DeleteFirst);
    EXPECT_TYPE(s, CT_NULL);
    EXPECT_TYPE(s + 1, CT_NTFN);
    EXPECT_TYPE(s + 2, CT_NULL);
    EXPECT_FREE(ut, before);
    /* DeleteFirst comes before NotEnoughMemory. */
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 47, s, 2), seL4_DeleteFirst);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    return PASS;
}

CTEST(UNTYPED_0018, "NotEnoughMemory reports the free bytes; alignment is not counted in the check")
{
    NEW_UT(ut, 12);
    seL4_CPtr s = slot_alloc_range(4);
    EXPECT(s != 0, "no slots");
    /* No children: counts as reset, all 4096 bytes free. */
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s, 2), seL4_NotEnoughMemory);
    EXPECT_MRS(4096);
    EXPECT_ERR(rt(ut, seL4_X86_LargePageObject, 0, s, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(4096);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    /* 4080 bytes free: 4080 >> 11 = 1 < 2 TCBs. */
    EXPECT_ERR(rt(ut, seL4_TCBObject, 0, s + 1, 2), seL4_NotEnoughMemory);
    EXPECT_MRS(4080);
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s + 1, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(4080);
    /* One TCB passes the check and lands at 2048 (aligned): 0 bytes left. */
    EXPECT_ERR(rt(ut, seL4_TCBObject, 0, s + 1, 1), seL4_NoError);
    EXPECT_TYPE(s + 1, CT_TCB);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s + 2, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(0);
    EXPECT_TYPE(s + 2, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0019, "Device untypeds make only frames and untypeds (InvalidArgument(1) otherwise), also in children")
{
    static const struct { seL4_Word type, bits; } bad[] = {
        { seL4_TCBObject, 0 }, { seL4_EndpointObject, 0 }, { seL4_NotificationObject, 0 },
        { seL4_CapTableObject, 4 }, { seL4_X86_PDPTObject, 0 }, { seL4_X64_PML4Object, 0 },
        { seL4_X86_PageDirectoryObject, 0 }, { seL4_X86_PageTableObject, 0 },
    };
    seL4_CPtr dev = ut_carve_device(16);
    EXPECT(dev != 0, "no device untyped of 2^16 bytes");
    NEW_SLOT(a);
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        seL4_Error e = rt(dev, bad[i].type, bad[i].bits, a, 1);
        EXPECT(e == seL4_InvalidArgument, "type %lu from a device untyped: %s",
               (unsigned long)bad[i].type, err_name(e));
        EXPECT_MRS(1);
        EXPECT_TYPE(a, CT_NULL);
    }
    EXPECT_FREE(dev, 65536);
    NEW_SLOT(f);
    NEW_SLOT(child);
    EXPECT_ERR(rt(dev, seL4_X86_4K, 0, f, 1), seL4_NoError);
    EXPECT_TYPE(f, CT_FRAME);
    EXPECT_ERR(rt(dev, seL4_UntypedObject, 12, child, 1), seL4_NoError);
    EXPECT_TYPE(child, CT_UNTYPED);
    EXPECT_ERR(rt(child, seL4_EndpointObject, 0, a, 1), seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_ERR(rt(child, seL4_X86_4K, 0, a, 1), seL4_NoError);
    EXPECT_TYPE(a, CT_FRAME);
    /* Large and huge device frames (no zeroing involved). */
    seL4_CPtr dl = ut_carve_device(21);
    EXPECT(dl != 0, "no device untyped of 2 MiB");
    NEW_SLOT(l);
    EXPECT_ERR(rt(dl, seL4_X86_LargePageObject, 0, l, 1), seL4_NoError);
    EXPECT_TYPE(l, CT_FRAME);
    seL4_CPtr dh = ut_carve_device(30);
    if (dh == 0) {
        printf("UNTYPED_0019: note: no device untyped of 1 GiB; device HugePage part skipped\n");
    } else {
        NEW_SLOT(h);
        EXPECT_ERR(rt(dh, seL4_X64_HugePageObject, 0, h, 1), seL4_NoError);
        EXPECT_TYPE(h, CT_FRAME);
    }
    return PASS;
}

CTEST(UNTYPED_0020, "Retype check order at the end: DeleteFirst, then NotEnoughMemory, then the device check")
{
    seL4_CPtr d16 = ut_carve_device(4);                 /* 16 bytes of device memory */
    EXPECT(d16 != 0, "no device untyped");
    seL4_CPtr s = slot_alloc_range(2);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(d16, seL4_X86_4K, 0, s + 1, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(16);
    /* Two endpoints do not fit: NotEnoughMemory comes before the device check. */
    EXPECT_ERR(rt(d16, seL4_EndpointObject, 0, s, 2), seL4_NotEnoughMemory);
    EXPECT_MRS(16);
    /* One fits: the device check answers. */
    EXPECT_ERR(rt(d16, seL4_EndpointObject, 0, s, 1), seL4_InvalidArgument);
    EXPECT_MRS(1);
    EXPECT_ERR(rt(d16, seL4_UntypedObject, 4, s + 1, 1), seL4_NoError);
    /* Occupied window: DeleteFirst before both. */
    EXPECT_ERR(rt(d16, seL4_EndpointObject, 0, s, 2), seL4_DeleteFirst);
    EXPECT_ERR(rt(d16, seL4_EndpointObject, 0, s + 1, 1), seL4_DeleteFirst);
    EXPECT_TYPE(s, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0021, "Watermark: objects go consecutively, each aligned to its own size")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(8);
    EXPECT(s != 0, "no slots");
    EXPECT_FREE(ut, 65536);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);        /* [0, 16) */
    EXPECT_FREE(ut, 65536 - 16);
    EXPECT_ERR(rt(ut, seL4_NotificationObject, 0, s + 1, 1), seL4_NoError); /* [32, 64) */
    EXPECT_FREE(ut, 65536 - 64);
    EXPECT_ERR(rt(ut, seL4_TCBObject, 0, s + 2, 1), seL4_NoError);          /* [2048, 4096) */
    EXPECT_FREE(ut, 65536 - 4096);
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s + 3, 1), seL4_NoError);             /* [4096, 8192) */
    EXPECT_FREE(ut, 65536 - 8192);
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s + 4, 2), seL4_NoError);     /* [8192, 8224) */
    EXPECT_FREE(ut, 65536 - 8224);
    EXPECT_ERR(rt(ut, seL4_CapTableObject, 4, s + 6, 1), seL4_NoError);     /* [8704, 9216) */
    EXPECT_FREE(ut, 65536 - 9216);
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 14, s + 7, 1), seL4_NoError);     /* [16384, 32768) */
    EXPECT_FREE(ut, 32768);
    return PASS;
}

CTEST(UNTYPED_0022, "Exhaustion: filling an untyped exactly, then NotEnoughMemory with MR0 = 0")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(16);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_CapTableObject, 4, s, 1), seL4_NoError);         /* [0, 512) */
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s + 1, 1), seL4_NoError);     /* [512, 528) */
    EXPECT_FREE(ut, 65536 - 528);
    /* 65008 bytes free (65008 >> 12 = 15 frames would pass the check);
     * 14 frames go at [4096, 61440). */
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s + 2, 14), seL4_NoError);
    EXPECT_FREE(ut, 4096);
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s + 2, 1), seL4_DeleteFirst);
    seL4_CPtr t = slot_alloc_range(2);
    EXPECT(t != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, t, 2), seL4_NotEnoughMemory);
    EXPECT_MRS(4096);
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, t, 1), seL4_NoError);
    EXPECT_FREE(ut, 0);
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 4, t + 1, 1), seL4_NotEnoughMemory);
    EXPECT_MRS(0);
    EXPECT_TYPE(t + 1, CT_NULL);
    return PASS;
}

CTEST(UNTYPED_0023, "After Revoke of all children the untyped is reused from offset 0 (full-size Retype)")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(4);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    EXPECT_ERR(rt(ut, seL4_X86_4K, 0, s + 1, 2), seL4_NoError);
    EXPECT_FREE(ut, 65536 - 3 * 4096);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    EXPECT_TYPE(s, CT_NULL);
    EXPECT_TYPE(s + 1, CT_NULL);
    EXPECT_TYPE(s + 2, CT_NULL);
    EXPECT_TYPE(ut, CT_UNTYPED);
    EXPECT_FREE(ut, 65536);
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 16, s + 3, 1), seL4_NoError);
    EXPECT_FREE(s + 3, 65536);
    EXPECT_FREE(ut, 0);
    /* And again after deleting that child. */
    EXPECT_ERR(r_delete(s + 3), seL4_NoError);
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 16, s, 1), seL4_NoError);
    return PASS;
}

CTEST(UNTYPED_0024, "Deleting some children keeps the watermark; deleting the last one resets it")
{
    NEW_UT(ut, 12);
    seL4_CPtr s = slot_alloc_range(3);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 3), seL4_NoError);
    EXPECT_FREE(ut, 4096 - 48);
    EXPECT_ERR(r_delete(s), seL4_NoError);
    EXPECT_ERR(r_delete(s + 2), seL4_NoError);
    EXPECT_FREE(ut, 4096 - 48);                     /* no compaction, no reuse */
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    EXPECT_FREE(ut, 4096 - 64);
    EXPECT_ERR(r_delete(s), seL4_NoError);
    EXPECT_ERR(r_delete(s + 1), seL4_NoError);
    EXPECT_FREE(ut, 4096);
    /* A copy of a child is a child too: the untyped is not reset while the
     * copy lives. */
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    EXPECT_ERR(r_copy(s + 1, s, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_delete(s), seL4_NoError);
    EXPECT_FREE(ut, 4096 - 16);
    EXPECT_ERR(r_delete(s + 1), seL4_NoError);
    EXPECT_FREE(ut, 4096);
    return PASS;
}

CTEST(UNTYPED_0025, "Child untypeds: Revoke of the grandparent removes grandchildren; children reset independently")
{
    NEW_UT(ut, 16);
    seL4_CPtr s = slot_alloc_range(6);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_UntypedObject, 14, s, 2), seL4_NoError);         /* two 16 KiB children */
    EXPECT_ERR(rt(s, seL4_UntypedObject, 12, s + 2, 1), seL4_NoError);      /* grandchild */
    EXPECT_ERR(rt(s + 2, seL4_EndpointObject, 0, s + 3, 1), seL4_NoError);  /* great-grandchild */
    EXPECT_ERR(rt(s + 1, seL4_NotificationObject, 0, s + 4, 1), seL4_NoError);
    EXPECT_FREE(s, 16384 - 4096);
    EXPECT_FREE(s + 2, 4096 - 16);
    /* Revoking one child leaves its sibling's objects. */
    EXPECT_ERR(r_revoke(s), seL4_NoError);
    EXPECT_TYPE(s + 2, CT_NULL);
    EXPECT_TYPE(s + 3, CT_NULL);
    EXPECT_TYPE(s + 4, CT_NTFN);
    EXPECT_FREE(s, 16384);
    EXPECT_FREE(ut, 65536 - 32768);
    /* Revoke of the top removes everything below. */
    EXPECT_ERR(rt(s, seL4_UntypedObject, 12, s + 2, 1), seL4_NoError);
    EXPECT_ERR(rt(s + 2, seL4_EndpointObject, 0, s + 3, 1), seL4_NoError);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    for (seL4_CPtr i = s; i < s + 5; i++)
        EXPECT_TYPE(i, CT_NULL);
    EXPECT_FREE(ut, 65536);
    return PASS;
}

CTEST(UNTYPED_0026, "Revoke of an untyped deletes its objects and every copy/mint of them, in any CNode")
{
    NEW_UT(ut, 12);
    NEW_UT(ut_cn, 16);
    NEW_OBJ(cn, ut_cn, seL4_CapTableObject, 4);
    seL4_CPtr s = slot_alloc_range(6);
    EXPECT(s != 0, "no slots");
    EXPECT_ERR(rt(ut, seL4_EndpointObject, 0, s, 1), seL4_NoError);
    EXPECT_ERR(rt(ut, seL4_NotificationObject, 0, s + 1, 1), seL4_NoError);
    EXPECT_ERR(rt(ut, seL4_CapTableObject, 2, s + 2, 1), seL4_NoError);
    EXPECT_ERR(r_copy(s + 3, s, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_mint(s + 4, s, seL4_AllRights, 9), seL4_NoError);
    EXPECT_ERR(r_mint(s + 5, s + 1, seL4_CanRead, 3), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(cn, 1, 4, ROOT_CNODE, s + 4, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_CNode_Copy(cn, 2, 4, ROOT_CNODE, s + 2, 64, seL4_AllRights), seL4_NoError);
    /* A cap from ut_cn stored inside the doomed CNode (s + 2) goes with it. */
    NEW_OBJ(other, ut_cn, seL4_EndpointObject, 0);
    EXPECT_ERR(seL4_CNode_Copy(s + 2, 0, 2, ROOT_CNODE, other, 64, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    for (seL4_CPtr i = s; i < s + 6; i++)
        EXPECT_TYPE(i, CT_NULL);
    EXPECT_TYPE_AT(cn, 1, 4, CT_NULL);
    EXPECT_TYPE_AT(cn, 2, 4, CT_NULL);
    EXPECT_TYPE(cn, CT_CNODE);
    EXPECT_TYPE(other, CT_EP);
    EXPECT_FREE(ut, 4096);
    return PASS;
}

CTEST(UNTYPED_0027, "Untyped caps accept only UntypedRetype; Retype label elsewhere is IllegalOperation")
{
    NEW_UT(ut, 16);
    NEW_OBJ(tcb, ut, seL4_TCBObject, 0);
    NEW_OBJ(frame, ut, seL4_X86_4K, 0);
    NEW_SLOT(a);
    const seL4_CPtr root[1] = { ROOT_CNODE };
    seL4_Word m[6] = { seL4_EndpointObject, 0, 0, 0, a, 1 };
    for (seL4_Word l = 0; l <= 52; l++) {
        if (l == TL_UntypedRetype)
            continue;
        seL4_MessageInfo_t r = raw_call(ut, l, 6, 1, root, m, 6);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation, "label %lu on untyped: %s",
               (unsigned long)l, err_name(seL4_MessageInfo_get_label(r)));
    }
    seL4_CPtr targets[3] = { ROOT_CNODE, tcb, frame };
    for (unsigned i = 0; i < 3; i++) {
        seL4_MessageInfo_t r = raw_call(targets[i], TL_UntypedRetype, 6, 1, root, m, 6);
        EXPECT(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation,
               "UntypedRetype on a %s: %s", type_name(ctype(targets[i])),
               err_name(seL4_MessageInfo_get_label(r)));
    }
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}
