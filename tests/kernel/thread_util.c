/* Threads for the kernel tests; see thread_util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arca/runtime.h>
#include "thread_util.h"

/* From user.ld: the image starts here and its frames are
 * userImageFrames.start.. in ascending virtual order (boot.md §2, §4). */
extern char __executable_start[];
extern char _end[];

_Thread_local volatile seL4_Word tls_probe = TLS_PROBE_INIT;
static _Thread_local struct thread *tls_thread;

static unsigned char stacks[THREAD_MAX][THREAD_STACK_SIZE] __attribute__((aligned(16)));
static unsigned char tls_areas[THREAD_MAX][THREAD_TLS_SIZE] __attribute__((aligned(64)));
static unsigned char ipc_pages[THREAD_MAX][4096] __attribute__((aligned(4096)));
static struct thread pool[THREAD_MAX];
static bool pool_used[THREAD_MAX];

static seL4_CPtr env_ut;
static char err_text[160];

static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_text, sizeof(err_text), fmt, ap);
    va_end(ap);
}

const char *thread_error(void)
{
    return err_text;
}

/* ---- environment ------------------------------------------------------------- */

void thread_env_begin(void)
{
    env_ut = 0;
    err_text[0] = '\0';
    (void)root_prio(ROOT_PRIO);
}

void thread_env_end(void)
{
    /* Stop everything first, so that nothing runs while TCBs are deleted. */
    for (int i = 0; i < THREAD_MAX; i++) {
        if (pool_used[i])
            (void)seL4_TCB_Suspend(pool[i].tcb);
    }
    for (int i = 0; i < THREAD_MAX; i++) {
        if (pool_used[i])
            thread_destroy(&pool[i]);
    }
    (void)root_prio(ROOT_PRIO);
    seL4_SetCapReceivePath(0, 0, 0);
    for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
        seL4_SetCap(i, 0);
    env_ut = 0;     /* its slot is revoked and freed by ws_end() */
}

/* ---- objects --------------------------------------------------------------------- */

seL4_CPtr env_untyped(void)
{
    if (env_ut == 0) {
        env_ut = ut_carve(18);
        if (env_ut == 0)
            set_error("could not carve a 2^18-byte untyped");
    }
    return env_ut;
}

seL4_CPtr new_obj(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr ut = env_untyped();
    if (ut == 0)
        return 0;
    seL4_Error e;
    seL4_CPtr s = mk_obj(ut, type, size_bits, &e);
    if (s == 0)
        set_error("Retype of type %lu failed: %s", (unsigned long)type, err_name(e));
    return s;
}

seL4_CPtr cap_copy(seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        set_error("out of slots");
        return 0;
    }
    seL4_Error e = r_copy(s, src, rights);
    if (e != seL4_NoError) {
        set_error("CNode_Copy from %lu: %s", (unsigned long)src, err_name(e));
        slot_free(s);
        return 0;
    }
    return s;
}

seL4_CPtr cap_mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        set_error("out of slots");
        return 0;
    }
    seL4_Error e = r_mint(s, src, rights, badge);
    if (e != seL4_NoError) {
        set_error("CNode_Mint from %lu: %s", (unsigned long)src, err_name(e));
        slot_free(s);
        return 0;
    }
    return s;
}

seL4_CPtr new_cnode(unsigned radix)
{
    return new_obj(seL4_CapTableObject, radix);
}

seL4_Error cn_copy(seL4_CPtr cn, unsigned radix, seL4_Word index, seL4_CPtr src,
                   seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(cn, index, (seL4_Uint8)radix, ROOT_CNODE, src, ROOT_DEPTH, rights);
}

seL4_Error cn_mint(seL4_CPtr cn, unsigned radix, seL4_Word index, seL4_CPtr src,
                   seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(cn, index, (seL4_Uint8)radix, ROOT_CNODE, src, ROOT_DEPTH, rights,
                           badge);
}

/* ---- image frames ------------------------------------------------------------------ */

seL4_CPtr image_frame_cap(const void *page)
{
    const seL4_BootInfo *bi = test_bootinfo();
    uintptr_t va = (uintptr_t)page, base = (uintptr_t)__executable_start;
    if ((va & 0xFFF) != 0 || va < base || va >= (uintptr_t)_end)
        return 0;
    seL4_CPtr s = bi->userImageFrames.start + (va - base) / 4096;
    if (s >= bi->userImageFrames.end)
        return 0;
    return s;
}

bool syscall_insn_at(seL4_Word rip)
{
    if (rip < (uintptr_t)__executable_start || rip + 2 > (uintptr_t)_end)
        return false;
    const volatile unsigned char *p = (const volatile unsigned char *)rip;
    return p[0] == 0x0F && p[1] == 0x05;
}

/* ---- threads ----------------------------------------------------------------------- */

/*
 * First code of every test thread (rip after WriteRegisters; arguments in
 * rdi, rsi, rdx, rcx).  The stack is set up as if it had been called.
 */
static void thread_trampoline(thread_fn *fn, void *arg, seL4_IPCBuffer *ipc, struct thread *t)
{
    seL4_SetIPCBuffer(ipc);
    tls_thread = t;
    __atomic_store_n(&t->started, 1, __ATOMIC_SEQ_CST);
    fn(arg);
    __atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
    if (t->self != 0)
        (void)seL4_TCB_Suspend(t->self);
    for (;;) {
        /* Resumed after it finished, no cap to itself, or a kernel whose
         * Suspend returned at once: never spin at a priority that would
         * keep the root out of settle().  Drop to priority 0 (if the
         * thread can name the root's TCB) and stop by faulting: Recv on a
         * CPtr that cannot be resolved, no fault handler → Inactive. */
        if (t->self == t->tcb)
            (void)seL4_TCB_SetPriority(t->self, seL4_CapInitThreadTCB, 0);
        seL4_Word badge;
        (void)seL4_Recv((seL4_CPtr)-1, &badge);
        if (t->self != 0)
            (void)seL4_TCB_Suspend(t->self);
    }
}

struct thread *thread_self(void)
{
    return tls_thread;
}

struct thread *thread_create_opts(const struct thread_opts *o)
{
    int i;
    for (i = 0; i < THREAD_MAX && pool_used[i]; i++)
        ;
    if (i == THREAD_MAX) {
        set_error("all %d thread pool entries in use", THREAD_MAX);
        return NULL;
    }
    struct thread *t = &pool[i];
    memset(t, 0, sizeof(*t));
    t->index = i;

    if (o->ipc_offset >= 4096 || (o->ipc_offset & 1023) != 0) {
        set_error("bad IPC buffer offset %lu", (unsigned long)o->ipc_offset);
        return NULL;
    }
    memset(ipc_pages[i], 0, sizeof(ipc_pages[i]));
    t->ipc = (seL4_IPCBuffer *)(ipc_pages[i] + o->ipc_offset);
    t->ipc_frame = image_frame_cap(ipc_pages[i]);
    if (t->ipc_frame == 0 || ctype(t->ipc_frame) != CT_FRAME) {
        set_error("no image frame cap for the IPC page (slot %lu, type %lu)",
                  (unsigned long)t->ipc_frame,
                  (unsigned long)(t->ipc_frame ? ctype(t->ipc_frame) : 0));
        return NULL;
    }
    memset(tls_areas[i], 0, sizeof(tls_areas[i]));
    t->tp = arca_tls_init(tls_areas[i], sizeof(tls_areas[i]));
    if (t->tp == 0) {
        set_error("TLS block does not fit in %d bytes", THREAD_TLS_SIZE);
        return NULL;
    }
    t->stack_top = ((uintptr_t)stacks[i] + THREAD_STACK_SIZE) & ~(uintptr_t)15;

    seL4_CPtr ut = env_untyped();
    if (ut == 0)
        return NULL;
    seL4_Error e;
    t->tcb = mk_obj(ut, seL4_TCBObject, 0, &e);
    if (t->tcb == 0) {
        set_error("Retype of a TCB failed: %s", err_name(e));
        return NULL;
    }

    seL4_CPtr cspace = o->cspace != 0 ? o->cspace : ROOT_CNODE;
    seL4_Word cdata = o->cspace != 0 ? cnode_data(0, 64 - o->cspace_radix) : 0;
    e = seL4_TCB_Configure(t->tcb, 0, cspace, cdata, seL4_CapInitThreadVSpace, 0,
                           o->no_ipc_buffer ? 0 : (seL4_Word)t->ipc,
                           o->no_ipc_buffer ? seL4_CapNull : t->ipc_frame);
    if (e != seL4_NoError) {
        set_error("TCB_Configure: %s", err_name(e));
        goto fail;
    }
    e = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, o->prio);
    if (e != seL4_NoError) {
        set_error("TCB_SetPriority(%lu): %s", (unsigned long)o->prio, err_name(e));
        goto fail;
    }
    if (o->cspace == 0) {
        t->self = t->tcb;
    } else if (o->self_index != 0) {
        e = cn_copy(o->cspace, o->cspace_radix, o->self_index, t->tcb, seL4_AllRights);
        if (e != seL4_NoError) {
            set_error("copy of the TCB cap into its CSpace: %s", err_name(e));
            goto fail;
        }
        t->self = o->self_index;
    }
    pool_used[i] = true;
    return t;

fail:
    (void)r_delete(t->tcb);
    slot_free(t->tcb);
    t->tcb = 0;
    return NULL;
}

struct thread *thread_create(seL4_Word prio)
{
    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = prio;
    return thread_create_opts(&o);
}

void thread_context(struct thread *t, thread_fn *fn, void *arg, seL4_UserContext *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    /* As right after a call: rsp + 8 is 16-byte aligned. */
    uintptr_t sp = t->stack_top - 8;
    *(volatile uint64_t *)sp = 0;
    ctx->rip = (seL4_Word)(uintptr_t)thread_trampoline;
    ctx->rsp = sp;
    ctx->rflags = RFLAGS_DEFAULT;
    ctx->rdi = (seL4_Word)(uintptr_t)fn;
    ctx->rsi = (seL4_Word)(uintptr_t)arg;
    ctx->rdx = (seL4_Word)(uintptr_t)t->ipc;
    ctx->rcx = (seL4_Word)(uintptr_t)t;
    ctx->fs_base = t->tp;
}

seL4_Error thread_prepare(struct thread *t, thread_fn *fn, void *arg, bool resume)
{
    seL4_UserContext ctx;
    t->fn = fn;
    t->arg = arg;
    t->started = 0;
    t->done = 0;
    thread_context(t, fn, arg, &ctx);
    return seL4_TCB_WriteRegisters(t->tcb, resume, 0, 20, &ctx);
}

struct thread *thread_spawn(thread_fn *fn, void *arg, seL4_Word prio)
{
    struct thread *t = thread_create(prio);
    if (t == NULL)
        return NULL;
    seL4_Error e = thread_start(t, fn, arg);
    if (e != seL4_NoError) {
        set_error("TCB_WriteRegisters: %s", err_name(e));
        thread_destroy(t);
        return NULL;
    }
    return t;
}

void thread_destroy(struct thread *t)
{
    if (t == NULL || !pool_used[t->index])
        return;
    if (t->tcb != 0) {
        (void)r_delete(t->tcb);
        if (ctype(t->tcb) == CT_NULL)
            slot_free(t->tcb);
    }
    pool_used[t->index] = false;
}

seL4_Error thread_regs(struct thread *t, seL4_UserContext *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    return seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, ctx);
}

/* ---- scheduling ------------------------------------------------------------------------ */

seL4_Error root_prio(seL4_Word prio)
{
    return seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio);
}

void settle(void)
{
    (void)root_prio(ROOT_SETTLE_PRIO);
    seL4_Yield();
    (void)root_prio(ROOT_PRIO);
}

uint64_t tsc_after_ms(unsigned ms)
{
    uint64_t mhz = test_tsc_mhz();
    if (mhz == 0)
        mhz = 2000;
    return test_rdtsc() + (uint64_t)ms * 1000 * mhz;
}

void delay_ms(unsigned ms)
{
    uint64_t end = tsc_after_ms(ms);
    while (test_rdtsc() < end)
        __asm__ volatile("pause");
}

bool wait_flag(volatile int *flag, unsigned ms)
{
    uint64_t end = tsc_after_ms(ms);
    while (*flag == 0 && test_rdtsc() < end)
        seL4_Yield();
    return *flag != 0;
}

/* ---- event log --------------------------------------------------------------------------- */

const char *ev_str(const struct evlog *l)
{
    static char buf[256];
    int n = l->n < EVLOG_MAX ? l->n : EVLOG_MAX;
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && off + 16 < sizeof(buf); i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%d", i ? " " : "", l->ev[i]);
    if (n == 0)
        snprintf(buf, sizeof(buf), "(empty)");
    return buf;
}

bool ev_equal(const struct evlog *l, const int *want, int n)
{
    if (l->n != n)
        return false;
    for (int i = 0; i < n; i++) {
        if (l->ev[i] != want[i])
            return false;
    }
    return true;
}

/* ---- actors ---------------------------------------------------------------------------------- */

int pattern_mismatch(const seL4_Word *mr, seL4_Word seed, int n)
{
    for (int i = 0; i < n; i++) {
        if (mr[i] != mr_pattern(seed, i))
            return i;
    }
    return -1;
}

void actor_init(struct actor *a, int op, seL4_CPtr cap)
{
    memset(a, 0, sizeof(*a));
    a->op = op;
    a->cap = cap;
    a->repeat = 1;
}

struct thread *actor_spawn(struct actor *a, int op, seL4_CPtr cap, seL4_Word prio)
{
    /* Keep fields the test already set; only op and cap are given here. */
    a->op = op;
    a->cap = cap;
    if (a->repeat == 0)
        a->repeat = 1;
    return thread_spawn(actor_fn, a, prio);
}

static void actor_record(struct actor *a, int k, seL4_MessageInfo_t info, seL4_Word badge)
{
    a->info = info;
    a->badge = badge;
    for (int i = 0; i < seL4_MsgMaxLength; i++)
        a->mr[i] = seL4_GetMR(i);
    for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
        a->cb[i] = seL4_GetBadge(i);
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    a->tail[0] = b->userData;
    a->tail[1] = b->receiveCNode;
    a->tail[2] = b->receiveIndex;
    a->tail[3] = b->receiveDepth;
    if (k < ACTOR_MAX_REPEAT) {
        a->infos[k] = info;
        a->badges[k] = badge;
        a->mr0s[k] = seL4_GetMR(0);
    }
}

void actor_fn(void *arg)
{
    struct actor *a = arg;
    int repeat = a->repeat > 0 ? a->repeat : 1;

    for (int k = 0; k < repeat; k++) {
        seL4_Word len = a->length < seL4_MsgMaxLength ? a->length : seL4_MsgMaxLength;
        seL4_MessageInfo_t info = msg_info(a->label, a->ncaps, a->length);
        seL4_MessageInfo_t got = { { 0 } };
        seL4_Word badge = 0;

        seL4_SetUserData(ACTOR_CB_SENTINEL);
        if (a->recv_path)
            seL4_SetCapReceivePath(a->rp_root, a->rp_index, a->rp_depth);
        else
            seL4_SetCapReceivePath(ACTOR_CB_SENTINEL + 1, ACTOR_CB_SENTINEL + 2,
                                   ACTOR_CB_SENTINEL + 3);
        switch (a->op) {
        case OP_SEND:
        case OP_NBSEND:
        case OP_CALL:
            for (seL4_Word i = 0; i < len; i++)
                seL4_SetMR((int)i, mr_pattern(a->seed + (seL4_Word)k, (int)i));
            for (seL4_Word i = 0; i < a->ncaps && i < seL4_MsgMaxExtraCaps; i++)
                seL4_SetCap((int)i, a->caps[i]);
            break;
        default:
            for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
                seL4_GetIPCBuffer()->caps_or_badges[i] = ACTOR_CB_SENTINEL;
            break;
        }

        __atomic_fetch_add(&a->entered, 1, __ATOMIC_SEQ_CST);
        switch (a->op) {
        case OP_SEND:
            seL4_Send(a->cap, info);
            break;
        case OP_NBSEND:
            seL4_NBSend(a->cap, info);
            break;
        case OP_CALL:
            for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
                seL4_GetIPCBuffer()->caps_or_badges[i] = a->caps[i];
            got = arca_send_recv_buffer(seL4_SysCall, a->cap, info, &badge);
            actor_record(a, k, got, badge);
            break;
        case OP_RECV:
            got = seL4_Recv(a->cap, &badge);
            actor_record(a, k, got, badge);
            break;
        case OP_NBRECV:
            got = seL4_NBRecv(a->cap, &badge);
            actor_record(a, k, got, badge);
            break;
        case OP_WAIT:
            seL4_Wait(a->cap, &badge);
            actor_record(a, k, got, badge);
            break;
        case OP_POLL:
            got = seL4_Poll(a->cap, &badge);
            actor_record(a, k, got, badge);
            break;
        case OP_SIGNAL:
            seL4_Signal(a->cap);
            break;
        default:
            break;
        }
        __atomic_fetch_add(&a->completed, 1, __ATOMIC_SEQ_CST);
        if (a->log != NULL)
            ev_add(a->log, a->id);
    }
}

test_result_t actor_check(const struct actor *a, seL4_Word label, seL4_Word len,
                          seL4_Word seed, seL4_Word badge, const char *file, int line)
{
    if (a->completed < 1)
        return test_fail(file, line, "no message received");
    if (INFO_LABEL(a->info) != label)
        return test_fail(file, line, "label %#lx, expected %#lx",
                         (unsigned long)INFO_LABEL(a->info), (unsigned long)label);
    if (INFO_LEN(a->info) != len)
        return test_fail(file, line, "length %lu, expected %lu",
                         (unsigned long)INFO_LEN(a->info), (unsigned long)len);
    if (a->badge != badge)
        return test_fail(file, line, "badge %#lx, expected %#lx", (unsigned long)a->badge,
                         (unsigned long)badge);
    int bad = pattern_mismatch(a->mr, seed, (int)len);
    if (bad >= 0)
        return test_fail(file, line, "MR%d = %#lx, expected %#lx", bad,
                         (unsigned long)a->mr[bad], (unsigned long)mr_pattern(seed, bad));
    return PASS;
}
