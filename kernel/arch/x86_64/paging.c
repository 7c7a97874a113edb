/*
 * x86_64 page tables: the kernel's own mappings and, for boot, the root
 * task's address space.
 *
 * The kernel owns PML4 entry 511 (512 GiB), shared into every VSpace:
 *   PDPT[0..509]  the physical window, physical 0 .. 510 GiB (RW, NX)
 *   PDPT[510]     the kernel image, 4 KiB pages, W^X per section
 *   PDPT[511]     device window (LAPIC, IOAPIC), uncached
 * Entries are global (not flushed on CR3 reload) and supervisor-only.
 */
#include "arch.h"
#include "panic.h"
#include "printf.h"
#include "kstring.h"
#include "cap.h"
#include <arch/machine.h>
#include <arch/cpu.h>
#include <arch/paging.h>

#define PTE_P       BIT(0)
#define PTE_W       BIT(1)
#define PTE_U       BIT(2)
#define PTE_PWT     BIT(3)
#define PTE_PCD     BIT(4)
#define PTE_PS      BIT(7)
#define PTE_G       BIT(8)
#define PTE_NX      BIT(63)
#define PTE_ADDR    0x000FFFFFFFFFF000UL

#define ENTRIES     512
#define WINDOW_PD_MAX 16                /* 16 GiB of window without 1 GiB pages */
#define IMAGE_PT_COUNT 4                /* the image may span 8 MiB */

#include <arch/vspace.h>

static pte_t kernel_pml4[ENTRIES] ALIGNED(4096);
static pte_t kernel_pdpt[ENTRIES] ALIGNED(4096);
static pte_t window_pd[WINDOW_PD_MAX][ENTRIES] ALIGNED(4096);
static pte_t image_pd[ENTRIES] ALIGNED(4096);
static pte_t image_pt[IMAGE_PT_COUNT][ENTRIES] ALIGNED(4096);
static pte_t device_pd[ENTRIES] ALIGNED(4096);
static pte_t device_pt[ENTRIES] ALIGNED(4096);
static unsigned device_pages_used;
static paddr_t window_limit;

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _kernel_end[];

static pte_t nx_bit(void)
{
    return cpu_features.nx ? PTE_NX : 0;
}

static paddr_t table_paddr(const pte_t *table)
{
    return kptr_to_paddr(table);
}

static unsigned index_at(vaddr_t va, unsigned level)
{
    return (va >> (12 + 9 * level)) & (ENTRIES - 1);
}

/* The physical window: 1 GiB pages where the CPU has them, else 2 MiB. */
static void map_window(paddr_t end)
{
    word_t gib = ROUND_UP(end, 1UL << 30) >> 30;
    if (gib > 510)
        gib = 510;
    if (!cpu_features.page_1g && gib > WINDOW_PD_MAX)
        gib = WINDOW_PD_MAX;
    for (word_t i = 0; i < gib; i++) {
        if (cpu_features.page_1g) {
            kernel_pdpt[i] = (i << 30) | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit();
            continue;
        }
        for (word_t j = 0; j < ENTRIES; j++)
            window_pd[i][j] = (i << 30) | (j << 21) | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit();
        kernel_pdpt[i] = table_paddr(window_pd[i]) | PTE_P | PTE_W;
    }
    window_limit = gib << 30;
}

static pte_t image_page_flags(vaddr_t va)
{
    if (va >= (vaddr_t)_text_start && va < (vaddr_t)_text_end)
        return PTE_P | PTE_G;                           /* R X */
    if (va >= (vaddr_t)_rodata_start && va < (vaddr_t)_rodata_end)
        return PTE_P | PTE_G | nx_bit();                /* R   */
    return PTE_P | PTE_W | PTE_G | nx_bit();            /* RW  */
}

static void map_image(void)
{
    vaddr_t start = (vaddr_t)_text_start;
    vaddr_t end = (vaddr_t)_kernel_end;
    if (end - KERNEL_IMAGE_BASE > (word_t)IMAGE_PT_COUNT << 21)
        panic("kernel image too large for its page tables");
    for (unsigned i = 0; i < IMAGE_PT_COUNT; i++)
        image_pd[i] = table_paddr(image_pt[i]) | PTE_P | PTE_W;
    for (vaddr_t va = start; va < end; va += 4096) {
        word_t off = va - KERNEL_IMAGE_BASE;
        image_pt[off >> 21][index_at(va, 0)] = off | image_page_flags(va);
    }
    kernel_pdpt[510] = table_paddr(image_pd) | PTE_P | PTE_W;
}

void arch_init_paging(paddr_t window_end)
{
    map_window(window_end);
    map_image();
    device_pd[0] = table_paddr(device_pt) | PTE_P | PTE_W;
    kernel_pdpt[511] = table_paddr(device_pd) | PTE_P | PTE_W;
    kernel_pml4[511] = table_paddr(kernel_pdpt) | PTE_P | PTE_W;
    /* From here the boot identity map is gone: user space starts empty. */
    write_cr3(table_paddr(kernel_pml4));
}

paddr_t arch_kernel_window_limit(void)
{
    return window_limit;
}

paddr_t paging_kernel_root(void)
{
    return table_paddr(kernel_pml4);
}

volatile void *paging_map_device(paddr_t pa)
{
    if (device_pages_used >= ENTRIES)
        panic("device window full");
    unsigned slot = device_pages_used++;
    device_pt[slot] = ROUND_DOWN(pa, 4096) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | nx_bit();
    vaddr_t va = KERNEL_DEVICE_BASE + (word_t)slot * 4096;
    invlpg(va);
    return (volatile void *)(va + (pa & 0xFFF));
}

void arch_vspace_init(paddr_t root)
{
    pte_t *pml4 = paddr_to_kptr(root);
    memset(pml4, 0, 4096);
    pml4[511] = kernel_pml4[511];
}

unsigned arch_table_span_bits(unsigned level)
{
    static const unsigned span[ARCH_VSPACE_TABLE_LEVELS] = { 39, 30, 21 };
    return span[level];
}

/* level 0 = PDPT (in the PML4), 1 = PD, 2 = PT; index in the parent table. */
bool arch_vspace_install_table(paddr_t root, unsigned level, vaddr_t va, paddr_t table)
{
    if (va >= USER_TOP || level >= ARCH_VSPACE_TABLE_LEVELS)
        return false;
    pte_t *parent = paddr_to_kptr(root);
    for (unsigned l = 0; l < level; l++) {
        pte_t e = parent[index_at(va, 3 - l)];
        if (!(e & PTE_P))
            return false;
        parent = paddr_to_kptr(e & PTE_ADDR);
    }
    pte_t *slot = &parent[index_at(va, 3 - level)];
    if (*slot & PTE_P)
        return false;
    memset(paddr_to_kptr(table), 0, 4096);
    *slot = table | PTE_P | PTE_W | PTE_U;
    return true;
}

bool arch_vspace_map_page(paddr_t root, vaddr_t va, paddr_t pa, bool exec)
{
    if (va >= USER_TOP || !IS_ALIGNED(va, 4096) || !IS_ALIGNED(pa, 4096))
        return false;
    pte_t *table = paddr_to_kptr(root);
    for (unsigned level = 3; level > 0; level--) {
        pte_t e = table[index_at(va, level)];
        if (!(e & PTE_P) || (e & PTE_PS))
            return false;
        table = paddr_to_kptr(e & PTE_ADDR);
    }
    table[index_at(va, 0)] = pa | PTE_P | PTE_W | PTE_U | (exec ? 0 : nx_bit());
    return true;
}

void arch_vspace_unmap(paddr_t root, unsigned level, vaddr_t va, paddr_t target)
{
    if (va >= USER_TOP || level > 3)
        return;
    pte_t *table = paddr_to_kptr(root);
    for (unsigned l = 0; l < level; l++) {
        pte_t e = table[index_at(va, 3 - l)];
        if (!(e & PTE_P) || (e & PTE_PS))
            return;                     /* the path no longer leads there */
        table = paddr_to_kptr(e & PTE_ADDR);
    }
    pte_t *entry = &table[index_at(va, 3 - level)];
    if (!pte_present(*entry) || pte_target(*entry, level) != target)
        return;
    vspace_set_entry(root, entry, 0, va, level);
}

bool pte_present(pte_t e)
{
    return (e & PTE_P) != 0;
}

bool pte_is_page(pte_t e, unsigned level)
{
    return pte_present(e) && (level == 3 || (e & PTE_PS));
}

paddr_t pte_target(pte_t e, unsigned level)
{
    /* In a large-page entry bit 12 is the PAT bit, not an address bit. */
    if (level < 3 && (e & PTE_PS))
        return e & PTE_ADDR & ~0x1000UL;
    return e & PTE_ADDR;
}

pte_t *vspace_entry(paddr_t root, unsigned level, vaddr_t va, unsigned *bits_left)
{
    static const unsigned missing_bits[3] = { 39, 30, 21 };
    pte_t *table = paddr_to_kptr(root);
    for (unsigned l = 0; l < level; l++) {
        pte_t e = table[index_at(va, 3 - l)];
        if (!pte_present(e) || (e & PTE_PS)) {
            *bits_left = missing_bits[l];
            return NULL;
        }
        table = paddr_to_kptr(e & PTE_ADDR);
    }
    return &table[index_at(va, 3 - level)];
}

#define ATTR_PWT    BIT(0)
#define ATTR_PCD    BIT(1)
#define ATTR_PAT    BIT(2)

static pte_t cache_bits(word_t attr)
{
    return ((attr & ATTR_PWT) ? PTE_PWT : 0) | ((attr & ATTR_PCD) ? PTE_PCD : 0);
}

pte_t pte_make_table(paddr_t table, word_t attr)
{
    return table | PTE_P | PTE_W | PTE_U | cache_bits(attr);
}

pte_t pte_make_frame(paddr_t frame, unsigned level, unsigned vm_rights, word_t attr)
{
    pte_t e = frame | PTE_P | cache_bits(attr);
    if (vm_rights != VM_RIGHTS_KERNEL_ONLY)
        e |= PTE_U;
    if (vm_rights == VM_RIGHTS_READ_WRITE)
        e |= PTE_W;
    if (level == 3) {
        if (attr & ATTR_PAT)
            e |= PTE_PS;                /* bit 7 is the PAT bit in a 4 KiB entry */
    } else {
        e |= PTE_PS;
        if (level == 2 && (attr & ATTR_PAT))
            e |= 0x1000;                /* large-page PAT bit; ignored for 1 GiB */
    }
    return e;
}

void vspace_set_entry(paddr_t root, pte_t *entry, pte_t value, vaddr_t va, unsigned level)
{
    pte_t old = *entry;
    *entry = value;
    if (!pte_present(old) || read_cr3() != root)
        return;                 /* no stale translation can be cached */
    if (level == 3)
        invlpg(va);
    else
        write_cr3(root);        /* a whole subtree or large page changed */
}

static bool walk_table(const pte_t *table, unsigned level, vaddr_t base,
                       arch_vspace_visit_t visit, void *ctx)
{
    /* In the PML4 only the user half: entry 511 is the kernel's (shared). */
    unsigned entries = level == 0 ? (unsigned)(USER_TOP >> 39) + 1 : ENTRIES;
    for (unsigned i = 0; i < entries; i++) {
        pte_t e = table[i];
        if (!pte_present(e))
            continue;
        vaddr_t va = base + ((vaddr_t)i << (39 - 9 * level));
        bool page = pte_is_page(e, level);
        paddr_t target = pte_target(e, level);
        if (!visit(ctx, level, va, target, page))
            return false;
        if (!page && level < 3 && !walk_table(paddr_to_kptr(target), level + 1, va, visit, ctx))
            return false;
    }
    return true;
}

bool arch_vspace_walk(paddr_t root, arch_vspace_visit_t visit, void *ctx)
{
    return walk_table(paddr_to_kptr(root), 0, 0, visit, ctx);
}

void arch_vspace_forget(paddr_t root)
{
    if (read_cr3() == root)
        write_cr3(paging_kernel_root());
}
