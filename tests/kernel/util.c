/* Helpers for the capability tests; see util.h. */
#include <stdio.h>
#include <string.h>
#include "util.h"

#define NSLOTS (1UL << CONFIG_ROOT_CNODE_SIZE_BITS)

const char *err_name(seL4_Word err)
{
    static const char *const names[] = {
        "NoError", "InvalidArgument", "InvalidCapability", "IllegalOperation",
        "RangeError", "AlignmentError", "FailedLookup", "TruncatedMessage",
        "DeleteFirst", "RevokeFirst", "NotEnoughMemory",
    };
    return err < sizeof(names) / sizeof(names[0]) ? names[err] : "(unknown error)";
}

const char *type_name(seL4_Word tag)
{
    switch (tag) {
    case CT_NULL: return "null";
    case CT_FRAME: return "frame";
    case CT_UNTYPED: return "untyped";
    case CT_PT: return "page table";
    case CT_EP: return "endpoint";
    case CT_PD: return "page directory";
    case CT_NTFN: return "notification";
    case CT_PDPT: return "pdpt";
    case CT_REPLY: return "reply";
    case CT_PML4: return "pml4";
    case CT_CNODE: return "cnode";
    case CT_ASID_CONTROL: return "asid control";
    case CT_TCB: return "tcb";
    case CT_ASID_POOL: return "asid pool";
    case CT_IRQ_CONTROL: return "irq control";
    case CT_DOMAIN: return "domain";
    case CT_IO_PORT_CONTROL: return "io port control";
    case 18: return "zombie";
    case (seL4_Word)-1: return "(move failed)";
    default: return "(other)";
    }
}

/* ---- slot allocator -------------------------------------------------------- */

static unsigned char slot_used[NSLOTS];     /* 1 = handed out or found occupied */

static bool slot_usable(seL4_CPtr s)
{
    const seL4_BootInfo *bi = test_bootinfo();
    if (s < bi->empty.start || s >= bi->empty.end || s >= NSLOTS || slot_used[s])
        return false;
    if (ctype(s) != CT_NULL) {
        slot_used[s] = 1;                   /* leaked by someone: never use it */
        return false;
    }
    return true;
}

/* Workspace records: ranges handed out since ws_begin(). */
#define WS_MAX 4096
static struct { seL4_CPtr first; seL4_Word n; } ws_rec[WS_MAX];
static unsigned ws_n;
static bool ws_on;

static void ws_note(seL4_CPtr first, seL4_Word n)
{
    if (ws_on && ws_n < WS_MAX) {
        ws_rec[ws_n].first = first;
        ws_rec[ws_n].n = n;
        ws_n++;
    }
}

seL4_CPtr slot_alloc_range(seL4_Word n)
{
    const seL4_BootInfo *bi = test_bootinfo();
    if (n == 0)
        return 0;
    seL4_CPtr s = bi->empty.start;
    while (s + n <= bi->empty.end && s + n <= NSLOTS) {
        seL4_Word k;
        for (k = 0; k < n; k++) {
            if (!slot_usable(s + k))
                break;
        }
        if (k == n) {
            for (k = 0; k < n; k++)
                slot_used[s + k] = 1;
            ws_note(s, n);
            return s;
        }
        s += k + 1;
    }
    return 0;
}

seL4_CPtr slot_alloc(void)
{
    return slot_alloc_range(1);
}

void slot_free_range(seL4_CPtr first, seL4_Word n)
{
    for (seL4_Word k = 0; k < n; k++) {
        if (first + k < NSLOTS)
            slot_used[first + k] = 0;
    }
}

void slot_free(seL4_CPtr slot)
{
    slot_free_range(slot, 1);
}

/* ---- workspace --------------------------------------------------------------- */

void ws_begin(void)
{
    ws_n = 0;
    ws_on = true;
}

void ws_end(void)
{
    ws_on = false;
    while (ws_n > 0) {
        ws_n--;
        seL4_CPtr first = ws_rec[ws_n].first;
        for (seL4_Word k = ws_rec[ws_n].n; k-- > 0;) {
            seL4_CPtr s = first + k;
            if (!slot_used[s])
                continue;                   /* the test freed it already */
            if (ctype(s) != CT_NULL) {
                (void)seL4_CNode_Revoke(ROOT_CNODE, s, ROOT_DEPTH);
                (void)seL4_CNode_Delete(ROOT_CNODE, s, ROOT_DEPTH);
            }
            /* A slot that is still occupied stays marked as used. */
            if (ctype(s) == CT_NULL)
                slot_used[s] = 0;
        }
    }
}

/* ---- untypeds ------------------------------------------------------------------ */

seL4_Word ut_count(void)
{
    const seL4_BootInfo *bi = test_bootinfo();
    return bi->untyped.end - bi->untyped.start;
}

const seL4_UntypedDesc *ut_desc(seL4_Word i)
{
    return &test_bootinfo()->untypedList[i];
}

seL4_CPtr ut_slot(seL4_Word i)
{
    return test_bootinfo()->untyped.start + i;
}

static seL4_CPtr carve(unsigned bits, bool device)
{
    seL4_Word n = ut_count();
    seL4_CPtr dst = slot_alloc();
    if (dst == 0)
        return 0;
    /* Smallest boot untyped first, so the big ones stay whole for the tests
     * that need them (e.g. a 1 GiB frame). */
    for (unsigned size = bits; size <= seL4_MaxUntypedBits; size++) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = ut_desc(i);
            if (d->sizeBits != size || (d->isDevice != 0) != device)
                continue;
            seL4_Error e = seL4_Untyped_Retype(ut_slot(i), seL4_UntypedObject, bits, ROOT_CNODE,
                                               0, 0, dst, 1);
            if (e == seL4_NoError)
                return dst;
        }
    }
    slot_free(dst);
    return 0;
}

seL4_CPtr ut_carve(unsigned bits)
{
    return carve(bits, false);
}

seL4_CPtr ut_carve_device(unsigned bits)
{
    return carve(bits, true);
}

seL4_Word ut_free_bytes(seL4_CPtr ut)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0)
        return (seL4_Word)-1;
    seL4_Error e = seL4_Untyped_Retype(ut, seL4_UntypedObject, seL4_MaxUntypedBits, ROOT_CNODE,
                                       0, 0, s, 1);
    seL4_Word r = e == seL4_NotEnoughMemory ? seL4_GetMR(0) : (seL4_Word)-1;
    if (e == seL4_NoError)
        (void)r_delete(s);
    slot_free(s);
    return r;
}

seL4_CPtr mk_obj(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_Error *err)
{
    seL4_CPtr s = slot_alloc();
    if (err != NULL)
        *err = seL4_NotEnoughMemory;
    if (s == 0)
        return 0;
    seL4_Error e = seL4_Untyped_Retype(ut, type, size_bits, ROOT_CNODE, 0, 0, s, 1);
    if (err != NULL)
        *err = e;
    if (e != seL4_NoError) {
        slot_free(s);
        return 0;
    }
    return s;
}

/* ---- root CNode short forms ------------------------------------------------ */

seL4_Error r_copy(seL4_CPtr dst, seL4_CPtr src, seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(ROOT_CNODE, dst, ROOT_DEPTH, ROOT_CNODE, src, ROOT_DEPTH, rights);
}

seL4_Error r_mint(seL4_CPtr dst, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(ROOT_CNODE, dst, ROOT_DEPTH, ROOT_CNODE, src, ROOT_DEPTH, rights, badge);
}

seL4_Error r_move(seL4_CPtr dst, seL4_CPtr src)
{
    return seL4_CNode_Move(ROOT_CNODE, dst, ROOT_DEPTH, ROOT_CNODE, src, ROOT_DEPTH);
}

seL4_Error r_mutate(seL4_CPtr dst, seL4_CPtr src, seL4_Word data)
{
    return seL4_CNode_Mutate(ROOT_CNODE, dst, ROOT_DEPTH, ROOT_CNODE, src, ROOT_DEPTH, data);
}

seL4_Error r_delete(seL4_CPtr slot)
{
    return seL4_CNode_Delete(ROOT_CNODE, slot, ROOT_DEPTH);
}

seL4_Error r_revoke(seL4_CPtr slot)
{
    return seL4_CNode_Revoke(ROOT_CNODE, slot, ROOT_DEPTH);
}

seL4_Word ctype_at(seL4_CPtr cnode, seL4_Word index, seL4_Word depth)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0)
        return (seL4_Word)-1;
    seL4_Word t;
    seL4_Error e = seL4_CNode_Move(ROOT_CNODE, s, ROOT_DEPTH, cnode, index, (seL4_Uint8)depth);
    if (e == seL4_FailedLookup && seL4_GetMR(0) == 1 && seL4_GetMR(1) == seL4_MissingCapability) {
        t = CT_NULL;
    } else if (e != seL4_NoError) {
        t = (seL4_Word)-1;
    } else {
        t = ctype(s);
        if (seL4_CNode_Move(cnode, index, (seL4_Uint8)depth, ROOT_CNODE, s, ROOT_DEPTH) !=
            seL4_NoError)
            t = (seL4_Word)-1;
    }
    if (ctype(s) == CT_NULL)
        slot_free(s);
    return t;
}

int window_empty(seL4_CPtr ut, seL4_CPtr root, seL4_Word index, seL4_Word depth,
                 seL4_Word offset, seL4_Word n)
{
    seL4_Error e = seL4_Untyped_Retype(ut, seL4_UntypedObject, seL4_MaxUntypedBits, root, index,
                                       depth, offset, n);
    if (e == seL4_NotEnoughMemory)
        return 1;
    if (e == seL4_DeleteFirst)
        return 0;
    return -1;
}

/* ---- raw invocations --------------------------------------------------------- */

seL4_MessageInfo_t raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word length,
                            seL4_Word ncaps, const seL4_CPtr *caps,
                            const seL4_Word *mr, seL4_Word nmr)
{
    seL4_Word m[4] = { 0, 0, 0, 0 };
    for (seL4_Word i = 0; i < nmr && i < seL4_MsgMaxLength; i++) {
        if (i < 4)
            m[i] = mr[i];
        seL4_SetMR((int)i, mr[i]);
    }
    for (seL4_Word i = 0; i < ncaps && i < seL4_MsgMaxExtraCaps; i++)
        seL4_SetCap((int)i, caps[i]);
    seL4_MessageInfo_t tag = seL4_MessageInfo_new(label, 0, ncaps, length);
    /* CallWithMRs passes MRk in its register only if length > k; the rest
     * of the message is read by the kernel from the IPC buffer. */
    seL4_MessageInfo_t reply = seL4_CallWithMRs(cap, tag, &m[0], &m[1], &m[2], &m[3]);
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, m[i]);
    return reply;
}

int mrs_mismatch(const seL4_Word *want, int n)
{
    for (int i = 0; i < n; i++) {
        if (seL4_GetMR(i) != want[i])
            return i;
    }
    return -1;
}
