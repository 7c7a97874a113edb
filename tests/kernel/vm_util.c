/* Helpers for the virtual-memory tests; see vm_util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arca/runtime.h>
#include "vm_util.h"

/* From user.ld: the image is [__executable_start, _end), its frames are
 * userImageFrames in ascending virtual order (boot.md §2, §4). */
extern char __executable_start[];
extern char _end[];

#define VM_STACK_SIZE   16384
#define VM_TLS_SIZE     4096
#define VM_STACK_PAGES  (VM_STACK_SIZE / 4096)
#define VM_PRIV_STRIDE  0x10000UL       /* per pool entry: stack, then IPC page */
#define VM_PRIV_IPC     0x8000UL

static char err_text[200];

static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_text, sizeof(err_text), fmt, ap);
    va_end(ap);
}

const char *vm_error(void)
{
    return err_text;
}

/* ---- the one-instruction accessors -------------------------------------- */

__asm__(".text\n"
        ".globl vm_load64\n"
        ".type vm_load64, @function\n"
        "vm_load64:\n"
        ".globl vm_load64_insn\n"
        "vm_load64_insn:\n"
        "    movq (%rdi), %rax\n"
        "    ret\n"
        ".size vm_load64, . - vm_load64\n"
        ".globl vm_store64\n"
        ".type vm_store64, @function\n"
        "vm_store64:\n"
        ".globl vm_store64_insn\n"
        "vm_store64_insn:\n"
        "    movq %rsi, (%rdi)\n"
        "    ret\n"
        ".size vm_store64, . - vm_store64\n");

/* ---- objects ---------------------------------------------------------------- */

static seL4_CPtr ut_slot_cur;

seL4_CPtr vm_ut(void)
{
    if (ut_slot_cur == 0) {
        ut_slot_cur = ut_carve(20);
        if (ut_slot_cur == 0)
            set_error("could not carve a 2^20-byte untyped");
    }
    return ut_slot_cur;
}

static seL4_CPtr obj_from(seL4_CPtr ut, seL4_Word type)
{
    seL4_Error e;
    seL4_CPtr s = mk_obj(ut, type, 0, &e);
    if (s == 0)
        set_error("Retype of type %lu: %s", (unsigned long)type, err_name(e));
    return s;
}

seL4_CPtr vm_obj(seL4_Word type)
{
    seL4_CPtr ut = vm_ut();
    return ut == 0 ? 0 : obj_from(ut, type);
}

seL4_CPtr vm_frame(unsigned bits)
{
    switch (bits) {
    case seL4_PageBits:
        return vm_obj(seL4_X86_4K);
    case seL4_LargePageBits:
    case seL4_HugePageBits: {
        seL4_CPtr ut = ut_carve(bits);
        if (ut == 0) {
            set_error("no RAM untyped of 2^%u bytes", bits);
            return 0;
        }
        return obj_from(ut, bits == seL4_LargePageBits ? seL4_X86_LargePageObject
                                                       : seL4_X64_HugePageObject);
    }
    default:
        set_error("no frame size 2^%u", bits);
        return 0;
    }
}

seL4_CPtr vm_copy(seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        set_error("out of slots");
        return 0;
    }
    seL4_Error e = r_copy(s, src, rights);
    if (e != seL4_NoError) {
        set_error("CNode_Copy of %lu: %s", (unsigned long)src, err_name(e));
        slot_free(s);
        return 0;
    }
    return s;
}

seL4_Word vm_region(void)
{
    static seL4_Word next = 1;
    seL4_Word idx = next++;
    if (next > 254)
        next = 1;
    return idx * VM_512G;
}

seL4_Word vm_paddr(seL4_CPtr frame)
{
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(frame);
    if (r.error != seL4_NoError) {
        set_error("GetAddress: %s", err_name(r.error));
        return (seL4_Word)-1;
    }
    return r.paddr;
}

/* ---- address spaces --------------------------------------------------------- */

static const seL4_Word level_span[4] = { 0, VM_512G, VM_1G, VM_2M };

void vs_root(struct vspace *vs)
{
    memset(vs, 0, sizeof(*vs));
    vs->pml4 = seL4_CapInitThreadVSpace;
    vs->root = true;
}

bool vs_create(struct vspace *vs, seL4_CPtr pool)
{
    memset(vs, 0, sizeof(*vs));
    vs->pml4 = vm_obj(seL4_X64_PML4Object);
    if (vs->pml4 == 0)
        return false;
    seL4_Error e = seL4_X86_ASIDPool_Assign(pool != 0 ? pool : seL4_CapInitThreadASIDPool,
                                            vs->pml4);
    if (e != seL4_NoError) {
        set_error("ASIDPool_Assign: %s", err_name(e));
        return false;
    }
    return true;
}

seL4_CPtr vs_table(struct vspace *vs, seL4_Word va, int level)
{
    if (level < 1 || level > 3)
        return 0;
    seL4_Word base = va & ~(level_span[level] - 1);
    for (int i = 0; i < vs->ntab; i++) {
        if (vs->tab[i].level == level && vs->tab[i].base == base)
            return vs->tab[i].cap;
    }
    return 0;
}

void vs_forget(struct vspace *vs, seL4_CPtr cap)
{
    int j = 0;
    for (int i = 0; i < vs->ntab; i++) {
        if (vs->tab[i].cap != cap)
            vs->tab[j++] = vs->tab[i];
    }
    vs->ntab = j;
}

seL4_Error vs_tables(struct vspace *vs, seL4_Word va, int depth)
{
    static const seL4_Word type[4] = { 0, seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                       seL4_X86_PageTableObject };
    for (int level = 1; level <= depth && level <= 3; level++) {
        if (vs_table(vs, va, level) != 0)
            continue;
        if (vs->ntab == VS_MAX_TABLES) {
            set_error("more than %d tables", VS_MAX_TABLES);
            return seL4_NotEnoughMemory;
        }
        seL4_CPtr t = vm_obj(type[level]);
        if (t == 0)
            return seL4_NotEnoughMemory;
        seL4_Error e;
        if (level == 1)
            e = seL4_X86_PDPT_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        else if (level == 2)
            e = seL4_X86_PageDirectory_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        else
            e = seL4_X86_PageTable_Map(t, vs->pml4, va, seL4_X86_Default_VMAttributes);
        if (e != seL4_NoError) {
            set_error("mapping a level-%d table at %#lx: %s", level, (unsigned long)va,
                      err_name(e));
            return e;
        }
        vs->tab[vs->ntab].base = va & ~(level_span[level] - 1);
        vs->tab[vs->ntab].level = level;
        vs->tab[vs->ntab].cap = t;
        vs->ntab++;
    }
    return seL4_NoError;
}

seL4_Error vs_map(struct vspace *vs, seL4_CPtr frame, unsigned bits, seL4_Word va,
                  seL4_CapRights_t rights)
{
    seL4_Error e = vs_tables(vs, va, depth_of(bits));
    if (e != seL4_NoError)
        return e;
    e = seL4_X86_Page_Map(frame, vs->pml4, va, rights, seL4_X86_Default_VMAttributes);
    if (e != seL4_NoError)
        set_error("Page_Map at %#lx: %s", (unsigned long)va, err_name(e));
    return e;
}

seL4_CPtr vs_page(struct vspace *vs, seL4_Word va, seL4_CapRights_t rights)
{
    seL4_CPtr f = vm_frame(seL4_PageBits);
    if (f == 0)
        return 0;
    return vs_map(vs, f, seL4_PageBits, va, rights) == seL4_NoError ? f : 0;
}

bool vs_map_image(struct vspace *vs)
{
    if (vs->image || vs->root)
        return true;
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start;
    seL4_Word base = (seL4_Word)(uintptr_t)__executable_start;
    if (n * VM_4K < (seL4_Word)((uintptr_t)_end - (uintptr_t)__executable_start)) {
        set_error("userImageFrames (%lu) do not cover the image", (unsigned long)n);
        return false;
    }
    seL4_CPtr first = slot_alloc_range(n);
    if (first == 0) {
        set_error("no %lu free slots for the image copies", (unsigned long)n);
        return false;
    }
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Error e = r_copy(first + i, bi->userImageFrames.start + i, seL4_AllRights);
        if (e != seL4_NoError) {
            set_error("copy of image frame %lu: %s", (unsigned long)i, err_name(e));
            return false;
        }
        if (vs_map(vs, first + i, seL4_PageBits, base + i * VM_4K, seL4_ReadWrite) !=
            seL4_NoError)
            return false;
    }
    vs->image = true;
    return true;
}

/* ---- threads ------------------------------------------------------------------- */

static unsigned char vm_stacks[VM_THREADS][VM_STACK_SIZE] __attribute__((aligned(16)));
static unsigned char vm_tls[VM_THREADS][VM_TLS_SIZE] __attribute__((aligned(64)));
static unsigned char vm_ipc[VM_THREADS][4096] __attribute__((aligned(4096)));
static struct vm_thread pool[VM_THREADS];
static bool pool_used[VM_THREADS];

/* First code of every thread: rdi, rsi, rdx, rcx as set by vm_start. */
static void vm_trampoline(vm_fn *fn, void *arg, seL4_IPCBuffer *ipc, struct vm_thread *t)
{
    seL4_SetIPCBuffer(ipc);
    t->started = 1;
    fn(arg);
    t->done = 1;
    for (;;)
        (void)seL4_TCB_Suspend(t->tcb);
}

static seL4_Error root_prio_set(seL4_Word prio)
{
    return seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio);
}

void vm_settle(void)
{
    (void)root_prio_set(1);
    seL4_Yield();
    (void)root_prio_set(VM_ROOT_PRIO);
}

void vm_share_cpu(seL4_Word prio, int n)
{
    (void)root_prio_set(prio);
    for (int i = 0; i < n; i++)
        seL4_Yield();
    (void)root_prio_set(VM_ROOT_PRIO);
}

static int pool_take(void)
{
    for (int i = 0; i < VM_THREADS; i++) {
        if (!pool_used[i])
            return i;
    }
    set_error("all %d vm threads in use", VM_THREADS);
    return -1;
}

static struct vm_thread *vm_start(int i, struct vspace *vs, vm_fn *fn, void *arg, seL4_Word prio,
                                  seL4_CPtr ipc_frame, uintptr_t ipc_va, uintptr_t stack_top)
{
    struct vm_thread *t = &pool[i];
    memset(t, 0, sizeof(*t));
    t->index = i;
    t->vs = vs;
    t->ipc = (seL4_IPCBuffer *)ipc_va;
    t->stack_top = stack_top;
    memset(vm_tls[i], 0, sizeof(vm_tls[i]));
    t->tp = arca_tls_init(vm_tls[i], sizeof(vm_tls[i]));
    if (t->tp == 0) {
        set_error("TLS block does not fit");
        return NULL;
    }
    t->tcb = vm_obj(seL4_TCBObject);
    if (t->tcb == 0)
        return NULL;
    seL4_CPtr vspace = vs != NULL ? vs->pml4 : seL4_CapInitThreadVSpace;
    seL4_Error e = seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, vspace, 0, ipc_va, ipc_frame);
    if (e != seL4_NoError) {
        set_error("TCB_Configure: %s", err_name(e));
        return NULL;
    }
    e = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, prio);
    if (e != seL4_NoError) {
        set_error("TCB_SetPriority: %s", err_name(e));
        return NULL;
    }
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.rip = (seL4_Word)(uintptr_t)vm_trampoline;
    ctx.rsp = stack_top - 8;            /* as right after a call */
    ctx.rflags = 0x202;
    ctx.rdi = (seL4_Word)(uintptr_t)fn;
    ctx.rsi = (seL4_Word)(uintptr_t)arg;
    ctx.rdx = ipc_va;
    ctx.rcx = (seL4_Word)(uintptr_t)t;
    ctx.fs_base = t->tp;
    pool_used[i] = true;
    e = seL4_TCB_WriteRegisters(t->tcb, true, 0, 20, &ctx);
    if (e != seL4_NoError) {
        set_error("TCB_WriteRegisters: %s", err_name(e));
        vm_thread_destroy(t);
        return NULL;
    }
    return t;
}

struct vm_thread *vm_thread_root(vm_fn *fn, void *arg, seL4_Word prio)
{
    int i = pool_take();
    if (i < 0)
        return NULL;
    const seL4_BootInfo *bi = test_bootinfo();
    uintptr_t ipc_va = (uintptr_t)vm_ipc[i];
    seL4_CPtr frame = bi->userImageFrames.start +
                      (ipc_va - (uintptr_t)__executable_start) / VM_4K;
    if (frame >= bi->userImageFrames.end || ctype(frame) != CT_FRAME) {
        set_error("no image frame cap for the IPC page");
        return NULL;
    }
    memset(vm_ipc[i], 0, sizeof(vm_ipc[i]));
    uintptr_t top = (uintptr_t)vm_stacks[i] + VM_STACK_SIZE;
    *(volatile seL4_Word *)(top - 8) = 0;
    return vm_start(i, NULL, fn, arg, prio, frame, ipc_va, top);
}

struct vm_thread *vm_thread_in(struct vspace *vs, vm_fn *fn, void *arg, seL4_Word prio)
{
    if (vs == NULL || vs->root)
        return vm_thread_root(fn, arg, prio);
    int i = pool_take();
    if (i < 0)
        return NULL;
    if (!vs_map_image(vs))
        return NULL;
    seL4_Word base = VM_PRIV_BASE + (seL4_Word)i * VM_PRIV_STRIDE;
    if (vs->ipc_frame[i] == 0) {
        for (int k = 0; k < VM_STACK_PAGES; k++) {
            if (vs_page(vs, base + (seL4_Word)k * VM_4K, seL4_ReadWrite) == 0)
                return NULL;
        }
        seL4_CPtr ipc = vs_page(vs, base + VM_PRIV_IPC, seL4_ReadWrite);
        if (ipc == 0)
            return NULL;
        vs->ipc_frame[i] = ipc;
    }
    return vm_start(i, vs, fn, arg, prio, vs->ipc_frame[i], base + VM_PRIV_IPC,
                    base + VM_STACK_SIZE);
}

void vm_thread_destroy(struct vm_thread *t)
{
    if (t == NULL || !pool_used[t->index])
        return;
    if (t->tcb != 0) {
        (void)seL4_TCB_Suspend(t->tcb);
        (void)r_delete(t->tcb);
        if (ctype(t->tcb) == CT_NULL)
            slot_free(t->tcb);
    }
    pool_used[t->index] = false;
}

seL4_Error vm_regs(struct vm_thread *t, seL4_UserContext *uc)
{
    memset(uc, 0, sizeof(*uc));
    return seL4_TCB_ReadRegisters(t->tcb, false, 0, 20, uc);
}

bool vm_faulted_at(struct vm_thread *t, const char *insn, seL4_Word addr)
{
    if (!t->started) {
        set_error("the thread never reached its function");
        return false;
    }
    if (t->done) {
        set_error("the thread completed (no fault)");
        return false;
    }
    seL4_UserContext uc;
    seL4_Error e = vm_regs(t, &uc);
    if (e != seL4_NoError) {
        set_error("ReadRegisters: %s", err_name(e));
        return false;
    }
    if (uc.rip != (seL4_Word)(uintptr_t)insn) {
        set_error("stopped at rip %#lx, not at the access %#lx", (unsigned long)uc.rip,
                  (unsigned long)(uintptr_t)insn);
        return false;
    }
    if (uc.rdi != addr) {
        set_error("stopped at the access with rdi %#lx, expected %#lx", (unsigned long)uc.rdi,
                  (unsigned long)addr);
        return false;
    }
    return true;
}

/* ---- probes ----------------------------------------------------------------------- */

static struct {
    seL4_Word addr;
    seL4_Word value;
    int write;
} access;

static void access_fn(void *arg)
{
    (void)arg;
    if (access.write)
        vm_store64(access.addr, access.value);
    else
        access.value = vm_load64(access.addr);
}

int vm_probe(struct vspace *vs, bool write, seL4_Word addr, seL4_Word *val)
{
    err_text[0] = '\0';
    access.addr = addr;
    access.value = write ? *val : 0;
    access.write = write;
    struct vm_thread *t = vm_thread_in(vs, access_fn, NULL, VM_PRIO);
    if (t == NULL)
        return PROBE_ERROR;
    vm_settle();
    int r;
    if (t->done) {
        r = PROBE_OK;
        if (!write)
            *val = access.value;
    } else if (vm_faulted_at(t, write ? vm_store64_insn : vm_load64_insn, addr)) {
        r = PROBE_FAULT;
        err_text[0] = '\0';
    } else {
        r = PROBE_ERROR;
    }
    vm_thread_destroy(t);
    return r;
}

const char *vm_probe_name(int r)
{
    switch (r) {
    case PROBE_OK: return "completed";
    case PROBE_FAULT: return "faulted";
    default: return "probe failed:";
    }
}

/* ---- environment ------------------------------------------------------------------ */

void vm_env_begin(void)
{
    ut_slot_cur = 0;
    err_text[0] = '\0';
    (void)root_prio_set(VM_ROOT_PRIO);
}

void vm_env_end(void)
{
    for (int i = 0; i < VM_THREADS; i++) {
        if (pool_used[i])
            (void)seL4_TCB_Suspend(pool[i].tcb);
    }
    for (int i = 0; i < VM_THREADS; i++) {
        if (pool_used[i])
            vm_thread_destroy(&pool[i]);
    }
    (void)root_prio_set(VM_ROOT_PRIO);
    for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
        seL4_SetCap(i, 0);
    ut_slot_cur = 0;            /* its slot is revoked and freed by ws_end() */
}
