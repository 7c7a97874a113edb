/*
 * FPU_*: per-thread FPU/SSE state across thread switches (Yield and timer
 * preemption), the initial FPU state of a new thread (objects.md §3.2: FPU
 * state clean), and the TCB flag fpuDisabled (objects.md §7.3 SetFlags:
 * FPU/SSE use → #NM → UserException 7; no fault handler → Inactive).
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

/* Layout shared with the assembly below. */
struct fpu_state {
    uint8_t xmm[16][16];        /*   0: xmm0..xmm15 */
    double st[2];               /* 256: two x87 stack values (st[0] pushed first) */
    uint16_t fcw;               /* 272: x87 control word */
    uint16_t pad;
    uint32_t mxcsr;             /* 276 */
    uint64_t pad2;
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct fpu_state) == 288, "fpu_state layout");

/*
 * fpu_hold(in, out, rounds, deadline): load xmm0..15, the x87 control word,
 * MXCSR and two x87 stack values from *in, then either make `rounds` Yield
 * system calls (deadline == 0) or spin until the TSC reaches `deadline`,
 * then store what the registers hold into *out.  The caller's FCW and MXCSR
 * are restored before returning (they are callee-saved in the SysV ABI).
 *
 * fpu_touch_sse / fpu_touch_x87: one SSE / x87 instruction at the entry.
 */
void fpu_hold(const struct fpu_state *in, struct fpu_state *out, uint64_t rounds,
              uint64_t deadline);
void fpu_touch_sse(void);
void fpu_touch_x87(void);

__asm__(
    "    .text\n"
    "    .globl fpu_hold\n"
    "    .type fpu_hold, @function\n"
    "fpu_hold:\n"
    "    push %rbx\n"
    "    push %rbp\n"
    "    push %r12\n"
    "    push %r13\n"
    "    push %r14\n"
    "    push %r15\n"
    "    sub $8, %rsp\n"
    "    fnstcw 0(%rsp)\n"
    "    stmxcsr 4(%rsp)\n"
    "    mov %rdi, %r12\n"
    "    mov %rsi, %r13\n"
    "    mov %rdx, %r14\n"
    "    mov %rcx, %rbp\n"
    "    movdqu 0(%r12), %xmm0\n"
    "    movdqu 16(%r12), %xmm1\n"
    "    movdqu 32(%r12), %xmm2\n"
    "    movdqu 48(%r12), %xmm3\n"
    "    movdqu 64(%r12), %xmm4\n"
    "    movdqu 80(%r12), %xmm5\n"
    "    movdqu 96(%r12), %xmm6\n"
    "    movdqu 112(%r12), %xmm7\n"
    "    movdqu 128(%r12), %xmm8\n"
    "    movdqu 144(%r12), %xmm9\n"
    "    movdqu 160(%r12), %xmm10\n"
    "    movdqu 176(%r12), %xmm11\n"
    "    movdqu 192(%r12), %xmm12\n"
    "    movdqu 208(%r12), %xmm13\n"
    "    movdqu 224(%r12), %xmm14\n"
    "    movdqu 240(%r12), %xmm15\n"
    "    fninit\n"
    "    fldcw 272(%r12)\n"
    "    ldmxcsr 276(%r12)\n"
    "    fldl 256(%r12)\n"
    "    fldl 264(%r12)\n"
    "1:  test %rbp, %rbp\n"
    "    jnz 3f\n"
    "    test %r14, %r14\n"
    "    jz 4f\n"
    "    mov $-7, %rdx\n"               /* seL4_SysYield */
    "    mov %rsp, %rbx\n"
    "    syscall\n"
    "    mov %rbx, %rsp\n"
    "    dec %r14\n"
    "    jmp 1b\n"
    "3:  rdtsc\n"
    "    shl $32, %rdx\n"
    "    or %rdx, %rax\n"
    "    cmp %rbp, %rax\n"
    "    jb 3b\n"
    "4:  movdqu %xmm0, 0(%r13)\n"
    "    movdqu %xmm1, 16(%r13)\n"
    "    movdqu %xmm2, 32(%r13)\n"
    "    movdqu %xmm3, 48(%r13)\n"
    "    movdqu %xmm4, 64(%r13)\n"
    "    movdqu %xmm5, 80(%r13)\n"
    "    movdqu %xmm6, 96(%r13)\n"
    "    movdqu %xmm7, 112(%r13)\n"
    "    movdqu %xmm8, 128(%r13)\n"
    "    movdqu %xmm9, 144(%r13)\n"
    "    movdqu %xmm10, 160(%r13)\n"
    "    movdqu %xmm11, 176(%r13)\n"
    "    movdqu %xmm12, 192(%r13)\n"
    "    movdqu %xmm13, 208(%r13)\n"
    "    movdqu %xmm14, 224(%r13)\n"
    "    movdqu %xmm15, 240(%r13)\n"
    "    fstpl 264(%r13)\n"
    "    fstpl 256(%r13)\n"
    "    fnstcw 272(%r13)\n"
    "    stmxcsr 276(%r13)\n"
    "    fldcw 0(%rsp)\n"
    "    ldmxcsr 4(%rsp)\n"
    "    add $8, %rsp\n"
    "    pop %r15\n"
    "    pop %r14\n"
    "    pop %r13\n"
    "    pop %r12\n"
    "    pop %rbp\n"
    "    pop %rbx\n"
    "    ret\n"
    "    .size fpu_hold, . - fpu_hold\n"
    "\n"
    "    .globl fpu_touch_sse\n"
    "    .type fpu_touch_sse, @function\n"
    "fpu_touch_sse:\n"
    "    pxor %xmm0, %xmm0\n"
    "    ret\n"
    "    .size fpu_touch_sse, . - fpu_touch_sse\n"
    "\n"
    "    .globl fpu_touch_x87\n"
    "    .type fpu_touch_x87, @function\n"
    "fpu_touch_x87:\n"
    "    fld1\n"
    "    fstp %st(0)\n"
    "    ret\n"
    "    .size fpu_touch_x87, . - fpu_touch_x87\n");

static void fpu_pattern(struct fpu_state *s, int id)
{
    memset(s, 0, sizeof(*s));
    for (int r = 0; r < 16; r++)
        for (int b = 0; b < 16; b++)
            s->xmm[r][b] = (uint8_t)(id * 97 + r * 16 + b * 7 + 1);
    s->st[0] = 1.0 / (id + 3);
    s->st[1] = -12345.678 * id;
    /* Different rounding/precision per thread; all exceptions masked. */
    s->fcw = id & 1 ? 0x0F7F : 0x027F;
    s->mxcsr = 0x1F80 | (uint32_t)((id & 3) << 13);
}

struct fpu_job {
    struct fpu_state in, out;
    uint64_t rounds, deadline;
};

static void fpu_job_fn(void *arg)
{
    struct fpu_job *j = arg;
    fpu_hold(&j->in, &j->out, j->rounds, j->deadline);
}

static test_result_t fpu_compare(const struct fpu_job *j, const char *who, bool xmm, bool x87)
{
    if (xmm) {
        for (int r = 0; r < 16; r++)
            for (int b = 0; b < 16; b++)
                if (j->out.xmm[r][b] != j->in.xmm[r][b])
                    return test_fail(__FILE__, __LINE__, "%s: xmm%d byte %d is %#x, expected %#x",
                                     who, r, b, j->out.xmm[r][b], j->in.xmm[r][b]);
    }
    if (x87) {
        if (memcmp(j->out.st, j->in.st, sizeof(j->in.st)) != 0)
            return test_fail(__FILE__, __LINE__, "%s: x87 stack values changed", who);
        if (j->out.fcw != j->in.fcw)
            return test_fail(__FILE__, __LINE__, "%s: FCW %#x, expected %#x", who, j->out.fcw,
                             j->in.fcw);
        if (j->out.mxcsr != j->in.mxcsr)
            return test_fail(__FILE__, __LINE__, "%s: MXCSR %#x, expected %#x", who,
                             j->out.mxcsr, j->in.mxcsr);
    }
    return PASS;
}

static struct fpu_job jobs[3];

static test_result_t two_threads(uint64_t rounds, unsigned ms, bool xmm, bool x87)
{
    uint64_t deadline = ms ? tsc_after_ms(ms) : 0;
    struct thread *t[2];
    for (int i = 0; i < 2; i++) {
        fpu_pattern(&jobs[i].in, i + 1);
        memset(&jobs[i].out, 0, sizeof(jobs[i].out));
        jobs[i].rounds = rounds;
        jobs[i].deadline = deadline;
        t[i] = thread_spawn(fpu_job_fn, &jobs[i], T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
    }
    settle();
    EXPECT(t[0]->done && t[1]->done, "threads did not finish");
    CHECK(fpu_compare(&jobs[0], "thread A", xmm, x87));
    CHECK(fpu_compare(&jobs[1], "thread B", xmm, x87));
    return PASS;
}

TTEST(FPU_0001, "two threads keep their own XMM registers across 500 Yields each")
{
    return two_threads(500, 0, true, false);
}

TTEST(FPU_0002, "two threads keep their own x87 stack, FCW and MXCSR across Yields")
{
    return two_threads(500, 0, false, true);
}

TTEST(FPU_0003, "FPU/SSE state survives timer preemption between equal-priority spinners")
{
    return two_threads(0, 150, true, true);
}

TTEST(FPU_0004, "the root's FPU state and a 255 thread's survive switching between them")
{
    fpu_pattern(&jobs[0].in, 5);
    fpu_pattern(&jobs[1].in, 6);
    memset(&jobs[0].out, 0, sizeof(jobs[0].out));
    memset(&jobs[1].out, 0, sizeof(jobs[1].out));
    jobs[0].rounds = jobs[1].rounds = 300;
    jobs[0].deadline = jobs[1].deadline = 0;
    SPAWN(t, fpu_job_fn, &jobs[1], ROOT_PRIO);
    fpu_hold(&jobs[0].in, &jobs[0].out, jobs[0].rounds, 0);
    EXPECT(wait_flag(&t->done, 2000), "thread did not finish");
    CHECK(fpu_compare(&jobs[0], "root", true, true));
    CHECK(fpu_compare(&jobs[1], "thread", true, true));
    return PASS;
}

struct fpu_ctl {
    volatile uint16_t fcw;
    volatile uint32_t mxcsr;
};

static void read_fpu_ctl(void *arg)
{
    struct fpu_ctl *c = arg;
    uint16_t fcw;
    uint32_t mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(fcw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    c->fcw = fcw;
    c->mxcsr = mxcsr;
}

TTEST(FPU_0005, "a new thread starts with a clean FPU (FCW 0x37F, MXCSR 0x1F80)")
{
    /* objects.md §3.2: new TCB FPU state = clean (FNINIT state); MXCSR
     * default as for the initial thread (boot.md §3). */
    uint16_t old_fcw, new_fcw = 0x0C7F;
    uint32_t old_mxcsr, new_mxcsr = 0x1F80 | 0x6000;
    __asm__ volatile("fnstcw %0" : "=m"(old_fcw));
    __asm__ volatile("stmxcsr %0" : "=m"(old_mxcsr));
    __asm__ volatile("fldcw %0" : : "m"(new_fcw));
    __asm__ volatile("ldmxcsr %0" : : "m"(new_mxcsr));
    static struct fpu_ctl c;
    memset((void *)&c, 0, sizeof(c));
    struct thread *t = thread_spawn(read_fpu_ctl, &c, T_PRIO);
    if (t != NULL)
        settle();
    uint16_t root_fcw;
    uint32_t root_mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(root_fcw));
    __asm__ volatile("stmxcsr %0" : "=m"(root_mxcsr));
    __asm__ volatile("fldcw %0" : : "m"(old_fcw));
    __asm__ volatile("ldmxcsr %0" : : "m"(old_mxcsr));
    EXPECT(t != NULL, "thread: %s", thread_error());
    EXPECT_DONE(t);
    EXPECT(c.fcw == 0x037F, "new thread FCW %#x", c.fcw);
    EXPECT(c.mxcsr == 0x1F80, "new thread MXCSR %#x", c.mxcsr);
    EXPECT(root_fcw == new_fcw && root_mxcsr == new_mxcsr, "root's FCW/MXCSR changed: %#x %#x",
           root_fcw, root_mxcsr);
    return PASS;
}

struct victim {
    void (*touch)(void);
    volatile int before, after;
};

static void victim_fn(void *arg)
{
    struct victim *v = arg;
    v->before = 1;
    v->touch();
    v->after = 1;
}

static test_result_t disabled_test(void (*touch)(void), bool reenable)
{
    static struct victim v;
    memset((void *)&v, 0, sizeof(v));
    v.touch = touch;
    NEW_THREAD(t, T_PRIO);
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(t->tcb, 0, seL4_TCBFlag_fpuDisabled);
    EXPECT(f.error == seL4_NoError && f.flags == seL4_TCBFlag_fpuDisabled,
           "SetFlags: error %d flags %#lx", f.error, (unsigned long)f.flags);
    START(t, victim_fn, &v);
    settle();
    EXPECT(v.before, "thread did not run");
    EXPECT(!v.after, "FPU instruction executed with fpuDisabled");
    EXPECT_NOT_DONE(t);
    seL4_UserContext c;
    EXPECT_ERR(thread_regs(t, &c), seL4_NoError);
    EXPECT(c.rip == (seL4_Word)(uintptr_t)touch, "stopped at %#lx, expected %#lx",
           (unsigned long)c.rip, (unsigned long)(uintptr_t)touch);
    if (reenable) {
        /* Resume restarts at the faulting instruction (faults.md §4). */
        f = seL4_TCB_SetFlags(t->tcb, seL4_TCBFlag_fpuDisabled, 0);
        EXPECT(f.error == seL4_NoError && f.flags == 0, "SetFlags clear: flags %#lx",
               (unsigned long)f.flags);
        EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
        settle();
        EXPECT(v.after, "thread did not continue");
        EXPECT_DONE(t);
    }
    return PASS;
}

TTEST(FPU_0006, "fpuDisabled: the first SSE instruction faults, the thread stops there")
{
    return disabled_test(fpu_touch_sse, false);
}

TTEST(FPU_0007, "fpuDisabled: the first x87 instruction faults, the thread stops there")
{
    return disabled_test(fpu_touch_x87, false);
}

TTEST(FPU_0008, "clearing fpuDisabled and resuming re-executes the instruction")
{
    return disabled_test(fpu_touch_sse, true);
}

TTEST(FPU_0009, "fpuDisabled on one thread does not affect another thread's FPU use")
{
    static struct victim v;
    memset((void *)&v, 0, sizeof(v));
    v.touch = fpu_touch_sse;
    NEW_THREAD(off, T_PRIO);
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(off->tcb, 0, seL4_TCBFlag_fpuDisabled);
    EXPECT(f.error == seL4_NoError, "SetFlags: error %d", f.error);
    START(off, victim_fn, &v);
    fpu_pattern(&jobs[2].in, 9);
    memset(&jobs[2].out, 0, sizeof(jobs[2].out));
    jobs[2].rounds = 50;
    jobs[2].deadline = 0;
    SPAWN(on, fpu_job_fn, &jobs[2], T_PRIO);
    settle();
    EXPECT(!v.after, "SSE executed with fpuDisabled");
    EXPECT_DONE(on);
    CHECK(fpu_compare(&jobs[2], "enabled thread", true, true));
    return PASS;
}
