/* Slots, objects, address spaces and threads for the benchmarks (bench.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arca/runtime.h>
#include "bench.h"

/* From user.ld: the image, whose frames are userImageFrames in order. */
extern char __executable_start[];
extern char _end[];

#define THREADS         6
#define STACK_SIZE      16384
#define TLS_SIZE        4096
#define POOL_BITS       22          /* the untyped objects come from */

static char err_text[160];
static seL4_CPtr next_slot, end_slot;
static seL4_CPtr pool_ut;

static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_text, sizeof(err_text), fmt, ap);
    va_end(ap);
}

const char *env_error(void)
{
    return err_text;
}

seL4_CPtr slot_new(void)
{
    if (next_slot >= end_slot) {
        set_error("out of root CNode slots");
        return 0;
    }
    return next_slot++;
}

static seL4_CPtr retype(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr s = slot_new();
    if (s == 0)
        return 0;
    seL4_Error e = seL4_Untyped_Retype(ut, type, size_bits, seL4_CapInitThreadCNode, 0, 0, s, 1);
    if (e != seL4_NoError) {
        set_error("Retype of type %lu: error %d", (unsigned long)type, (int)e);
        return 0;
    }
    return s;
}

seL4_CPtr obj_new(seL4_Word type, seL4_Word size_bits)
{
    return retype(pool_ut, type, size_bits);
}

seL4_CPtr cap_copy(seL4_CPtr src)
{
    seL4_CPtr s = slot_new();
    if (s == 0)
        return 0;
    seL4_Error e = seL4_CNode_Copy(seL4_CapInitThreadCNode, s, ROOT_DEPTH,
                                   seL4_CapInitThreadCNode, src, ROOT_DEPTH, seL4_AllRights);
    if (e != seL4_NoError) {
        set_error("CNode_Copy of %lu: error %d", (unsigned long)src, (int)e);
        return 0;
    }
    return s;
}

seL4_Error slot_delete(seL4_CPtr slot)
{
    return seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, ROOT_DEPTH);
}

bool env_init(void)
{
    const seL4_BootInfo *bi = arca_bootinfo();
    next_slot = bi->empty.start;
    end_slot = bi->empty.end;
    /* The objects come from a 4 MiB child of the largest RAM untyped. */
    seL4_Word best = (seL4_Word)-1;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice || d->sizeBits < POOL_BITS)
            continue;
        if (best == (seL4_Word)-1 || d->sizeBits > bi->untypedList[best].sizeBits)
            best = i;
    }
    if (best == (seL4_Word)-1) {
        set_error("no RAM untyped of 2^%d bytes", POOL_BITS);
        return false;
    }
    pool_ut = retype(bi->untyped.start + best, seL4_UntypedObject, POOL_BITS);
    return pool_ut != 0;
}

/* ---- address spaces ------------------------------------------------------- */

void vs_root(struct vspace *vs)
{
    memset(vs, 0, sizeof(*vs));
    vs->pml4 = seL4_CapInitThreadVSpace;
}

static bool vs_has(struct vspace *vs, seL4_Word base, int level)
{
    for (int i = 0; i < vs->ntab; i++) {
        if (vs->tab[i].base == base && vs->tab[i].level == level)
            return true;
    }
    return false;
}

/*
 * Level 1 PDPT (512 GiB), 2 page directory (1 GiB), 3 page table (2 MiB).
 * A table this code did not make (the root task's own) shows up as
 * DeleteFirst when mapping: it is there already, which is what we want.
 */
bool vs_tables(struct vspace *vs, seL4_Word va)
{
    static const seL4_Word span_bits[4] = { 0, 39, 30, 21 };
    static const seL4_Word type[4] = { 0, seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                       seL4_X86_PageTableObject };
    for (int level = 1; level <= 3; level++) {
        seL4_Word base = va & ~((1UL << span_bits[level]) - 1);
        if (vs_has(vs, base, level))
            continue;
        if (vs->ntab == VS_TABLES) {
            set_error("too many page tables");
            return false;
        }
        seL4_CPtr t = obj_new(type[level], 0);
        if (t == 0)
            return false;
        seL4_Error e;
        if (level == 1)
            e = seL4_X86_PDPT_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        else if (level == 2)
            e = seL4_X86_PageDirectory_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        else
            e = seL4_X86_PageTable_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        if (e == seL4_DeleteFirst) {
            (void)slot_delete(t);
        } else if (e != seL4_NoError) {
            set_error("mapping a level-%d table at %#lx: error %d", level, (unsigned long)va,
                      (int)e);
            return false;
        }
        vs->tab[vs->ntab].base = base;
        vs->tab[vs->ntab].level = level;
        vs->ntab++;
    }
    return true;
}

bool vs_new_with_image(struct vspace *vs)
{
    memset(vs, 0, sizeof(*vs));
    vs->pml4 = obj_new(seL4_X64_PML4Object, 0);
    if (vs->pml4 == 0)
        return false;
    seL4_Error e = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs->pml4);
    if (e != seL4_NoError) {
        set_error("ASIDPool_Assign: error %d", (int)e);
        return false;
    }
    const seL4_BootInfo *bi = arca_bootinfo();
    seL4_Word base = (seL4_Word)(uintptr_t)__executable_start;
    seL4_Word pages = ((seL4_Word)(uintptr_t)_end - base + 4095) / 4096;
    if (bi->userImageFrames.end - bi->userImageFrames.start < pages) {
        set_error("userImageFrames do not cover the image");
        return false;
    }
    /* All copies first, so that they are in consecutive slots. */
    for (seL4_Word i = 0; i < pages; i++) {
        seL4_CPtr c = cap_copy(bi->userImageFrames.start + i);
        if (c == 0)
            return false;
        if (i == 0)
            vs->image_copies = c;
        else if (c != vs->image_copies + i) {
            set_error("image copies are not contiguous");
            return false;
        }
    }
    for (seL4_Word i = 0; i < pages; i++) {
        seL4_Word va = base + i * 4096;
        if (!vs_tables(vs, va))
            return false;
        e = seL4_X86_Page_Map(vs->image_copies + i, vs->pml4, va, seL4_ReadWrite,
                              seL4_X86_Default_VMAttributes);
        if (e != seL4_NoError) {
            set_error("Page_Map of image page %lu: error %d", (unsigned long)i, (int)e);
            return false;
        }
    }
    return true;
}

/* ---- threads ----------------------------------------------------------------- */

static unsigned char stacks[THREADS][STACK_SIZE] __attribute__((aligned(16)));
static unsigned char tls_areas[THREADS][TLS_SIZE] __attribute__((aligned(64)));
static unsigned char ipc_pages[THREADS][4096] __attribute__((aligned(4096)));
static struct bthread pool[THREADS];
static bool pool_used[THREADS];

/* First code of a thread (rdi, rsi, rdx, rcx from thread_start). */
static void trampoline(bench_fn *fn, void *arg, seL4_IPCBuffer *ipc, struct bthread *t)
{
    seL4_SetIPCBuffer(ipc);
    fn(arg);
    t->done = 1;
    for (;;)
        (void)seL4_TCB_Suspend(t->tcb);
}

seL4_Error set_prio(seL4_CPtr tcb, seL4_Word prio)
{
    return seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio);
}

struct bthread *thread_start(struct vspace *vs, bench_fn *fn, void *arg, seL4_Word prio)
{
    int i;
    for (i = 0; i < THREADS && pool_used[i]; i++)
        ;
    if (i == THREADS) {
        set_error("more than %d threads", THREADS);
        return NULL;
    }
    struct bthread *t = &pool[i];
    memset(t, 0, sizeof(*t));
    t->index = i;

    const seL4_BootInfo *bi = arca_bootinfo();
    uintptr_t ipc_va = (uintptr_t)ipc_pages[i];
    seL4_Word page = (ipc_va - (uintptr_t)__executable_start) / 4096;
    seL4_CPtr ipc_frame = vs != NULL && vs->image_copies != 0 ? vs->image_copies + page
                                                              : bi->userImageFrames.start + page;
    memset(ipc_pages[i], 0, sizeof(ipc_pages[i]));
    memset(tls_areas[i], 0, sizeof(tls_areas[i]));
    uintptr_t tp = arca_tls_init(tls_areas[i], sizeof(tls_areas[i]));
    if (tp == 0) {
        set_error("TLS block too large");
        return NULL;
    }
    t->tcb = obj_new(seL4_TCBObject, 0);
    if (t->tcb == 0)
        return NULL;
    pool_used[i] = true;
    seL4_Error e = seL4_TCB_Configure(t->tcb, 0, seL4_CapInitThreadCNode, 0,
                                      vs != NULL ? vs->pml4 : seL4_CapInitThreadVSpace, 0,
                                      ipc_va, ipc_frame);
    if (e != seL4_NoError) {
        set_error("TCB_Configure: error %d", (int)e);
        return NULL;
    }
    e = set_prio(t->tcb, prio);
    if (e != seL4_NoError) {
        set_error("TCB_SetPriority: error %d", (int)e);
        return NULL;
    }
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
    uintptr_t sp = ((uintptr_t)stacks[i] + STACK_SIZE) - 8;     /* as after a call */
    *(volatile uint64_t *)sp = 0;
    ctx.rip = (seL4_Word)(uintptr_t)trampoline;
    ctx.rsp = sp;
    ctx.rflags = 0x202;
    ctx.rdi = (seL4_Word)(uintptr_t)fn;
    ctx.rsi = (seL4_Word)(uintptr_t)arg;
    ctx.rdx = ipc_va;
    ctx.rcx = (seL4_Word)(uintptr_t)t;
    ctx.fs_base = tp;
    e = seL4_TCB_WriteRegisters(t->tcb, true, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx);
    if (e != seL4_NoError) {
        set_error("TCB_WriteRegisters: error %d", (int)e);
        return NULL;
    }
    return t;
}

void threads_reap(void)
{
    for (int i = 0; i < THREADS; i++) {
        if (pool_used[i] && pool[i].tcb != 0)
            (void)seL4_TCB_Suspend(pool[i].tcb);
    }
    for (int i = 0; i < THREADS; i++) {
        if (pool_used[i] && pool[i].tcb != 0)
            (void)slot_delete(pool[i].tcb);
        pool_used[i] = false;
    }
}

void settle(void)
{
    (void)set_prio(seL4_CapInitThreadTCB, SETTLE_PRIO);
    seL4_Yield();
    (void)set_prio(seL4_CapInitThreadTCB, ROOT_PRIO);
}
