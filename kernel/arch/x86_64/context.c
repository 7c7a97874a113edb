/*
 * Thread contexts: creating them, and leaving the kernel into one.
 *
 * FPU/SSE state is switched eagerly but only when a different user thread
 * than the FPU's current owner is about to run. The kernel itself never uses
 * FPU or SSE registers (it is built with -mno-sse -mno-mmx -mno-80387), so
 * kernel entries and the idle thread leave the registers alone and a thread
 * that is switched away from and back to without another user thread running
 * in between pays nothing.
 */
#include "arch.h"
#include "thread.h"
#include "kstring.h"
#include <arch/machine.h>
#include <arch/percpu.h>
#include <arch/descriptors.h>
#include <arch/paging.h>

#define MXCSR_DEFAULT   0x1F80
#define FCW_DEFAULT     0x037F
#define RFLAGS_USER_DEFAULT 0x202       /* IF | reserved bit 1 (boot.md §3) */

extern NORETURN void restore_user_frame(word_t *frame);

static tcb_t *fpu_owner;
static word_t loaded_fs_base;
static word_t loaded_gs_base;

void arch_init_user_context(arch_context_t *ctx, vaddr_t entry, word_t arg0)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->regs[FR_RIP] = entry;
    ctx->regs[FR_FAULT_IP] = entry;
    ctx->regs[FR_RDI] = arg0;
    ctx->regs[FR_CS] = SEL_USER_CS;
    ctx->regs[FR_SS] = SEL_USER_DS;
    ctx->regs[FR_RFLAGS] = RFLAGS_USER_DEFAULT;
    /* First entry goes through iretq (error slot is not the syscall marker). */
    ctx->regs[FR_ERROR] = 0;
    /* The FXSAVE image of a freshly initialised FPU (FNINIT + default MXCSR). */
    ctx->fpu[0] = FCW_DEFAULT & 0xFF;
    ctx->fpu[1] = FCW_DEFAULT >> 8;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(&ctx->fpu[24], &mxcsr, sizeof(mxcsr));
}

void arch_init_idle_context(arch_context_t *ctx, word_t stack_top)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->regs[FR_RIP] = (word_t)arch_idle_loop;
    ctx->regs[FR_CS] = SEL_KERNEL_CS;
    ctx->regs[FR_SS] = SEL_KERNEL_DS;
    ctx->regs[FR_RSP] = stack_top;
    ctx->regs[FR_RFLAGS] = 0x2;         /* interrupts stay off until hlt */
}

bool arch_context_is_kernel(const arch_context_t *ctx)
{
    return (ctx->regs[FR_CS] & 3) == 0;
}

static void switch_fpu(tcb_t *t)
{
    if (fpu_owner == t)
        return;
    if (fpu_owner != NULL)
        __asm__ volatile("fxsaveq %0" : "=m"(fpu_owner->ctx.fpu));
    __asm__ volatile("fxrstorq %0" : : "m"(t->ctx.fpu));
    fpu_owner = t;
}

/*
 * A thread with seL4_TCBFlag_fpuDisabled runs with CR0.TS set, so its first
 * FPU/SSE instruction raises #NM (UserException 7). The kernel's own
 * FXSAVE/FXRSTOR need TS clear, so TS is only set for such threads.
 */
static bool fpu_access = true;

static void set_fpu_access(bool enabled)
{
    if (enabled == fpu_access)
        return;
    fpu_access = enabled;
    word_t cr0 = read_cr0();
    write_cr0(enabled ? cr0 & ~CR0_TS : cr0 | CR0_TS);
}

/* FS/GS base MSR writes are slow: only write what changed. */
static ALWAYS_INLINE void load_tls_bases(const arch_context_t *ctx)
{
    if (ctx->regs[FR_FS_BASE] != loaded_fs_base) {
        loaded_fs_base = ctx->regs[FR_FS_BASE];
        wrmsr(MSR_FS_BASE, loaded_fs_base);
    }
    /* The user GS base sits in KERNEL_GS_BASE until the exit's swapgs. */
    if (ctx->regs[FR_GS_BASE] != loaded_gs_base) {
        loaded_gs_base = ctx->regs[FR_GS_BASE];
        wrmsr(MSR_KERNEL_GS_BASE, loaded_gs_base);
    }
}

void arch_forget_thread(const struct tcb *t)
{
    if (fpu_owner == t)
        fpu_owner = NULL;
}

NORETURN void arch_return_to(tcb_t *t)
{
    /* Returning to the thread that entered needs no new frame pointer. */
    word_t *top = ctx_frame_top(&t->ctx);
    if ((word_t)top != descriptors_frame_top())
        descriptors_set_frame_top((word_t)top);

    paddr_t root = thread_vspace_root(t);
    if (root == 0)
        root = paging_kernel_root();
    if (read_cr3() != root)
        write_cr3(root);

    if (!arch_context_is_kernel(&t->ctx)) {
        set_fpu_access(!(t->flags & TCB_FLAG_FPU_DISABLED));
        if (!(t->flags & TCB_FLAG_FPU_DISABLED))
            switch_fpu(t);
        load_tls_bases(&t->ctx);
    }
    restore_user_frame(&t->ctx.regs[FR_R15]);
}

NORETURN void arch_switch_to_user(tcb_t *t)
{
    /* CR0.TS must change (fpu_access != FPU enabled): the full path. */
    if (fpu_access == !!(t->flags & TCB_FLAG_FPU_DISABLED))
        arch_return_to(t);
    word_t *top = ctx_frame_top(&t->ctx);
    descriptors_set_frame_top((word_t)top);
    paddr_t root = cap_object_paddr(t->slots[TCB_SLOT_VSPACE].cap);
    if (read_cr3() != root)
        write_cr3(root);
    switch_fpu(t);
    load_tls_bases(&t->ctx);
    restore_user_frame(&t->ctx.regs[FR_R15]);
}

NORETURN void arch_idle_loop(void)
{
    for (;;)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
}

uint64_t arch_read_cycle_counter(void)
{
    return rdtsc();
}
