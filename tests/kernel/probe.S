/*
 * Register probes: run one instruction sequence with every general register
 * set to a known value, and record every register afterwards, so tests can
 * see exactly what the kernel changed.
 *
 * struct probe { uint64_t in[15]; uint64_t out[15]; } with register order
 * RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15.
 */
#define IN(i)   (8 * (i))
#define OUT(i)  (120 + 8 * (i))
#define RAX 0
#define RBX 1
#define RCX 2
#define RDX 3
#define RSI 4
#define RDI 5
#define RBP 6
#define R8  7
#define R9  8
#define R10 9
#define R11 10
#define R12 11
#define R13 12
#define R14 13
#define R15 14

    .text
/* Loads every register but RBX (the stub's RSP keeper) from probe->in. */
.macro LOAD_ALL
    movq IN(RAX)(%rdi), %rax
    movq IN(RCX)(%rdi), %rcx
    movq IN(RDX)(%rdi), %rdx
    movq IN(RSI)(%rdi), %rsi
    movq IN(RBP)(%rdi), %rbp
    movq IN(R8)(%rdi), %r8
    movq IN(R9)(%rdi), %r9
    movq IN(R10)(%rdi), %r10
    movq IN(R11)(%rdi), %r11
    movq IN(R12)(%rdi), %r12
    movq IN(R13)(%rdi), %r13
    movq IN(R14)(%rdi), %r14
    movq IN(R15)(%rdi), %r15
    movq IN(RDI)(%rdi), %rdi
.endm

/* Stores every register into probe->out; the probe pointer is at 8(%rsp). */
.macro STORE_ALL
    pushq %rax
    movq 8(%rsp), %rax
    movq %rbx, OUT(RBX)(%rax)
    movq %rcx, OUT(RCX)(%rax)
    movq %rdx, OUT(RDX)(%rax)
    movq %rsi, OUT(RSI)(%rax)
    movq %rdi, OUT(RDI)(%rax)
    movq %rbp, OUT(RBP)(%rax)
    movq %r8, OUT(R8)(%rax)
    movq %r9, OUT(R9)(%rax)
    movq %r10, OUT(R10)(%rax)
    movq %r11, OUT(R11)(%rax)
    movq %r12, OUT(R12)(%rax)
    movq %r13, OUT(R13)(%rax)
    movq %r14, OUT(R14)(%rax)
    movq %r15, OUT(R15)(%rax)
    popq %rcx
    movq %rcx, OUT(RAX)(%rax)
.endm

.macro SAVE_CALLEE
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro RESTORE_CALLEE
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
.endm

/* void probe_syscall(struct probe *p): the `syscall` instruction, as libsel4 does it. */
    .globl probe_syscall
probe_syscall:
    SAVE_CALLEE
    pushq %rdi
    LOAD_ALL
    movq %rsp, %rbx
    syscall
    movq %rbx, %rsp
    STORE_ALL
    addq $8, %rsp
    RESTORE_CALLEE
    ret

/* void probe_int_ff(struct probe *p): `int $0xff`, the spurious vector. */
    .globl probe_int_ff
probe_int_ff:
    SAVE_CALLEE
    pushq %rdi
    movq IN(RBX)(%rdi), %rbx
    LOAD_ALL
    int $0xff
    STORE_ALL
    addq $8, %rsp
    RESTORE_CALLEE
    ret

/*
 * int wait_for_interrupt(uint64_t max_spins): makes a syscall (Yield), after
 * which CS reads 0x3B (sysretq), then spins until CS reads 0x2B, which only
 * an interrupt's iretq return produces (syscalls.md §10). Returns 1 if an
 * interrupt was seen, 0 if max_spins ran out.
 */
    .globl wait_for_interrupt
wait_for_interrupt:
    pushq %rbx
    pushq %rdi
    movq $-7, %rdx                  /* seL4_SysYield */
    movq %rsp, %rbx
    syscall
    movq %rbx, %rsp
    popq %rdi
    popq %rbx
1:  movl %cs, %eax
    cmpl $0x2B, %eax
    je 2f
    decq %rdi
    jnz 1b
    xorl %eax, %eax
    ret
2:  movl $1, %eax
    ret

/*
 * int xmm_across_interrupt(const void *in, void *out, uint64_t max_spins):
 * loads XMM0-15 from in[256], waits for an interrupt as above without
 * touching XMM registers, stores them to out[256]. Returns 1 if an interrupt
 * happened in between.
 */
    .globl xmm_across_interrupt
xmm_across_interrupt:
    pushq %rbx
    movdqu 0(%rdi), %xmm0
    movdqu 16(%rdi), %xmm1
    movdqu 32(%rdi), %xmm2
    movdqu 48(%rdi), %xmm3
    movdqu 64(%rdi), %xmm4
    movdqu 80(%rdi), %xmm5
    movdqu 96(%rdi), %xmm6
    movdqu 112(%rdi), %xmm7
    movdqu 128(%rdi), %xmm8
    movdqu 144(%rdi), %xmm9
    movdqu 160(%rdi), %xmm10
    movdqu 176(%rdi), %xmm11
    movdqu 192(%rdi), %xmm12
    movdqu 208(%rdi), %xmm13
    movdqu 224(%rdi), %xmm14
    movdqu 240(%rdi), %xmm15
    pushq %rsi
    pushq %rdx
    movq $-7, %rdx
    movq %rsp, %rbx
    syscall
    movq %rbx, %rsp
    popq %rdx
    popq %rsi
    xorl %eax, %eax
1:  movl %cs, %ecx
    cmpl $0x2B, %ecx
    je 2f
    decq %rdx
    jnz 1b
    jmp 3f
2:  movl $1, %eax
3:  movdqu %xmm0, 0(%rsi)
    movdqu %xmm1, 16(%rsi)
    movdqu %xmm2, 32(%rsi)
    movdqu %xmm3, 48(%rsi)
    movdqu %xmm4, 64(%rsi)
    movdqu %xmm5, 80(%rsi)
    movdqu %xmm6, 96(%rsi)
    movdqu %xmm7, 112(%rsi)
    movdqu %xmm8, 128(%rsi)
    movdqu %xmm9, 144(%rsi)
    movdqu %xmm10, 160(%rsi)
    movdqu %xmm11, 176(%rsi)
    movdqu %xmm12, 192(%rsi)
    movdqu %xmm13, 208(%rsi)
    movdqu %xmm14, 224(%rsi)
    movdqu %xmm15, 240(%rsi)
    popq %rbx
    ret

    .section .note.GNU-stack, "", @progbits
