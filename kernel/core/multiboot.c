/*
 * From the Multiboot memory map to a clean list of usable RAM regions.
 * Pure logic: the boot code passes in the raw map it found.
 */
#include "multiboot.h"

bool ram_map_add(struct ram_map *map, paddr_t start, paddr_t end)
{
    if (start >= end)
        return true;
    /* Find the insertion point, then merge with overlapping/adjacent neighbours. */
    unsigned i = 0;
    while (i < map->count && map->region[i].end < start)
        i++;
    if (i < map->count && map->region[i].start <= end) {
        p_region_t *r = &map->region[i];
        r->start = MIN(r->start, start);
        r->end = MAX(r->end, end);
        /* The grown region may now touch the ones after it. */
        while (i + 1 < map->count && map->region[i + 1].start <= r->end) {
            r->end = MAX(r->end, map->region[i + 1].end);
            for (unsigned j = i + 1; j + 1 < map->count; j++)
                map->region[j] = map->region[j + 1];
            map->count--;
        }
        return true;
    }
    if (map->count == MAX_RAM_REGIONS)
        return false;
    for (unsigned j = map->count; j > i; j--)
        map->region[j] = map->region[j - 1];
    map->region[i] = (p_region_t){ start, end };
    map->count++;
    return true;
}

bool mb_parse_mmap(const uint8_t *mmap, size_t length, paddr_t min_addr,
                   paddr_t max_addr, struct ram_map *out)
{
    out->count = 0;
    size_t off = 0;
    while (off + sizeof(struct mb_mmap_entry) <= length) {
        const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)(mmap + off);
        if (e->size < 20)
            return false;
        if (e->type == MB_MMAP_RAM && e->length != 0) {
            paddr_t start = e->base_addr;
            paddr_t end = e->base_addr + e->length;
            if (end < start)                    /* wraps: clip at the top */
                end = ~(paddr_t)0;
            start = MAX(start, min_addr);
            end = MIN(end, max_addr);
            /*
             * Less than a page holds no whole page. Skipping it first also
             * keeps ROUND_UP from wrapping to 0 in the last page of the
             * address space (which would add RAM from 0 up to end).
             */
            if (start < end && end - start >= 4096) {
                start = ROUND_UP(start, 4096);
                end = ROUND_DOWN(end, 4096);
                if (start < end && !ram_map_add(out, start, end))
                    return false;
            }
        }
        /* A size running past the buffer just ends the walk: only whole
         * 24-byte entries are ever read. */
        off += (size_t)e->size + 4;
    }
    return true;
}
