/*
 * Host-test stand-in for kernel/arch/x86_64/include/arch/layout.h.
 *
 * Same macros as the kernel's, except that the kernel window starts at 0 and
 * the kernel image base is the top of the address space, so on the host
 * paddr_to_kptr() is the identity: a CNode cap built from the address of a
 * static array points at that array. Keep the other values in step with the
 * kernel's header.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* Host: physical == virtual (the kernel uses 0xFFFFFF8000000000). */
#define KERNEL_WINDOW_BASE      UL(0)
#define KERNEL_WINDOW_SIZE      (UL(510) << 30)

/* Host: no kernel image addresses (the kernel uses 0xFFFFFFFF80000000). */
#define KERNEL_IMAGE_BASE       (~UL(0))
#define KERNEL_PHYS_LOAD        UL(0x100000)

#define KERNEL_DEVICE_BASE      UL(0xFFFFFFFFC0000000)

#define USER_TOP                UL(0x00007FFFFFFFF000)

#define KERNEL_STACK_SIZE       16384

#define SEL_KERNEL_CS           0x08
#define SEL_KERNEL_DS           0x10
#define SEL_TSS                 0x18
#define SEL_USER_CS             0x2B
#define SEL_USER_DS             0x33

#endif
