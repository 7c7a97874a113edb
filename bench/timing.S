/*
 * The timed system call (bench.h): bench_sys and bench_nop are the same
 * code except for the one instruction between the two counter reads.
 *
 *   before:  cpuid; rdtsc            (cpuid serialises, then the read)
 *            4 register moves        (keep the value, RDX = number, RSP)
 *            syscall  |  66 90
 *   after:   rdtscp; ...; cpuid      (the read comes first)
 *
 * The kernel keeps every register but RSP, RCX, R11 and the outputs RDI,
 * RSI, R10, R8, R9, R15 (libsel4/include/sel4/syscalls.h), so the first
 * read stays in R12/R13 across the call and RSP is kept in RBX.  A thread
 * that blocks in the call returns here when it is resumed, so the second
 * read of a receiver is the first instruction it runs.
 */

#define OP_SYS  0
#define OP_RDI  8
#define OP_RSI  16
#define OP_MR0  24
#define OP_MR1  32
#define OP_MR2  40
#define OP_MR3  48
#define OP_T0   56
#define OP_T1   64

.macro TIMED name, nop
    .text
    .globl \name
    .type \name, @function
    .balign 64
\name:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rdi, %rbp
    movq OP_RDI(%rbp), %rdi
    movq OP_RSI(%rbp), %rsi
    movq OP_MR0(%rbp), %r10
    movq OP_MR1(%rbp), %r8
    movq OP_MR2(%rbp), %r9
    movq OP_MR3(%rbp), %r15
    movq OP_SYS(%rbp), %r14
    xorl %eax, %eax
    cpuid
    rdtsc
    movl %eax, %r12d
    movl %edx, %r13d
    movq %r14, %rdx
    movq %rsp, %rbx
.if \nop
    .byte 0x66, 0x90            /* xchg %ax,%ax: 2 bytes, like syscall */
.else
    syscall
.endif
    rdtscp
    movq %rbx, %rsp
    movl %eax, %r14d
    movl %edx, %r11d
    xorl %eax, %eax
    cpuid
    shlq $32, %r13
    orq %r12, %r13
    movq %r13, OP_T0(%rbp)
    shlq $32, %r11
    orq %r14, %r11
    movq %r11, OP_T1(%rbp)
    movq %rdi, OP_RDI(%rbp)
    movq %rsi, OP_RSI(%rbp)
    movq %r10, OP_MR0(%rbp)
    movq %r8, OP_MR1(%rbp)
    movq %r9, OP_MR2(%rbp)
    movq %r15, OP_MR3(%rbp)
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret
    .size \name, . - \name
.endm

    TIMED bench_sys, 0
    TIMED bench_nop, 1

/*
 * bench_spin(last, count): store the counter's low half at *last until
 * *count, decremented once per loop, reaches 0 (another thread may set it
 * to 1 to stop the loop).  An interrupt lands 1-4 instructions after the
 * read stored last.
 */
    .text
    .globl bench_spin
    .type bench_spin, @function
    .balign 64
bench_spin:
1:  rdtsc
    movl %eax, (%rdi)
    decq (%rsi)
    jnz 1b
    ret
    .size bench_spin, . - bench_spin

    .section .note.GNU-stack, "", @progbits
