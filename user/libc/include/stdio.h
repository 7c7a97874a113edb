/*
 * Arca user libc: formatted output.
 *
 * There are no FILE streams: everything printed goes to the runtime's
 * console hook (__libc_write), which the root-task crt implements with
 * seL4_DebugPutChar.  No floating point conversions.
 */
#ifndef ARCA_STDIO_H
#define ARCA_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

#define __printf_like(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *fmt, ...) __printf_like(1, 2);
int vprintf(const char *fmt, va_list ap) __printf_like(1, 0);
int sprintf(char *buf, const char *fmt, ...) __printf_like(2, 3);
int vsprintf(char *buf, const char *fmt, va_list ap) __printf_like(2, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __printf_like(3, 0);

int putchar(int c);
int puts(const char *s);

#endif
