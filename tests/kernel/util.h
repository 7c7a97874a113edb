/*
 * Shared helpers for the capability tests (CNODE_, CSPACE_, UNTYPED_,
 * BOOTINFO_): a slot allocator over bootinfo->empty, a per-test workspace
 * that cleans up whatever a test leaves behind, untyped helpers, raw
 * invocations and error/MR checks.
 *
 * Everything here is derived from the ABI notes (/work/shared/abi):
 * capabilities.md, objects.md §1-§3, invocations.md §1.2-§1.3, boot.md.
 */
#ifndef TESTS_UTIL_H
#define TESTS_UTIL_H

#include "framework.h"

#define ROOT_CNODE  seL4_CapInitThreadCNode
#define ROOT_DEPTH  64              /* root CNode: guard 51 + radix 13 */

/* Invocation labels, config Q (invocations.md §1.1). */
enum {
    TL_InvalidInvocation = 0,
    TL_UntypedRetype = 1,
    TL_TCBSetFlags = 16,
    TL_CNodeRevoke = 17,
    TL_CNodeDelete = 18,
    TL_CNodeCancelBadgedSends = 19,
    TL_CNodeCopy = 20,
    TL_CNodeMint = 21,
    TL_CNodeMove = 22,
    TL_CNodeMutate = 23,
    TL_CNodeRotate = 24,
    TL_CNodeSaveCaller = 25,
    TL_IRQIssueIRQHandler = 26,
};

/* Cap type tags returned by seL4_DebugCapIdentify (capabilities.md §8). */
enum {
    CT_NULL = 0, CT_FRAME = 1, CT_UNTYPED = 2, CT_PT = 3, CT_EP = 4, CT_PD = 5,
    CT_NTFN = 6, CT_PDPT = 7, CT_REPLY = 8, CT_PML4 = 9, CT_CNODE = 10,
    CT_ASID_CONTROL = 11, CT_TCB = 12, CT_ASID_POOL = 13, CT_IRQ_CONTROL = 14,
    CT_DOMAIN = 20, CT_IO_PORT_CONTROL = 31,
};

const char *err_name(seL4_Word err);
const char *type_name(seL4_Word tag);

/* ---- slot allocator (root CNode slots from bootinfo->empty) -------------
 * Slots are checked to be empty (DebugCapIdentify) when handed out; a slot
 * found occupied is skipped for good. */
seL4_CPtr slot_alloc(void);                 /* 0 when none is left */
seL4_CPtr slot_alloc_range(seL4_Word n);    /* n contiguous slots, 0 if none */
void slot_free(seL4_CPtr slot);
void slot_free_range(seL4_CPtr first, seL4_Word n);

/* ---- workspace ----------------------------------------------------------
 * Between ws_begin() and ws_end() every slot handed out by the allocator is
 * remembered; ws_end() revokes and deletes (newest first) whatever is still
 * in those slots and frees them, so a failing test does not leak objects
 * into the next one. CTEST() wraps a test body in a workspace. */
void ws_begin(void);
void ws_end(void);

#define CTEST(id, desc)                                                      \
    static test_result_t id##_body(void);                                    \
    TEST(id, desc)                                                           \
    {                                                                        \
        ws_begin();                                                          \
        test_result_t r_ = id##_body();                                      \
        ws_end();                                                            \
        return r_;                                                           \
    }                                                                        \
    static test_result_t id##_body(void)

/* ---- untypeds -------------------------------------------------------------- */
seL4_Word ut_count(void);                       /* boot untypeds */
const seL4_UntypedDesc *ut_desc(seL4_Word i);
seL4_CPtr ut_slot(seL4_Word i);

/* A fresh child untyped of 2^bits bytes (free index 0, no children) made
 * from the smallest suitable RAM (or device) boot untyped, in a new slot.
 * 0 if no boot untyped had room. The workspace reclaims it. */
seL4_CPtr ut_carve(unsigned bits);
seL4_CPtr ut_carve_device(unsigned bits);

/* Free bytes the kernel reports for `ut`, observed without side effects: a
 * Retype of one 2^47-byte Untyped can never fit, so it fails with
 * NotEnoughMemory and MR0 = 2^blockSize - free offset (objects.md §3.2 step
 * 5; an untyped without children counts as reset, i.e. fully free).
 * Returns (seL4_Word)-1 if the kernel answered anything else. */
seL4_Word ut_free_bytes(seL4_CPtr ut);

/* Retype one object of `type` into a new root slot; 0 on failure (the
 * error is left in *err if err is not NULL). */
seL4_CPtr mk_obj(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_Error *err);

/* ---- short forms on the root CNode (index = slot, depth 64) --------------- */
seL4_Error r_copy(seL4_CPtr dst, seL4_CPtr src, seL4_CapRights_t rights);
seL4_Error r_mint(seL4_CPtr dst, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge);
seL4_Error r_move(seL4_CPtr dst, seL4_CPtr src);
seL4_Error r_mutate(seL4_CPtr dst, seL4_CPtr src, seL4_Word data);
seL4_Error r_delete(seL4_CPtr slot);
seL4_Error r_revoke(seL4_CPtr slot);
static inline seL4_Word ctype(seL4_CPtr slot) { return seL4_DebugCapIdentify(slot); }

/* Type of the cap at (cnode, index, depth), a slot not addressable through
 * the thread's own CSpace: the cap is moved into a scratch root slot, read
 * and moved back (Move keeps its CDT position). CT_NULL when empty;
 * (seL4_Word)-1 if the Move failed for another reason. */
seL4_Word ctype_at(seL4_CPtr cnode, seL4_Word index, seL4_Word depth);

/* Are slots [offset, offset+n) of the CNode at (root, index, depth) all
 * empty? Observed without side effects: Retype of n impossible 2^47-byte
 * untypeds into that window fails with DeleteFirst (some slot is occupied,
 * invocations.md UntypedRetype step 11) or NotEnoughMemory (all empty,
 * step 12). `ut` is any untyped cap. Returns 1 empty, 0 occupied, -1 other.
 * node_depth 0 means `root` itself is the CNode. n <= 256. */
int window_empty(seL4_CPtr ut, seL4_CPtr root, seL4_Word index, seL4_Word depth,
                 seL4_Word offset, seL4_Word n);

/* ---- raw invocation --------------------------------------------------------
 * Call `cap` with the given label, message length and extra caps; MRs
 * 0..nmr-1 are taken from mr[]. Afterwards the reply's MR0..3 are in the IPC
 * buffer (seL4_GetMR). Returns the reply's message info. */
seL4_MessageInfo_t raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word length,
                            seL4_Word ncaps, const seL4_CPtr *caps,
                            const seL4_Word *mr, seL4_Word nmr);

/* Index of the first MR that differs from want[0..n-1], or -1. */
int mrs_mismatch(const seL4_Word *want, int n);

#define EXPECT_ERR(call, want)                                               \
    do {                                                                     \
        seL4_Error e_ = (seL4_Error)(call);                                  \
        EXPECT(e_ == (seL4_Error)(want), "%s: got %s, expected %s", #call,   \
               err_name(e_), err_name(want));                                \
    } while (0)

/* The error MRs after a failed invocation (invocations.md §1.3). */
#define EXPECT_MRS(...)                                                      \
    do {                                                                     \
        const seL4_Word w_[] = { __VA_ARGS__ };                              \
        int bad_ = mrs_mismatch(w_, (int)(sizeof(w_) / sizeof(w_[0])));      \
        EXPECT(bad_ < 0, "MR%d = %#lx, expected %#lx", bad_,                 \
               (unsigned long)seL4_GetMR(bad_), (unsigned long)w_[bad_]);    \
    } while (0)

#define EXPECT_TYPE(slot, tag)                                               \
    do {                                                                     \
        seL4_Word t_ = ctype(slot);                                          \
        EXPECT(t_ == (seL4_Word)(tag), "slot %lu holds %s, expected %s",     \
               (unsigned long)(slot), type_name(t_), type_name(tag));        \
    } while (0)

#define EXPECT_TYPE_AT(cn, idx, depth, tag)                                  \
    do {                                                                     \
        seL4_Word t_ = ctype_at(cn, idx, depth);                             \
        EXPECT(t_ == (seL4_Word)(tag), "(%lu, %#lx, %lu) holds %s, expected %s", \
               (unsigned long)(cn), (unsigned long)(idx), (unsigned long)(depth), \
               type_name(t_), type_name(tag));                               \
    } while (0)

/* A slot, or fail the test. */
#define NEW_SLOT(var)                                                        \
    seL4_CPtr var = slot_alloc();                                            \
    EXPECT(var != 0, "out of root CNode slots")

/* A carved RAM untyped of 2^bits bytes, or fail the test. */
#define NEW_UT(var, bits)                                                    \
    seL4_CPtr var = ut_carve(bits);                                          \
    EXPECT(var != 0, "could not carve a 2^%u-byte untyped", (unsigned)(bits))

/* One object in a new slot, or fail the test. */
#define NEW_OBJ(var, ut, type, bits)                                         \
    seL4_CPtr var;                                                           \
    do {                                                                     \
        seL4_Error ne_;                                                      \
        var = mk_obj(ut, type, bits, &ne_);                                  \
        EXPECT(var != 0, "Retype of type %d (%u bits) failed: %s", (int)(type), \
               (unsigned)(bits), err_name(ne_));                             \
    } while (0)

/* CNode cap data word (capabilities.md §1.1): guardSize bits 5..0, guard 63..6. */
static inline seL4_Word cnode_data(seL4_Word guard, seL4_Word guard_size)
{
    return seL4_CNode_CapData_new(guard, guard_size).words[0];
}

/* Rights from their one-word encoding (capabilities.md §3). */
static inline seL4_CapRights_t rights_w(seL4_Word w)
{
    seL4_CapRights_t r = { { w } };
    return r;
}

/* Notification word observed with Poll (needs a cap with Read). */
static inline seL4_Word ntfn_poll(seL4_CPtr ntfn)
{
    seL4_Word w = 0;
    (void)seL4_Poll(ntfn, &w);
    return w;
}

#endif
