/*
 * Arca libsel4 -- one-word bit-field blocks.
 *
 * Several ABI values (message info, capability rights, CNode cap data) are a
 * struct holding one 64-bit word in which named fields occupy fixed bit
 * ranges.  Each such type is declared with ARCA_BF_TYPE and each field with
 * ARCA_BF_FIELD(type, field, shift, width), which generates the accessors
 * seL4 user code expects:
 *
 *   seL4_Uint64 T_get_F(T_t v);                 value of field F
 *   T_t         T_set_F(T_t v, seL4_Uint64 x);  copy of v with F := x
 *   seL4_Uint64 T_ptr_get_F(const T_t *p);
 *   void        T_ptr_set_F(T_t *p, seL4_Uint64 x);
 *
 * Values wider than the field are truncated to the field width.
 */
#pragma once

#include <sel4/simple_types.h>

/* Mask of the low `width` bits, 1 <= width <= 64. */
#define ARCA_BF_MASK(width) (~(seL4_Uint64)0 >> (64 - (width)))

#define ARCA_BF_TYPE(type)                                                    \
    typedef struct type {                                                     \
        seL4_Uint64 words[1];                                                 \
    } type##_t;

#define ARCA_BF_FIELD(type, field, shift, width)                              \
    static inline seL4_Uint64 type##_get_##field(type##_t v)                  \
    {                                                                         \
        return (v.words[0] >> (shift)) & ARCA_BF_MASK(width);                 \
    }                                                                         \
    static inline type##_t type##_set_##field(type##_t v, seL4_Uint64 x)      \
    {                                                                         \
        v.words[0] &= ~(ARCA_BF_MASK(width) << (shift));                      \
        v.words[0] |= (x & ARCA_BF_MASK(width)) << (shift);                   \
        return v;                                                             \
    }                                                                         \
    static inline seL4_Uint64 type##_ptr_get_##field(const type##_t *p)       \
    {                                                                         \
        return type##_get_##field(*p);                                        \
    }                                                                         \
    static inline void type##_ptr_set_##field(type##_t *p, seL4_Uint64 x)     \
    {                                                                         \
        *p = type##_set_##field(*p, x);                                       \
    }
