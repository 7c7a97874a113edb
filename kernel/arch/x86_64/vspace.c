/*
 * x86_64 paging objects and their invocations (objects.md §4,
 * invocations.md §2.6-§2.8): PDPT, page directory, page table and frame
 * Map/Unmap, frame GetAddress, ASIDControl_MakePool, ASIDPool_Assign.
 * User level builds its address spaces itself; the kernel only checks and
 * writes the entries.
 */
#include "invocation.h"
#include "asid.h"
#include "cdt.h"
#include "kstring.h"
#include <arch/vspace.h>

#define USER_VADDR_MAX  0x7FFFFFFFFFFFUL

/* The level whose entries an object of this cap type fills. */
static unsigned entry_level(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case CAP_PDPT:
        return 0;
    case CAP_PAGE_DIRECTORY:
        return 1;
    case CAP_PAGE_TABLE:
        return 2;
    default:
        return ARCH_LEVEL_OF_FRAME(cap_frame_size_bits(cap));
    }
}

/* Bits of address space one entry at a level covers. */
static unsigned level_span_bits(unsigned level)
{
    return 39 - 9 * level;
}

/*
 * The vspace argument: a PML4 cap with an ASID that still names it.
 * Returns its root, or 0 with e set.
 */
static bool vspace_cap_ok(cap_t vspace)
{
    return cap_get_type(vspace) == CAP_PML4 && cap_asid(vspace) != 0;
}

static paddr_t resolve_vspace(cap_t vspace, syscall_error_t *e)
{
    paddr_t root = asid_lookup(cap_asid(vspace));
    if (root == 0) {
        lookup_fault_t lf = { .type = LOOKUP_INVALID_ROOT };
        err_failed_lookup(e, false, &lf, "the ASID names no VSpace");
        return 0;
    }
    if (root != cap_object_paddr(vspace)) {
        err_invalid_capability(e, 1, "the ASID names a different VSpace");
        return 0;
    }
    return root;
}

static bool missing_table(syscall_error_t *e, unsigned bits_left)
{
    lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY, .bits_left = bits_left };
    return err_failed_lookup(e, false, &lf, "no paging structure covers the address");
}

/* --- PDPT, page directory, page table --- */

static bool decode_table_map(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 2 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "Map needs vaddr, attr and a VSpace");
    cap_t cap = inv->cap;
    unsigned level = entry_level(cap);
    vaddr_t va = ROUND_DOWN(inv_mr(inv, 0), BIT(level_span_bits(level)));
    word_t attr = inv_mr(inv, 1);
    cap_t vspace = inv->extra[0]->cap;
    if (cap_mapped_asid(cap) != 0)
        return err_invalid_capability(e, 0, "the paging structure is already mapped");
    if (!vspace_cap_ok(vspace))
        return err_invalid_capability(e, 1, "not a PML4 cap with an ASID");
    if (va > USER_VADDR_MAX)
        return err_invalid_argument(e, 0, "the address is in the kernel's half");
    paddr_t root = resolve_vspace(vspace, e);
    if (root == 0)
        return false;
    unsigned bits_left;
    pte_t *entry = vspace_entry(root, level, va, &bits_left);
    if (entry == NULL)
        return missing_table(e, bits_left);
    if (pte_present(*entry))
        return err_simple(e, seL4_DeleteFirst, "the slot already holds a mapping");

    vspace_set_entry(root, entry, pte_make_table(cap_object_paddr(cap), attr), va, level);
    inv->slot->cap = cap_set_mapping(cap, va, cap_asid(vspace));
    return true;
}

static bool decode_table_unmap(invocation_t *inv, syscall_error_t *e)
{
    cap_t cap = inv->cap;
    if (!cdt_is_final(inv->slot))
        return err_simple(e, seL4_RevokeFirst, "other caps to the paging structure exist");
    if (cap_mapped_asid(cap) != 0) {
        paddr_t root = asid_lookup(cap_mapped_asid(cap));
        if (root != 0)
            arch_vspace_unmap(root, entry_level(cap), cap_mapped_addr(cap),
                              cap_object_paddr(cap));
        memset(paddr_to_kptr(cap_object_paddr(cap)), 0, BIT(seL4_PageBits));
    }
    inv->slot->cap = cap_set_mapping(cap, 0, 0);
    return true;
}

/* --- frames --- */

static unsigned effective_rights(cap_t frame, word_t rights)
{
    unsigned vm = cap_frame_rights(frame);
    bool read = rights & RIGHT_READ, write = rights & RIGHT_WRITE;
    if (vm == VM_RIGHTS_READ_WRITE && read)
        return write ? VM_RIGHTS_READ_WRITE : VM_RIGHTS_READ_ONLY;
    if (vm == VM_RIGHTS_READ_ONLY && read)
        return VM_RIGHTS_READ_ONLY;
    return VM_RIGHTS_KERNEL_ONLY;
}

static bool decode_frame_map(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 3 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "Map needs vaddr, rights, attr, a VSpace");
    cap_t frame = inv->cap;
    vaddr_t va = inv_mr(inv, 0);
    word_t rights = inv_mr(inv, 1), attr = inv_mr(inv, 2);
    cap_t vspace = inv->extra[0]->cap;
    word_t size = cap_frame_size(frame);
    unsigned level = entry_level(frame);

    if (!vspace_cap_ok(vspace))
        return err_invalid_capability(e, 1, "not a PML4 cap with an ASID");
    if (cap_mapped_asid(frame) != 0) {
        if (cap_mapped_asid(frame) != cap_asid(vspace))
            return err_invalid_capability(e, 1, "the frame is mapped in another VSpace");
        if (cap_mapped_addr(frame) != va)
            return err_invalid_argument(e, 0, "the frame is mapped at another address");
    } else if (va > USER_VADDR_MAX || va + size > USER_VADDR_MAX) {
        return err_invalid_argument(e, 0, "the address is in the kernel's half");
    }
    paddr_t root = resolve_vspace(vspace, e);
    if (root == 0)
        return false;
    if (!IS_ALIGNED(va, size))
        return err_simple(e, seL4_AlignmentError, "the address is not aligned to the frame");
    unsigned bits_left;
    pte_t *entry = vspace_entry(root, level, va, &bits_left);
    if (entry == NULL)
        return missing_table(e, bits_left);
    if (level < 3 && pte_present(*entry) && !pte_is_page(*entry, level))
        return err_simple(e, seL4_DeleteFirst, "a paging structure is mapped there");

    pte_t value = pte_make_frame(cap_object_paddr(frame), level,
                                 effective_rights(frame, rights), attr);
    vspace_set_entry(root, entry, value, va, level);
    inv->slot->cap = cap_set_mapping(frame, va, cap_asid(vspace));
    return true;
}

static void frame_unmap(invocation_t *inv)
{
    cap_t frame = inv->cap;
    if (cap_mapped_asid(frame) != 0) {
        paddr_t root = asid_lookup(cap_mapped_asid(frame));
        if (root != 0)
            arch_vspace_unmap(root, entry_level(frame), cap_mapped_addr(frame),
                              cap_object_paddr(frame));
    }
    inv->slot->cap = cap_set_mapping(frame, 0, 0);
}

static bool decode_frame(invocation_t *inv, syscall_error_t *e)
{
    switch (inv->label) {
    case X86PageMap:
        return decode_frame_map(inv, e);
    case X86PageUnmap:
        frame_unmap(inv);
        return true;
    case X86PageGetAddress:
        inv->reply[0] = cap_object_paddr(inv->cap);
        inv->reply_length = 1;
        return true;
    default:
        return err_simple(e, seL4_IllegalOperation, "not a frame invocation");
    }
}

/* --- ASIDs --- */

static bool decode_make_pool(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 2 || inv->num_extra < 2)
        return err_simple(e, seL4_TruncatedMessage, "MakePool needs index, depth and 2 caps");
    int pool = asid_free_pool();
    if (pool < 0)
        return err_simple(e, seL4_DeleteFirst, "all ASID pools are in use");
    cte_t *ut_slot = inv->extra[0];
    cap_t ut = ut_slot->cap;
    if (cap_get_type(ut) != CAP_UNTYPED || cap_untyped_size_bits(ut) != seL4_PageBits ||
        cap_untyped_is_device(ut))
        return err_invalid_capability(e, 1, "needs a 4 KiB RAM untyped");
    if (cdt_has_children(ut_slot))
        return err_simple(e, seL4_RevokeFirst, "the untyped has children");
    cte_t *dest = lookup_target_slot(inv->extra[1]->cap, inv_mr(inv, 0), inv_mr(inv, 1), false,
                                     e);
    if (dest == NULL)
        return false;
    if (!cap_is_null(dest->cap))
        return err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");

    paddr_t base = cap_object_paddr(ut);
    memset(paddr_to_kptr(base), 0, BIT(seL4_PageBits));
    ut_slot->cap = cap_untyped_set_free_offset(ut, BIT(seL4_PageBits));
    cdt_insert_child(ut_slot, dest, cap_asid_pool_new(base, (unsigned)pool << ASID_POOL_BITS));
    asid_pool_install((unsigned)pool, base);
    return true;
}

static bool decode_assign(invocation_t *inv, syscall_error_t *e)
{
    if (inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "Assign needs a PML4 cap");
    cte_t *vs_slot = inv->extra[0];
    cap_t vspace = vs_slot->cap;
    if (cap_get_type(vspace) != CAP_PML4 || cap_asid(vspace) != 0)
        return err_invalid_capability(e, 1, "not a PML4 cap without an ASID");
    unsigned first = cap_asid(inv->cap);
    paddr_t installed = asid_pool_of(first);
    if (installed == 0) {
        lookup_fault_t lf = { .type = LOOKUP_INVALID_ROOT };
        return err_failed_lookup(e, false, &lf, "the pool is not installed");
    }
    if (installed != cap_object_paddr(inv->cap))
        return err_invalid_capability(e, 0, "a different pool holds these ASIDs");
    unsigned asid = asid_find_free(first);
    if (asid == 0)
        return err_simple(e, seL4_DeleteFirst, "the pool has no free ASID");
    asid_assign(asid, cap_object_paddr(vspace));
    vs_slot->cap = cap_pml4_new(cap_object_paddr(vspace), asid);
    return true;
}

bool decode_arch_invocation(invocation_t *inv, syscall_error_t *e)
{
    switch (cap_get_type(inv->cap)) {
    case CAP_FRAME:
        return decode_frame(inv, e);
    case CAP_PAGE_TABLE:
    case CAP_PAGE_DIRECTORY:
    case CAP_PDPT: {
        static const word_t map_label[] = { X86PDPTMap, X86PageDirectoryMap, X86PageTableMap };
        unsigned level = entry_level(inv->cap);
        if (inv->label == map_label[level])
            return decode_table_map(inv, e);
        if (inv->label == map_label[level] + 1)
            return decode_table_unmap(inv, e);
        return err_simple(e, seL4_IllegalOperation, "not an invocation of this paging object");
    }
    case CAP_ASID_CONTROL:
        if (inv->label != X86ASIDControlMakePool)
            return err_simple(e, seL4_IllegalOperation, "not an ASID control invocation");
        return decode_make_pool(inv, e);
    case CAP_ASID_POOL:
        if (inv->label != X86ASIDPoolAssign)
            return err_simple(e, seL4_IllegalOperation, "not an ASID pool invocation");
        return decode_assign(inv, e);
    default:
        return err_simple(e, seL4_IllegalOperation, "this object has no invocations");
    }
}
