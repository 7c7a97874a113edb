/*
 * The invariant checker's view of address spaces (invariants.h): every
 * present entry in a VSpace is there because of a cap. Pure logic over the
 * cap list, the ASID table and arch_vspace_walk, built for the host tests.
 *
 * A frame or paging-structure cap records where it was mapped (ASID and
 * address). For every VSpace an ASID names, every present entry in its user
 * half must point at an object of the kind the entry implies (a PDPT, page
 * directory or page table, or a frame of the entry's size) for which some
 * cap says "mapped here, at this ASID". The converse does not hold in
 * seL4's design, and is not checked: a cap keeps its mapping fields after
 * the VSpace or a table above it is deleted (the entry is gone; unmapping
 * later finds nothing), or after another frame was mapped over the same
 * address. What is checked of a cap alone: its address is aligned to what
 * it maps and lies in the user half.
 *
 * Work: one pass over the list, a sort of the mapped caps (at most
 * INV_MAX_MAPPINGS; beyond that the check is skipped and the result says
 * so), and per present entry a binary search.
 */
#include "invariants.h"
#include "sort.h"
#include "cdt.h"
#include "asid.h"

typedef struct inv_mapping {
    uint64_t key;               /* ASID, address, level and page bit: see map_key */
    paddr_t target;
} inv_mapping_t;

static inv_mapping_t maps[INV_MAX_MAPPINGS];
static uint32_t nmaps;

static bool fail(inv_violation_t *v, const char *what, const void *where, word_t detail)
{
    v->what = what;
    v->where = where;
    v->detail = detail;
    return false;
}

/* va < 2^47 and 4 KiB aligned: 35 bits, above 3 bits of level and kind. */
static uint64_t map_key(unsigned asid, vaddr_t va, unsigned level, bool page)
{
    return ((uint64_t)asid << 40) | ((va >> 12) << 3) | ((uint64_t)level << 1) | page;
}

/* The entry level a mapped cap fills and whether that entry maps a frame. */
static bool mapping_of(cap_t c, unsigned *level, bool *page)
{
    switch (cap_get_type(c)) {
    case CAP_PDPT:
        *level = 0;
        *page = false;
        return true;
    case CAP_PAGE_DIRECTORY:
        *level = 1;
        *page = false;
        return true;
    case CAP_PAGE_TABLE:
        *level = 2;
        *page = false;
        return true;
    case CAP_FRAME:
        *level = ARCH_LEVEL_OF_FRAME(cap_frame_size_bits(c));
        *page = true;
        return true;
    default:
        return false;
    }
}

static bool before(const inv_mapping_t *a, const inv_mapping_t *b)
{
    return a->key != b->key ? a->key < b->key : a->target < b->target;
}

static bool mapping_less(const void *a, const void *b)
{
    return before(a, b);
}

static bool have_mapping(uint64_t key, paddr_t target)
{
    uint32_t lo = 0, hi = nmaps;
    inv_mapping_t want = { key, target };
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (before(&maps[mid], &want))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nmaps && maps[lo].key == key && maps[lo].target == target;
}

static bool collect(const cte_t *anchor, inv_violation_t *v, bool *truncated)
{
    nmaps = 0;
    for (const cte_t *s = cdt_next(anchor); s != NULL; s = cdt_next(s)) {
        unsigned level;
        bool page;
        if (!mapping_of(s->cap, &level, &page) || cap_mapped_asid(s->cap) == 0)
            continue;
        vaddr_t va = cap_mapped_addr(s->cap);
        word_t span = BIT(39 - 9 * level);
        if (!IS_ALIGNED(va, page ? cap_frame_size(s->cap) : span) || va >= USER_TOP)
            return fail(v, "a cap says it is mapped at an address it cannot be mapped at",
                        s, va);
        if (nmaps == INV_MAX_MAPPINGS) {
            *truncated = true;
            return true;
        }
        maps[nmaps++] = (inv_mapping_t){
            map_key(cap_mapped_asid(s->cap), va, level, page), cap_object_paddr(s->cap)
        };
    }
    return true;
}

struct walk {
    unsigned asid;
    inv_violation_t *v;
};

static bool visit(void *ctx, unsigned level, vaddr_t va, paddr_t target, bool page)
{
    struct walk *w = ctx;
    if (have_mapping(map_key(w->asid, va, level, page), target))
        return true;
    /* The report: ASID, level and kind in the detail's low bits, address above. */
    return fail(w->v, page ? "a VSpace maps a frame that no cap says is mapped there"
                           : "a VSpace holds a table that no cap says is mapped there",
                (const void *)(uintptr_t)target,
                va | ((word_t)w->asid << 48) | ((word_t)level << 1) | page);
}

bool inv_check_mappings(const cte_t *anchor, inv_result_t *res, inv_violation_t *v)
{
    bool truncated = false;
    if (!collect(anchor, v, &truncated))
        return false;
    if (truncated) {
        res->truncated = true;
        return true;
    }
    heap_sort(maps, nmaps, sizeof(maps[0]), mapping_less);
    res->mappings = nmaps;
    for (unsigned asid = 1; asid < BIT(ASID_BITS); asid++) {
        if (asid % ASID_POOL_ENTRIES == 0 && asid_pool_of(asid) == 0) {
            asid += ASID_POOL_ENTRIES - 1;      /* no pool: no ASIDs here */
            continue;
        }
        paddr_t root = asid_lookup(asid);
        if (root == 0)
            continue;
        struct walk w = { asid, v };
        if (!arch_vspace_walk(root, visit, &w))
            return false;
    }
    return true;
}
