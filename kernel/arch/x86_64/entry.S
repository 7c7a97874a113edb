/*
 * Kernel entry and exit on x86_64.
 *
 * Every entry ends in the same frame layout inside the current thread's TCB
 * (see arch/context.h), then switches to the per-CPU kernel stack and calls C:
 *
 *   interrupt/exception: CPU pushes SS..RIP (and maybe an error code) onto
 *                        IST1 = frame top; the stub pushes error/vector/GPRs.
 *   syscall:             no stack switch by the CPU; the stub points RSP at
 *                        the frame top and pushes the same frame itself.
 *
 * Exit (restore_user_frame) pops the frame and returns with sysretq when the
 * thread last entered by syscall (error slot = -1), else with iretq.
 */
#include <arch/context.h>
#include <arch/percpu.h>
#include <arch/layout.h>

#define OFF(reg) (((reg) - FR_R15) * 8)

/* offsetof(struct tss64, ist[0]) (arch/descriptors.h) */
#define TSS_IST1 36

/* seL4_SysCall and seL4_SysReplyRecv (libsel4 syscall.h). */
#define SYSCALL_CALL        (-1)
#define SYSCALL_REPLY_RECV  (-2)
#define SYSCALL_NBSEND      (-4)    /* and seL4_SysSend = -3 */

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

    .text

/* One stub per vector; vectors with a CPU error code skip the dummy push. */
.macro TRAP_STUB vec
    .align 16
trap_stub_\vec:
    .if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp trap_common
.endm

    .altmacro
    .align 16
    .globl trap_stubs_start
trap_stubs_start:
vec = 0
.rept 256
    TRAP_STUB %vec
    vec = vec + 1
.endr
    .noaltmacro

trap_common:
    /*
     * The direction flag is user state (WriteRegisters keeps it, as seL4
     * does, and `std` sets it) and an interrupt or exception gate does not
     * clear it. The C code below assumes it is clear: with it set, every
     * memset/memcpy (rep stos/movs) in the kernel runs backwards over
     * whatever lies below its destination. (The syscall entry clears it
     * through FMASK.)
     */
    cld
    PUSH_GPRS
    testb $3, OFF(FR_CS)(%rsp)
    jz 1f
    swapgs
    jmp 2f
    /*
     * From ring 0: the idle thread, or a kernel bug. A bug may strike in the
     * exit path after swapgs (e.g. a faulting iretq), so do not trust GS:
     * load the kernel's GS base explicitly. RAX/RCX/RDX are saved already.
     */
1:  movl $0xC0000101, %ecx              /* IA32_GS_BASE */
    movabsq $cpu0, %rax
    movq %rax, %rdx
    shrq $32, %rdx
    wrmsr
2:  movq %rsp, %rdi                     /* argument: &frame[FR_R15] */
    movq %gs:PERCPU_KSTACK_TOP, %rsp
    call c_handle_trap
    ud2                                 /* c_handle_trap never returns */

/*
 * The syscall instruction: RCX = user RIP, R11 = user RFLAGS, IF and TF
 * already cleared by FMASK. The user stack is not touched.
 */
.macro SYSCALL_SAVE_FRAME
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq arch_tss+TSS_IST1(%rip), %rsp   /* the thread's frame top */
    pushq $SEL_USER_DS
    pushq %gs:PERCPU_USER_RSP
    pushq %r11
    pushq $SEL_USER_CS
    pushq %rcx
    pushq $ERROR_SYSCALL
    pushq $VECTOR_SYSCALL
    PUSH_GPRS
    /* FaultIP (restart address) = the syscall instruction, 2 bytes back. */
    leaq -2(%rcx), %rcx
    movq %rcx, OFF(FR_FAULT_IP)(%rsp)
    movq %gs:PERCPU_KSTACK_TOP, %rsp
.endm

/* With the fastpath off (fastpath=0 on the command line) the kernel points
 * LSTAR here instead (arch_syscall_fastpath), so the check costs nothing. */
    .globl syscall_entry_slow
syscall_entry_slow:
    SYSCALL_SAVE_FRAME
    call c_handle_syscall
    ud2

    .globl syscall_entry
syscall_entry:
    SYSCALL_SAVE_FRAME
#if CONFIG_FASTPATH
    /* Call and ReplyRecv try the IPC fastpath first (api/fastpath.c). */
    cmpq $SYSCALL_CALL, %rdx
    jne 1f
    call c_fastpath_call
1:  cmpq $SYSCALL_REPLY_RECV, %rdx
    jne 2f
    call c_fastpath_reply_recv
    /* Send and NBSend (-3, -4) may be Signals: their own fastpath. */
2:  leaq -SYSCALL_NBSEND(%rdx), %rax
    cmpq $1, %rax
    ja 3f
    call c_fastpath_signal
3:
#endif
    call c_handle_syscall
    ud2

/*
 * restore_user_frame(word_t *frame): frame = &regs[FR_R15] of the thread to
 * run. Also used to enter the idle thread, which runs in ring 0.
 */
    .globl restore_user_frame
restore_user_frame:
    movq %rdi, %rsp
    cmpq $ERROR_SYSCALL, OFF(FR_ERROR)(%rsp)
    je 2f
    POP_GPRS
    addq $16, %rsp                      /* vector and error code */
    testb $3, 8(%rsp)                   /* CS of the frame */
    jz 1f
    swapgs
1:  iretq

    /* Back from a syscall: RCX and R11 carry RIP and RFLAGS for sysretq. */
2:  POP_GPRS
    movq 16(%rsp), %rcx                 /* FR_RIP */
    movq 32(%rsp), %r11                 /* FR_RFLAGS */
    movq 40(%rsp), %rsp                 /* FR_RSP */
    swapgs
    sysretq

    .section .note.GNU-stack, "", @progbits
