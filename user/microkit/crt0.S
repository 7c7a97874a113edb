/*
 * PD entry point.
 *
 * The system initialiser starts (and restarts) a PD with fresh memory and
 *     RSP = top of the PD's stack, RDI = its IPC buffer, RSI = restart count.
 * A parent restarting a child with microkit_pd_restart() sets only RIP and
 * leaves memory as it is, so the other registers are stale then; the
 * values of the first start are kept in .data for that case (they are
 * zero again whenever the initialiser reloads the image).
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .cfi_startproc
    .cfi_undefined rip
    movq __arca_pd_sp(%rip), %rax
    testq %rax, %rax
    jz 1f
    movq %rax, %rsp                 /* restarted in place by a parent */
    movq __arca_pd_ipcbuf(%rip), %rdi
    movq __arca_pd_restarts(%rip), %rsi
    jmp 2f
1:  movq %rsp, __arca_pd_sp(%rip)
    movq %rdi, __arca_pd_ipcbuf(%rip)
    movq %rsi, __arca_pd_restarts(%rip)
2:  andq $-16, %rsp
    xorl %ebp, %ebp
    call __arca_pd_start
    ud2
    .cfi_endproc
    .size _start, . - _start

    .section .data
    .balign 8
    .globl __arca_pd_sp, __arca_pd_ipcbuf, __arca_pd_restarts
__arca_pd_sp:       .quad 0
__arca_pd_ipcbuf:   .quad 0
__arca_pd_restarts: .quad 0

    .section .note.GNU-stack, "", @progbits
