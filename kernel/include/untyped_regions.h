/*
 * Which physical memory becomes the root task's untyped caps, and how a
 * region is cut into naturally aligned power-of-two blocks (boot.md §8).
 * Pure logic, tested on the host.
 */
#ifndef UNTYPED_REGIONS_H
#define UNTYPED_REGIONS_H

#include "multiboot.h"

#define UNTYPED_MIN_BITS    4           /* smaller blocks are dropped */
#define PADDR_USER_TOP      (1UL << 47) /* physical space considered */

struct untyped_block {
    paddr_t paddr;
    uint8_t size_bits;
    bool is_device;
};

struct untyped_list {
    unsigned count;
    unsigned max;
    unsigned dropped;               /* blocks that did not fit in max */
    struct untyped_block *blocks;
};

/* Cuts [start, end) into blocks and appends them. */
void untyped_add_region(struct untyped_list *list, paddr_t start, paddr_t end, bool device);

/*
 * Appends device untypeds for everything in [0, PADDR_USER_TOP) that is
 * neither in ram (usable RAM, sorted) nor in reserved (sorted, may overlap
 * ram): the gaps, in ascending order.
 */
void untyped_add_device_gaps(struct untyped_list *list, const struct ram_map *ram,
                             const struct ram_map *reserved);

#endif
