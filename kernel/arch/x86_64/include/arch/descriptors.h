/* x86_64 descriptor tables (descriptors.c) and the vectors the kernel uses. */
#ifndef ARCH_DESCRIPTORS_H
#define ARCH_DESCRIPTORS_H

#include "types.h"

#define VECTOR_NMI              2
#define VECTOR_BREAKPOINT       3
#define VECTOR_DOUBLE_FAULT     8
#define VECTOR_GP               13
#define VECTOR_PAGE_FAULT       14
#define VECTOR_MACHINE_CHECK    18
#define VECTOR_IRQ_BASE         0x20    /* irq n arrives on vector n + 0x20 */
#define VECTOR_TIMER            0x9D    /* irq 125: kernel timer (objects.md §6) */
#define VECTOR_SOFT_SYSCALL_MIN 158     /* int 158..254: unknown syscalls */
#define VECTOR_SPURIOUS         0xFF

void descriptors_init(void);
/*
 * The one TSS. IST1 is where the next interrupt pushes its frame: the end
 * of the current thread's register frame (arch/context.h), which the
 * syscall entry also uses (entry.S reads it at ARCH_TSS_IST1).
 */
struct PACKED tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
extern struct tss64 arch_tss;

static inline void descriptors_set_frame_top(word_t top)
{
    arch_tss.ist[0] = top;
}

static inline word_t descriptors_frame_top(void)
{
    return arch_tss.ist[0];
}

#endif
