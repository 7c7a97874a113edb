/* Memory and string helpers for the kernel (core/kstring.c). */
#ifndef KSTRING_H
#define KSTRING_H

#include "types.h"

/* The compiler may emit calls to these four itself. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int kstrncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 characters and always terminates (size > 0). */
void kstrlcpy(char *dst, const char *src, size_t size);

#endif
