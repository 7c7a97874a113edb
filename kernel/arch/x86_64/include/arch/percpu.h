/*
 * Per-CPU data reached through GS in the kernel (after SWAPGS). The syscall
 * entry needs it before it has a stack, so field offsets are fixed here for
 * entry.S.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define PERCPU_SELF         0   /* pointer to this struct */
#define PERCPU_KSTACK_TOP   8   /* kernel stack to run C on */
#define PERCPU_USER_RSP     16  /* scratch for the user RSP during syscall entry */

#ifndef __ASSEMBLER__
#include "types.h"

struct percpu {
    struct percpu *self;
    word_t kstack_top;
    word_t user_rsp;
};

_Static_assert(__builtin_offsetof(struct percpu, kstack_top) == PERCPU_KSTACK_TOP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu");

extern struct percpu cpu0;
#endif

#endif
