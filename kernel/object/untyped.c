/*
 * Untyped memory and Untyped_Retype (objects.md §3, invocations.md
 * UntypedRetype): carving kernel objects out of an untyped region.
 *
 * The watermark (free offset) only grows while the untyped has children;
 * once all children are gone the next Retype resets it to 0 and zeroes the
 * memory that was in use. Memory above the watermark is therefore always
 * zero (device memory excepted), so new objects need no further clearing.
 *
 * The reset zeroes from the watermark down, one chunk per work unit, and
 * lowers the watermark after each chunk; stopped at a preemption point it
 * leaves an untyped that is consistent (clean above its watermark) and the
 * re-executed Retype continues where it stopped.
 */
#include "invocation.h"
#include "objects.h"
#include "cdt.h"
#include "config.h"
#include "kstring.h"
#include "preempt.h"

#define RETYPE_MAX_OBJECTS  CONFIG_RETYPE_FAN_OUT_LIMIT
/* An untyped is zeroed in chunks of this size, one work unit each. */
#define RESET_CHUNK_BITS    10

struct retype_args {
    word_t type;
    word_t user_bits;
    unsigned obj_bits;
    cte_t *window;          /* first destination slot */
    word_t count;
    bool reset;             /* the untyped has no children: start from 0 */
    word_t free_offset;     /* where allocation starts (after any reset) */
};

static bool decode_size(invocation_t *inv, struct retype_args *a, syscall_error_t *e)
{
    a->type = inv_mr(inv, 0);
    a->user_bits = inv_mr(inv, 1);
    if (a->type >= seL4_ObjectTypeCount)
        return err_invalid_argument(e, 0, "unknown object type");
    if (a->user_bits >= 64 || object_size_bits(a->type, a->user_bits) > OBJECT_MAX_BITS)
        return err_range(e, 0, OBJECT_MAX_BITS, "object too large");
    if (a->type == seL4_CapTableObject && a->user_bits == 0)
        return err_invalid_argument(e, 1, "a CNode needs at least 2 slots");
    if (a->type == seL4_UntypedObject && a->user_bits < seL4_MinUntypedBits)
        return err_invalid_argument(e, 1, "an untyped needs at least 16 bytes");
    a->obj_bits = object_size_bits(a->type, a->user_bits);
    return true;
}

static bool decode_destination(invocation_t *inv, struct retype_args *a, syscall_error_t *e)
{
    word_t node_index = inv_mr(inv, 2), node_depth = inv_mr(inv, 3);
    word_t offset = inv_mr(inv, 4);
    a->count = inv_mr(inv, 5);

    cap_t root = inv->extra[0]->cap;
    cap_t node = root;
    if (node_depth != 0) {
        cte_t *slot = lookup_target_slot(root, node_index, node_depth, false, e);
        if (slot == NULL)
            return false;
        node = slot->cap;
    }
    if (cap_get_type(node) != CAP_CNODE) {
        lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY, .bits_left = (unsigned)node_depth };
        return err_failed_lookup(e, false, &lf, "the destination is not a CNode");
    }
    word_t slots = BIT(cap_cnode_radix(node));
    if (offset > slots - 1)
        return err_range(e, 0, slots - 1, "node_offset beyond the CNode");
    if (a->count < 1 || a->count > RETYPE_MAX_OBJECTS)
        return err_range(e, 1, RETYPE_MAX_OBJECTS, "num_objects must be 1..256");
    if (a->count > slots - offset)
        return err_range(e, 1, slots - offset, "not enough slots after node_offset");
    a->window = cap_cnode_slots(node) + offset;
    for (word_t i = 0; i < a->count; i++) {
        if (!cap_is_null(a->window[i].cap))
            return err_simple(e, seL4_DeleteFirst, "a destination slot is not empty");
    }
    return true;
}

static bool decode_space(invocation_t *inv, struct retype_args *a, syscall_error_t *e)
{
    cap_t ut = inv->cap;
    word_t size = BIT(cap_untyped_size_bits(ut));
    a->reset = !cdt_has_children(inv->slot);
    a->free_offset = a->reset ? 0 : cap_untyped_free_offset(ut);
    /* The untyped's base is aligned to its size, so this count is exact. */
    if (((size - a->free_offset) >> a->obj_bits) < a->count)
        return err_not_enough_memory(e, size - a->free_offset);
    if (cap_untyped_is_device(ut) && !object_is_frame(a->type) && a->type != seL4_UntypedObject)
        return err_invalid_argument(e, 1, "device untypeds only make frames and untypeds");
    return true;
}

/* Zeroes what earlier (now deleted) objects used; false if preempted. */
static bool reset_untyped(cte_t *slot)
{
    paddr_t base = cap_object_paddr(slot->cap);
    word_t used = cap_untyped_free_offset(slot->cap);
    while (used > 0) {
        word_t start = ROUND_DOWN(used - 1, BIT(RESET_CHUNK_BITS));
        memset((char *)paddr_to_kptr(base) + start, 0, used - start);
        used = start;
        slot->cap = cap_untyped_set_free_offset(slot->cap, used);
        if (preempt_point())
            return used == 0;
    }
    return true;
}

static void perform_retype(invocation_t *inv, const struct retype_args *a)
{
    cap_t ut = inv->cap;
    paddr_t base = ut.w1;
    bool device = cap_untyped_is_device(ut);

    if (a->reset && !device && !reset_untyped(inv->slot)) {
        inv->preempted = true;
        return;
    }
    paddr_t next = ROUND_UP(base + a->free_offset, BIT(a->obj_bits));
    for (word_t i = 0; i < a->count; i++) {
        /* Bounded by the fan-out limit: counted, never a stopping point. */
        preempt_count_unit();
        cap_t cap = object_create(a->type, next, a->user_bits, device, inv->caller->name);
        cdt_insert_child(inv->slot, &a->window[i], cap);
        next += BIT(a->obj_bits);
    }
    inv->slot->cap = cap_untyped_set_free_offset(inv->slot->cap, next - base);
}

bool decode_untyped_invocation(invocation_t *inv, syscall_error_t *e)
{
    if (inv->label != UntypedRetype)
        return err_simple(e, seL4_IllegalOperation, "not an untyped invocation");
    if (inv->length < 6 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "Retype needs 6 words and a root CNode");
    struct retype_args a = { 0 };
    if (!decode_size(inv, &a, e) || !decode_destination(inv, &a, e) || !decode_space(inv, &a, e))
        return false;
    perform_retype(inv, &a);
    return true;
}
