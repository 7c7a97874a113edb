/*
 * Cap deletion, object destruction and revocation (delete.h).
 *
 * Emptying a CNode or TCB whose last cap goes can take unbounded work, so
 * it is written as a sequence of small steps whose whole state lives in the
 * slots themselves, and can stop between any two steps (preemption) and be
 * picked up again by deleting the same slot:
 *
 *  - the last cap to a CNode/TCB becomes, in place, a Zombie cap that keeps
 *    the cap's position in the derivation tree (so the untyped the object
 *    came from still has a child and cannot be reused) and counts the slots
 *    not yet emptied, highest first;
 *  - a slot inside it holding the last cap to another CNode/TCB becomes a
 *    zombie in turn, again in place, recording the slot of the zombie it was
 *    found in (its parent); the parent does not count that slot as emptied
 *    until the child zombie is gone. Zombies never move, so the chain from
 *    the slot being deleted (the top) down to the zombie being worked on can
 *    always be found again by following "the next slot to empty";
 *  - a zombie found while emptying is a member of some chain: the top
 *    itself (a cycle: skip it) or an object still to empty (descend).
 */
#include "delete.h"
#include "preempt.h"
#include "ipc.h"
#include "irq.h"

/*
 * Where the last preempted deletion stopped, so that resuming it does not
 * walk down its chain again, and the Revoke it was part of. Valid while no
 * zombie anywhere has been removed since (a removal could free the slots
 * these point at).
 */
static struct {
    cte_t *top;
    cte_t *active;
    cte_t *revoking;
    uint64_t epoch;
} resume_hint;
static uint64_t zombie_epoch;

static bool is_zombie(const cte_t *slot)
{
    return cap_get_type(slot->cap) == CAP_ZOMBIE;
}

/* The slot a zombie empties next (its highest slot not yet emptied). */
static cte_t *next_slot(cap_t z)
{
    return cap_zombie_slots(z) + cap_zombie_left(z) - 1;
}

/* Unlinks a cap that needs no emptying and cleans up after its object. */
static void remove_plain(cte_t *slot, bool final)
{
    cap_t cap = slot->cap;
    cdt_remove(slot);
    /* A frame cap holds its own mapping, which goes with the cap. */
    if (final || cap_get_type(cap) == CAP_FRAME)
        object_finalise(cap);
}

/*
 * The last cap to a CNode or TCB becomes a zombie in place. A TCB is
 * finalised first: it must stop (leave IPC queues, drop the reply cap to
 * it) before its slots are emptied; a CNode has nothing to undo.
 */
static void make_zombie(cte_t *slot, const cte_t *parent)
{
    cap_t cap = slot->cap;
    slot->cap = cap_zombie_set_parent(cap_zombie_for(cap), parent);
    object_finalise(cap);
}

/* The zombie in slot has emptied its object: its last cap goes. */
static void remove_zombie(cte_t *slot)
{
    cdt_remove(slot);
    zombie_epoch++;
}

/* Follows "the next slot to empty" from top to the zombie to work on. */
static cte_t *walk_down(cte_t *top)
{
    cte_t *z = top;
    for (;;) {
        if (cap_zombie_left(z->cap) == 0)
            return z;
        cte_t *next = next_slot(z->cap);
        if (next == top || next == z || !is_zombie(next))
            return z;
        next->cap = cap_zombie_set_parent(next->cap, z);
        z = next;
    }
}

/*
 * The last cap to an endpoint or notification with threads queued: they
 * are restarted one work unit at a time while the cap stays in place (the
 * queue is consistent at every step), then the object is finalised as
 * usual. The last IRQ handler cap first deletes the IRQ's notification
 * copy the same way (it may be the notification's last cap). False if
 * preempted.
 */
static bool drain_waiters(cap_t cap, bool preemptible)
{
    cap_type_t t = cap_get_type(cap);
    if (preemptible && t == CAP_IRQ_HANDLER)
        return irq_clear_notification_preemptible(cap_irq(cap));
    if (!preemptible || (t != CAP_ENDPOINT && t != CAP_NOTIFICATION))
        return true;
    paddr_t obj = cap_ipc_paddr(cap);
    while (t == CAP_ENDPOINT ? endpoint_cancel_one(obj) : ntfn_cancel_one(obj)) {
        if (preempt_point())
            return false;
    }
    return true;
}

/*
 * Empties the objects of the zombie chain below top, starting at active.
 * Returns false if preempted (everything is consistent; deleting top again
 * continues), true once top is empty.
 */
static bool empty_chain(cte_t *top, cte_t *active, bool preemptible)
{
    for (;;) {
        cap_t z = active->cap;
        word_t left = cap_zombie_left(z);
        if (left == 0) {
            cte_t *parent = cap_zombie_parent(z);
            remove_zombie(active);
            if (active == top || parent == NULL)
                return true;
            active = parent;            /* its next slot is now empty */
            continue;
        }
        cte_t *c = next_slot(z);
        if (c == top || c == active || cap_is_null(c->cap)) {
            /* Empty, or the chain's own top (a cycle): nothing to do here. */
            active->cap = cap_zombie_set_left(z, left - 1);
        } else if (is_zombie(c)) {
            /* An object still being emptied: finish it first. */
            c->cap = cap_zombie_set_parent(c->cap, active);
            active = c;
        } else {
            bool final = cdt_is_final(c);
            cte_t *slots;
            word_t count;
            if (final && cap_has_slots(c->cap, &slots, &count)) {
                make_zombie(c, active);
                active = c;
            } else if (final && !drain_waiters(c->cap, preemptible)) {
                resume_hint.top = top;
                resume_hint.active = active;
                resume_hint.epoch = zombie_epoch;
                return false;
            } else {
                remove_plain(c, final);
                active->cap = cap_zombie_set_left(z, left - 1);
            }
        }
        if (preemptible && preempt_point()) {
            resume_hint.top = top;
            resume_hint.active = active;
            resume_hint.epoch = zombie_epoch;
            return false;
        }
    }
}

static bool delete_slot(cte_t *top, bool preemptible)
{
    if (cap_is_null(top->cap))
        return true;
    cte_t *active = top;
    if (!is_zombie(top)) {
        bool final = cdt_is_final(top);
        if (final && !drain_waiters(top->cap, preemptible))
            return false;
        cte_t *slots;
        word_t count;
        if (!final || !cap_has_slots(top->cap, &slots, &count)) {
            remove_plain(top, final);
            return true;
        }
        make_zombie(top, NULL);
    } else if (resume_hint.top == top && resume_hint.epoch == zombie_epoch &&
               is_zombie(resume_hint.active)) {
        active = resume_hint.active;
    } else {
        active = walk_down(top);
    }
    resume_hint.top = NULL;
    resume_hint.revoking = NULL;
    return empty_chain(top, active, preemptible);
}

void cte_delete(cte_t *slot)
{
    delete_slot(slot, false);
}

bool cte_delete_preemptible(cte_t *slot)
{
    return delete_slot(slot, true);
}

static bool revoke(cte_t *slot, bool preemptible)
{
    /*
     * A Revoke that stopped inside a deletion first finishes it: the
     * target itself may have been emptied by that deletion (it lay in an
     * object being destroyed), and then it no longer leads there.
     */
    if (resume_hint.revoking == slot && resume_hint.epoch == zombie_epoch &&
        resume_hint.top != NULL && is_zombie(resume_hint.top)) {
        cte_t *top = resume_hint.top;
        if (!delete_slot(top, preemptible)) {
            resume_hint.revoking = slot;
            return false;
        }
    }
    for (;;) {
        cte_t *next = cdt_next(slot);
        if (next == NULL || !cdt_is_parent_of(slot, next))
            return true;
        if (!delete_slot(next, preemptible)) {
            resume_hint.revoking = slot;
            return false;
        }
        if (preemptible && preempt_point())
            return false;
    }
}

void cte_revoke(cte_t *slot)
{
    revoke(slot, false);
}

bool cte_revoke_preemptible(cte_t *slot)
{
    return revoke(slot, true);
}
