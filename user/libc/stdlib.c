/*
 * stdlib: termination, integer conversion, qsort; also errno and the
 * assert failure handler.  Allocation lives in malloc.c.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "libc_internal.h"

int errno;

_Noreturn void abort(void)
{
    static const char msg[] = "abort() called\n";

    __libc_write(msg, sizeof(msg) - 1);
    __arca_abort();
}

_Noreturn void exit(int status)
{
    __arca_exit(status);
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func)
{
    printf("%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (islower(c))
        return c - 'a' + 10;
    if (isupper(c))
        return c - 'A' + 10;
    return 99;  /* larger than any base */
}

/*
 * The common part of the strto* family: skip blanks, read an optional
 * sign and base prefix, then accumulate the magnitude, saturating at
 * ULLONG_MAX.  *neg gets the sign, *overflow whether saturation happened;
 * *end (if not NULL) the first unparsed character, or s itself if no
 * digits were found.
 */
static unsigned long long parse_ull(const char *s, char **end, int base,
                                    int *neg, int *overflow)
{
    const char *p = s;
    const char *digits;
    unsigned long long v = 0;

    *neg = 0;
    *overflow = 0;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = (*p++ == '-');

    /* "0x" is a prefix only if a hex digit follows; otherwise the "0"
     * alone is the number and *end points at the 'x'. */
    if ((base == 0 || base == 16) && p[0] == '0' &&
        (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = (p[0] == '0') ? 8 : 10;
    }
    if (base < 2 || base > 36) {
        errno = EINVAL;
        if (end != NULL)
            *end = (char *)s;
        return 0;
    }

    for (digits = p; digit_value((unsigned char)*p) < base; p++) {
        unsigned d = (unsigned)digit_value((unsigned char)*p);

        if (v > (ULLONG_MAX - d) / (unsigned)base)
            *overflow = 1;
        else
            v = v * (unsigned)base + d;
    }
    if (end != NULL)
        *end = (char *)(p == digits ? s : p);
    return v;
}

unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base)
{
    int neg, overflow;
    unsigned long long v = parse_ull(s, end, base, &neg, &overflow);

    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    /* ISO C: a '-' sign negates the result in the unsigned type. */
    return neg ? -v : v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    int neg, overflow;
    unsigned long long v = parse_ull(s, end, base, &neg, &overflow);
    unsigned long long limit = neg ? -(unsigned long long)LLONG_MIN
                                   : (unsigned long long)LLONG_MAX;

    if (overflow || v > limit) {
        errno = ERANGE;
        return neg ? LLONG_MIN : LLONG_MAX;
    }
    /* Negate in unsigned arithmetic so that LLONG_MIN is reachable. */
    return neg ? (long long)(0 - v) : (long long)v;
}

/* long and long long are both 64 bits on x86_64. */
_Static_assert(sizeof(long) == sizeof(long long), "LP64 expected");

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

static void swap_bytes(char *a, char *b, size_t n)
{
    while (n-- > 0) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Restore the max-heap property below node i of a heap of n elements. */
static void sift_down(char *base, size_t i, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = 2 * i + 2;

        if (l < n && cmp(base + l * size, base + big * size) > 0)
            big = l;
        if (r < n && cmp(base + r * size, base + big * size) > 0)
            big = r;
        if (big == i)
            return;
        swap_bytes(base + i * size, base + big * size, size);
        i = big;
    }
}

/* Heapsort: O(n log n) worst case, no recursion, no extra memory. */
void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *))
{
    char *b = base;
    size_t i;

    if (nmemb < 2 || size == 0)
        return;
    for (i = nmemb / 2; i-- > 0;)
        sift_down(b, i, nmemb, size, compar);
    for (i = nmemb - 1; i > 0; i--) {
        swap_bytes(b, b + i * size, size);
        sift_down(b, 0, i, size, compar);
    }
}
