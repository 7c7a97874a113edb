/*
 * Boot-time state shared by the boot files (core/boot.c, rootserver.c,
 * bootinfo.c). None of it is used after the root task starts.
 */
#ifndef BOOT_H
#define BOOT_H

#include "bootmem.h"
#include "thread.h"
#include "untyped_regions.h"
#include <sel4/bootinfo.h>

struct boot_state {
    const struct mb_info *mbi;
    struct ram_map ram;             /* usable RAM (>= 1 MiB, inside the window) */
    struct ram_map ram_all;         /* every RAM region >= 1 MiB, for device gaps */
    struct ram_map reserved;        /* kernel-held regions that are not RAM */
    struct bootmem mem;
    const uint8_t *rootserver_elf;
    size_t rootserver_size;
    paddr_t boot_only_start;        /* kernel memory used only during boot */
    paddr_t boot_only_end;
    uint64_t start_tsc;
};

/* What the root task's construction produced, for bootinfo and the banner. */
struct rootserver {
    tcb_t *tcb;
    cte_t *cnode;                   /* the root CNode's slots */
    paddr_t cnode_paddr;
    paddr_t vspace;
    vaddr_t image_start, image_end;
    vaddr_t ipc_buffer;
    vaddr_t bootinfo_vaddr;
    vaddr_t extra_vaddr;
    word_t extra_size;
    seL4_BootInfo *bootinfo;
    uint8_t *extra;
    word_t next_slot;               /* first slot not yet used */
    unsigned num_untypeds;
    word_t untyped_ram_bytes;
    word_t untyped_device_bytes;
};

extern struct boot_state boot;

bool rootserver_create(struct rootserver *rs);
void bootinfo_fill_extra(struct rootserver *rs, uint32_t tsc_mhz);
word_t bootinfo_extra_length(void);
void bootinfo_add_untypeds(struct rootserver *rs);

#endif
