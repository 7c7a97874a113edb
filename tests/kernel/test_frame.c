/*
 * FRAME_*: frame caps (objects.md §4.3, invocations.md §2.7): Page_Map into
 * the root VSpace and others, rights and VM attributes, remapping, the
 * one-mapping-per-cap rule, overwriting (README point 6), Unmap, deleting
 * mapped frames, 2 MiB and 1 GiB frames, GetAddress, and every Page_Map
 * error in the documented order.
 *
 * Memory is observed by the root task directly only where a correct kernel
 * must have a mapping in place; everything else goes through probes
 * (vm_util.h), threads whose faults do not harm the root task.
 */
#include <stdio.h>
#include "vm_util.h"

extern char __executable_start[];

#define RW  seL4_ReadWrite
#define RO  seL4_CanRead
#define DEF seL4_X86_Default_VMAttributes

static seL4_Error map(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t r)
{
    return seL4_X86_Page_Map(frame, vspace, va, r, DEF);
}

static seL4_Word pattern(seL4_Word seed)
{
    return seed * 0x9E3779B97F4A7C15UL ^ 0x5A5A0000A5A5UL;
}

/*
 * A child untyped of 2^bits bytes retyped directly from a RAM (or device)
 * boot untyped, with its expected physical address: the boot untyped's
 * paddr (bootinfo) + its current free offset (ut_free_bytes), aligned up to
 * the object size (objects.md §3.2 steps 4-7).
 */
static seL4_CPtr carve_known(unsigned bits, bool device, seL4_Word *paddr)
{
    seL4_Word n = ut_count();
    for (unsigned size = bits; size <= 40; size++) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = ut_desc(i);
            if (d->sizeBits != size || (d->isDevice != 0) != device)
                continue;
            seL4_Word fb = ut_free_bytes(ut_slot(i));
            if (fb == (seL4_Word)-1 || fb < (1UL << bits))
                continue;
            seL4_Word start = d->paddr + ((1UL << size) - fb);
            seL4_Word want = (start + (1UL << bits) - 1) & ~((1UL << bits) - 1);
            if (want + (1UL << bits) > d->paddr + (1UL << size))
                continue;
            seL4_CPtr s = slot_alloc();
            if (s == 0)
                return 0;
            if (seL4_Untyped_Retype(ut_slot(i), seL4_UntypedObject, bits, ROOT_CNODE, 0, 0, s,
                                    1) == seL4_NoError) {
                *paddr = want;
                return s;
            }
            slot_free(s);
        }
    }
    return 0;
}

/* The store used by threads that must fault and later be resumed. */
static struct {
    seL4_Word addr, value;
} st;

static void store_fn(void *arg)
{
    (void)arg;
    vm_store64(st.addr, st.value);
}

/* ------------------------------------------------------------------------- */

VMTEST(FRAME_0001, "a new 4 KiB frame maps read-write into the root VSpace: reads 0, keeps writes")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region() + 0x123000;
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    for (seL4_Word off = 0; off < VM_4K; off += 8)
        EXPECT(peek(va + off) == 0, "new frame: word at +%#lx is %#lx", (unsigned long)off,
               (unsigned long)peek(va + off));
    for (seL4_Word off = 0; off < VM_4K; off += 8)
        poke(va + off, pattern(off));
    for (seL4_Word off = 0; off < VM_4K; off += 8)
        EXPECT(peek(va + off) == pattern(off), "word at +%#lx lost", (unsigned long)off);
    EXPECT_READ(NULL, va + 0x800, pattern(0x800));      /* another thread, same VSpace */
    EXPECT_WRITE(NULL, va + 0x808, 77);
    EXPECT(peek(va + 0x808) == 77, "write of the probe thread not seen");
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va);
    return PASS;
}

VMTEST(FRAME_0002, "GetAddress: reply length 1 with the physical address = untyped base + offset")
{
    seL4_Word base;
    seL4_CPtr ut = carve_known(16, false, &base);
    EXPECT(ut != 0, "no RAM boot untyped with 64 KiB free");
    seL4_CPtr fr = slot_alloc_range(3);
    EXPECT(fr != 0, "no slots");
    EXPECT_ERR(seL4_Untyped_Retype(ut, seL4_X86_4K, 0, ROOT_CNODE, 0, 0, fr, 3), seL4_NoError);
    for (seL4_Word k = 0; k < 3; k++) {
        seL4_Word pa = vm_paddr(fr + k);
        EXPECT(pa == base + k * VM_4K, "frame %lu at %#lx, expected %#lx", (unsigned long)k,
               (unsigned long)pa, (unsigned long)(base + k * VM_4K));
    }
    /* Reply format (invocations.md X86PageGetAddress): label 0, length 1. */
    seL4_MessageInfo_t info = raw_call(fr + 1, X86PageGetAddress, 0, 0, NULL, NULL, 0);
    EXPECT(seL4_MessageInfo_get_label(info) == 0 && seL4_MessageInfo_get_length(info) == 1,
           "reply label %lu length %lu", (unsigned long)seL4_MessageInfo_get_label(info),
           (unsigned long)seL4_MessageInfo_get_length(info));
    EXPECT(seL4_GetMR(0) == base + VM_4K, "MR0 %#lx", (unsigned long)seL4_GetMR(0));
    /* Mapped or not, and through a copy: the same address. */
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    EXPECT_ERR(vs_map(&vs, fr, 12, va, RW), seL4_NoError);
    EXPECT(vm_paddr(fr) == base, "mapped frame: %#lx", (unsigned long)vm_paddr(fr));
    VM_COPY(c, fr + 2, seL4_CanRead);
    EXPECT(vm_paddr(c) == base + 2 * VM_4K, "copy: %#lx", (unsigned long)vm_paddr(c));
    /* A 2 MiB frame: naturally aligned, at its untyped's base. */
    seL4_Word lbase;
    seL4_CPtr lut = carve_known(21, false, &lbase);
    EXPECT(lut != 0, "no RAM boot untyped with 2 MiB free");
    seL4_CPtr large = mk_obj(lut, seL4_X86_LargePageObject, 0, NULL);
    EXPECT(large != 0, "Retype of a large frame failed");
    EXPECT(vm_paddr(large) == lbase, "large frame at %#lx, expected %#lx",
           (unsigned long)vm_paddr(large), (unsigned long)lbase);
    EXPECT((lbase & (VM_2M - 1)) == 0, "untyped of 2^21 not aligned");
    return PASS;
}

VMTEST(FRAME_0003, "GetAddress of a device frame: the device untyped's physical address + offset")
{
    seL4_Word base;
    seL4_CPtr ut = carve_known(12, true, &base);
    EXPECT(ut != 0, "no device boot untyped with 4 KiB free");
    seL4_CPtr f = mk_obj(ut, seL4_X86_4K, 0, NULL);
    EXPECT(f != 0, "Retype of a device frame failed");
    EXPECT_TYPE(f, CT_FRAME);
    EXPECT(vm_paddr(f) == base, "device frame at %#lx, expected %#lx", (unsigned long)vm_paddr(f),
           (unsigned long)base);
    return PASS;
}

static bool in_some_untyped(seL4_Word pa)
{
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        if (pa >= d->paddr && pa - d->paddr < (1UL << d->sizeBits))
            return true;
    }
    return false;
}

VMTEST(FRAME_0004, "boot frames: the image is physically contiguous and no boot frame lies in an untyped")
{
    /* boot.md §2: [start, end) is one contiguous physical block; §8: the
     * image and the root-task objects are never part of an untyped. */
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start;
    EXPECT(n > 0, "no userImageFrames");
    seL4_Word p0 = vm_paddr(bi->userImageFrames.start);
    EXPECT(p0 != (seL4_Word)-1 && (p0 & (VM_4K - 1)) == 0, "first image frame at %#lx",
           (unsigned long)p0);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Word pa = vm_paddr(bi->userImageFrames.start + i);
        EXPECT(pa == p0 + i * VM_4K, "image frame %lu at %#lx, expected %#lx", (unsigned long)i,
               (unsigned long)pa, (unsigned long)(p0 + i * VM_4K));
        EXPECT(!in_some_untyped(pa), "image frame %lu (%#lx) is inside an untyped",
               (unsigned long)i, (unsigned long)pa);
    }
    seL4_Word ipc = vm_paddr(seL4_CapInitThreadIPCBuffer);
    seL4_Word bif = vm_paddr(seL4_CapBootInfoFrame);
    EXPECT(ipc != (seL4_Word)-1 && !in_some_untyped(ipc), "IPC buffer frame %#lx",
           (unsigned long)ipc);
    EXPECT(bif != (seL4_Word)-1 && !in_some_untyped(bif), "bootinfo frame %#lx",
           (unsigned long)bif);
    EXPECT(ipc != bif, "IPC buffer and bootinfo share a frame");
    for (seL4_CPtr s = bi->extraBIPages.start; s < bi->extraBIPages.end; s++) {
        seL4_Word pa = vm_paddr(s);
        EXPECT(pa != (seL4_Word)-1 && !in_some_untyped(pa), "extra bootinfo frame %#lx",
               (unsigned long)pa);
    }
    return PASS;
}

VMTEST(FRAME_0005, "two caps to one frame map at two addresses that alias the same memory")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    VM_COPY(c, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, f, 12, va + 0x1000, RW), seL4_NoError);
    EXPECT_ERR(vs_map(&vs, c, 12, va + 0x7000, RW), seL4_NoError);
    EXPECT(vm_paddr(f) == vm_paddr(c), "copy has another address");
    poke(va + 0x1010, 0xABCDEF);
    EXPECT(peek(va + 0x7010) == 0xABCDEF, "alias reads %#lx", (unsigned long)peek(va + 0x7010));
    poke(va + 0x7FF8, 42);
    EXPECT(peek(va + 0x1FF8) == 42, "write through the alias not seen");
    return PASS;
}

VMTEST(FRAME_0006, "a frame cap holds one mapping: elsewhere → InvalidArgument/InvalidCapability; copies map")
{
    VS_ROOT(vs);
    VS_CREATE(other);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    EXPECT_ERR(vs_tables(&other, va, 3), seL4_NoError);
    /* objects.md §4.3 remap rule / invocations.md X86PageMap step 3. */
    EXPECT_ERR(map(f, vs.pml4, va + 0x1000, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(map(f, other.pml4, va, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* A copy starts unmapped (capabilities.md §7) and maps anywhere once. */
    VM_COPY(c, f, seL4_AllRights);
    EXPECT_ERR(map(c, vs.pml4, va + 0x1000, RW), seL4_NoError);
    EXPECT_ERR(map(c, vs.pml4, va + 0x2000, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    VM_COPY(c2, f, seL4_AllRights);
    EXPECT_ERR(map(c2, other.pml4, va, RW), seL4_NoError);
    /* Copying a mapped cap does not copy the mapping: unmapping a fresh
     * copy leaves the original's mapping alone. */
    VM_COPY(c3, f, seL4_AllRights);
    EXPECT_ERR(seL4_X86_Page_Unmap(c3), seL4_NoError);
    poke(va + 0x1008, 0x600D);
    EXPECT_READ(NULL, va + 8, 0x600D);
    EXPECT_READ(&other, va + 8, 0x600D);
    return PASS;
}

VMTEST(FRAME_0007, "remap at the same address changes rights: RW→RO faults a store, RO→RW lets it finish")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region() + 0x4000;
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    poke(va, 1111);
    EXPECT_ERR(map(f, vs.pml4, va, RO), seL4_NoError);
    EXPECT(peek(va) == 1111, "read-only remap lost the contents");
    st.addr = va;
    st.value = 2222;
    VM_THREAD(t, NULL, store_fn, NULL);
    vm_settle();
    EXPECT_FAULTED_AT(t, vm_store64_insn, va);
    EXPECT(peek(va) == 1111, "the faulting store changed memory");
    /* Remap read-write; the thread restarts at the store (faults.md §4,
     * objects.md §7.1: Resume of an Inactive thread → Restart). */
    EXPECT_ERR(map(f, vs.pml4, va, RW), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    vm_settle();
    EXPECT(t->done, "thread did not finish after the RW remap");
    EXPECT(peek(va) == 2222, "store after the remap: %lu", (unsigned long)peek(va));
    return PASS;
}

VMTEST(FRAME_0008, "read-only mapping (rights CanRead): loads work, a store faults and changes nothing")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    VM_COPY(alias, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, alias, 12, va + 0x10000, RW), seL4_NoError);
    poke(va + 0x10000 + 0x40, 0x1234);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RO), seL4_NoError);
    EXPECT(peek(va + 0x40) == 0x1234, "root read through the RO mapping");
    EXPECT_READ(NULL, va + 0x40, 0x1234);
    EXPECT_WRITE_FAULT(NULL, va + 0x40);
    EXPECT(peek(va + 0x10040) == 0x1234, "memory changed by a faulting store");
    /* AllRights on a ReadWrite cap = read-write. */
    VM_COPY(c, f, seL4_AllRights);
    EXPECT_ERR(map(c, vs.pml4, va + 0x2000, seL4_AllRights), seL4_NoError);
    EXPECT_WRITE(NULL, va + 0x2040, 0x5678);
    EXPECT(peek(va + 0x10040) == 0x5678, "store through the AllRights mapping not seen");
    return PASS;
}

VMTEST(FRAME_0009, "effective rights = cap VM rights masked by the Map rights (capabilities.md §3)")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    poke(va + 8, 99);
    /* ReadOnly cap (copy masked with CanRead) mapped with ReadWrite → RO. */
    VM_COPY(ro, f, seL4_CanRead);
    EXPECT_ERR(map(ro, vs.pml4, va + 0x1000, RW), seL4_NoError);
    EXPECT_READ(NULL, va + 0x1008, 99);
    EXPECT_WRITE_FAULT(NULL, va + 0x1008);
    /* RO & ReadWrite stays RO. */
    VM_COPY(ro2, ro, seL4_ReadWrite);
    EXPECT_ERR(map(ro2, vs.pml4, va + 0x2000, seL4_AllRights), seL4_NoError);
    EXPECT_READ(NULL, va + 0x2008, 99);
    EXPECT_WRITE_FAULT(NULL, va + 0x2008);
    /* No Read in the copy mask → KernelOnly: no user access at all. */
    VM_COPY(ko, f, seL4_CanWrite);
    EXPECT_ERR(map(ko, vs.pml4, va + 0x3000, RW), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x3008);
    EXPECT_WRITE_FAULT(NULL, va + 0x3008);
    VM_COPY(ko2, f, seL4_NoRights);
    EXPECT_ERR(map(ko2, vs.pml4, va + 0x4000, RW), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x4008);
    /* KernelOnly & Read stays KernelOnly. */
    VM_COPY(ko3, ko, seL4_CanRead);
    EXPECT_ERR(map(ko3, vs.pml4, va + 0x5000, RW), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x5008);
    /* ReadWrite cap with Map rights CanWrite only or NoRights → inaccessible. */
    VM_COPY(w, f, seL4_AllRights);
    EXPECT_ERR(map(w, vs.pml4, va + 0x6000, seL4_CanWrite), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x6008);
    EXPECT_WRITE_FAULT(NULL, va + 0x6008);
    VM_COPY(n, f, seL4_AllRights);
    EXPECT_ERR(map(n, vs.pml4, va + 0x7000, seL4_NoRights), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x7008);
    EXPECT(peek(va + 8) == 99, "memory changed");
    return PASS;
}

VMTEST(FRAME_0010, "Unmap: accesses fault afterwards, the cap can map elsewhere, repeated Unmap succeeds")
{
    VS_ROOT(vs);
    VS_CREATE(other);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va + 0x3000, RW), seL4_NoError);
    poke(va + 0x3100, 0xFEED);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x3100);
    EXPECT_WRITE_FAULT(NULL, va + 0x3100);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    VM_FRAME(never, 12);
    EXPECT_ERR(seL4_X86_Page_Unmap(never), seL4_NoError);
    /* The cap's mapping record is cleared: it maps at another address
     * and in another VSpace, and the contents survived. */
    EXPECT_ERR(map(f, vs.pml4, va + 0x5000, RW), seL4_NoError);
    EXPECT_READ(NULL, va + 0x5100, 0xFEED);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_ERR(vs_map(&other, f, 12, va + 0x3000, RW), seL4_NoError);
    EXPECT_READ(&other, va + 0x3100, 0xFEED);
    EXPECT_READ_FAULT(NULL, va + 0x5100);
    return PASS;
}

VMTEST(FRAME_0011, "mapping over a mapped frame replaces it; Unmap of the replaced cap leaves the new one")
{
    /* abi README point 6 / objects.md §4.3: an existing frame mapping in
     * the slot is silently replaced; Unmap removes the translation only if
     * the slot still maps that frame. */
    VS_ROOT(vs);
    seL4_Word va = vm_region() + 0x8000;
    VM_FRAME(a, 12);
    VM_FRAME(b, 12);
    VM_COPY(b2, b, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, a, 12, va, RW), seL4_NoError);
    EXPECT_ERR(vs_map(&vs, b, 12, va + 0x1000, RW), seL4_NoError);
    poke(va, 0xAAAA);
    poke(va + 0x1000, 0xBBBB);
    EXPECT_ERR(map(b2, vs.pml4, va, RW), seL4_NoError);
    EXPECT_READ(NULL, va, 0xBBBB);
    /* a's cap still records va: mapping it elsewhere is refused. */
    EXPECT_ERR(map(a, vs.pml4, va + 0x2000, RW), seL4_InvalidArgument);
    EXPECT_ERR(seL4_X86_Page_Unmap(a), seL4_NoError);
    EXPECT_READ(NULL, va, 0xBBBB);
    EXPECT_ERR(seL4_X86_Page_Unmap(b2), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va);
    EXPECT_ERR(map(a, vs.pml4, va, RW), seL4_NoError);
    EXPECT_READ(NULL, va, 0xAAAA);
    return PASS;
}

VMTEST(FRAME_0012, "deleting a mapped frame cap unmaps it (copy or last cap); revoking the untyped too")
{
    /* objects.md §4.3: "Deleting a mapped frame cap unmaps it." Each frame
     * cap holds its own mapping (capabilities.md §7), so this holds for
     * every cap, not only the last one (§10 lists the last-cap case). */
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    VM_COPY(c, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    EXPECT_ERR(vs_map(&vs, c, 12, va + 0x1000, RW), seL4_NoError);
    poke(va + 0x10, 0xC0FFEE);
    EXPECT_ERR(r_delete(c), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x1010);
    EXPECT_READ(NULL, va + 0x10, 0xC0FFEE);
    EXPECT_ERR(r_delete(f), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x10);
    /* Revoking the untyped deletes its mapped frames too. */
    NEW_UT(ut, 12);
    NEW_OBJ(g, ut, seL4_X86_4K, 0);
    EXPECT_ERR(vs_map(&vs, g, 12, va + 0x2000, RW), seL4_NoError);
    poke(va + 0x2000, 1);
    EXPECT_ERR(r_revoke(ut), seL4_NoError);
    EXPECT_TYPE(g, CT_NULL);
    EXPECT_READ_FAULT(NULL, va + 0x2000);
    return PASS;
}

VMTEST(FRAME_0013, "2 MiB frame in a page-directory slot: zeroed, contiguous 2 MiB, aliases, 4 KiB map under it fails")
{
    VS_ROOT(vs);
    seL4_Word base = vm_region();
    seL4_Word va = base + 3 * VM_2M;
    VM_FRAME(big, 21);
    EXPECT_TYPE(big, CT_FRAME);
    EXPECT((vm_paddr(big) & (VM_2M - 1)) == 0, "paddr %#lx", (unsigned long)vm_paddr(big));
    EXPECT_ERR(vs_map(&vs, big, 21, va, RW), seL4_NoError);
    for (seL4_Word off = 0; off < VM_2M; off += 0x1000)
        EXPECT(peek(va + off) == 0, "word at +%#lx not zero", (unsigned long)off);
    for (seL4_Word off = 0; off < VM_2M; off += 0x1000)
        poke(va + off + 8, pattern(off));
    poke(va + VM_2M - 8, 0xE2D);
    VM_COPY(alias, big, seL4_AllRights);
    EXPECT_ERR(map(alias, vs.pml4, base + 5 * VM_2M, RW), seL4_NoError);
    for (seL4_Word off = 0; off < VM_2M; off += 0x1000)
        EXPECT(peek(base + 5 * VM_2M + off + 8) == pattern(off), "alias differs at +%#lx",
               (unsigned long)off);
    EXPECT(peek(base + 6 * VM_2M - 8) == 0xE2D, "last word of the alias");
    EXPECT_READ(NULL, va + 0x1FF008, pattern(0x1FF000));
    /* The PD slot holds a frame, not a page table (invocations.md §2.6/§2.7). */
    VM_FRAME(small, 12);
    EXPECT_ERR(map(small, vs.pml4, va + 0x1000, RW), seL4_FailedLookup);
    EXPECT_MISSING(21);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs.pml4, va, DEF), seL4_DeleteFirst);
    EXPECT_ERR(seL4_X86_Page_Unmap(big), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 8);
    EXPECT_READ(NULL, base + 5 * VM_2M + 8, pattern(0));
    /* Now the slot is free for a page table. */
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs.pml4, va, DEF), seL4_NoError);
    return PASS;
}

VMTEST(FRAME_0014, "2 MiB frame errors: missing levels (39/30), alignment, a page table in the slot")
{
    seL4_Word base = vm_region();
    VM_FRAME(big, 21);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    EXPECT_ERR(map(big, root, base, RW), seL4_FailedLookup);
    EXPECT_MISSING(39);
    /* Alignment (step 5) comes before the page walk (step 6). */
    EXPECT_ERR(map(big, root, base + 0x1000, RW), seL4_AlignmentError);
    EXPECT_ERR(seL4_X86_PDPT_Map(pdpt, root, base, DEF), seL4_NoError);
    EXPECT_ERR(map(big, root, base, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd, root, base, DEF), seL4_NoError);
    EXPECT_ERR(map(big, root, base + 0x1000, RW), seL4_AlignmentError);
    EXPECT_ERR(map(big, root, base + 0x100000, RW), seL4_AlignmentError);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, root, base, DEF), seL4_NoError);
    EXPECT_ERR(map(big, root, base, RW), seL4_DeleteFirst);
    EXPECT_ERR(map(big, root, base + VM_2M, RW), seL4_NoError);
    poke(base + VM_2M + 16, 3);
    EXPECT(peek(base + VM_2M + 16) == 3, "large page not writable");
    return PASS;
}

VMTEST(FRAME_0015, "1 GiB frame in a PDPT slot: access across it; alignment, DeleteFirst, lookups below it")
{
    VS_ROOT(vs);
    seL4_Word base = vm_region();
    seL4_CPtr root = vs.pml4;
    VM_FRAME(huge, 30);
    EXPECT_TYPE(huge, CT_FRAME);
    EXPECT((vm_paddr(huge) & (VM_1G - 1)) == 0, "paddr %#lx", (unsigned long)vm_paddr(huge));
    /* vaddr + 1 GiB above the user range (step 3), before anything else. */
    EXPECT_ERR(map(huge, root, 0x7FFFC0000000UL, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(map(huge, root, base + VM_1G, RW), seL4_FailedLookup);
    EXPECT_MISSING(39);
    EXPECT_ERR(vs_tables(&vs, base, 2), seL4_NoError);      /* PDPT + PD at base */
    EXPECT_ERR(map(huge, root, base + VM_1G + VM_2M, RW), seL4_AlignmentError);
    EXPECT_ERR(map(huge, root, base, RW), seL4_DeleteFirst);
    EXPECT_ERR(map(huge, root, base + VM_1G, RW), seL4_NoError);
    seL4_Word va = base + VM_1G;
    const seL4_Word offs[] = { 0, 0x1000, VM_2M, VM_1G / 2, VM_1G - 4096, VM_1G - 8 };
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
        EXPECT(peek(va + offs[i]) == 0, "+%#lx not zero", (unsigned long)offs[i]);
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
        poke(va + offs[i], pattern(offs[i]));
    for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
        EXPECT(peek(va + offs[i]) == pattern(offs[i]), "+%#lx lost", (unsigned long)offs[i]);
    EXPECT_READ(NULL, va + VM_1G / 2, pattern(VM_1G / 2));
    /* Below a 1 GiB page nothing can be mapped: it counts as "no page
     * directory" (bitsLeft 30), and a PD cannot replace it. */
    VM_NEW(pd2, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd2, root, va, DEF), seL4_DeleteFirst);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, root, va, DEF), seL4_FailedLookup);
    EXPECT_MISSING(30);
    VM_FRAME(small, 12);
    EXPECT_ERR(map(small, root, va + 0x5000, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    VM_FRAME(big, 21);
    EXPECT_ERR(map(big, root, va + VM_2M, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    EXPECT_ERR(seL4_X86_Page_Unmap(huge), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + VM_1G / 2);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd2, root, va, DEF), seL4_NoError);
    return PASS;
}

VMTEST(FRAME_0016, "Page_Map errors 1-3: TruncatedMessage, vspace not a PML4 with an ASID, address out of range")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    EXPECT_ERR(vs_tables(&vs, va, 3), seL4_NoError);
    VM_FRAME(f, 12);
    const seL4_CPtr root[1] = { seL4_CapInitThreadVSpace };
    const seL4_Word mr[3] = { va, seL4_ReadWrite.words[0], 0 };
    seL4_MessageInfo_t i = raw_call(f, X86PageMap, 2, 1, root, mr, 3);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_TruncatedMessage, "length 2: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    i = raw_call(f, X86PageMap, 3, 0, NULL, mr, 3);
    EXPECT(seL4_MessageInfo_get_label(i) == seL4_TruncatedMessage, "no cap: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    /* cap0 must be a PML4 cap with an ASID (step 2). */
    VM_NEW(ep, seL4_EndpointObject);
    VM_NEW(bare, seL4_X64_PML4Object);
    seL4_CPtr pdpt = vs_table(&vs, va, 1);
    NEW_SLOT(empty);
    const seL4_CPtr bad[] = { ep, bare, pdpt, f, seL4_CapInitThreadASIDPool, ROOT_CNODE, empty,
                              vm_ut() };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(map(f, bad[k], va, RW), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    /* ... before the address checks. */
    EXPECT_ERR(map(f, bare, VM_KERNEL_VADDR, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* Address above the user range (step 3), before ASID/alignment/lookup. */
    const seL4_Word high[] = { VM_KERNEL_VADDR, VM_NONCANONICAL, 0xFFFFFFFFFFFFF000UL,
                               0x7FFFFFFFF000UL, VM_KERNEL_VADDR + 0x800, 0xFFFFFFFF80100000UL };
    for (unsigned k = 0; k < sizeof(high) / sizeof(high[0]); k++) {
        EXPECT_ERR(map(f, root[0], high[k], RW), seL4_InvalidArgument);
        EXPECT_MRS(0);
    }
    EXPECT_ERR(map(f, root[0], va, RW), seL4_NoError);
    return PASS;
}

VMTEST(FRAME_0017, "top of user space: last 4 KiB page at 0x7FFFFFFFE000 maps, the next one does not")
{
    /* objects.md §4.1: frames need vaddr + size <= 0x7FFFFFFFFFFF. Uses PML4
     * entry 255 (vm_region() never hands it out). */
    VS_ROOT(vs);
    seL4_CPtr root = vs.pml4;
    const seL4_Word last = 0x7FFFFFFFE000UL;
    EXPECT(seL4_UserTop == last + VM_4K, "seL4_UserTop %#lx", (unsigned long)seL4_UserTop);
    EXPECT_ERR(vs_tables(&vs, last, 3), seL4_NoError);
    VM_FRAME(f, 12);
    EXPECT_ERR(map(f, root, seL4_UserTop, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(map(f, root, last, RW), seL4_NoError);
    poke(last + VM_4K - 8, 0x70B);
    EXPECT(peek(last + VM_4K - 8) == 0x70B, "top page");
    /* 2 MiB: the last 2 MiB slot ends at 0x800000000000 → refused; the one
     * below is fine. */
    VM_FRAME(big, 21);
    EXPECT_ERR(map(big, root, 0x7FFFFFE00000UL, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(map(big, root, 0x7FFFFFC00000UL, RW), seL4_NoError);
    /* Page tables: vaddr <= 0x7FFFFFFFFFFF is accepted and rounded down
     * (here onto the slot that already holds a table). */
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, root, 0x7FFFFFFFFFFFUL, DEF), seL4_DeleteFirst);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, root, VM_NONCANONICAL, DEF), seL4_InvalidArgument);
    EXPECT_MRS(0);
    return PASS;
}

VMTEST(FRAME_0018, "Page_Map AlignmentError: unaligned vaddr, checked after the ASID and before the page walk")
{
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    seL4_CPtr root = vs.pml4;
    /* No PDPT yet: still AlignmentError (step 5 before step 6). */
    EXPECT_ERR(map(f, root, va + 0x800, RW), seL4_AlignmentError);
    EXPECT_ERR(vs_tables(&vs, va, 3), seL4_NoError);
    const seL4_Word off[] = { 1, 8, 0x800, 0xFFF };
    for (unsigned k = 0; k < sizeof(off) / sizeof(off[0]); k++)
        EXPECT_ERR(map(f, root, va + 0x3000 + off[k], RW), seL4_AlignmentError);
    EXPECT_ERR(map(f, root, va + 0x3000, RW), seL4_NoError);
    return PASS;
}

VMTEST(FRAME_0019, "4 KiB Page_Map without the levels: FailedLookup MissingCapability 39, 30, 21")
{
    seL4_Word va = vm_region() + 0x40000000UL + 0x7000;
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    VM_FRAME(f, 12);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(map(f, root, va, RW), seL4_FailedLookup);
    EXPECT_MISSING(39);
    EXPECT_ERR(seL4_X86_PDPT_Map(pdpt, root, va, DEF), seL4_NoError);
    EXPECT_ERR(map(f, root, va, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(pd, root, va, DEF), seL4_NoError);
    EXPECT_ERR(map(f, root, va, RW), seL4_FailedLookup);
    EXPECT_MISSING(21);
    /* A table for another 2 MiB does not help. */
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, root, va + VM_2M, DEF), seL4_NoError);
    EXPECT_ERR(map(f, root, va, RW), seL4_FailedLookup);
    EXPECT_MISSING(21);
    EXPECT_ERR(map(f, root, va + VM_2M, RW), seL4_NoError);
    poke(va + VM_2M, 5);
    EXPECT(peek(va + VM_2M) == 5, "mapped page");
    return PASS;
}

VMTEST(FRAME_0020, "Page_Map of a mapped cap: other VSpace → InvalidCapability(1) before the address checks")
{
    VS_ROOT(vs);
    VS_CREATE(other);
    seL4_Word va = vm_region() + 0x2000;
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    EXPECT_ERR(map(f, other.pml4, VM_KERNEL_VADDR, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(map(f, other.pml4, va, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* Same VSpace, other address (even a kernel or unaligned one). */
    EXPECT_ERR(map(f, vs.pml4, VM_KERNEL_VADDR, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(map(f, vs.pml4, va + 1, RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    /* Step 2 still comes first. */
    VM_NEW(bare, seL4_X64_PML4Object);
    EXPECT_ERR(map(f, bare, va, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* Same VSpace, same address: a remap (new rights/attributes). */
    EXPECT_ERR(seL4_X86_Page_Map(f, vs.pml4, va, RO, seL4_X86_CacheDisabled), seL4_NoError);
    EXPECT_ERR(seL4_X86_Page_Map(f, vs.pml4, va, RW, seL4_X86_WriteBack), seL4_NoError);
    poke(va, 9);
    EXPECT(peek(va) == 9, "after remaps");
    return PASS;
}

VMTEST(FRAME_0021, "VM attributes WriteThrough/CacheDisabled/Uncacheable/WriteCombining give working mappings")
{
    static const seL4_X86_VMAttributes attrs[] = {
        seL4_X86_WriteBack, seL4_X86_WriteThrough, seL4_X86_CacheDisabled,
        seL4_X86_Uncacheable, seL4_X86_WriteCombining,
    };
    EXPECT(seL4_X86_WriteThrough == 1 && seL4_X86_CacheDisabled == 2 &&
           seL4_X86_Uncacheable == 3 && seL4_X86_WriteCombining == 4,
           "attribute values (objects.md §4.3)");
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    EXPECT_ERR(vs_map(&vs, f, 12, va, RW), seL4_NoError);
    for (unsigned k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++) {
        VM_COPY(c, f, seL4_AllRights);
        seL4_Word cva = va + (k + 1) * VM_4K;
        EXPECT_ERR(seL4_X86_Page_Map(c, vs.pml4, cva, RW, attrs[k]), seL4_NoError);
        poke(cva + 8 * k, pattern(k));
        EXPECT(peek(va + 8 * k) == pattern(k), "attr %u: write not seen through WB alias", k);
        poke(va + 8 * k + 0x100, pattern(k + 100));
        EXPECT(peek(cva + 8 * k + 0x100) == pattern(k + 100), "attr %u: read", k);
    }
    /* Page tables take attributes too (only PWT/PCD used). */
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Map(pt, vs.pml4, va + VM_2M, seL4_X86_CacheDisabled),
               seL4_NoError);
    VM_FRAME(g, 12);
    EXPECT_ERR(map(g, vs.pml4, va + VM_2M, RW), seL4_NoError);
    poke(va + VM_2M, 4);
    EXPECT(peek(va + VM_2M) == 4, "page under a cache-disabled table");
    return PASS;
}

VMTEST(FRAME_0022, "frame caps accept only Map, Unmap and GetAddress: other labels → IllegalOperation")
{
    VM_FRAME(f, 12);
    static const seL4_Word labels[] = {
        InvalidInvocation, UntypedRetype, TCBSuspend, CNodeCopy, X86PDPTMap, X86PDPTUnmap,
        X86PageDirectoryMap, X86PageTableMap, X86PageTableUnmap, X86ASIDControlMakePool,
        X86ASIDPoolAssign, X86IOPortIn8, 200,
    };
    const seL4_CPtr caps[1] = { seL4_CapInitThreadVSpace };
    const seL4_Word mr[4] = { 0x10000000, 0, 0, 0 };
    for (unsigned k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
        seL4_MessageInfo_t i = raw_call(f, labels[k], 4, 1, caps, mr, 4);
        EXPECT(seL4_MessageInfo_get_label(i) == seL4_IllegalOperation, "label %lu: %s",
               (unsigned long)labels[k], err_name(seL4_MessageInfo_get_label(i)));
    }
    /* Unmap and GetAddress ignore extra arguments. */
    seL4_MessageInfo_t i = raw_call(f, X86PageUnmap, 4, 1, caps, mr, 4);
    EXPECT(seL4_MessageInfo_get_label(i) == 0, "Unmap with arguments: %s",
           err_name(seL4_MessageInfo_get_label(i)));
    return PASS;
}

/* A page of the image that only these tests touch. */
static volatile seL4_Word own_page[512] __attribute__((aligned(4096)));

static seL4_CPtr own_page_cap(void)
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_CPtr s = bi->userImageFrames.start +
                  ((uintptr_t)own_page - (uintptr_t)__executable_start) / VM_4K;
    return s < bi->userImageFrames.end ? s : 0;
}

VMTEST(FRAME_0023, "boot image frame caps record their mapping: remap in place works, elsewhere refused")
{
    seL4_CPtr cap = own_page_cap();
    EXPECT(cap != 0 && ctype(cap) == CT_FRAME, "no image frame cap for a static page");
    seL4_Word va = (seL4_Word)(uintptr_t)own_page;
    own_page[3] = 0x1A6E;
    EXPECT(vm_paddr(cap) == vm_paddr(test_bootinfo()->userImageFrames.start) +
                                (va - (seL4_Word)(uintptr_t)__executable_start),
           "image frame paddr not at its offset in the contiguous image");
    EXPECT_ERR(map(cap, seL4_CapInitThreadVSpace, va, RW), seL4_NoError);
    EXPECT_READ(NULL, va + 24, 0x1A6E);
    EXPECT_ERR(map(cap, seL4_CapInitThreadVSpace, vm_region(), RW), seL4_InvalidArgument);
    EXPECT_MRS(0);
    VS_CREATE(other);
    EXPECT_ERR(map(cap, other.pml4, va, RW), seL4_InvalidCapability);
    EXPECT_MRS(1);
    /* A copy of it is unmapped; unmapping the copy changes nothing, and the
     * copy maps elsewhere onto the same memory. */
    VM_COPY(c, cap, seL4_AllRights);
    EXPECT_ERR(seL4_X86_Page_Unmap(c), seL4_NoError);
    EXPECT_READ(NULL, va + 24, 0x1A6E);
    VS_ROOT(vs);
    seL4_Word alias = vm_region();
    EXPECT_ERR(vs_map(&vs, c, 12, alias, RW), seL4_NoError);
    EXPECT(peek(alias + 24) == 0x1A6E, "alias of an image page");
    poke(alias + 32, 0x2B7F);
    EXPECT(own_page[4] == 0x2B7F, "write through the alias not seen in the image");
    /* The root task's IPC buffer: its copy unmaps harmlessly too. */
    VM_COPY(ipc, seL4_CapInitThreadIPCBuffer, seL4_AllRights);
    EXPECT_ERR(seL4_X86_Page_Unmap(ipc), seL4_NoError);
    EXPECT(vm_paddr(ipc) == vm_paddr(seL4_CapInitThreadIPCBuffer), "IPC buffer still works");
    return PASS;
}

VMTEST(FRAME_0024, "a frame mapped into another VSpace: GetAddress unchanged, Unmap there, remap in the root")
{
    VS_CREATE(other);
    VS_ROOT(vs);
    seL4_Word va = vm_region();
    VM_FRAME(f, 12);
    seL4_Word pa = vm_paddr(f);
    EXPECT_ERR(vs_map(&other, f, 12, va, RW), seL4_NoError);
    EXPECT(vm_paddr(f) == pa, "GetAddress changed by mapping");
    EXPECT_WRITE(&other, va + 0x18, 0x0DD);
    /* Not mapped in the root at that address. */
    EXPECT_ERR(vs_tables(&vs, va, 3), seL4_NoError);
    EXPECT_READ_FAULT(NULL, va + 0x18);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_READ_FAULT(&other, va + 0x18);
    EXPECT_ERR(map(f, vs.pml4, va, RW), seL4_NoError);
    EXPECT(peek(va + 0x18) == 0x0DD, "contents after moving the frame");
    return PASS;
}
