/*
 * The system initialiser (root task) and monitor: shared declarations.
 *
 *   spec.c     decode and validate the linked-in system spec (no kernel calls)
 *   elf.c      decode and validate a PD's ELF image (no kernel calls)
 *   kobj.c     untyped memory, CNode slots, mapping with paging structures
 *   build.c    create every PD's objects and caps from the spec
 *   load.c     (re)load a PD's memory: segments, zeroed bss/stack, patches
 *   monitor.c  fault handling, restarts, the monitor protocol
 */
#ifndef SYSINIT_H
#define SYSINIT_H

#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <arca/sysspec.h>

#define PD_CNODE_BITS 9
#define PD_CNODE_GUARD (64 - PD_CNODE_BITS)
#define USER_TOP 0x0000800000000000ull      /* end of the lower half */
#define PAGE_SIZE 4096ull
#define MAX_SEGMENTS 16

/* --- spec.c ---------------------------------------------------------- */

struct spec {
    const uint8_t *blob;
    size_t size;
    const struct sysspec_header *hdr;
    const struct sysspec_pd *pds;
    const struct sysspec_region *regions;
    const struct sysspec_map *maps;
    const struct sysspec_channel *channels;
    const struct sysspec_irq *irqs;
    const struct sysspec_ioport *ioports;
    const struct sysspec_patch *patches;
    const char *system_name;
};

/* Checks everything the initialiser relies on; on failure writes a
 * reason to err and returns -1. */
int spec_decode(const void *blob, size_t size, struct spec *out, char *err, size_t errlen);
const char *spec_str(const struct spec *s, uint32_t off);   /* validated offsets only */

/* --- elf.c ----------------------------------------------------------- */

struct elf_segment {
    uint64_t vaddr, memsz, filesz;
    const uint8_t *data;
    uint32_t flags;         /* PF_R / PF_W / PF_X */
};

struct elf_image {
    uint64_t entry;
    unsigned nsegs;
    struct elf_segment segs[MAX_SEGMENTS];
};

int elf_decode(const uint8_t *file, uint64_t size, struct elf_image *out, char *err, size_t errlen);

/* --- kobj.c ---------------------------------------------------------- */

void kobj_init(const seL4_BootInfo *bi);
seL4_CPtr slot_alloc(seL4_Word n);                 /* n consecutive slots, or 0 */
/* Retype n objects (consecutive slots); returns the first slot or 0. */
seL4_CPtr obj_alloc(seL4_Word type, seL4_Word size_bits, seL4_Word n);
/* n frames of 2^bits bytes, physically contiguous, or at paddr if fixed. */
seL4_CPtr frames_alloc(seL4_Word bits, seL4_Word n, int fixed, uint64_t paddr);
/* Map frame (2^bits bytes) at vaddr in vspace, creating paging
 * structures on the way as needed. */
seL4_Error map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word bits, uint64_t vaddr,
                     seL4_CapRights_t rights, seL4_X86_VMAttributes attr);
/* Map a copy of frame into the monitor's window; returns its address or 0. */
void *window_map(seL4_CPtr frame);
seL4_Error cap_copy(seL4_CPtr dst_cnode, seL4_Word dst, seL4_Word dst_depth, seL4_CPtr src,
                    seL4_CapRights_t rights);
seL4_Error cap_mint(seL4_CPtr dst_cnode, seL4_Word dst, seL4_Word dst_depth, seL4_CPtr src,
                    seL4_CapRights_t rights, seL4_Word badge);
const char *err_str(seL4_Error e);

/* --- per-PD state (build.c, load.c, monitor.c) ----------------------- */

/* A page of the PD's own memory (image, stack, IPC buffer), mapped in the
 * PD and in the monitor's window so that a restart can rewrite it. */
struct pd_page {
    uint64_t vaddr;
    uint8_t *mon;
};

struct pd_state {
    const struct sysspec_pd *spec;
    const char *name;
    unsigned index;
    struct elf_image elf;
    seL4_CPtr tcb, cnode, vspace, ep, ntfn;     /* the monitor's caps */
    seL4_CPtr irq_first;                        /* monitor's copies of its IRQ handlers */
    struct pd_page *pages;
    unsigned npages;
    unsigned restarts, faults;
    int running;
    uint64_t started_tsc;       /* when it was last (re)started */
    unsigned fast_faults;       /* faults in a row soon after a restart */
    int crash_requested;        /* the next fault is a MONITOR_CRASH */
};

struct region_state {
    seL4_CPtr first;        /* frame caps, consecutive */
    uint64_t nframes;
    seL4_Word bits;
    uint64_t paddr;
};

extern struct spec g_spec;
extern struct pd_state *g_pds;
extern struct region_state *g_regions;
extern seL4_CPtr g_monitor_ep;

int build_system(char *err, size_t errlen);
int load_pd(struct pd_state *pd, char *err, size_t errlen);
int start_pd(struct pd_state *pd);
int restart_pd(struct pd_state *pd);
void monitor_init(const seL4_BootInfo *bi);
_Noreturn void monitor_run(void);
uint64_t read_tsc(void);

#endif
