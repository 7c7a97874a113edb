/*
 * ACPI table parsing, kept free of hardware access so the host tests can
 * feed it synthetic tables. Physical memory is read through a callback.
 */
#ifndef ACPI_H
#define ACPI_H

#include "types.h"

/* Returns a readable pointer to len bytes at physical address pa, or NULL. */
typedef const void *(*acpi_map_fn)(paddr_t pa, size_t len);

#define ACPI_RSDP_V1_LEN    20
#define ACPI_RSDP_V2_LEN    36
#define ACPI_MAX_IOAPICS    8

struct madt_info {
    paddr_t lapic_paddr;
    unsigned num_ioapics;
    paddr_t ioapic_paddr[ACPI_MAX_IOAPICS];
    uint32_t ioapic_gsi_base[ACPI_MAX_IOAPICS];
    unsigned num_cpus;
};

bool acpi_checksum_ok(const void *p, size_t len);
/* Scans [start, start+len) on 16-byte boundaries for a valid RSDP. */
const uint8_t *acpi_scan_rsdp(const uint8_t *start, size_t len);
/* Follows the RSDP to the RSDT/XSDT and returns the table with signature sig. */
const uint8_t *acpi_find_table(const uint8_t *rsdp, const char sig[4], acpi_map_fn map);
bool acpi_parse_madt(const uint8_t *madt, struct madt_info *out);

#endif
