/*
 * Multiboot 1 information (the parts Arca reads) and the boot memory map
 * derived from it. The parser is pure so host tests can exercise it.
 */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include "types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define MB_INFO_MEMORY      BIT(0)
#define MB_INFO_CMDLINE     BIT(2)
#define MB_INFO_MODS        BIT(3)
#define MB_INFO_MMAP        BIT(6)
#define MB_INFO_VBE         BIT(11)

struct PACKED mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
};

struct PACKED mb_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
};

/* One memory-map entry; `size` excludes itself (normally 20). */
struct PACKED mb_mmap_entry {
    uint32_t size;
    uint64_t base_addr;
    uint64_t length;
    uint32_t type;
};

#define MB_MMAP_RAM 1

/* A half-open physical range [start, end). */
typedef struct p_region {
    paddr_t start;
    paddr_t end;
} p_region_t;

#define MAX_RAM_REGIONS 32

struct ram_map {
    unsigned count;
    p_region_t region[MAX_RAM_REGIONS];     /* sorted, disjoint, page aligned */
};

/*
 * Builds the RAM map from a raw Multiboot memory map: type-1 entries only,
 * clipped to [min_addr, max_addr), rounded inward to pages, sorted and merged.
 * Returns false if the map is malformed (an entry whose size field is below
 * 20) or has more regions than the map holds; a truncated last entry is
 * ignored.
 */
bool mb_parse_mmap(const uint8_t *mmap, size_t length, paddr_t min_addr,
                   paddr_t max_addr, struct ram_map *out);

/* Adds [start, end) to the map, keeping it sorted and merged. */
bool ram_map_add(struct ram_map *map, paddr_t start, paddr_t end);

#endif
