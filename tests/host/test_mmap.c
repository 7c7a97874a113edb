/* kernel/core/multiboot.c: mb_parse_mmap and ram_map_add. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "multiboot.h"

#define MIB (1UL << 20)
#define GIB (1UL << 30)

/* A raw Multiboot memory map under construction. */
struct raw_mmap {
    uint8_t bytes[1024];
    size_t len;
};

/* Appends an entry whose size field is `size` (20 normally). */
static void add_entry_sized(struct raw_mmap *m, uint32_t size, uint64_t base, uint64_t length,
                            uint32_t type)
{
    struct mb_mmap_entry e = { size, base, length, type };
    memcpy(m->bytes + m->len, &e, sizeof(e));
    m->len += (size_t)size + 4;
}

static void add_entry(struct raw_mmap *m, uint64_t base, uint64_t length, uint32_t type)
{
    add_entry_sized(m, 20, base, length, type);
}

/*
 * Parses a copy of exactly m->len bytes on the heap, so that ASan reports any
 * read past the end of the map.
 */
static bool parse(const struct raw_mmap *m, paddr_t min, paddr_t max, struct ram_map *out)
{
    uint8_t *copy = malloc(m->len > 0 ? m->len : 1);
    if (copy == NULL)
        return false;
    memcpy(copy, m->bytes, m->len);
    memset(out, 0xA5, sizeof(*out));
    bool ok = mb_parse_mmap(copy, m->len, min, max, out);
    free(copy);
    return ok;
}

#define CHECK_REGION(map, i, s, e)                                            \
    do {                                                                      \
        CHECK((i) < (map).count);                                             \
        CHECK_EQ((map).region[i].start, (s));                                 \
        CHECK_EQ((map).region[i].end, (e));                                   \
    } while (0)

HOST_TEST(MMAP_0001)
{
    /* QEMU's map with 128 MiB + 1 GiB above 4 GiB: RAM above 1 MiB only. */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0x0, 0x9fc00, 1);
    add_entry(&m, 0x9fc00, 0x400, 2);
    add_entry(&m, 0xf0000, 0x10000, 2);
    add_entry(&m, 0x100000, 0x7ee0000, 1);
    add_entry(&m, 0x7fe0000, 0x20000, 2);
    add_entry(&m, 0xfffc0000, 0x40000, 2);
    add_entry(&m, 0x100000000, GIB, 1);
    struct ram_map map;
    CHECK(parse(&m, MIB, 1UL << 47, &map));
    CHECK_EQ(map.count, 2);
    CHECK_REGION(map, 0, 0x100000, 0x7fe0000);
    CHECK_REGION(map, 1, 0x100000000, 0x100000000 + GIB);
}

HOST_TEST(MMAP_0002)
{
    /* Unaligned bounds are rounded inward; sub-page leftovers vanish; clipping. */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0x200123, 0x3000, 1);         /* -> [0x201000, 0x203000) */
    add_entry(&m, 0x300800, 0x1000, 1);         /* no whole page inside */
    add_entry(&m, 0x80000, 0x100000, 1);        /* straddles min -> [1 MiB, 0x180000) */
    add_entry(&m, 0x10000000, 0x20000000, 1);   /* straddles max -> [.., 0x20000000) */
    add_entry(&m, 0x40000000, 0x1000, 1);       /* above max */
    struct ram_map map;
    CHECK(parse(&m, MIB, 0x20000000, &map));
    CHECK_EQ(map.count, 3);
    CHECK_REGION(map, 0, 0x100000, 0x180000);
    CHECK_REGION(map, 1, 0x201000, 0x203000);
    CHECK_REGION(map, 2, 0x10000000, 0x20000000);
}

HOST_TEST(MMAP_0003)
{
    /* Unsorted, overlapping, adjacent and contained entries are merged. */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0x300000, 0x200000, 1);       /* [3, 5) MiB */
    add_entry(&m, 0x100000, 0x100000, 1);       /* [1, 2) */
    add_entry(&m, 0x200000, 0x80000, 1);        /* adjacent: [2, 2.5) */
    add_entry(&m, 0x400000, 0x200000, 1);       /* overlaps: [4, 6) */
    add_entry(&m, 0x150000, 0x30000, 1);        /* contained */
    add_entry(&m, 0x280000, 0x80000, 2);        /* reserved hole stays a hole */
    add_entry(&m, 0x900000, 0x100000, 1);       /* separate */
    add_entry(&m, 0x600000, 0x300000, 1);       /* bridges [3,6) and [9,10) */
    struct ram_map map;
    CHECK(parse(&m, 0, 1UL << 47, &map));
    CHECK_EQ(map.count, 2);
    CHECK_REGION(map, 0, 0x100000, 0x280000);
    CHECK_REGION(map, 1, 0x300000, 0xa00000);
}

HOST_TEST(MMAP_0004)
{
    /* Malformed: an entry size below 20 (including 0, which would never advance). */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0x100000, 0x100000, 1);
    size_t bad = m.len;
    add_entry(&m, 0x300000, 0x100000, 1);
    struct ram_map map;

    uint32_t sizes[] = { 0, 1, 16, 19 };
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        memcpy(m.bytes + bad, &sizes[i], sizeof(uint32_t));
        CHECK(!parse(&m, 0, 1UL << 47, &map));
    }
    /* Size 20 is fine again. */
    uint32_t ok = 20;
    memcpy(m.bytes + bad, &ok, sizeof(ok));
    CHECK(parse(&m, 0, 1UL << 47, &map));
    CHECK_EQ(map.count, 2);
}

HOST_TEST(MMAP_0005)
{
    /* Entries larger than 20 bytes are stepped over using their size field. */
    struct raw_mmap m = { .len = 0 };
    add_entry_sized(&m, 28, 0x100000, 0x100000, 1);     /* 8 bytes of extension */
    memset(m.bytes + 24, 0xFF, 8);                      /* garbage in the extension */
    add_entry_sized(&m, 20, 0x400000, 0x100000, 1);
    add_entry_sized(&m, 44, 0x800000, 0x100000, 1);
    struct ram_map map;
    CHECK(parse(&m, 0, 1UL << 47, &map));
    CHECK_EQ(map.count, 3);
    CHECK_REGION(map, 0, 0x100000, 0x200000);
    CHECK_REGION(map, 1, 0x400000, 0x500000);
    CHECK_REGION(map, 2, 0x800000, 0x900000);
}

HOST_TEST(MMAP_0006)
{
    /* Other types and zero lengths are ignored; a wrapping entry is clipped. */
    struct raw_mmap m = { .len = 0 };
    for (uint32_t type = 0; type <= 5; type++)
        if (type != MB_MMAP_RAM)
            add_entry(&m, 0x1000000 * (uint64_t)(type + 1), 0x100000, type);
    add_entry(&m, 0x200000, 0, 1);                       /* empty */
    add_entry(&m, 1UL << 46, ~(uint64_t)0, 1);          /* base + length wraps */
    add_entry(&m, 0xFFFFFFFFFFFFF000UL, 0x2000, 1);     /* wraps, above max */
    struct ram_map map;
    CHECK(parse(&m, MIB, 1UL << 47, &map));
    CHECK_EQ(map.count, 1);
    CHECK_REGION(map, 0, 1UL << 46, 1UL << 47);

    /* With no upper clip the wrapping entry ends at the last whole page. */
    m.len = 0;
    add_entry(&m, 0xFFFFFFFFFFFF0000UL, 0x20000, 1);
    CHECK(parse(&m, 0, ~(paddr_t)0, &map));
    CHECK_EQ(map.count, 1);
    CHECK_REGION(map, 0, 0xFFFFFFFFFFFF0000UL, 0xFFFFFFFFFFFFF000UL);
}

HOST_TEST(MMAP_0007)
{
    /* Truncated maps: nothing is read past the buffer (heap copy, ASan). */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0x100000, 0x100000, 1);
    add_entry(&m, 0x400000, 0x100000, 1);
    struct ram_map map;
    /* Cut in the middle of the second entry: only the first one counts. */
    for (size_t cut = 25; cut < 48; cut++) {
        struct raw_mmap t = m;
        t.len = cut;
        parse(&t, 0, 1UL << 47, &map);
        CHECK_EQ(map.count, 1);
        CHECK_REGION(map, 0, 0x100000, 0x200000);
    }
    /* A last entry whose size field points far past the end. */
    add_entry_sized(&m, 0xFFFFFFF0, 0x800000, 0x100000, 1);
    m.len = 48 + 24;
    parse(&m, 0, 1UL << 47, &map);
    CHECK_EQ(map.count, 3);
    CHECK_REGION(map, 2, 0x800000, 0x900000);
    /* An empty map is valid and empty. */
    m.len = 0;
    CHECK(parse(&m, 0, 1UL << 47, &map));
    CHECK_EQ(map.count, 0);
}

HOST_TEST(MMAP_0008)
{
    /* ram_map_add: capacity, merging when full, bridging, empty ranges. */
    struct ram_map map = { .count = 0 };
    for (unsigned i = 0; i < MAX_RAM_REGIONS; i++)
        CHECK(ram_map_add(&map, (paddr_t)(2 * i + 1) * 0x1000, (paddr_t)(2 * i + 2) * 0x1000));
    CHECK_EQ(map.count, MAX_RAM_REGIONS);
    /* A new disjoint region does not fit... */
    CHECK(!ram_map_add(&map, 0x1000000, 0x1001000));
    CHECK_EQ(map.count, MAX_RAM_REGIONS);
    /* ...but one touching an existing region merges. */
    CHECK(ram_map_add(&map, 0x0, 0x1000));
    CHECK_EQ(map.count, MAX_RAM_REGIONS);
    CHECK_REGION(map, 0, 0x0, 0x2000);
    /* Empty and inverted ranges are no-ops. */
    CHECK(ram_map_add(&map, 0x50000, 0x50000));
    CHECK(ram_map_add(&map, 0x60000, 0x50000));
    CHECK_EQ(map.count, MAX_RAM_REGIONS);
    /* A range touching regions 1..10 (adjacent to 10) collapses them into one. */
    CHECK(ram_map_add(&map, 0x3800, 0x15000));
    CHECK_EQ(map.count, MAX_RAM_REGIONS - 9);
    CHECK_REGION(map, 1, 0x3000, 0x16000);
    CHECK_REGION(map, 2, 0x17000, 0x18000);
    /* Still sorted and disjoint, with a gap between neighbours. */
    for (unsigned i = 0; i + 1 < map.count; i++)
        CHECK(map.region[i].end < map.region[i + 1].start);
    /* Bridging everything leaves one region. */
    CHECK(ram_map_add(&map, 0, 0x100000));
    CHECK_EQ(map.count, 1);
    CHECK_REGION(map, 0, 0, 0x100000);
}

HOST_TEST(MMAP_0009)
{
    /*
     * Entries in the last page of the address space: rounding their start up
     * must not wrap to 0 (which would turn them into "RAM from 0").
     */
    struct raw_mmap m = { .len = 0 };
    add_entry(&m, 0xFFFFFFFFFFFFF001UL, 0x10, 1);
    add_entry(&m, 0xFFFFFFFFFFFFF800UL, 0x1000, 1);     /* wraps as well */
    struct ram_map map;
    CHECK(parse(&m, MIB, 1UL << 47, &map));
    CHECK_EQ(map.count, 0);
    CHECK(parse(&m, 0, ~(paddr_t)0, &map));
    CHECK_EQ(map.count, 0);
    /* The last whole page below the top is still found. */
    m.len = 0;
    add_entry(&m, 0xFFFFFFFFFFFFE000UL, 0x1000, 1);
    CHECK(parse(&m, 0, ~(paddr_t)0, &map));
    CHECK_EQ(map.count, 1);
    CHECK_REGION(map, 0, 0xFFFFFFFFFFFFE000UL, 0xFFFFFFFFFFFFF000UL);
}
