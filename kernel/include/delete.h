/*
 * Deleting caps and destroying objects (core/delete.c, docs/capabilities.md,
 * docs/preemption.md).
 *
 * cte_delete is the one path by which any cap leaves a slot for good. If the
 * cap was the last one to its object, object_finalise gives the object its
 * type's clean-up (object/finalise.c; a TCB stops and leaves every queue),
 * and then objects that hold caps (CNodes, TCBs) are emptied through Zombie
 * caps, iteratively (the kernel stack stays bounded however deep CNodes
 * nest) and in steps that can be preempted: all the state is in the slots.
 */
#ifndef DELETE_H
#define DELETE_H

#include "cdt.h"

/* Empties slot, running to completion (kernel-internal uses, host tests). */
void cte_delete(cte_t *slot);
/* Deletes every descendant of the cap in slot; the cap itself stays. */
void cte_revoke(cte_t *slot);
/*
 * The same with preemption points (invocations): false if an interrupt is
 * pending and the work stopped part-way, everything consistent; calling
 * again with the same slot continues.
 */
bool cte_delete_preemptible(cte_t *slot);
bool cte_revoke_preemptible(cte_t *slot);
/* Type-specific clean-up of an object whose last cap is gone. */
void object_finalise(cap_t cap);

#endif
