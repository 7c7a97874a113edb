/*
 * Helpers shared by the host fuzz targets (tests/fuzz/fuzz_*.c): reading
 * structured values from the fuzzer's input, failing loudly, building CNode
 * caps for static arrays, and a checker for the derivation tree's links.
 *
 * Each target is one LLVMFuzzerTestOneInput linked with the kernel sources it
 * exercises (Makefile: fuzz-host). A failed check prints what went wrong and
 * aborts, which libFuzzer reports as a crash and saves as a reproducer.
 *
 * Everything here is static: each target includes this header once.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap.h"
#include "cdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------------ */
/* Failing (FZ_CHECK's condition becomes part of the format: no '%' in it)                                                                   */
/* ------------------------------------------------------------------------ */

/* Optional context printed on failure (the target's operation log). */
static void (*fz_context_hook)(void);

__attribute__((noreturn, format(printf, 3, 4), unused))
static void fz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "\n==== fuzz check failed at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (fz_context_hook != NULL)
        fz_context_hook();
    fflush(stderr);
    abort();
}

#define FZ_FAIL(...) fz_fail(__FILE__, __LINE__, __VA_ARGS__)

#define FZ_CHECK(cond, ...)                                                   \
    do {                                                                      \
        if (!(cond))                                                          \
            fz_fail(__FILE__, __LINE__, "CHECK(" #cond "): " __VA_ARGS__);    \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Reading the input                                                         */
/* ------------------------------------------------------------------------ */

/* The input as a stream; reads past the end yield zeros. */
typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in_t;

static inline fz_in_t fz_in(const uint8_t *data, size_t size)
{
    return (fz_in_t){ data, size };
}

static inline size_t fz_left(const fz_in_t *in)
{
    return in->n;
}

static inline uint8_t fz_u8(fz_in_t *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint16_t fz_u16(fz_in_t *in)
{
    uint16_t v = fz_u8(in);
    return (uint16_t)(v | (uint16_t)fz_u8(in) << 8);
}

static inline uint32_t fz_u32(fz_in_t *in)
{
    uint32_t v = fz_u16(in);
    return v | (uint32_t)fz_u16(in) << 16;
}

static inline uint64_t fz_u64(fz_in_t *in)
{
    uint64_t v = fz_u32(in);
    return v | (uint64_t)fz_u32(in) << 32;
}

/* A value in [0, n) (n > 0). */
static inline unsigned fz_below(fz_in_t *in, unsigned n)
{
    return n <= 256 ? fz_u8(in) % n : fz_u16(in) % n;
}

/* ------------------------------------------------------------------------ */
/* Caps                                                                      */
/* ------------------------------------------------------------------------ */

/*
 * A CNode cap to a static array. The targets are linked with -no-pie, so
 * static data lies far below 2^46 and fits the cap's 40-bit (addr >> 6)
 * field; the host's arch/layout.h makes paddr_to_kptr the identity.
 */
__attribute__((unused))
static cap_t fz_cnode_cap(cte_t *slots, unsigned radix, unsigned guard_size, word_t guard)
{
    paddr_t pa = (paddr_t)(uintptr_t)slots;
    FZ_CHECK(pa < BIT(CNODE_PTR_BITS + CNODE_PTR_ALIGN) && (pa & MASK(CNODE_PTR_ALIGN)) == 0,
             "CNode array at %p cannot be named by a cap (build with -no-pie)", (void *)slots);
    cap_t c = cap_cnode_new(pa, radix, guard_size, guard);
    FZ_CHECK(cap_cnode_slots(c) == slots, "CNode cap does not round-trip its address");
    return c;
}

static inline bool fz_same_cap(cap_t a, cap_t b)
{
    return a.w0 == b.w0 && a.w1 == b.w1;
}

/* ------------------------------------------------------------------------ */
/* Derivation-tree link checker                                              */
/* ------------------------------------------------------------------------ */

#define FZ_MAX_ARENAS 16

/* The slot arrays that may hold caps; every link must stay inside them. */
static struct {
    cte_t *base;
    size_t n;
} fz_arenas[FZ_MAX_ARENAS];
static size_t fz_n_arenas;
/* Zombies are deletion's intermediate state: none may be left unless allowed. */
static bool fz_zombies_allowed;

__attribute__((unused))
static void fz_arena_reset(void)
{
    fz_n_arenas = 0;
}

__attribute__((unused))
static void fz_arena_add(cte_t *slots, size_t n)
{
    FZ_CHECK(fz_n_arenas < FZ_MAX_ARENAS, "too many arenas");
    fz_arenas[fz_n_arenas].base = slots;
    fz_arenas[fz_n_arenas].n = n;
    fz_n_arenas++;
}

/* Is p the address of a slot in a registered arena? */
__attribute__((unused))
static bool fz_in_arena(const cte_t *p)
{
    for (size_t a = 0; a < fz_n_arenas; a++) {
        uintptr_t lo = (uintptr_t)fz_arenas[a].base;
        uintptr_t hi = lo + fz_arenas[a].n * sizeof(cte_t);
        if ((uintptr_t)p >= lo && (uintptr_t)p < hi)
            return ((uintptr_t)p - lo) % sizeof(cte_t) == 0;
    }
    return false;
}

/*
 * Every non-empty slot's neighbours are non-empty slots of the arenas that
 * link back to it; empty slots have no links and no flags; no zombie is
 * left behind (unless fz_zombies_allowed); and walking each list from its
 * head visits every non-empty slot exactly once (no cycles, no lists
 * without a head).
 */
__attribute__((unused))
static void fz_check_links(void)
{
    size_t nonempty = 0;
    for (size_t a = 0; a < fz_n_arenas; a++) {
        for (size_t i = 0; i < fz_arenas[a].n; i++) {
            cte_t *s = &fz_arenas[a].base[i];
            if (cap_is_null(s->cap)) {
                FZ_CHECK(s->cap.w1 == 0 && s->mdb.prev == 0 && s->mdb.next == 0,
                         "empty slot %p has links or data", (void *)s);
                continue;
            }
            FZ_CHECK(fz_zombies_allowed || cap_get_type(s->cap) != CAP_ZOMBIE,
                     "zombie left in slot %p", (void *)s);
            nonempty++;
            cte_t *next = cdt_next(s), *prev = cdt_prev(s);
            FZ_CHECK(next == NULL || (fz_in_arena(next) && !cap_is_null(next->cap) &&
                                      cdt_prev(next) == s),
                     "bad next link %p -> %p", (void *)s, (void *)next);
            FZ_CHECK(prev == NULL || (fz_in_arena(prev) && !cap_is_null(prev->cap) &&
                                      cdt_next(prev) == s),
                     "bad prev link %p -> %p", (void *)s, (void *)prev);
        }
    }
    size_t visited = 0;
    for (size_t a = 0; a < fz_n_arenas; a++) {
        for (size_t i = 0; i < fz_arenas[a].n; i++) {
            cte_t *s = &fz_arenas[a].base[i];
            if (cap_is_null(s->cap) || cdt_prev(s) != NULL)
                continue;
            for (cte_t *x = s; x != NULL; x = cdt_next(x))
                FZ_CHECK(++visited <= nonempty, "list from %p does not end", (void *)s);
        }
    }
    FZ_CHECK(visited == nonempty, "%zu slots are on a cycle without a head",
             nonempty - visited);
}

#endif
