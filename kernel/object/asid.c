/* The ASID table (asid.h): pools installed by the kernel and their entries. */
#include "asid.h"
#include "arch.h"

static paddr_t pools[ASID_NUM_POOLS];

static paddr_t *pool_entries(unsigned asid)
{
    unsigned index = asid >> ASID_POOL_BITS;
    if (index >= ASID_NUM_POOLS || pools[index] == 0)
        return NULL;
    return paddr_to_kptr(pools[index]);
}

void asid_pool_install(unsigned pool_index, paddr_t pool)
{
    pools[pool_index] = pool;
}

void asid_pool_remove(paddr_t pool)
{
    for (unsigned i = 0; i < ASID_NUM_POOLS; i++) {
        if (pools[i] == pool)
            pools[i] = 0;
    }
}

void asid_assign(unsigned asid, paddr_t pml4)
{
    paddr_t *entries = pool_entries(asid);
    if (entries != NULL)
        entries[asid & (ASID_POOL_ENTRIES - 1)] = pml4;
}

void asid_release(unsigned asid, paddr_t pml4)
{
    paddr_t *entries = pool_entries(asid);
    if (entries != NULL && entries[asid & (ASID_POOL_ENTRIES - 1)] == pml4)
        entries[asid & (ASID_POOL_ENTRIES - 1)] = 0;
}

paddr_t asid_lookup(unsigned asid)
{
    paddr_t *entries = pool_entries(asid);
    if (asid == 0 || entries == NULL)
        return 0;
    return entries[asid & (ASID_POOL_ENTRIES - 1)];
}

int asid_free_pool(void)
{
    for (unsigned i = 0; i < ASID_NUM_POOLS; i++) {
        if (pools[i] == 0)
            return (int)i;
    }
    return -1;
}

paddr_t asid_pool_of(unsigned first)
{
    unsigned index = first >> ASID_POOL_BITS;
    return index < ASID_NUM_POOLS ? pools[index] : 0;
}

unsigned asid_find_free(unsigned first)
{
    paddr_t *entries = pool_entries(first);
    if (entries == NULL)
        return 0;
    for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++) {
        unsigned asid = first + i;
        if (asid != 0 && entries[i] == 0)
            return asid;
    }
    return 0;
}
