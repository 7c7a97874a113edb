/*
 * Root-task entry point (see shared/abi/boot.md §3).
 *
 * The kernel starts the root task with RSP = 0, RDI = address of the
 * BootInfo frame and every other general register zero.  All _start has
 * to do is give us a stack and pass RDI on, untouched, as the first C
 * argument.
 *
 * _start lives in its own section so that user.ld can put it first, at
 * the very start of the text segment, whatever the link order.
 */

#define STACK_SIZE 16384

    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .cfi_startproc
    .cfi_undefined rip          /* outermost frame: debuggers stop here */
    leaq __arca_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    /* The stack top is 16-byte aligned, so once the call has pushed the
     * return address the callee sees the usual SysV entry alignment. */
    call __arca_start_root
    ud2                         /* __arca_start_root never returns */
    .cfi_endproc
    .size _start, . - _start

    .section .bss
    .balign 16
    .type __arca_stack, @object
__arca_stack:
    .skip STACK_SIZE
__arca_stack_top:
    .size __arca_stack, STACK_SIZE

    /* No executable stack wanted. */
    .section .note.GNU-stack, "", @progbits
