/* CPtr resolution (capabilities.md §1). Pure: no side effects. */
#include "cspace.h"

static lookup_result_t failure(lookup_fault_type_t type, unsigned bits_left,
                               unsigned bits_found, word_t guard_found)
{
    lookup_result_t r = { .slot = NULL };
    r.fault = (lookup_fault_t){ type, bits_left, bits_found, guard_found };
    return r;
}

lookup_result_t cspace_resolve(cap_t node, word_t cptr, unsigned n)
{
    if (cap_get_type(node) != CAP_CNODE)
        return failure(LOOKUP_INVALID_ROOT, n, 0, 0);

    /*
     * The n unresolved bits (the low n bits of cptr) are kept left-aligned
     * in `rest`, so each level reads its guard and index off the top.
     */
    word_t rest = n == 0 ? 0 : cptr << (64 - n);
    for (;;) {
        unsigned radix = cap_cnode_radix(node);
        unsigned gsize = cap_cnode_guard_size(node);
        unsigned level = radix + gsize;
        word_t guard = cap_cnode_guard(node);

        /* A level that consumes no bits could loop forever; CNodes have
         * radix >= 1 by construction, so this only guards against bugs. */
        if (level == 0)
            return failure(LOOKUP_DEPTH_MISMATCH, n, 0, 0);

        /* The guard must match the next gsize bits below bit n. */
        if (gsize > n)
            return failure(LOOKUP_GUARD_MISMATCH, n, gsize, guard);
        word_t found = gsize == 0 ? 0 : rest >> (64 - gsize);
        if (found != (guard & MASK(gsize)))
            return failure(LOOKUP_GUARD_MISMATCH, n, gsize, guard);
        if (level > n)
            return failure(LOOKUP_DEPTH_MISMATCH, n, level, 0);

        /* gsize <= 63 here (level <= n <= 64 and, below, radix >= 1). */
        word_t index = radix == 0 ? 0 : (rest << gsize) >> (64 - radix);
        cte_t *slot = &cap_cnode_slots(node)[index];
        n -= level;
        if (n == 0 || cap_get_type(slot->cap) != CAP_CNODE) {
            lookup_result_t r = { .slot = slot, .bits_remaining = n };
            return r;
        }
        rest = (rest << gsize) << radix;
        node = slot->cap;
    }
}

lookup_result_t cspace_lookup_slot(cap_t cspace_root, word_t cptr)
{
    return cspace_resolve(cspace_root, cptr, 64);
}
