/* Kernel formatted output. The formatter is pure so the host tests use it. */
#ifndef PRINTF_H
#define PRINTF_H

#include "types.h"

/* Sink for formatted output; the formatter calls it once per chunk. */
typedef void (*fmt_sink_t)(void *ctx, const char *s, size_t len);

/*
 * Formats like C's printf for the conversions the kernel uses:
 * %d %i %u %x %X %o %p %c %s %%, flags '-' '0' '#', width, precision (for
 * %s and integers), length modifiers hh h l ll z. Returns characters produced.
 */
size_t kformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap);

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Console output (serial). */
void kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s);

#endif
