/*
 * The boot-time physical memory allocator.
 *
 * It only exists during boot: it starts with all usable RAM, the boot code
 * removes what is in use (kernel image, modules) and allocates the root
 * task's objects from the top of the highest region, as seL4 does. Whatever
 * is still free at the end becomes the root task's untyped memory; after
 * that the kernel never allocates again.
 */
#ifndef BOOTMEM_H
#define BOOTMEM_H

#include "multiboot.h"

struct bootmem {
    struct ram_map free;
};

void bootmem_init(struct bootmem *bm, const struct ram_map *ram);
/* Removes [start, end) from the free memory (no effect where not free). */
bool bootmem_reserve(struct bootmem *bm, paddr_t start, paddr_t end);
/* size bytes aligned to align (a power of two), as high as possible; 0 if none. */
paddr_t bootmem_alloc(struct bootmem *bm, word_t size, word_t align);
/* Gives [start, end) back (e.g. boot modules once copied). */
bool bootmem_release(struct bootmem *bm, paddr_t start, paddr_t end);
word_t bootmem_free_bytes(const struct bootmem *bm);

#endif
