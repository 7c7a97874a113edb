/*
 * Arca user libc: assert.  Deliberately without an include guard: ISO C
 * lets a translation unit re-include <assert.h> after changing NDEBUG.
 */
#undef assert

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) \
    ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef ARCA_ASSERT_H
#define ARCA_ASSERT_H

#ifndef __cplusplus
#define static_assert _Static_assert
#endif

_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func);

#endif
