/* Fatal kernel errors and assertions. */
#ifndef PANIC_H
#define PANIC_H

#include "types.h"
#include "config.h"

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

#ifdef CONFIG_DEBUG_BUILD
#define assert(expr) \
    ((expr) ? (void)0 : panic("assertion failed: %s at %s:%d", #expr, __FILE__, __LINE__))
#else
#define assert(expr) ((void)0)
#endif

#endif
