/*
 * The invariant checker's view of objects as memory (invariants.h): pure
 * logic over the cap list, built for the host tests as well.
 *
 * One pass over the list records every cap that names memory (base, size,
 * type, and its nearest untyped ancestor in the derivation tree); a sort by
 * address then puts each object's caps next to each other and every object
 * after the untypeds that contain it. From that:
 *
 *  - each object lies inside its untyped ancestor, below the watermark;
 *  - untypeds nest or are disjoint, and whatever lies inside an untyped was
 *    made from it (or from a copy of it: same region), never from a larger
 *    untyped around it;
 *  - objects that are not the same object never overlap;
 *  - (with the distinct objects) every thread is in exactly the queues its
 *    state implies, and nothing else is in a queue.
 *
 * Work: O(n log n) in the caps that name memory, bounded by
 * INV_MAX_OBJECTS; beyond that the rest of the list is not recorded and
 * these checks cover only the first INV_MAX_OBJECTS caps (the result says
 * so, and the caller reports it once; so are caps naming memory at or
 * above 2^48, which the sort key does not hold).
 */
#include "invariants.h"
#include "sort.h"
#include "cdt.h"
#include "ipc.h"

/* One cap that names memory. Kept to 32 bytes: the array is large. */
typedef struct inv_object {
    paddr_t base;
    paddr_t anc_base;           /* nearest untyped ancestor's base */
    const cte_t *slot;
    uint8_t type;
    uint8_t bits;
    uint8_t anc_bits;           /* 0: no untyped ancestor */
} inv_object_t;

static inv_object_t objs[INV_MAX_OBJECTS];
static uint32_t nobjs;
/*
 * The sort order as one integer per object, so the sort moves 8 bytes and
 * compares integers: base >> 4 (objects are at least 16 bytes; bases below
 * 2^48), then larger first, then an untyped before an object of the same
 * region, then the object's index in objs (13 bits).
 */
#define KEY_INDEX_BITS  13
#define KEY_BASE_LIMIT  BIT(48)
_Static_assert(INV_MAX_OBJECTS <= BIT(KEY_INDEX_BITS), "an index fits its key field");
static uint64_t keys[INV_MAX_OBJECTS];

/* The i-th object in address order (after sort_objects). */
static inv_object_t *sorted(uint32_t i)
{
    return &objs[keys[i] & MASK(KEY_INDEX_BITS)];
}
/* Untypeds open around the current place: in the list walk, then in the sweep. */
static uint32_t stack[INV_MAX_OBJECTS];

static bool fail(inv_violation_t *v, const char *what, const void *where, word_t detail)
{
    v->what = what;
    v->where = where;
    v->detail = detail;
    return false;
}

static paddr_t obj_end(const inv_object_t *o)
{
    return o->base + BIT(o->bits);
}

/* Records the list's memory caps, their untyped ancestors; checks watermarks. */
static bool collect(const cte_t *anchor, inv_result_t *res, inv_violation_t *v)
{
    uint32_t sp = 0;
    nobjs = 0;
    for (const cte_t *s = cdt_next(anchor); s != NULL; s = cdt_next(s)) {
        /* The untypeds on the stack are this slot's ancestors, innermost on top. */
        while (sp > 0 && !cdt_is_parent_of(objs[stack[sp - 1]].slot, s))
            sp--;
        paddr_t base;
        unsigned bits;
        if (!cap_object_region(s->cap, &base, &bits))
            continue;
        if (bits >= 64 || base + BIT(bits) < base)
            return fail(v, "a cap names memory beyond the address space", s, base);
        if (nobjs == INV_MAX_OBJECTS) {
            res->truncated = true;
            break;
        }
        if (base + BIT(bits) > KEY_BASE_LIMIT) {
            res->truncated = true;      /* beyond what a sort key holds */
            continue;
        }
        inv_object_t *o = &objs[nobjs];
        *o = (inv_object_t){ .base = base, .slot = s,
                             .type = (uint8_t)cap_get_type(s->cap), .bits = (uint8_t)bits };
        if (sp > 0) {
            const inv_object_t *a = &objs[stack[sp - 1]];
            word_t used = cap_untyped_free_offset(a->slot->cap);
            o->anc_base = a->base;
            o->anc_bits = a->bits;
            if (base < a->base || base + BIT(bits) > a->base + BIT(a->bits))
                return fail(v, "an object derived from an untyped lies outside it", s, base);
            /* (A copied untyped's watermark is at its end: untyped_mark_copied.) */
            if (base + BIT(bits) > a->base + used)
                return fail(v, "an object derived from an untyped lies above its watermark",
                            s, base);
        }
        if (o->type == CAP_UNTYPED) {
            if (cap_untyped_free_offset(s->cap) > BIT(bits))
                return fail(v, "untyped watermark beyond its size", s,
                            cap_untyped_free_offset(s->cap));
            stack[sp++] = nobjs;
        }
        nobjs++;
    }
    res->objects = nobjs;
    return true;
}

static bool key_less(const void *a, const void *b)
{
    return *(const uint64_t *)a < *(const uint64_t *)b;
}

static void sort_objects(void)
{
    for (uint32_t i = 0; i < nobjs; i++) {
        const inv_object_t *o = &objs[i];
        keys[i] = (o->base >> 4) << 20 | (uint64_t)(63 - o->bits) << 14 |
                  (uint64_t)(o->type != CAP_UNTYPED) << 13 | i;
    }
    heap_sort(keys, nobjs, sizeof(keys[0]), key_less);
}

static bool same_object(const inv_object_t *a, const inv_object_t *b)
{
    return a->type == b->type && a->base == b->base && a->bits == b->bits;
}

/* Untypeds nest; the innermost one around an object made it; objects are disjoint. */
static bool sweep(inv_violation_t *v)
{
    uint32_t sp = 0;
    const inv_object_t *last = NULL;     /* the object reaching furthest so far */
    for (uint32_t i = 0; i < nobjs; i++) {
        const inv_object_t *o = sorted(i);
        while (sp > 0 && obj_end(sorted(stack[sp - 1])) <= o->base)
            sp--;
        if (sp > 0) {
            const inv_object_t *u = sorted(stack[sp - 1]);
            if (obj_end(o) > obj_end(u))
                return fail(v, "an object straddles the end of an untyped", o->slot, o->base);
            if (o->anc_bits == 0)
                return fail(v, "an object inside an untyped is not derived from one", o->slot,
                            o->base);
            if (o->anc_base != u->base || o->anc_bits != u->bits)
                return fail(v, "an object inside an untyped was made from another untyped",
                            o->slot, o->base);
        }
        if (o->type == CAP_UNTYPED) {
            stack[sp++] = i;
            continue;
        }
        if (last != NULL && o->base < obj_end(last) && !same_object(o, last))
            return fail(v, "two different objects overlap", o->slot, (word_t)last->slot);
        if (last == NULL || obj_end(o) > obj_end(last))
            last = o;
    }
    return true;
}

/*
 * The list walk from the anchor sees only what is linked to it. Every cap
 * in a CNode or TCB slot must be: linked both ways with its neighbours
 * (then, by induction back to the anchor, in the list), and an empty slot
 * must not be linked at all.
 */
bool inv_check_slots(const cte_t *slots, word_t count, inv_violation_t *v)
{
    for (word_t i = 0; i < count; i++) {
        const cte_t *s = &slots[i];
        if (cap_is_null(s->cap)) {
            if (s->mdb.prev != 0 || s->mdb.next != 0)
                return fail(v, "an empty slot has derivation-tree links", s, s->mdb.next);
            continue;
        }
        const cte_t *prev = cdt_prev(s), *next = cdt_next(s);
        if (prev == NULL || cdt_next(prev) != s)
            return fail(v, "a cap in a slot is not linked into the derivation tree", s,
                        (word_t)prev);
        if (next != NULL && cdt_prev(next) != s)
            return fail(v, "a cap's next slot does not link back to it", s, (word_t)next);
    }
    return true;
}

static bool check_all_slots(inv_violation_t *v)
{
    for (uint32_t i = 0; i < nobjs; i++) {
        const inv_object_t *o = sorted(i);
        if (i > 0 && same_object(o, sorted(i - 1)))
            continue;
        cte_t *slots;
        word_t count;
        if (o->type == CAP_ZOMBIE) {
            /* Its slots above the count left are emptied already. */
            cap_t z = o->slot->cap;
            if (!inv_check_slots(cap_zombie_slots(z), cap_zombie_left(z), v))
                return false;
        } else if (cap_has_slots(o->slot->cap, &slots, &count) &&
                   !inv_check_slots(slots, count, v)) {
            return false;
        }
    }
    return true;
}

bool inv_check_objects(const cte_t *anchor, inv_result_t *res, inv_violation_t *v)
{
    *res = (inv_result_t){ 0 };
    if (!collect(anchor, res, v))
        return false;
    sort_objects();
    return sweep(v) && check_all_slots(v);
}

/* Threads in a queue, or limit + 1 if the walk goes on longer (a loop). */
static word_t queue_length(thread_queue_t q, word_t limit)
{
    word_t n = 0;
    for (tcb_t *t = q.head; t != NULL && n <= limit; t = t->ipc_next)
        n++;
    return n;
}

static bool waits_in_queue(const tcb_t *t)
{
    return t->state == THREAD_BLOCKED_ON_SEND || t->state == THREAD_BLOCKED_ON_RECEIVE ||
           t->state == THREAD_BLOCKED_ON_NOTIFICATION;
}

static bool in_queue(thread_queue_t q, const tcb_t *t, word_t limit)
{
    word_t n = 0;
    for (const tcb_t *x = q.head; x != NULL && n <= limit; x = x->ipc_next, n++) {
        if (x == t)
            return true;
    }
    return false;
}

/* Only on failure: which waiting thread is not in its object's queue. */
static const tcb_t *find_missing_waiter(word_t limit)
{
    for (uint32_t i = 0; i < nobjs; i++) {
        if (sorted(i)->type != CAP_THREAD || (i > 0 && same_object(sorted(i), sorted(i - 1))))
            continue;
        const tcb_t *t = paddr_to_kptr(sorted(i)->base);
        if (!waits_in_queue(t))
            continue;
        if (t->blocked.object == 0)
            return t;
        thread_queue_t q = t->state == THREAD_BLOCKED_ON_NOTIFICATION
                               ? ntfn_queue(ntfn_ptr(t->blocked.object))
                               : ep_queue(ep_ptr(t->blocked.object));
        if (!in_queue(q, t, limit))
            return t;
    }
    return NULL;
}

/*
 * The per-object checks (invariants.c) have shown that every thread in an
 * endpoint or notification queue is blocked on that object in the matching
 * state, and every thread in a ready queue is runnable, queued, and of that
 * queue's priority and domain; links are symmetric, so no thread is in one
 * queue twice. Counting completes it: as many threads wait in the queues
 * as threads are in waiting states, and as many are in the ready queues as
 * have the queued flag, so each is in exactly the one queue its state says.
 */
bool inv_check_threads(word_t ready_count, inv_violation_t *v)
{
    word_t threads = 0, waiting = 0, queued = 0, in_ipc_queues = 0;
    for (uint32_t i = 0; i < nobjs; i++)
        threads += objs[i].type == CAP_THREAD;
    for (uint32_t i = 0; i < nobjs; i++) {
        const inv_object_t *o = sorted(i);
        if (i > 0 && same_object(o, sorted(i - 1)))
            continue;
        if (o->type == CAP_THREAD) {
            const tcb_t *t = paddr_to_kptr(o->base);
            if (waits_in_queue(t)) {
                waiting++;
            } else if (t->ipc_next != NULL || t->ipc_prev != NULL) {
                return fail(v, "a thread that waits in no queue has queue links", t, t->state);
            }
            if (t->queued)
                queued++;
        } else if (o->type == CAP_ENDPOINT || o->type == CAP_NOTIFICATION) {
            thread_queue_t q = o->type == CAP_ENDPOINT ? ep_queue(ep_ptr(o->base))
                                                       : ntfn_queue(ntfn_ptr(o->base));
            word_t n = queue_length(q, threads);
            if (n > threads)
                return fail(v, "a queue holds more threads than exist (a loop)",
                            paddr_to_kptr(o->base), n);
            in_ipc_queues += n;
        }
    }
    if (in_ipc_queues != waiting) {
        const tcb_t *t = find_missing_waiter(threads);
        if (t != NULL)
            return fail(v, "a thread blocked on an object is not in its queue", t, t->state);
        return fail(v, "endpoint and notification queues hold threads that do not wait there",
                    NULL, in_ipc_queues);
    }
    if (ready_count != queued)
        return fail(v, "threads marked queued and threads in the ready queues differ", NULL,
                    ready_count);
    return true;
}
