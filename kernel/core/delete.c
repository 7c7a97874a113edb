/* Cap deletion, object destruction and revocation (delete.h). */
#include "delete.h"
#include "panic.h"
#include "thread.h"

/*
 * Turns the (already unlinked) slot into a zombie for cap's object, which
 * holds caps, and remembers parent: the zombie it was found inside (NULL at
 * the top). The tree links of an unlinked slot are free to hold that.
 */
static void make_zombie(cte_t *slot, cap_t cap, cte_t *parent)
{
    cte_t *contents;
    word_t count;
    cap_has_slots(cap, &contents, &count);
    slot->cap = cap_zombie_new(kptr_to_paddr(contents), cap_get_type(cap) == CAP_THREAD, count);
    slot->mdb.prev = (word_t)parent;
    slot->mdb.next = 0;
}

/* Deletes the cap in slot; true if its object now needs emptying (zombie). */
static bool delete_one(cte_t *slot, cte_t *parent)
{
    cap_t cap = slot->cap;
    bool final = cdt_is_final(slot);
    cdt_remove(slot);
    if (!final) {
        /* Each frame cap holds its own mapping, which goes with the cap. */
        if (cap_get_type(cap) == CAP_FRAME)
            object_finalise(cap);
        return false;                   /* other caps keep the object alive */
    }
    /*
     * Finalise first: a TCB must stop (leave IPC queues, drop the reply cap
     * to it) before its slots are emptied; a CNode has nothing to undo.
     */
    object_finalise(cap);
    cte_t *contents;
    word_t count;
    if (!cap_has_slots(cap, &contents, &count))
        return false;
    make_zombie(slot, cap, parent);
    return true;
}

void cte_delete(cte_t *top)
{
    if (cap_is_null(top->cap) || cap_get_type(top->cap) == CAP_ZOMBIE)
        return;
    if (!delete_one(top, NULL))
        return;

    cte_t *cur = top;
    for (;;) {
        cap_t z = cur->cap;
        word_t left = cap_zombie_left(z);
        if (left == 0) {
            /* Emptied (already finalised): continue with the parent zombie. */
            cte_t *parent = (cte_t *)cur->mdb.prev;
            cur->cap = cap_null();
            cur->mdb = (mdb_node_t){ 0, 0 };
            if (parent == NULL)
                return;
            cur = parent;
            continue;
        }
        cur->cap = cap_zombie_set_left(z, left - 1);
        cte_t *child = (cte_t *)paddr_to_kptr(z.w1) + (left - 1);
        /* Empty slots and zombies (members of this very chain) are skipped. */
        if (cap_is_null(child->cap) || cap_get_type(child->cap) == CAP_ZOMBIE)
            continue;
        if (delete_one(child, cur))
            cur = child;
    }
}

void cte_revoke(cte_t *slot)
{
    for (;;) {
        cte_t *next = cdt_next(slot);
        if (next == NULL || !cdt_is_parent_of(slot, next))
            return;
        cte_delete(next);
    }
}
