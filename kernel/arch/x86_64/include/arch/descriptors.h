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
/* IST1: where the next interrupt pushes its frame (descriptors.c). The
 * hardware TSS layout leaves it unaligned, hence the packed wrapper. */
struct PACKED unaligned_word {
    word_t value;
};
extern struct unaligned_word *const tss_ist1;

static inline void descriptors_set_frame_top(word_t top)
{
    tss_ist1->value = top;
}

#endif
