/*
 * The capability derivation tree (CDT).
 *
 * As in seL4, the tree is kept as a doubly linked list through the slots
 * themselves, in depth-first order: a cap's descendants follow it
 * contiguously. Parenthood is not stored; it is decided by cdt_is_parent_of
 * from adjacency, the "revocable" bit of the would-be parent and the two
 * caps' objects. Insert and remove are O(1), and copies of one object are
 * always adjacent, which makes "is this the last cap to the object" O(1).
 *
 * The node (cte_t.mdb) holds prev and next slot pointers; the low bits of
 * next carry the flags (slots are at least 8-byte aligned).
 */
#ifndef CDT_H
#define CDT_H

#include "cap.h"

#define MDB_REVOCABLE       BIT(0)  /* may have children (an "original" cap) */
#define MDB_FIRST_BADGED    BIT(1)  /* first cap of a newly badged lineage */
#define MDB_FLAGS           (MDB_REVOCABLE | MDB_FIRST_BADGED)

static inline cte_t *cdt_next(const cte_t *s)
{
    return (cte_t *)(s->mdb.next & ~MDB_FLAGS);
}

static inline cte_t *cdt_prev(const cte_t *s)
{
    return (cte_t *)s->mdb.prev;
}

static inline bool cdt_revocable(const cte_t *s)
{
    return (s->mdb.next & MDB_REVOCABLE) != 0;
}

static inline bool cdt_first_badged(const cte_t *s)
{
    return (s->mdb.next & MDB_FIRST_BADGED) != 0;
}

/* Puts cap into the empty slot dest as a tree root, in a list of its own. */
void cdt_insert_root(cte_t *dest, cap_t cap);
/*
 * The kernel's anchor: an empty slot that heads the one list holding every
 * cap in the system. The kernel inserts its own roots (boot caps, master
 * reply caps) after it, and every other cap is inserted next to an existing
 * one, so walking from the anchor visits all caps (the invariant checker).
 */
extern cte_t cdt_anchor;
void cdt_insert_anchored_root(cte_t *dest, cap_t cap);
/*
 * Puts new_cap into the empty slot dest, derived from the cap in src: dest
 * follows src in the list, so it becomes src's child if src can have
 * children of this kind (cdt_is_parent_of) and its sibling otherwise.
 */
void cdt_insert_derived(cte_t *src, cte_t *dest, cap_t new_cap);
/* List primitives; inline because the IPC fastpath uses them. */
static inline void cdt_set_links(cte_t *s, cte_t *prev, cte_t *next, word_t flags)
{
    s->mdb.prev = (word_t)prev;
    s->mdb.next = (word_t)next | flags;
}

static inline void cdt_set_next(cte_t *s, cte_t *next)
{
    s->mdb.next = (word_t)next | (s->mdb.next & MDB_FLAGS);
}

static inline void cdt_set_prev(cte_t *s, cte_t *prev)
{
    s->mdb.prev = (word_t)prev;
}

/* Links the empty slot dest into the list right after src. */
static inline void cdt_link_after(cte_t *src, cte_t *dest, word_t flags)
{
    cte_t *next = cdt_next(src);
    cdt_set_links(dest, src, next, flags);
    if (next != NULL)
        cdt_set_prev(next, dest);
    cdt_set_next(src, dest);
}

/*
 * Inserts a cap that is always a child of the cap in parent: an object
 * just created from an untyped, or a reply cap under its master.
 */
static inline void cdt_insert_child(cte_t *parent, cte_t *dest, cap_t new_cap)
{
    dest->cap = new_cap;
    cdt_link_after(parent, dest, MDB_REVOCABLE | MDB_FIRST_BADGED);
}
/* Moves the cap in src (replaced by new_cap) to the empty dest, keeping its place. */
void cdt_move(cte_t *src, cte_t *dest, cap_t new_cap);
/* Exchanges the caps of a and b (each replaced as given), keeping both places. */
void cdt_swap(cte_t *a, cap_t new_a, cte_t *b, cap_t new_b);
/* Unlinks the slot from the tree and empties it (no finalisation). */
static inline void cdt_remove(cte_t *slot)
{
    cte_t *prev = cdt_prev(slot), *next = cdt_next(slot);
    if (prev != NULL)
        cdt_set_next(prev, next);
    if (next != NULL) {
        cdt_set_prev(next, prev);
        /*
         * A badged cap that followed the removed one may now sit right
         * after its grandparent; it must not become a child of a different
         * badge lineage by accident, so it inherits "first badged".
         */
        if (slot->mdb.next & MDB_FIRST_BADGED)
            next->mdb.next |= MDB_FIRST_BADGED;
    }
    slot->cap = cap_null();
    slot->mdb = (mdb_node_t){ 0, 0 };
}

bool cdt_is_parent_of(const cte_t *parent, const cte_t *child);
bool cdt_has_children(const cte_t *slot);
/* True if no other slot holds a cap to the same object. */
bool cdt_is_final(const cte_t *slot);

/*
 * After an untyped cap in src was copied (which requires it to have no
 * children), src's watermark is set to its end: the copy allocates from
 * the region on its own, and the original must not allocate over it.
 * Once the copy and everything made through it are gone, src has no
 * children again and its next Retype resets it as usual.
 */
void untyped_mark_copied(cte_t *src);

/* seL4's isCapRevocable: does a cap derived from src this way start a lineage? */
bool cap_is_revocable(cap_t new_cap, cap_t src);

#endif
