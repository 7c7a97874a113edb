/*
 * The kernel invariant checker (core/invariants.c): walks the kernel's
 * state and panics with a precise report if something is inconsistent.
 * Enabled by the kernel command line option invariants=N (check at every
 * Nth kernel exit; 0 = off, the default).
 */
#ifndef INVARIANTS_H
#define INVARIANTS_H

#include "types.h"
#include "config.h"

extern unsigned invariants_every;

/* Called at kernel exit, before the switch to the next thread. */
#if CONFIG_RELEASE
static inline void invariants_maybe_check(void)
{
}
#else
void invariants_maybe_check(void);
#endif
/* Checks everything now; panics on the first violation. */
void invariants_check(void);

#endif
