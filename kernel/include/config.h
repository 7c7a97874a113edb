/*
 * Build-time kernel configuration: seL4 configuration "Q" (abi/README.md).
 * Values that the ABI exposes come from libsel4's config so both agree.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <sel4/config.h>

#define ARCA_VERSION        "0.1.0"
#define ARCA_SEL4_ABI       "seL4 16.0.0 x86_64 pc99 non-MCS"

/* make RELEASE=1 (Makefile): no invariant checker, no frame pointers. */
#ifndef CONFIG_RELEASE
#define CONFIG_RELEASE      0
#endif

#endif
