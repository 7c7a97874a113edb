/*
 * CSpace addressing: resolving a CPtr to a slot through guarded CNodes
 * (capabilities.md §1) and the lookup failures seL4 reports.
 */
#ifndef CSPACE_H
#define CSPACE_H

#include "cap.h"

typedef enum lookup_fault_type {
    LOOKUP_NO_FAILURE = 0,
    LOOKUP_INVALID_ROOT = 1,
    LOOKUP_MISSING_CAPABILITY = 2,
    LOOKUP_DEPTH_MISMATCH = 3,
    LOOKUP_GUARD_MISMATCH = 4,
} lookup_fault_type_t;

typedef struct lookup_fault {
    lookup_fault_type_t type;
    unsigned bits_left;
    unsigned bits_found;        /* depth / guard mismatch */
    word_t guard_found;         /* guard mismatch */
} lookup_fault_t;

typedef struct lookup_result {
    cte_t *slot;                /* NULL on failure */
    unsigned bits_remaining;
    lookup_fault_t fault;
} lookup_result_t;

/* resolveAddressBits: resolves the top n bits of cptr starting at root. */
lookup_result_t cspace_resolve(cap_t root, word_t cptr, unsigned n);

/*
 * lookupSlot as used for syscalls: depth 64 from the thread's CSpace root;
 * stopping early at a non-CNode cap is fine.
 */
lookup_result_t cspace_lookup_slot(cap_t cspace_root, word_t cptr);

/*
 * lookupSlot for the IPC fastpath: the same resolution, but it only reports
 * success (the slot) or failure (NULL), so it can stay small and inline.
 * Failures go down the ordinary path, which reports them in full.
 */
static ALWAYS_INLINE cte_t *cspace_lookup_fast(cap_t node, word_t cptr)
{
    /*
     * `rest` holds the bits still to resolve, left-aligned (n of them), so
     * each level takes its guard and index from the top with two shifts.
     * Every shift count stays in 1..63: radix >= 1 and guard + radix <= n.
     */
    if (cap_get_type(node) != CAP_CNODE)
        return NULL;
    /*
     * The usual CSpace (a root task's, a Microkit PD's): one CNode whose
     * guard and radix cover all 64 bits. The guard is then at least one bit
     * (the radix field cannot hold 64), so both shifts are in range.
     */
    unsigned radix1 = cap_cnode_radix(node), gsize1 = cap_cnode_guard_size(node);
    if (radix1 != 0 && radix1 + gsize1 == 64) {
        if (cptr >> radix1 != cap_cnode_guard(node))
            return NULL;
        return cap_cnode_slots(node) + (cptr & MASK(radix1));
    }
    word_t rest = cptr;
    unsigned n = 64;
    for (;;) {
        if (cap_get_type(node) != CAP_CNODE)
            return NULL;
        unsigned radix = cap_cnode_radix(node);
        unsigned gsize = cap_cnode_guard_size(node);
        if (radix == 0 || radix + gsize > n)
            return NULL;
        word_t guard = gsize == 0 ? 0 : rest >> (64 - gsize);
        if (guard != cap_cnode_guard(node))
            return NULL;
        rest <<= gsize;
        cte_t *slot = cap_cnode_slots(node) + (rest >> (64 - radix));
        n -= radix + gsize;
        if (n == 0 || cap_get_type(slot->cap) != CAP_CNODE)
            return slot;
        rest <<= radix;
        node = slot->cap;
    }
}

/*
 * lookupSlot for the system-call paths: the inline resolution above for
 * the common case, the full one only when it fails (to report why, or to
 * settle a case the inline one does not handle). Returns the slot, or NULL
 * with *fault set.
 */
static ALWAYS_INLINE cte_t *cspace_lookup_syscall(cap_t root, word_t cptr,
                                                  lookup_fault_t *fault)
{
    cte_t *slot = cspace_lookup_fast(root, cptr);
    if (slot != NULL)
        return slot;
    lookup_result_t r = cspace_lookup_slot(root, cptr);
    if (r.slot == NULL)
        *fault = r.fault;
    return r.slot;
}

#endif
