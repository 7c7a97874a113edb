/*
 * A thread's saved user context on x86_64.
 *
 * The register array doubles as the interrupt stack: the TSS's IST1 points
 * just past its end (ctx_frame_top), so on an interrupt or exception the CPU
 * pushes SS, RSP, RFLAGS, CS, RIP straight into the thread's TCB, and the
 * entry stubs push the error code, vector and general registers below them.
 * The syscall entry builds the same frame by hand. Nothing is copied twice.
 *
 * Index order is fixed by entry.S (push order) and must stay in sync with the
 * FR_* offsets there. FR_PAD keeps the frame top 16-byte aligned, because the
 * CPU aligns the stack to 16 before pushing an interrupt frame.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define FR_PAD          0
#define FR_FS_BASE      1
#define FR_GS_BASE      2
#define FR_FAULT_IP     3       /* restart address (seL4's FaultIP) */
#define FR_R15          4       /* first register pushed by the stubs is RAX */
#define FR_R14          5
#define FR_R13          6
#define FR_R12          7
#define FR_R11          8
#define FR_R10          9
#define FR_R9           10
#define FR_R8           11
#define FR_RBP          12
#define FR_RDI          13
#define FR_RSI          14
#define FR_RDX          15
#define FR_RCX          16
#define FR_RBX          17
#define FR_RAX          18
#define FR_VECTOR       19      /* vector number, or VECTOR_SYSCALL */
#define FR_ERROR        20      /* CPU error code, or ERROR_SYSCALL */
#define FR_RIP          21      /* NextIP: hardware frame from here on */
#define FR_CS           22
#define FR_RFLAGS       23
#define FR_RSP          24
#define FR_SS           25
#define FR_COUNT        26

/* Markers for a frame built by the syscall instruction entry. */
#define VECTOR_SYSCALL  0x100
#define ERROR_SYSCALL   (-1)

#ifndef __ASSEMBLER__
#include "types.h"

#define FPU_STATE_SIZE  512     /* FXSAVE area */

typedef struct arch_context {
    word_t regs[FR_COUNT];
    uint8_t fpu[FPU_STATE_SIZE] ALIGNED(16);
} arch_context_t;

static inline word_t *ctx_frame_top(arch_context_t *ctx)
{
    return &ctx->regs[FR_COUNT];
}
#endif

#endif
