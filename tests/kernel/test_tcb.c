/*
 * TCB_*: thread control blocks: starting threads, registers (objects.md
 * §7.2), Suspend/Resume and thread states (§7.1), TLS base, IPC buffer,
 * CSpace/VSpace configuration, notification binding, flags (§7.3) and the
 * error rules of invocations.md §2.2.
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

/* seL4_UserContext as 20 words (objects.md §7.2 order). */
static seL4_Word *uc_words(seL4_UserContext *c)
{
    return (seL4_Word *)c;
}

static const char *const uc_names[20] = {
    "rip", "rsp", "rflags", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "fs_base", "gs_base",
};

/* A context with distinct, valid (canonical, sanitised) values. */
static void uc_fill(seL4_UserContext *c, seL4_Word seed)
{
    seL4_Word *w = uc_words(c);
    for (int i = 0; i < 20; i++)
        w[i] = 0x0000100000000000UL + (seed << 24) + (seL4_Word)i * 0x1010;
    c->rip = 0x401000 + seed * 16;
    c->rflags = 0x2C7;              /* CF PF ZF SF IF + bit 1: survives sanitising */
    c->fs_base = 0x0000700000001000UL + seed * 0x1000;
    c->gs_base = 0x0000700000100000UL + seed * 0x1000;
}

/* Index of the first of registers [from, to) that differs, or -1. */
static int uc_diff(seL4_UserContext *a, seL4_UserContext *b, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (uc_words(a)[i] != uc_words(b)[i])
            return i;
    }
    return -1;
}

#define EXPECT_UC_EQ(got, want, from, to)                                    \
    do {                                                                     \
        int d_ = uc_diff(got, want, from, to);                               \
        EXPECT(d_ < 0, "%s = %#lx, expected %#lx", d_ >= 0 ? uc_names[d_] : "", \
               (unsigned long)uc_words(got)[d_ >= 0 ? d_ : 0],               \
               (unsigned long)uc_words(want)[d_ >= 0 ? d_ : 0]);             \
    } while (0)

struct flag {
    volatile int set;
    volatile seL4_Word value;
};

static void set_flag(void *arg)
{
    struct flag *f = arg;
    f->set = 1;
}

/* ======================================================================
 * Starting threads
 * ====================================================================== */

struct basic {
    volatile uintptr_t ipc_seen, tls_addr, sp;
    volatile seL4_Word tls_initial;
    struct thread *volatile self;
    volatile int ran;
};

static void basic_fn(void *arg)
{
    struct basic *b = arg;
    uintptr_t sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    b->sp = sp;
    b->ipc_seen = (uintptr_t)seL4_GetIPCBuffer();
    b->tls_initial = tls_probe;
    tls_probe = 0x1111;
    b->tls_addr = (uintptr_t)&tls_probe;
    b->self = thread_self();
    b->ran = 1;
}

TTEST(TCB_0001, "a new thread runs with its argument, stack, IPC buffer and TLS")
{
    static struct basic b;
    memset(&b, 0, sizeof(b));
    SPAWN(t, basic_fn, &b, T_PRIO);
    settle();
    EXPECT(b.ran, "thread did not run");
    EXPECT_DONE(t);
    EXPECT(b.self == t, "thread_self() %p, expected %p", (void *)b.self, (void *)t);
    EXPECT(b.ipc_seen == (uintptr_t)t->ipc, "IPC buffer %#lx", (unsigned long)b.ipc_seen);
    EXPECT(b.sp < t->stack_top && b.sp > t->stack_top - THREAD_STACK_SIZE, "rsp %#lx",
           (unsigned long)b.sp);
    EXPECT(b.tls_initial == TLS_PROBE_INIT, "TLS variable started as %#lx",
           (unsigned long)b.tls_initial);
    EXPECT(b.tls_addr < t->tp && b.tls_addr >= t->tp - THREAD_TLS_SIZE,
           "TLS variable at %#lx, thread pointer %#lx", (unsigned long)b.tls_addr,
           (unsigned long)t->tp);
    EXPECT(tls_probe == TLS_PROBE_INIT, "the root's copy changed");
    return PASS;
}

struct tlsmix {
    int id;
    volatile int ok, done;
    volatile uintptr_t addr;
};

static void tlsmix_fn(void *arg)
{
    struct tlsmix *p = arg;
    tls_probe = (seL4_Word)p->id * 0x1111;
    p->addr = (uintptr_t)&tls_probe;
    int ok = 1;
    for (int i = 0; i < 50; i++) {
        seL4_Yield();
        if (tls_probe != (seL4_Word)p->id * 0x1111 || (uintptr_t)&tls_probe != p->addr)
            ok = 0;
        tls_probe = (seL4_Word)p->id * 0x1111;
    }
    p->ok = ok;
}

TTEST(TCB_0002, "threads have separate TLS blocks (FS base per thread)")
{
    static struct tlsmix a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.id = 1;
    b.id = 2;
    SPAWN(ta, tlsmix_fn, &a, T_PRIO);
    SPAWN(tb, tlsmix_fn, &b, T_PRIO);
    settle();
    EXPECT_DONE(ta);
    EXPECT_DONE(tb);
    EXPECT(a.ok && b.ok, "a thread saw another thread's TLS value (%d %d)", a.ok, b.ok);
    EXPECT(a.addr != b.addr && a.addr != (uintptr_t)&tls_probe, "TLS blocks shared");
    return PASS;
}

/* ======================================================================
 * Registers
 * ====================================================================== */

TTEST(TCB_0010, "WriteRegisters/ReadRegisters round trip of all 20 registers")
{
    NEW_THREAD(t, T_PRIO);
    seL4_UserContext w, r;
    uc_fill(&w, 1);
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &w, 0, 20);
    return PASS;
}

TTEST(TCB_0011, "WriteRegisters sanitises rflags (objects.md §7.2)")
{
    NEW_THREAD(t, T_PRIO);
    static const seL4_Word cases[][2] = {
        { ~0UL, 0xED7 },                    /* bits 0..11 only; 3, 5, TF clear */
        { 0, 0x202 },                       /* bit 1 and IF forced on */
        { 0x100, 0x202 },                   /* TF */
        { 0x28, 0x202 },                    /* bits 3 and 5 */
        { 0x4000, 0x202 },                  /* NT (bit 14) */
        { 0x100000001UL, 0x203 },
        { 0x2C7, 0x2C7 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seL4_UserContext w, r;
        uc_fill(&w, 2);
        w.rflags = cases[i][0];
        EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);
        EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
        EXPECT(r.rflags == cases[i][1], "rflags %#lx read back as %#lx, expected %#lx",
               (unsigned long)cases[i][0], (unsigned long)r.rflags, (unsigned long)cases[i][1]);
        w.rflags = cases[i][1];
        EXPECT_UC_EQ(&r, &w, 0, 20);
    }
    return PASS;
}

TTEST(TCB_0012, "WriteRegisters zeroes non-canonical rip, fs_base and gs_base")
{
    NEW_THREAD(t, T_PRIO);
    seL4_UserContext w, r;
    uc_fill(&w, 3);
    w.rip = 0x0000800000000000UL;
    w.fs_base = 0xFFFF7FFFFFFFFFFFUL;
    w.gs_base = 0x8000000000000000UL;
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT(r.rip == 0 && r.fs_base == 0 && r.gs_base == 0, "rip %#lx fs %#lx gs %#lx",
           (unsigned long)r.rip, (unsigned long)r.fs_base, (unsigned long)r.gs_base);
    EXPECT_UC_EQ(&r, &w, 1, 18);

    /* Canonical values, low and high half, are kept. */
    w.rip = 0x00007FFFFFFFF000UL;
    w.fs_base = 0xFFFF800000000000UL;
    w.gs_base = 0x0000000012345000UL;
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &w, 0, 20);
    return PASS;
}

TTEST(TCB_0013, "ReadRegisters: count 1..20 (RangeError 1..20), reply length = count")
{
    NEW_THREAD(t, T_PRIO);
    seL4_UserContext w, r;
    uc_fill(&w, 4);
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 0, &r), seL4_RangeError);
    EXPECT_MRS(1, 20);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 21, &r), seL4_RangeError);
    EXPECT_MRS(1, 20);

    seL4_Word mr[2] = { 0, 3 };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBReadRegisters, 2, 0, NULL, mr, 2);
    EXPECT(INFO_LABEL(info) == 0 && INFO_LEN(info) == 3, "count 3: reply info %#lx",
           (unsigned long)info.words[0]);
    EXPECT_MRS(w.rip, w.rsp, w.rflags);
    mr[1] = 1;
    info = raw_call(t->tcb, TCBReadRegisters, 2, 0, NULL, mr, 2);
    EXPECT(INFO_LABEL(info) == 0 && INFO_LEN(info) == 1, "count 1: reply info %#lx",
           (unsigned long)info.words[0]);
    info = raw_call(t->tcb, TCBReadRegisters, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 1: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(TCB_0014, "WriteRegisters: TruncatedMessage rules, count > 20 treated as 20")
{
    NEW_THREAD(t, T_PRIO);
    seL4_UserContext w, r;
    uc_fill(&w, 5);
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &w), seL4_NoError);

    seL4_Word mr[23];
    mr[0] = 0;
    mr[1] = 4;
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBWriteRegisters, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 1: label %lu",
           (unsigned long)INFO_LABEL(info));
    /* length - 2 = 3 < count 4 */
    mr[2] = 0x402000;
    mr[3] = 0x1234560;
    mr[4] = 0x246;
    mr[5] = 0xAAAA;
    info = raw_call(t->tcb, TCBWriteRegisters, 5, 0, NULL, mr, 5);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 5, count 4: label %lu",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &w, 0, 20);                /* nothing written */

    /* length 6, count 4: rip, rsp, rflags, rax written, the rest kept. */
    info = raw_call(t->tcb, TCBWriteRegisters, 6, 0, NULL, mr, 6);
    EXPECT(INFO_LABEL(info) == 0, "length 6, count 4: label %lu", (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    w.rip = mr[2];
    w.rsp = mr[3];
    w.rflags = mr[4];
    w.rax = mr[5];
    EXPECT_UC_EQ(&r, &w, 0, 20);

    /* count 21 with 21 values: accepted, only 20 registers exist. */
    uc_fill(&w, 6);
    mr[1] = 21;
    for (int i = 0; i < 20; i++)
        mr[2 + i] = uc_words(&w)[i];
    mr[22] = 0x5151;
    info = raw_call(t->tcb, TCBWriteRegisters, 23, 0, NULL, mr, 23);
    EXPECT(INFO_LABEL(info) == 0, "count 21: label %lu", (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &w, 0, 20);

    /* count 0: nothing changes. */
    mr[1] = 0;
    info = raw_call(t->tcb, TCBWriteRegisters, 2, 0, NULL, mr, 2);
    EXPECT(INFO_LABEL(info) == 0, "count 0: label %lu", (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &w, 0, 20);
    return PASS;
}

struct selfregs {
    volatile seL4_Error rerr, werr;
    volatile int survived;
};

static void selfregs_fn(void *arg)
{
    struct selfregs *p = arg;
    seL4_UserContext c;
    memset(&c, 0, sizeof(c));
    p->rerr = seL4_TCB_ReadRegisters(thread_self()->tcb, 0, 0, 20, &c);
    memset(&c, 0, sizeof(c));
    p->werr = seL4_TCB_WriteRegisters(thread_self()->tcb, 0, 0, 20, &c);
    p->survived = 1;
}

TTEST(TCB_0015, "Read/WriteRegisters on the calling thread: IllegalOperation")
{
    static struct selfregs p;
    memset(&p, 0, sizeof(p));
    SPAWN(t, selfregs_fn, &p, T_PRIO);
    settle();
    EXPECT(p.survived, "the thread did not survive WriteRegisters on itself");
    EXPECT(p.rerr == seL4_IllegalOperation, "ReadRegisters(self): %s", err_name(p.rerr));
    EXPECT(p.werr == seL4_IllegalOperation, "WriteRegisters(self): %s", err_name(p.werr));
    EXPECT_DONE(t);
    return PASS;
}

TTEST(TCB_0016, "CopyRegisters: frame registers (0..17) and/or fs/gs base")
{
    NEW_THREAD(src, T_PRIO);
    NEW_THREAD(dst, T_PRIO);
    NEW_EP(ep);
    seL4_UserContext a, b, r, want;
    uc_fill(&a, 7);
    uc_fill(&b, 8);
    EXPECT_ERR(seL4_TCB_WriteRegisters(src->tcb, 0, 0, 20, &a), seL4_NoError);

    EXPECT_ERR(seL4_TCB_WriteRegisters(dst->tcb, 0, 0, 20, &b), seL4_NoError);
    EXPECT_ERR(seL4_TCB_CopyRegisters(dst->tcb, src->tcb, 0, 0, 1, 0, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(dst->tcb, 0, 0, 20, &r), seL4_NoError);
    want = a;
    want.fs_base = b.fs_base;
    want.gs_base = b.gs_base;
    EXPECT_UC_EQ(&r, &want, 0, 20);

    EXPECT_ERR(seL4_TCB_WriteRegisters(dst->tcb, 0, 0, 20, &b), seL4_NoError);
    EXPECT_ERR(seL4_TCB_CopyRegisters(dst->tcb, src->tcb, 0, 0, 0, 1, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(dst->tcb, 0, 0, 20, &r), seL4_NoError);
    want = b;
    want.fs_base = a.fs_base;
    want.gs_base = a.gs_base;
    EXPECT_UC_EQ(&r, &want, 0, 20);

    EXPECT_ERR(seL4_TCB_WriteRegisters(dst->tcb, 0, 0, 20, &b), seL4_NoError);
    EXPECT_ERR(seL4_TCB_CopyRegisters(dst->tcb, src->tcb, 0, 0, 1, 1, 0), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(dst->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT_UC_EQ(&r, &a, 0, 20);

    /* Errors (invocations.md TCBCopyRegisters). */
    EXPECT_ERR(seL4_TCB_CopyRegisters(dst->tcb, ep, 0, 0, 1, 1, 0), seL4_InvalidCapability);
    EXPECT_MRS(1);
    seL4_Word mr[1] = { 0xC };
    seL4_MessageInfo_t info = raw_call(dst->tcb, TCBCopyRegisters, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "no cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    seL4_CPtr caps[1] = { src->tcb };
    info = raw_call(dst->tcb, TCBCopyRegisters, 0, 1, caps, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(TCB_0017, "CopyRegisters suspend_source stops the source, resume_target starts the target")
{
    NEW_EP(ep);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(src, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(src);

    static struct flag f;
    memset(&f, 0, sizeof(f));
    NEW_THREAD(dst, T_PRIO);
    EXPECT_ERR(thread_prepare(dst, set_flag, &f, false), seL4_NoError);
    settle();
    EXPECT(!f.set, "target ran before it was resumed");

    EXPECT_ERR(seL4_TCB_CopyRegisters(dst->tcb, src->tcb, 1, 1, 0, 0, 0), seL4_NoError);
    settle();
    EXPECT(f.set, "target did not run");
    EXPECT_DONE(dst);
    seL4_NBSend(ep, msg_info(0x17, 0, 0));      /* the source no longer waits */
    settle();
    EXPECT(r.completed == 0, "the suspended source received a message");
    EXPECT_ERR(seL4_TCB_Resume(src->tcb), seL4_NoError);
    settle();
    seL4_NBSend(ep, msg_info(0x18, 0, 0));
    settle();
    EXPECT_DONE(src);
    EXPECT(INFO_LABEL(r.info) == 0x18, "label %#lx", (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

TTEST(TCB_0018, "ReadRegisters of a thread blocked in Call: rip at syscall, inputs saved")
{
    NEW_EP(ep);
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 0x42;
    c.length = 2;
    c.seed = 18;
    SPAWN_ACTOR(t, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(t);
    seL4_UserContext r;
    EXPECT_ERR(thread_regs(t, &r), seL4_NoError);
    EXPECT(syscall_insn_at(r.rip), "rip %#lx is not at a syscall", (unsigned long)r.rip);
    EXPECT(r.rdx == (seL4_Word)seL4_SysCall, "rdx %#lx", (unsigned long)r.rdx);
    EXPECT(r.rdi == ep, "rdi %#lx, expected the endpoint CPtr %lu", (unsigned long)r.rdi,
           (unsigned long)ep);
    EXPECT(r.rsi == msg_info(0x42, 0, 2).words[0], "rsi %#lx", (unsigned long)r.rsi);
    EXPECT(r.r10 == mr_pattern(18, 0) && r.r8 == mr_pattern(18, 1), "MR registers %#lx %#lx",
           (unsigned long)r.r10, (unsigned long)r.r8);
    EXPECT(r.fs_base == t->tp, "fs_base %#lx, expected %#lx", (unsigned long)r.fs_base,
           (unsigned long)t->tp);
    return PASS;
}

TTEST(TCB_0019, "ReadRegisters with suspend_source suspends the target")
{
    NEW_EP(ep);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(t, &r, OP_RECV, ep, T_PRIO);
    settle();
    seL4_UserContext c;
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 1, 0, 20, &c), seL4_NoError);
    EXPECT(syscall_insn_at(c.rip), "rip %#lx", (unsigned long)c.rip);
    seL4_NBSend(ep, msg_info(1, 0, 0));
    settle();
    EXPECT(r.completed == 0, "suspended thread received");
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    seL4_NBSend(ep, msg_info(2, 0, 0));
    settle();
    EXPECT_DONE(t);
    EXPECT(INFO_LABEL(r.info) == 2, "label %lu", (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

TTEST(TCB_0020, "WriteRegisters with resume on a blocked thread cancels its IPC and redirects it")
{
    NEW_EP(ep);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(t, &r, OP_RECV, ep, T_PRIO);
    settle();
    static struct flag f;
    memset(&f, 0, sizeof(f));
    EXPECT_ERR(thread_prepare(t, set_flag, &f, true), seL4_NoError);
    settle();
    EXPECT(f.set, "new code did not run");
    EXPECT_DONE(t);
    seL4_NBSend(ep, msg_info(3, 0, 0));
    settle();
    EXPECT(r.completed == 0, "the old Recv completed");
    return PASS;
}

/* ======================================================================
 * Suspend / Resume
 * ====================================================================== */

struct spin {
    volatile seL4_Word count;
    volatile int stop;
};

static void yield_loop(void *arg)
{
    struct spin *p = arg;
    while (!p->stop) {
        p->count++;
        seL4_Yield();
    }
}

static void root_yields(int n)
{
    for (int i = 0; i < n; i++)
        seL4_Yield();
}

TTEST(TCB_0030, "Suspend and Resume of a running thread")
{
    static struct spin p;
    memset(&p, 0, sizeof(p));
    /* Same priority as the root: they take turns on Yield. */
    SPAWN(t, yield_loop, &p, ROOT_PRIO);
    root_yields(10);
    EXPECT(p.count > 0, "the thread did not run");
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);
    seL4_Word c = p.count;
    root_yields(20);
    EXPECT(p.count == c, "suspended thread ran (%lu -> %lu)", (unsigned long)c,
           (unsigned long)p.count);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    root_yields(10);
    EXPECT(p.count > c, "resumed thread did not run");
    p.stop = 1;
    EXPECT(wait_flag(&t->done, 1000), "thread did not finish");
    return PASS;
}

TTEST(TCB_0031, "Suspend of a thread blocked on send; Resume redoes the Send")
{
    NEW_EP(ep);
    NEW_MINT(bep, ep, seL4_AllRights, 0xA);
    static struct actor s;
    actor_init(&s, OP_SEND, bep);
    s.label = 0x31;
    s.length = 1;
    SPAWN_ACTOR(t, &s, OP_SEND, bep, T_PRIO);
    settle();
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);
    seL4_Word badge = 0x999;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0 && INFO_LABEL(info) == 0, "suspended sender still queued");
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NOT_DONE(t);                         /* blocked again */
    badge = 0;
    info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0xA && INFO_LABEL(info) == 0x31, "badge %#lx label %#lx",
           (unsigned long)badge, (unsigned long)INFO_LABEL(info));
    settle();
    EXPECT_DONE(t);
    return PASS;
}

TTEST(TCB_0032, "Suspend of a thread blocked on receive; Resume redoes the Recv")
{
    NEW_EP(ep);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(t, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);
    seL4_NBSend(ep, msg_info(5, 0, 0));         /* nobody waits: dropped */
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NOT_DONE(t);
    seL4_NBSend(ep, msg_info(6, 0, 0));
    settle();
    EXPECT_DONE(t);
    EXPECT(r.completed == 1 && INFO_LABEL(r.info) == 6, "label %lu",
           (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

struct srv2 {
    seL4_CPtr ep, save;
    volatile int step;
    volatile seL4_Word label[2], type_saved;
};

static void srv2_fn(void *arg)
{
    struct srv2 *p = arg;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(p->ep, &badge);
    p->label[0] = INFO_LABEL(info);
    (void)seL4_CNode_SaveCaller(ROOT_CNODE, p->save, ROOT_DEPTH);
    p->type_saved = ctype(p->save);
    p->step = 1;
    info = seL4_Recv(p->ep, &badge);
    p->label[1] = INFO_LABEL(info);
    p->step = 2;
    seL4_Reply(msg_info(0x99, 0, 0));
    p->step = 3;
}

TTEST(TCB_0033, "Suspend of a thread blocked on reply removes the reply cap; Resume redoes the Call")
{
    NEW_EP(ep);
    NEW_SLOT(save);
    static struct srv2 p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.save = save;
    SPAWN(server, srv2_fn, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 0x33;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT(p.step == 1 && p.label[0] == 0x33, "server step %d", p.step);
    EXPECT(p.type_saved == CT_REPLY, "no reply cap saved (type %lu)",
           (unsigned long)p.type_saved);
    EXPECT_NOT_DONE(caller);
    EXPECT_ERR(seL4_TCB_Suspend(caller->tcb), seL4_NoError);
    EXPECT_TYPE(save, CT_NULL);                 /* capabilities.md §6 */
    EXPECT_ERR(seL4_TCB_Resume(caller->tcb), seL4_NoError);
    settle();
    EXPECT(p.step == 3 && p.label[1] == 0x33, "server step %d, second label %#lx", p.step,
           (unsigned long)p.label[1]);
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == 0x99, "caller got label %#lx", (unsigned long)INFO_LABEL(c.info));
    return PASS;
}

TTEST(TCB_0034, "Suspend of a thread blocked on a notification; Resume redoes the Wait")
{
    NEW_NTFN(ntfn);
    NEW_MINT(b3, ntfn, seL4_AllRights, 3);
    NEW_MINT(b5, ntfn, seL4_AllRights, 5);
    static struct actor w;
    actor_init(&w, OP_WAIT, ntfn);
    SPAWN_ACTOR(t, &w, OP_WAIT, ntfn, T_PRIO);
    settle();
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);
    seL4_Signal(b3);
    EXPECT(ntfn_poll(ntfn) == 3, "signal went to the suspended waiter");
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NOT_DONE(t);
    seL4_Signal(b5);
    settle();
    EXPECT_DONE(t);
    EXPECT(w.badge == 5, "badge %lu", (unsigned long)w.badge);
    return PASS;
}

struct selfsusp {
    volatile int before, after;
};

static void selfsusp_fn(void *arg)
{
    struct selfsusp *p = arg;
    p->before = 1;
    (void)seL4_TCB_Suspend(thread_self()->tcb);
    p->after = 1;
}

TTEST(TCB_0035, "a thread that suspends itself stops; resumed, it continues after the call")
{
    /* objects.md §7.1: "a thread that suspends itself continues after the
     * syscall when resumed (with no reply written)". */
    static struct selfsusp p;
    memset(&p, 0, sizeof(p));
    SPAWN(t, selfsusp_fn, &p, T_PRIO);
    settle();
    EXPECT(p.before && !p.after, "before %d after %d", p.before, p.after);
    EXPECT_NOT_DONE(t);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT(p.after, "resumed thread did not continue after its Suspend");
    EXPECT_DONE(t);
    return PASS;
}

TTEST(TCB_0036, "Suspend/Resume of an Inactive thread; Resume starts a prepared thread")
{
    static struct flag f;
    memset(&f, 0, sizeof(f));
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);     /* already Inactive */
    EXPECT_ERR(thread_prepare(t, set_flag, &f, false), seL4_NoError);
    settle();
    EXPECT(!f.set, "ran without Resume");
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT(f.set, "Resume did not start it");
    EXPECT_DONE(t);
    return PASS;
}

TTEST(TCB_0037, "deleting the TCB of a running thread stops it")
{
    static struct spin p;
    memset(&p, 0, sizeof(p));
    SPAWN(t, yield_loop, &p, ROOT_PRIO);
    root_yields(10);
    EXPECT(p.count > 0, "the thread did not run");
    thread_destroy(t);
    seL4_Word c = p.count;
    root_yields(20);
    EXPECT(p.count == c, "deleted thread still runs (%lu -> %lu)", (unsigned long)c,
           (unsigned long)p.count);
    return PASS;
}

/* ======================================================================
 * TLS base, IPC buffer, CSpace
 * ====================================================================== */

TTEST(TCB_0040, "SetTLSBase sets fs_base; the thread then runs with that TLS block")
{
    NEW_THREAD(t, T_PRIO);
    static struct basic b;
    memset(&b, 0, sizeof(b));
    seL4_UserContext c, r;
    thread_context(t, basic_fn, &b, &c);
    c.fs_base = 0;
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 20, &c), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetTLSBase(t->tcb, t->tp), seL4_NoError);
    EXPECT_ERR(seL4_TCB_ReadRegisters(t->tcb, 0, 0, 20, &r), seL4_NoError);
    EXPECT(r.fs_base == t->tp, "fs_base %#lx, expected %#lx", (unsigned long)r.fs_base,
           (unsigned long)t->tp);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT(b.ran, "thread did not run");
    EXPECT(b.tls_initial == TLS_PROBE_INIT && b.tls_addr < t->tp, "TLS not in its block");

    seL4_Word mr[1] = { 0 };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBSetTLSBase, 0, 0, NULL, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(TCB_0041, "SetIPCBuffer errors: alignment, not a frame, device frame, derive, truncated")
{
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    seL4_Word page = (seL4_Word)(uintptr_t)t->ipc;
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page + 8, t->ipc_frame), seL4_AlignmentError);
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page + 512, t->ipc_frame), seL4_AlignmentError);
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page, ep), seL4_IllegalOperation);
    /* Deriving an untyped with children fails first (capabilities.md §7). */
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page, env_untyped()), seL4_RevokeFirst);
    seL4_CPtr dut = ut_carve_device(12);
    EXPECT(dut != 0, "no device untyped");
    seL4_Error e;
    seL4_CPtr dframe = mk_obj(dut, seL4_X86_4K, 0, &e);
    EXPECT(dframe != 0, "device frame: %s", err_name(e));
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page, dframe), seL4_IllegalOperation);
    /* Buffer 0 removes the buffer; the cap is then not looked at. */
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, 0, ep), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, page + 1024, t->ipc_frame), seL4_NoError);
    seL4_Word mr[1] = { page };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBSetIPCBuffer, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "no cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    seL4_CPtr caps[1] = { t->ipc_frame };
    info = raw_call(t->tcb, TCBSetIPCBuffer, 0, 1, caps, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 0: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(TCB_0042, "an IPC buffer at offset 3072 in its frame is used at that offset")
{
    NEW_EP(ep);
    NEW_THREAD(t, T_PRIO);
    seL4_IPCBuffer *buf = (seL4_IPCBuffer *)((char *)t->ipc + 3072);
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, (seL4_Word)(uintptr_t)buf, t->ipc_frame),
               seL4_NoError);
    t->ipc = buf;
    static struct actor r, s;
    actor_init(&r, OP_RECV, ep);
    START(t, actor_fn, &r);
    settle();
    actor_init(&s, OP_SEND, ep);
    s.label = 0x42;
    s.length = 20;
    s.seed = 42;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(t);
    EXPECT_MSG(&r, 0x42, 20, 42, 0);
    return PASS;
}

TTEST(TCB_0043, "SetIPCBuffer(0) removes the buffer: at most 4 MRs arrive")
{
    NEW_EP(ep);
    NEW_THREAD(t, T_PRIO);
    EXPECT_ERR(seL4_TCB_SetIPCBuffer(t->tcb, 0, seL4_CapNull), seL4_NoError);
    static struct actor r, s;
    actor_init(&r, OP_RECV, ep);
    START(t, actor_fn, &r);
    settle();
    actor_init(&s, OP_SEND, ep);
    s.label = 0x43;
    s.length = 9;
    s.seed = 43;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(t);
    EXPECT_MSG(&r, 0x43, 4, 43, 0);
    return PASS;
}

TTEST(TCB_0044, "Configure errors (invocations.md TCBConfigure order)")
{
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    seL4_Word page = (seL4_Word)(uintptr_t)t->ipc;
    const seL4_CPtr vs = seL4_CapInitThreadVSpace;

    /* 1. fewer than 3 extra caps */
    seL4_CPtr caps[2] = { ROOT_CNODE, vs };
    seL4_Word mr[4] = { 0, 0, 0, page };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBConfigure, 4, 2, caps, mr, 4);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "2 caps: label %lu",
           (unsigned long)INFO_LABEL(info));
    /* 2. IPC buffer */
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, vs, 0, page, ep),
               seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, vs, 0, page + 64, t->ipc_frame),
               seL4_AlignmentError);
    /* 4. CSpace root */
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ep, 0, vs, 0, page, t->ipc_frame),
               seL4_IllegalOperation);
    /* guard 60 + radix 13 > 64: the updated cap is null */
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, cnode_data(0, 60), vs, 0, page,
                                  t->ipc_frame), seL4_IllegalOperation);
    /* 5. VSpace root: not a PML4, or a PML4 without an ASID */
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, ROOT_CNODE, 0, page, t->ipc_frame),
               seL4_IllegalOperation);
    seL4_CPtr pml4 = new_obj(seL4_X64_PML4Object, 0);
    EXPECT(pml4 != 0, "PML4: %s", thread_error());
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, pml4, 0, page, t->ipc_frame),
               seL4_IllegalOperation);
    /* And the thread is still usable with a good configuration. */
    EXPECT_ERR(seL4_TCB_Configure(t->tcb, 0, ROOT_CNODE, 0, vs, 0, page, t->ipc_frame),
               seL4_NoError);
    static struct flag f;
    memset(&f, 0, sizeof(f));
    START(t, set_flag, &f);
    settle();
    EXPECT(f.set, "reconfigured thread did not run");
    return PASS;
}

TTEST(TCB_0045, "SetSpace errors, including the last-cap rule")
{
    NEW_THREAD(t, T_PRIO);
    NEW_EP(ep);
    const seL4_CPtr vs = seL4_CapInitThreadVSpace;
    seL4_CPtr caps[2] = { ROOT_CNODE, vs };
    seL4_Word mr[3] = { 0, 0, 0 };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBSetSpace, 2, 2, caps, mr, 2);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 2: label %lu",
           (unsigned long)INFO_LABEL(info));
    info = raw_call(t->tcb, TCBSetSpace, 3, 1, caps, mr, 3);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "1 cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, ep, 0, vs, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, ROOT_CNODE, 0, ep, 0), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, ROOT_CNODE, 0, vs, 0), seL4_NoError);

    /* objects.md §7.3: a CNode whose only cap is the TCB's CSpace root
     * cannot be replaced (that would need a long-running delete). */
    const unsigned radix = 3;
    seL4_CPtr cn = new_cnode(radix);
    EXPECT(cn != 0, "cnode: %s", thread_error());
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, cn, cnode_data(0, 64 - radix), vs, 0), seL4_NoError);
    EXPECT_ERR(r_delete(cn), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, ROOT_CNODE, 0, vs, 0), seL4_IllegalOperation);
    return PASS;
}

TTEST(TCB_0046, "SetSpace to a new CNode: the thread's CPtrs resolve there")
{
    NEW_EP(ep);
    const unsigned radix = 5;
    seL4_CPtr cn = new_cnode(radix);
    EXPECT(cn != 0, "cnode: %s", thread_error());
    NEW_THREAD(t, T_PRIO);
    /* In the new CSpace slot 7 is the endpoint, slot 1 the thread itself. */
    EXPECT_ERR(cn_copy(cn, radix, 7, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(cn_copy(cn, radix, 1, t->tcb, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_TCB_SetSpace(t->tcb, 0, cn, cnode_data(0, 64 - radix),
                                 seL4_CapInitThreadVSpace, 0), seL4_NoError);
    t->self = 1;
    static struct actor r;
    actor_init(&r, OP_RECV, 7);
    START(t, actor_fn, &r);
    settle();
    EXPECT(r.entered == 1, "thread did not run");
    EXPECT_NOT_DONE(t);
    seL4_NBSend(ep, msg_info(0x46, 0, 0));
    settle();
    EXPECT_DONE(t);
    EXPECT(INFO_LABEL(r.info) == 0x46, "label %#lx", (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

/* ======================================================================
 * Notifications bound to TCBs
 * ====================================================================== */

TTEST(TCB_0050, "BindNotification / UnbindNotification errors")
{
    NEW_THREAD(t1, T_PRIO);
    NEW_THREAD(t2, T_PRIO);
    NEW_EP(ep);
    NEW_NTFN(n1);
    NEW_NTFN(n2);
    NEW_NTFN(n3);
    NEW_COPY(n1_wo, n1, seL4_CanWrite);

    seL4_Word mr[1] = { 0 };
    seL4_MessageInfo_t info = raw_call(t1->tcb, TCBBindNotification, 0, 0, NULL, mr, 0);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "no cap: label %lu",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_TCB_BindNotification(t1->tcb, ep), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_BindNotification(t1->tcb, n1_wo), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_UnbindNotification(t1->tcb), seL4_IllegalOperation);

    EXPECT_ERR(seL4_TCB_BindNotification(t1->tcb, n1), seL4_NoError);
    EXPECT_ERR(seL4_TCB_BindNotification(t1->tcb, n2), seL4_IllegalOperation);   /* TCB bound */
    EXPECT_ERR(seL4_TCB_BindNotification(t2->tcb, n1), seL4_IllegalOperation);   /* ntfn bound */

    /* A notification with waiters cannot be bound. */
    static struct actor w;
    actor_init(&w, OP_WAIT, n3);
    SPAWN_ACTOR(waiter, &w, OP_WAIT, n3, T_PRIO);
    settle();
    EXPECT_ERR(seL4_TCB_BindNotification(t2->tcb, n3), seL4_IllegalOperation);

    EXPECT_ERR(seL4_TCB_UnbindNotification(t1->tcb), seL4_NoError);
    EXPECT_ERR(seL4_TCB_UnbindNotification(t1->tcb), seL4_IllegalOperation);
    EXPECT_ERR(seL4_TCB_BindNotification(t2->tcb, n1), seL4_NoError);
    EXPECT_ERR(seL4_TCB_UnbindNotification(t2->tcb), seL4_NoError);
    return PASS;
}

TTEST(TCB_0051, "deleting a TCB unbinds its notification")
{
    NEW_THREAD(t1, T_PRIO);
    NEW_THREAD(t2, T_PRIO);
    NEW_NTFN(n);
    EXPECT_ERR(seL4_TCB_BindNotification(t1->tcb, n), seL4_NoError);
    EXPECT_ERR(seL4_TCB_BindNotification(t2->tcb, n), seL4_IllegalOperation);
    thread_destroy(t1);
    EXPECT_ERR(seL4_TCB_BindNotification(t2->tcb, n), seL4_NoError);
    return PASS;
}

/* ======================================================================
 * Flags, labels
 * ====================================================================== */

TTEST(TCB_0060, "SetFlags: clear/set arithmetic, only bit 0 exists, TruncatedMessage")
{
    NEW_THREAD(t, T_PRIO);
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(t->tcb, 0, 0);
    EXPECT(f.error == seL4_NoError && f.flags == 0, "initial flags: error %d flags %#lx",
           f.error, (unsigned long)f.flags);
    f = seL4_TCB_SetFlags(t->tcb, 0, seL4_TCBFlag_fpuDisabled);
    EXPECT(f.error == seL4_NoError && f.flags == 1, "set: flags %#lx", (unsigned long)f.flags);
    f = seL4_TCB_SetFlags(t->tcb, 0, 0xFE);
    EXPECT(f.error == seL4_NoError && f.flags == 1, "set 0xFE: flags %#lx", (unsigned long)f.flags);
    f = seL4_TCB_SetFlags(t->tcb, ~0UL, 0);
    EXPECT(f.error == seL4_NoError && f.flags == 0, "clear all: flags %#lx",
           (unsigned long)f.flags);
    f = seL4_TCB_SetFlags(t->tcb, 1, ~0UL);
    EXPECT(f.error == seL4_NoError && f.flags == 1, "clear+set: flags %#lx",
           (unsigned long)f.flags);
    seL4_Word mr[2] = { 1, 0 };
    seL4_MessageInfo_t info = raw_call(t->tcb, TCBSetFlags, 1, 0, NULL, mr, 1);
    EXPECT(INFO_LABEL(info) == seL4_TruncatedMessage, "length 1: label %lu",
           (unsigned long)INFO_LABEL(info));
    return PASS;
}

TTEST(TCB_0061, "labels that are not TCB methods: IllegalOperation")
{
    NEW_THREAD(t, T_PRIO);
    const seL4_Word labels[] = { 0, TL_CNodeRevoke, DomainSetSet, UntypedRetype, 1000 };
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        seL4_Word mr[4] = { 0, 0, 0, 0 };
        seL4_MessageInfo_t info = raw_call(t->tcb, labels[i], 4, 0, NULL, mr, 4);
        EXPECT(INFO_LABEL(info) == seL4_IllegalOperation, "label %lu: error %lu",
               (unsigned long)labels[i], (unsigned long)INFO_LABEL(info));
    }
    return PASS;
}
