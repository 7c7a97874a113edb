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

#endif
