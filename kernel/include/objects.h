/*
 * Creating kernel objects from untyped memory (object/objects.c): the size
 * of each object type and its initial state (objects.md §2, §3).
 */
#ifndef OBJECTS_H
#define OBJECTS_H

#include "cap.h"
#include <sel4/constants.h>

#define OBJECT_MAX_BITS 47      /* seL4_MaxUntypedBits */

/* Size in bits of an object of this type (user_bits: Untyped/CNode argument). */
unsigned object_size_bits(word_t type, word_t user_bits);
bool object_is_frame(word_t type);
/*
 * Initialises the object at paddr (memory already zero unless device) and
 * returns a cap to it with all rights. creator names the new TCB's parent.
 */
cap_t object_create(word_t type, paddr_t paddr, word_t user_bits, bool device,
                    const char *creator);

#endif
