/* kernel/core/bootmem.c: the boot-time physical allocator. */
#include "harness.h"
#include "bootmem.h"

#define MIB (1UL << 20)

#define CHECK_FREE(bm, i, s, e)                                               \
    do {                                                                      \
        CHECK((i) < (bm).free.count);                                         \
        CHECK_EQ((bm).free.region[i].start, (s));                             \
        CHECK_EQ((bm).free.region[i].end, (e));                               \
    } while (0)

/* Three regions: [1, 2) MiB, [4, 8) MiB, [16, 32) MiB. */
static void three_regions(struct bootmem *bm)
{
    struct ram_map ram = { .count = 0 };
    ram_map_add(&ram, 1 * MIB, 2 * MIB);
    ram_map_add(&ram, 4 * MIB, 8 * MIB);
    ram_map_add(&ram, 16 * MIB, 32 * MIB);
    bootmem_init(bm, &ram);
}

HOST_TEST(BOOTMEM_0001)
{
    /* Reserving a head, a tail, a middle (split) and a whole region. */
    struct bootmem bm;
    three_regions(&bm);
    CHECK_EQ(bootmem_free_bytes(&bm), 21 * MIB);

    CHECK(bootmem_reserve(&bm, 0, 0x180000));           /* head of [1, 2) */
    CHECK_FREE(bm, 0, 0x180000, 2 * MIB);
    CHECK(bootmem_reserve(&bm, 7 * MIB, 9 * MIB));      /* tail of [4, 8) */
    CHECK_FREE(bm, 1, 4 * MIB, 7 * MIB);
    CHECK(bootmem_reserve(&bm, 20 * MIB, 21 * MIB));    /* middle of [16, 32) */
    CHECK_EQ(bm.free.count, 4);
    CHECK_FREE(bm, 2, 16 * MIB, 20 * MIB);
    CHECK_FREE(bm, 3, 21 * MIB, 32 * MIB);
    CHECK(bootmem_reserve(&bm, 4 * MIB, 7 * MIB));      /* exactly a region */
    CHECK_EQ(bm.free.count, 3);
    CHECK_FREE(bm, 1, 16 * MIB, 20 * MIB);
    CHECK_EQ(bootmem_free_bytes(&bm), 0x80000 + 4 * MIB + 11 * MIB);

    /* Reserving what is not free changes nothing. */
    CHECK(bootmem_reserve(&bm, 2 * MIB, 16 * MIB));
    CHECK(bootmem_reserve(&bm, 64 * MIB, 128 * MIB));
    CHECK_EQ(bm.free.count, 3);
    CHECK_EQ(bootmem_free_bytes(&bm), 0x80000 + 4 * MIB + 11 * MIB);
}

HOST_TEST(BOOTMEM_0002)
{
    /* One reservation covering several regions, starting with the first. */
    struct bootmem bm;
    three_regions(&bm);
    CHECK(bootmem_reserve(&bm, 0, 17 * MIB));
    CHECK_EQ(bm.free.count, 1);
    CHECK_FREE(bm, 0, 17 * MIB, 32 * MIB);
    CHECK(bootmem_reserve(&bm, 0, ~(paddr_t)0));
    CHECK_EQ(bm.free.count, 0);
    CHECK_EQ(bootmem_free_bytes(&bm), 0);
    CHECK_EQ(bootmem_alloc(&bm, 4096, 4096), 0);
}

HOST_TEST(BOOTMEM_0003)
{
    /* Allocation comes from the top of the highest region that fits. */
    struct bootmem bm;
    three_regions(&bm);
    CHECK_EQ(bootmem_alloc(&bm, 4096, 4096), 32 * MIB - 4096);
    CHECK_EQ(bootmem_alloc(&bm, 4096, 4096), 32 * MIB - 2 * 4096);
    /* Too big for [16, 32) minus 8 KiB: falls to... nothing bigger below. */
    CHECK_EQ(bootmem_alloc(&bm, 16 * MIB, 4096), 0);
    /* Too big for the top region but fits in [4, 8). */
    CHECK(bootmem_reserve(&bm, 16 * MIB, 30 * MIB));
    CHECK_EQ(bootmem_alloc(&bm, 3 * MIB, 4096), 5 * MIB);
    CHECK_FREE(bm, 1, 4 * MIB, 5 * MIB);
    /* Size 0 is refused. */
    CHECK_EQ(bootmem_alloc(&bm, 0, 4096), 0);
    word_t before = bootmem_free_bytes(&bm);
    CHECK_EQ(bootmem_alloc(&bm, 64 * MIB, 4096), 0);
    CHECK_EQ(bootmem_free_bytes(&bm), before);
}

HOST_TEST(BOOTMEM_0004)
{
    /* Alignment: the block is aligned and the leftover above it stays free. */
    struct ram_map ram = { .count = 0 };
    ram_map_add(&ram, 0x100000, 0x7fe0000);
    struct bootmem bm;
    bootmem_init(&bm, &ram);
    paddr_t a = bootmem_alloc(&bm, 0x1000, 0x200000);
    CHECK_EQ(a, 0x7e00000);
    CHECK_EQ(bm.free.count, 2);
    CHECK_FREE(bm, 0, 0x100000, 0x7e00000);
    CHECK_FREE(bm, 1, 0x7e01000, 0x7fe0000);
    CHECK_EQ(bootmem_free_bytes(&bm), 0x7fe0000 - 0x100000 - 0x1000);

    /* An aligned block that does not fit above the region start. */
    struct ram_map small = { .count = 0 };
    ram_map_add(&small, 0x101000, 0x1ff000);
    bootmem_init(&bm, &small);
    CHECK_EQ(bootmem_alloc(&bm, 0x1000, 0x200000), 0);
    CHECK_EQ(bootmem_alloc(&bm, 0x40000, 0x40000), 0x180000);
}

HOST_TEST(BOOTMEM_0005)
{
    /* Releasing memory puts back exactly what was taken. */
    struct bootmem bm;
    three_regions(&bm);
    struct ram_map before = bm.free;
    paddr_t a = bootmem_alloc(&bm, 0x3000, 0x1000);
    paddr_t b = bootmem_alloc(&bm, 0x10000, 0x10000);
    CHECK_EQ(a, 32 * MIB - 0x3000);
    CHECK_EQ(b, 32 * MIB - 0x20000);
    CHECK(bootmem_release(&bm, a, a + 0x3000));
    CHECK(bootmem_release(&bm, b, b + 0x10000));
    CHECK_EQ(bootmem_free_bytes(&bm), 21 * MIB);
    /* The alignment gap between b and a was never taken: all merges back. */
    CHECK_EQ(bm.free.count, before.count);
    for (unsigned i = 0; i < before.count; i++)
        CHECK_FREE(bm, i, before.region[i].start, before.region[i].end);
}

HOST_TEST(BOOTMEM_0006)
{
    /* A split needs a free slot: with the map full it fails, nothing changes. */
    struct ram_map ram = { .count = 0 };
    for (unsigned i = 0; i < MAX_RAM_REGIONS; i++)
        ram_map_add(&ram, (paddr_t)(2 * i + 1) * MIB, (paddr_t)(2 * i + 2) * MIB);
    struct bootmem bm;
    bootmem_init(&bm, &ram);
    CHECK_EQ(bm.free.count, MAX_RAM_REGIONS);
    CHECK(!bootmem_reserve(&bm, 3 * MIB + 0x1000, 3 * MIB + 0x2000));
    CHECK_EQ(bootmem_free_bytes(&bm), MAX_RAM_REGIONS * MIB);
    /* An allocation that would need a split fails cleanly as well. */
    CHECK_EQ(bootmem_alloc(&bm, 0x1000, 0x80000), 0);
    CHECK_EQ(bootmem_free_bytes(&bm), MAX_RAM_REGIONS * MIB);
    /* Trimming an end needs no slot. */
    CHECK(bootmem_reserve(&bm, 3 * MIB, 3 * MIB + 0x1000));
    CHECK_FREE(bm, 1, 3 * MIB + 0x1000, 4 * MIB);
}
