/* Debug and extension syscalls of a debug build (api/debug.c). */
#ifndef DEBUG_H
#define DEBUG_H

#include "thread.h"

/* Returns false if number is not a syscall this kernel implements here. */
bool handle_debug_syscall(tcb_t *t, sword_t number);

#endif
