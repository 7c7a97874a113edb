/* kernel/core/untyped_regions.c: cutting regions into untyped blocks (boot.md §8). */
#include "harness.h"
#include "untyped_regions.h"

static struct untyped_block blocks[512];

static struct untyped_list new_list(unsigned max)
{
    return (struct untyped_list){ .count = 0, .max = max, .dropped = 0, .blocks = blocks };
}

#define CHECK_BLOCK(list, i, pa, b)                                           \
    do {                                                                      \
        CHECK((i) < (list).count);                                            \
        CHECK_EQ((list).blocks[i].paddr, (pa));                               \
        CHECK_EQ((list).blocks[i].size_bits, (b));                            \
    } while (0)

/*
 * The rules every block obeys: naturally aligned, 2^4 .. 2^47 bytes, in
 * ascending order without overlap.
 */
static void check_blocks_well_formed(const struct untyped_list *l)
{
    for (unsigned i = 0; i < l->count; i++) {
        const struct untyped_block *b = &l->blocks[i];
        CHECK(b->size_bits >= UNTYPED_MIN_BITS && b->size_bits <= 47);
        CHECK_EQ(b->paddr & MASK(b->size_bits), 0);
        if (i > 0)
            CHECK(l->blocks[i - 1].paddr + BIT(l->blocks[i - 1].size_bits) <= b->paddr);
    }
}

HOST_TEST(UNTYPED_0001)
{
    /* An aligned power of two is one block; a page-aligned range is several. */
    struct untyped_list l = new_list(64);
    untyped_add_region(&l, 0x100000, 0x200000, false);
    CHECK_EQ(l.count, 1);
    CHECK_BLOCK(l, 0, 0x100000, 20);
    CHECK(!l.blocks[0].is_device);

    l = new_list(64);
    untyped_add_region(&l, 0x1000, 0x10000, true);
    CHECK_EQ(l.count, 4);
    CHECK_BLOCK(l, 0, 0x1000, 12);
    CHECK_BLOCK(l, 1, 0x2000, 13);
    CHECK_BLOCK(l, 2, 0x4000, 14);
    CHECK_BLOCK(l, 3, 0x8000, 15);
    for (unsigned i = 0; i < l.count; i++)
        CHECK(l.blocks[i].is_device);

    /* Growing then shrinking: [0x7000, 0x2D000). */
    l = new_list(64);
    untyped_add_region(&l, 0x7000, 0x2D000, false);
    CHECK_EQ(l.count, 6);
    CHECK_BLOCK(l, 0, 0x7000, 12);
    CHECK_BLOCK(l, 1, 0x8000, 15);
    CHECK_BLOCK(l, 2, 0x10000, 16);
    CHECK_BLOCK(l, 3, 0x20000, 15);
    CHECK_BLOCK(l, 4, 0x28000, 14);
    CHECK_BLOCK(l, 5, 0x2C000, 12);
    check_blocks_well_formed(&l);
}

HOST_TEST(UNTYPED_0002)
{
    /* From address 0 the alignment does not limit the first block. */
    struct untyped_list l = new_list(64);
    untyped_add_region(&l, 0, 0x9f000, true);
    CHECK_EQ(l.count, 6);
    CHECK_BLOCK(l, 0, 0x0, 19);
    CHECK_BLOCK(l, 1, 0x80000, 16);
    CHECK_BLOCK(l, 2, 0x90000, 15);
    CHECK_BLOCK(l, 3, 0x98000, 14);
    CHECK_BLOCK(l, 4, 0x9c000, 13);
    CHECK_BLOCK(l, 5, 0x9e000, 12);
    check_blocks_well_formed(&l);
}

HOST_TEST(UNTYPED_0003)
{
    /* Blocks are capped at 2^47. */
    struct untyped_list l = new_list(64);
    untyped_add_region(&l, 0, 1UL << 49, true);
    CHECK_EQ(l.count, 4);
    for (unsigned i = 0; i < 4; i++)
        CHECK_BLOCK(l, i, (paddr_t)i << 47, 47);
    l = new_list(64);
    untyped_add_region(&l, 1UL << 48, (1UL << 48) + (1UL << 47) + 0x1000, false);
    CHECK_EQ(l.count, 2);
    CHECK_BLOCK(l, 0, 1UL << 48, 47);
    CHECK_BLOCK(l, 1, (1UL << 48) + (1UL << 47), 12);
}

HOST_TEST(UNTYPED_0004)
{
    /* Blocks under 16 bytes are not provided, whether at the start or the end. */
    struct untyped_list l = new_list(64);
    untyped_add_region(&l, 0x1008, 0x1040, false);
    CHECK_EQ(l.count, 2);
    CHECK_BLOCK(l, 0, 0x1010, 4);
    CHECK_BLOCK(l, 1, 0x1020, 5);
    CHECK_EQ(l.dropped, 0);             /* `dropped` counts only the max limit */

    l = new_list(64);
    untyped_add_region(&l, 0x2001, 0x2100, false);  /* 1, 2, 4, 8 skipped */
    CHECK_EQ(l.count, 4);
    CHECK_BLOCK(l, 0, 0x2010, 4);
    CHECK_BLOCK(l, 1, 0x2020, 5);
    CHECK_BLOCK(l, 2, 0x2040, 6);
    CHECK_BLOCK(l, 3, 0x2080, 7);
    check_blocks_well_formed(&l);

    l = new_list(64);
    untyped_add_region(&l, 0x2000, 0x200f, false);  /* 15 bytes */
    untyped_add_region(&l, 0x3000, 0x3000, false);  /* empty */
    untyped_add_region(&l, 0x5000, 0x4000, false);  /* inverted */
    CHECK_EQ(l.count, 0);
    untyped_add_region(&l, 0x2000, 0x201f, false);  /* 16 + 15 bytes */
    CHECK_EQ(l.count, 1);
    CHECK_BLOCK(l, 0, 0x2000, 4);
    /* Ending at the MSI doorbell (0xFFFFFFF8): the last 8 bytes go. */
    l = new_list(64);
    untyped_add_region(&l, 0xFFFFF000, 0xFFFFFFF8, true);
    check_blocks_well_formed(&l);
    CHECK_EQ(l.blocks[l.count - 1].paddr, 0xFFFFFFE0);
    CHECK_EQ(l.blocks[l.count - 1].size_bits, 4);
}

HOST_TEST(UNTYPED_0005)
{
    /* At most max blocks are stored; the rest are counted as dropped. */
    struct untyped_list l = new_list(3);
    untyped_add_region(&l, 0x1000, 0x10000, false);     /* 4 blocks */
    untyped_add_region(&l, 0x100000, 0x200000, false);  /* 1 more */
    CHECK_EQ(l.count, 3);
    CHECK_EQ(l.dropped, 2);
    CHECK_BLOCK(l, 2, 0x4000, 14);
    l = new_list(0);
    untyped_add_region(&l, 0, 0x3000, false);
    CHECK_EQ(l.count, 0);
    CHECK_EQ(l.dropped, 2);
}

/*
 * Device gaps: within every gap [s, e) of [0, 2^47) minus `used`, the blocks
 * must tile [ROUND_UP(s, 16), ROUND_DOWN(e, 16)) exactly (what lies outside
 * that can only form blocks under 16 bytes), in ascending order.
 */
static void check_gaps_exact(const struct untyped_list *l, const struct ram_map *used)
{
    check_blocks_well_formed(l);
    paddr_t gap_start = 0;
    unsigned b = 0;
    for (unsigned u = 0; u <= used->count; u++) {
        paddr_t gap_end = u < used->count ? used->region[u].start : PADDR_USER_TOP;
        gap_end = MIN(gap_end, PADDR_USER_TOP);
        paddr_t first = ROUND_UP(gap_start, 16);
        paddr_t limit = ROUND_DOWN(gap_end, 16);
        paddr_t cursor = first;
        while (cursor < limit) {
            CHECK(b < l->count);
            CHECK(l->blocks[b].is_device);
            CHECK_EQ(l->blocks[b].paddr, cursor);
            cursor += BIT(l->blocks[b].size_bits);
            b++;
        }
        if (first < limit)
            CHECK_EQ(cursor, limit);     /* no block runs past the gap */
        if (u < used->count)
            gap_start = MAX(gap_start, used->region[u].end);
    }
    CHECK_EQ(b, l->count);
}

HOST_TEST(UNTYPED_0006)
{
    struct ram_map ram = { .count = 0 };
    ram_map_add(&ram, 0x100000, 0x7fe0000);
    ram_map_add(&ram, 0x100000000, 0x140000000);
    struct ram_map reserved = { .count = 0 };
    ram_map_add(&reserved, 0x100000, 0x400000);         /* inside RAM */
    ram_map_add(&reserved, 0xfec00000, 0xfec01000);     /* IOAPIC */
    ram_map_add(&reserved, 0xfee00000, 0xfee01000);     /* LAPIC */
    ram_map_add(&reserved, 0xfffffff8, 0x100000000);    /* MSI, touching RAM above */

    struct untyped_list l = new_list(512);
    untyped_add_device_gaps(&l, &ram, &reserved);
    CHECK_EQ(l.dropped, 0);

    struct ram_map used = { .count = 0 };
    ram_map_add(&used, 0x100000, 0x7fe0000);
    ram_map_add(&used, 0xfec00000, 0xfec01000);
    ram_map_add(&used, 0xfee00000, 0xfee01000);
    ram_map_add(&used, 0xfffffff8, 0x140000000);
    check_gaps_exact(&l, &used);
    /* The first MiB is one device block from 0; the 8 bytes before the MSI page are lost. */
    CHECK_BLOCK(l, 0, 0, 20);
    bool found_tail = false;
    for (unsigned i = 0; i + 1 < l.count; i++)
        if (l.blocks[i].paddr == 0xFFFFFFE0)
            found_tail = l.blocks[i].size_bits == 4 && l.blocks[i + 1].paddr == 0x140000000;
    CHECK(found_tail);
}

HOST_TEST(UNTYPED_0007)
{
    /* No RAM at all: the whole space is device memory, 2^47 in one block. */
    struct ram_map none = { .count = 0 };
    struct untyped_list l = new_list(16);
    untyped_add_device_gaps(&l, &none, &none);
    CHECK_EQ(l.count, 1);
    CHECK_BLOCK(l, 0, 0, 47);
    CHECK(l.blocks[0].is_device);

    /* RAM beyond 2^47 and reaching the top: nothing after it is device. */
    struct ram_map ram = { .count = 0 };
    ram_map_add(&ram, 0x1000, 0x2000);
    ram_map_add(&ram, (1UL << 47) - 0x1000, 1UL << 48);
    l = new_list(128);
    untyped_add_device_gaps(&l, &ram, &none);
    check_gaps_exact(&l, &ram);
    CHECK_BLOCK(l, 0, 0, 12);
    CHECK_BLOCK(l, 1, 0x2000, 13);
}
