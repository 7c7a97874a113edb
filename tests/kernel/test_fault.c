/*
 * FAULT_*: user-level faults delivered to fault-handler endpoints
 * (faults.md §1-§5, objects.md §7.4, capabilities.md §6): the message of
 * every fault type as a handler thread receives it, replies and what they
 * do to the faulting thread, invalid handlers, and the kernel's health after
 * many faults.
 *
 * Also here, because they need the same handler machinery: IOPORT_0030
 * (user `in`/`out` → #GP, objects.md §5) and DEBUG_0010..0013 (software
 * interrupts, unknown syscall numbers, `int $0xff`, DebugNameThread on a
 * thread that then faults; syscalls.md §9).
 *
 * Faulting code is written in assembly below so that the exact instruction
 * addresses, stack pointer and register values are known.  A handler thread
 * (struct fh) receives the fault messages on an endpoint, records them and
 * optionally replies; the root only orchestrates (thread_util.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "thread_util.h"
#include "probe.h"

/* ======================================================================
 * Assembly: faulting instructions at known addresses
 * ====================================================================== */

/* Register image for ft_regs_syscall / ft_regs_int200.  Order of in[] and
 * out[]: RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15. */
struct ft_regs {
    uint64_t in[15];            /*   0 */
    uint64_t flags_in;          /* 120: loaded with popfq before the trap */
    uint64_t out[15];           /* 128: registers right after the trap returned */
    uint64_t flags_out;         /* 248 */
    uint64_t rsp_at;            /* 256: RSP at the trapping instruction */
};
_Static_assert(offsetof(struct ft_regs, flags_in) == 120, "ft_regs layout");
_Static_assert(offsetof(struct ft_regs, out) == 128, "ft_regs layout");
_Static_assert(offsetof(struct ft_regs, flags_out) == 248, "ft_regs layout");
_Static_assert(offsetof(struct ft_regs, rsp_at) == 256, "ft_regs layout");

enum { R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_R8, R_R9, R_R10, R_R11,
       R_R12, R_R13, R_R14, R_R15 };
static const char *const reg_names[15] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
    "r12", "r13", "r14", "r15",
};
/* UnknownSyscall MR index (faults.md §3.2) of each register above. */
static const int us_mr_of_reg[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

/* Shared with the assembly (one faulting thread at a time). */
struct ft_regs *volatile ft_cur;
volatile uint64_t ft_tmp, ft_rsp_at, ft_rsp_after, ft_flags_after, ft_count;

#define FT_FLAGS 0xAC7UL        /* OF SF ZF PF CF, IF and bit 1 */

#define FT_LOAD_ALL                                                          \
    "    movq 0(%rdi), %rax\n"                                               \
    "    movq 8(%rdi), %rbx\n"                                               \
    "    movq 16(%rdi), %rcx\n"                                              \
    "    movq 24(%rdi), %rdx\n"                                              \
    "    movq 32(%rdi), %rsi\n"                                              \
    "    movq 48(%rdi), %rbp\n"                                              \
    "    movq 56(%rdi), %r8\n"                                               \
    "    movq 64(%rdi), %r9\n"                                               \
    "    movq 72(%rdi), %r10\n"                                              \
    "    movq 80(%rdi), %r11\n"                                              \
    "    movq 88(%rdi), %r12\n"                                              \
    "    movq 96(%rdi), %r13\n"                                              \
    "    movq 104(%rdi), %r14\n"                                             \
    "    movq 112(%rdi), %r15\n"                                             \
    "    movq 40(%rdi), %rdi\n"

/* After the trap: RSP may be anything (0 after sysretq), so only
 * RIP-relative accesses until RSP is restored. */
#define FT_STORE_ALL                                                         \
    "    movq %rsp, ft_rsp_after(%rip)\n"                                    \
    "    movq %rax, ft_tmp(%rip)\n"                                          \
    "    movq ft_cur(%rip), %rax\n"                                          \
    "    movq 256(%rax), %rsp\n"                                             \
    "    pushfq\n"                                                           \
    "    popq 248(%rax)\n"                                                   \
    "    movq %rbx, 136(%rax)\n"                                             \
    "    movq %rcx, 144(%rax)\n"                                             \
    "    movq %rdx, 152(%rax)\n"                                             \
    "    movq %rsi, 160(%rax)\n"                                             \
    "    movq %rdi, 168(%rax)\n"                                             \
    "    movq %rbp, 176(%rax)\n"                                             \
    "    movq %r8, 184(%rax)\n"                                              \
    "    movq %r9, 192(%rax)\n"                                              \
    "    movq %r10, 200(%rax)\n"                                             \
    "    movq %r11, 208(%rax)\n"                                             \
    "    movq %r12, 216(%rax)\n"                                             \
    "    movq %r13, 224(%rax)\n"                                             \
    "    movq %r14, 232(%rax)\n"                                             \
    "    movq %r15, 240(%rax)\n"                                             \
    "    movq ft_tmp(%rip), %rcx\n"                                          \
    "    movq %rcx, 128(%rax)\n"

#define FT_SAVE_CALLEE                                                       \
    "    pushq %rbx\n    pushq %rbp\n    pushq %r12\n"                       \
    "    pushq %r13\n    pushq %r14\n    pushq %r15\n"
#define FT_RESTORE_CALLEE                                                    \
    "    popq %r15\n    popq %r14\n    popq %r13\n"                          \
    "    popq %r12\n    popq %rbp\n    popq %rbx\n"

/* void NAME(struct ft_regs *p): every register from p->in, flags from
 * p->flags_in, then INSN at the global label NAME_insn. */
#define FT_REGS_FN(name, insn)                                               \
    "    .globl " #name "\n"                                                 \
    "    .type " #name ", @function\n"                                       \
    #name ":\n"                                                              \
    FT_SAVE_CALLEE                                                           \
    "    movq %rdi, ft_cur(%rip)\n"                                          \
    "    movq %rsp, 256(%rdi)\n"                                             \
    "    pushq 120(%rdi)\n"                                                  \
    "    popfq\n"                                                            \
    FT_LOAD_ALL                                                              \
    "    .globl " #name "_insn\n"                                            \
    #name "_insn:\n"                                                         \
    "    " insn "\n"                                                         \
    FT_STORE_ALL                                                             \
    FT_RESTORE_CALLEE                                                        \
    "    ret\n"

/* void NAME(void): record RSP in ft_rsp_at, set FT_FLAGS, then INSN at
 * NAME_insn; NAME_next follows it.  Afterwards RSP and RFLAGS are recorded
 * in ft_rsp_after / ft_flags_after. */
#define FT_EXC_FN(name, insn)                                                \
    "    .globl " #name "\n"                                                 \
    "    .type " #name ", @function\n"                                       \
    #name ":\n"                                                              \
    "    movq %rsp, ft_rsp_at(%rip)\n"                                       \
    "    pushq $0xAC7\n"                                                     \
    "    popfq\n"                                                            \
    "    .globl " #name "_insn\n"                                            \
    #name "_insn:\n"                                                         \
    "    " insn "\n"                                                         \
    "    .globl " #name "_next\n"                                            \
    #name "_next:\n"                                                         \
    "    movq %rsp, ft_rsp_after(%rip)\n"                                    \
    "    pushfq\n"                                                           \
    "    popq ft_flags_after(%rip)\n"                                        \
    "    movq ft_rsp_at(%rip), %rsp\n"                                       \
    "    cld\n"                                                              \
    "    ret\n"

__asm__(
    "    .text\n"
    FT_REGS_FN(ft_regs_syscall, "syscall")
    FT_REGS_FN(ft_regs_int200, "int $200")
    FT_EXC_FN(ft_ud2, "ud2")
    FT_EXC_FN(ft_int3, "int3")
    FT_EXC_FN(ft_int80, "int $0x80")
    FT_EXC_FN(ft_hlt, "hlt")
    FT_EXC_FN(ft_cli, "cli")
    FT_EXC_FN(ft_inb, "inb $0x71, %al")
    FT_EXC_FN(ft_outb, "outb %al, $0x80")
    FT_EXC_FN(ft_inb_dx, "inb %dx, %al")
    FT_EXC_FN(ft_sse, "addps %xmm0, %xmm0")
    FT_EXC_FN(ft_intff, "int $0xff")

    /* void ft_div0(void): divl by zero (#DE) at ft_div0_insn (2 bytes). */
    "    .globl ft_div0\n"
    "ft_div0:\n"
    "    movq %rsp, ft_rsp_at(%rip)\n"
    "    xorl %ecx, %ecx\n"
    "    movl $1, %eax\n"
    "    xorl %edx, %edx\n"
    "    .globl ft_div0_insn\n"
    "ft_div0_insn:\n"
    "    divl %ecx\n"
    "    ret\n"

    /* void ft_int_n(seL4_Word rax, int which): `int $N` with RAX set; which
     * 0..3 = 157, 158, 254, 255.  Labels ft_intN_insn (2 bytes each). */
    "    .globl ft_int_n\n"
    "ft_int_n:\n"
    "    movq %rsp, ft_rsp_at(%rip)\n"
    "    movq %rdi, %rax\n"
    "    cmpl $1, %esi\n"
    "    jb 1f\n"
    "    je 2f\n"
    "    cmpl $2, %esi\n"
    "    je 3f\n"
    "    .globl ft_int255_insn\n"
    "ft_int255_insn:\n"
    "    int $255\n"
    "    ret\n"
    "1:\n"
    "    .globl ft_int157_insn\n"
    "ft_int157_insn:\n"
    "    int $157\n"
    "    ret\n"
    "2:\n"
    "    .globl ft_int158_insn\n"
    "ft_int158_insn:\n"
    "    int $158\n"
    "    ret\n"
    "3:\n"
    "    .globl ft_int254_insn\n"
    "ft_int254_insn:\n"
    "    int $254\n"
    "    ret\n"

    /* seL4_Word ft_load(const volatile seL4_Word *p): load at ft_load_insn (3 bytes). */
    "    .globl ft_load\n"
    "ft_load:\n"
    "    .globl ft_load_insn\n"
    "ft_load_insn:\n"
    "    movq (%rdi), %rax\n"
    "    ret\n"

    /* void ft_store(volatile seL4_Word *p, seL4_Word v): store at ft_store_insn. */
    "    .globl ft_store\n"
    "ft_store:\n"
    "    .globl ft_store_insn\n"
    "ft_store_insn:\n"
    "    movq %rsi, (%rdi)\n"
    "    ret\n"

    /* void ft_exec(void *target): call target. */
    "    .globl ft_exec\n"
    "ft_exec:\n"
    "    call *%rdi\n"
    "    ret\n"

    /* seL4_Word ft_sys(seL4_Word number, seL4_Word cptr, seL4_Word info):
     * `syscall` at ft_sys_insn with RDX = number, RDI = cptr, RSI = info,
     * MR0..3 = 0; returns RSI. */
    "    .globl ft_sys\n"
    "ft_sys:\n"
    "    pushq %rbx\n"
    "    pushq %r15\n"
    "    movq %rdx, %rax\n"
    "    movq %rdi, %rdx\n"
    "    movq %rsi, %rdi\n"
    "    movq %rax, %rsi\n"
    "    xorl %r10d, %r10d\n"
    "    xorl %r8d, %r8d\n"
    "    xorl %r9d, %r9d\n"
    "    xorl %r15d, %r15d\n"
    "    movq %rsp, %rbx\n"
    "    .globl ft_sys_insn\n"
    "ft_sys_insn:\n"
    "    syscall\n"
    "    movq %rbx, %rsp\n"
    "    movq %rsi, %rax\n"
    "    popq %r15\n"
    "    popq %rbx\n"
    "    ret\n"

    /* FAULT_0070: spin with the direction flag set (timer interrupts land
     * here), then #UD with it still set. */
    "    .globl ft_df_spin\n"
    "    .type ft_df_spin, @function\n"
    "ft_df_spin:\n"
    "    movq %rsp, ft_rsp_at(%rip)\n"
    "    pushq $0xEC7\n"                 /* FT_FLAGS | DF */
    "    popfq\n"
    "    movl $20000000, %ecx\n"
    "1:  decl %ecx\n"
    "    jnz 1b\n"
    "    .globl ft_df_spin_insn\n"
    "ft_df_spin_insn:\n"
    "    ud2\n"
    "    pushfq\n"
    "    popq ft_flags_after(%rip)\n"
    "    cld\n"
    "    ret\n"

    /* Entry for the restart loop (FAULT_0060): count, then #UD forever. */
    "    .globl ft_count_fault\n"
    "ft_count_fault:\n"
    "    lock incq ft_count(%rip)\n"
    "    .globl ft_count_ud2\n"
    "ft_count_ud2:\n"
    "    ud2\n"
    "    jmp ft_count_ud2\n"
);

void ft_regs_syscall(struct ft_regs *p);
void ft_regs_int200(struct ft_regs *p);
void ft_ud2(void), ft_int3(void), ft_int80(void), ft_hlt(void), ft_cli(void);
void ft_inb(void), ft_outb(void), ft_inb_dx(void), ft_sse(void), ft_intff(void), ft_div0(void);
void ft_int_n(seL4_Word rax, int which);
seL4_Word ft_load(const volatile seL4_Word *p);
void ft_store(volatile seL4_Word *p, seL4_Word v);
void ft_exec(void *target);
seL4_Word ft_sys(seL4_Word number, seL4_Word cptr, seL4_Word info);
void ft_count_fault(void);
void ft_df_spin(void);
extern const char ft_df_spin_insn[];
extern const char ft_regs_syscall_insn[], ft_regs_int200_insn[];
extern const char ft_ud2_insn[], ft_int3_next[], ft_int80_insn[], ft_hlt_insn[], ft_cli_insn[];
extern const char ft_inb_insn[], ft_outb_insn[], ft_inb_dx_insn[], ft_sse_insn[];
extern const char ft_div0_insn[], ft_int157_insn[], ft_int158_insn[], ft_int254_insn[];
extern const char ft_int255_insn[], ft_intff_insn[];
extern const char ft_load_insn[], ft_store_insn[], ft_sys_insn[], ft_count_ud2[];

#define A(sym) ((seL4_Word)(uintptr_t)(sym))

/* ======================================================================
 * The handler thread
 * ====================================================================== */

#define FH_MAX 24
#define FH_MRS 20
#define ANY    0xA11A11A11A11A11AUL    /* "don't check this MR" */

struct fh;
/* Decide what to do with fault k (recorded in h): set the reply MRs with
 * seL4_SetMR and return true with *reply set to reply, false to not reply. */
typedef bool fh_decide_fn(struct fh *h, int k, seL4_MessageInfo_t *reply);

struct fh {
    seL4_CPtr ep;                   /* receives on this (root CSpace) */
    int max;                        /* faults to take before returning */
    fh_decide_fn *decide;           /* NULL: never reply */
    bool replyrecv;                 /* reply with ReplyRecv when more are expected */
    seL4_Word skip[FH_MAX];         /* for fh_skip: bytes to advance FaultIP */
    void *ctx;
    /* what happened */
    volatile int n;
    seL4_Word label[FH_MAX], length[FH_MAX], badge[FH_MAX];
    seL4_Word mr[FH_MAX][FH_MRS];
};

static void fh_fn(void *arg)
{
    struct fh *h = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(h->ep, &badge);
    for (int k = 0; k < h->max && k < FH_MAX; k++) {
        h->label[k] = INFO_LABEL(info);
        h->length[k] = INFO_LEN(info);
        h->badge[k] = badge;
        for (int i = 0; i < FH_MRS; i++)
            h->mr[k][i] = seL4_GetMR(i);
        __atomic_store_n(&h->n, k + 1, __ATOMIC_SEQ_CST);
        seL4_MessageInfo_t reply;
        bool do_reply = h->decide != NULL && h->decide(h, k, &reply);
        bool more = k + 1 < h->max && k + 1 < FH_MAX;
        if (!more) {
            if (do_reply)
                seL4_Reply(reply);
            return;
        }
        if (do_reply && h->replyrecv) {
            info = seL4_ReplyRecv(h->ep, reply, &badge);
        } else {
            if (do_reply)
                seL4_Reply(reply);
            info = seL4_Recv(h->ep, &badge);
        }
    }
}

/* Reply so that the thread continues skip[k] bytes after FaultIP, with
 * every other register unchanged: UnknownSyscall → 16 MRs (RAX..R15 as
 * received, FaultIP + skip; RSP and FLAGS are not written, they may be
 * stale for a `syscall` entry, faults.md §3.2); UserException → 3 MRs
 * (FaultIP + skip, RSP, FLAGS); anything else → empty reply (restart). */
static bool fh_skip(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_Word n = 0;
    if (h->label[k] == seL4_Fault_UnknownSyscall) {
        for (int i = 0; i < 15; i++)
            seL4_SetMR(i, h->mr[k][i]);
        seL4_SetMR(15, h->mr[k][15] + h->skip[k]);
        n = 16;
    } else if (h->label[k] == seL4_Fault_UserException) {
        seL4_SetMR(0, h->mr[k][0] + h->skip[k]);
        seL4_SetMR(1, h->mr[k][1]);
        seL4_SetMR(2, h->mr[k][2]);
        n = 3;
    }
    *reply = msg_info(0, 0, n);
    return true;
}

/* Start a handler thread (priority T_PRIO + 10) on `ep`; it blocks in Recv
 * at the next settle(). */
static struct thread *fh_spawn(struct fh *h, seL4_CPtr ep, int max, fh_decide_fn *decide)
{
    memset(h, 0, sizeof(*h));
    h->ep = ep;
    h->max = max;
    h->decide = decide;
    return thread_spawn(fh_fn, h, T_PRIO + 10);
}

#define SPAWN_FH(v, h, ep, max, decide)                                      \
    struct thread *v = fh_spawn(h, ep, max, decide);                         \
    EXPECT(v != NULL, "handler: %s", thread_error())

/* Point `t`'s fault handler at CPtr `fault_ep` (in its CSpace = the root
 * CNode). */
static seL4_Error set_fault_ep(struct thread *t, seL4_Word fault_ep)
{
    return seL4_TCB_SetSpace(t->tcb, fault_ep, ROOT_CNODE, 0, seL4_CapInitThreadVSpace, 0);
}

/* A started thread running fn(arg) at T_PRIO whose faults go to fault_ep. */
static struct thread *faulter_spawn(thread_fn *fn, void *arg, seL4_Word fault_ep)
{
    struct thread *t = thread_create(T_PRIO);
    if (t == NULL)
        return NULL;
    if (set_fault_ep(t, fault_ep) != seL4_NoError || thread_start(t, fn, arg) != seL4_NoError) {
        thread_destroy(t);
        return NULL;
    }
    return t;
}

#define SPAWN_FAULTER(v, fn, arg, ep)                                        \
    struct thread *v = faulter_spawn(fn, arg, ep);                           \
    EXPECT(v != NULL, "faulting thread: %s", thread_error())

/* Fault k of h: label, length and MRs 0..n-1 (ANY = not checked). */
static test_result_t fh_check(const struct fh *h, int k, seL4_Word label, seL4_Word len,
                              const seL4_Word *want, int n, int line)
{
    if (h->n <= k)
        return test_fail(__FILE__, line, "handler got %d fault(s), expected at least %d",
                         h->n, k + 1);
    if (h->label[k] != label || h->length[k] != len)
        return test_fail(__FILE__, line, "fault %d: label %lu length %lu, expected %lu / %lu "
                         "(MR0 %#lx MR1 %#lx MR3 %#lx)", k, (unsigned long)h->label[k],
                         (unsigned long)h->length[k], (unsigned long)label, (unsigned long)len,
                         (unsigned long)h->mr[k][0], (unsigned long)h->mr[k][1],
                         (unsigned long)h->mr[k][3]);
    for (int i = 0; i < n && i < FH_MRS; i++) {
        if (want[i] != ANY && h->mr[k][i] != want[i])
            return test_fail(__FILE__, line, "fault %d (label %lu): MR%d = %#lx, expected %#lx",
                             k, (unsigned long)label, i, (unsigned long)h->mr[k][i],
                             (unsigned long)want[i]);
    }
    return PASS;
}

#define EXPECT_FAULT(h, k, label, len, ...)                                  \
    do {                                                                     \
        const seL4_Word w_[] = { __VA_ARGS__ };                              \
        CHECK(fh_check(h, k, label, len, w_, (int)(sizeof(w_) / sizeof(w_[0])), __LINE__)); \
    } while (0)

#define EXPECT_NFAULTS(h, want)                                              \
    EXPECT((h)->n == (want), "handler received %d fault(s), expected %d", (h)->n, (want))

/* rip of a stopped thread. */
static seL4_Word rip_of(struct thread *t)
{
    seL4_UserContext uc;
    if (thread_regs(t, &uc) != seL4_NoError)
        return (seL4_Word)-1;
    return uc.rip;
}

#define EXPECT_RIP(t, want)                                                  \
    do {                                                                     \
        seL4_Word r_ = rip_of(t);                                            \
        EXPECT(r_ == (seL4_Word)(want), "%s: rip %#lx, expected %#lx", #t,   \
               (unsigned long)r_, (unsigned long)(want));                    \
    } while (0)

/* Generic faulting bodies. */
static void run_fn(void *arg)
{
    ((void (*)(void))arg)();
}

/* ======================================================================
 * CapFault (faults.md §3.1)
 * ====================================================================== */

struct sys_args {
    seL4_Word number, cptr, info;
    seL4_CPtr extra;                /* caps_or_badges[0] if info has extraCaps */
    volatile seL4_Word result;
};

static void sys_fn(void *arg)
{
    struct sys_args *a = arg;
    if (seL4_MessageInfo_get_extraCaps((seL4_MessageInfo_t){ { a->info } }) > 0)
        seL4_SetCap(0, a->extra);
    a->result = ft_sys(a->number, a->cptr, a->info);
}

#define BIG_CPTR ((seL4_Word)1 << 40)   /* not resolvable in the root CNode */

TTEST(FAULT_0001, "CapFault, send phase: Call/Send on an unresolvable CPtr (GuardMismatch)")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, NULL);
    settle();
    static struct sys_args call, send, nbsend;
    call = (struct sys_args){ .number = (seL4_Word)seL4_SysCall, .cptr = BIG_CPTR };
    send = (struct sys_args){ .number = (seL4_Word)seL4_SysSend, .cptr = BIG_CPTR | 5 };
    nbsend = (struct sys_args){ .number = (seL4_Word)seL4_SysNBSend, .cptr = BIG_CPTR };

    SPAWN_FAULTER(t1, sys_fn, &call, ep);
    settle();
    EXPECT_NOT_DONE(t1);
    /* Root CNode: guard 0 of 51 bits + radix 13; GuardMismatch(bitsLeft 64,
     * guardFound 0, bitsFound 51) (capabilities.md §1, §2). */
    EXPECT_FAULT(&h, 0, seL4_Fault_CapFault, 7, A(ft_sys_insn), BIG_CPTR, 0, seL4_GuardMismatch,
                 64, 0, 51);

    SPAWN_FAULTER(t2, sys_fn, &send, ep);
    settle();
    EXPECT_FAULT(&h, 1, seL4_Fault_CapFault, 7, A(ft_sys_insn), BIG_CPTR | 5, 0,
                 seL4_GuardMismatch, 64, 0, 51);

    /* NBSend: lookup failures are ignored silently (syscalls.md §8). */
    SPAWN_FAULTER(t3, sys_fn, &nbsend, ep);
    settle();
    EXPECT_DONE(t3);
    EXPECT_NFAULTS(&h, 2);
    return PASS;
}

/*
 * A CSpace with several levels for the other lookup failures: root CNode A
 * (radix 4, guard size 56) so that 4 bits are left after it; A[2] = B
 * (radix 4, no guard: ends exactly), A[3] = C (radix 5: DepthMismatch),
 * A[4] = D (radix 2, guard 1 of 2 bits: GuardMismatch unless the bits are 01).
 * B[1] = the fault endpoint, so the handler CPtr is 0x21.
 */
struct levels {
    seL4_CPtr a, b, c, d;
};

static test_result_t make_levels(struct levels *l, seL4_CPtr ep)
{
    l->a = new_cnode(4);
    l->b = new_cnode(4);
    l->c = new_cnode(5);
    l->d = new_cnode(2);
    EXPECT(l->a && l->b && l->c && l->d, "cnodes: %s", thread_error());
    EXPECT_ERR(cn_mint(l->a, 4, 2, l->b, seL4_AllRights, cnode_data(0, 0)), seL4_NoError);
    EXPECT_ERR(cn_mint(l->a, 4, 3, l->c, seL4_AllRights, cnode_data(0, 0)), seL4_NoError);
    EXPECT_ERR(cn_mint(l->a, 4, 4, l->d, seL4_AllRights, cnode_data(1, 2)), seL4_NoError);
    EXPECT_ERR(cn_copy(l->b, 4, 1, ep, seL4_AllRights), seL4_NoError);
    return PASS;
}

static struct thread *levels_faulter(struct levels *l, thread_fn *fn, void *arg)
{
    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.cspace = l->a;
    o.cspace_radix = 4;
    struct thread *t = thread_create_opts(&o);
    if (t == NULL)
        return NULL;
    if (seL4_TCB_SetSpace(t->tcb, 0x21, l->a, cnode_data(0, 56), seL4_CapInitThreadVSpace, 0) !=
            seL4_NoError ||
        thread_start(t, fn, arg) != seL4_NoError) {
        thread_destroy(t);
        return NULL;
    }
    return t;
}

TTEST(FAULT_0002, "CapFault, send phase: DepthMismatch and GuardMismatch at each level")
{
    NEW_EP(ep);
    struct levels l;
    CHECK(make_levels(&l, ep));
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 3, NULL);
    settle();

    static struct sys_args depth, guard2, guard1;
    depth = (struct sys_args){ .number = (seL4_Word)seL4_SysCall, .cptr = 0x30 };
    guard2 = (struct sys_args){ .number = (seL4_Word)seL4_SysCall, .cptr = 0x41 };
    guard1 = (struct sys_args){ .number = (seL4_Word)seL4_SysSend, .cptr = (seL4_Word)1 << 60 };

    struct thread *t1 = levels_faulter(&l, sys_fn, &depth);
    EXPECT(t1 != NULL, "thread: %s", thread_error());
    settle();
    /* C needs 5 bits, 4 are left: DepthMismatch(bitsLeft 4, bitsFound 5). */
    EXPECT_FAULT(&h, 0, seL4_Fault_CapFault, 6, A(ft_sys_insn), 0x30, 0, seL4_DepthMismatch, 4,
                 5);

    struct thread *t2 = levels_faulter(&l, sys_fn, &guard2);
    EXPECT(t2 != NULL, "thread: %s", thread_error());
    settle();
    /* D's guard is 1 (2 bits); the CPtr's next two bits are 00. */
    EXPECT_FAULT(&h, 1, seL4_Fault_CapFault, 7, A(ft_sys_insn), 0x41, 0, seL4_GuardMismatch, 4,
                 1, 2);

    struct thread *t3 = levels_faulter(&l, sys_fn, &guard1);
    EXPECT(t3 != NULL, "thread: %s", thread_error());
    settle();
    EXPECT_FAULT(&h, 2, seL4_Fault_CapFault, 7, A(ft_sys_insn), (seL4_Word)1 << 60, 0,
                 seL4_GuardMismatch, 64, 0, 56);
    EXPECT_NOT_DONE(t1);
    EXPECT_NOT_DONE(t2);
    EXPECT_NOT_DONE(t3);
    return PASS;
}

TTEST(FAULT_0003, "CapFault for an unresolvable extra cap: Addr is the extra CPtr, send phase")
{
    NEW_EP(ep);
    NEW_EP(other);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, NULL);
    settle();
    static struct sys_args a;
    a = (struct sys_args){ .number = (seL4_Word)seL4_SysCall, .cptr = other,
                           .info = msg_info(0x33, 1, 1).words[0], .extra = BIG_CPTR | 0x77 };
    SPAWN_FAULTER(t, sys_fn, &a, ep);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_FAULT(&h, 0, seL4_Fault_CapFault, 7, A(ft_sys_insn), BIG_CPTR | 0x77, 0,
                 seL4_GuardMismatch, 64, 0, 51);
    return PASS;
}

TTEST(FAULT_0004, "CapFault, receive phase: Recv/NBRecv/ReplyRecv lookup and type failures")
{
    NEW_EP(ep);
    NEW_EP(target);
    NEW_COPY(no_read, target, seL4_NoRead);
    NEW_SLOT(empty);
    struct levels l;
    CHECK(make_levels(&l, ep));
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 6, NULL);
    settle();

    static struct sys_args c[5];
    c[0] = (struct sys_args){ .number = (seL4_Word)seL4_SysRecv, .cptr = BIG_CPTR };
    c[1] = (struct sys_args){ .number = (seL4_Word)seL4_SysRecv, .cptr = seL4_CapInitThreadTCB };
    c[2] = (struct sys_args){ .number = (seL4_Word)seL4_SysRecv, .cptr = no_read };
    c[3] = (struct sys_args){ .number = (seL4_Word)seL4_SysNBRecv, .cptr = empty };
    c[4] = (struct sys_args){ .number = (seL4_Word)seL4_SysReplyRecv, .cptr = BIG_CPTR | 1 };
    for (int i = 0; i < 5; i++) {
        struct thread *t = faulter_spawn(sys_fn, &c[i], ep);
        EXPECT(t != NULL, "thread %d: %s", i, thread_error());
        settle();
        EXPECT(h.n == i + 1, "case %d: no fault delivered (handler has %d)", i, h.n);
        EXPECT(!t->done, "case %d: the thread finished", i);
    }
    EXPECT_FAULT(&h, 0, seL4_Fault_CapFault, 7, A(ft_sys_insn), BIG_CPTR, 1, seL4_GuardMismatch,
                 64, 0, 51);
    /* Not an endpoint/notification, no Read, or an empty slot:
     * MissingCapability with bitsLeft 0 (faults.md §3.1). */
    EXPECT_FAULT(&h, 1, seL4_Fault_CapFault, 5, A(ft_sys_insn), seL4_CapInitThreadTCB, 1,
                 seL4_MissingCapability, 0);
    EXPECT_FAULT(&h, 2, seL4_Fault_CapFault, 5, A(ft_sys_insn), no_read, 1,
                 seL4_MissingCapability, 0);
    EXPECT_FAULT(&h, 3, seL4_Fault_CapFault, 5, A(ft_sys_insn), empty, 1,
                 seL4_MissingCapability, 0);
    EXPECT_FAULT(&h, 4, seL4_Fault_CapFault, 7, A(ft_sys_insn), BIG_CPTR | 1, 1,
                 seL4_GuardMismatch, 64, 0, 51);

    /* DepthMismatch in the receive phase (multi-level CSpace). */
    static struct sys_args d;
    d = (struct sys_args){ .number = (seL4_Word)seL4_SysRecv, .cptr = 0x3F };
    struct thread *t = levels_faulter(&l, sys_fn, &d);
    EXPECT(t != NULL, "thread: %s", thread_error());
    settle();
    EXPECT_FAULT(&h, 5, seL4_Fault_CapFault, 6, A(ft_sys_insn), 0x3F, 1, seL4_DepthMismatch, 4,
                 5);
    return PASS;
}

/* Handler for FAULT_0005: install a notification where the Recv failed, then
 * reply (a CapFault reply restarts the syscall, faults.md §4). */
static bool install_and_restart(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_CPtr *caps = h->ctx;          /* [0] slot to fill, [1] notification */
    (void)k;
    if (r_copy(caps[0], caps[1], seL4_AllRights) != seL4_NoError)
        return false;
    *reply = msg_info(0, 0, 0);
    return true;
}

TTEST(FAULT_0005, "CapFault reply restarts the syscall; after the handler fixes the slot it succeeds")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(slot);
    static seL4_CPtr caps[2];
    caps[0] = slot;
    caps[1] = ntfn;
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, install_and_restart);
    h.ctx = caps;
    settle();
    static struct sys_args a;
    a = (struct sys_args){ .number = (seL4_Word)seL4_SysNBRecv, .cptr = slot };
    SPAWN_FAULTER(t, sys_fn, &a, ep);
    settle();
    EXPECT_FAULT(&h, 0, seL4_Fault_CapFault, 5, A(ft_sys_insn), slot, 1, seL4_MissingCapability,
                 0);
    EXPECT_DONE(t);
    EXPECT_NFAULTS(&h, 1);
    EXPECT_TYPE(slot, CT_NTFN);
    return PASS;
}

/* ======================================================================
 * UnknownSyscall (faults.md §3.2, §4)
 * ====================================================================== */

static void regs_fill(struct ft_regs *p, seL4_Word seed)
{
    memset(p, 0, sizeof(*p));
    for (int i = 0; i < 15; i++)
        p->in[i] = 0x5EED000000000000UL ^ (seed << 40) ^ ((seL4_Word)(i + 1) * 0x0102030405UL);
    p->flags_in = FT_FLAGS;
}

static void regs_syscall_fn(void *arg)
{
    ft_regs_syscall(arg);
}

static void regs_int200_fn(void *arg)
{
    ft_regs_int200(arg);
}

#define US_NUMBER 0x5A5A0001UL          /* not a syscall number */

TTEST(FAULT_0010, "UnknownSyscall via `syscall`: label 2, 19 MRs = the registers set in asm")
{
    NEW_EP(ep);
    NEW_MINT(hcap, ep, seL4_AllRights, 0x10);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, NULL);
    static struct ft_regs r;
    regs_fill(&r, 10);
    r.in[R_RDX] = US_NUMBER;
    SPAWN_FAULTER(t, regs_syscall_fn, &r, hcap);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT(h.n == 1, "handler got %d faults", h.n);
    EXPECT(h.badge[0] == 0x10, "badge %#lx", (unsigned long)h.badge[0]);
    /* RCX, R11 and RSP are not captured on `syscall` entry (stale). */
    EXPECT_FAULT(&h, 0, seL4_Fault_UnknownSyscall, 19,
                 r.in[R_RAX], r.in[R_RBX], ANY, US_NUMBER, r.in[R_RSI], r.in[R_RDI],
                 r.in[R_RBP], r.in[R_R8], r.in[R_R9], r.in[R_R10], ANY, r.in[R_R12],
                 r.in[R_R13], r.in[R_R14], r.in[R_R15], A(ft_regs_syscall_insn), ANY, FT_FLAGS,
                 US_NUMBER);
    EXPECT_RIP(t, A(ft_regs_syscall_insn));
    return PASS;
}

TTEST(FAULT_0011, "UnknownSyscall via `int $200`: number (200 << 24) | RAX[23:0], all 19 MRs")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, NULL);
    static struct ft_regs r;
    regs_fill(&r, 11);
    r.in[R_RAX] = 0xFEDCBA9876543210UL;
    SPAWN_FAULTER(t, regs_int200_fn, &r, ep);
    settle();
    EXPECT_NOT_DONE(t);
    seL4_Word number = (200UL << 24) | 0x543210UL;
    /* An interrupt entry captures every register; FaultIP is the `int`. */
    EXPECT_FAULT(&h, 0, seL4_Fault_UnknownSyscall, 19,
                 r.in[R_RAX], r.in[R_RBX], r.in[R_RCX], r.in[R_RDX], r.in[R_RSI], r.in[R_RDI],
                 r.in[R_RBP], r.in[R_R8], r.in[R_R9], r.in[R_R10], r.in[R_R11], r.in[R_R12],
                 r.in[R_R13], r.in[R_R14], r.in[R_R15], A(ft_regs_int200_insn), r.rsp_at,
                 FT_FLAGS, number);
    return PASS;
}

/* Emulation replies: registers := emu_vals, FaultIP += 2 (and, for the
 * `int` entry, RSP and FLAGS too). */
struct emu {
    seL4_Word vals[15];
    seL4_Word len;              /* 16 or 18 */
    seL4_Word label;
    seL4_Word rsp, flags;       /* MR16, MR17 when len = 18 */
};

static bool emulate(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    struct emu *e = h->ctx;
    for (int i = 0; i < 15; i++)
        seL4_SetMR(us_mr_of_reg[i], e->vals[i]);
    seL4_SetMR(15, h->mr[k][15] + 2);
    if (e->len > 16) {
        seL4_SetMR(16, e->rsp);
        seL4_SetMR(17, e->flags);
    }
    *reply = msg_info(e->label, 0, e->len);
    return true;
}

static int regs_out_mismatch(const struct ft_regs *r, const seL4_Word *want, unsigned skip_mask)
{
    for (int i = 0; i < 15; i++) {
        if (!(skip_mask & (1u << i)) && r->out[i] != want[i])
            return i;
    }
    return -1;
}

#define EXPECT_OUT(r, want, skip_mask)                                       \
    do {                                                                     \
        int m_ = regs_out_mismatch(r, want, skip_mask);                      \
        EXPECT(m_ < 0, "after the reply %s = %#lx, expected %#lx",          \
               m_ >= 0 ? reg_names[m_] : "", (unsigned long)(r)->out[m_ >= 0 ? m_ : 0], \
               (unsigned long)(want)[m_ >= 0 ? m_ : 0]);                     \
    } while (0)

TTEST(FAULT_0012, "UnknownSyscall emulated by the handler: reply sets registers, FaultIP + 2")
{
    NEW_EP(ep);
    static struct fh h;
    static struct emu e;
    SPAWN_FH(handler, &h, ep, 1, emulate);
    memset(&e, 0, sizeof(e));
    for (int i = 0; i < 15; i++)
        e.vals[i] = 0xE000000000000000UL + (seL4_Word)i * 0x1111;
    e.len = 16;
    h.ctx = &e;
    static struct ft_regs r;
    regs_fill(&r, 12);
    r.in[R_RDX] = US_NUMBER + 1;
    SPAWN_FAULTER(t, regs_syscall_fn, &r, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_DONE(t);
    /* Returned through the `syscall` path: RCX and R11 are the return
     * address and flags (syscalls.md §3.2), everything else is the reply. */
    EXPECT_OUT(&r, e.vals, (1u << R_RCX) | (1u << R_R11));
    EXPECT(ft_rsp_after == 0 || ft_rsp_after == r.rsp_at, "RSP after return %#lx",
           (unsigned long)ft_rsp_after);
    return PASS;
}

/* For the `int` entry the handler also moves RSP down 256 bytes (it learns
 * the thread's RSP from MR16) and sends flags that need sanitising. */
static bool emulate_int(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    struct emu *e = h->ctx;
    e->rsp = h->mr[k][16] - 256;
    /* TF, bits 3/5, NT (14) and AC (18) set, IF clear: the kernel must give
     * CF ZF SF AF OF + bit 1 + IF = 0xAD3 (objects.md §7.2). */
    e->flags = 0x8D3UL | 0x100 | 0x28 | 0x4000 | 0x40000;
    return emulate(h, k, reply);
}

TTEST(FAULT_0013, "`int $200` emulation: all 15 registers, RSP and sanitised FLAGS reach the thread")
{
    NEW_EP(ep);
    static struct fh h;
    static struct emu e;
    SPAWN_FH(handler, &h, ep, 1, emulate_int);
    memset(&e, 0, sizeof(e));
    for (int i = 0; i < 15; i++)
        e.vals[i] = 0x0000567800000000UL + (seL4_Word)i * 0x10001;
    e.len = 18;
    h.ctx = &e;
    static struct ft_regs r;
    regs_fill(&r, 14);
    SPAWN_FAULTER(t, regs_int200_fn, &r, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_DONE(t);
    /* An interrupt entry returns with the full context (faults.md §4). */
    EXPECT_OUT(&r, e.vals, 0);
    EXPECT(ft_rsp_after == r.rsp_at - 256, "RSP after return %#lx, expected %#lx",
           (unsigned long)ft_rsp_after, (unsigned long)(r.rsp_at - 256));
    EXPECT(r.flags_out == 0xAD3, "RFLAGS after return %#lx, expected 0xad3",
           (unsigned long)r.flags_out);
    return PASS;
}

TTEST(FAULT_0014, "UnknownSyscall reply with label != 0: registers written, thread Inactive")
{
    NEW_EP(ep);
    static struct fh h;
    static struct emu e;
    SPAWN_FH(handler, &h, ep, 1, emulate);
    memset(&e, 0, sizeof(e));
    for (int i = 0; i < 15; i++)
        e.vals[i] = 0x0000777700000000UL + (seL4_Word)i;
    e.len = 16;
    e.label = 1;
    h.ctx = &e;
    static struct ft_regs r;
    regs_fill(&r, 15);
    r.in[R_RDX] = US_NUMBER + 2;
    SPAWN_FAULTER(t, regs_syscall_fn, &r, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_NOT_DONE(t);
    /* faults.md §4: the MRs are used in any case; the label decides
     * Restart (0) or Inactive. */
    seL4_UserContext uc;
    EXPECT_ERR(thread_regs(t, &uc), seL4_NoError);
    EXPECT(uc.rip == A(ft_regs_syscall_insn) + 2, "rip %#lx, expected %#lx",
           (unsigned long)uc.rip, (unsigned long)A(ft_regs_syscall_insn) + 2);
    EXPECT(uc.rax == e.vals[R_RAX] && uc.r15 == e.vals[R_R15], "rax %#lx r15 %#lx",
           (unsigned long)uc.rax, (unsigned long)uc.r15);
    /* Inactive, not dead: Resume continues after the syscall. */
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_DONE(t);
    EXPECT_NFAULTS(&h, 1);
    EXPECT_OUT(&r, e.vals, (1u << R_RCX) | (1u << R_R11));
    return PASS;
}

/* 1000 emulated syscalls through ReplyRecv. */
struct many {
    int rounds;
    volatile int done_rounds, bad;
};

static void many_syscalls_fn(void *arg)
{
    struct many *m = arg;
    static struct ft_regs r;
    for (int i = 0; i < m->rounds; i++) {
        regs_fill(&r, (seL4_Word)i);
        r.in[R_RDX] = 0x1000000UL + (seL4_Word)i;
        ft_regs_syscall(&r);
        /* The handler answers RAX = number * 3. */
        if (r.out[R_RAX] != (0x1000000UL + (seL4_Word)i) * 3 || r.out[R_RBX] != r.in[R_RBX])
            m->bad++;
        m->done_rounds = i + 1;
    }
}

struct counting_fh {
    seL4_CPtr ep;
    int rounds;
    volatile int seen, bad;
};

static void counting_handler(void *arg)
{
    struct counting_fh *c = arg;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(c->ep, &badge);
    for (int k = 0; k < c->rounds; k++) {
        if (INFO_LABEL(info) != seL4_Fault_UnknownSyscall || INFO_LEN(info) != 19 ||
            seL4_GetMR(18) != 0x1000000UL + (seL4_Word)k)
            c->bad++;
        c->seen = k + 1;
        seL4_Word fip = seL4_GetMR(15), num = seL4_GetMR(18);
        seL4_SetMR(0, num * 3);
        seL4_SetMR(15, fip + 2);
        if (k + 1 == c->rounds) {
            seL4_Reply(msg_info(0, 0, 16));
            return;
        }
        info = seL4_ReplyRecv(c->ep, msg_info(0, 0, 16), &badge);
    }
}

TTEST(FAULT_0015, "1000 UnknownSyscalls emulated with ReplyRecv: every number and result right")
{
    NEW_EP(ep);
    static struct counting_fh c;
    memset(&c, 0, sizeof(c));
    c.ep = ep;
    c.rounds = 1000;
    SPAWN(handler, counting_handler, &c, T_PRIO + 10);
    static struct many m;
    memset(&m, 0, sizeof(m));
    m.rounds = 1000;
    SPAWN_FAULTER(t, many_syscalls_fn, &m, ep);
    settle();
    EXPECT(c.seen == 1000 && m.done_rounds == 1000, "handler saw %d, thread finished %d rounds",
           c.seen, m.done_rounds);
    EXPECT(c.bad == 0, "%d bad fault messages", c.bad);
    EXPECT(m.bad == 0, "%d bad emulated results", m.bad);
    EXPECT_DONE(t);
    EXPECT_DONE(handler);
    return PASS;
}

/* ======================================================================
 * UserException (faults.md §3.3)
 * ====================================================================== */

TTEST(FAULT_0020, "UserException #UD (ud2): vector 6, code 0, IP, SP, FLAGS; reply skips it")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, fh_skip);
    h.skip[0] = 2;
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_ud2_insn), ft_rsp_at, ANY, 6, 0);
    EXPECT((h.mr[0][2] & ~0x10000UL) == FT_FLAGS, "FLAGS %#lx, expected %#lx",
           (unsigned long)h.mr[0][2], FT_FLAGS);
    EXPECT_DONE(t);
    EXPECT(ft_rsp_after == ft_rsp_at, "RSP after %#lx, at fault %#lx",
           (unsigned long)ft_rsp_after, (unsigned long)ft_rsp_at);
    EXPECT((ft_flags_after & 0xFFF) == FT_FLAGS, "RFLAGS after %#lx",
           (unsigned long)ft_flags_after);
    return PASS;
}

/*
 * The direction flag is user state, but the kernel's C code needs it clear:
 * an interrupt or exception gate does not clear it, so the trap entry must
 * (with it set, the kernel's memset/memcpy ran backwards over the memory
 * below their destinations: found by the invariant checker under the
 * fuzzer, whose WriteRegisters set DF). The thread spins with DF set while
 * timer interrupts arrive, then takes #UD; a non-release kernel panics if
 * it is ever entered with DF set.
 */
TTEST(FAULT_0070, "a thread with the direction flag set: interrupts and exceptions leave the kernel unaffected, DF is kept")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, fh_skip);
    h.skip[0] = 2;
    SPAWN_FAULTER(t, run_fn, (void *)ft_df_spin, ep);
    settle();
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_df_spin_insn), ft_rsp_at, ANY, 6, 0);
    EXPECT((h.mr[0][2] & 0x400) != 0, "FLAGS %#lx: DF lost in the fault message",
           (unsigned long)h.mr[0][2]);
    EXPECT_DONE(t);
    EXPECT((ft_flags_after & 0x400) != 0, "RFLAGS after %#lx: DF lost across the fault",
           (unsigned long)ft_flags_after);
    return PASS;
}

TTEST(FAULT_0021, "UserException #BP (int3): vector 3, FaultIP is the next instruction")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, fh_skip);
    h.skip[0] = 0;
    SPAWN_FAULTER(t, run_fn, (void *)ft_int3, ep);
    settle();
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_int3_next), ft_rsp_at, ANY, 3, 0);
    EXPECT((h.mr[0][2] & 0xFFF) == FT_FLAGS, "FLAGS %#lx", (unsigned long)h.mr[0][2]);
    EXPECT_DONE(t);
    return PASS;
}

TTEST(FAULT_0022, "UserException #DE (divide by zero): vector 0, code 0")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, fh_skip);
    h.skip[0] = 2;
    SPAWN_FAULTER(t, run_fn, (void *)ft_div0, ep);
    settle();
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_div0_insn), ft_rsp_at, ANY, 0, 0);
    EXPECT_DONE(t);
    return PASS;
}

static void gp_fn(void *arg)
{
    (void)arg;
    ft_int80();
    ft_hlt();
    ft_cli();
    (void)ft_load((const volatile seL4_Word *)0x0000800000000000UL);   /* non-canonical */
}

TTEST(FAULT_0023, "UserException #GP: int $0x80, hlt, cli, non-canonical load (vector 13, codes)")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 4, fh_skip);
    h.skip[0] = 2;              /* int $0x80 */
    h.skip[1] = 1;              /* hlt */
    h.skip[2] = 1;              /* cli */
    h.skip[3] = 3;              /* movq (%rdi), %rax */
    SPAWN_FAULTER(t, gp_fn, NULL, ep);
    settle();
    EXPECT_NFAULTS(&h, 4);
    /* `int N` with N < 158 (not 3): error code N*8+2 names IDT entry N
     * (syscalls.md §9); QEMU's TCG reports N*16+2 (see tools/testrun.py). */
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_int80_insn), ANY, ANY, 13, ANY);
    EXPECT(h.mr[0][4] == 0x80 * 8 + 2 || h.mr[0][4] == 0x80 * 16 + 2, "int $0x80: code %#lx",
           (unsigned long)h.mr[0][4]);
    EXPECT_FAULT(&h, 1, seL4_Fault_UserException, 5, A(ft_hlt_insn), ANY, ANY, 13, 0);
    EXPECT_FAULT(&h, 2, seL4_Fault_UserException, 5, A(ft_cli_insn), ANY, ANY, 13, 0);
    EXPECT_FAULT(&h, 3, seL4_Fault_UserException, 5, A(ft_load_insn), ANY, ANY, 13, 0);
    EXPECT_DONE(t);
    return PASS;
}

/* Reply: skip the ud2, move RSP down 256 bytes, set flags that need
 * sanitising. */
static bool ue_rewrite(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_SetMR(0, h->mr[k][0] + 2);
    seL4_SetMR(1, h->mr[k][1] - 256);
    seL4_SetMR(2, 0x8D3UL | 0x100 | 0x28 | 0x4000 | 0x40000);
    *reply = msg_info(0, 0, 3);
    return true;
}

TTEST(FAULT_0024, "UserException reply writes FaultIP, RSP and sanitised FLAGS (iretq path)")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, ue_rewrite);
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_DONE(t);
    EXPECT(ft_rsp_after == ft_rsp_at - 256, "RSP after %#lx, expected %#lx",
           (unsigned long)ft_rsp_after, (unsigned long)(ft_rsp_at - 256));
    EXPECT(ft_flags_after == 0xAD3, "RFLAGS after %#lx, expected 0xad3",
           (unsigned long)ft_flags_after);
    return PASS;
}

static bool ue_label1(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_SetMR(0, h->mr[k][0] + 2);
    seL4_SetMR(1, h->mr[k][1]);
    seL4_SetMR(2, h->mr[k][2]);
    *reply = msg_info(1, 0, 3);
    return true;
}

TTEST(FAULT_0025, "UserException reply with label != 0 leaves the thread Inactive")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, ue_label1);
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn) + 2);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_DONE(t);
    EXPECT_NFAULTS(&h, 1);
    return PASS;
}

/* #NM: the thread disables its own FPU right before an SSE instruction
 * (so no compiler-generated SSE code runs while it is off); the handler
 * enables it again and an empty reply restarts the instruction. */
static void nm_fn(void *arg)
{
    struct thread *self = thread_self();
    volatile int *err = arg;
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(self->tcb, 0, seL4_TCBFlag_fpuDisabled);
    if (f.error != seL4_NoError || f.flags != seL4_TCBFlag_fpuDisabled)
        *err = 1;
    ft_sse();
}

static bool enable_fpu(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    struct thread **t = h->ctx;
    (void)k;
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags((*t)->tcb, seL4_TCBFlag_fpuDisabled, 0);
    if (f.error != seL4_NoError)
        return false;
    *reply = msg_info(0, 0, 0);
    return true;
}

TTEST(FAULT_0026, "UserException #NM with fpuDisabled; empty reply restarts the instruction")
{
    NEW_EP(ep);
    static struct fh h;
    static struct thread *faulter;
    static volatile int err;
    err = 0;
    SPAWN_FH(handler, &h, ep, 2, enable_fpu);
    h.ctx = &faulter;
    faulter = faulter_spawn(nm_fn, (void *)&err, ep);
    EXPECT(faulter != NULL, "thread: %s", thread_error());
    settle();
    EXPECT(err == 0, "SetFlags on itself failed");
    EXPECT_NFAULTS(&h, 1);
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_sse_insn), ft_rsp_at, ANY, 7, 0);
    EXPECT_DONE(faulter);
    return PASS;
}

/* ======================================================================
 * VMFault (faults.md §3.4) and a user-level pager
 * ====================================================================== */

/* PML4 entry 255 is ours: the VM tests (vm_util.c) use entries 1..254. */
#define REGION     0x00007F8000000000UL     /* our own PDPT/PD/PT (FAULT_0031/0032) */
#define UNMAPPED   0x00007FC012345678UL     /* entry 255, no PDPT while FAULT_0030 runs */
#define KERNEL_VA  0xFFFFFFFF80108000UL     /* kernel image: present, supervisor only */

static void vm_read_fn(void *arg)
{
    (void)ft_load((const volatile seL4_Word *)arg);
}

static void vm_write_fn(void *arg)
{
    ft_store((volatile seL4_Word *)arg, 0x1234);
}

static void vm_exec_fn(void *arg)
{
    ft_exec(arg);
}

TTEST(FAULT_0030, "VMFault: read, write, exec of unmapped memory and read of kernel memory")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 4, NULL);
    settle();
    struct thread *t;
    t = faulter_spawn(vm_read_fn, (void *)UNMAPPED, ep);
    EXPECT(t != NULL, "thread: %s", thread_error());
    settle();
    t = faulter_spawn(vm_write_fn, (void *)(UNMAPPED + 8), ep);
    EXPECT(t != NULL, "thread: %s", thread_error());
    settle();
    t = faulter_spawn(vm_exec_fn, (void *)(UNMAPPED + 0x10), ep);
    EXPECT(t != NULL, "thread: %s", thread_error());
    settle();
    t = faulter_spawn(vm_read_fn, (void *)KERNEL_VA, ep);
    EXPECT(t != NULL, "thread: %s", thread_error());
    settle();
    EXPECT_NFAULTS(&h, 4);
    /* FSR = page-fault error code bits 0..4: P W U RSVD I (faults.md §3.4). */
    EXPECT_FAULT(&h, 0, seL4_Fault_VMFault, 4, A(ft_load_insn), UNMAPPED, 0, 0x4);
    EXPECT_FAULT(&h, 1, seL4_Fault_VMFault, 4, A(ft_store_insn), UNMAPPED + 8, 0, 0x6);
    EXPECT_FAULT(&h, 2, seL4_Fault_VMFault, 4, UNMAPPED + 0x10, UNMAPPED + 0x10, 1, 0x14);
    EXPECT_FAULT(&h, 3, seL4_Fault_VMFault, 4, A(ft_load_insn), KERNEL_VA, 0, 0x5);
    return PASS;
}

/* Paging structures for REGION in the root VSpace (objects.md §4). */
struct region {
    seL4_CPtr pdpt, pd, pt;
};

static test_result_t region_map(struct region *r)
{
    r->pdpt = new_obj(seL4_X86_PDPTObject, 0);
    r->pd = new_obj(seL4_X86_PageDirectoryObject, 0);
    r->pt = new_obj(seL4_X86_PageTableObject, 0);
    EXPECT(r->pdpt && r->pd && r->pt, "paging objects: %s", thread_error());
    EXPECT_ERR(seL4_X86_PDPT_Map(r->pdpt, seL4_CapInitThreadVSpace, REGION,
                                 seL4_X86_Default_VMAttributes), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageDirectory_Map(r->pd, seL4_CapInitThreadVSpace, REGION,
                                          seL4_X86_Default_VMAttributes), seL4_NoError);
    EXPECT_ERR(seL4_X86_PageTable_Map(r->pt, seL4_CapInitThreadVSpace, REGION,
                                      seL4_X86_Default_VMAttributes), seL4_NoError);
    return PASS;
}

#define PAGER_PAGES 6
struct pager {
    seL4_CPtr frames[PAGER_PAGES];
    int used;
    volatile int errors;
    volatile seL4_Word seen[8];
    volatile int steps;
};

#define PAGE(k)   (REGION + 0x10000UL + (seL4_Word)(k) * 4096)
#define MAGIC(k)  (0xFEED000000000000UL + (seL4_Word)(k))

/* Map the next frame at the faulting page, fill it (a value at the faulting
 * word, or `ret` for an instruction fetch), reply (VMFault: restart). */
static bool pager_decide(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    struct pager *p = h->ctx;
    seL4_Word addr = h->mr[k][1];
    if (h->label[k] != seL4_Fault_VMFault || p->used >= PAGER_PAGES) {
        p->errors++;
        return false;
    }
    seL4_CPtr f = p->frames[p->used++];
    if (seL4_X86_Page_Map(f, seL4_CapInitThreadVSpace, addr & ~0xFFFUL, seL4_ReadWrite,
                          seL4_X86_Default_VMAttributes) != seL4_NoError) {
        p->errors++;
        return false;
    }
    if (h->mr[k][2])
        *(volatile unsigned char *)addr = 0xC3;         /* ret */
    else
        *(volatile seL4_Word *)(addr & ~7UL) = MAGIC(k);
    *reply = msg_info(0, 0, 0);
    return true;
}

static void pager_client(void *arg)
{
    struct pager *p = arg;
    for (int k = 0; k < 4; k++) {
        volatile seL4_Word *w = (volatile seL4_Word *)(PAGE(k) + 8 * (seL4_Word)k);
        p->seen[k] = ft_load(w);               /* faults, the pager maps */
        ft_store(w + 1, 0x5000 + (seL4_Word)k); /* same page: no fault */
        if (w[1] != 0x5000 + (seL4_Word)k)
            p->errors++;
        p->steps = k + 1;
    }
    ft_exec((void *)(PAGE(4) + 0x123));         /* the pager puts a `ret` there */
    p->steps = 5;
}

TTEST(FAULT_0031, "user-level pager: maps a frame per VMFault and replies; the thread completes")
{
    struct region reg;
    CHECK(region_map(&reg));
    static struct pager p;
    memset(&p, 0, sizeof(p));
    for (int i = 0; i < PAGER_PAGES; i++) {
        p.frames[i] = new_obj(seL4_X86_4K, 0);
        EXPECT(p.frames[i] != 0, "frame: %s", thread_error());
    }
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 5, pager_decide);
    h.ctx = &p;
    SPAWN_FAULTER(t, pager_client, &p, ep);
    settle();
    EXPECT(p.errors == 0, "%d pager/client errors (steps %d)", p.errors, p.steps);
    EXPECT_NFAULTS(&h, 5);
    EXPECT_DONE(t);
    for (int k = 0; k < 4; k++) {
        EXPECT_FAULT(&h, k, seL4_Fault_VMFault, 4, A(ft_load_insn), PAGE(k) + 8 * (seL4_Word)k,
                     0, 0x4);
        EXPECT(p.seen[k] == MAGIC(k), "page %d: read %#lx, expected %#lx", k,
               (unsigned long)p.seen[k], (unsigned long)MAGIC(k));
    }
    EXPECT_FAULT(&h, 4, seL4_Fault_VMFault, 4, PAGE(4) + 0x123, PAGE(4) + 0x123, 1, 0x14);
    return PASS;
}

/* Upgrade a read-only mapping to read-write (a remap, objects.md §4.3). */
static bool upgrade_decide(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_CPtr *frame = h->ctx;
    if (seL4_X86_Page_Map(*frame, seL4_CapInitThreadVSpace, h->mr[k][1] & ~0xFFFUL,
                          seL4_ReadWrite, seL4_X86_Default_VMAttributes) != seL4_NoError)
        return false;
    *reply = msg_info(0, 0, 0);
    return true;
}

struct rw {
    volatile seL4_Word before, after;
};

static void rw_client(void *arg)
{
    struct rw *x = arg;
    volatile seL4_Word *w = (volatile seL4_Word *)(PAGE(0) + 0x40);
    x->before = ft_load(w);
    ft_store(w, 0xAB12);
    x->after = ft_load(w);
}

TTEST(FAULT_0032, "VMFault writing a read-only page (FSR 7); the pager remaps it writable")
{
    struct region reg;
    CHECK(region_map(&reg));
    static seL4_CPtr frame;
    frame = new_obj(seL4_X86_4K, 0);
    EXPECT(frame != 0, "frame: %s", thread_error());
    EXPECT_ERR(seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, PAGE(0), seL4_CanRead,
                                 seL4_X86_Default_VMAttributes), seL4_NoError);
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, upgrade_decide);
    h.ctx = &frame;
    static struct rw x;
    memset((void *)&x, 0, sizeof(x));
    SPAWN_FAULTER(t, rw_client, &x, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_FAULT(&h, 0, seL4_Fault_VMFault, 4, A(ft_store_insn), PAGE(0) + 0x40, 0, 0x7);
    EXPECT_DONE(t);
    EXPECT(x.before == 0 && x.after == 0xAB12, "read %#lx before, %#lx after",
           (unsigned long)x.before, (unsigned long)x.after);
    return PASS;
}

/* ======================================================================
 * Fault-handler validity (faults.md §2, objects.md §7.4)
 * ====================================================================== */

TTEST(FAULT_0040, "no fault handler: the thread just stops; WriteRegisters restarts it")
{
    static volatile int after;
    after = 0;
    NEW_THREAD(t, T_PRIO);
    START(t, run_fn, (void *)ft_ud2);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn));
    /* Resume re-executes the ud2 and stops again. */
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn));
    /* WriteRegisters with rip past the ud2 lets it finish. */
    seL4_UserContext uc;
    EXPECT_ERR(thread_regs(t, &uc), seL4_NoError);
    uc.rip += 2;
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 1, 0, 20, &uc), seL4_NoError);
    settle();
    EXPECT_DONE(t);
    (void)after;
    return PASS;
}

TTEST(FAULT_0041, "unusable fault handlers (empty, bad CPtr, notification, no Write, no Grant/GrantReply)")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(empty);
    NEW_COPY(no_write, ep, seL4_NoWrite);                                /* R G GR */
    NEW_COPY(rw_only, ep, seL4_CapRights_new(0, 0, 1, 1));              /* R W */
    NEW_COPY(w_grantreply, ep, seL4_CapRights_new(1, 0, 0, 1));         /* W GR */
    NEW_COPY(w_grant, ep, seL4_CapRights_new(0, 1, 0, 1));              /* W G */
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, NULL);
    settle();

    const seL4_Word bad[] = { empty, BIG_CPTR, ntfn, no_write, rw_only };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct thread *t = faulter_spawn(run_fn, (void *)ft_ud2, bad[i]);
        EXPECT(t != NULL, "thread: %s", thread_error());
        settle();
        EXPECT(h.n == 0, "case %u: handler received a fault", i);
        EXPECT(!t->done, "case %u: the thread finished", i);
        seL4_Word rip = rip_of(t);
        EXPECT(rip == A(ft_ud2_insn), "case %u: rip %#lx", i, (unsigned long)rip);
        thread_destroy(t);
    }
    EXPECT(ntfn_poll(ntfn) == 0, "the notification was signalled");

    /* Write + GrantReply and Write + Grant are valid. */
    struct thread *t1 = faulter_spawn(run_fn, (void *)ft_ud2, w_grantreply);
    EXPECT(t1 != NULL, "thread: %s", thread_error());
    settle();
    EXPECT_NFAULTS(&h, 1);
    struct thread *t2 = faulter_spawn(run_fn, (void *)ft_ud2, w_grant);
    EXPECT(t2 != NULL, "thread: %s", thread_error());
    settle();
    EXPECT_NFAULTS(&h, 2);
    EXPECT_FAULT(&h, 1, seL4_Fault_UserException, 5, A(ft_ud2_insn), ANY, ANY, 6, 0);
    return PASS;
}

/* Handler for FAULT_0042: after the first fault, re-mint the faulting
 * thread's handler slot with another badge, then let the thread go on. */
static bool swap_badge(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_CPtr *c = h->ctx;              /* [0] handler slot, [1] endpoint */
    if (k == 0) {
        if (r_delete(c[0]) != seL4_NoError ||
            r_mint(c[0], c[1], seL4_AllRights, 0x2222) != seL4_NoError)
            return false;
    }
    return fh_skip(h, k, reply);
}

static void two_ud2(void *arg)
{
    (void)arg;
    ft_ud2();
    ft_ud2();
}

TTEST(FAULT_0042, "the handler cap's badge arrives; the handler CPtr is looked up at each fault")
{
    NEW_EP(ep);
    NEW_MINT(hcap, ep, seL4_AllRights, 0x1111);
    static seL4_CPtr c[2];
    c[0] = hcap;
    c[1] = ep;
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, swap_badge);
    h.ctx = c;
    h.skip[0] = 2;
    h.skip[1] = 2;
    SPAWN_FAULTER(t, two_ud2, NULL, hcap);
    settle();
    EXPECT_NFAULTS(&h, 2);
    EXPECT(h.badge[0] == 0x1111, "first badge %#lx", (unsigned long)h.badge[0]);
    EXPECT(h.badge[1] == 0x2222, "second badge %#lx", (unsigned long)h.badge[1]);
    EXPECT_DONE(t);
    return PASS;
}

TTEST(FAULT_0043, "a fault with no waiting handler queues on the endpoint until one receives")
{
    NEW_EP(ep);
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn));
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, fh_skip);
    h.skip[0] = 2;
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_ud2_insn), ANY, ANY, 6, 0);
    EXPECT_DONE(t);
    return PASS;
}

/* ======================================================================
 * Reply caps of faults (capabilities.md §6, faults.md §4)
 * ====================================================================== */

static bool save_caller(struct fh *h, int k, seL4_MessageInfo_t *reply)
{
    seL4_CPtr *slot = h->ctx;
    (void)reply;
    if (seL4_CNode_SaveCaller(ROOT_CNODE, slot[k], ROOT_DEPTH) != seL4_NoError)
        h->skip[k] = 0xBAD;
    return false;
}

TTEST(FAULT_0050, "SaveCaller of a fault's reply cap; replying later (NBSend) resumes the thread")
{
    NEW_EP(ep);
    NEW_SLOT(rslot);
    static seL4_CPtr slots[1];
    slots[0] = rslot;
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, save_caller);
    h.ctx = slots;
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT(h.skip[0] == 0, "SaveCaller failed");
    /* BlockedOnReply: a reply cap to it exists and it does not run. */
    EXPECT_TYPE(rslot, CT_REPLY);
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn));
    settle();
    EXPECT_NOT_DONE(t);

    seL4_SetMR(0, h.mr[0][0] + 2);
    seL4_SetMR(1, h.mr[0][1]);
    seL4_SetMR(2, h.mr[0][2]);
    seL4_NBSend(rslot, msg_info(0, 0, 3));
    settle();
    EXPECT_DONE(t);
    EXPECT_TYPE(rslot, CT_NULL);        /* consumed */
    return PASS;
}

TTEST(FAULT_0051, "Suspend of a thread waiting for a fault reply deletes the reply cap; Resume refaults")
{
    NEW_EP(ep);
    NEW_SLOT(r1);
    NEW_SLOT(r2);
    static seL4_CPtr slots[2];
    slots[0] = r1;
    slots[1] = r2;
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, save_caller);
    h.ctx = slots;
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_TYPE(r1, CT_REPLY);
    EXPECT_ERR(seL4_TCB_Suspend(t->tcb), seL4_NoError);
    EXPECT_TYPE(r1, CT_NULL);
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NFAULTS(&h, 2);
    EXPECT_TYPE(r2, CT_REPLY);
    EXPECT_FAULT(&h, 1, seL4_Fault_UserException, 5, A(ft_ud2_insn), ANY, ANY, 6, 0);
    EXPECT_NOT_DONE(t);
    return PASS;
}

TTEST(FAULT_0052, "deleting the unused fault reply cap leaves the thread blocked until Resume")
{
    NEW_EP(ep);
    NEW_SLOT(r1);
    NEW_SLOT(r2);
    static seL4_CPtr slots[2];
    slots[0] = r1;
    slots[1] = r2;
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 2, save_caller);
    h.ctx = slots;
    SPAWN_FAULTER(t, run_fn, (void *)ft_ud2, ep);
    settle();
    EXPECT_NFAULTS(&h, 1);
    EXPECT_ERR(r_delete(r1), seL4_NoError);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_NFAULTS(&h, 1);
    EXPECT_RIP(t, A(ft_ud2_insn));
    EXPECT_ERR(seL4_TCB_Resume(t->tcb), seL4_NoError);
    settle();
    EXPECT_NFAULTS(&h, 2);
    /* The second reply cap works. */
    seL4_SetMR(0, h.mr[1][0] + 2);
    seL4_SetMR(1, h.mr[1][1]);
    seL4_SetMR(2, h.mr[1][2]);
    seL4_NBSend(r2, msg_info(0, 0, 3));
    settle();
    EXPECT_DONE(t);
    return PASS;
}

/* ======================================================================
 * Many faults without a handler
 * ====================================================================== */

#define RESTARTS 10000

/* Echo: the server answers MR0 + 1. */
struct echo {
    seL4_CPtr ep;
    int rounds;
    volatile int served, answered, bad;
};

static void echo_server(void *arg)
{
    struct echo *e = arg;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(e->ep, &badge);
    for (int i = 0;; i++) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        e->served = i + 1;
        if (i + 1 == e->rounds) {
            seL4_Reply(msg_info(INFO_LABEL(info), 0, 1));
            return;
        }
        info = seL4_ReplyRecv(e->ep, msg_info(INFO_LABEL(info), 0, 1), &badge);
    }
}

static void echo_client(void *arg)
{
    struct echo *e = arg;
    for (int i = 0; i < e->rounds; i++) {
        seL4_SetMR(0, 1000 + (seL4_Word)i);
        seL4_MessageInfo_t r = seL4_Call(e->ep, msg_info(7, 0, 1));
        if (INFO_LABEL(r) != 7 || INFO_LEN(r) != 1 || seL4_GetMR(0) != 1001 + (seL4_Word)i)
            e->bad++;
        e->answered = i + 1;
    }
}

struct supervisor {
    struct thread *victim;
    volatile int restarts, errors, first_bad;
    volatile seL4_Word bad_count;
};

static void supervise(void *arg)
{
    struct supervisor *s = arg;
    struct thread *v = s->victim;
    uint64_t expected = 0;
    for (int i = 0; i < RESTARTS; i++) {
        seL4_Error e;
        if (i % 2 == 0) {
            /* From the top: counts, then faults. */
            seL4_UserContext uc;
            memset(&uc, 0, sizeof(uc));
            uc.rip = A(ft_count_fault);
            uc.rsp = v->stack_top - 8;
            uc.rflags = RFLAGS_DEFAULT;
            uc.fs_base = v->tp;
            e = seL4_TCB_WriteRegisters(v->tcb, 1, 0, 20, &uc);
            expected++;
        } else {
            /* Resume re-executes the faulting ud2: no count. */
            e = seL4_TCB_Resume(v->tcb);
        }
        /* The victim has the higher priority: by now it ran and faulted. */
        if (e != seL4_NoError || ft_count != expected) {
            if (s->errors++ == 0) {
                s->first_bad = i;
                s->bad_count = ft_count;
            }
            if (s->errors > 10)
                return;
        }
        s->restarts = i + 1;
    }
}

TTEST(FAULT_0060, "a thread without a handler faults 10000 times, restarted each time; IPC works after")
{
    ft_count = 0;
    NEW_THREAD(victim, T_PRIO + 1);
    seL4_DebugNameThread(victim->tcb, "fault-loop");
    static struct supervisor s;
    memset(&s, 0, sizeof(s));
    s.victim = victim;
    SPAWN(sup, supervise, &s, T_PRIO);
    settle();
    EXPECT_DONE(sup);
    EXPECT(s.errors == 0, "%d errors, first at restart %d (count %lu)", s.errors, s.first_bad,
           (unsigned long)s.bad_count);
    EXPECT(s.restarts == RESTARTS && ft_count == RESTARTS / 2, "%d restarts, count %lu",
           s.restarts, (unsigned long)ft_count);
    EXPECT_RIP(victim, A(ft_count_ud2));

    /* The kernel is still healthy: 100 Call/Reply round trips between two
     * new threads. */
    NEW_EP(ep);
    static struct echo e;
    memset(&e, 0, sizeof(e));
    e.ep = ep;
    e.rounds = 100;
    SPAWN(srv, echo_server, &e, T_PRIO);
    SPAWN(cli, echo_client, &e, T_PRIO);
    settle();
    EXPECT_DONE(srv);
    EXPECT_DONE(cli);
    EXPECT(e.served == 100 && e.answered == 100 && e.bad == 0,
           "served %d, answered %d, bad %d", e.served, e.answered, e.bad);
    return PASS;
}

/* ======================================================================
 * IOPORT_0030: user-mode port I/O (objects.md §5: the I/O bitmap is all ones)
 * ====================================================================== */

static void io_fn(void *arg)
{
    (void)arg;
    ft_inb();
    ft_outb();
    ft_inb_dx();
}

TTEST(IOPORT_0030, "user `in`/`out` instructions raise #GP (UserException 13, code 0)")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 3, fh_skip);
    h.skip[0] = 2;
    h.skip[1] = 2;
    h.skip[2] = 1;
    SPAWN_FAULTER(t, io_fn, NULL, ep);
    settle();
    EXPECT_NFAULTS(&h, 3);
    EXPECT_FAULT(&h, 0, seL4_Fault_UserException, 5, A(ft_inb_insn), ANY, ANY, 13, 0);
    EXPECT_FAULT(&h, 1, seL4_Fault_UserException, 5, A(ft_outb_insn), ANY, ANY, 13, 0);
    EXPECT_FAULT(&h, 2, seL4_Fault_UserException, 5, A(ft_inb_dx_insn), ANY, ANY, 13, 0);
    EXPECT_DONE(t);
    return PASS;
}

/* ======================================================================
 * DEBUG_0010..0013: software interrupts and syscall numbers (syscalls.md §9)
 * ====================================================================== */

#define SOFT_RAX 0xFFFFFFFFFF123456UL

static void soft_ints(void *arg)
{
    (void)arg;
    ft_int_n(SOFT_RAX, 1);      /* int $158 */
    ft_int_n(SOFT_RAX, 2);      /* int $254 */
    ft_int_n(SOFT_RAX, 0);      /* int $157: #GP */
    ft_int_n(SOFT_RAX, 3);      /* int $255: spurious, no-op */
}

TTEST(DEBUG_0010, "int $158 and $254 are UnknownSyscalls (N << 24 | RAX[23:0]); $157 is #GP; $255 no-op")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 4, fh_skip);
    h.skip[0] = 2;
    h.skip[1] = 2;
    h.skip[2] = 2;
    SPAWN_FAULTER(t, soft_ints, NULL, ep);
    settle();
    EXPECT_NFAULTS(&h, 3);
    EXPECT_FAULT(&h, 0, seL4_Fault_UnknownSyscall, 19, SOFT_RAX, ANY, ANY, ANY, ANY, ANY, ANY,
                 ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, A(ft_int158_insn), ANY, ANY,
                 (158UL << 24) | 0x123456);
    EXPECT_FAULT(&h, 1, seL4_Fault_UnknownSyscall, 19, SOFT_RAX, ANY, ANY, ANY, ANY, ANY, ANY,
                 ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, A(ft_int254_insn), ANY, ANY,
                 (254UL << 24) | 0x123456);
    EXPECT_FAULT(&h, 2, seL4_Fault_UserException, 5, A(ft_int157_insn), ANY, ANY, 13, ANY);
    EXPECT(h.mr[2][4] == 157 * 8 + 2 || h.mr[2][4] == 157 * 16 + 2, "int $157: code %#lx",
           (unsigned long)h.mr[2][4]);
    EXPECT_DONE(t);
    return PASS;
}

/* Numbers that are no syscall in config Q (syscalls.md §1.1: -16 needs
 * SMP, -17 code injection, -18..-26 benchmarks, -27/-28 dangerous MSRs,
 * -29 VT-x; nothing below -30 or above -1).  -15 is left out: seL4 halts
 * the machine for DebugSendIPI on x86. */
static const seL4_Word unknown_numbers[] = {
    0, 1, 2, 100, (seL4_Word)-16, (seL4_Word)-17, (seL4_Word)-18, (seL4_Word)-22,
    (seL4_Word)-26, (seL4_Word)-27, (seL4_Word)-28, (seL4_Word)-29, (seL4_Word)-31,
    (seL4_Word)-1000, 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL,
};
#define N_UNKNOWN (sizeof(unknown_numbers) / sizeof(unknown_numbers[0]))

static void unknown_fn(void *arg)
{
    volatile int *done = arg;
    for (unsigned i = 0; i < N_UNKNOWN; i++) {
        (void)ft_sys(unknown_numbers[i], 0x1234, 0);
        *done = (int)i + 1;
    }
}

TTEST(DEBUG_0011, "syscall numbers that do not exist in config Q raise UnknownSyscall")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, (int)N_UNKNOWN, fh_skip);
    for (unsigned i = 0; i < N_UNKNOWN; i++)
        h.skip[i] = 2;
    h.replyrecv = true;
    static volatile int done;
    done = 0;
    SPAWN_FAULTER(t, unknown_fn, (void *)&done, ep);
    settle();
    EXPECT_NFAULTS(&h, (int)N_UNKNOWN);
    for (unsigned i = 0; i < N_UNKNOWN; i++) {
        EXPECT(h.label[i] == seL4_Fault_UnknownSyscall && h.mr[i][18] == unknown_numbers[i] &&
               h.mr[i][3] == unknown_numbers[i] && h.mr[i][5] == 0x1234 &&
               h.mr[i][15] == A(ft_sys_insn),
               "number %#lx: label %lu, MR18 %#lx, MR3 %#lx, MR5 %#lx, MR15 %#lx",
               (unsigned long)unknown_numbers[i], (unsigned long)h.label[i],
               (unsigned long)h.mr[i][18], (unsigned long)h.mr[i][3], (unsigned long)h.mr[i][5],
               (unsigned long)h.mr[i][15]);
    }
    EXPECT(done == (int)N_UNKNOWN, "thread got through %d of %u", done, (unsigned)N_UNKNOWN);
    EXPECT_DONE(t);
    return PASS;
}

struct ff {
    struct probe p;
    volatile int ok;
};

static void intff_fn(void *arg)
{
    struct ff *f = arg;
    probe_fill(&f->p, 0xFF);
    probe_int_ff(&f->p);
    f->ok = 1;
    ft_intff();
}

TTEST(DEBUG_0012, "int $0xff in a thread with a handler: no fault, every register kept")
{
    NEW_EP(ep);
    static struct fh h;
    SPAWN_FH(handler, &h, ep, 1, NULL);
    static struct ff f;
    memset(&f, 0, sizeof(f));
    SPAWN_FAULTER(t, intff_fn, &f, ep);
    settle();
    EXPECT_NFAULTS(&h, 0);
    EXPECT_DONE(t);
    for (int i = 0; i < P_COUNT; i++)
        EXPECT(f.p.in[i] == f.p.out[i], "%s changed: %#lx -> %#lx", probe_reg_names[i],
               (unsigned long)f.p.in[i], (unsigned long)f.p.out[i]);
    EXPECT(ft_rsp_after == ft_rsp_at, "RSP moved across int $0xff");
    return PASS;
}

static void named_fn(void *arg)
{
    struct thread *self = thread_self();
    (void)arg;
    seL4_DebugNameThread(self->tcb, "debug-0013-renamed");
    ft_ud2();
}

TTEST(DEBUG_0013, "DebugNameThread (root and self) then a fault with no handler: the thread restarts fine")
{
    NEW_THREAD(t, T_PRIO);
    static char longname[1500];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    seL4_DebugNameThread(t->tcb, longname);     /* truncated by the stub */
    seL4_DebugNameThread(t->tcb, "debug-0013");
    START(t, named_fn, NULL);
    settle();
    EXPECT_NOT_DONE(t);
    EXPECT_RIP(t, A(ft_ud2_insn));
    seL4_UserContext uc;
    EXPECT_ERR(thread_regs(t, &uc), seL4_NoError);
    uc.rip += 2;
    EXPECT_ERR(seL4_TCB_WriteRegisters(t->tcb, 1, 0, 20, &uc), seL4_NoError);
    settle();
    EXPECT_DONE(t);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "rootserver");
    return PASS;
}
