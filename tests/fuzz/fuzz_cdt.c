/*
 * Fuzz target: the capability derivation tree (kernel/core/cdt.c, cap.c,
 * delete.c) against an independent reference model.
 *
 * The input is a sequence of operations as the CNode and Untyped
 * invocations perform them (Copy, Mint, Move, Mutate, Rotate, Delete,
 * Revoke, Retype, IRQControl Get, IOPortControl Issue) plus the kernel's
 * internal ones (a new root, cdt_remove), each decoded from a few bytes.
 * After every operation the kernel's slots and links are compared with the
 * model: the cap in every slot, the list order (the model's forest in
 * preorder), cdt_revocable, cdt_has_children, cdt_is_final, the run of
 * slots cte_revoke would delete, and which objects were finalised
 * (object_finalise is a stub that records its calls and checks that no cap
 * to the object is left); the link checker (fuzz_common.h) checks every
 * link.
 *
 * The world:
 *  - IPC objects 0..15 at fake addresses (even: endpoints, odd:
 *    notifications), made from untyped UA (0-7), its child untyped UA0
 *    (0-3) or UB (8-15); caps carry arbitrary rights and badges;
 *  - frames F0, F1 at fake addresses, made from UF;
 *  - CNodes K0, K1, K2 (8 slots each) and a TCB, made from UK, which covers
 *    their real memory; caps to them may sit in their own slots (cycles);
 *  - the IRQ control cap with handlers for two IRQs, the I/O port control
 *    cap with two port ranges (originals issued from the control caps);
 *  - slots: two pool CNodes (never destroyed) and the slots of K0-K2 and the
 *    TCB while those objects exist.
 *
 * The model is a forest with ordered children, each list a "head" node whose
 * children are the list's top-level trees. Its rules restate seL4's
 * (capabilities.md §4, §7, §10) without looking at the list: a derived cap
 * is a child of its source if the source is an original that can parent it,
 * else the next sibling; deleting a cap splices its children into its place;
 * deleting the last cap to an object finalises it, then empties a CNode or
 * TCB; revoke deletes the first child until none is left.
 *
 * Operations only create states the kernel can reach: objects are made from
 * the innermost live untyped covering them (or issued from their control
 * cap) and only when they do not exist;
 * derivation follows cnode.c (RevokeFirst for an untyped with children, no
 * Mint of a badged cap, guard + radix <= 64); cdt_remove never drops the
 * last cap to a CNode or TCB (the kernel removes only reply caps directly).
 */
#include "fuzz_common.h"
#include "delete.h"
#include "thread.h"

/* ------------------------------------------------------------------------ */
/* The world                                                                 */
/* ------------------------------------------------------------------------ */

#define FAKE_BASE   0x200000000000UL    /* IPC objects: never dereferenced */
#define FRAME_BASE  0x300000000000UL    /* frames: never dereferenced */
#define KRADIX      3
#define KSLOTS      (1 << KRADIX)

enum {
    NIPC = 16,
    O_F0 = NIPC, O_F1,          /* frames */
    O_K0, O_K1, O_K2, O_T,      /* CNodes and the TCB: objects with slots */
    O_IRQC, O_H0, O_H1,         /* IRQ control, handlers for IRQ_BASE + 0, 1 */
    O_IOC, O_P0, O_P1,          /* I/O port control, two port ranges */
    O_UA, O_UA0, O_UB, O_UF, O_UK,
    NOBJ
};

/* Real memory for the objects with slots, covered by UK (4 KiB). */
static _Alignas(4096) struct {
    _Alignas(2048) tcb_t tcb;
    _Alignas(256) cte_t k[3][KSLOTS];
} karena;

static _Alignas(512) cte_t pool0[16], pool1[16];

/* Slots 0-15 pool0, 16-31 pool1, 32-55 K0-K2, 56-60 the TCB. */
#define NSLOT       61
#define NCONTAINER  6
static const int container_first[NCONTAINER] = { 0, 16, 32, 40, 48, 56 };
static const int container_count[NCONTAINER] = { 16, 16, 8, 8, 8, 5 };

static cte_t *slot_ptr(int s)
{
    if (s < 16)
        return &pool0[s];
    if (s < 32)
        return &pool1[s - 16];
    if (s < 56)
        return &karena.k[(s - 32) / KSLOTS][(s - 32) % KSLOTS];
    return &karena.tcb.slots[s - 56];
}

static int slot_container(int s)
{
    return s < 16 ? 0 : s < 32 ? 1 : s < 56 ? 2 + (s - 32) / KSLOTS : 5;
}

/* The object whose slots a container is (-1: a pool, always there). */
static int container_obj(int c)
{
    return c < 2 ? -1 : c < 5 ? O_K0 + (c - 2) : O_T;
}

static bool obj_is_untyped(int o)
{
    return o >= O_UA;
}

static bool obj_is_frame(int o)
{
    return o == O_F0 || o == O_F1;
}

/* Control caps and what they hand out name no memory. */
static bool obj_has_region(int o)
{
    return o < O_IRQC || obj_is_untyped(o);
}

#define IRQ_BASE 3
static const unsigned port_first[2] = { 0x60, 0x3F8 }, port_last[2] = { 0x64, 0x3FF };

static paddr_t obj_paddr(int o)
{
    if (o < NIPC)
        return FAKE_BASE + (paddr_t)o * 64;
    if (obj_is_frame(o))
        return FRAME_BASE + (paddr_t)(o - O_F0) * 4096;
    if (o >= O_K0 && o <= O_K2)
        return (paddr_t)(uintptr_t)karena.k[o - O_K0];
    return (paddr_t)(uintptr_t)&karena.tcb;
}

/* Untyped regions [base, base + 2^bits). */
static paddr_t untyped_base(int o)
{
    switch (o) {
    case O_UA:
    case O_UA0:
        return FAKE_BASE;
    case O_UB:
        return FAKE_BASE + 512;
    case O_UF:
        return FRAME_BASE;
    default:
        return (paddr_t)(uintptr_t)&karena;
    }
}

static unsigned untyped_bits(int o)
{
    return o == O_UA0 ? 8 : o == O_UA || o == O_UB ? 9 : o == O_UF ? 13 : 12;
}

static cap_t untyped_cap(int o)
{
    return cap_untyped_new(untyped_base(o), untyped_bits(o), false, 0);
}

/* The object's region, for "made from" and overlap questions. */
static void obj_region(int o, paddr_t *base, word_t *size)
{
    if (obj_is_untyped(o)) {
        *base = untyped_base(o);
        *size = BIT(untyped_bits(o));
    } else if (o < NIPC) {
        *base = obj_paddr(o);
        *size = o % 2 == 0 ? 16 : 32;
    } else if (obj_is_frame(o)) {
        *base = obj_paddr(o);
        *size = 4096;
    } else if (o == O_T) {
        *base = obj_paddr(o);
        *size = BIT(TCB_OBJECT_BITS);
    } else {
        *base = obj_paddr(o);
        *size = KSLOTS * sizeof(cte_t);
    }
}

static bool region_inside(int inner, int outer)
{
    paddr_t ib, ob;
    word_t is, os;
    obj_region(inner, &ib, &is);
    obj_region(outer, &ob, &os);
    return ib >= ob && ib + is <= ob + os;
}

static bool regions_overlap(int a, int b)
{
    paddr_t ab, bb;
    word_t as, bs;
    obj_region(a, &ab, &as);
    obj_region(b, &bb, &bs);
    return ab < bb + bs && bb < ab + as;
}

/* A fresh cap to object o, as Untyped_Retype makes it. */
static cap_t new_object_cap(int o)
{
    if (o < NIPC)
        return cap_ipc_new(o % 2 == 0 ? CAP_ENDPOINT : CAP_NOTIFICATION, obj_paddr(o),
                           o % 2 == 0 ? RIGHTS_ALL : RIGHT_READ | RIGHT_WRITE, 0);
    if (obj_is_frame(o))
        return cap_frame_new(obj_paddr(o), 0, VM_RIGHTS_READ_WRITE, false, 0, 0);
    if (o >= O_K0 && o <= O_K2)
        return fz_cnode_cap(karena.k[o - O_K0], KRADIX, 0, 0);
    if (o == O_T)
        return cap_thread_new(&karena.tcb);
    if (o == O_IRQC)
        return cap_simple_new(CAP_IRQ_CONTROL);
    if (o == O_H0 || o == O_H1)
        return cap_irq_handler_new(IRQ_BASE + (unsigned)(o - O_H0));
    if (o == O_IOC)
        return cap_simple_new(CAP_IO_PORT_CONTROL);
    if (o == O_P0 || o == O_P1)
        return cap_io_port_new(port_first[o - O_P0], port_last[o - O_P0]);
    return untyped_cap(o);
}

/* The object a cap names (-1: none of ours). Untyped caps by value. */
static int cap_obj(cap_t c)
{
    switch (cap_get_type(c)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION: {
        paddr_t pa = cap_ipc_paddr(c);
        if (pa < FAKE_BASE || pa >= FAKE_BASE + NIPC * 64 || (pa - FAKE_BASE) % 64 != 0)
            return -1;
        int o = (int)((pa - FAKE_BASE) / 64);
        return (o % 2 == 0) == (cap_get_type(c) == CAP_ENDPOINT) ? o : -1;
    }
    case CAP_FRAME:
        for (int o = O_F0; o <= O_F1; o++)
            if (c.w1 == obj_paddr(o))
                return o;
        return -1;
    case CAP_THREAD:
        return cap_thread_tcb(c) == &karena.tcb ? O_T : -1;
    case CAP_CNODE:
        for (int o = O_K0; o <= O_K2; o++)
            if (cap_cnode_paddr(c) == obj_paddr(o))
                return o;
        return -1;
    case CAP_UNTYPED:
        for (int o = O_UA; o <= O_UK; o++)
            if (fz_same_cap(c, untyped_cap(o)))
                return o;
        return -1;
    case CAP_IRQ_CONTROL:
        return O_IRQC;
    case CAP_IRQ_HANDLER:
        return cap_irq(c) == IRQ_BASE ? O_H0 : cap_irq(c) == IRQ_BASE + 1 ? O_H1 : -1;
    case CAP_IO_PORT_CONTROL:
        return O_IOC;
    case CAP_IO_PORT:
        for (int i = 0; i < 2; i++)
            if (cap_io_port_first(c) == port_first[i] && cap_io_port_last(c) == port_last[i])
                return O_P0 + i;
        return -1;
    default:
        return -1;
    }
}

/* ------------------------------------------------------------------------ */
/* Operation log (printed when a check fails)                                */
/* ------------------------------------------------------------------------ */

static char oplog[1 << 16];
static size_t oplog_len;
static int cur_step;

__attribute__((format(printf, 1, 2)))
static void logop(const char *fmt, ...)
{
    if (oplog_len + 200 >= sizeof(oplog))
        return;
    oplog_len += (size_t)snprintf(oplog + oplog_len, sizeof(oplog) - oplog_len, "  %3d: ",
                                  cur_step);
    va_list ap;
    va_start(ap, fmt);
    oplog_len += (size_t)vsnprintf(oplog + oplog_len, sizeof(oplog) - oplog_len, fmt, ap);
    va_end(ap);
    oplog_len += (size_t)snprintf(oplog + oplog_len, sizeof(oplog) - oplog_len, "\n");
}

static void print_oplog(void)
{
    fprintf(stderr, "operations so far (slots: 0-15 pool0, 16-31 pool1, 32-55 K0-K2, "
                    "56-60 TCB):\n%s", oplog);
}

/* ------------------------------------------------------------------------ */
/* object_finalise stub                                                      */
/* ------------------------------------------------------------------------ */

static unsigned k_fin[NOBJ];

/* Is there a cap to object o (or, for an untyped, an identical cap) in a slot? */
static bool any_cap_to(int o)
{
    for (int s = 0; s < NSLOT; s++) {
        cap_t c = slot_ptr(s)->cap;
        if (cap_get_type(c) != CAP_ZOMBIE && cap_obj(c) == o)
            return true;
    }
    return false;
}

void object_finalise(cap_t cap)
{
    int o = cap_obj(cap);
    FZ_CHECK(o >= 0, "finalised an unknown object (cap %#llx:%#llx)",
             (unsigned long long)cap.w0, (unsigned long long)cap.w1);
    k_fin[o]++;
    /*
     * Only the last cap to an object finalises it. Frames are the
     * exception (each frame cap's own mapping goes with it); untyped caps
     * are never "the same object".
     */
    if (!obj_is_frame(o) && !obj_is_untyped(o) && any_cap_to(o))
        FZ_FAIL("object %d finalised while a cap to it is left", o);
}

/* ------------------------------------------------------------------------ */
/* Reference model                                                           */
/* ------------------------------------------------------------------------ */

#define MAXN 128
#define MAX_STEPS 300           /* operations per input */

typedef struct mnode {
    bool used;
    bool head;          /* a list: its children are the list's top-level trees */
    bool revocable;
    int slot;
    int obj;
    cap_t cap;
    int parent;
    int nkids;
    int kids[NSLOT];
} mnode_t;

static mnode_t mn[MAXN];
static int m_slot[NSLOT];       /* model node in each slot, -1 if empty */
static unsigned m_fin[NOBJ];

static int m_alloc(void)
{
    for (int i = 0; i < MAXN; i++) {
        if (!mn[i].used) {
            memset(&mn[i], 0, sizeof(mn[i]));
            mn[i].used = true;
            mn[i].parent = -1;
            mn[i].slot = -1;
            mn[i].obj = -1;
            return i;
        }
    }
    FZ_FAIL("model out of nodes");
}

static int kid_index(int p, int n)
{
    for (int i = 0; i < mn[p].nkids; i++)
        if (mn[p].kids[i] == n)
            return i;
    FZ_FAIL("model: %d is not a child of %d", n, p);
}

static void kid_insert(int p, int pos, int n)
{
    FZ_CHECK(mn[p].nkids < NSLOT, "model: too many children");
    memmove(&mn[p].kids[pos + 1], &mn[p].kids[pos], (size_t)(mn[p].nkids - pos) * sizeof(int));
    mn[p].kids[pos] = n;
    mn[p].nkids++;
    mn[n].parent = p;
}

static int m_new_cap(int slot, cap_t cap, int obj, bool revocable)
{
    int n = m_alloc();
    mn[n].slot = slot;
    mn[n].cap = cap;
    mn[n].obj = obj;
    mn[n].revocable = revocable;
    m_slot[slot] = n;
    return n;
}

static int m_count_obj(int o)
{
    int c = 0;
    for (int i = 0; i < MAXN; i++)
        c += mn[i].used && !mn[i].head && mn[i].obj == o;
    return c;
}

static bool container_alive(int c)
{
    return container_obj(c) < 0 || m_count_obj(container_obj(c)) > 0;
}

static void m_insert_root(int slot, cap_t cap, int obj)
{
    int h = m_alloc();
    mn[h].head = true;
    kid_insert(h, 0, m_new_cap(slot, cap, obj, true));
}

/* Made from an untyped: always a child, and first among its children. */
static void m_insert_child(int parent, int slot, cap_t cap, int obj)
{
    kid_insert(parent, 0, m_new_cap(slot, cap, obj, true));
}

/* seL4's isCapRevocable for the cap types of this world. */
static bool m_revocable(cap_t new_cap, cap_t src)
{
    switch (cap_get_type(new_cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
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

/*
 * Can x parent a new cap to its own object? Originals only; a badged IPC
 * original only non-original copies with its badge.
 */
static bool m_can_parent(int x, cap_t new_cap, bool new_revocable)
{
    if (!mn[x].revocable)
        return false;
    cap_type_t t = cap_get_type(mn[x].cap);
    if (t == CAP_ENDPOINT || t == CAP_NOTIFICATION) {
        word_t b = cap_ipc_badge(mn[x].cap);
        return b == 0 || (cap_ipc_badge(new_cap) == b && !new_revocable);
    }
    return true;
}

/* A cap derived from x's: to x's object, or (control caps) to obj. */
static void m_insert_derived(int x, int slot, cap_t cap, int obj)
{
    bool rev = m_revocable(cap, mn[x].cap);
    if (m_can_parent(x, cap, rev)) {
        kid_insert(x, 0, m_new_cap(slot, cap, obj, rev));
        return;
    }
    FZ_CHECK(mn[x].nkids == 0, "model: a cap with children gets a sibling (bad operation)");
    int p = mn[x].parent;
    kid_insert(p, kid_index(p, x) + 1, m_new_cap(slot, cap, obj, rev));
}

/* Unlinks node n: its children take its place, in order. */
static void m_remove(int n)
{
    int p = mn[n].parent;
    int pos = kid_index(p, n);
    memmove(&mn[p].kids[pos], &mn[p].kids[pos + 1],
            (size_t)(mn[p].nkids - pos - 1) * sizeof(int));
    mn[p].nkids--;
    for (int i = 0; i < mn[n].nkids; i++)
        kid_insert(p, pos + i, mn[n].kids[i]);
    m_slot[mn[n].slot] = -1;
    mn[n].used = false;
    if (mn[p].head && mn[p].nkids == 0)
        mn[p].used = false;
}

static void m_delete(int n)
{
    int o = mn[n].obj;
    m_remove(n);
    if (obj_is_untyped(o) || obj_is_frame(o)) {
        m_fin[o]++;
        return;
    }
    if (m_count_obj(o) > 0)
        return;
    m_fin[o]++;                         /* finalised first, then emptied */
    for (int c = 2; c < NCONTAINER; c++) {
        if (container_obj(c) != o)
            continue;
        for (int s = container_first[c]; s < container_first[c] + container_count[c]; s++)
            if (m_slot[s] >= 0)
                m_delete(m_slot[s]);
    }
}

static void m_revoke(int n)
{
    /* No node is allocated while deleting, so a freed n stays unused. */
    while (mn[n].used && mn[n].nkids > 0)
        m_delete(mn[n].kids[0]);
}

/* Subtree sizes of every node (verify), computed once per check. */
static int sizes[MAXN];

static int compute_sizes(int n)
{
    sizes[n] = 1;
    for (int i = 0; i < mn[n].nkids; i++)
        sizes[n] += compute_sizes(mn[n].kids[i]);
    return sizes[n];
}

/* ------------------------------------------------------------------------ */
/* Comparing kernel and model                                                */
/* ------------------------------------------------------------------------ */

static cte_t *check_preorder(int n, cte_t *k)
{
    if (k != slot_ptr(mn[n].slot))
        FZ_FAIL("list order: slot %d expected, the kernel has %p", mn[n].slot, (void *)k);
    k = cdt_next(k);
    for (int i = 0; i < mn[n].nkids; i++)
        k = check_preorder(mn[n].kids[i], k);
    return k;
}

static void verify(void)
{
    for (int o = 0; o < NOBJ; o++)
        if (m_fin[o] != k_fin[o])
            FZ_FAIL("object %d finalised %u times, the model says %u", o, k_fin[o], m_fin[o]);

    int ncaps = 0;
    for (int s = 0; s < NSLOT; s++) {
        cte_t *k = slot_ptr(s);
        int n = m_slot[s];
        if (n < 0) {
            FZ_CHECK(cap_is_null(k->cap), "slot %d should be empty, holds type %d", s,
                     cap_get_type(k->cap));
            continue;
        }
        ncaps++;
        FZ_CHECK(fz_same_cap(k->cap, mn[n].cap), "slot %d holds the wrong cap", s);
    }
    fz_check_links();

    int listed = 0;
    for (int h = 0; h < MAXN; h++) {
        if (!mn[h].used || !mn[h].head)
            continue;
        FZ_CHECK(mn[h].nkids > 0, "model: empty list");
        cte_t *k = slot_ptr(mn[mn[h].kids[0]].slot);
        FZ_CHECK(cdt_prev(k) == NULL, "slot %d should start a list", mn[mn[h].kids[0]].slot);
        for (int i = 0; i < mn[h].nkids; i++) {
            k = check_preorder(mn[h].kids[i], k);
            listed += compute_sizes(mn[h].kids[i]);
        }
        FZ_CHECK(k == NULL, "the list from slot %d is longer than the model's",
                 mn[mn[h].kids[0]].slot);
    }
    FZ_CHECK(listed == ncaps, "the model lists %d caps, %d slots are full", listed, ncaps);

    int count[NOBJ] = { 0 };
    for (int n = 0; n < MAXN; n++)
        if (mn[n].used && !mn[n].head)
            count[mn[n].obj]++;
    for (int s = 0; s < NSLOT; s++) {
        int n = m_slot[s];
        if (n < 0)
            continue;
        cte_t *k = slot_ptr(s);
        bool final = obj_is_untyped(mn[n].obj) || count[mn[n].obj] == 1;
        FZ_CHECK(cdt_is_final(k) == final, "slot %d: is_final %d, model %d", s,
                 cdt_is_final(k), final);
        FZ_CHECK(cdt_revocable(k) == mn[n].revocable, "slot %d: revocable %d, model %d", s,
                 cdt_revocable(k), mn[n].revocable);
        FZ_CHECK(cdt_has_children(k) == (mn[n].nkids > 0), "slot %d: has_children %d, "
                 "model %d", s, cdt_has_children(k), mn[n].nkids > 0);
        /* What cte_revoke would delete: the run of slots it is parent of. */
        int run = 0;
        for (cte_t *x = cdt_next(k); x != NULL && cdt_is_parent_of(k, x); x = cdt_next(x))
            run++;
        FZ_CHECK(run == sizes[n] - 1, "slot %d: %d descendants, model %d", s, run,
                 sizes[n] - 1);
    }
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */
/* ------------------------------------------------------------------------ */

enum { PICK_ANY, PICK_FULL, PICK_EMPTY, PICK_UNTYPED };

/* The first slot from the input's choice on (cyclically) that fits; -1 if none. */
static int pick(fz_in_t *in, int what, int not1, int not2)
{
    bool alive[NCONTAINER];
    for (int c = 0; c < NCONTAINER; c++)
        alive[c] = container_alive(c);
    int start = fz_u8(in) % NSLOT;
    for (int i = 0; i < NSLOT; i++) {
        int s = (start + i) % NSLOT;
        if (s == not1 || s == not2 || !alive[slot_container(s)])
            continue;
        int n = m_slot[s];
        if ((what == PICK_FULL && n < 0) || (what == PICK_EMPTY && n >= 0))
            continue;
        if (what == PICK_UNTYPED && (n < 0 || !obj_is_untyped(mn[n].obj)))
            continue;
        return s;
    }
    return -1;
}

/* A badge: mostly from a few values (so lineages collide), sometimes any. */
static word_t pick_badge(fz_in_t *in)
{
    uint8_t b = fz_u8(in);
    return (b & 0x80) ? fz_u64(in) : b % 4;
}

/* cnode.c's mask_rights, restated for the cap types of this world. */
static cap_t m_mask_rights(cap_t cap, word_t rights)
{
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
        return cap_ipc_set_rights(cap, cap_ipc_rights(cap) & (unsigned)rights & 0xF);
    case CAP_NOTIFICATION:
        return cap_ipc_set_rights(cap, cap_ipc_rights(cap) & (unsigned)rights & 0x3);
    case CAP_FRAME: {
        unsigned vm = cap_frame_rights(cap);
        bool read = rights & RIGHT_READ, write = rights & RIGHT_WRITE;
        unsigned m = VM_RIGHTS_KERNEL_ONLY;
        if (vm == VM_RIGHTS_READ_WRITE && read)
            m = write ? VM_RIGHTS_READ_WRITE : VM_RIGHTS_READ_ONLY;
        else if (vm == VM_RIGHTS_READ_ONLY && read)
            m = VM_RIGHTS_READ_ONLY;
        return cap_frame_set_rights(cap, m);
    }
    default:
        return cap;
    }
}

/* updateCapData: a badge (Mint) or a guard; null when not allowed. */
static cap_t m_update_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
        if (preserve || cap_ipc_badge(cap) != 0)
            return cap_null();
        cap.w1 = data;
        return cap;
    case CAP_CNODE: {
        unsigned gsize = (unsigned)(data & 0x3F);
        if (gsize + cap_cnode_radix(cap) > 64)
            return cap_null();
        return cap_cnode_new(cap_cnode_paddr(cap), cap_cnode_radix(cap), gsize, data >> 6);
    }
    default:
        return cap;
    }
}

/* Copy and Mint (deriveCap): the cap to store, null if the invocation fails. */
static cap_t m_derive(int src, bool mint, fz_in_t *in)
{
    int x = m_slot[src];
    cap_t cap = m_mask_rights(mn[x].cap, fz_u8(in));
    if (mint) {
        word_t data = cap_get_type(cap) == CAP_CNODE ? fz_u64(in) : pick_badge(in);
        cap = m_update_data(false, data, cap);
    }
    switch (cap_get_type(cap)) {
    case CAP_IRQ_CONTROL:
    case CAP_IO_PORT_CONTROL:
        return cap_null();                              /* not derivable */
    case CAP_UNTYPED:
        return mn[x].nkids > 0 ? cap_null() : cap;      /* RevokeFirst */
    case CAP_FRAME:
        return cap_set_mapping(cap, 0, 0);
    default:
        return cap;
    }
}

/* Move, Mutate, Rotate: the cap as it arrives (Mutate may fail: null). */
static cap_t m_moved(int s, fz_in_t *in)
{
    cap_t cap = slot_ptr(s)->cap;
    uint8_t b = fz_u8(in);
    if ((b & 1) == 0)
        return cap;                                     /* Move */
    return m_update_data(true, (word_t)b >> 1 | (word_t)fz_u8(in) << 7, cap);
}

/* The innermost live untyped object covering o, other than o (-1: none). */
static int innermost_untyped(int o)
{
    int best = -1;
    for (int u = O_UA; u <= O_UK; u++) {
        if (u == o || m_count_obj(u) == 0 || !region_inside(o, u))
            continue;
        if (best < 0 || region_inside(u, best))
            best = u;
    }
    return best;
}

static void op_copy(fz_in_t *in, bool mint)
{
    int src = pick(in, PICK_FULL, -1, -1), dst = pick(in, PICK_EMPTY, -1, -1);
    if (src < 0 || dst < 0)
        return;
    cap_t cap = m_derive(src, mint, in);
    logop("%s %d -> %d (cap %#llx:%#llx)", mint ? "mint" : "copy", src, dst,
          (unsigned long long)cap.w0, (unsigned long long)cap.w1);
    if (cap_is_null(cap))
        return;
    cdt_insert_derived(slot_ptr(src), slot_ptr(dst), cap);
    m_insert_derived(m_slot[src], dst, cap, mn[m_slot[src]].obj);
}

static void op_move(fz_in_t *in)
{
    int src = pick(in, PICK_FULL, -1, -1), dst = pick(in, PICK_EMPTY, -1, -1);
    if (src < 0 || dst < 0)
        return;
    cap_t cap = m_moved(src, in);
    logop("move %d -> %d", src, dst);
    if (cap_is_null(cap))
        return;
    cdt_move(slot_ptr(src), slot_ptr(dst), cap);
    int n = m_slot[src];
    m_slot[src] = -1;
    m_slot[dst] = n;
    mn[n].slot = dst;
    mn[n].cap = cap;
}

static void op_swap(fz_in_t *in)
{
    int a = pick(in, PICK_FULL, -1, -1);
    int b = pick(in, PICK_FULL, a, -1);
    if (a < 0 || b < 0)
        return;
    cap_t new_a = m_moved(b, in), new_b = m_moved(a, in);
    logop("swap %d <-> %d", a, b);
    if (cap_is_null(new_a) || cap_is_null(new_b))
        return;
    cdt_swap(slot_ptr(a), new_a, slot_ptr(b), new_b);
    int na = m_slot[a], nb = m_slot[b];
    m_slot[a] = nb;
    m_slot[b] = na;
    mn[nb].slot = a;
    mn[nb].cap = new_a;
    mn[na].slot = b;
    mn[na].cap = new_b;
}

static void op_rotate(fz_in_t *in)
{
    int src = pick(in, PICK_FULL, -1, -1);
    int pivot = pick(in, PICK_FULL, src, -1);
    int dst = pick(in, PICK_EMPTY, -1, -1);
    if (src < 0 || pivot < 0 || dst < 0)
        return;
    cap_t to_dst = m_moved(pivot, in), to_pivot = m_moved(src, in);
    logop("rotate %d -> %d -> %d", src, pivot, dst);
    if (cap_is_null(to_dst) || cap_is_null(to_pivot))
        return;
    cdt_move(slot_ptr(pivot), slot_ptr(dst), to_dst);
    cdt_move(slot_ptr(src), slot_ptr(pivot), to_pivot);
    int np = m_slot[pivot], ns = m_slot[src];
    m_slot[dst] = np;
    mn[np].slot = dst;
    mn[np].cap = to_dst;
    m_slot[pivot] = ns;
    mn[ns].slot = pivot;
    mn[ns].cap = to_pivot;
    m_slot[src] = -1;
}

static void op_delete(fz_in_t *in, bool revoke)
{
    uint8_t how = fz_u8(in);
    int s = pick(in, how % 8 == 0 ? PICK_ANY : PICK_FULL, -1, -1);
    if (s < 0)
        return;
    logop("%s %d", revoke ? "revoke" : "delete", s);
    int n = m_slot[s];
    if (revoke) {
        cte_revoke(slot_ptr(s));
        if (n >= 0)
            m_revoke(n);
    } else {
        cte_delete(slot_ptr(s));
        if (n >= 0)
            m_delete(n);
    }
}

/* cdt_remove: unlinks without finalising (the kernel does it to reply caps). */
static void op_remove(fz_in_t *in)
{
    int s = pick(in, PICK_FULL, -1, -1);
    if (s < 0)
        return;
    int n = m_slot[s], o = mn[n].obj;
    if ((o >= O_K0 && o <= O_T) && m_count_obj(o) == 1)
        return;                 /* would orphan the object's slots */
    logop("remove %d", s);
    cdt_remove(slot_ptr(s));
    m_remove(n);
}

static void op_retype(fz_in_t *in)
{
    int u = pick(in, PICK_UNTYPED, -1, -1), dst = pick(in, PICK_EMPTY, -1, -1);
    int o = fz_u8(in) % NOBJ;
    if (u < 0 || dst < 0)
        return;
    int uo = mn[m_slot[u]].obj;
    if (!obj_has_region(o) || o == uo || m_count_obj(o) > 0 || innermost_untyped(o) != uo)
        return;
    /* The new object's memory must be free: nothing alive overlaps it. */
    for (int x = 0; x < NOBJ; x++)
        if (x != o && x != uo && obj_has_region(x) && m_count_obj(x) > 0 &&
            regions_overlap(x, o) &&
            !region_inside(o, x))
            return;
    /* Nor does the slot it goes into belong to it. */
    if (container_obj(slot_container(dst)) == o)
        return;
    cap_t cap = new_object_cap(o);
    logop("retype object %d from slot %d into %d", o, u, dst);
    cdt_insert_child(slot_ptr(u), slot_ptr(dst), cap);
    m_insert_child(m_slot[u], dst, cap, o);
}

/* The boot caps: untypeds and the control caps. */
static const int boot_objs[] = { O_UA, O_UB, O_UF, O_UK, O_IRQC, O_IOC };

/* A boot cap as a new root, if nothing of its object is alive. */
static void op_root(fz_in_t *in)
{
    int o = boot_objs[fz_u8(in) % ARRAY_SIZE(boot_objs)], dst = pick(in, PICK_EMPTY, -1, -1);
    if (dst < 0 || m_count_obj(o) > 0)
        return;
    for (int x = 0; x < NOBJ; x++)
        if (obj_has_region(o) && obj_has_region(x) && m_count_obj(x) > 0 &&
            regions_overlap(x, o))
            return;
    logop("root object %d in %d", o, dst);
    cdt_insert_root(slot_ptr(dst), new_object_cap(o));
    m_insert_root(dst, new_object_cap(o), o);
}

/* IRQControl_Get, IOPortControl_Issue: a handler or port range not yet issued. */
static void op_issue(fz_in_t *in)
{
    int src = pick(in, PICK_FULL, -1, -1), dst = pick(in, PICK_EMPTY, -1, -1);
    int which = fz_u8(in) % 2;
    if (src < 0 || dst < 0)
        return;
    int ctl = mn[m_slot[src]].obj;
    if (ctl != O_IRQC && ctl != O_IOC)
        return;
    int o = (ctl == O_IRQC ? O_H0 : O_P0) + which;
    if (m_count_obj(o) > 0)
        return;
    cap_t cap = new_object_cap(o);
    logop("issue object %d from slot %d into %d", o, src, dst);
    cdt_insert_derived(slot_ptr(src), slot_ptr(dst), cap);
    m_insert_derived(m_slot[src], dst, cap, o);
}

static void reset(void)
{
    memset(pool0, 0, sizeof(pool0));
    memset(pool1, 0, sizeof(pool1));
    memset(&karena, 0, sizeof(karena));
    memset(mn, 0, sizeof(mn));
    memset(m_fin, 0, sizeof(m_fin));
    memset(k_fin, 0, sizeof(k_fin));
    for (int s = 0; s < NSLOT; s++)
        m_slot[s] = -1;
    fz_arena_reset();
    fz_arena_add(pool0, 16);
    fz_arena_add(pool1, 16);
    fz_arena_add(&karena.k[0][0], 3 * KSLOTS);
    fz_arena_add(karena.tcb.slots, ARRAY_SIZE(karena.tcb.slots));
    oplog_len = 0;
    oplog[0] = '\0';
    fz_context_hook = print_oplog;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = fz_in(data, size);
    reset();
    /* The boot caps, in pool slots chosen by the first bytes. */
    cur_step = -1;
    for (unsigned i = 0; i < ARRAY_SIZE(boot_objs); i++) {
        int o = boot_objs[i], dst = pick(&in, PICK_EMPTY, -1, -1);
        cdt_insert_root(slot_ptr(dst), new_object_cap(o));
        m_insert_root(dst, new_object_cap(o), o);
        logop("root object %d in %d", o, dst);
    }
    verify();
    for (cur_step = 0; fz_left(&in) > 0 && cur_step < MAX_STEPS; cur_step++) {
        switch (fz_u8(&in) % 16) {
        case 0: case 1: op_copy(&in, false); break;
        case 2: case 3: op_copy(&in, true); break;
        case 4: op_move(&in); break;
        case 5: op_swap(&in); break;
        case 6: op_rotate(&in); break;
        case 7: case 8: op_delete(&in, false); break;
        case 9: op_delete(&in, true); break;
        case 10: op_remove(&in); break;
        case 11: op_root(&in); break;
        case 12: op_issue(&in); break;
        default: op_retype(&in); break;
        }
        verify();
    }
    return 0;
}
