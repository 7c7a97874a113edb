/* Boot-time physical allocator over a list of free regions (bootmem.h). */
#include "bootmem.h"

void bootmem_init(struct bootmem *bm, const struct ram_map *ram)
{
    bm->free = *ram;
}

static void remove_region(struct ram_map *m, unsigned i)
{
    for (unsigned j = i; j + 1 < m->count; j++)
        m->region[j] = m->region[j + 1];
    m->count--;
}

bool bootmem_reserve(struct bootmem *bm, paddr_t start, paddr_t end)
{
    struct ram_map *m = &bm->free;
    for (unsigned i = 0; i < m->count; i++) {
        p_region_t *r = &m->region[i];
        if (end <= r->start || start >= r->end)
            continue;
        if (start <= r->start && end >= r->end) {
            remove_region(m, i);
            i--;                                /* re-examine the shifted slot */
        } else if (start <= r->start) {
            r->start = end;
        } else if (end >= r->end) {
            r->end = start;
        } else {
            /* Splits the region in two. */
            if (m->count == MAX_RAM_REGIONS)
                return false;
            for (unsigned j = m->count; j > i + 1; j--)
                m->region[j] = m->region[j - 1];
            m->region[i + 1] = (p_region_t){ end, r->end };
            m->count++;
            r->end = start;
        }
    }
    return true;
}

paddr_t bootmem_alloc(struct bootmem *bm, word_t size, word_t align)
{
    if (size == 0)
        return 0;
    for (unsigned i = bm->free.count; i > 0; i--) {
        p_region_t *r = &bm->free.region[i - 1];
        if (r->end - r->start < size)
            continue;
        paddr_t base = ROUND_DOWN(r->end - size, align);
        if (base < r->start)
            continue;
        if (!bootmem_reserve(bm, base, base + size))
            return 0;
        return base;
    }
    return 0;
}

word_t bootmem_free_bytes(const struct bootmem *bm)
{
    word_t total = 0;
    for (unsigned i = 0; i < bm->free.count; i++)
        total += bm->free.region[i].end - bm->free.region[i].start;
    return total;
}

bool bootmem_release(struct bootmem *bm, paddr_t start, paddr_t end)
{
    return ram_map_add(&bm->free, start, end);
}
