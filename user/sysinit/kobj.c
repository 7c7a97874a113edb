/*
 * Kernel objects for the initialiser: CNode slots, objects retyped from
 * the bootinfo untypeds, frame mappings (with the paging structures they
 * need) and the monitor's own window onto PD memory.
 *
 * The untyped allocator mirrors the kernel's rule for Retype: objects go
 * at the untyped's free index rounded up to the object size, one after
 * the other.  So n objects from one Retype call (or consecutive calls on
 * the same untyped) are physically contiguous, which is how memory
 * regions get contiguous frames, and a frame at a fixed physical address
 * is reached by first retyping filler untypeds up to it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysinit.h"

#define RETYPE_FAN_OUT 256          /* seL4's CONFIG_RETYPE_FAN_OUT_LIMIT */
#define WINDOW_BASE 0x8000000000ull /* PML4 slot 1: the monitor's view of PD pages */

static const seL4_BootInfo *boot;
static seL4_CPtr next_slot, end_slot;
static uint64_t *ut_used;           /* bytes consumed in each untyped */
static seL4_Word n_untyped;
static uint64_t window_next = WINDOW_BASE;

const char *err_str(seL4_Error e)
{
    static const char *const names[] = {
        "NoError", "InvalidArgument", "InvalidCapability", "IllegalOperation",
        "RangeError", "AlignmentError", "FailedLookup", "TruncatedMessage",
        "DeleteFirst", "RevokeFirst", "NotEnoughMemory",
    };

    return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown error";
}

void kobj_init(const seL4_BootInfo *bi)
{
    boot = bi;
    next_slot = bi->empty.start;
    end_slot = bi->empty.end;
    n_untyped = bi->untyped.end - bi->untyped.start;
    ut_used = calloc(n_untyped ? n_untyped : 1, sizeof(*ut_used));
    if (ut_used == NULL) {
        printf("sysinit: out of heap for the untyped table\n");
        abort();
    }
}

seL4_CPtr slot_alloc(seL4_Word n)
{
    seL4_CPtr first = next_slot;

    if (n == 0 || n > end_slot - next_slot)
        return 0;
    next_slot += n;
    return first;
}

static seL4_Word object_bits(seL4_Word type, seL4_Word size_bits)
{
    switch (type) {
    case seL4_UntypedObject: return size_bits;
    case seL4_TCBObject: return seL4_TCBBits;
    case seL4_EndpointObject: return seL4_EndpointBits;
    case seL4_NotificationObject: return seL4_NotificationBits;
    case seL4_CapTableObject: return size_bits + seL4_SlotBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    default: return seL4_PageBits;  /* 4K frames and all paging structures */
    }
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}

/* Retype n objects from untyped i (the caller checked they fit). */
static seL4_CPtr retype_from(seL4_Word i, seL4_Word type, seL4_Word size_bits, seL4_Word n)
{
    uint64_t obj = 1ull << object_bits(type, size_bits);
    seL4_CPtr first = slot_alloc(n);

    if (first == 0) {
        printf("sysinit: out of CNode slots\n");
        return 0;
    }
    for (seL4_Word done = 0; done < n;) {
        seL4_Word batch = n - done > RETYPE_FAN_OUT ? RETYPE_FAN_OUT : n - done;
        seL4_Error e = seL4_Untyped_Retype(boot->untyped.start + i, type, size_bits,
                                           seL4_CapInitThreadCNode, 0, 0, first + done, batch);
        if (e != seL4_NoError) {
            printf("sysinit: retype of %lu objects (type %lu) failed: %s\n",
                   (unsigned long)batch, (unsigned long)type, err_str(e));
            return 0;
        }
        ut_used[i] = align_up(ut_used[i], obj) + batch * obj;
        done += batch;
    }
    return first;
}

/* The smallest RAM untyped that still has room for n objects. */
static seL4_CPtr alloc_ram(seL4_Word type, seL4_Word size_bits, seL4_Word n)
{
    uint64_t obj = 1ull << object_bits(type, size_bits);
    seL4_Word best = n_untyped;

    for (seL4_Word i = 0; i < n_untyped; i++) {
        const seL4_UntypedDesc *u = &boot->untypedList[i];
        uint64_t cap = 1ull << u->sizeBits;

        if (u->isDevice || obj > cap || align_up(ut_used[i], obj) > cap ||
            n > (cap - align_up(ut_used[i], obj)) / obj)
            continue;
        if (best == n_untyped || u->sizeBits < boot->untypedList[best].sizeBits)
            best = i;
    }
    if (best == n_untyped) {
        printf("sysinit: out of memory for %lu objects of 2^%lu bytes\n", (unsigned long)n,
               (unsigned long)object_bits(type, size_bits));
        return 0;
    }
    return retype_from(best, type, size_bits, n);
}

seL4_CPtr obj_alloc(seL4_Word type, seL4_Word size_bits, seL4_Word n)
{
    return alloc_ram(type, size_bits, n);
}

/* Frames at [paddr, paddr + n << bits): find the untyped that holds them,
 * fill the gap before them with untypeds, then retype the frames. */
static seL4_CPtr alloc_fixed(seL4_Word type, seL4_Word bits, seL4_Word n, uint64_t paddr)
{
    uint64_t size = (uint64_t)n << bits;

    for (seL4_Word i = 0; i < n_untyped; i++) {
        const seL4_UntypedDesc *u = &boot->untypedList[i];
        uint64_t base = u->paddr, end = u->paddr + (1ull << u->sizeBits);
        uint64_t target;

        if (paddr < base || paddr + size > end)
            continue;
        target = paddr - base;
        if (ut_used[i] > target) {
            printf("sysinit: physical 0x%lx is already in use\n", (unsigned long)paddr);
            return 0;
        }
        while (ut_used[i] < target) {
            unsigned k = seL4_MaxUntypedBits;

            while (k > seL4_MinUntypedBits &&
                   (ut_used[i] % (1ull << k) != 0 || ut_used[i] + (1ull << k) > target))
                k--;
            if (retype_from(i, seL4_UntypedObject, k, 1) == 0)
                return 0;
        }
        return retype_from(i, type, bits, n);
    }
    printf("sysinit: no untyped covers physical 0x%lx-0x%lx\n", (unsigned long)paddr,
           (unsigned long)(paddr + size - 1));
    return 0;
}

seL4_CPtr frames_alloc(seL4_Word bits, seL4_Word n, int fixed, uint64_t paddr)
{
    seL4_Word type = bits == seL4_LargePageBits ? seL4_X86_LargePageObject : seL4_X86_4K;

    return fixed ? alloc_fixed(type, bits, n, paddr) : alloc_ram(type, 0, n);
}

seL4_Error cap_copy(seL4_CPtr dst_cnode, seL4_Word dst, seL4_Word dst_depth, seL4_CPtr src,
                    seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(dst_cnode, dst, (seL4_Uint8)dst_depth, seL4_CapInitThreadCNode, src,
                           64, rights);
}

seL4_Error cap_mint(seL4_CPtr dst_cnode, seL4_Word dst, seL4_Word dst_depth, seL4_CPtr src,
                    seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(dst_cnode, dst, (seL4_Uint8)dst_depth, seL4_CapInitThreadCNode, src,
                           64, rights, badge);
}

/*
 * Paging structures made so far: which vspace, level (1 = PDPT, 2 = page
 * directory, 3 = page table) and the base of the range it covers.  Keeping
 * this list means every Map call is expected to succeed (no probing with
 * calls that fail).  The initialiser's own image lives in PML4 slot 0 and
 * the window in slot 1, so the list starts empty for both.
 */
struct table_rec {
    seL4_CPtr vspace;
    uint64_t base;
    int level;
};

static struct table_rec *tables;
static size_t n_tables, cap_tables;

static const unsigned level_shift[] = { 0, 39, 30, 21 };

static int have_table(seL4_CPtr vspace, int level, uint64_t vaddr)
{
    uint64_t base = vaddr >> level_shift[level] << level_shift[level];

    for (size_t i = 0; i < n_tables; i++) {
        if (tables[i].vspace == vspace && tables[i].level == level && tables[i].base == base)
            return 1;
    }
    return 0;
}

static seL4_Error make_table(seL4_CPtr vspace, int level, uint64_t vaddr)
{
    static const seL4_Word types[] = { 0, seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                       seL4_X86_PageTableObject };
    seL4_CPtr t;
    seL4_Error e;

    if (n_tables == cap_tables) {
        size_t n = cap_tables ? 2 * cap_tables : 64;
        struct table_rec *grown = realloc(tables, n * sizeof(*tables));

        if (grown == NULL)
            return seL4_NotEnoughMemory;
        tables = grown;
        cap_tables = n;
    }
    t = obj_alloc(types[level], 0, 1);
    if (t == 0)
        return seL4_NotEnoughMemory;
    if (level == 1)
        e = seL4_X86_PDPT_Map(t, vspace, vaddr, seL4_X86_Default_VMAttributes);
    else if (level == 2)
        e = seL4_X86_PageDirectory_Map(t, vspace, vaddr, seL4_X86_Default_VMAttributes);
    else
        e = seL4_X86_PageTable_Map(t, vspace, vaddr, seL4_X86_Default_VMAttributes);
    if (e != seL4_NoError)
        return e;
    tables[n_tables].vspace = vspace;
    tables[n_tables].base = vaddr >> level_shift[level] << level_shift[level];
    tables[n_tables].level = level;
    n_tables++;
    return seL4_NoError;
}

seL4_Error map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word bits, uint64_t vaddr,
                     seL4_CapRights_t rights, seL4_X86_VMAttributes attr)
{
    int last = bits == seL4_PageBits ? 3 : 2;   /* a 2 MiB frame sits in a page directory */

    for (int level = 1; level <= last; level++) {
        if (!have_table(vspace, level, vaddr)) {
            seL4_Error e = make_table(vspace, level, vaddr);

            if (e != seL4_NoError)
                return e;
        }
    }
    return seL4_X86_Page_Map(frame, vspace, vaddr, rights, attr);
}

void *window_map(seL4_CPtr frame)
{
    seL4_CPtr copy = slot_alloc(1);
    uint64_t va = window_next;
    seL4_Error e;

    if (copy == 0)
        return NULL;
    e = cap_copy(seL4_CapInitThreadCNode, copy, 64, frame, seL4_AllRights);
    if (e == seL4_NoError)
        e = map_frame(seL4_CapInitThreadVSpace, copy, seL4_PageBits, va, seL4_ReadWrite,
                      seL4_X86_Default_VMAttributes);
    if (e != seL4_NoError) {
        printf("sysinit: mapping a PD page into the monitor failed: %s\n", err_str(e));
        return NULL;
    }
    window_next += PAGE_SIZE;
    return (void *)(uintptr_t)va;
}
