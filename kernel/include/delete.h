/*
 * Deleting caps and destroying objects.
 *
 * cte_delete is the one path by which any cap leaves a slot for good. If the
 * cap was the last one to its object, object_finalise gives the object its
 * type's clean-up (object/finalise.c; a TCB stops and leaves every queue),
 * and then objects that hold caps (CNodes, TCBs) are emptied. Finalising
 * may itself delete caps that hold no slots (a reply cap to a dying TCB);
 * it must never delete a cap to a CNode or TCB. Emptying is iterative, never
 * recursive: a CNode being emptied becomes a Zombie cap in the slot that
 * held it, counting down its remaining slots, and a nested CNode found
 * inside it becomes a Zombie in turn, remembering the parent zombie's slot
 * in its own (already unlinked) tree links. The kernel stack stays bounded
 * however deep the nesting.
 */
#ifndef DELETE_H
#define DELETE_H

#include "cdt.h"

void cte_delete(cte_t *slot);
/* Deletes every descendant of the cap in slot; the cap itself stays. */
void cte_revoke(cte_t *slot);
/* Type-specific clean-up of an object whose last cap is gone. */
void object_finalise(cap_t cap);

#endif
