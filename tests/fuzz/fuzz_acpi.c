/*
 * Fuzz target: ACPI table parsing (kernel/plat/pc/acpi_tables.c).
 *
 * Input: u8 flags, u16 scan length, 4-byte signature, u16 MADT length,
 * then a physical memory image (the rest of the input) at physical address
 * 0. The parsers see memory only through exact-size heap copies, so ASan
 * reports any read past what they were given or asked for:
 *  - acpi_scan_rsdp scans a copy of the image's first bytes ("the BIOS
 *    area"); the result must be a valid RSDP on a 16-byte boundary lying
 *    wholly inside the scanned range, the first such one;
 *  - acpi_find_table (for "APIC" and for the input's signature) maps memory
 *    through a bounds-checked map function returning a fresh copy of the
 *    requested bytes; its answer must be the table a reference walk of the
 *    RSDT/XSDT finds (same physical address), or NULL when there is none;
 *  - acpi_parse_madt on the table found, and on a table made from the
 *    image's first bytes (its length field set to the copy's size), must
 *    agree with a reference parser.
 * With flag bit 0 set the harness first fixes the checksums of the RSDPs
 * and of the tables reachable from them, so the fuzzer gets past them.
 */
#include "fuzz_common.h"
#include "acpi.h"

#define SDT_HEADER  36

/*
 * acpi_scan_rsdp may read a revision-2 RSDP's whole length (up to 1 KiB)
 * past the end of the scanned range; a slack lets fuzzing look past that.
 */
#ifndef FUZZ_ACPI_SCAN_SLACK
#define FUZZ_ACPI_SCAN_SLACK 0
#endif
#define MAX_MAPS    4096

static const uint8_t *image;
static size_t image_size;

/* Mappings handed out in this run: freed at its end. */
static struct {
    void *copy;
    paddr_t pa;
    size_t len;
} maps[MAX_MAPS];
static unsigned num_maps;

static const void *map_phys(paddr_t pa, size_t len)
{
    if (pa > image_size || len > image_size - pa || num_maps == MAX_MAPS)
        return NULL;
    void *copy = malloc(len > 0 ? len : 1);
    FZ_CHECK(copy != NULL, "out of memory");
    memcpy(copy, image + pa, len);
    maps[num_maps].copy = copy;
    maps[num_maps].pa = pa;
    maps[num_maps].len = len;
    num_maps++;
    return copy;
}

static void unmap_all(void)
{
    for (unsigned i = 0; i < num_maps; i++)
        free(maps[i].copy);
    num_maps = 0;
}

static uint64_t le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static uint8_t sum(const uint8_t *p, size_t len)
{
    uint8_t s = 0;
    for (size_t i = 0; i < len; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

/* ------------------------------------------------------------------------ */
/* References                                                                */
/* ------------------------------------------------------------------------ */

/* An RSDP at p, with avail bytes readable there: valid and wholly inside? */
static bool ref_rsdp_ok(const uint8_t *p, size_t avail)
{
    if (avail < 36 || memcmp(p, "RSD PTR ", 8) != 0 || sum(p, 20) != 0)
        return false;
    if (p[15] >= 2) {
        uint64_t len = le(p + 20, 4);
        if (len < 36 || len > 1024 || len > avail || sum(p, len) != 0)
            return false;
    }
    return true;
}

/* A whole, checksummed SDT at pa in the image: its length, or 0. */
static uint64_t ref_sdt_len(uint64_t pa)
{
    if (pa > image_size || image_size - pa < SDT_HEADER)
        return 0;
    uint64_t len = le(image + pa + 4, 4);
    if (len < SDT_HEADER || len > (1u << 20) || len > image_size - pa)
        return 0;
    return sum(image + pa, len) == 0 ? len : 0;
}

/* The physical address of the first valid table with signature sig, or -1. */
static int64_t ref_find(const uint8_t *rsdp, const char *sig)
{
    bool xsdt = rsdp[15] >= 2 && le(rsdp + 24, 8) != 0;
    uint64_t root = xsdt ? le(rsdp + 24, 8) : le(rsdp + 16, 4);
    unsigned esize = xsdt ? 8 : 4;
    uint64_t len = ref_sdt_len(root);
    if (len == 0)
        return -1;
    for (uint64_t off = SDT_HEADER; off + esize <= len; off += esize) {
        uint64_t pa = le(image + root + off, esize);
        if (ref_sdt_len(pa) != 0 && memcmp(image + pa, sig, 4) == 0)
            return (int64_t)pa;
    }
    return -1;
}

static bool ref_madt(const uint8_t *t, struct madt_info *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t len = le(t + 4, 4);
    if (len < 44)
        return false;
    out->lapic_paddr = le(t + 36, 4);
    for (uint64_t off = 44; off + 2 <= len;) {
        unsigned type = t[off], elen = t[off + 1];
        if (elen < 2 || off + elen > len)
            return false;
        if (type == 0 && elen >= 8 && (le(t + off + 4, 4) & 1))
            out->num_cpus++;
        if (type == 1 && elen >= 12 && out->num_ioapics < ACPI_MAX_IOAPICS) {
            out->ioapic_paddr[out->num_ioapics] = le(t + off + 4, 4);
            out->ioapic_gsi_base[out->num_ioapics] = (uint32_t)le(t + off + 8, 4);
            out->num_ioapics++;
        }
        if (type == 5 && elen >= 12)
            out->lapic_paddr = le(t + off + 4, 8);
        off += elen;
    }
    return true;
}

static void check_madt(const uint8_t *t)
{
    struct madt_info got, want;
    memset(&got, 0x5A, sizeof(got));
    bool ok = acpi_parse_madt(t, &got);
    bool want_ok = ref_madt(t, &want);
    FZ_CHECK(ok == want_ok, "acpi_parse_madt returned %d, the reference %d", ok, want_ok);
    FZ_CHECK(got.num_ioapics <= ACPI_MAX_IOAPICS, "%u IOAPICs", got.num_ioapics);
    if (!ok)
        return;
    FZ_CHECK(got.lapic_paddr == want.lapic_paddr && got.num_cpus == want.num_cpus &&
             got.num_ioapics == want.num_ioapics, "MADT parsed differently: lapic %#lx/%#lx "
             "cpus %u/%u ioapics %u/%u", got.lapic_paddr, want.lapic_paddr, got.num_cpus,
             want.num_cpus, got.num_ioapics, want.num_ioapics);
    for (unsigned i = 0; i < got.num_ioapics; i++)
        FZ_CHECK(got.ioapic_paddr[i] == want.ioapic_paddr[i] &&
                 got.ioapic_gsi_base[i] == want.ioapic_gsi_base[i], "IOAPIC %u differs", i);
}

/* ------------------------------------------------------------------------ */
/* Checksum fixing (flag bit 0)                                              */
/* ------------------------------------------------------------------------ */

static void fix_sdt(uint8_t *img, size_t size, uint64_t pa)
{
    if (pa > size || size - pa < SDT_HEADER)
        return;
    uint64_t len = le(img + pa + 4, 4);
    if (len < SDT_HEADER || len > size - pa)
        return;
    img[pa + 9] = 0;
    img[pa + 9] = (uint8_t)-sum(img + pa, len);
}

static void fix_checksums(uint8_t *img, size_t size, size_t scan_len)
{
    for (size_t off = 0; off + 36 <= scan_len; off += 16) {
        uint8_t *p = img + off;
        if (memcmp(p, "RSD PTR ", 8) != 0)
            continue;
        p[8] = 0;
        p[8] = (uint8_t)-sum(p, 20);
        uint64_t len = le(p + 20, 4);
        if (p[15] >= 2 && len >= 36 && len <= size - off) {
            p[32] = 0;
            p[32] = (uint8_t)-sum(p, len);
        }
        bool xsdt = p[15] >= 2 && le(p + 24, 8) != 0;
        uint64_t root = xsdt ? le(p + 24, 8) : le(p + 16, 4);
        unsigned esize = xsdt ? 8 : 4;
        if (root > size || size - root < SDT_HEADER)
            continue;
        uint64_t rlen = le(img + root + 4, 4);
        if (rlen > size - root)
            continue;
        for (uint64_t e = SDT_HEADER; e + esize <= rlen; e += esize)
            fix_sdt(img, size, le(img + root + e, esize));
        fix_sdt(img, size, root);
    }
}

/* ------------------------------------------------------------------------ */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = fz_in(data, size);
    uint8_t flags = fz_u8(&in);
    size_t scan_len = fz_u16(&in);
    char sig[4];
    for (int i = 0; i < 4; i++)
        sig[i] = (char)fz_u8(&in);
    size_t madt_len = fz_u16(&in);

    image_size = fz_left(&in);
    uint8_t *img = malloc(image_size > 0 ? image_size : 1);
    FZ_CHECK(img != NULL, "out of memory");
    memcpy(img, in.p, image_size);
    image = img;
    if (scan_len > image_size)
        scan_len = image_size;
    if (flags & 1)
        fix_checksums(img, image_size, scan_len);

    /*
     * The RSDP scan over an exact copy of the scanned range (plus, when
     * built with -DFUZZ_ACPI_SCAN_SLACK=n, n readable bytes after it).
     */
    size_t avail = scan_len + FUZZ_ACPI_SCAN_SLACK;
    uint8_t *scan = calloc(avail > 0 ? avail : 1, 1);
    FZ_CHECK(scan != NULL, "out of memory");
    memcpy(scan, img, MIN(avail, image_size));
    const uint8_t *rsdp = acpi_scan_rsdp(scan, scan_len);
    const uint8_t *want = NULL;
    for (size_t off = 0; off + 36 <= scan_len && want == NULL; off += 16)
        if (ref_rsdp_ok(scan + off, avail - off))
            want = scan + off;
    FZ_CHECK(rsdp == want, "acpi_scan_rsdp found %p, the reference %p (scan at %p)",
             (const void *)rsdp, (const void *)want, (void *)scan);

    if (rsdp != NULL) {
        const char *sigs[2] = { "APIC", sig };
        for (int i = 0; i < 2; i++) {
            const uint8_t *t = acpi_find_table(rsdp, sigs[i], map_phys);
            int64_t want_pa = ref_find(rsdp, sigs[i]);
            if (t == NULL) {
                FZ_CHECK(want_pa < 0, "acpi_find_table missed the table at %#llx",
                         (unsigned long long)want_pa);
                continue;
            }
            /* t must be the start of a mapping of the reference's table. */
            unsigned m = 0;
            while (m < num_maps && maps[m].copy != t)
                m++;
            FZ_CHECK(m < num_maps, "acpi_find_table returned %p, which was never mapped",
                     (const void *)t);
            FZ_CHECK(want_pa >= 0 && maps[m].pa == (paddr_t)want_pa,
                     "acpi_find_table found the table at %#lx, the reference %#llx",
                     maps[m].pa, (unsigned long long)want_pa);
            FZ_CHECK(maps[m].len == le(t + 4, 4), "the table was mapped partly");
            if (i == 0)
                check_madt(t);
        }
    }

    /* A MADT from the image's first bytes, its length field made true. */
    if (madt_len > image_size)
        madt_len = image_size;
    if (madt_len >= 8) {
        uint8_t *madt = malloc(madt_len);
        FZ_CHECK(madt != NULL, "out of memory");
        memcpy(madt, img, madt_len);
        for (int i = 0; i < 4; i++)
            madt[4 + i] = (uint8_t)(madt_len >> (8 * i));
        check_madt(madt);
        free(madt);
    }

    unmap_all();
    free(scan);
    free(img);
    return 0;
}
