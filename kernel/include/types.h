/* Basic kernel types. Freestanding: only the compiler's own headers. */
#ifndef TYPES_H
#define TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint64_t word_t;        /* a machine word, as seL4_Word */
typedef int64_t  sword_t;
typedef uint64_t paddr_t;       /* a physical address */
typedef uint64_t vaddr_t;       /* a virtual address (user or kernel) */

#define BIT(n)              (1UL << (n))
#define MASK(n)             (BIT(n) - 1UL)
#define ROUND_DOWN(x, a)    ((x) & ~((word_t)(a) - 1))
#define ROUND_UP(x, a)      ROUND_DOWN((x) + (word_t)(a) - 1, (a))
#define IS_ALIGNED(x, a)    (((x) & ((word_t)(a) - 1)) == 0)
#define ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)           ((a) < (b) ? (a) : (b))
#define MAX(a, b)           ((a) > (b) ? (a) : (b))

#define NORETURN            __attribute__((noreturn))
#define PACKED              __attribute__((packed))
#define ALWAYS_INLINE       inline __attribute__((always_inline))
#define ALIGNED(n)          __attribute__((aligned(n)))
#define UNUSED              __attribute__((unused))
#define PRINTF_LIKE(f, a)   __attribute__((format(printf, f, a)))

#endif
