/*
 * Building the root task (boot.md §2-§4, §7): its image, address space,
 * initial CSpace and TCB, all carved from boot memory.
 */
#include "boot.h"
#include "elf.h"
#include "config.h"
#include "panic.h"
#include "printf.h"
#include "kstring.h"
#include "cdt.h"
#include "asid.h"

#define PAGE_SIZE       4096UL
#define ROOT_PRIORITY   255
#define ROOT_ASID       1               /* from ASID pool 0 (boot.md §4) */

static paddr_t alloc_zeroed(word_t size, word_t align, const char *what)
{
    paddr_t pa = bootmem_alloc(&boot.mem, size, align);
    if (pa == 0)
        panic("out of memory at boot allocating %s (%lu bytes)", what, size);
    memset(paddr_to_kptr(pa), 0, size);
    return pa;
}

/* Boot caps are all originals: roots of the derivation tree. */
static void put_cap(struct rootserver *rs, word_t slot, cap_t cap)
{
    cdt_insert_anchored_root(&rs->cnode[slot], cap);
}

static word_t append_cap(struct rootserver *rs, cap_t cap)
{
    word_t slot = rs->next_slot++;
    if (slot >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
        panic("root CNode too small for the boot caps");
    put_cap(rs, slot, cap);
    return slot;
}

static const cap_type_t table_cap_types[ARCH_VSPACE_TABLE_LEVELS] = {
    CAP_PDPT, CAP_PAGE_DIRECTORY, CAP_PAGE_TABLE,
};

/* One table per level and per span touched by [start, end), top level first. */
static seL4_SlotRegion create_page_tables(struct rootserver *rs, vaddr_t start, vaddr_t end)
{
    seL4_SlotRegion region = { .start = rs->next_slot };
    for (unsigned level = 0; level < ARCH_VSPACE_TABLE_LEVELS; level++) {
        word_t span = BIT(arch_table_span_bits(level));
        for (vaddr_t va = ROUND_DOWN(start, span); va < end; va += span) {
            paddr_t table = alloc_zeroed(PAGE_SIZE, PAGE_SIZE, "page table");
            if (!arch_vspace_install_table(rs->vspace, level, va, table))
                panic("cannot install boot page table at %#lx", va);
            append_cap(rs, cap_set_mapping(cap_addr_new(table_cap_types[level], table), va,
                                           ROOT_ASID));
        }
    }
    region.end = rs->next_slot;
    return region;
}

static cap_t map_frame(struct rootserver *rs, vaddr_t va, paddr_t pa, bool exec)
{
    if (!arch_vspace_map_page(rs->vspace, va, pa, exec))
        panic("cannot map boot frame at %#lx", va);
    return cap_frame_new(pa, 0, VM_RIGHTS_READ_WRITE, false, va, ROOT_ASID);
}

static seL4_SlotRegion map_frames(struct rootserver *rs, vaddr_t va, paddr_t pa, word_t size,
                                  bool exec)
{
    seL4_SlotRegion region = { .start = rs->next_slot };
    for (word_t off = 0; off < size; off += PAGE_SIZE)
        append_cap(rs, map_frame(rs, va + off, pa + off, exec));
    region.end = rs->next_slot;
    return region;
}

static word_t extra_region_size(word_t len)
{
    word_t size = PAGE_SIZE;
    while (size < len)
        size <<= 1;
    return size;
}

static void init_root_tcb(struct rootserver *rs, vaddr_t entry)
{
    tcb_t *t = rs->tcb;
    arch_init_user_context(&t->ctx, entry, rs->bootinfo_vaddr);
    t->priority = ROOT_PRIORITY;
    t->mcp = ROOT_PRIORITY;
    t->domain = 0;
    t->timeslice = CONFIG_TIME_SLICE;
    t->ipc_buffer_vaddr = rs->ipc_buffer;
    /* The TCB holds derived copies of its CSpace, VSpace and buffer caps. */
    cte_t *cnode = rs->cnode;
    cdt_insert_derived(&cnode[seL4_CapInitThreadCNode], &t->slots[TCB_SLOT_CSPACE],
                       cnode[seL4_CapInitThreadCNode].cap);
    cdt_insert_derived(&cnode[seL4_CapInitThreadVSpace], &t->slots[TCB_SLOT_VSPACE],
                       cnode[seL4_CapInitThreadVSpace].cap);
    cdt_insert_derived(&cnode[seL4_CapInitThreadIPCBuffer], &t->slots[TCB_SLOT_IPC_BUFFER],
                       cnode[seL4_CapInitThreadIPCBuffer].cap);
    thread_set_name(t, "rootserver");
    thread_init_slots(t);
    thread_set_state(t, THREAD_RUNNING);
}

bool rootserver_create(struct rootserver *rs)
{
    struct elf_image img;
    const char *why = NULL;
    if (!elf_check(boot.rootserver_elf, boot.rootserver_size, &img, &why))
        panic("root task image rejected: %s", why);

    memset(rs, 0, sizeof(*rs));
    rs->image_start = img.start;
    rs->image_end = img.end;
    rs->ipc_buffer = img.end;
    rs->bootinfo_vaddr = img.end + PAGE_SIZE;
    rs->extra_vaddr = img.end + 2 * PAGE_SIZE;
    rs->extra_size = extra_region_size(bootinfo_extra_length());
    vaddr_t vspace_end = rs->extra_vaddr + rs->extra_size;

    /* Kernel objects first (largest alignment first keeps boot memory tidy). */
    word_t cnode_bytes = BIT(CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits);
    rs->cnode_paddr = alloc_zeroed(cnode_bytes, cnode_bytes, "root CNode");
    rs->cnode = paddr_to_kptr(rs->cnode_paddr);
    rs->vspace = alloc_zeroed(PAGE_SIZE, PAGE_SIZE, "root PML4");
    arch_vspace_init(rs->vspace);
    paddr_t tcb_pa = alloc_zeroed(BIT(TCB_OBJECT_BITS), BIT(TCB_OBJECT_BITS), "root TCB");
    rs->tcb = paddr_to_kptr(tcb_pa);
    paddr_t asid_pool = alloc_zeroed(PAGE_SIZE, PAGE_SIZE, "ASID pool");
    paddr_t ipc_pa = alloc_zeroed(PAGE_SIZE, PAGE_SIZE, "IPC buffer");
    paddr_t bi_pa = alloc_zeroed(PAGE_SIZE, PAGE_SIZE, "bootinfo");
    paddr_t extra_pa = alloc_zeroed(rs->extra_size, PAGE_SIZE, "extra bootinfo");
    paddr_t image_pa = alloc_zeroed(img.end - img.start, PAGE_SIZE, "root task image");
    elf_load(boot.rootserver_elf, paddr_to_kptr(image_pa), &img);
    rs->bootinfo = paddr_to_kptr(bi_pa);
    rs->extra = paddr_to_kptr(extra_pa);

    /* The fixed initial caps (boot.md §7). The root CNode's guard makes
     * CPtr k name slot k at depth 64. */
    cap_t cnode_cap = cap_cnode_new(rs->cnode_paddr, CONFIG_ROOT_CNODE_SIZE_BITS,
                                    64 - CONFIG_ROOT_CNODE_SIZE_BITS, 0);
    cap_t vspace_cap = cap_pml4_new(rs->vspace, ROOT_ASID);
    put_cap(rs, seL4_CapInitThreadTCB, cap_thread_new(rs->tcb));
    put_cap(rs, seL4_CapInitThreadCNode, cnode_cap);
    put_cap(rs, seL4_CapInitThreadVSpace, vspace_cap);
    put_cap(rs, seL4_CapIRQControl, cap_simple_new(CAP_IRQ_CONTROL));
    put_cap(rs, seL4_CapASIDControl, cap_simple_new(CAP_ASID_CONTROL));
    put_cap(rs, seL4_CapInitThreadASIDPool, cap_asid_pool_new(asid_pool, 0));
    put_cap(rs, seL4_CapIOPortControl, cap_simple_new(CAP_IO_PORT_CONTROL));
    put_cap(rs, seL4_CapDomain, cap_simple_new(CAP_DOMAIN));
    rs->next_slot = seL4_NumInitialCaps;

    seL4_BootInfo *bi = rs->bootinfo;
    bi->userImagePaging = create_page_tables(rs, img.start, vspace_end);
    put_cap(rs, seL4_CapInitThreadIPCBuffer, map_frame(rs, rs->ipc_buffer, ipc_pa, false));
    put_cap(rs, seL4_CapBootInfoFrame, map_frame(rs, rs->bootinfo_vaddr, bi_pa, false));
    bi->extraBIPages = map_frames(rs, rs->extra_vaddr, extra_pa, rs->extra_size, false);
    bi->userImageFrames = map_frames(rs, img.start, image_pa, img.end - img.start, true);

    asid_pool_install(0, asid_pool);
    asid_assign(ROOT_ASID, rs->vspace);
    init_root_tcb(rs, img.entry);
    return true;
}
