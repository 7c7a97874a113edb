/*
 * Finding ACPI on a PC: the RSDP lives in the first KiB of the EBDA or in
 * the BIOS area 0xE0000..0xFFFFF; from it the MADT gives the LAPIC and IOAPIC
 * addresses.
 */
#include "arch.h"
#include "plat.h"
#include "printf.h"
#include "kstring.h"
#include "acpi.h"

struct acpi_info acpi_info;

static const void *map_window(paddr_t pa, size_t len)
{
    if (pa + len < pa || pa + len > arch_kernel_window_limit())
        return NULL;
    return paddr_to_kptr(pa);
}

static const uint8_t *find_rsdp(void)
{
    /* The EBDA segment is stored in the BIOS data area at 0x40E. */
    const uint16_t *ebda_seg = paddr_to_kptr(0x40E);
    paddr_t ebda = (paddr_t)*ebda_seg << 4;
    if (ebda >= 0x80000 && ebda < 0xA0000) {
        const uint8_t *r = acpi_scan_rsdp(paddr_to_kptr(ebda), 1024);
        if (r != NULL)
            return r;
    }
    return acpi_scan_rsdp(paddr_to_kptr(0xE0000), 0x20000);
}

void acpi_init(void)
{
    const uint8_t *rsdp = find_rsdp();
    if (rsdp == NULL) {
        kprintf("acpi: no RSDP found\n");
        acpi_info.lapic_paddr = 0xFEE00000;
        return;
    }
    acpi_info.found = true;
    /* ACPI 1.0 RSDPs are 20 bytes; the rest of the copy stays zero. */
    size_t len = rsdp[15] >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
    memcpy(acpi_info.rsdp, rsdp, len);

    struct madt_info madt;
    const uint8_t *t = acpi_find_table(rsdp, "APIC", map_window);
    if (t == NULL || !acpi_parse_madt(t, &madt)) {
        kprintf("acpi: no usable MADT\n");
        acpi_info.lapic_paddr = 0xFEE00000;
        return;
    }
    acpi_info.lapic_paddr = madt.lapic_paddr;
    acpi_info.num_ioapics = madt.num_ioapics;
    for (unsigned i = 0; i < madt.num_ioapics; i++) {
        acpi_info.ioapic_paddr[i] = madt.ioapic_paddr[i];
        acpi_info.ioapic_gsi_base[i] = madt.ioapic_gsi_base[i];
    }
    kprintf("acpi: RSDP rev %u at %p, %u cpu(s), LAPIC %#lx, %u IOAPIC(s)",
            rsdp[15], (void *)kptr_to_paddr(rsdp), madt.num_cpus, madt.lapic_paddr,
            madt.num_ioapics);
    for (unsigned i = 0; i < madt.num_ioapics; i++)
        kprintf(" %#lx", madt.ioapic_paddr[i]);
    kprintf("\n");
}
