/*
 * Virtual and physical layout of the kernel on x86_64 (boot.md §9).
 * Usable from assembly and C.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* Physical memory window: physical 0 .. 510 GiB at PML4 entry 511. */
#define KERNEL_WINDOW_BASE      UL(0xFFFFFF8000000000)
#define KERNEL_WINDOW_SIZE      (UL(510) << 30)

/* The kernel ELF is linked at 0xFFFFFFFF80000000 + its physical address. */
#define KERNEL_IMAGE_BASE       UL(0xFFFFFFFF80000000)
#define KERNEL_PHYS_LOAD        UL(0x100000)

/* Device window: LAPIC, IOAPICs, mapped uncached one page each. */
#define KERNEL_DEVICE_BASE      UL(0xFFFFFFFFC0000000)

/* User addresses are below this (seL4_UserTop). */
#define USER_TOP                UL(0x00007FFFFFFFF000)

#define KERNEL_STACK_SIZE       16384

/* GDT selectors (seL4's layout: TSS at 3-4, user code 5, user data 6). */
#define SEL_KERNEL_CS           0x08
#define SEL_KERNEL_DS           0x10
#define SEL_TSS                 0x18
#define SEL_USER_CS             0x2B
#define SEL_USER_DS             0x33

#endif
