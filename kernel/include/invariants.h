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

/*
 * The parts that are pure logic (core/invariants_objects.c, also built for
 * the host tests). They return false and describe the first violation.
 */
struct cte;

typedef struct inv_violation {
    const char *what;
    const void *where;          /* the slot, object or thread concerned */
    word_t detail;
} inv_violation_t;

/* Caps that name memory recorded per check: more are not checked (bounded work). */
#define INV_MAX_OBJECTS 8192

/* Mapped frame and paging-structure caps recorded per check: beyond, no check. */
#define INV_MAX_MAPPINGS 8192

typedef struct inv_result {
    word_t objects;             /* caps that name memory, recorded */
    word_t mappings;            /* caps that say they are mapped */
    bool truncated;             /* more caps than the check records (see above) */
} inv_result_t;

/*
 * Walks the cap list from anchor: every object inside its untyped ancestor
 * and below its watermark, untypeds nested, no two objects overlapping.
 * Keeps what it recorded for inv_check_threads.
 */
bool inv_check_objects(const struct cte *anchor, inv_result_t *res, inv_violation_t *v);
/*
 * Every cap in these slots is linked into the tree both ways, every empty
 * slot not at all (inv_check_objects does this for every CNode and TCB it
 * reaches; the kernel also starts from the current thread, which a list
 * cut off at the anchor would not reach).
 */
bool inv_check_slots(const struct cte *slots, word_t count, inv_violation_t *v);
/*
 * After inv_check_objects: each thread (with a cap) in exactly the queues
 * its state implies. ready_count: threads in the scheduler's ready queues.
 */
bool inv_check_threads(word_t ready_count, inv_violation_t *v);
/*
 * Every present entry in the user half of every VSpace an ASID names is
 * backed by a cap that says it is mapped there (core/invariants_vspace.c).
 */
bool inv_check_mappings(const struct cte *anchor, inv_result_t *res, inv_violation_t *v);

#endif
