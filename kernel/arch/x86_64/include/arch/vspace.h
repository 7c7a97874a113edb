/*
 * Page-table walking and editing for the paging-object invocations
 * (arch/x86_64/vspace.c). Entry levels as in arch.h: 0 = PML4 entry,
 * 1 = PDPT entry, 2 = PD entry, 3 = PT entry.
 */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include "types.h"

typedef uint64_t pte_t;

/*
 * Finds the entry for va at level in the VSpace root. If a table on the way
 * is missing, returns NULL and sets *bits_left to the size bits of the
 * missing level's coverage as seL4 reports it (39, 30 or 21).
 */
pte_t *vspace_entry(paddr_t root, unsigned level, vaddr_t va, unsigned *bits_left);

bool pte_present(pte_t e);
/* A present entry that maps a page at this level (PS bit, or any PT entry). */
bool pte_is_page(pte_t e, unsigned level);
paddr_t pte_target(pte_t e, unsigned level);

/* Entries the kernel writes for user mappings. attr: bit0 PWT, bit1 PCD, bit2 PAT. */
pte_t pte_make_table(paddr_t table, word_t attr);
pte_t pte_make_frame(paddr_t frame, unsigned level, unsigned vm_rights, word_t attr);

/* Writes an entry and flushes what the change could have left in the TLB. */
void vspace_set_entry(paddr_t root, pte_t *entry, pte_t value, vaddr_t va, unsigned level);

#endif
