/*
 * Multiboot (v1) entry and the switch from 32-bit protected mode to long mode.
 *
 * The boot loader (QEMU's -kernel, GRUB) enters _start in 32-bit protected
 * mode with paging off, EAX = 0x2BADB002 and EBX = physical address of the
 * Multiboot information. This file runs at its physical (= link) address,
 * builds just enough page tables to reach the kernel's higher-half link
 * address, turns on long mode and jumps to kernel_entry64 in the high half.
 * The real kernel page tables are built later in C (paging.c).
 */
#include <arch/layout.h>

#define MB1_MAGIC       0x1BADB002
#define MB1_FLAGS       0x00000003      /* page-align modules, want memory info */

#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)

    .section .multiboot, "a"
    .align 4
multiboot_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %eax, boot_mb_magic
    movl %ebx, boot_mb_info

    /* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz no_long_mode

    /*
     * Early page tables: the first 1 GiB identity-mapped with 2 MiB pages
     * (so the next instructions keep running), and the same 1 GiB again at
     * KERNEL_IMAGE_BASE where the high half of the kernel is linked.
     */
    movl $boot_pd, %edi
    movl $0x83, %eax                    /* present | writable | 2 MiB page */
    movl $512, %ecx
1:  movl %eax, (%edi)
    movl $0, 4(%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b

    movl $boot_pd, %eax
    orl $3, %eax
    movl %eax, boot_pdpt_low
    movl %eax, boot_pdpt_high + 8 * 510

    movl $boot_pdpt_low, %eax
    orl $3, %eax
    movl %eax, boot_pml4
    movl $boot_pdpt_high, %eax
    orl $3, %eax
    movl %eax, boot_pml4 + 8 * 511

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_low

no_long_mode:
    /* Say why on COM1, then stop: nothing else can run on this CPU. */
    movl $no_lm_msg, %esi
2:  lodsb
    testb %al, %al
    jz 3f
    movw $0x3F8, %dx
    outb %al, %dx
    jmp 2b
3:  hlt
    jmp 3b

    .code64
long_mode_low:
    movabs $kernel_entry64, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 64-bit code, DPL 0 */
    .quad 0x00CF92000000FFFF            /* data, DPL 0 */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
    .globl boot_mb_magic, boot_mb_info
boot_mb_magic:
    .long 0
boot_mb_info:
    .long 0
no_lm_msg:
    .asciz "Arca: this CPU has no long mode (x86_64); cannot boot.\r\n"

    .section .boot.bss, "aw", @nobits
    .align 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
boot_stack:     .skip 4096
boot_stack_top:

    /* From here on the code runs at its high-half link address. */
    .text
    .code64
kernel_entry64:
    movq $kernel_stack_top, %rsp
    xorl %ebp, %ebp
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs

    /* Zero .bss (the loader should have, but do not rely on it). */
    movq $_bss_start, %rdi
    movq $_bss_end, %rcx
    subq %rdi, %rcx
    xorl %eax, %eax
    rep stosb

    movl boot_mb_magic, %edi
    movl boot_mb_info, %esi
    call kernel_main
4:  cli
    hlt
    jmp 4b

    .bss
    .align 16
    .globl kernel_stack_top
kernel_stack:
    .skip KERNEL_STACK_SIZE
kernel_stack_top:

    .section .note.GNU-stack, "", @progbits
