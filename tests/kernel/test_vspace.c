/*
 * VSPACE_*: address spaces and paging structures (objects.md §4.1, §4.4,
 * invocations.md §2.6, capabilities.md §7 and §10, boot.md §4): building a
 * VSpace from untyped and running threads in it, isolation and sharing
 * between VSpaces, PDPT/PageDirectory/PageTable Map and Unmap with every
 * error in the documented order, deleting tables and whole VSpaces.
 *
 * Threads in a second VSpace run the same code as the root task: the
 * image is mapped there through copies of the image frame caps
 * (vm_util.h), so static variables are shared memory between the two.
 */
#include <stdio.h>
#include "vm_util.h"

#define RW  seL4_ReadWrite
#define RO  seL4_CanRead
#define DEF seL4_X86_Default_VMAttributes

static seL4_Error map(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t r)
{
    return seL4_X86_Page_Map(frame, vspace, va, r, DEF);
}

static seL4_Error pt_map(seL4_CPtr pt, seL4_CPtr vspace, seL4_Word va)
{
    return seL4_X86_PageTable_Map(pt, vspace, va, DEF);
}

static seL4_Error pd_map(seL4_CPtr pd, seL4_CPtr vspace, seL4_Word va)
{
    return seL4_X86_PageDirectory_Map(pd, vspace, va, DEF);
}

static seL4_Error pdpt_map(seL4_CPtr pdpt, seL4_CPtr vspace, seL4_Word va)
{
    return seL4_X86_PDPT_Map(pdpt, vspace, va, DEF);
}

#define EXPECT_LABEL(info, want, what)                                       \
    EXPECT(seL4_MessageInfo_get_label(info) == (seL4_Word)(want), "%s: %s, expected %s", what, \
           err_name(seL4_MessageInfo_get_label(info)), err_name(want))

/* ---- thread bodies ---------------------------------------------------------- */

/* Load one word and send it (+0..5) in a 6-word message (MR4/5 go through
 * the sender's IPC buffer). */
static struct {
    seL4_CPtr ep;
    seL4_Word addr;
} snd;

static void sender_fn(void *arg)
{
    (void)arg;
    seL4_Word v = vm_load64(snd.addr);
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, v + (seL4_Word)i);
    seL4_Send(snd.ep, seL4_MessageInfo_new(0x42, 0, 0, 6));
}

/* Rounds of: wait for `go`, read addr, write 3v+1 at addr+8, signal `ack`. */
static struct {
    seL4_CPtr go, ack;
    seL4_Word addr;
    int rounds;
} echo;

static void echo_fn(void *arg)
{
    (void)arg;
    for (int i = 0; i < echo.rounds; i++) {
        seL4_Wait(echo.go, NULL);
        seL4_Word v = vm_load64(echo.addr);
        vm_store64(echo.addr + 8, 3 * v + 1);
        seL4_Signal(echo.ack);
    }
}

/* Count and yield until told to stop (or a TSC deadline passes). */
static volatile seL4_Word spin_count;
static volatile int spin_stop;
static uint64_t spin_end;

static void spin_fn(void *arg)
{
    (void)arg;
    while (!spin_stop && test_rdtsc() < spin_end) {
        spin_count = spin_count + 1;
        seL4_Yield();
    }
}

/* One load into ld.value (a thread that may fault and be resumed). */
static struct {
    seL4_Word addr, value;
} ld;

static void load_fn(void *arg)
{
    (void)arg;
    ld.value = vm_load64(ld.addr);
}

/* Receive once on an endpoint, then record what arrived. */
static struct {
    seL4_CPtr ep;
    seL4_Word mr0;
    volatile int got;
} rcv;

static void recv_fn(void *arg)
{
    (void)arg;
    seL4_Word badge;
    (void)seL4_Recv(rcv.ep, &badge);
    /* Keep the compiler from recording before seL4_Recv has stored MR0..3
     * into the IPC buffer (VSPACE_0024 relies on that store faulting). */
    __asm__ volatile("" ::: "memory");
    rcv.mr0 = seL4_GetMR(0);
    __asm__ volatile("" ::: "memory");
    rcv.got = 1;
}

static uint64_t ms_from_now(unsigned ms)
{
    uint64_t mhz = test_tsc_mhz();
    return test_rdtsc() + (uint64_t)ms * 1000 * (mhz ? mhz : 2000);
}

/* ------------------------------------------------------------------------- */

VMTEST(VSPACE_0001, "build a VSpace from untyped: PML4 (type 9), ASID, PDPT/PD/PT/frame map; tables copy once mapped")
{
    VM_NEW(pml4, seL4_X64_PML4Object);
    EXPECT_TYPE(pml4, CT_PML4);
    EXPECT_ERR(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4), seL4_NoError);
    EXPECT_TYPE(pml4, CT_PML4);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    VM_NEW(f, seL4_X86_4K);
    EXPECT_TYPE(pdpt, CT_PDPT);
    EXPECT_TYPE(pd, CT_PD);
    EXPECT_TYPE(pt, CT_PT);
    /* capabilities.md §7: unmapped tables cannot be copied. */
    NEW_SLOT(s);
    EXPECT_ERR(r_copy(s, pdpt, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(r_copy(s, pd, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(r_copy(s, pt, seL4_AllRights), seL4_IllegalOperation);
    const seL4_Word va = 0x0000123456789000UL;
    EXPECT_ERR(pdpt_map(pdpt, pml4, va), seL4_NoError);
    EXPECT_ERR(pd_map(pd, pml4, va), seL4_NoError);
    EXPECT_ERR(pt_map(pt, pml4, va), seL4_NoError);
    EXPECT_ERR(map(f, pml4, va, RW), seL4_NoError);
    NEW_SLOT(c1);
    NEW_SLOT(c2);
    NEW_SLOT(c3);
    NEW_SLOT(c4);
    EXPECT_ERR(r_copy(c1, pdpt, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c2, pd, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c3, pt, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(r_copy(c4, pml4, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(c1, CT_PDPT);
    EXPECT_TYPE(c2, CT_PD);
    EXPECT_TYPE(c3, CT_PT);
    EXPECT_TYPE(c4, CT_PML4);
    /* A copy of a mapped table is mapped too: Map → InvalidCapability(0). */
    EXPECT_ERR(pt_map(c3, pml4, va + VM_2M), seL4_InvalidCapability);
    EXPECT_MRS(0);
    return PASS;
}

VMTEST(VSPACE_0002, "a thread runs in a new VSpace: private stack/IPC buffer, reads its page, sends 6 words")
{
    VS_CREATE(vs);
    VS_ROOT(rv);
    VM_NEW(ep, seL4_EndpointObject);
    /* A private data page in vs, filled through a second cap mapped in the root. */
    seL4_Word pva = VM_PRIV_BASE + 0x100000;
    VS_PAGE(data, &vs, pva, RW);
    VM_COPY(alias, data, seL4_AllRights);
    seL4_Word rva = vm_region();
    EXPECT_ERR(vs_map(&rv, alias, 12, rva, RW), seL4_NoError);
    poke(rva + 0x20, 0x5EED0000);
    snd.ep = ep;
    snd.addr = pva + 0x20;
    /* pva is not mapped in the root VSpace: only a thread in vs can read it. */
    EXPECT_READ_FAULT(NULL, pva + 0x20);
    VM_THREAD(t, &vs, sender_fn, NULL);
    vm_settle();
    EXPECT(t->started, "thread in the new VSpace did not start");
    EXPECT(!t->done, "sender finished without a receiver");
    seL4_Word badge = 99;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(seL4_MessageInfo_get_label(info) == 0x42 && seL4_MessageInfo_get_length(info) == 6,
           "message label %#lx length %lu", (unsigned long)seL4_MessageInfo_get_label(info),
           (unsigned long)seL4_MessageInfo_get_length(info));
    EXPECT(badge == 0, "badge %lu", (unsigned long)badge);
    for (int i = 0; i < 6; i++)
        EXPECT(seL4_GetMR(i) == 0x5EED0000UL + (seL4_Word)i, "MR%d = %#lx", i,
               (unsigned long)seL4_GetMR(i));
    vm_settle();
    EXPECT(t->done, "sender did not finish after the message was taken");
    return PASS;
}

VMTEST(VSPACE_0003, "isolation: the same vaddr in two VSpaces reaches different frames; writes stay private")
{
    VS_ROOT(rv);
    VS_CREATE(vs);
    seL4_Word va = vm_region() + 0x5000;
    VS_PAGE(a, &rv, va, RW);
    VS_PAGE(b, &vs, va, RW);
    VM_COPY(bview, b, seL4_AllRights);
    EXPECT_ERR(vs_map(&rv, bview, 12, va + 0x1000, RW), seL4_NoError);
    poke(va, 0xAAAA);
    poke(va + 0x1000, 0xBBBB);
    EXPECT(vm_paddr(a) != vm_paddr(b), "two frames with one address");
    EXPECT_READ(&vs, va, 0xBBBB);
    EXPECT_WRITE(&vs, va + 8, 0xB008);
    EXPECT_READ(NULL, va, 0xAAAA);
    EXPECT(peek(va + 8) == 0, "write in the other VSpace reached the root's frame");
    EXPECT(peek(va + 0x1008) == 0xB008, "write in the other VSpace not in its frame");
    poke(va + 16, 0xA016);
    EXPECT_READ(&vs, va + 16, 0);
    /* va + 0x1000 is mapped only in the root VSpace. */
    EXPECT_READ_FAULT(&vs, va + 0x1000);
    return PASS;
}

VMTEST(VSPACE_0004, "shared memory: one frame through two caps at different addresses in two VSpaces")
{
    VS_ROOT(rv);
    VS_CREATE(vs);
    VM_NEW(go, seL4_NotificationObject);
    VM_NEW(ack, seL4_NotificationObject);
    /* Signals through an unbadged cap add 0 to the word: ack with badge 1. */
    NEW_SLOT(ack1);
    EXPECT_ERR(r_mint(ack1, ack, seL4_AllRights, 1), seL4_NoError);
    seL4_Word rva = vm_region() + 0x9000;
    seL4_Word cva = vm_region() + 0x3000;
    VS_PAGE(s, &rv, rva, RW);
    VM_COPY(s2, s, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, s2, 12, cva, RW), seL4_NoError);
    echo.go = go;
    echo.ack = ack1;
    echo.addr = cva;
    echo.rounds = 3;
    VM_THREAD(t, &vs, echo_fn, NULL);
    vm_settle();
    EXPECT(t->started && !t->done, "echo thread not waiting");
    for (seL4_Word k = 1; k <= 3; k++) {
        poke(rva, 1000 * k);
        seL4_Signal(go);
        vm_settle();
        EXPECT(ntfn_poll(ack) != 0, "round %lu: no ack", (unsigned long)k);
        EXPECT(peek(rva + 8) == 3000 * k + 1, "round %lu: shared word %lu", (unsigned long)k,
               (unsigned long)peek(rva + 8));
    }
    EXPECT(t->done, "echo thread did not finish");
    return PASS;
}

VMTEST(VSPACE_0005, "per-mapping rights across VSpaces: RW in the root, RO in another (its store faults)")
{
    VS_ROOT(rv);
    VS_CREATE(vs);
    seL4_Word va = vm_region();
    VS_PAGE(f, &rv, va, RW);
    VM_COPY(ro, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&vs, ro, 12, va, RO), seL4_NoError);
    poke(va + 0x30, 0x1234);
    EXPECT_READ(&vs, va + 0x30, 0x1234);
    EXPECT_WRITE_FAULT(&vs, va + 0x30);
    EXPECT(peek(va + 0x30) == 0x1234, "faulting store changed memory");
    poke(va + 0x30, 0x4321);
    EXPECT_READ(&vs, va + 0x30, 0x4321);
    /* A thread that faulted in vs resumes there once the page is mapped. */
    ld.addr = va + 0x4000;
    ld.value = 0;
    VM_THREAD(t, &vs, load_fn, NULL);
    vm_settle();
    EXPECT_FAULTED_AT(t, vm_load64_insn, va + 0x4000);
    VS_PAGE(g, &vs, va + 0x4000, RW);
    VM_COPY(gview, g, seL4_AllRights);
    EXPECT_ERR(vs_map(&rv, gview, 12, va + 0x8000, RW), seL4_NoError);
    poke(va + 0x8000, 0x600D);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    vm_settle();
    EXPECT(t->done, "thread did not finish after the mapping appeared");
    EXPECT(ld.value == 0x600D, "loaded %#lx", (unsigned long)ld.value);
    return PASS;
}

VMTEST(VSPACE_0006, "deleting a VSpace with a running thread: the thread stops, the kernel carries on")
{
    VS_CREATE(vs);
    spin_count = 0;
    spin_stop = 0;
    spin_end = ms_from_now(3000);
    VM_THREAD(t, &vs, spin_fn, NULL);
    vm_share_cpu(VM_PRIO, 10);
    seL4_Word c1 = spin_count;
    EXPECT(c1 >= 3, "thread in the VSpace ran only %lu rounds", (unsigned long)c1);
    /* The TCB holds a derived copy of the PML4 cap: revoke it, then
     * delete the last cap (objects.md §4.2: the ASID is released). */
    EXPECT_ERR(r_revoke(vs.pml4), seL4_NoError);
    EXPECT_ERR(r_delete(vs.pml4), seL4_NoError);
    EXPECT_TYPE(vs.pml4, CT_NULL);
    seL4_Word c2 = spin_count;
    vm_share_cpu(VM_PRIO, 10);
    vm_settle();
    EXPECT(spin_count == c2, "thread ran %lu more rounds without a VSpace",
           (unsigned long)(spin_count - c2));
    EXPECT(!t->done, "thread finished");
    seL4_UserContext uc;
    EXPECT_ERR(vm_regs(t, &uc), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    vm_settle();
    EXPECT(spin_count == c2, "resumed thread ran without a VSpace");
    spin_stop = 1;
    /* Business as usual: a new VSpace with a thread in it. */
    VS_CREATE(vs2);
    seL4_Word va = 0x50000000UL;
    VS_PAGE(p, &vs2, va, RW);
    EXPECT_WRITE(&vs2, va, 0x5AFE);
    EXPECT_READ(&vs2, va, 0x5AFE);
    vm_thread_destroy(t);
    return PASS;
}

VMTEST(VSPACE_0007, "a thread blocked in a deleted VSpace: IPC to it completes, it never runs user code again")
{
    VS_CREATE(vs);
    VM_NEW(ep, seL4_EndpointObject);
    rcv.ep = ep;
    rcv.got = 0;
    VM_THREAD(t, &vs, recv_fn, NULL);
    vm_settle();
    EXPECT(t->started && !rcv.got, "receiver not blocked");
    EXPECT_ERR(r_revoke(vs.pml4), seL4_NoError);
    EXPECT_ERR(r_delete(vs.pml4), seL4_NoError);
    seL4_SetMR(0, 0xD0D0);
    seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    vm_settle();
    EXPECT(!rcv.got && !t->done, "thread ran after its VSpace was deleted");
    /* The kernel still works: NBRecv on the endpoint finds nobody. */
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(seL4_MessageInfo_get_length(info) == 0, "stray message");
    return PASS;
}

VMTEST(VSPACE_0008, "TCB Configure/SetSpace: vspace must be a PML4 with an ASID (else IllegalOperation)")
{
    VM_NEW(tcb, seL4_TCBObject);
    VM_NEW(bare, seL4_X64_PML4Object);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(f, seL4_X86_4K);
    VM_NEW(ep, seL4_EndpointObject);
    /* invocations.md TCBConfigure step 5. */
    const seL4_CPtr bad[] = { bare, pdpt, f, ep, ROOT_CNODE };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(seL4_TCB_Configure(tcb, 0, ROOT_CNODE, 0, bad[k], 0, 0, 0),
                   seL4_IllegalOperation);
        EXPECT_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT_CNODE, 0, bad[k], 0), seL4_IllegalOperation);
    }
    /* A mapped PDPT derives fine but is still not a PML4. */
    VS_CREATE(vs);
    EXPECT_ERR(pdpt_map(pdpt, vs.pml4, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT_CNODE, 0, pdpt, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT_CNODE, 0, vs.pml4, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Configure(tcb, 0, ROOT_CNODE, 0, seL4_CapInitThreadVSpace, 0, 0, 0),
               seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0009, "PageTable_Map errors in order: Truncated, mapped, vspace, address, 39/30, DeleteFirst")
{
    seL4_Word base = vm_region();
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    VM_NEW(pt, seL4_X86_PageTableObject);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    const seL4_CPtr caps[1] = { root };
    const seL4_Word mr[2] = { base, 0 };
    EXPECT_LABEL(raw_call(pt, X86PageTableMap, 1, 1, caps, mr, 2), seL4_TruncatedMessage,
                 "length 1");
    EXPECT_LABEL(raw_call(pt, X86PageTableMap, 2, 0, NULL, mr, 2), seL4_TruncatedMessage,
                 "no cap");
    VM_NEW(ep, seL4_EndpointObject);
    VM_NEW(bare, seL4_X64_PML4Object);
    const seL4_CPtr bad[] = { ep, bare, pd, ROOT_CNODE, seL4_CapInitThreadASIDPool };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(pt_map(pt, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    EXPECT_ERR(pt_map(pt, bare, VM_KERNEL_VADDR), seL4_InvalidCapability);
    EXPECT_MRS(1);
    EXPECT_ERR(pt_map(pt, root, VM_KERNEL_VADDR), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(pt_map(pt, root, VM_NONCANONICAL), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(pt_map(pt, root, base), seL4_FailedLookup);
    EXPECT_MISSING(39);
    EXPECT_ERR(pdpt_map(pdpt, root, base), seL4_NoError);
    EXPECT_ERR(pt_map(pt, root, base), seL4_FailedLookup);
    EXPECT_MISSING(30);
    EXPECT_ERR(pd_map(pd, root, base), seL4_NoError);
    EXPECT_ERR(pt_map(pt, root, base), seL4_NoError);
    /* Already mapped: InvalidCapability(0), before the vspace check. */
    EXPECT_ERR(pt_map(pt, root, base + VM_2M), seL4_InvalidCapability);
    EXPECT_MRS(0);
    EXPECT_ERR(pt_map(pt, ep, base + VM_2M), seL4_InvalidCapability);
    EXPECT_MRS(0);
    /* A second table in the same PD slot (vaddr rounded down to 2 MiB). */
    VM_NEW(pt2, seL4_X86_PageTableObject);
    EXPECT_ERR(pt_map(pt2, root, base), seL4_DeleteFirst);
    EXPECT_ERR(pt_map(pt2, root, base + 0x1FF000), seL4_DeleteFirst);
    EXPECT_ERR(pt_map(pt2, root, base + VM_2M), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0010, "PageDirectory_Map errors in order: Truncated, mapped, vspace, address, 39, DeleteFirst")
{
    seL4_Word base = vm_region();
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    const seL4_CPtr caps[1] = { root };
    const seL4_Word mr[2] = { base, 0 };
    EXPECT_LABEL(raw_call(pd, X86PageDirectoryMap, 1, 1, caps, mr, 2), seL4_TruncatedMessage,
                 "length 1");
    EXPECT_LABEL(raw_call(pd, X86PageDirectoryMap, 2, 0, NULL, mr, 2), seL4_TruncatedMessage,
                 "no cap");
    VM_NEW(ep, seL4_EndpointObject);
    VM_NEW(bare, seL4_X64_PML4Object);
    VM_NEW(pt, seL4_X86_PageTableObject);
    const seL4_CPtr bad[] = { ep, bare, pt, pdpt, vm_ut() };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(pd_map(pd, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    EXPECT_ERR(pd_map(pd, root, VM_KERNEL_VADDR), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(pd_map(pd, root, 0xFFFFFFFFFFFFFFFFUL), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(pd_map(pd, root, base), seL4_FailedLookup);
    EXPECT_MISSING(39);
    EXPECT_ERR(pdpt_map(pdpt, root, base), seL4_NoError);
    EXPECT_ERR(pd_map(pd, root, base + 0x12345678), seL4_NoError);    /* rounded to base */
    EXPECT_ERR(pd_map(pd, root, base + VM_1G), seL4_InvalidCapability);
    EXPECT_MRS(0);
    VM_NEW(pd2, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(pd_map(pd2, root, base), seL4_DeleteFirst);
    EXPECT_ERR(pd_map(pd2, root, base + VM_1G - 1), seL4_DeleteFirst);
    EXPECT_ERR(pd_map(pd2, root, base + VM_1G), seL4_NoError);
    /* The first PD covers [base, base + 1 GiB). */
    EXPECT_ERR(pt_map(pt, root, base + VM_1G - VM_2M), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0011, "PDPT_Map errors in order: Truncated, mapped, vspace, address, DeleteFirst; 512 GiB rounding")
{
    seL4_Word base = vm_region();
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    const seL4_CPtr caps[1] = { root };
    const seL4_Word mr[2] = { base, 0 };
    EXPECT_LABEL(raw_call(pdpt, X86PDPTMap, 1, 1, caps, mr, 2), seL4_TruncatedMessage,
                 "length 1");
    EXPECT_LABEL(raw_call(pdpt, X86PDPTMap, 2, 0, NULL, mr, 2), seL4_TruncatedMessage, "no cap");
    VM_NEW(ep, seL4_EndpointObject);
    VM_NEW(bare, seL4_X64_PML4Object);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(f, seL4_X86_4K);
    const seL4_CPtr bad[] = { ep, bare, pd, f, seL4_CapASIDControl };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(pdpt_map(pdpt, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    EXPECT_ERR(pdpt_map(pdpt, bare, VM_KERNEL_VADDR), seL4_InvalidCapability);
    EXPECT_ERR(pdpt_map(pdpt, root, VM_NONCANONICAL), seL4_InvalidArgument);
    EXPECT_MRS(0);
    EXPECT_ERR(pdpt_map(pdpt, root, VM_KERNEL_VADDR), seL4_InvalidArgument);
    EXPECT_MRS(0);
    /* The root task's image uses PML4 entry 0 (boot.md §4). */
    EXPECT_ERR(pdpt_map(pdpt, root, 0x400000), seL4_DeleteFirst);
    EXPECT_ERR(pdpt_map(pdpt, root, base + 0x123456789AUL), seL4_NoError);  /* → base */
    EXPECT_ERR(pdpt_map(pdpt, root, base + VM_512G), seL4_InvalidCapability);
    EXPECT_MRS(0);
    VM_NEW(pdpt2, seL4_X86_PDPTObject);
    EXPECT_ERR(pdpt_map(pdpt2, root, base), seL4_DeleteFirst);
    EXPECT_ERR(pdpt_map(pdpt2, root, base + VM_512G - 1), seL4_DeleteFirst);
    EXPECT_ERR(pd_map(pd, root, base + VM_512G - VM_1G), seL4_NoError);
    /* Highest PML4 user entry: vaddr 0x7FFFFFFFFFFF is accepted. */
    EXPECT_ERR(pdpt_map(pdpt2, root, VM_USER_MAX), seL4_NoError);
    EXPECT_ERR(seL4_X86_PDPT_Unmap(pdpt2), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0012, "the root task's paging caps: PDPTs, PDs, PTs in order, mapped (copyable, Map refused)")
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_SlotRegion r = bi->userImagePaging;
    EXPECT(r.end > r.start + 2, "userImagePaging has %lu caps", (unsigned long)(r.end - r.start));
    int stage = 0, seen[3] = { 0, 0, 0 };
    static const seL4_Word order[3] = { CT_PDPT, CT_PD, CT_PT };
    for (seL4_CPtr s = r.start; s < r.end; s++) {
        seL4_Word t = ctype(s);
        while (stage < 3 && t != order[stage])
            stage++;
        EXPECT(stage < 3, "slot %lu holds %s out of order", (unsigned long)s, type_name(t));
        seen[stage]++;
    }
    EXPECT(seen[0] == 1 && seen[1] >= 1 && seen[2] >= 1, "%d PDPTs, %d PDs, %d PTs", seen[0],
           seen[1], seen[2]);
    seL4_Word base = vm_region();
    for (seL4_CPtr s = r.start; s < r.end; s++) {
        VM_COPY(c, s, seL4_AllRights);
        EXPECT_TYPE(c, ctype(s));
        seL4_Error e;
        if (ctype(s) == CT_PDPT)
            e = pdpt_map(s, seL4_CapInitThreadVSpace, base);
        else if (ctype(s) == CT_PD)
            e = pd_map(s, seL4_CapInitThreadVSpace, base);
        else
            e = pt_map(s, seL4_CapInitThreadVSpace, base);
        EXPECT(e == seL4_InvalidCapability && seL4_GetMR(0) == 0,
               "Map of boot table %lu: %s (MR0 %lu), expected InvalidCapability(0)",
               (unsigned long)s, err_name(e), (unsigned long)seL4_GetMR(0));
    }
    /* The root PML4 (ASID 1) copies, and the copy works as a vspace. */
    VM_COPY(pc, seL4_CapInitThreadVSpace, seL4_AllRights);
    EXPECT_TYPE(pc, CT_PML4);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    EXPECT_ERR(pdpt_map(pdpt, pc, base), seL4_NoError);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(pd_map(pd, seL4_CapInitThreadVSpace, base), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0013, "PageTable_Unmap: frames below become unreachable, the table is zeroed, frame caps stay 'mapped'")
{
    VS_ROOT(rv);
    seL4_Word base = vm_region();
    VS_PAGE(f, &rv, base + 0x3000, RW);
    seL4_CPtr pt = vs_table(&rv, base, 3);
    VM_COPY(view, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&rv, view, 12, base + VM_2M + 0x3000, RW), seL4_NoError);
    poke(base + 0x3010, 0x7AB1E);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    vs_forget(&rv, pt);
    EXPECT_READ_FAULT(NULL, base + 0x3010);
    EXPECT(peek(base + VM_2M + 0x3010) == 0x7AB1E, "frame contents lost");
    /* Map the (zeroed) table elsewhere: nothing below it. */
    EXPECT_ERR(pt_map(pt, rv.pml4, base + 4 * VM_2M), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 4 * VM_2M + 0x3010);
    /* f's cap still records its old mapping (objects.md §4.4 last paragraph). */
    EXPECT_ERR(map(f, rv.pml4, base + 4 * VM_2M + 0x3000, RW), seL4_InvalidArgument);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);
    EXPECT_ERR(map(f, rv.pml4, base + 4 * VM_2M + 0x3000, RW), seL4_NoError);
    EXPECT_READ(NULL, base + 4 * VM_2M + 0x3010, 0x7AB1E);
    /* Unmapping an unmapped table is fine. */
    VM_NEW(pt2, seL4_X86_PageTableObject);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt2), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0014, "table Unmap needs the only cap (RevokeFirst); copies only while mapped")
{
    seL4_Word base = vm_region();
    seL4_CPtr root = seL4_CapInitThreadVSpace;
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(pdpt_map(pdpt, root, base), seL4_NoError);
    EXPECT_ERR(pd_map(pd, root, base), seL4_NoError);
    EXPECT_ERR(pt_map(pt, root, base), seL4_NoError);
    VM_COPY(cpt, pt, seL4_AllRights);
    VM_COPY(cpd, pd, seL4_AllRights);
    VM_COPY(cpdpt, pdpt, seL4_AllRights);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt), seL4_RevokeFirst);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(cpt), seL4_RevokeFirst);
    EXPECT_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_RevokeFirst);
    EXPECT_ERR(seL4_X86_PDPT_Unmap(cpdpt), seL4_RevokeFirst);
    /* Still mapped: a page maps below them. */
    VM_FRAME(f, 12);
    EXPECT_ERR(map(f, root, base + 0x1000, RW), seL4_NoError);
    EXPECT_ERR(r_delete(cpt), seL4_NoError);
    EXPECT_ERR(r_revoke(pd), seL4_NoError);                 /* deletes cpd */
    EXPECT_TYPE(cpd, CT_NULL);
    EXPECT_READ(NULL, base + 0x1000, 0);                    /* copies gone, mapping stays */
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 0x1000);
    NEW_SLOT(s);
    EXPECT_ERR(r_copy(s, pt, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(pt_map(pt, root, base + VM_2M), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_NoError);
    EXPECT_ERR(r_copy(s, pd, seL4_AllRights), seL4_IllegalOperation);
    EXPECT_ERR(r_delete(cpdpt), seL4_NoError);
    EXPECT_ERR(seL4_X86_PDPT_Unmap(pdpt), seL4_NoError);
    EXPECT_ERR(r_copy(s, pdpt, seL4_AllRights), seL4_IllegalOperation);
    /* Unmapped tables map again, anywhere. */
    seL4_Word base2 = vm_region();
    EXPECT_ERR(pdpt_map(pdpt, root, base2), seL4_NoError);
    EXPECT_ERR(pd_map(pd, root, base2 + VM_1G), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0015, "deleting the last page-table cap unmaps it; Page_Map at the old address → FailedLookup 21")
{
    VS_ROOT(rv);
    seL4_Word base = vm_region();
    VS_PAGE(f, &rv, base + 0x5000, RW);
    seL4_CPtr pt = vs_table(&rv, base, 3);
    VM_COPY(view, f, seL4_AllRights);
    EXPECT_ERR(vs_map(&rv, view, 12, base + VM_2M + 0x5000, RW), seL4_NoError);
    poke(base + 0x5020, 0xDE1);
    /* With a second cap, deleting one changes nothing. */
    VM_COPY(c, pt, seL4_AllRights);
    EXPECT_ERR(r_delete(pt), seL4_NoError);
    EXPECT_READ(NULL, base + 0x5020, 0xDE1);
    EXPECT_ERR(r_delete(c), seL4_NoError);
    vs_forget(&rv, pt);
    EXPECT_READ_FAULT(NULL, base + 0x5020);
    EXPECT(peek(base + VM_2M + 0x5020) == 0xDE1, "frame lost with its table");
    /* The frame cap still claims base + 0x5000. */
    EXPECT_ERR(map(f, rv.pml4, base + 0x6000, RW), seL4_InvalidArgument);
    EXPECT_ERR(map(f, rv.pml4, base + 0x5000, RW), seL4_FailedLookup);
    EXPECT_MISSING(21);
    EXPECT_ERR(vs_tables(&rv, base, 3), seL4_NoError);
    EXPECT_ERR(map(f, rv.pml4, base + 0x5000, RW), seL4_NoError);
    EXPECT_READ(NULL, base + 0x5020, 0xDE1);
    return PASS;
}

VMTEST(VSPACE_0016, "deleting a page directory unmaps everything below it; its tables' caps stay 'mapped'")
{
    VS_ROOT(rv);
    seL4_Word base = vm_region();
    VS_PAGE(f1, &rv, base + 0x1000, RW);
    VS_PAGE(f2, &rv, base + 3 * VM_2M + 0x2000, RW);
    seL4_CPtr pd = vs_table(&rv, base, 2);
    seL4_CPtr pt1 = vs_table(&rv, base, 3);
    poke(base + 0x1000, 11);
    poke(base + 3 * VM_2M + 0x2000, 22);
    EXPECT_ERR(r_delete(pd), seL4_NoError);
    vs_forget(&rv, pd);
    EXPECT_READ_FAULT(NULL, base + 0x1000);
    EXPECT_READ_FAULT(NULL, base + 3 * VM_2M + 0x2000);
    VM_FRAME(g, 12);
    EXPECT_ERR(map(g, rv.pml4, base + 0x7000, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    VM_NEW(pt, seL4_X86_PageTableObject);
    EXPECT_ERR(pt_map(pt, rv.pml4, base), seL4_FailedLookup);
    EXPECT_MISSING(30);
    EXPECT_ERR(pt_map(pt1, rv.pml4, base + VM_1G), seL4_InvalidCapability);
    EXPECT_MRS(0);
    /* Unmap of the orphaned table is harmless; it then maps under a new PD
     * (zeroed: f1 does not come back with it). */
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt1), seL4_NoError);
    VM_NEW(pd2, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(pd_map(pd2, rv.pml4, base), seL4_NoError);
    EXPECT_ERR(pt_map(pt1, rv.pml4, base), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 0x1000);
    EXPECT_ERR(seL4_X86_Page_Unmap(f1), seL4_NoError);
    EXPECT_ERR(map(f1, rv.pml4, base + 0x1000, RW), seL4_NoError);
    EXPECT_READ(NULL, base + 0x1000, 11);
    (void)f2;
    return PASS;
}

VMTEST(VSPACE_0017, "deleting a PDPT unmaps its 512 GiB; maps below it → FailedLookup 39")
{
    VS_ROOT(rv);
    seL4_Word base = vm_region();
    VS_PAGE(f, &rv, base + 5 * VM_1G + 0x9000, RW);
    seL4_CPtr pdpt = vs_table(&rv, base, 1);
    seL4_CPtr pd = vs_table(&rv, base + 5 * VM_1G, 2);
    poke(base + 5 * VM_1G + 0x9000, 33);
    EXPECT_ERR(r_delete(pdpt), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 5 * VM_1G + 0x9000);
    VM_NEW(pd2, seL4_X86_PageDirectoryObject);
    EXPECT_ERR(pd_map(pd2, rv.pml4, base), seL4_FailedLookup);
    EXPECT_MISSING(39);
    EXPECT_ERR(pd_map(pd, rv.pml4, base), seL4_InvalidCapability);
    EXPECT_MRS(0);
    /* The PML4 slot is free again. */
    VM_NEW(pdpt2, seL4_X86_PDPTObject);
    EXPECT_ERR(pdpt_map(pdpt2, rv.pml4, base), seL4_NoError);
    EXPECT_ERR(pd_map(pd2, rv.pml4, base + 5 * VM_1G), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 5 * VM_1G + 0x9000);
    (void)f;
    return PASS;
}

VMTEST(VSPACE_0018, "PageDirectory_Unmap and PDPT_Unmap zero the table: remapped, nothing below is back")
{
    VS_ROOT(rv);
    seL4_Word base = vm_region();
    VS_PAGE(f, &rv, base + 0x4000, RW);
    seL4_CPtr pd = vs_table(&rv, base, 2);
    seL4_CPtr pdpt = vs_table(&rv, base, 1);
    poke(base + 0x4000, 44);
    EXPECT_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_NoError);
    EXPECT_READ_FAULT(NULL, base + 0x4000);
    EXPECT_ERR(pd_map(pd, rv.pml4, base + VM_1G), seL4_NoError);
    VM_FRAME(g, 12);
    EXPECT_ERR(map(g, rv.pml4, base + VM_1G + 0x4000, RW), seL4_FailedLookup);
    EXPECT_MISSING(21);
    EXPECT_ERR(seL4_X86_PDPT_Unmap(pdpt), seL4_NoError);
    seL4_Word base2 = vm_region();
    EXPECT_ERR(pdpt_map(pdpt, rv.pml4, base2), seL4_NoError);
    EXPECT_ERR(map(g, rv.pml4, base2 + VM_1G + 0x4000, RW), seL4_FailedLookup);
    EXPECT_MISSING(30);
    (void)f;
    return PASS;
}

VMTEST(VSPACE_0019, "invocations on PML4 caps and wrong labels on table caps → IllegalOperation")
{
    VS_CREATE(vs);
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    const seL4_CPtr caps[1] = { vs.pml4 };
    const seL4_Word mr[4] = { 0x10000000, 0, 3, 0 };
    static const seL4_Word pml4_labels[] = { InvalidInvocation, X86PDPTMap, X86PDPTUnmap,
                                             X86PageDirectoryMap, X86PageTableMap, X86PageMap,
                                             X86PageUnmap, X86PageGetAddress, X86ASIDPoolAssign,
                                             CNodeDelete };
    for (unsigned k = 0; k < sizeof(pml4_labels) / sizeof(pml4_labels[0]); k++) {
        EXPECT_LABEL(raw_call(vs.pml4, pml4_labels[k], 4, 1, caps, mr, 4), seL4_IllegalOperation,
                     "new PML4");
        EXPECT_LABEL(raw_call(seL4_CapInitThreadVSpace, pml4_labels[k], 4, 1, caps, mr, 4),
                     seL4_IllegalOperation, "root PML4");
    }
    VM_NEW(bare, seL4_X64_PML4Object);
    EXPECT_LABEL(raw_call(bare, X86PageMap, 4, 1, caps, mr, 4), seL4_IllegalOperation,
                 "unassigned PML4");
    struct {
        seL4_CPtr cap;
        seL4_Word label;
    } wrong[] = {
        { pt, X86PageDirectoryMap }, { pt, X86PDPTMap }, { pt, X86PageMap },
        { pt, X86PageDirectoryUnmap }, { pt, X86PageGetAddress }, { pd, X86PageTableMap },
        { pd, X86PDPTUnmap }, { pd, X86PageMap }, { pdpt, X86PageDirectoryMap },
        { pdpt, X86PageTableUnmap }, { pdpt, X86ASIDPoolAssign }, { pt, InvalidInvocation },
    };
    for (unsigned k = 0; k < sizeof(wrong) / sizeof(wrong[0]); k++) {
        seL4_MessageInfo_t i = raw_call(wrong[k].cap, wrong[k].label, 4, 1, caps, mr, 4);
        EXPECT(seL4_MessageInfo_get_label(i) == seL4_IllegalOperation,
               "%s with label %lu: %s", type_name(ctype(wrong[k].cap)),
               (unsigned long)wrong[k].label, err_name(seL4_MessageInfo_get_label(i)));
    }
    /* Nothing got mapped by those. */
    EXPECT_ERR(pdpt_map(pdpt, vs.pml4, 0x10000000), seL4_NoError);
    EXPECT_ERR(pd_map(pd, vs.pml4, 0x10000000), seL4_NoError);
    EXPECT_ERR(pt_map(pt, vs.pml4, 0x10000000), seL4_NoError);
    return PASS;
}

VMTEST(VSPACE_0020, "three VSpaces, one vaddr: each thread sees only its own frame")
{
    VS_ROOT(rv);
    VS_CREATE(v1);
    VS_CREATE(v2);
    seL4_Word va = vm_region() + 0x7000;
    VS_PAGE(f0, &rv, va, RW);
    VS_PAGE(f1, &v1, va, RW);
    VS_PAGE(f2, &v2, va, RW);
    poke(va, 100);
    EXPECT_WRITE(&v1, va, 101);
    EXPECT_WRITE(&v2, va, 102);
    EXPECT_READ(NULL, va, 100);
    EXPECT_READ(&v1, va, 101);
    EXPECT_READ(&v2, va, 102);
    /* Swap: f1's memory mapped into v2 through a copy, at another address. */
    VM_COPY(c1, f1, seL4_AllRights);
    EXPECT_ERR(vs_map(&v2, c1, 12, va + VM_2M, RW), seL4_NoError);
    EXPECT_READ(&v2, va + VM_2M, 101);
    EXPECT(peek(va) == 100, "root frame changed");
    (void)f0;
    (void)f2;
    return PASS;
}

VMTEST(VSPACE_0021, "a thread in a VSpace whose page table is unmapped faults; remapping lets it finish")
{
    VS_CREATE(vs);
    VS_ROOT(rv);
    seL4_Word va = vm_region() + 0x2000;
    VS_PAGE(f, &vs, va, RW);
    VM_COPY(view, f, seL4_AllRights);
    seL4_Word rva = vm_region();
    EXPECT_ERR(vs_map(&rv, view, 12, rva, RW), seL4_NoError);
    poke(rva + 0x40, 0xFACE);
    seL4_CPtr pt = vs_table(&vs, va, 3);
    EXPECT_READ(&vs, va + 0x40, 0xFACE);
    EXPECT_ERR(seL4_X86_PageTable_Unmap(pt), seL4_NoError);
    EXPECT_READ_FAULT(&vs, va + 0x40);
    ld.addr = va + 0x40;
    ld.value = 0;
    VM_THREAD(t, &vs, load_fn, NULL);
    vm_settle();
    EXPECT_FAULTED_AT(t, vm_load64_insn, va + 0x40);
    EXPECT_ERR(pt_map(pt, vs.pml4, va), seL4_NoError);
    EXPECT_ERR(seL4_X86_Page_Unmap(f), seL4_NoError);       /* its record is stale */
    EXPECT_ERR(map(f, vs.pml4, va, RW), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    vm_settle();
    EXPECT(t->done, "thread did not finish");
    EXPECT(ld.value == 0xFACE, "loaded %#lx", (unsigned long)ld.value);
    return PASS;
}

VMTEST(VSPACE_0022, "wrong cap types as the vspace of table maps, and an empty slot → InvalidCapability(1)")
{
    seL4_Word base = vm_region();
    VM_NEW(pdpt, seL4_X86_PDPTObject);
    VM_NEW(pd, seL4_X86_PageDirectoryObject);
    VM_NEW(pt, seL4_X86_PageTableObject);
    VM_NEW(ntfn, seL4_NotificationObject);
    VM_NEW(tcb, seL4_TCBObject);
    NEW_SLOT(empty);
    const seL4_CPtr bad[] = { ntfn, tcb, empty, seL4_CapIRQControl, seL4_CapDomain,
                              seL4_CapBootInfoFrame, seL4_CapInitThreadTCB };
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        EXPECT_ERR(pdpt_map(pdpt, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
        EXPECT_ERR(pd_map(pd, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
        EXPECT_ERR(pt_map(pt, bad[k], base), seL4_InvalidCapability);
        EXPECT_MRS(1);
    }
    EXPECT_TYPE(pdpt, CT_PDPT);
    NEW_SLOT(s);
    EXPECT_ERR(r_copy(s, pdpt, seL4_AllRights), seL4_IllegalOperation);     /* still unmapped */
    return PASS;
}

VMTEST(VSPACE_0023, "a new VSpace starts empty: only what is mapped there is reachable (image, private pages)")
{
    VS_CREATE(vs);
    VS_ROOT(rv);
    seL4_Word va = vm_region();
    VS_PAGE(f, &rv, va, RW);
    poke(va, 0x123);
    /* A thread in vs runs the shared image code but sees none of the
     * root's other mappings: not its region, not its IPC buffer. */
    EXPECT_ERR(vs_tables(&vs, va, 3), seL4_NoError);
    EXPECT_READ_FAULT(&vs, va);
    EXPECT_READ_FAULT(&vs, (seL4_Word)(uintptr_t)test_bootinfo());
    EXPECT_READ_FAULT(&vs, 0);
    /* The image is shared memory: a static word written in vs is seen here. */
    static volatile seL4_Word shared_word;
    shared_word = 5;
    EXPECT_READ(&vs, (seL4_Word)(uintptr_t)&shared_word, 5);
    EXPECT_WRITE(&vs, (seL4_Word)(uintptr_t)&shared_word, 6);
    EXPECT(shared_word == 6, "image page not shared");
    (void)f;
    return PASS;
}

VMTEST(VSPACE_0024, "the kernel writes a receiver's IPC buffer through its frame cap, mapped or not")
{
    /* abi README point 4: the IPC buffer is reached through the frame cap
     * in the TCB (a derived copy, capabilities.md §7), not the page tables. */
    VS_CREATE(vs);
    VS_ROOT(rv);
    VM_NEW(ep, seL4_EndpointObject);
    rcv.ep = ep;
    rcv.got = 0;
    VM_THREAD(t, &vs, recv_fn, NULL);
    seL4_CPtr ipcf = vs.ipc_frame[t->index];
    EXPECT(ipcf != 0, "no IPC frame recorded");
    VM_COPY(view, ipcf, seL4_AllRights);
    seL4_Word rva = vm_region();
    EXPECT_ERR(vs_map(&rv, view, 12, rva, RW), seL4_NoError);
    /* The thread has not run yet (the root is at priority 255). */
    EXPECT_ERR(seL4_X86_Page_Unmap(ipcf), seL4_NoError);
    vm_settle();
    EXPECT(t->started && !rcv.got, "receiver not blocked");
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, 0xB0 + (seL4_Word)i);
    seL4_NBSend(ep, seL4_MessageInfo_new(7, 0, 0, 6));
    vm_settle();
    /* msg[4], msg[5] of seL4_IPCBuffer (offset 8 + 8 i) hold the message;
     * the thread itself then faults on its unmapped buffer. */
    EXPECT(peek(rva + 8 + 4 * 8) == 0xB4, "msg[4] = %#lx", (unsigned long)peek(rva + 8 + 32));
    EXPECT(peek(rva + 8 + 5 * 8) == 0xB5, "msg[5] = %#lx", (unsigned long)peek(rva + 8 + 40));
    EXPECT(!rcv.got && !t->done, "thread used an unmapped IPC buffer");
    return PASS;
}
