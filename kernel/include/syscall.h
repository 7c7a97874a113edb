/* System call entry (api/syscall.c): dispatch by number, syscalls.md §1. */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "thread.h"

/* From the syscall instruction; frame is &regs[FR_R15] of the current thread. */
/* From the syscall stub; the saved registers are in cur_thread's frame. */
NORETURN void c_handle_syscall(void);
/* Any syscall number the kernel does not implement: an UnknownSyscall fault. */
void handle_unknown_syscall(tcb_t *t, word_t number);

#endif
