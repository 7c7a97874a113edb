/*
 * Arca user libc: <limits.h>.
 *
 * The compiler's own limits.h has all the definitions we want, but GCC's
 * version, unless told that a C library limits.h is present, tries to
 * #include_next the system one -- which does not exist under -nostdinc.
 * Defining _LIBC_LIMITS_H_ tells it that we are that C library; then we
 * pull in the compiler's header (clang's needs no such help).
 */
#ifndef ARCA_LIMITS_H
#define ARCA_LIMITS_H

#define _LIBC_LIMITS_H_
#include_next <limits.h>

#endif
