/*
 * Arca-only helpers (not part of seL4's API).
 *
 * arca_syscall_raw() issues `syscall` with an arbitrary number and arbitrary
 * argument registers, so tests can exercise unknown system call numbers,
 * check which registers the kernel writes, and so on.  It follows the same
 * convention as the seL4 stubs: RDX = number, RDI, RSI, and R10, R8, R9,
 * R15 for MR0..MR3; RSP is kept in RBX; RBX, RCX and R11 are clobbered.
 */
#pragma once

#include <sel4/types.h>
#include <sel4/syscalls.h>

/* Registers after the system call returns. */
typedef struct arca_syscall_result {
    seL4_Word rdi;      /* badge / first result */
    seL4_Word rsi;      /* message info */
    seL4_Word r10;      /* MR0 */
    seL4_Word r8;       /* MR1 */
    seL4_Word r9;       /* MR2 */
    seL4_Word r15;      /* MR3 */
} arca_syscall_result_t;

static inline arca_syscall_result_t arca_syscall_raw(seL4_Word number,
                                                     seL4_Word rdi, seL4_Word rsi,
                                                     seL4_Word r10, seL4_Word r8,
                                                     seL4_Word r9, seL4_Word r15)
{
    arca_syscall_result_t out;

    out.r10 = r10;
    out.r8 = r8;
    out.r9 = r9;
    out.r15 = r15;
    x64_sys_send_recv(number, rdi, &out.rdi, rsi, &out.rsi,
                      &out.r10, &out.r8, &out.r9, &out.r15);
    return out;
}
