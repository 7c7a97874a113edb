/*
 * CNode objects: arrays of 2^radix cap slots, and the CNode invocations
 * (capabilities.md §5) — Revoke, Delete, CancelBadgedSends, Copy, Mint,
 * Move, Mutate, Rotate, SaveCaller. Each decode checks in seL4's order and
 * changes nothing until every check has passed.
 */
#include "invocation.h"
#include "delete.h"
#include "cdt.h"
#include "ipc.h"

/* Extra caps: index 0 = source root (Copy/Mint/Move/Mutate), pivot root (Rotate). */
static cap_t extra_cap(const invocation_t *inv, unsigned i)
{
    return inv->extra[i]->cap;
}

/* capabilities.md §3: Copy and Mint AND the rights into the cap. */
static cap_t mask_rights(cap_t cap, word_t rights)
{
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
        return cap_ipc_set_rights(cap, cap_ipc_rights(cap) & (unsigned)rights & RIGHTS_ALL);
    case CAP_NOTIFICATION:
        return cap_ipc_set_rights(cap, cap_ipc_rights(cap) & (unsigned)rights &
                                           (RIGHT_READ | RIGHT_WRITE));
    case CAP_REPLY:
        return cap_reply_set_grant(cap, cap_reply_can_grant(cap) && (rights & RIGHT_GRANT));
    case CAP_FRAME: {
        unsigned vm = cap_frame_rights(cap);
        bool read = rights & RIGHT_READ, write = rights & RIGHT_WRITE;
        unsigned masked = VM_RIGHTS_KERNEL_ONLY;
        if (vm == VM_RIGHTS_READ_WRITE && read)
            masked = write ? VM_RIGHTS_READ_WRITE : VM_RIGHTS_READ_ONLY;
        else if (vm == VM_RIGHTS_READ_ONLY && read)
            masked = VM_RIGHTS_READ_ONLY;
        return cap_frame_set_rights(cap, masked);
    }
    default:
        return cap;
    }
}

/*
 * seL4's updateCapData: a badge for an unbadged endpoint/notification cap
 * (Mint only), a new guard for a CNode cap. A null result means the update
 * is not allowed (capabilities.md §1.1, §4).
 */
cap_t cap_update_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        if (preserve || cap_ipc_badge(cap) != 0)
            return cap_null();
        cap.w1 = data;
        return cap;
    case CAP_CNODE: {
        unsigned guard_size = (unsigned)(data & 0x3F);
        word_t guard = data >> 6;
        if (guard_size + cap_cnode_radix(cap) > 64)
            return cap_null();
        return cap_cnode_new(cap_cnode_paddr(cap), cap_cnode_radix(cap), guard_size, guard);
    }
    default:
        return cap;
    }
}

/* seL4's deriveCap (capabilities.md §7). Returns false with e set on error. */
bool cap_derive(cte_t *src, cap_t cap, cap_t *out, syscall_error_t *e)
{
    switch (cap_get_type(cap)) {
    case CAP_REPLY:
    case CAP_IRQ_CONTROL:
    case CAP_ZOMBIE:
    case CAP_IO_PORT_CONTROL:
        *out = cap_null();
        return true;
    case CAP_UNTYPED:
        if (cdt_has_children(src))
            return err_simple(e, seL4_RevokeFirst, "the untyped has children; revoke it first");
        *out = cap;
        return true;
    case CAP_PAGE_TABLE:
    case CAP_PAGE_DIRECTORY:
    case CAP_PDPT:
    case CAP_PML4:
        /* Only a mapped (for a PML4: assigned) paging structure can be copied. */
        if ((cap_get_type(cap) == CAP_PML4 ? cap_asid(cap) : cap_mapped_asid(cap)) == 0)
            return err_simple(e, seL4_IllegalOperation,
                              "an unmapped paging structure cannot be copied");
        *out = cap;
        return true;
    case CAP_FRAME:
        /* The copy is unmapped: a frame cap holds at most one mapping. */
        *out = cap_set_mapping(cap, 0, 0);
        return true;
    default:
        *out = cap;
        return true;
    }
}

/* Source-slot checks shared by Copy, Mint, Move and Mutate. */
static cte_t *lookup_source(invocation_t *inv, syscall_error_t *e)
{
    word_t index = inv_mr(inv, 2), depth = inv_mr(inv, 3);
    cte_t *src = lookup_target_slot(extra_cap(inv, 0), index, depth, true, e);
    if (src == NULL)
        return NULL;
    if (cap_is_null(src->cap)) {
        lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY, .bits_left = (unsigned)depth };
        err_failed_lookup(e, true, &lf, "the source slot is empty");
        return NULL;
    }
    return src;
}

static bool decode_copy_or_mint(invocation_t *inv, cte_t *dest, bool mint, syscall_error_t *e)
{
    cte_t *src = lookup_source(inv, e);
    if (src == NULL)
        return false;
    if (inv->length < (mint ? 6u : 5u))
        return err_simple(e, seL4_TruncatedMessage, "missing rights (and badge) arguments");
    cap_t cap = mask_rights(src->cap, inv_mr(inv, 4));
    if (mint)
        cap = cap_update_data(false, inv_mr(inv, 5), cap);
    cap_t derived;
    if (!cap_derive(src, cap, &derived, e))
        return false;
    if (cap_is_null(derived))
        return err_simple(e, seL4_IllegalOperation,
                          mint ? "this cap cannot be minted (already badged, bad guard or "
                                 "not derivable)"
                               : "this cap type cannot be copied");
    cdt_insert_derived(src, dest, derived);
    untyped_mark_copied(src);
    return true;
}

static bool decode_move_or_mutate(invocation_t *inv, cte_t *dest, bool mutate,
                                  syscall_error_t *e)
{
    cte_t *src = lookup_source(inv, e);
    if (src == NULL)
        return false;
    cap_t cap = src->cap;
    if (cap_get_type(cap) == CAP_ZOMBIE)
        return err_simple(e, seL4_IllegalOperation,
                          "a zombie (an object being deleted) cannot be moved; delete it");
    if (mutate) {
        if (inv->length < 5)
            return err_simple(e, seL4_TruncatedMessage, "missing the cap data argument");
        cap = cap_update_data(true, inv_mr(inv, 4), cap);
        if (cap_is_null(cap))
            return err_simple(e, seL4_IllegalOperation,
                              "Mutate cannot change this cap (endpoint/notification or bad guard)");
    }
    cdt_move(src, dest, cap);
    return true;
}

static bool decode_rotate(invocation_t *inv, cte_t *dest, syscall_error_t *e)
{
    if (inv->length < 8 || inv->num_extra < 2)
        return err_simple(e, seL4_TruncatedMessage, "Rotate needs 8 words and 2 extra caps");
    word_t dest_data = inv_mr(inv, 2);
    word_t pivot_index = inv_mr(inv, 3), pivot_depth = inv_mr(inv, 4);
    word_t pivot_data = inv_mr(inv, 5);
    word_t src_index = inv_mr(inv, 6), src_depth = inv_mr(inv, 7);

    cte_t *src = lookup_target_slot(extra_cap(inv, 1), src_index, src_depth, true, e);
    if (src == NULL)
        return false;
    cte_t *pivot = lookup_target_slot(extra_cap(inv, 0), pivot_index, pivot_depth, true, e);
    if (pivot == NULL)
        return false;
    if (pivot == src || pivot == dest)
        return err_simple(e, seL4_IllegalOperation, "the pivot is the source or destination");
    if (src != dest && !cap_is_null(dest->cap))
        return err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");
    if (cap_is_null(src->cap)) {
        lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY, .bits_left = (unsigned)src_depth };
        return err_failed_lookup(e, true, &lf, "the source slot is empty");
    }
    if (cap_is_null(pivot->cap)) {
        lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY,
                              .bits_left = (unsigned)pivot_depth };
        return err_failed_lookup(e, false, &lf, "the pivot slot is empty");
    }
    if (cap_get_type(src->cap) == CAP_ZOMBIE || cap_get_type(pivot->cap) == CAP_ZOMBIE)
        return err_simple(e, seL4_IllegalOperation,
                          "a zombie (an object being deleted) cannot be moved; delete it");
    cap_t new_src = cap_update_data(true, pivot_data, src->cap);    /* goes to pivot */
    cap_t new_pivot = cap_update_data(true, dest_data, pivot->cap); /* goes to dest */
    if (cap_is_null(new_src) || cap_is_null(new_pivot))
        return err_simple(e, seL4_IllegalOperation, "Rotate cannot change these caps");

    if (src == dest) {
        cdt_swap(src, new_pivot, pivot, new_src);
    } else {
        cdt_move(pivot, dest, new_pivot);
        cdt_move(src, pivot, new_src);
    }
    return true;
}

static bool decode_save_caller(invocation_t *inv, cte_t *dest, syscall_error_t *e)
{
    if (!cap_is_null(dest->cap))
        return err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");
    cte_t *caller = &inv->caller->slots[TCB_SLOT_CALLER];
    if (!cap_is_null(caller->cap))
        cdt_move(caller, dest, caller->cap);
    return true;
}

static bool decode_cancel_badged_sends(invocation_t *inv, cte_t *dest, syscall_error_t *e)
{
    cap_t cap = dest->cap;
    if (cap_get_type(cap) != CAP_ENDPOINT || cap_ipc_rights(cap) != RIGHTS_ALL)
        return err_simple(e, seL4_IllegalOperation,
                          "CancelBadgedSends needs an endpoint cap with all rights");
    /* Threads queued to send with this badge redo their Send; badge 0: nothing. */
    if (cap_ipc_badge(cap) != 0)
        inv->preempted = !endpoint_cancel_badged_sends(inv->caller, cap_ipc_paddr(cap),
                                                       cap_ipc_badge(cap));
    return true;
}

bool decode_cnode_invocation(invocation_t *inv, syscall_error_t *e)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeSaveCaller)
        return err_simple(e, seL4_IllegalOperation, "not a CNode invocation");
    if (inv->length < 2)
        return err_simple(e, seL4_TruncatedMessage, "missing index and depth");
    cte_t *dest = lookup_target_slot(inv->cap, inv_mr(inv, 0), inv_mr(inv, 1), false, e);
    if (dest == NULL)
        return false;

    switch (inv->label) {
    case CNodeRevoke:
        inv->preempted = !cte_revoke_preemptible(dest);
        return true;
    case CNodeDelete:
        inv->preempted = !cte_delete_preemptible(dest);
        return true;
    case CNodeCancelBadgedSends:
        return decode_cancel_badged_sends(inv, dest, e);
    case CNodeSaveCaller:
        return decode_save_caller(inv, dest, e);
    case CNodeRotate:
        return decode_rotate(inv, dest, e);
    default:
        break;
    }

    /* Copy, Mint, Move, Mutate. */
    if (inv->length < 4 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "missing source arguments or source root");
    if (!cap_is_null(dest->cap))
        return err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");
    switch (inv->label) {
    case CNodeCopy:
        return decode_copy_or_mint(inv, dest, false, e);
    case CNodeMint:
        return decode_copy_or_mint(inv, dest, true, e);
    case CNodeMove:
        return decode_move_or_mutate(inv, dest, false, e);
    default:
        return decode_move_or_mutate(inv, dest, true, e);
    }
}
