/*
 * Fuzz target: CPtr resolution (kernel/core/cspace.c, cspace.h).
 *
 * The input describes a small CSpace: 2-4 CNodes of radix 1..8, linked
 * through CNode caps with arbitrary guards (self links and cycles included),
 * some endpoint caps, then a series of lookups: raw or path-guided CPtrs at
 * depths 0..64 from the root or from another cap. Each lookup is checked:
 *  - cspace_resolve agrees field for field (slot, bits remaining, fault type,
 *    bits left, bits found, guard found) with a bit-by-bit reference
 *    resolver written from capabilities.md §1, which decodes the cap words
 *    itself;
 *  - a returned slot lies inside the CNode array the last cap names, below
 *    2^radix;
 *  - at depth 64, cspace_lookup_slot returns the same, and the fastpath's
 *    cspace_lookup_fast returns the same slot on success and NULL exactly
 *    when the full lookup fails (all CNodes have radix >= 1 and masked
 *    guards, as the kernel creates them, so the two must agree exactly).
 *
 * Input layout (reads past the end yield zeros):
 *   u8 CNode count | per CNode: u8 radix | u8 root guard size, u64 root guard
 *   | u8 number of caps to place, each: u8 CNode, u16 slot, u8 kind,
 *     (CNode caps:) u8 target, u8 guard size, u64 guard
 *   | lookups until the input ends: u8 mode, u8 depth (none if mode bit 7:
 *     depth 64), u8 start, then a u64 CPtr (mode bit 0 clear) or a u8 index
 *     per level plus u64 filler (guided).
 */
#include "fuzz_common.h"
#include "cspace.h"

#define MAX_CNODES  4
#define MAX_RADIX   8

static _Alignas(64) cte_t cnodes[MAX_CNODES][1u << MAX_RADIX];
static unsigned radix_of[MAX_CNODES];
static unsigned num_cnodes;

/* ------------------------------------------------------------------------ */
/* Reference resolver                                                        */
/* ------------------------------------------------------------------------ */

/* Cap word layout, restated from cap.h's comment rather than its accessors. */
static unsigned ref_type(cap_t c)
{
    return (unsigned)(c.w0 & 0x1F);
}

static unsigned ref_radix(cap_t c)
{
    return (unsigned)((c.w0 >> 5) & 0x3F);
}

static unsigned ref_guard_size(cap_t c)
{
    return (unsigned)((c.w0 >> 11) & 0x3F);
}

static uintptr_t ref_cnode_addr(cap_t c)
{
    return (uintptr_t)(((c.w0 >> 17) & ((1ULL << 40) - 1)) << 6);
}

/* The count bits of cptr just below bit position top, one bit at a time. */
static word_t bits_below(word_t cptr, unsigned top, unsigned count)
{
    word_t v = 0;
    for (unsigned i = 0; i < count; i++)
        v = (v << 1) | ((cptr >> (top - 1 - i)) & 1);
    return v;
}

static word_t low_mask(unsigned count)
{
    word_t m = 0;
    for (unsigned i = 0; i < count; i++)
        m = (m << 1) | 1;
    return m;
}

/* Which of our CNodes a cap names (-1: none). */
static int cnode_index(cap_t c)
{
    for (unsigned k = 0; k < num_cnodes; k++)
        if (ref_cnode_addr(c) == (uintptr_t)cnodes[k])
            return (int)k;
    return -1;
}

static lookup_result_t ref_fail(lookup_fault_type_t type, unsigned left, unsigned found,
                                word_t guard)
{
    lookup_result_t r;
    memset(&r, 0, sizeof(r));
    r.fault.type = type;
    r.fault.bits_left = left;
    r.fault.bits_found = found;
    r.fault.guard_found = guard;
    return r;
}

/*
 * seL4's resolveAddressBits: at each CNode the guard is compared first
 * (guard mismatch when it does not fit in the bits left), then the level
 * must fit (depth mismatch); the walk stops after n bits or at a slot that
 * does not hold a CNode cap.
 */
static lookup_result_t ref_resolve(cap_t node, word_t cptr, unsigned n)
{
    if (ref_type(node) != CAP_CNODE)
        return ref_fail(LOOKUP_INVALID_ROOT, n, 0, 0);
    for (unsigned steps = 0;; steps++) {
        FZ_CHECK(steps <= 64, "reference resolver looped");
        unsigned radix = ref_radix(node), gsize = ref_guard_size(node);
        word_t guard = node.w1;
        if (radix + gsize == 0)
            return ref_fail(LOOKUP_DEPTH_MISMATCH, n, 0, 0);
        if (gsize > n || bits_below(cptr, n, gsize) != (guard & low_mask(gsize)))
            return ref_fail(LOOKUP_GUARD_MISMATCH, n, gsize, guard);
        if (radix + gsize > n)
            return ref_fail(LOOKUP_DEPTH_MISMATCH, n, radix + gsize, 0);
        int k = cnode_index(node);
        FZ_CHECK(k >= 0, "a CNode cap names no CNode");
        FZ_CHECK(radix == radix_of[k], "a cap's radix differs from its CNode's");
        word_t index = bits_below(cptr, n - gsize, radix);
        cte_t *slot = &cnodes[k][index];
        n -= radix + gsize;
        if (n == 0 || ref_type(slot->cap) != CAP_CNODE) {
            lookup_result_t r;
            memset(&r, 0, sizeof(r));
            r.slot = slot;
            r.bits_remaining = n;
            return r;
        }
        node = slot->cap;
    }
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */
/* ------------------------------------------------------------------------ */

static const char *describe(const lookup_result_t *r, char *buf, size_t len)
{
    snprintf(buf, len, "slot %p remaining %u fault {type %d left %u found %u guard %#llx}",
             (void *)r->slot, r->bits_remaining, (int)r->fault.type, r->fault.bits_left,
             r->fault.bits_found, (unsigned long long)r->fault.guard_found);
    return buf;
}

static bool same_result(const lookup_result_t *a, const lookup_result_t *b)
{
    return a->slot == b->slot && a->bits_remaining == b->bits_remaining &&
           a->fault.type == b->fault.type && a->fault.bits_left == b->fault.bits_left &&
           a->fault.bits_found == b->fault.bits_found &&
           a->fault.guard_found == b->fault.guard_found;
}

/* A returned slot must be one of the 2^radix slots of one of our CNodes. */
static void check_slot_in_bounds(const cte_t *s)
{
    for (unsigned k = 0; k < num_cnodes; k++) {
        if (s >= &cnodes[k][0] && s < &cnodes[k][1u << radix_of[k]])
            return;
    }
    FZ_FAIL("lookup returned %p, outside every CNode's slots", (const void *)s);
}

static void check_lookup(cap_t start, word_t cptr, unsigned depth)
{
    char b1[160], b2[160];
    lookup_result_t got = cspace_resolve(start, cptr, depth);
    lookup_result_t want = ref_resolve(start, cptr, depth);
    if (!same_result(&got, &want))
        FZ_FAIL("cspace_resolve(cap %#llx:%#llx, cptr %#llx, depth %u): got %s, want %s",
                (unsigned long long)start.w0, (unsigned long long)start.w1,
                (unsigned long long)cptr, depth, describe(&got, b1, sizeof(b1)),
                describe(&want, b2, sizeof(b2)));
    if (got.slot != NULL) {
        check_slot_in_bounds(got.slot);
        FZ_CHECK(got.fault.type == LOOKUP_NO_FAILURE, "a found slot with a fault");
    } else {
        FZ_CHECK(got.fault.type != LOOKUP_NO_FAILURE, "no slot and no fault");
    }
    if (depth != 64)
        return;
    lookup_result_t slot = cspace_lookup_slot(start, cptr);
    FZ_CHECK(same_result(&slot, &got), "cspace_lookup_slot differs from cspace_resolve(64)");
    cte_t *fast = cspace_lookup_fast(start, cptr);
    if (fast != got.slot)
        FZ_FAIL("cspace_lookup_fast(cptr %#llx) = %p, cspace_resolve found %p",
                (unsigned long long)cptr, (void *)fast, (void *)got.slot);
}

/* ------------------------------------------------------------------------ */
/* Building the CSpace and the CPtrs                                         */
/* ------------------------------------------------------------------------ */

/* Guard sizes: mostly small or "the rest of the word", sometimes anything. */
static unsigned pick_guard_size(fz_in_t *in)
{
    uint8_t b = fz_u8(in);
    switch (b >> 6) {
    case 0:
        return 0;
    case 1:
        return b & 0x7;
    default:
        return b & 0x3F;
    }
}

/* A CPtr that follows a path: the right guards, indices from the input. */
static word_t guided_cptr(fz_in_t *in, cap_t node, unsigned depth)
{
    word_t cptr = 0;
    unsigned pos = depth;
    for (unsigned steps = 0; steps < 64 && pos > 0 && cap_get_type(node) == CAP_CNODE; steps++) {
        unsigned gsize = cap_cnode_guard_size(node), radix = cap_cnode_radix(node);
        if (gsize > pos)
            break;
        pos -= gsize;
        if (gsize > 0)
            cptr |= (cap_cnode_guard(node) & MASK(gsize)) << pos;
        if (radix > pos)
            break;
        pos -= radix;
        word_t index = fz_u8(in) & MASK(radix);
        cptr |= index << pos;
        int k = cnode_index(node);
        if (k < 0)
            break;
        node = cnodes[k][index].cap;
    }
    /* Whatever is left below, and above the depth, is filler. */
    word_t filler = fz_u64(in);
    if (pos == 64)
        cptr = filler;
    else if (pos > 0)
        cptr |= filler & MASK(pos);
    if (depth < 64)
        cptr |= filler & ~MASK(depth);
    return cptr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = fz_in(data, size);
    memset(cnodes, 0, sizeof(cnodes));
    num_cnodes = 2 + fz_u8(&in) % 3;
    for (unsigned k = 0; k < num_cnodes; k++)
        radix_of[k] = 1 + fz_u8(&in) % MAX_RADIX;

    unsigned root_gsize = pick_guard_size(&in);
    cap_t root = fz_cnode_cap(cnodes[0], radix_of[0], root_gsize, fz_u64(&in));

    /* Caps in the slots: CNode caps (to any CNode, itself included), endpoints. */
    cap_t placed[32];
    unsigned num_placed = 0;
    unsigned ncaps = fz_u8(&in) % 32;
    for (unsigned i = 0; i < ncaps; i++) {
        unsigned k = fz_u8(&in) % num_cnodes;
        unsigned s = fz_u16(&in) & MASK(radix_of[k]);
        uint8_t kind = fz_u8(&in);
        cap_t c;
        if (kind % 4 != 3) {
            unsigned t = fz_u8(&in) % num_cnodes;
            unsigned gsize = pick_guard_size(&in);
            c = fz_cnode_cap(cnodes[t], radix_of[t], gsize, fz_u64(&in));
        } else {
            c = cap_ipc_new(CAP_ENDPOINT, 0x100000 + (paddr_t)i * 16, RIGHTS_ALL, kind);
        }
        cnodes[k][s].cap = c;
        placed[num_placed++] = c;
    }

    while (fz_left(&in) > 0) {
        uint8_t mode = fz_u8(&in);
        unsigned depth = (mode & 0x80) ? 64 : fz_u8(&in) % 65;
        cap_t start = root;
        uint8_t which = fz_u8(&in);
        if ((mode & 0x60) == 0x60) {
            /* Another start: a placed cap, or one that is no CNode cap. */
            unsigned j = which % (num_placed + 3);
            if (j < num_placed)
                start = placed[j];
            else if (j == num_placed)
                start = cap_null();
            else if (j == num_placed + 1)
                start = cap_untyped_new(0x100000, 20, false, 0);
            else
                start = cap_ipc_new(CAP_ENDPOINT, 0x1000, RIGHTS_ALL, 0);
        }
        word_t cptr = (mode & 1) ? guided_cptr(&in, start, depth) : fz_u64(&in);
        if (mode & 2)
            cptr ^= BIT(which & 63);            /* one flipped bit */
        check_lookup(start, cptr, depth);
    }
    return 0;
}
