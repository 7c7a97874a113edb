/*
 * The compact system spec: what tools/system.py (the host tool) produces
 * from a Microkit-style .system file and what the system initialiser
 * (user/sysinit/, the root task) builds the system from.
 *
 * This header is the one definition of the format; tools/system.py writes
 * the same layout with Python's struct module (little endian, natural
 * alignment, no padding other than what is written out below).  Change both
 * together and bump SYSSPEC_VERSION.
 *
 * The blob is linked into the initialiser's image (ld -r -b binary) and
 * found through the symbols _binary_sysspec_bin_start / _end.
 *
 * Layout: header, then the tables at the offsets the header gives (each
 * 8-byte aligned), then a string table (NUL-terminated names), then the
 * values of the SYSSPEC_PATCH_BYTES patches (each 8-byte aligned, found
 * only through the patches' `arg`), then the program images (whole ELF
 * files, 8-byte aligned; PDs with the same image share one copy).  All
 * offsets are from the start of the blob.  Indices (pd, region, ...) are
 * positions in their table.
 */
#ifndef ARCA_SYSSPEC_H
#define ARCA_SYSSPEC_H

#include <stdint.h>

#define SYSSPEC_MAGIC   0x53435241u /* "ARCS" */
#define SYSSPEC_VERSION 1u

#define SYSSPEC_MAX_PDS      63     /* Microkit's limit */
#define SYSSPEC_MAX_CHANNELS 63     /* channel ids 0..62 per PD */
#define SYSSPEC_NAME_MAX     64     /* including the NUL */
#define SYSSPEC_NO_PARENT    0xffffu
#define SYSSPEC_MONITOR      0xfffeu /* a channel end's pd: the monitor */

struct sysspec_header {
    uint32_t magic;             /* SYSSPEC_MAGIC */
    uint32_t version;           /* SYSSPEC_VERSION */
    uint64_t total_size;        /* bytes in the whole blob */
    uint32_t n_pds, pds_off;
    uint32_t n_regions, regions_off;
    uint32_t n_maps, maps_off;
    uint32_t n_channels, channels_off;
    uint32_t n_irqs, irqs_off;
    uint32_t n_ioports, ioports_off;
    uint32_t n_patches, patches_off;
    uint32_t strings_off, strings_size;
    uint32_t name_off;          /* the system's name (file name without .system) */
    uint32_t reserved;
};

/* pd.flags */
#define SYSSPEC_PD_RESTART_ON_FAULT 0x1u /* on_fault="restart" (default: stop) */
#define SYSSPEC_PD_HAS_PROTECTED    0x2u /* some channel lets another PD ppcall it */
#define SYSSPEC_PD_PASSIVE          0x4u /* passive="true" (MCS; reported, ignored) */

struct sysspec_pd {
    uint32_t name_off;
    uint32_t flags;
    uint64_t image_off, image_size;  /* the ELF file inside the blob */
    uint64_t stack_size;             /* bytes, page multiple; default 0x1000 */
    uint64_t ipc_buffer_vaddr;       /* where the IPC buffer is mapped */
    uint64_t stack_top_vaddr;        /* initial RSP is this, 16-byte aligned */
    uint16_t parent;                 /* pd index or SYSSPEC_NO_PARENT */
    uint16_t child_id;               /* id in the parent's child set (Microkit "id") */
    uint8_t priority;                /* 0..254 (Microkit's range) */
    uint8_t reserved[3];
    uint32_t first_map, n_maps;      /* this PD's rows in the maps table */
    uint32_t first_irq, n_irqs;
    uint32_t first_ioport, n_ioports;
    uint32_t first_patch, n_patches;
};

/* region.flags */
#define SYSSPEC_REGION_FIXED_PADDR 0x1u  /* phys_addr given: device memory */

struct sysspec_region {
    uint32_t name_off;
    uint32_t flags;
    uint64_t size;                  /* bytes, multiple of page_size */
    uint64_t page_size;             /* 0x1000 or 0x200000 */
    uint64_t phys_addr;             /* when FIXED_PADDR */
};

/* map.perms */
#define SYSSPEC_PERM_R 0x1u
#define SYSSPEC_PERM_W 0x2u
#define SYSSPEC_PERM_X 0x4u

struct sysspec_map {
    uint32_t pd;
    uint32_t region;
    uint64_t vaddr;
    uint32_t perms;
    uint32_t cached;                /* 1 = cached (default), 0 = uncached */
};

/* One channel between two ends.  For end X: pd_X (or SYSSPEC_MONITOR), the
 * channel id X uses for it, whether X may ppcall the other end (pp="true"
 * on X's end), whether X may notify the other end (notify, default 1). */
struct sysspec_channel {
    uint16_t pd_a, pd_b;
    uint8_t id_a, id_b;
    uint8_t pp_a, pp_b;
    uint8_t notify_a, notify_b;
    uint8_t reserved[6];
};

/* irq.kind */
#define SYSSPEC_IRQ_IOAPIC 0u
#define SYSSPEC_IRQ_MSI    1u

struct sysspec_irq {
    uint32_t pd;
    uint32_t id;                    /* channel id in the PD */
    uint32_t kind;
    uint32_t vector;                /* seL4 "vector" argument (irq number) */
    /* IOAPIC: ioapic, pin, level (1 = level), polarity (1 = active low).
     * MSI: pci bus/dev/func and handle. */
    uint32_t ioapic, pin, level, polarity;
    uint32_t pci_bus, pci_dev, pci_func, handle;
};

struct sysspec_ioport {
    uint32_t pd;
    uint32_t id;                    /* index in the PD's I/O port caps */
    uint32_t base;
    uint32_t size;
};

/* A value written into the PD's image at load (and again at every
 * restart).  BYTES: `size` bytes from value_off in the blob (strings and
 * numbers the tool already knows: microkit_name, channel masks, setvar of a
 * mapped vaddr). REGION_PADDR: the physical address of region `arg`
 * (known only once the initialiser has allocated it), size 8. */
#define SYSSPEC_PATCH_BYTES        0u
#define SYSSPEC_PATCH_REGION_PADDR 1u

struct sysspec_patch {
    uint32_t pd;
    uint32_t kind;
    uint64_t vaddr;                 /* where in the PD's address space */
    uint32_t size;
    uint32_t arg;                   /* BYTES: blob offset; REGION_PADDR: region */
};

#endif
