/*
 * Fuzz target: the Multiboot memory-map parser (kernel/core/multiboot.c).
 *
 * Input: u64 min_addr, u64 max_addr (either may be replaced by a usual
 * value, per the first byte), then the raw map, which mb_parse_mmap reads
 * from a heap copy of exactly its length (ASan reports any read past it).
 *
 * The result is compared with a reference written from multiboot.h's
 * contract: walk the entries (size field + 4 bytes each, only whole 24-byte
 * entries read; a size below 20 makes the map malformed), keep type-1
 * entries, clip to [min, max) (an end past 2^64 is clipped to 2^64 - 1),
 * keep whole pages only, and take the union. The parser must fail exactly
 * when the map is malformed or the union of the regions so far needs more
 * than MAX_RAM_REGIONS regions at some point, and otherwise return exactly
 * the union: sorted, disjoint, non-touching, page aligned, inside [min, max).
 */
#include "fuzz_common.h"
#include "multiboot.h"

#define PAGE 4096ULL

/* Reference regions: page numbers [first, last) keep the arithmetic exact. */
typedef struct {
    uint64_t first, last;
} pr_t;

#define REF_MAX 1024

static pr_t ref[REF_MAX];
static unsigned ref_n;

static uint64_t le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* Union of the region list with [first, last): insertion sort + merge. */
static void ref_add(uint64_t first, uint64_t last)
{
    pr_t merged[REF_MAX + 1];
    unsigned n = 0;
    bool placed = false;
    for (unsigned i = 0; i <= ref_n; i++) {
        pr_t r;
        if (!placed && (i == ref_n || ref[i].first > first)) {
            r = (pr_t){ first, last };
            placed = true;
            i--;
        } else if (i < ref_n) {
            r = ref[i];
        } else {
            break;
        }
        if (n > 0 && r.first <= merged[n - 1].last) {
            if (r.last > merged[n - 1].last)
                merged[n - 1].last = r.last;
        } else {
            merged[n++] = r;
        }
    }
    FZ_CHECK(n <= REF_MAX, "reference map overflow");
    memcpy(ref, merged, n * sizeof(pr_t));
    ref_n = n;
}

/* The reference parse; false for a map the parser must reject. */
static bool ref_parse(const uint8_t *map, size_t len, uint64_t min, uint64_t max)
{
    ref_n = 0;
    bool too_many = false;
    for (size_t off = 0; len >= 24 && off <= len - 24;) {
        const uint8_t *e = map + off;
        uint64_t esize = le(e, 4), base = le(e + 4, 8), length = le(e + 12, 8);
        uint64_t type = le(e + 20, 4);
        if (esize < 20)
            return false;
        if (type == 1 && length != 0) {
            uint64_t end = length > UINT64_MAX - base ? UINT64_MAX : base + length;
            uint64_t start = base < min ? min : base;
            if (end > max)
                end = max;
            if (start < end) {
                uint64_t first = start / PAGE + (start % PAGE != 0);
                uint64_t last = end / PAGE;
                if (first < last) {
                    ref_add(first, last);
                    if (ref_n > MAX_RAM_REGIONS)
                        too_many = true;
                }
            }
        }
        if (too_many)
            return false;
        off += esize + 4;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = fz_in(data, size);
    uint8_t how = fz_u8(&in);
    uint64_t min = fz_u64(&in), max = fz_u64(&in);
    if (how & 1)
        min = 0x100000;                 /* as the kernel calls it */
    if (how & 2)
        max = UINT64_MAX;
    if (how & 4)
        max = 1ULL << 46;

    size_t len = fz_left(&in);
    uint8_t *map = malloc(len > 0 ? len : 1);
    FZ_CHECK(map != NULL, "out of memory");
    memcpy(map, in.p, len);

    struct ram_map out;
    memset(&out, 0xA5, sizeof(out));
    bool ok = mb_parse_mmap(map, len, min, max, &out);
    bool want = ref_parse(map, len, min, max);
    free(map);

    FZ_CHECK(ok == want, "mb_parse_mmap returned %d, the reference %d", ok, want);
    if (!ok)
        return 0;
    FZ_CHECK(out.count == ref_n, "%u regions, the reference has %u", out.count, ref_n);
    for (unsigned i = 0; i < out.count; i++) {
        p_region_t r = out.region[i];
        FZ_CHECK(r.start == ref[i].first * PAGE && r.end == ref[i].last * PAGE,
                 "region %u is [%#lx, %#lx), the reference [%#llx, %#llx)", i, r.start, r.end,
                 (unsigned long long)(ref[i].first * PAGE),
                 (unsigned long long)(ref[i].last * PAGE));
        FZ_CHECK(r.start < r.end && r.start >= min && r.end <= max, "region %u out of range",
                 i);
        FZ_CHECK(i == 0 || out.region[i - 1].end < r.start, "regions %u, %u not disjoint",
                 i - 1, i);
    }
    return 0;
}
