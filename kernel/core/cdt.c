/* The capability derivation tree (cdt.h): list operations and parenthood. */
#include "cdt.h"




bool cap_is_revocable(cap_t new_cap, cap_t src)
{
    switch (cap_get_type(new_cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        /* A new badge starts a lineage that can be revoked on its own. */
        return cap_ipc_badge(new_cap) != cap_ipc_badge(src);
    case CAP_UNTYPED:
        return true;
    case CAP_IRQ_HANDLER:
        return cap_get_type(src) == CAP_IRQ_CONTROL;
    case CAP_IO_PORT:
        return cap_get_type(src) == CAP_IO_PORT_CONTROL;
    default:
        return false;
    }
}

void cdt_insert_root(cte_t *dest, cap_t cap)
{
    dest->cap = cap;
    cdt_set_links(dest, NULL, NULL, MDB_REVOCABLE | MDB_FIRST_BADGED);
}

cte_t cdt_anchor;

void cdt_insert_anchored_root(cte_t *dest, cap_t cap)
{
    /* The anchor holds no cap and is not revocable: nothing is its child. */
    dest->cap = cap;
    cdt_link_after(&cdt_anchor, dest, MDB_REVOCABLE | MDB_FIRST_BADGED);
}


void cdt_insert_derived(cte_t *src, cte_t *dest, cap_t new_cap)
{
    bool revocable = cap_is_revocable(new_cap, src->cap);
    word_t flags = revocable ? (MDB_REVOCABLE | MDB_FIRST_BADGED) : 0;
    dest->cap = new_cap;
    cdt_link_after(src, dest, flags);
}


void cdt_move(cte_t *src, cte_t *dest, cap_t new_cap)
{
    cte_t *prev = cdt_prev(src), *next = cdt_next(src);
    dest->cap = new_cap;
    dest->mdb = src->mdb;
    if (prev != NULL)
        cdt_set_next(prev, dest);
    if (next != NULL)
        cdt_set_prev(next, dest);
    src->cap = cap_null();
    src->mdb = (mdb_node_t){ 0, 0 };
}

void cdt_swap(cte_t *a, cap_t new_a, cte_t *b, cap_t new_b)
{
    /*
     * a's cap (new_b) moves into b's slot and b's cap (new_a) into a's;
     * each cap keeps its tree position, so the neighbours are relinked.
     * Going through a temporary slot handles a and b being neighbours.
     */
    cte_t tmp = { .cap = cap_null(), .mdb = { 0, 0 } };
    cdt_move(a, &tmp, new_b);
    cdt_move(b, a, new_a);
    cdt_move(&tmp, b, tmp.cap);
}


bool cdt_is_parent_of(const cte_t *parent, const cte_t *child)
{
    if (!cdt_revocable(parent) || !cap_same_region(parent->cap, child->cap))
        return false;
    cap_type_t t = cap_get_type(parent->cap);
    if (t == CAP_ENDPOINT || t == CAP_NOTIFICATION) {
        word_t badge = cap_ipc_badge(parent->cap);
        if (badge == 0)
            return true;
        return badge == cap_ipc_badge(child->cap) && !cdt_first_badged(child);
    }
    return true;
}

bool cdt_has_children(const cte_t *slot)
{
    cte_t *next = cdt_next(slot);
    return next != NULL && cdt_is_parent_of(slot, next);
}

bool cdt_is_final(const cte_t *slot)
{
    cte_t *prev = cdt_prev(slot), *next = cdt_next(slot);
    if (prev != NULL && cap_same_object(prev->cap, slot->cap))
        return false;
    if (next != NULL && cap_same_object(slot->cap, next->cap))
        return false;
    return true;
}

void untyped_mark_copied(cte_t *src)
{
    cap_t ut = src->cap;
    if (cap_get_type(ut) == CAP_UNTYPED)
        src->cap = cap_untyped_set_free_offset(ut, BIT(cap_untyped_size_bits(ut)));
}
