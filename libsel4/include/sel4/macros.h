/*
 * Arca libsel4 -- small compiler helpers shared by all libsel4 headers.
 * The macro names are the ones seL4 user code expects from <sel4/macros.h>.
 */
#pragma once

#define LIBSEL4_INLINE_FUNC     static inline
#define LIBSEL4_INLINE          static inline
#define LIBSEL4_UNUSED          __attribute__((unused))
#define LIBSEL4_WEAK            __attribute__((weak))
#define LIBSEL4_NOINLINE        __attribute__((noinline))
#define LIBSEL4_THREAD_LOCAL    __thread

#define SEL4_PACKED             __attribute__((packed))
#define SEL4_DEPRECATED(msg)    __attribute__((deprecated(msg)))
#define SEL4_OFFSETOF(type, member) __builtin_offsetof(type, member)

#define LIBSEL4_BIT(n)          (1ul << (n))

/* Compile-time check usable at file scope in C11 and C++11. */
#ifdef __cplusplus
#define SEL4_COMPILE_ASSERT(name, expr) static_assert((expr), #name);
#else
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert((expr), #name);
#endif

/*
 * Appended as the last member of an ABI enum so that the compiler gives the
 * enum the size of a machine word (the kernel and libsel4 agree on that).
 */
#define SEL4_FORCE_LONG_ENUM(type) \
    _enum_pad_##type = ((1ULL << ((sizeof(long) * 8) - 1)) - 1)
