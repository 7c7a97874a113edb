/*
 * Private interface between the Arca libc and the runtime that hosts it.
 *
 * The libc proper (formatting, strings, malloc) depends on nothing but the
 * three hooks below, so it can be compiled and tested on a host as well as
 * linked into a root task.  The root-task crt (user/crt/) provides them.
 */
#ifndef ARCA_LIBC_INTERNAL_H
#define ARCA_LIBC_INTERNAL_H

#include <stddef.h>

/* Write len bytes to the console.  Must not call printf. */
void __libc_write(const char *buf, size_t len);

/* Terminate the program; called by exit() and abort().  Never return. */
_Noreturn void __arca_exit(int status);
_Noreturn void __arca_abort(void);

/*
 * Walk the whole malloc heap and check every block header; calls abort()
 * on the first inconsistency.  Returns the number of free bytes.  Meant
 * for tests.
 */
size_t __libc_heap_check(void);

/*
 * Use [base, base + size) as the malloc heap instead of the built-in
 * static one.  Only before the first allocation; returns 0, or -1 if it
 * is too late or the range is unusable.
 */
int __libc_heap_init(void *base, size_t size);

#endif
