/* Untyped block splitting and device gaps (untyped_regions.h, boot.md §8). */
#include "untyped_regions.h"

static unsigned floor_log2(word_t v)
{
    return 63 - (unsigned)__builtin_clzl(v);
}

void untyped_add_region(struct untyped_list *list, paddr_t start, paddr_t end, bool device)
{
    while (start < end && end - start >= BIT(UNTYPED_MIN_BITS)) {
        unsigned bits = floor_log2(end - start);
        if (start != 0 && (unsigned)__builtin_ctzl(start) < bits)
            bits = (unsigned)__builtin_ctzl(start);
        if (bits > 47)
            bits = 47;
        /* An unaligned start can force a block below the minimum: not provided. */
        if (bits >= UNTYPED_MIN_BITS) {
            if (list->count < list->max)
                list->blocks[list->count++] = (struct untyped_block){ start, (uint8_t)bits, device };
            else
                list->dropped++;
        }
        start += BIT(bits);
    }
}

void untyped_add_device_gaps(struct untyped_list *list, const struct ram_map *ram,
                             const struct ram_map *reserved)
{
    /* Merge both lists into one sorted set of "not device" ranges. */
    struct ram_map used = *ram;
    for (unsigned i = 0; i < reserved->count; i++)
        ram_map_add(&used, reserved->region[i].start, reserved->region[i].end);

    paddr_t cursor = 0;
    for (unsigned i = 0; i < used.count && cursor < PADDR_USER_TOP; i++) {
        paddr_t s = MIN(used.region[i].start, PADDR_USER_TOP);
        if (s > cursor)
            untyped_add_region(list, cursor, s, true);
        cursor = MAX(cursor, used.region[i].end);
    }
    if (cursor < PADDR_USER_TOP)
        untyped_add_region(list, cursor, PADDR_USER_TOP, true);
}
