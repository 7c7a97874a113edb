/*
 * Interrupt and exception entry from C: sorts what arrived into a kernel
 * bug (report and stop), a user fault, a device or timer interrupt, or a
 * software-interrupt "syscall", then hands over to generic code.
 */
#include "arch.h"
#include "printf.h"
#include "panic.h"
#include "thread.h"
#include "sched.h"
#include "fault.h"
#include "syscall.h"
#include "plat.h"
#include "irq.h"
#include <arch/machine.h>
#include <arch/descriptors.h>

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 floating point", "#AC alignment check", "#MC machine check", "#XM SIMD floating point",
    "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27",
    "#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved 31",
};

const char *arch_vector_name(word_t vector)
{
    if (vector < 32)
        return exception_names[vector];
    if (vector == VECTOR_SYSCALL)
        return "syscall";
    return "interrupt";
}

/* A CPU exception in kernel mode is a kernel bug: say everything, then stop. */
static NORETURN void kernel_exception(const word_t *f)
{
    kprintf("\n*** KERNEL EXCEPTION: vector %lu (%s), error code 0x%lx\n",
            f[FR_VECTOR - FR_R15], arch_vector_name(f[FR_VECTOR - FR_R15]),
            f[FR_ERROR - FR_R15]);
    kprintf("RIP %016lx  CS %04lx  RFLAGS %016lx\n", f[FR_RIP - FR_R15],
            f[FR_CS - FR_R15], f[FR_RFLAGS - FR_R15]);
    kprintf("RSP %016lx  SS %04lx  CR2 %016lx  CR3 %016lx\n", f[FR_RSP - FR_R15],
            f[FR_SS - FR_R15], read_cr2(), read_cr3());
    kprintf("RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n", f[FR_RAX - FR_R15],
            f[FR_RBX - FR_R15], f[FR_RCX - FR_R15], f[FR_RDX - FR_R15]);
    kprintf("RSI %016lx  RDI %016lx  RBP %016lx  R8  %016lx\n", f[FR_RSI - FR_R15],
            f[FR_RDI - FR_R15], f[FR_RBP - FR_R15], f[FR_R8 - FR_R15]);
    kprintf("R9  %016lx  R10 %016lx  R11 %016lx  R12 %016lx\n", f[FR_R9 - FR_R15],
            f[FR_R10 - FR_R15], f[FR_R11 - FR_R15], f[FR_R12 - FR_R15]);
    kprintf("R13 %016lx  R14 %016lx  R15 %016lx  CR0 %016lx  CR4 %016lx\n",
            f[FR_R13 - FR_R15], f[FR_R14 - FR_R15], f[FR_R15 - FR_R15], read_cr0(),
            read_cr4());
    if (cur_thread != NULL)
        kprintf("current thread: '%s' (tcb %p, state %s)\n", cur_thread->name,
                (void *)cur_thread, thread_state_name(cur_thread->state));
    panic("unrecoverable exception in kernel mode");
}

/* page-fault error code bits 0..4 (faults.md §3.4) */
#define PF_INSTRUCTION  BIT(4)

static void user_exception(tcb_t *t, word_t vector, word_t error)
{
    arch_context_t *ctx = &t->ctx;
    fault_t f = { .ip = ctx->regs[FR_RIP] };
    ctx->regs[FR_FAULT_IP] = ctx->regs[FR_RIP];

    if (vector == VECTOR_PAGE_FAULT) {
        f.type = FAULT_VM;
        f.u.vm.addr = read_cr2();
        f.u.vm.fsr = error & 0x1F;
        f.u.vm.prefetch = (error & PF_INSTRUCTION) != 0;
    } else {
        f.type = FAULT_USER_EXCEPTION;
        f.u.user_exception.number = vector;
        f.u.user_exception.code = error & MASK(28);
    }
    handle_fault(t, &f);
}

/* int N, N in 158..254: an unknown syscall numbered (N << 24) | RAX[23:0]. */
static void software_interrupt(tcb_t *t, word_t vector)
{
    arch_context_t *ctx = &t->ctx;
    word_t number = (vector << 24) | (ctx->regs[FR_RAX] & MASK(24));
    ctx->regs[FR_FAULT_IP] = ctx->regs[FR_RIP] - 2;
    handle_unknown_syscall(t, number);
}

NORETURN void c_handle_trap(word_t *frame)
{
    word_t vector = frame[FR_VECTOR - FR_R15];
    word_t error = frame[FR_ERROR - FR_R15];
    bool from_kernel = (frame[FR_CS - FR_R15] & 3) == 0;
    tcb_t *t = cur_thread;

#if !CONFIG_RELEASE
    /* trap_common clears DF; FAULT_0070 traps with it set to keep that so. */
    if (read_rflags() & RFLAGS_DF)
        panic("kernel entered with the direction flag set (vector %lu)", vector);
#endif
    if (vector == VECTOR_NMI || vector == VECTOR_DOUBLE_FAULT || vector == VECTOR_MACHINE_CHECK)
        kernel_exception(frame);
    /* The idle thread is the only code that runs in ring 0 with interrupts on. */
    if (from_kernel && (t != &idle_thread || vector < 32))
        kernel_exception(frame);

    if (!from_kernel) {
        /*
         * A thread that last returned by sysretq runs with CS 0x3B, which
         * iretq cannot load; like seL4, keep the canonical user selectors
         * in the frame instead of what the CPU pushed (syscalls.md §10).
         */
        frame[FR_CS - FR_R15] = SEL_USER_CS;
        frame[FR_SS - FR_R15] = SEL_USER_DS;
    }

    if (vector < 32) {
        user_exception(t, vector, error);
    } else if (vector == VECTOR_TIMER) {
        plat_timer_ack();
        sched_tick();
    } else if (vector == VECTOR_SPURIOUS) {
        /* Nothing to acknowledge; user `int $0xff` lands here too. */
    } else if (vector >= VECTOR_SOFT_SYSCALL_MIN && !from_kernel) {
        software_interrupt(t, vector);
    } else {
        irq_deliver((unsigned)(vector - VECTOR_IRQ_BASE));
    }
    sched_exit_kernel();
}
