/*
 * ACPI: just enough to find the interrupt controllers (MADT) and to keep a
 * copy of the RSDP for the root task (boot.md §6). Pure logic: all memory is
 * reached through the caller's map function.
 */
#include "acpi.h"
#include "kstring.h"

#define SDT_HEADER_LEN  36

static uint32_t read32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t read64(const uint8_t *p)
{
    return (uint64_t)read32(p) | (uint64_t)read32(p + 4) << 32;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return sum == 0;
}

/* avail: bytes readable at p (the rest of the scanned range). */
static bool rsdp_valid(const uint8_t *p, size_t avail)
{
    if (memcmp(p, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(p, ACPI_RSDP_V1_LEN))
        return false;
    /* Revision 2+ adds a length and an extended checksum over it. */
    if (p[15] >= 2) {
        uint32_t len = read32(p + 20);
        if (len < ACPI_RSDP_V2_LEN || len > avail || !acpi_checksum_ok(p, len))
            return false;
    }
    return true;
}

const uint8_t *acpi_scan_rsdp(const uint8_t *start, size_t len)
{
    for (size_t off = 0; off + ACPI_RSDP_V2_LEN <= len; off += 16) {
        if (rsdp_valid(start + off, len - off))
            return start + off;
    }
    return NULL;
}

/* Maps a whole SDT after checking its header; NULL if absent or corrupt. */
static const uint8_t *map_sdt(paddr_t pa, acpi_map_fn map)
{
    const uint8_t *hdr = map(pa, SDT_HEADER_LEN);
    if (hdr == NULL)
        return NULL;
    uint32_t len = read32(hdr + 4);
    if (len < SDT_HEADER_LEN || len > (1u << 20))
        return NULL;
    const uint8_t *t = map(pa, len);
    if (t == NULL || !acpi_checksum_ok(t, len))
        return NULL;
    return t;
}

const uint8_t *acpi_find_table(const uint8_t *rsdp, const char sig[4], acpi_map_fn map)
{
    bool use_xsdt = rsdp[15] >= 2 && read64(rsdp + 24) != 0;
    paddr_t root_pa = use_xsdt ? read64(rsdp + 24) : read32(rsdp + 16);
    unsigned entry_size = use_xsdt ? 8 : 4;
    const uint8_t *root = map_sdt(root_pa, map);
    if (root == NULL)
        return NULL;

    uint32_t len = read32(root + 4);
    for (uint32_t off = SDT_HEADER_LEN; off + entry_size <= len; off += entry_size) {
        paddr_t pa = use_xsdt ? read64(root + off) : read32(root + off);
        const uint8_t *t = map_sdt(pa, map);
        if (t != NULL && memcmp(t, sig, 4) == 0)
            return t;
    }
    return NULL;
}

#define MADT_LAPIC_ADDR_OFF     36
#define MADT_ENTRIES_OFF        44
#define MADT_TYPE_LAPIC         0
#define MADT_TYPE_IOAPIC        1
#define MADT_TYPE_LAPIC_OVERRIDE 5

bool acpi_parse_madt(const uint8_t *madt, struct madt_info *out)
{
    uint32_t len = read32(madt + 4);
    memset(out, 0, sizeof(*out));
    if (len < MADT_ENTRIES_OFF)
        return false;
    out->lapic_paddr = read32(madt + MADT_LAPIC_ADDR_OFF);

    uint32_t off = MADT_ENTRIES_OFF;
    while (off + 2 <= len) {
        uint8_t type = madt[off];
        uint8_t elen = madt[off + 1];
        if (elen < 2 || off + elen > len)
            return false;                       /* corrupt entry list */
        const uint8_t *e = madt + off;
        if (type == MADT_TYPE_LAPIC && elen >= 8) {
            if (read32(e + 4) & 1)              /* processor enabled */
                out->num_cpus++;
        } else if (type == MADT_TYPE_IOAPIC && elen >= 12) {
            if (out->num_ioapics < ACPI_MAX_IOAPICS) {
                out->ioapic_paddr[out->num_ioapics] = read32(e + 4);
                out->ioapic_gsi_base[out->num_ioapics] = read32(e + 8);
                out->num_ioapics++;
            }
        } else if (type == MADT_TYPE_LAPIC_OVERRIDE && elen >= 12) {
            out->lapic_paddr = read64(e + 4);
        }
        off += elen;
    }
    return true;
}
