/*
 * Arca libsel4 -- fixed-size integer types and the machine word.
 *
 * No system headers are used, so libsel4 works with -ffreestanding
 * -nostdinc.  x86_64 is LP64: int is 32 bits, long is 64 bits.
 */
#pragma once

#include <sel4/macros.h>

typedef signed char         seL4_Int8;
typedef unsigned char       seL4_Uint8;
typedef signed short        seL4_Int16;
typedef unsigned short      seL4_Uint16;
typedef signed int          seL4_Int32;
typedef unsigned int        seL4_Uint32;
typedef signed long         seL4_Int64;
typedef unsigned long       seL4_Uint64;

/* printf() length modifiers for the 64-bit types and the word. */
#define SEL4_PRId64     "ld"
#define SEL4_PRIi64     "li"
#define SEL4_PRIu64     "lu"
#define SEL4_PRIx64     "lx"
#define SEL4_PRId_word  "ld"
#define SEL4_PRIi_word  "li"
#define SEL4_PRIu_word  "lu"
#define SEL4_PRIx_word  "lx"
#define SEL4_PRI_word   SEL4_PRIu_word

typedef seL4_Int8           seL4_Bool;
#define seL4_True   1
#define seL4_False  0

#ifdef __cplusplus
#define seL4_Null   0L
#else
#define seL4_Null   ((void *)0)
#endif

/* The machine word, a capability address, and a register-sized value. */
typedef seL4_Uint64         seL4_Word;
typedef seL4_Word           seL4_CPtr;
typedef seL4_Word           seL4_Register;

/* Word-sized quantities with their own names. */
typedef seL4_Word           seL4_NodeId;
typedef seL4_Word           seL4_PAddr;
typedef seL4_Word           seL4_Domain;
typedef seL4_Word           seL4_SlotPos;

SEL4_COMPILE_ASSERT(seL4_Int8_is_1_byte,   sizeof(seL4_Int8) == 1)
SEL4_COMPILE_ASSERT(seL4_Uint8_is_1_byte,  sizeof(seL4_Uint8) == 1)
SEL4_COMPILE_ASSERT(seL4_Int16_is_2_bytes, sizeof(seL4_Int16) == 2)
SEL4_COMPILE_ASSERT(seL4_Uint16_is_2_bytes, sizeof(seL4_Uint16) == 2)
SEL4_COMPILE_ASSERT(seL4_Int32_is_4_bytes, sizeof(seL4_Int32) == 4)
SEL4_COMPILE_ASSERT(seL4_Uint32_is_4_bytes, sizeof(seL4_Uint32) == 4)
SEL4_COMPILE_ASSERT(seL4_Int64_is_8_bytes, sizeof(seL4_Int64) == 8)
SEL4_COMPILE_ASSERT(seL4_Uint64_is_8_bytes, sizeof(seL4_Uint64) == 8)
SEL4_COMPILE_ASSERT(seL4_Word_is_pointer_sized, sizeof(seL4_Word) == sizeof(void *))
