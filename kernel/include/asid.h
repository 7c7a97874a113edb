/*
 * ASIDs: which VSpace (PML4) an address-space identifier names.
 * x86_64 seL4 has 8 pools of 512 ASIDs; a pool object is a 4 KiB array of
 * PML4 physical addresses (0 = free). ASID 0 is never valid.
 */
#ifndef ASID_H
#define ASID_H

#include "types.h"

#define ASID_POOL_BITS      9
#define ASID_NUM_POOLS      8
#define ASID_POOL_ENTRIES   BIT(ASID_POOL_BITS)

void asid_pool_install(unsigned pool_index, paddr_t pool);
void asid_pool_remove(paddr_t pool);
void asid_assign(unsigned asid, paddr_t pml4);
void asid_release(unsigned asid, paddr_t pml4);
/* The PML4 an ASID names, 0 if none. */
paddr_t asid_lookup(unsigned asid);
/* The lowest pool number not in use, -1 if all are. */
int asid_free_pool(void);
/* The pool installed for the ASIDs starting at first, 0 if none. */
paddr_t asid_pool_of(unsigned first);
/* The lowest free ASID of the pool starting at first (never ASID 0); 0 if full. */
unsigned asid_find_free(unsigned first);

#endif
