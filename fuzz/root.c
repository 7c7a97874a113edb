/*
 * The fuzzer's root task: FUZZ_OPS random operations from seed FUZZ_SEED
 * (build/fuzzer/params.h, written by `make fuzz SEED=n OPS=n`).
 *
 * Output (console):
 *   fuzz: start ...                       parameters and the CNode layout
 *   @N.k <op> <sys> c=<cptr>:<type> l=<label> n=<len> x=<caps> m=<MRs> -> <label>/<MR0>
 *                                         with FUZZ_TRACE: every system call,
 *                                         printed before it is made (so the
 *                                         last line shows what the kernel was
 *                                         doing if it dies) and its result
 *   fuzz: op N/M ... checksum X           progress, every 1000 ops
 *   fuzz: last operations: ...            the ring of the last 64 calls
 *                                         (periodically, on failure, at the end)
 *   fuzz: FAIL ...                        something that must not happen
 *   fuzz: cov ... / fuzz: covfault ...    what the Calls reached (coverage.c)
 *   fuzz: seed S ops N done, E errors returned, F threads faulted
 * then seL4_DebugHalt.
 */
#include <stdio.h>
#include <string.h>
#include <arca/runtime.h>
#include "fuzz.h"
#include "params.h"

#ifndef FUZZ_SEED
#define FUZZ_SEED 1
#endif
#ifndef FUZZ_OPS
#define FUZZ_OPS 20000
#endif
#ifndef FUZZ_TRACE
#define FUZZ_TRACE 1
#endif

extern char _tbss_end[];    /* user.ld: the read-only segment ends on the next page */

static const seL4_BootInfo *bi;
static rng_t R;
static struct gctx G;
static seL4_Word priv_lo, pool_lo, pool_hi;
static uint8_t pool_type[POOL_N];
static uint8_t initial_type[ROOT_SLOTS];
static bool carved[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
static int priv_ut_cur = -1;            /* PRIV_UT0 + n, -1 none */

/* The root's own record of each child slot (children cannot write it). */
static struct {
    bool used;
    bool vs_ready;          /* its address space is built (since the last reset) */
    uint64_t seed;
} children[MAX_CHILDREN];
struct shared SH;           /* the page the children share with the root */

/* statistics */
static uint64_t n_spins;
static uint64_t op_no, sub_no, n_calls, n_errors, n_faults, n_msgs, n_resets, n_created,
    n_failures, child_ops_done, checksum = 0xCBF29CE484222325ULL;
static const char *op_name = "init";

/* ---- output --------------------------------------------------------------- */

static char obuf[512];
static unsigned olen;

static void out_flush(void)
{
    for (unsigned i = 0; i < olen; i++)
        seL4_DebugPutChar(obuf[i]);
    olen = 0;
}

void out_char(char c)
{
    if (olen == sizeof(obuf))
        out_flush();
    obuf[olen++] = c;
    if (c == '\n')
        out_flush();
}

void out_str(const char *s)
{
    while (*s != '\0')
        out_char(*s++);
}

void out_hex(seL4_Word v)
{
    char t[17];
    int n = 0;
    do {
        t[n++] = "0123456789abcdef"[v & 0xF];
        v >>= 4;
    } while (v != 0);
    while (n > 0)
        out_char(t[--n]);
}

void out_dec(seL4_Word v)
{
    char t[21];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        out_char(t[--n]);
}

/* ---- ring of the last calls ---------------------------------------------- */

#define RING 64
struct ring_rec {
    uint64_t op;
    uint32_t sub;
    const char *name;
    uint8_t sys, len, ncaps, ctype;
    seL4_Word cptr, label, sysno;
    seL4_Word caps[3];
    seL4_Word mr[6];
    seL4_Word r_info, r_mr0;
    bool done;
};
static struct ring_rec ring[RING];
static unsigned ring_n;

static void print_call(const struct ring_rec *e)
{
    out_char('@');
    out_dec(e->op);
    out_char('.');
    out_dec(e->sub);
    out_char(' ');
    out_str(e->name);
    out_char(' ');
    out_str(sys_name(e->sys));
    if (e->sys == S_RAW) {
        out_char('#');
        out_hex(e->sysno);
    }
    out_str(" c=");
    out_hex(e->cptr);
    out_char(':');
    out_str(ctype_name(e->ctype));
    out_str(" l=");
    out_dec(e->label);
    out_str(" n=");
    out_dec(e->len);
    out_str(" x=");
    out_dec(e->ncaps);
    for (unsigned i = 0; i < e->ncaps && i < 3; i++) {
        out_char(i == 0 ? '[' : ',');
        out_hex(e->caps[i]);
    }
    if (e->ncaps > 0)
        out_char(']');
    out_str(" m=");
    unsigned n = e->len < 6 ? e->len : 6;
    for (unsigned i = 0; i < n; i++) {
        if (i > 0)
            out_char(',');
        out_hex(e->mr[i]);
    }
}

static void print_result(const struct ring_rec *e)
{
    out_str(" -> ");
    if (!e->done) {
        out_str("(not returned)");
        return;
    }
    out_dec(e->r_info >> 12);
    out_char('/');
    out_hex(e->r_mr0);
}

static void print_ring(const char *why)
{
    out_str("fuzz: last operations (");
    out_str(why);
    out_str("):\n");
    unsigned n = ring_n < RING ? ring_n : RING;
    for (unsigned i = ring_n - n; i < ring_n; i++) {
        const struct ring_rec *e = &ring[i % RING];
        out_str("  ");
        print_call(e);
        print_result(e);
        out_char('\n');
    }
    for (int i = 0; i < MAX_CHILDREN; i++) {
        const struct child_pub *c = &SH.pub[i];
        if (!children[i].used)
            continue;
        out_str("  child ");
        out_dec((seL4_Word)i);
        out_str(": ops ");
        out_dec(c->ops);
        out_str(" epochs ");
        out_dec(c->epochs);
        out_str(c->phase ? " at gate" : " running/blocked");
        out_str(", last (sys cptr label result):");
        uint32_t pos = c->ring_pos;
        for (uint32_t k = pos > CHILD_RING ? pos - CHILD_RING : 0; k < pos; k++) {
            const struct child_op_rec *o = &c->ring[k % CHILD_RING];
            out_char(' ');
            out_str(sys_name(o->sys));
            out_char(' ');
            out_dec(o->cptr);
            out_char(' ');
            out_dec(o->label);
            out_char(' ');
            out_dec(o->result);
            out_char(';');
        }
        out_char('\n');
    }
}

static void print_summary(const char *what)
{
    out_str("fuzz: seed ");
    out_dec(FUZZ_SEED);
    out_str(" ops ");
    out_dec(op_no);
    out_char(' ');
    out_str(what);
    out_str(", ");
    out_dec(n_errors);
    out_str(" errors returned, ");
    out_dec(n_faults);
    out_str(" threads faulted\n");
}

static _Noreturn void finish(void)
{
    seL4_DebugHalt();
    for (;;)
        seL4_Yield();
}

/* Something the kernel must never do. Stops the run. */
static _Noreturn void fail(const char *what, seL4_Word a, seL4_Word b)
{
    out_str("\nfuzz: FAIL at op ");
    out_dec(op_no);
    out_str(" (");
    out_str(op_name);
    out_str("): ");
    out_str(what);
    out_str(" [");
    out_hex(a);
    out_str(", ");
    out_hex(b);
    out_str("]\n");
    print_ring("failure");
    n_failures++;
    print_summary("FAILED");
    finish();
}

/* ---- slots ------------------------------------------------------------------- */

static seL4_Word ident(seL4_Word cptr)
{
    seL4_Word t = seL4_DebugCapIdentify(cptr);
    if (!ctype_known(t))
        fail("DebugCapIdentify returned an unknown type", cptr, t);
    return t;
}

static bool in_pool(seL4_Word s)
{
    return s >= pool_lo && s < pool_hi;
}

static bool in_priv(seL4_Word s)
{
    return s >= priv_lo && s < priv_lo + PRIV_N;
}

static bool in_region(seL4_Word s, seL4_SlotRegion r)
{
    return s >= r.start && s < r.end;
}

static bool is_copyable_initial(seL4_Word s)
{
    return s == seL4_CapIRQControl || s == seL4_CapASIDControl ||
           s == seL4_CapInitThreadASIDPool || s == seL4_CapDomain;
}

static bool is_prot_frame(seL4_Word s)
{
    return s == seL4_CapBootInfoFrame || s == seL4_CapInitThreadIPCBuffer ||
           in_region(s, bi->userImageFrames) || in_region(s, bi->extraBIPages);
}

static bool is_prot_paging(seL4_Word s)
{
    return in_region(s, bi->userImagePaging);
}

static bool is_boot_ut(seL4_Word s)
{
    return in_region(s, bi->untyped);
}

static void cache(seL4_Word s)
{
    if (in_pool(s))
        pool_type[s - pool_lo] = (uint8_t)ident(s);
}

static seL4_Word pool_rand(void)
{
    return pool_lo + rng_below(&R, POOL_N);
}

/* A pool slot that holds a cap of `type` (CT_NULL: an empty one), checked;
 * 0 if none was found quickly. */
static seL4_Word pool_find(unsigned type)
{
    unsigned start = (unsigned)rng_below(&R, POOL_N), checks = 0;
    /* Random probes first, so that every match has a chance. */
    for (unsigned i = 0; i < 24; i++) {
        unsigned k = (unsigned)rng_below(&R, POOL_N);
        if (pool_type[k] == type) {
            seL4_Word t = ident(pool_lo + k);
            pool_type[k] = (uint8_t)t;
            if (t == type)
                return pool_lo + k;
        }
    }
    for (unsigned i = 0; i < POOL_N; i++) {
        unsigned k = (start + i) % POOL_N;
        if (pool_type[k] != type)
            continue;
        seL4_Word t = ident(pool_lo + k);
        pool_type[k] = (uint8_t)t;
        if (t == type)
            return pool_lo + k;
        if (++checks > 8)
            break;
    }
    return 0;
}

static seL4_Word pool_occupied(void)
{
    unsigned start = (unsigned)rng_below(&R, POOL_N), checks = 0;
    for (unsigned i = 0; i < 24; i++) {
        unsigned k = (unsigned)rng_below(&R, POOL_N);
        if (pool_type[k] != CT_NULL) {
            seL4_Word t = ident(pool_lo + k);
            pool_type[k] = (uint8_t)t;
            if (t != CT_NULL)
                return pool_lo + k;
        }
    }
    for (unsigned i = 0; i < POOL_N; i++) {
        unsigned k = (start + i) % POOL_N;
        if (pool_type[k] == CT_NULL)
            continue;
        seL4_Word t = ident(pool_lo + k);
        pool_type[k] = (uint8_t)t;
        if (t != CT_NULL)
            return pool_lo + k;
        if (++checks > 8)
            break;
    }
    return pool_rand();
}

static seL4_Word pool_empty(void)
{
    seL4_Word s = pool_find(CT_NULL);
    return s != 0 ? s : pool_rand();
}

static seL4_Word prot_other(void)
{
    switch (rng_below(&R, 4)) {
    case 0:
        return bi->userImageFrames.start +
               rng_below(&R, bi->userImageFrames.end - bi->userImageFrames.start);
    case 1:
        return bi->userImagePaging.start +
               rng_below(&R, bi->userImagePaging.end - bi->userImagePaging.start);
    case 2:
        return bi->untyped.start + rng_below(&R, bi->untyped.end - bi->untyped.start);
    default:
        return pool_hi + rng_below(&R, 16);     /* empty, outside the pool */
    }
}

static seL4_Word root_slot(struct gctx *g)
{
    (void)g;
    unsigned c = (unsigned)rng_below(&R, 100);
    if (c < 45)
        return pool_occupied();
    if (c < 70)
        return pool_rand();
    if (c < 80)
        return rng_below(&R, CHILD_SLOTS);
    if (c < 88)
        return rng_below(&R, 16);
    if (c < 92)
        return prot_other();
    return rng_next(&R) >> rng_below(&R, 64);
}

static seL4_Word root_pick(struct gctx *g, unsigned type)
{
    if (type == CT_ANY) {
        unsigned c = (unsigned)rng_below(&R, 100);
        if (c < 60)
            return pool_occupied();
        if (c < 72)
            return pool_rand();
        if (c < 84)
            return rng_below(&R, 16);
        if (c < 90)
            return prot_other();
        if (c < 95)
            return 0;
        return gen_word(g);
    }
    if (type == CT_CNODE && rng_pct(&R, 35))
        return seL4_CapInitThreadCNode;
    if (type == CT_TCB && rng_pct(&R, 30))
        return seL4_CapInitThreadTCB;
    if (type == CT_PML4 && rng_pct(&R, 15))
        return seL4_CapInitThreadVSpace;
    if (type == CT_ASID_POOL && rng_pct(&R, 50))
        return seL4_CapInitThreadASIDPool;
    seL4_Word s = pool_find(type);
    if (s != 0)
        return s;
    switch (type) {
    case CT_CNODE: return seL4_CapInitThreadCNode;
    case CT_TCB: return seL4_CapInitThreadTCB;
    case CT_PML4: return seL4_CapInitThreadVSpace;
    case CT_ASID_POOL: return seL4_CapInitThreadASIDPool;
    case CT_IRQ_CONTROL: return seL4_CapIRQControl;
    case CT_ASID_CONTROL: return seL4_CapASIDControl;
    case CT_DOMAIN: return seL4_CapDomain;
    default: return pool_occupied();
    }
}

/* The cap a raw invocation goes to. */
static seL4_Word pick_invoked(void)
{
    unsigned c = (unsigned)rng_below(&R, 100);
    if (c < 66)
        return pool_occupied();
    if (c < 72)
        return pool_rand();
    if (c < 86)
        return rng_below(&R, 16);
    if (c < 92)
        return prot_other();
    if (c < 97)
        return filter_word(ROOT_SLOTS + (rng_next(&R) >> rng_below(&R, 64)));
    return 0;
}

/* ---- sanitizing (see fuzz.h) ------------------------------------------------- */

/* An index into the root CNode (depth 64): its slot part goes to the pool
 * (or, for a copy source, may be one of the copyable boot caps). */
static seL4_Word fix_idx(seL4_Word idx, bool copy_source)
{
    seL4_Word low = idx & SLOT_MASK;
    if (in_pool(low) || (copy_source && is_copyable_initial(low)))
        return idx;
    return (idx & ~SLOT_MASK) | pool_rand();
}

static seL4_Word clamp_prio(seL4_Word p)
{
    return p > CHILD_PRIO_MAX ? p % (CHILD_PRIO_MAX + 1) : p;
}

/* May cap index i (cptr s, not in the pool) go with this invocation? May
 * adjust MRs (indexes into the root CNode, priorities). */
static bool extra_ok(struct inv *v, unsigned type, unsigned i, seL4_Word s)
{
    seL4_Word l = v->label;
    if (s == 0)
        return true;
    if (s == seL4_CapInitThreadTCB) {
        if (type == CT_TCB && i == 0 &&
            (l == L_TCB_SETPRIO || l == L_TCB_SETMCP || l == L_TCB_SCHED)) {
            v->mr[0] = clamp_prio(v->mr[0]);
            v->mr[1] = clamp_prio(v->mr[1]);
            return true;
        }
        return type == CT_DOMAIN && l == L_DOM_SET && i == 0;
    }
    if (s == seL4_CapInitThreadCNode) {
        if (type == CT_UNTYPED && l == L_RETYPE && i == 0) {
            v->mr[2] = fix_idx(v->mr[2], false);
            /* node_depth 0: the destination is the root CNode itself. */
            if (v->mr[3] == 0 && v->mr[4] < ROOT_SLOTS) {
                v->mr[4] = pool_rand();
                if (v->mr[5] >= 1 && v->mr[5] <= 256 && v->mr[4] + v->mr[5] > pool_hi)
                    v->mr[5] = pool_hi - v->mr[4];
            }
            return true;
        }
        if (type == CT_IRQ_CONTROL && l == L_IRQ_GET && i == 0) {
            v->mr[1] = fix_idx(v->mr[1], false);
            return true;
        }
        if (type == CT_IRQ_CONTROL && (l == L_IRQ_IOAPIC || l == L_IRQ_MSI) && i == 0) {
            v->mr[0] = fix_idx(v->mr[0], false);
            return true;
        }
        if (type == CT_IO_PORT_CONTROL && l == L_IOP_ISSUE && i == 0) {
            v->mr[2] = fix_idx(v->mr[2], false);
            return true;
        }
        if (type == CT_ASID_CONTROL && l == L_ASID_MAKEPOOL) {
            v->mr[0] = fix_idx(v->mr[0], false);
            return true;
        }
        if (type == CT_CNODE && i == 0 && (l == L_CN_COPY || l == L_CN_MINT)) {
            v->mr[2] = fix_idx(v->mr[2], true);
            return true;
        }
        if (type == CT_CNODE && i == 0 && (l == L_CN_MOVE || l == L_CN_MUTATE)) {
            v->mr[2] = fix_idx(v->mr[2], false);
            return true;
        }
        if (type == CT_CNODE && l == L_CN_ROTATE && i < 2) {
            v->mr[i == 0 ? 3 : 6] = fix_idx(v->mr[i == 0 ? 3 : 6], false);
            return true;
        }
        return false;
    }
    /* No frame mapped over the root's, no other thread in its VSpace. */
    if (s == seL4_CapInitThreadVSpace)
        return type != CT_FRAME && type != CT_TCB;
    if (is_copyable_initial(s) || s == seL4_CapIOPortControl)
        return true;
    if (is_prot_frame(s) || is_boot_ut(s) || in_priv(s))
        return false;
    return true;
}

static void sanitize(struct inv *v)
{
    unsigned type = v->ctype;
    bool blocking = v->sys != S_NBSEND;

    if (v->cptr >= ROOT_SLOTS) {
        /* Cannot be looked up: only NBSend, which then does nothing. */
        v->sys = S_NBSEND;
        return;
    }
    if (in_priv(v->cptr))
        v->cptr = pool_rand();
    if (type == CT_EP && (v->sys == S_CALL || v->sys == S_SEND))
        v->sys = S_NBSEND;      /* the root never blocks */
    if (v->sys != S_CALL && v->sys != S_SEND && v->sys != S_NBSEND && v->sys != S_REPLY)
        v->sys = S_CALL;
    blocking = v->sys != S_NBSEND;

    /* Protected caps invoked: only what cannot hurt the root. */
    if (v->cptr == seL4_CapInitThreadTCB) {
        seL4_Word l = v->label;
        if (l == L_TCB_READ)
            v->mr[0] &= ~1UL;
        else if (!(l == 0 || l == L_TCB_RESUME || l == L_TCB_BIND || l == L_TCB_UNBIND ||
                   l >= L_COUNT))
            v->label = L_COUNT + rng_below(&R, 20);
    }
    if (is_prot_frame(v->cptr) && v->label == L_PAGE_UNMAP)
        v->label = L_PAGE_ADDR;
    if (is_prot_paging(v->cptr) &&
        (v->label == L_PDPT_UNMAP || v->label == L_PD_UNMAP || v->label == L_PT_UNMAP))
        v->label -= 1;
    if (is_boot_ut(v->cptr) && v->label == L_RETYPE)
        v->label = 0;
    if (v->cptr == seL4_CapInitThreadCNode)
        v->mr[0] = fix_idx(v->mr[0], false);
    if (type == CT_IRQ_CONTROL && v->label == L_IRQ_IOAPIC && (v->mr[3] & 0xFF) == WD_PIN)
        v->mr[3] = WD_PIN + 1 + rng_below(&R, 8);     /* the watchdog's timer */
    if (type == CT_IO_PORT_CONTROL) {
        /* Only harmless ports (0x80-0x8F: POST and DMA page registers). */
        v->mr[0] = rng_range(&R, 0x80, 0x8F);
        v->mr[1] = rng_pct(&R, 90) ? rng_range(&R, v->mr[0], 0x8F) : rng_range(&R, 0x80, 0x8F);
    }

    /* Extra caps. */
    bool transfer = type == CT_EP || type == CT_REPLY || v->sys == S_REPLY;
    for (unsigned i = 0; i < v->ncaps && i < 3; i++) {
        seL4_Word s = v->caps[i];
        if (s >= ROOT_SLOTS) {
            if (blocking)
                v->caps[i] = pool_rand();
            continue;
        }
        if (in_pool(s))
            continue;
        if (transfer) {
            /* Caps sent to a thread: only pool caps and copyable boot caps. */
            if (!(s == 0 || is_copyable_initial(s)))
                v->caps[i] = pool_rand();
            continue;
        }
        if (!extra_ok(v, type, i, s))
            v->caps[i] = pool_rand();
    }
    /* The root TCB as authority: whichever cap slot names it, clamp. */
    if (type == CT_TCB) {
        for (unsigned i = 0; i < v->ncaps && i < 3; i++) {
            if (v->caps[i] == seL4_CapInitThreadTCB) {
                v->mr[0] = clamp_prio(v->mr[0]);
                v->mr[1] = clamp_prio(v->mr[1]);
            }
        }
    }
}

/* ---- running one call ---------------------------------------------------- */

static struct inv V;      /* the root's current call (too big for its stack) */

static void checksum_add(seL4_Word w)
{
    checksum ^= w;
    checksum *= 0x100000001B3ULL;
}

static void run(struct inv *v)
{
    if (!v->trusted) {
        /* What the cap really is now (not what the generator assumed). */
        v->ctype = v->cptr < ROOT_SLOTS ? (uint8_t)ident(v->cptr) : CT_NULL;
        sanitize(v);
    }
    if (v->cptr < ROOT_SLOTS)
        v->ctype = (uint8_t)ident(v->cptr);

    struct ring_rec *e = &ring[ring_n % RING];
    ring_n++;
    e->op = op_no;
    e->sub = (uint32_t)sub_no++;
    e->name = op_name;
    e->sys = v->sys;
    e->len = v->len;
    e->ncaps = v->ncaps;
    e->ctype = v->ctype;
    e->cptr = v->cptr;
    e->label = v->label;
    e->sysno = v->sysno;
    for (int i = 0; i < 3; i++)
        e->caps[i] = v->caps[i];
    for (int i = 0; i < 6; i++)
        e->mr[i] = v->mr[i];
    e->done = false;
#if FUZZ_TRACE
    print_call(e);
    out_flush();
#endif
    inv_exec(v);
    e->done = true;
    e->r_info = v->r_info;
    e->r_mr0 = v->r_mr[0];
#if FUZZ_TRACE
    print_result(e);
    out_char('\n');
#endif

    if (v->sys == S_CALL) {
        n_calls++;
        seL4_Word l = r_label(v);
        if (v->ctype != CT_EP) {
            /* A reply from the kernel: an error number, no badge, no caps. */
            if (l > seL4_NotEnoughMemory)
                fail("kernel reply with a label that is no error number", v->r_info, v->label);
            if (v->r_badge != 0)
                fail("kernel reply with a badge", v->r_badge, v->label);
            if (r_len(v) > seL4_MsgMaxLength || ((v->r_info >> 7) & 3) != 0)
                fail("kernel reply with a bad length or caps", v->r_info, v->label);
        }
        if (l != 0)
            n_errors++;
        if (v->ctype != CT_EP)
            cov_call(v->cptr < ROOT_SLOTS ? v->ctype : COV_TYPE_UNRESOLVED, v->label, l);
        checksum_add(op_no);
        checksum_add(v->r_info);
    }
    /* Whatever the call may have changed in the pool. */
    cache(v->cptr);
    for (int i = 0; i < 3; i++)
        cache(v->caps[i]);
    for (int i = 0; i < 8; i++)
        cache(v->mr[i] & SLOT_MASK);
}

static struct inv *new_inv(seL4_Word cptr, seL4_Word label, unsigned len)
{
    struct inv *v = &V;
    memset(v, 0, sizeof(*v));
    v->cptr = cptr;
    v->label = label;
    v->len = (uint8_t)len;
    v->sys = S_CALL;
    v->ctype = CT_ANY;
    return v;
}

static seL4_Word call_err(struct inv *v)
{
    run(v);
    return r_label(v);
}

/* Trusted infrastructure calls (never sanitized). */
static seL4_Word t_retype(seL4_Word ut, seL4_Word type, seL4_Word bits, seL4_Word dest_root,
                          seL4_Word index, seL4_Word depth, seL4_Word offset, seL4_Word n)
{
    struct inv *v = new_inv(ut, L_RETYPE, 6);
    v->mr[0] = type;
    v->mr[1] = bits;
    v->mr[2] = index;
    v->mr[3] = depth;
    v->mr[4] = offset;
    v->mr[5] = n;
    v->ncaps = 1;
    v->caps[0] = dest_root;
    v->trusted = true;
    seL4_Word e = call_err(v);
    for (seL4_Word k = 0; k < n && k < 8; k++)
        cache(offset + k);
    return e;
}

static seL4_Word t_cnode(seL4_Word label, seL4_Word cnode, seL4_Word idx, seL4_Word depth,
                         seL4_Word src_root, seL4_Word src, seL4_Word src_depth,
                         seL4_Word rights, seL4_Word badge)
{
    struct inv *v = new_inv(cnode, label, 2);
    v->mr[0] = idx;
    v->mr[1] = depth;
    if (label == L_CN_COPY || label == L_CN_MINT || label == L_CN_MOVE ||
        label == L_CN_MUTATE) {
        v->mr[2] = src;
        v->mr[3] = src_depth;
        v->mr[4] = label == L_CN_MUTATE ? badge : rights;
        v->mr[5] = badge;
        v->len = label == L_CN_MINT ? 6 : label == L_CN_MOVE ? 4 : 5;
        v->ncaps = 1;
        v->caps[0] = src_root;
    }
    v->trusted = true;
    return call_err(v);
}

static seL4_Word t_root_delete(seL4_Word slot)
{
    seL4_Word e = t_cnode(L_CN_REVOKE, seL4_CapInitThreadCNode, slot, ROOT_DEPTH, 0, 0, 0, 0, 0);
    seL4_Word e2 = t_cnode(L_CN_DELETE, seL4_CapInitThreadCNode, slot, ROOT_DEPTH, 0, 0, 0, 0,
                           0);
    cache(slot);
    return e != 0 ? e : e2;
}

static seL4_Word t_simple(seL4_Word cptr, seL4_Word label)
{
    struct inv *v = new_inv(cptr, label, 0);
    v->trusted = true;
    return call_err(v);
}

/* ---- untypeds ------------------------------------------------------------------ */

/* Carve a 2^bits untyped from the smallest boot untyped that has room, into
 * `dest` (root CNode); device memory if asked. */
static bool carve(unsigned bits, seL4_Word dest, bool device)
{
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    if (ident(dest) != CT_NULL)
        return false;
    for (unsigned size = bits; size <= 40; size++) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (d->sizeBits != size || (d->isDevice != 0) != device)
                continue;
            if (t_retype(bi->untyped.start + i, seL4_UntypedObject, bits,
                         seL4_CapInitThreadCNode, 0, 0, dest, 1) == seL4_NoError) {
                carved[i] = true;
                return true;
            }
        }
    }
    return false;
}

/* A private untyped with room for an object of 2^bits bytes. */
static seL4_Word priv_ut(void)
{
    if (priv_ut_cur < 0) {
        if (!carve(21, priv_lo + PRIV_UT0, false))
            fail("cannot carve the first private untyped", 21, 0);
        priv_ut_cur = 0;
    }
    return priv_lo + PRIV_UT0 + (seL4_Word)priv_ut_cur;
}

/* Retype from the private untyped, moving on to a fresh one when full. */
static seL4_Word priv_retype(seL4_Word type, seL4_Word bits, seL4_Word dest_root,
                             seL4_Word index, seL4_Word depth, seL4_Word offset)
{
    seL4_Word e = t_retype(priv_ut(), type, bits, dest_root, index, depth, offset, 1);
    if (e == seL4_NotEnoughMemory && priv_ut_cur + 1 < PRIV_UT_N) {
        priv_ut_cur++;
        if (!carve(21, priv_lo + PRIV_UT0 + (seL4_Word)priv_ut_cur, false))
            return seL4_NotEnoughMemory;
        e = t_retype(priv_ut(), type, bits, dest_root, index, depth, offset, 1);
    }
    return e;
}

static void watchdog_start(void);

static void init_private(void)
{
    priv_ut_cur = -1;
    if (priv_retype(seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0,
                    priv_lo + PRIV_EP) != seL4_NoError ||
        priv_retype(seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0,
                    priv_lo + PRIV_NTFN) != seL4_NoError)
        fail("cannot create the root's endpoint and notification", 0, 0);
    watchdog_start();
}

/* A pool untyped (0 if none). */
static seL4_Word pool_ut(void)
{
    return pool_find(CT_UNTYPED);
}

/* ---- children ----------------------------------------------------------------- */

static seL4_Word child_tcb(int i)
{
    return priv_lo + PRIV_CHILD0 + 2 * (seL4_Word)i;
}

static seL4_Word child_gate(int i)
{
    return child_tcb(i) + 1;
}

static void child_reap(int i)
{
    seL4_Word tcb = child_tcb(i), gate = child_gate(i);
    if (ident(tcb) == CT_TCB)
        (void)t_simple(tcb, L_TCB_SUSPEND);
    (void)t_root_delete(tcb);
    (void)t_root_delete(gate);
    if (ident(tcb) != CT_NULL || ident(gate) != CT_NULL)
        fail("a child's TCB or gate slot is not empty after Revoke + Delete", tcb,
             ident(tcb));
    if (children[i].used)
        child_ops_done += SH.pub[i].ops;
    children[i].used = false;
}

static seL4_Word image_frame(const void *page)
{
    uintptr_t va = (uintptr_t)page;
    return bi->userImageFrames.start + (va - (uintptr_t)__executable_start) / 4096;
}

/* A copy of `src` (root slot) into the child's CNode (pool slot `cn`). */
static void child_give(seL4_Word cn, seL4_Word idx, seL4_Word src, seL4_Word rights,
                       seL4_Word badge, bool mint)
{
    (void)t_cnode(mint ? L_CN_MINT : L_CN_COPY, cn, idx, CHILD_RADIX,
                  seL4_CapInitThreadCNode, src, ROOT_DEPTH, rights, badge);
}

static void write_start_regs(seL4_Word tcb, int i, bool resume)
{
    struct inv *v = new_inv(tcb, L_TCB_WRITE, 22);
    v->mr[0] = resume ? 1 : 0;
    v->mr[1] = 20;
    seL4_UserContext *ctx = (seL4_UserContext *)&v->mr[2];
    ctx->rip = (seL4_Word)(uintptr_t)child_main;
    ctx->rsp = CHILD_PRIV_VA + CHILD_STACK - 8;     /* as right after a call */
    ctx->rflags = 0x202;
    ctx->rdi = (seL4_Word)(uintptr_t)&SH.pub[i];
    ctx->rsi = children[i].seed;
    ctx->rdx = CHILD_PRIV_VA;
    v->trusted = true;
    (void)call_err(v);
}

static void child_reset_state(int i)
{
    children[i].seed = rng_next(&R);
    memset((void *)&SH.pub[i], 0, sizeof(SH.pub[i]));
}

/* ---- the children's address spaces ---------------------------------------- */

static seL4_Word cvs(int i, unsigned k)
{
    return priv_lo + PRIV_CVS0 + (seL4_Word)i * CVS_SLOTS + k;
}

enum { CVS_PML4, CVS_PDPT, CVS_PD0, CVS_PT_A, CVS_PT_B, CVS_PD1, CVS_PT_PRIV, CVS_SHARED,
       CVS_PRIV, CVS_RO = CVS_PRIV + CHILD_PRIV_PAGES };

static bool t_map(seL4_Word label, seL4_Word cap, seL4_Word vspace, seL4_Word va,
                  seL4_Word rights)
{
    struct inv *v = new_inv(cap, label, label == L_PAGE_MAP ? 3 : 2);
    v->mr[0] = va;
    v->mr[1] = label == L_PAGE_MAP ? rights : 0;
    v->ncaps = 1;
    v->caps[0] = vspace;
    v->trusted = true;
    return call_err(v) == seL4_NoError;
}

/* Builds child slot i's VSpace (once per reset period): the image's
 * read-only pages (copies of the boot frame caps, mapped read-only), the
 * shared page, and fresh private frames at CHILD_PRIV_VA. */
static bool child_vspace(int i)
{
    if (children[i].vs_ready)
        return true;
    uintptr_t ro_lo = FZ_IMAGE_LO, ro_hi = ((uintptr_t)_tbss_end + 0xFFF) & ~0xFFFUL;
    uintptr_t sh = (uintptr_t)&SH;
    seL4_Word n_ro = (ro_hi - ro_lo) / 4096;
    if (CVS_RO + n_ro > CVS_SLOTS || (sh >> 21) > (ro_lo >> 21) + 1)
        fail("the image does not fit the children's address-space layout", n_ro, sh);
    for (unsigned k = 0; k < CVS_SLOTS; k++) {
        if (ident(cvs(i, k)) != CT_NULL)
            (void)t_root_delete(cvs(i, k));
    }
    seL4_Word pml4 = cvs(i, CVS_PML4);
    static const struct { unsigned slot; seL4_Word type; } tabs[] = {
        { CVS_PML4, seL4_X64_PML4Object }, { CVS_PDPT, seL4_X86_PDPTObject },
        { CVS_PD0, seL4_X86_PageDirectoryObject }, { CVS_PT_A, seL4_X86_PageTableObject },
        { CVS_PT_B, seL4_X86_PageTableObject }, { CVS_PD1, seL4_X86_PageDirectoryObject },
        { CVS_PT_PRIV, seL4_X86_PageTableObject },
    };
    for (unsigned k = 0; k < sizeof(tabs) / sizeof(tabs[0]); k++) {
        if (priv_retype(tabs[k].type, 0, seL4_CapInitThreadCNode, 0, 0, cvs(i, tabs[k].slot)) !=
            seL4_NoError)
            return false;
    }
    for (unsigned k = 0; k < CHILD_PRIV_PAGES; k++) {
        if (priv_retype(seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, cvs(i, CVS_PRIV + k)) !=
            seL4_NoError)
            return false;
    }
    struct inv *v = new_inv(seL4_CapInitThreadASIDPool, L_ASID_ASSIGN, 0);
    v->ncaps = 1;
    v->caps[0] = pml4;
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        return false;
    bool ok = t_map(L_PDPT_MAP, cvs(i, CVS_PDPT), pml4, 0, 0) &&
              t_map(L_PD_MAP, cvs(i, CVS_PD0), pml4, 0, 0) &&
              t_map(L_PT_MAP, cvs(i, CVS_PT_A), pml4, ro_lo & ~0x1FFFFFUL, 0) &&
              t_map(L_PT_MAP, cvs(i, CVS_PT_B), pml4, (ro_lo & ~0x1FFFFFUL) + 0x200000, 0) &&
              t_map(L_PD_MAP, cvs(i, CVS_PD1), pml4, CHILD_PRIV_VA, 0) &&
              t_map(L_PT_MAP, cvs(i, CVS_PT_PRIV), pml4, CHILD_PRIV_VA, 0);
    for (seL4_Word k = 0; ok && k < n_ro; k++) {
        seL4_Word f = cvs(i, CVS_RO + (unsigned)k);
        ok = t_cnode(L_CN_COPY, seL4_CapInitThreadCNode, f, ROOT_DEPTH, seL4_CapInitThreadCNode,
                     image_frame((void *)(ro_lo + k * 4096)), ROOT_DEPTH, 15, 0) == 0 &&
             t_map(L_PAGE_MAP, f, pml4, ro_lo + k * 4096, 2 /* read only */);
    }
    ok = ok && t_cnode(L_CN_COPY, seL4_CapInitThreadCNode, cvs(i, CVS_SHARED), ROOT_DEPTH,
                       seL4_CapInitThreadCNode, image_frame((void *)sh), ROOT_DEPTH, 15, 0) == 0 &&
         t_map(L_PAGE_MAP, cvs(i, CVS_SHARED), pml4, sh, 3);
    for (unsigned k = 0; ok && k < CHILD_PRIV_PAGES; k++)
        ok = t_map(L_PAGE_MAP, cvs(i, CVS_PRIV + k), pml4, CHILD_PRIV_VA + k * 4096, 3);
    children[i].vs_ready = ok;
    return ok;
}

static bool child_create(void)
{
    int i = -1;
    for (int k = 0; k < MAX_CHILDREN; k++) {
        if (!children[k].used) {
            i = k;
            break;
        }
    }
    if (i < 0)
        return false;
    if (!child_vspace(i))
        return false;
    seL4_Word tcb = child_tcb(i), gate = child_gate(i);
    (void)t_root_delete(tcb);
    (void)t_root_delete(gate);
    children[i].used = true;        /* from here on child_reap() cleans up */

    seL4_Word ut = rng_pct(&R, 50) ? pool_ut() : 0, e = 1;
    if (ut != 0)
        e = t_retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    if (e != seL4_NoError)
        e = priv_retype(seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb);
    if (e == seL4_NoError)
        e = priv_retype(seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, gate);
    seL4_Word cn = pool_empty();
    if (e == seL4_NoError) {
        ut = rng_pct(&R, 50) ? pool_ut() : 0;
        e = 1;
        if (ut != 0)
            e = t_retype(ut, seL4_CapTableObject, CHILD_RADIX, seL4_CapInitThreadCNode, 0, 0,
                         cn, 1);
        if (e != seL4_NoError)
            e = priv_retype(seL4_CapTableObject, CHILD_RADIX, seL4_CapInitThreadCNode, 0, 0,
                            cn);
    }
    if (e != seL4_NoError) {
        child_reap(i);
        return false;
    }
    cache(cn);

    /* Its CSpace (fuzz.h): itself, gate, own TCB, the root's endpoint and
     * notification (badged, no receive rights), then random pool caps. */
    seL4_Word guard = seL4_CNode_CapData_new(0, 64 - CHILD_RADIX).words[0];
    if (rng_pct(&R, 50))
        child_give(cn, CS_SELF_CNODE, cn, 15, 0, false);
    else
        child_give(cn, CS_SELF_CNODE, cn, 15, guard, true);
    child_give(cn, CS_GATE, gate, 15, 0, false);
    child_give(cn, CS_SELF_TCB, tcb, 15, 0, false);
    child_give(cn, CS_ROOT_EP, priv_lo + PRIV_EP, 1 | (rng_below(&R, 4) << 2),
               BADGE_NORMAL + (seL4_Word)i, true);
    child_give(cn, CS_ROOT_NTFN, priv_lo + PRIV_NTFN, 1, 1UL << i, true);
    child_give(cn, CS_FAULT_EP, priv_lo + PRIV_EP, 1 | 8 | (rng_below(&R, 2) << 2),
               BADGE_FAULT + (seL4_Word)i, true);
    /* Endpoints and notifications shared with other children. */
    for (unsigned k = (unsigned)rng_range(&R, 1, 4); k > 0; k--) {
        seL4_Word src = pool_find(rng_pct(&R, 70) ? CT_EP : CT_NTFN);
        if (src != 0)
            child_give(cn, rng_range(&R, CS_FIRST_FREE, CHILD_SLOTS - 1), src,
                       rng_pct(&R, 80) ? 15 : rng_below(&R, 16), rng_below(&R, 8),
                       rng_pct(&R, 40));
    }
    unsigned extra = (unsigned)rng_range(&R, 4, 20);
    for (unsigned k = 0; k < extra; k++) {
        seL4_Word src = rng_pct(&R, 90) ? pool_occupied() : rng_below(&R, 16);
        if (!in_pool(src) && !is_copyable_initial(src))
            src = pool_occupied();
        child_give(cn, rng_range(&R, CS_FIRST_FREE, CHILD_SLOTS - 1), src,
                   rng_pct(&R, 70) ? 15 : rng_below(&R, 16), rng_below(&R, 64),
                   rng_pct(&R, 40));
    }

    child_reset_state(i);
    seL4_Word fault_ep = rng_pct(&R, 70) ? CS_FAULT_EP
                         : rng_pct(&R, 50) ? 0 : rng_below(&R, CHILD_SLOTS);
    struct inv *v = new_inv(tcb, L_TCB_CONFIGURE, 4);
    v->mr[0] = fault_ep;
    v->mr[1] = guard;
    v->mr[2] = 0;
    v->mr[3] = CHILD_PRIV_VA + CHILD_IPC_OFF;
    v->ncaps = 3;
    v->caps[0] = cn;
    v->caps[1] = cvs(i, CVS_PML4);
    v->caps[2] = cvs(i, CVS_PRIV + CHILD_IPC_OFF / 4096);
    v->trusted = true;
    if (call_err(v) != seL4_NoError) {
        child_reap(i);
        return false;
    }
    v = new_inv(tcb, L_TCB_SCHED, 2);
    v->mr[0] = rng_range(&R, 0, CHILD_PRIO_MAX);
    v->mr[1] = rng_range(&R, CHILD_PRIO_MIN, CHILD_PRIO_MAX);
    v->ncaps = 1;
    v->caps[0] = seL4_CapInitThreadTCB;
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("SetSchedParams with the root's authority failed", tcb, r_label(v));
    char name[16] = "fz-c0";
    name[4] = (char)('0' + i);
    seL4_DebugNameThread(tcb, name);
    write_start_regs(tcb, i, true);
    /* A copy in the pool for the random operations. */
    seL4_Word copy = pool_empty();
    (void)t_cnode(L_CN_COPY, seL4_CapInitThreadCNode, copy, ROOT_DEPTH,
                  seL4_CapInitThreadCNode, tcb, ROOT_DEPTH, 15, 0);
    cache(copy);
    n_created++;
    return true;
}

static int random_child(void)
{
    int start = (int)rng_below(&R, MAX_CHILDREN);
    for (int k = 0; k < MAX_CHILDREN; k++) {
        int i = (start + k) % MAX_CHILDREN;
        if (children[i].used)
            return i;
    }
    return -1;
}

/*
 * The watchdog. A child may legitimately spin without ever blocking (for
 * example CopyRegisters onto itself with resume_target and transfer_frame
 * re-executes that very system call forever), and while the root shares the
 * CPU at a lower priority it would never get it back. The watchdog thread
 * (priority WD_PRIO, root CSpace and VSpace, trusted code) waits for the
 * PIT's interrupt (IOAPIC pin WD_PIN, ~18 Hz under QEMU); when a share has
 * lasted two ticks it puts the root back at ROOT_PRIO.
 */
static unsigned char wd_stack[8192] __attribute__((aligned(16)));
static unsigned char wd_tls[CHILD_TLS] __attribute__((aligned(64)));
static unsigned char wd_ipc[4096] __attribute__((aligned(4096)));
static volatile uint64_t share_gen, wd_gen, wd_ticks, wd_total, wd_fired;
static volatile int share_active;
static bool wd_ok;

static void watchdog_main(void)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)(void *)wd_ipc);
    for (;;) {
        seL4_Wait(priv_lo + PRIV_WD_NTFN, NULL);
        wd_total++;
        (void)seL4_IRQHandler_Ack(priv_lo + PRIV_WD_IRQ);
        if (!share_active)
            continue;
        if (wd_gen != share_gen) {
            wd_gen = share_gen;
            wd_ticks = 0;
        } else if (++wd_ticks >= 2) {
            wd_fired++;
            (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
        }
    }
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Made at start and after every reset (its objects are private). */
static void watchdog_start(void)
{
    seL4_Word tcb = priv_lo + PRIV_WD_TCB, ntfn = priv_lo + PRIV_WD_NTFN;
    seL4_Word irq = priv_lo + PRIV_WD_IRQ;
    wd_ok = false;
    if (priv_retype(seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb) != seL4_NoError ||
        priv_retype(seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, ntfn) !=
            seL4_NoError)
        fail("cannot create the watchdog", 0, 0);
    struct inv *v = new_inv(seL4_CapIRQControl, L_IRQ_IOAPIC, 7);
    v->mr[0] = irq;
    v->mr[1] = ROOT_DEPTH;
    v->mr[2] = 0;
    v->mr[3] = WD_PIN;
    v->mr[4] = 0;       /* edge */
    v->mr[5] = 0;       /* active high */
    v->mr[6] = WD_VECTOR;
    v->ncaps = 1;
    v->caps[0] = seL4_CapInitThreadCNode;
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("cannot get the PIT's IRQ for the watchdog", r_label(v), 0);
    v = new_inv(irq, L_IRQ_SETNTFN, 0);
    v->ncaps = 1;
    v->caps[0] = ntfn;
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("IRQHandler_SetNotification for the watchdog failed", r_label(v), 0);
    v = new_inv(tcb, L_TCB_CONFIGURE, 4);
    v->mr[3] = (seL4_Word)(uintptr_t)wd_ipc;
    v->ncaps = 3;
    v->caps[0] = seL4_CapInitThreadCNode;
    v->caps[1] = seL4_CapInitThreadVSpace;
    v->caps[2] = image_frame(wd_ipc);
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("TCB_Configure of the watchdog failed", r_label(v), 0);
    if (seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, 0, WD_PRIO) != seL4_NoError)
        fail("SetSchedParams of the watchdog failed", 0, 0);
    seL4_DebugNameThread(tcb, "fuzz-watchdog");
    memset(wd_tls, 0, sizeof(wd_tls));
    v = new_inv(tcb, L_TCB_WRITE, 22);
    v->mr[0] = 1;
    v->mr[1] = 20;
    seL4_UserContext *ctx = (seL4_UserContext *)&v->mr[2];
    ctx->rip = (seL4_Word)(uintptr_t)watchdog_main;
    ctx->rsp = (seL4_Word)(uintptr_t)(wd_stack + sizeof(wd_stack)) - 8;
    ctx->rflags = 0x202;
    ctx->fs_base = arca_tls_init(wd_tls, sizeof(wd_tls));
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("starting the watchdog failed", r_label(v), 0);
    /* Is the PIT ticking? Wait (at most ~0.5 s of TSC time) for a tick,
     * below the watchdog's priority so that it can take it. */
    uint64_t before = wd_total, t0 = rdtsc();
    if (seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, WD_PRIO - 1) !=
        seL4_NoError)
        fail("the root cannot lower its priority", WD_PRIO - 1, 0);
    while (wd_total == before && rdtsc() - t0 < 2000000000ULL)
        ;
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
    wd_ok = wd_total != before;
    if (!wd_ok)
        out_str("fuzz: no PIT interrupt: no watchdog, shares run at the top child priority\n");
}

/* Let the children run: the root drops to a child priority and yields;
 * everything above it runs until the budget is used up (or the watchdog
 * ends the share). */
static uint64_t last_share_ops[MAX_CHILDREN];

static void child_restart(int i)
{
    seL4_Word tcb = child_tcb(i);
    if (ident(tcb) != CT_TCB)
        return;
    (void)t_simple(tcb, L_TCB_SUSPEND);
    child_ops_done += SH.pub[i].ops;
    child_reset_state(i);
    write_start_regs(tcb, i, true);
}

static void share(void)
{
    /* Children stuck since the last share (blocked for good, faulted, never
     * scheduled) are sometimes restarted from the top. */
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].used && SH.pub[i].ops == last_share_ops[i] && rng_pct(&R, 15))
            child_restart(i);
    }
    SH.budget = (long)rng_range(&R, 1, 300);
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].used && rng_pct(&R, 80))
            seL4_Signal(child_gate(i));
    }
    seL4_Word p = wd_ok ? rng_range(&R, CHILD_PRIO_MIN, CHILD_PRIO_MAX) : CHILD_PRIO_MAX;
    uint64_t ops_before[MAX_CHILDREN], fired = wd_fired;
    for (int i = 0; i < MAX_CHILDREN; i++)
        ops_before[i] = SH.pub[i].ops;
#if FUZZ_TRACE
    out_char('@');
    out_dec(op_no);
    out_str(" share prio ");
    out_dec(p);
    out_str(" budget ");
    out_dec((seL4_Word)SH.budget);
    out_char('\n');
#endif
    share_gen++;
    share_active = 1;
    if (seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, p) != seL4_NoError)
        fail("the root cannot lower its priority", p, 0);
    unsigned n = (unsigned)rng_range(&R, 1, 4);
    for (unsigned k = 0; k < n; k++)
        seL4_Yield();
    if (seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO) !=
        seL4_NoError)
        fail("the root cannot restore its priority", ROOT_PRIO, 0);
    share_active = 0;
    SH.budget = 0;
    for (int i = 0; i < MAX_CHILDREN; i++)
        last_share_ops[i] = SH.pub[i].ops;
    if (wd_fired != fired) {
        /* Somebody spun: stop the children that made no progress. */
        n_spins++;
        out_str("fuzz: watchdog ended the share at op ");
        out_dec(op_no);
        out_str(", stopping children without progress:");
        bool stop[MAX_CHILDREN];
        for (int i = 0; i < MAX_CHILDREN; i++) {
            stop[i] = children[i].used && SH.pub[i].ops == ops_before[i] &&
                      SH.pub[i].phase == 0;
            if (stop[i]) {
                out_char(' ');
                out_dec((seL4_Word)i);
            }
        }
        out_char('\n');
        for (int i = 0; i < MAX_CHILDREN; i++) {
            if (stop[i])
                child_reap(i);
        }
    }
}

/* ---- operations ------------------------------------------------------------------ */

static void op_raw(void)
{
    op_name = "raw";
    seL4_Word cptr = pick_invoked();
    unsigned type = cptr < ROOT_SLOTS ? (unsigned)ident(cptr) : CT_NULL;
    struct inv *v = new_inv(0, 0, 0);
    gen_invocation(&G, v, cptr, type);
    unsigned s = (unsigned)rng_below(&R, 100);
    v->sys = s < 80 ? S_CALL : s < 90 ? S_SEND : S_NBSEND;
    run(v);
}

static void op_retype(void)
{
    op_name = "retype";
    seL4_Word ut = pool_ut();
    if (ut == 0 || rng_pct(&R, 5))
        ut = pool_occupied();
    struct inv *v = new_inv(ut, L_RETYPE, 6);
    seL4_Word type = rng_pct(&R, 95) ? rng_below(&R, seL4_ObjectTypeCount)
                                     : rng_range(&R, seL4_ObjectTypeCount, 20);
    v->mr[0] = type;
    v->mr[1] = gen_obj_size(&R, type);
    v->ncaps = 1;
    unsigned c = (unsigned)rng_below(&R, 100);
    seL4_Word num = rng_pct(&R, 70) ? 1 : rng_pct(&R, 90) ? rng_range(&R, 2, 6)
                                                           : rng_below(&R, 300);
    if (c < 65) {
        v->caps[0] = seL4_CapInitThreadCNode;
        v->mr[2] = 0;
        v->mr[3] = 0;
        v->mr[4] = pool_empty();
    } else if (c < 90) {
        v->caps[0] = seL4_CapInitThreadCNode;
        seL4_Word cn = pool_find(CT_CNODE);
        v->mr[2] = cn != 0 ? cn : pool_rand();
        v->mr[3] = ROOT_DEPTH;
        v->mr[4] = rng_below(&R, CHILD_SLOTS);
    } else {
        seL4_Word cn = pool_find(CT_CNODE);
        v->caps[0] = cn != 0 ? cn : pool_rand();
        v->mr[2] = 0;
        v->mr[3] = 0;
        v->mr[4] = rng_below(&R, CHILD_SLOTS);
    }
    v->mr[5] = num;
    if (rng_pct(&R, 5))
        v->len = (uint8_t)rng_below(&R, 8);
    run(v);
    for (seL4_Word k = 0; k < 8; k++)
        cache(v->mr[4] + k);
}

static void op_cnode(void)
{
    op_name = "cnode";
    static const uint8_t labels[] = {
        L_CN_COPY, L_CN_COPY, L_CN_COPY, L_CN_MINT, L_CN_MINT, L_CN_MINT, L_CN_MOVE,
        L_CN_MOVE, L_CN_MUTATE, L_CN_ROTATE, L_CN_DELETE, L_CN_DELETE, L_CN_DELETE,
        L_CN_REVOKE, L_CN_REVOKE, L_CN_CANCEL, L_CN_SAVECALLER,
    };
    seL4_Word label = labels[rng_below(&R, sizeof(labels))];
    bool root_cn = rng_pct(&R, 75);
    seL4_Word cn = root_cn ? seL4_CapInitThreadCNode : pool_find(CT_CNODE);
    if (cn == 0)
        cn = seL4_CapInitThreadCNode, root_cn = true;
    struct inv *v = new_inv(cn, label, 2);
    bool needs_empty = label == L_CN_COPY || label == L_CN_MINT || label == L_CN_MOVE ||
                       label == L_CN_MUTATE || label == L_CN_ROTATE ||
                       label == L_CN_SAVECALLER;
    if (root_cn) {
        v->mr[0] = needs_empty && rng_pct(&R, 85) ? pool_empty() : pool_occupied();
        v->mr[1] = rng_pct(&R, 92) ? ROOT_DEPTH : gen_depth(&G);
    } else {
        v->mr[0] = rng_below(&R, CHILD_SLOTS);
        v->mr[1] = rng_pct(&R, 60) ? CHILD_RADIX : gen_depth(&G);
    }
    bool src_root = rng_pct(&R, 75);
    seL4_Word src_cn = src_root ? seL4_CapInitThreadCNode : pool_find(CT_CNODE);
    if (src_cn == 0)
        src_cn = seL4_CapInitThreadCNode, src_root = true;
    seL4_Word src, src_depth;
    if (src_root) {
        src = rng_pct(&R, 8) ? rng_below(&R, 16) : pool_occupied();
        src_depth = rng_pct(&R, 92) ? ROOT_DEPTH : gen_depth(&G);
    } else {
        src = rng_below(&R, CHILD_SLOTS);
        src_depth = rng_pct(&R, 60) ? CHILD_RADIX : gen_depth(&G);
    }
    seL4_Word rights = rng_pct(&R, 60) ? 15 : rng_below(&R, 16);
    seL4_Word badge = rng_pct(&R, 70) ? rng_below(&R, 100) : gen_word(&G);
    switch (label) {
    case L_CN_COPY:
    case L_CN_MINT:
    case L_CN_MOVE:
    case L_CN_MUTATE:
        v->mr[2] = src;
        v->mr[3] = src_depth;
        v->mr[4] = label == L_CN_MUTATE ? (rng_pct(&R, 50) ? 0 : gen_word(&G)) : rights;
        v->mr[5] = badge;
        v->len = label == L_CN_MINT ? 6 : label == L_CN_MOVE ? 4 : 5;
        v->ncaps = 1;
        v->caps[0] = src_cn;
        break;
    case L_CN_ROTATE: {
        bool piv_root = rng_pct(&R, 75);
        seL4_Word piv_cn = piv_root ? seL4_CapInitThreadCNode : pool_find(CT_CNODE);
        if (piv_cn == 0)
            piv_cn = seL4_CapInitThreadCNode, piv_root = true;
        v->mr[2] = rng_pct(&R, 60) ? 0 : badge;
        v->mr[3] = piv_root ? pool_occupied() : rng_below(&R, CHILD_SLOTS);
        v->mr[4] = piv_root ? ROOT_DEPTH : CHILD_RADIX;
        v->mr[5] = rng_pct(&R, 60) ? 0 : gen_word(&G);
        v->mr[6] = src;
        v->mr[7] = src_depth;
        v->len = 8;
        v->ncaps = 2;
        v->caps[0] = piv_cn;
        v->caps[1] = src_cn;
        break;
    }
    default:
        break;
    }
    if (rng_pct(&R, 4))
        v->len = (uint8_t)rng_below(&R, 9);
    run(v);
}

static void op_vm(void)
{
    op_name = "vm";
    unsigned c = (unsigned)rng_below(&R, 100);
    if (c < 15) {
        /* A new address space. */
        seL4_Word ut = pool_ut();
        if (ut == 0)
            return;
        seL4_Word s = pool_empty();
        struct inv *v = new_inv(ut, L_RETYPE, 6);
        v->mr[0] = seL4_X64_PML4Object;
        v->mr[4] = s;
        v->mr[5] = 1;
        v->ncaps = 1;
        v->caps[0] = seL4_CapInitThreadCNode;
        run(v);
        seL4_Word pool = rng_pct(&R, 80) ? seL4_CapInitThreadASIDPool : pool_find(CT_ASID_POOL);
        v = new_inv(pool != 0 ? pool : seL4_CapInitThreadASIDPool, L_ASID_ASSIGN, 0);
        v->ncaps = 1;
        v->caps[0] = s;
        run(v);
        return;
    }
    if (c < 70) {
        /* Map something into some address space. */
        static const uint8_t types[] = { CT_PDPT, CT_PD, CT_PT, CT_PT, CT_FRAME, CT_FRAME,
                                         CT_FRAME };
        static const uint8_t objs[] = { seL4_X86_PDPTObject, seL4_X86_PageDirectoryObject,
                                        seL4_X86_PageTableObject, seL4_X86_PageTableObject,
                                        seL4_X86_4K, seL4_X86_4K, seL4_X86_LargePageObject };
        static const uint8_t maps[] = { L_PDPT_MAP, L_PD_MAP, L_PT_MAP, L_PT_MAP, L_PAGE_MAP,
                                        L_PAGE_MAP, L_PAGE_MAP };
        unsigned k = (unsigned)rng_below(&R, sizeof(types));
        seL4_Word obj = rng_pct(&R, 50) ? pool_find(types[k]) : 0;
        if (obj == 0) {
            seL4_Word ut = pool_ut();
            if (ut == 0)
                return;
            obj = pool_empty();
            struct inv *v = new_inv(ut, L_RETYPE, 6);
            v->mr[0] = objs[k];
            v->mr[4] = obj;
            v->mr[5] = 1;
            v->ncaps = 1;
            v->caps[0] = seL4_CapInitThreadCNode;
            run(v);
        }
        seL4_Word vs = pool_find(CT_PML4);
        if (vs == 0 || rng_pct(&R, 10))
            vs = seL4_CapInitThreadVSpace;     /* refused for frames by sanitize() */
        struct inv *v = new_inv(obj, maps[k], maps[k] == L_PAGE_MAP ? 3 : 2);
        v->mr[0] = gen_vaddr(&R);
        if (maps[k] == L_PAGE_MAP) {
            v->mr[1] = rng_pct(&R, 70) ? 3 : rng_below(&R, 16);
            v->mr[2] = rng_pct(&R, 80) ? 0 : rng_below(&R, 8);
        } else {
            v->mr[1] = rng_pct(&R, 80) ? 0 : rng_below(&R, 8);
        }
        v->ncaps = 1;
        v->caps[0] = vs;
        run(v);
        return;
    }
    if (c < 90) {
        static const uint8_t types[] = { CT_PDPT, CT_PD, CT_PT, CT_FRAME };
        static const uint8_t unmaps[] = { L_PDPT_UNMAP, L_PD_UNMAP, L_PT_UNMAP, L_PAGE_UNMAP };
        unsigned k = (unsigned)rng_below(&R, 4);
        seL4_Word obj = pool_find(types[k]);
        if (obj != 0)
            run(new_inv(obj, unmaps[k], 0));
        return;
    }
    seL4_Word f = pool_find(CT_FRAME);
    if (f != 0)
        run(new_inv(f, L_PAGE_ADDR, 0));
}

static void op_thread(void)
{
    op_name = "thread";
    unsigned c = (unsigned)rng_below(&R, 100);
    int i = random_child();
    if (c < 50 || i < 0) {
        if (!child_create() && i >= 0) {
            child_reap(i);      /* all in use: make room for the next one */
            (void)child_create();
        }
        return;
    }
    if (c < 70) {
        child_reap(i);
        return;
    }
    if (c < 85) {
        child_restart(i);       /* from the top, registers and state fresh */
        return;
    }
    /* A debug name: a TCB gets a random (sometimes unterminated) one. */
    seL4_Word tcb = rng_pct(&R, 70) ? child_tcb(i) : pool_find(CT_TCB);
    if (tcb == 0 || ident(tcb) != CT_TCB)
        return;
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    char *name = (char *)b->msg;
    size_t n = rng_pct(&R, 95) ? (size_t)rng_below(&R, 40) : sizeof(b->msg);
    for (size_t k = 0; k < n; k++)
        name[k] = (char)rng_range(&R, 0x21, 0x7E);
    if (n < sizeof(b->msg))
        name[n] = '\0';
    out_str("@");
    out_dec(op_no);
    out_str(" DebugNameThread ");
    out_hex(tcb);
    out_char('\n');
    (void)arca_debug_call(seL4_SysDebugNameThread, tcb);
}

/* Structured TCB operations on the children. */
static void op_tcb(void)
{
    op_name = "tcb";
    int i = random_child();
    seL4_Word tcb;
    bool trusted;
    if (i >= 0 && rng_pct(&R, 40)) {
        tcb = child_tcb(i);
        trusted = true;
    } else {
        tcb = pool_find(CT_TCB);
        trusted = false;
        if (tcb == 0)
            return;
    }
    struct inv *v;
    switch (rng_below(&R, 11)) {
    case 0:
        v = new_inv(tcb, L_TCB_SUSPEND, 0);
        break;
    case 1:
    case 2:
        v = new_inv(tcb, L_TCB_RESUME, 0);
        break;
    case 3:
        v = new_inv(tcb, L_TCB_SETPRIO, 1);
        v->mr[0] = rng_pct(&R, 85) ? rng_range(&R, CHILD_PRIO_MIN, CHILD_PRIO_MAX)
                                   : rng_range(&R, 0, CHILD_PRIO_MAX);
        v->ncaps = 1;
        v->caps[0] = seL4_CapInitThreadTCB;
        break;
    case 4:
        v = new_inv(tcb, L_TCB_SETMCP, 1);
        v->mr[0] = rng_range(&R, 0, CHILD_PRIO_MAX);
        v->ncaps = 1;
        v->caps[0] = rng_pct(&R, 80) ? seL4_CapInitThreadTCB : tcb;
        break;
    case 5: {
        seL4_Word n = pool_find(CT_NTFN);
        if (n == 0)
            return;
        v = new_inv(tcb, L_TCB_BIND, 0);
        v->ncaps = 1;
        v->caps[0] = n;
        break;
    }
    case 6:
        v = new_inv(tcb, L_TCB_UNBIND, 0);
        break;
    case 7:
        v = new_inv(tcb, L_TCB_READ, 2);
        v->mr[0] = rng_below(&R, 2);
        v->mr[1] = rng_range(&R, 1, 20);
        break;
    case 8: {
        v = new_inv(tcb, L_TCB_WRITE, 22);
        v->mr[0] = rng_below(&R, 2);
        v->mr[1] = rng_range(&R, 0, 20);
        for (int k = 2; k < 22; k++)
            v->mr[k] = gen_word(&G);
        break;
    }
    case 9: {
        int j = random_child();
        if (j < 0)
            return;
        v = new_inv(tcb, L_TCB_COPY, 1);
        v->mr[0] = rng_below(&R, 16);
        v->ncaps = 1;
        v->caps[0] = rng_pct(&R, 50) ? child_tcb(j) : pool_find(CT_TCB);
        break;
    }
    default:
        v = new_inv(tcb, rng_pct(&R, 50) ? L_TCB_TLS : L_TCB_FLAGS, 2);
        v->mr[0] = gen_word(&G);
        v->mr[1] = rng_below(&R, 4);
        break;
    }
    v->trusted = trusted;
    run(v);
}

/* The root's own IPC: receive what the children sent, reply, signal. */
static void op_ripc(void)
{
    op_name = "ipc";
    unsigned c = (unsigned)rng_below(&R, 100);
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    for (unsigned n = (unsigned)rng_range(&R, 1, 4); c < 50 && n > 0; n--) {
        b->receiveCNode = seL4_CapInitThreadCNode;
        b->receiveIndex = pool_empty();
        b->receiveDepth = rng_pct(&R, 90) ? ROOT_DEPTH : gen_depth(&G);
        struct inv *v = new_inv(priv_lo + PRIV_EP, 0, 0);
        v->sys = S_NBRECV;
        v->trusted = true;
        run(v);
        cache(b->receiveIndex);
        seL4_Word l = r_label(v), badge = v->r_badge;   /* v is reused below */
        if (badge != 0)
            n_msgs++;
        if ((badge & BADGE_FAULT) &&
            (l == seL4_Fault_CapFault || l == seL4_Fault_UnknownSyscall ||
             l == seL4_Fault_UserException || l == seL4_Fault_VMFault)) {
            n_faults++;
            cov_fault(l);
        }
        unsigned d = (unsigned)rng_below(&R, 100);
        if (badge != 0 && d < 70) {
            struct inv *w = new_inv(0, 0, 0);
            gen_invocation(&G, w, 0, CT_REPLY);
            w->label = rng_pct(&R, 60) ? 0 : rng_below(&R, 8);
            w->len = (uint8_t)rng_below(&R, 24);
            w->sys = S_REPLY;
            w->ctype = CT_REPLY;
            run(w);
        } else if (badge != 0 && d < 75) {
            struct inv *w = new_inv(seL4_CapInitThreadCNode, L_CN_SAVECALLER, 2);
            w->mr[0] = pool_empty();
            w->mr[1] = ROOT_DEPTH;
            run(w);
        }
        if (badge == 0)
            break;
    }
    if (c < 50)
        return;
    if (c < 65) {
        struct inv *v = new_inv(priv_lo + PRIV_NTFN, 0, 0);
        v->sys = S_NBRECV;
        v->trusted = true;
        run(v);
        return;
    }
    struct inv *v = new_inv(0, 0, 0);
    if (c < 75) {
        gen_invocation(&G, v, 0, CT_REPLY);
        v->sys = S_REPLY;
        v->ctype = CT_REPLY;
    } else if (c < 85) {
        seL4_Word ep = pool_find(CT_EP);
        if (ep == 0)
            return;
        gen_invocation(&G, v, ep, CT_EP);
        v->sys = S_NBSEND;
    } else if (c < 95) {
        seL4_Word n = pool_find(CT_NTFN);
        if (n == 0)
            n = pool_occupied();
        gen_invocation(&G, v, n, CT_NTFN);
        v->sys = rng_pct(&R, 50) ? S_SEND : S_NBSEND;
    } else {
        v->sys = S_YIELD;
        v->trusted = true;
    }
    run(v);
}

static void op_debug(void)
{
    op_name = "debug";
    unsigned c = (unsigned)rng_below(&R, 1000);
    if (c < 995) {
        seL4_Word w = rng_pct(&R, 50) ? root_pick(&G, CT_ANY) : gen_word(&G);
        (void)ident(w);
        return;
    }
    out_str("@");
    out_dec(op_no);
    if (c < 999) {
        out_str(" DebugDumpScheduler\n");
        seL4_DebugDumpScheduler();
    } else {
        out_str(" DebugSnapshot\n");
        seL4_DebugSnapshot();
    }
}

static void op_irqio(void)
{
    op_name = "irqio";
    unsigned c = (unsigned)rng_below(&R, 100);
    struct inv *v;
    if (c < 25) {
        seL4_Word ctl = rng_pct(&R, 70) ? seL4_CapIRQControl : pool_find(CT_IRQ_CONTROL);
        if (ctl == 0)
            ctl = seL4_CapIRQControl;
        bool msi = rng_pct(&R, 40);
        v = new_inv(ctl, msi ? L_IRQ_MSI : L_IRQ_IOAPIC, 7);
        v->mr[0] = pool_empty();
        v->mr[1] = ROOT_DEPTH;
        v->mr[2] = msi ? rng_below(&R, 4) : (rng_pct(&R, 95) ? 0 : rng_below(&R, 3));
        v->mr[3] = msi ? rng_below(&R, 32) : rng_below(&R, 25);
        v->mr[4] = msi ? rng_below(&R, 8) : rng_below(&R, 2);
        v->mr[5] = msi ? rng_below(&R, 1000) : rng_below(&R, 2);
        v->mr[6] = rng_pct(&R, 95) ? rng_below(&R, 108) : rng_below(&R, 200);
        v->ncaps = 1;
        v->caps[0] = seL4_CapInitThreadCNode;
    } else if (c < 50) {
        seL4_Word h = pool_find(CT_IRQ_HANDLER);
        if (h == 0)
            return;
        unsigned k = (unsigned)rng_below(&R, 3);
        v = new_inv(h, k == 0 ? L_IRQ_ACK : k == 1 ? L_IRQ_SETNTFN : L_IRQ_CLEAR, 0);
        if (k == 1) {
            v->ncaps = 1;
            v->caps[0] = pool_find(CT_NTFN);
            if (v->caps[0] == 0)
                v->caps[0] = pool_occupied();
        }
    } else if (c < 65) {
        v = new_inv(seL4_CapIOPortControl, L_IOP_ISSUE, 4);
        v->mr[2] = pool_empty();
        v->mr[3] = ROOT_DEPTH;
        v->ncaps = 1;
        v->caps[0] = seL4_CapInitThreadCNode;
    } else if (c < 85) {
        seL4_Word p = pool_find(CT_IO_PORT);
        if (p == 0)
            return;
        seL4_Word l = rng_range(&R, L_IOP_IN8, L_IOP_OUT32);
        v = new_inv(p, l, l >= L_IOP_OUT8 ? 2 : 1);
        v->mr[0] = rng_pct(&R, 90) ? rng_range(&R, 0x80, 0x8F) : rng_below(&R, 0x10000);
        v->mr[1] = rng_next(&R);
    } else {
        /* A new ASID pool from a fresh 4 KiB untyped. */
        seL4_Word u = pool_empty();
        if (!carve(12, u, false))
            return;
        cache(u);
        seL4_Word ctl = rng_pct(&R, 80) ? seL4_CapASIDControl : pool_find(CT_ASID_CONTROL);
        v = new_inv(ctl != 0 ? ctl : seL4_CapASIDControl, L_ASID_MAKEPOOL, 2);
        v->mr[0] = pool_empty();
        v->mr[1] = ROOT_DEPTH;
        v->ncaps = 2;
        v->caps[0] = u;
        v->caps[1] = seL4_CapInitThreadCNode;
    }
    run(v);
}

static void op_carve(void)
{
    op_name = "carve";
    seL4_Word s = pool_empty();
    if (ident(s) != CT_NULL)
        return;
    bool device = rng_pct(&R, 5);
    unsigned bits = rng_pct(&R, 20) ? (unsigned)rng_range(&R, 12, 17)
                                    : (unsigned)rng_range(&R, 18, device ? 24 : 22);
    (void)carve(bits, s, device);
    cache(s);
}

/* ---- reset: reclaim everything and check the kernel's bookkeeping ------------ */

static seL4_Word free_bytes(seL4_Word ut)
{
    seL4_Word scratch = priv_lo + PRIV_SCRATCH;
    struct inv *v = new_inv(ut, L_RETYPE, 6);
    v->mr[0] = seL4_UntypedObject;
    v->mr[1] = 47;
    v->mr[4] = scratch;
    v->mr[5] = 1;
    v->ncaps = 1;
    v->caps[0] = seL4_CapInitThreadCNode;
    v->trusted = true;
    run(v);
    if (r_label(v) == seL4_NoError) {
        (void)t_root_delete(scratch);
        return (seL4_Word)-1;
    }
    return r_label(v) == seL4_NotEnoughMemory ? v->r_mr[0] : (seL4_Word)-2;
}

static void check_boot_slots(const char *when)
{
    for (seL4_Word s = 0; s < ROOT_SLOTS; s++) {
        if (in_pool(s) || in_priv(s))
            continue;
        seL4_Word t = ident(s);
        if (t != initial_type[s]) {
            out_str("fuzz: slot ");
            out_dec(s);
            out_str(" changed ");
            out_str(when);
            out_char('\n');
            fail("a protected root CNode slot changed type", s,
                 (seL4_Word)initial_type[s] << 8 | t);
        }
    }
}

static void reset(void)
{
    op_name = "reset";
    out_str("fuzz: reset at op ");
    out_dec(op_no);
    out_char('\n');
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].used && ident(child_tcb(i)) == CT_TCB)
            (void)t_simple(child_tcb(i), L_TCB_SUSPEND);
    }
    /* Everything the fuzzer made derives from a carved boot untyped. */
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    for (seL4_Word i = 0; i < n; i++) {
        if (carved[i])
            (void)t_cnode(L_CN_REVOKE, seL4_CapInitThreadCNode, bi->untyped.start + i,
                          ROOT_DEPTH, 0, 0, 0, 0, 0);
    }
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].used)
            child_reap(i);
        children[i].vs_ready = false;   /* its objects were revoked above */
    }
    /* What is left: IRQ handlers, I/O ports, copies of boot caps, replies. */
    for (seL4_Word s = pool_lo; s < pool_hi; s++) {
        if (ident(s) != CT_NULL)
            (void)t_root_delete(s);
        if (ident(s) != CT_NULL)
            fail("a pool slot is not empty after Revoke + Delete", s, ident(s));
        pool_type[s - pool_lo] = CT_NULL;
    }
    for (seL4_Word s = priv_lo; s < priv_lo + PRIV_N; s++) {
        if (ident(s) != CT_NULL)
            (void)t_root_delete(s);
        if (ident(s) != CT_NULL)
            fail("a private slot is not empty after Revoke + Delete", s, ident(s));
    }
    /* Every carved boot untyped must be whole again. */
    for (seL4_Word i = 0; i < n; i++) {
        if (!carved[i])
            continue;
        seL4_Word want = 1UL << bi->untypedList[i].sizeBits;
        seL4_Word got = free_bytes(bi->untyped.start + i);
        if (got != want)
            fail("a boot untyped is not fully free after revoking everything", i, got);
        carved[i] = false;
    }
    check_boot_slots("after reset");
    /* No leaked ASID pools or I/O ports: both must be available again. */
    seL4_Word u = pool_lo;
    if (carve(12, u, false)) {
        struct inv *v = new_inv(seL4_CapASIDControl, L_ASID_MAKEPOOL, 2);
        v->mr[0] = pool_lo + 1;
        v->mr[1] = ROOT_DEPTH;
        v->ncaps = 2;
        v->caps[0] = u;
        v->caps[1] = seL4_CapInitThreadCNode;
        v->trusted = true;
        if (call_err(v) != seL4_NoError)
            fail("ASIDControl_MakePool fails after every pool was deleted", r_label(v), 0);
    }
    struct inv *v = new_inv(seL4_CapIOPortControl, L_IOP_ISSUE, 4);
    v->mr[0] = 0x80;
    v->mr[1] = 0x8F;
    v->mr[2] = pool_lo + 2;
    v->mr[3] = ROOT_DEPTH;
    v->ncaps = 1;
    v->caps[0] = seL4_CapInitThreadCNode;
    v->trusted = true;
    if (call_err(v) != seL4_NoError)
        fail("IOPortControl_Issue of 0x80-0x8F fails after every I/O port cap was deleted",
             r_label(v), 0);
    for (seL4_Word s = pool_lo; s < pool_lo + 3; s++)
        cache(s);
    init_private();
    n_resets++;
}

/* ---- main ------------------------------------------------------------------------ */

static void progress(uint64_t done)
{
    uint64_t cops = child_ops_done;
    unsigned live = 0;
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].used) {
            cops += SH.pub[i].ops;
            live++;
        }
    }
    out_str("fuzz: op ");
    out_dec(done);
    out_char('/');
    out_dec(FUZZ_OPS);
    out_str(": ");
    out_dec(n_calls);
    out_str(" calls, ");
    out_dec(n_errors);
    out_str(" errors, ");
    out_dec(n_faults);
    out_str(" faults, ");
    out_dec(n_msgs);
    out_str(" msgs, ");
    out_dec(live);
    out_str(" children (");
    out_dec(n_created);
    out_str(" made, ");
    out_dec(cops);
    out_str(" child ops), ");
    out_dec(n_resets);
    out_str(" resets, ");
    out_dec(n_spins);
    out_str(" watchdog, checksum ");
    out_hex(checksum);
    out_char('\n');
}

int main(void)
{
    bi = arca_bootinfo();
    priv_lo = bi->empty.start;
    pool_lo = priv_lo + PRIV_N;
    pool_hi = pool_lo + POOL_N;
    if (pool_hi + 16 > bi->empty.end) {
        out_str("fuzz: not enough empty slots in the root CNode\n");
        finish();
    }
    rng_seed(&R, FUZZ_SEED);
    G.r = &R;
    G.pick = root_pick;
    G.slot = root_slot;
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "fuzz-root");

    out_str("fuzz: start seed ");
    out_dec(FUZZ_SEED);
    out_str(" ops ");
    out_dec(FUZZ_OPS);
    out_str(" trace ");
    out_dec(FUZZ_TRACE);
    out_str(", private slots ");
    out_dec(priv_lo);
    out_str(".., pool ");
    out_dec(pool_lo);
    out_str("..");
    out_dec(pool_hi - 1);
    out_str(", image ");
    out_hex(FZ_IMAGE_LO);
    out_char('-');
    out_hex(FZ_IMAGE_HI);
    out_char('\n');

    for (seL4_Word s = 0; s < ROOT_SLOTS; s++)
        initial_type[s] = (uint8_t)ident(s);
    init_private();

    static const struct { void (*fn)(void); unsigned weight; } ops[] = {
        { op_raw, 29 }, { op_retype, 11 }, { op_cnode, 14 }, { op_vm, 9 },
        { op_thread, 6 }, { op_tcb, 7 }, { share, 8 }, { op_ripc, 8 }, { op_debug, 3 },
        { op_irqio, 3 }, { op_carve, 2 },
    };
    unsigned total = 0;
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
        total += ops[k].weight;

    uint64_t next_reset = rng_range(&R, 2000, 5000);
    for (op_no = 0; op_no < FUZZ_OPS; op_no++) {
        sub_no = 0;
        if (op_no == next_reset) {
            reset();
            next_reset = op_no + rng_range(&R, 2000, 5000);
        }
        /* Keep some untyped memory in the pool. */
        if (pool_ut() == 0)
            op_carve();
        unsigned w = (unsigned)rng_below(&R, total);
        for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
            if (w < ops[k].weight) {
                if (ops[k].fn == share)
                    op_name = "share";
                ops[k].fn();
                break;
            }
            w -= ops[k].weight;
        }
        if ((op_no + 1) % 1000 == 0)
            progress(op_no + 1);
#if !FUZZ_TRACE
        if ((op_no + 1) % 2000 == 0)
            print_ring("periodic");
#endif
    }
    reset();        /* reclaim everything: the final consistency checks */
    progress(op_no);
    print_ring("end");
    cov_print();
    print_summary("done");
    finish();
}
