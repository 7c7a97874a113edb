/*
 * Child threads: each runs random system calls in its own CSpace (a CNode
 * of 2^CHILD_RADIX slots that holds only objects the fuzzer created; layout
 * in fuzz.h) and its own VSpace (the root image's code read-only, the shared
 * page, private stack, TLS block and IPC buffer: it cannot touch the root's
 * memory, even when its registers are copied from another thread).  It takes one unit of the shared budget per operation; when the
 * budget is used up it waits on its gate notification until the root lets
 * the children run again.  Children may block, fault or be destroyed at
 * any time: nothing in the root depends on them.
 */
#include <arca/runtime.h>
#include "fuzz.h"

static bool budget_take(void)
{
    return __atomic_sub_fetch(&SH.budget, 1, __ATOMIC_RELAXED) >= 0;
}

static seL4_Word child_slot(struct gctx *g)
{
    rng_t *r = g->r;
    if (rng_pct(r, 85))
        return rng_below(r, CHILD_SLOTS);
    if (rng_pct(r, 50))
        return rng_below(r, 16);
    return filter_word(rng_next(r) >> rng_below(r, 64));
}

static seL4_Word child_pick(struct gctx *g, unsigned type)
{
    rng_t *r = g->r;
    if (type != CT_ANY) {
        for (int i = 0; i < 8; i++) {
            seL4_Word s = rng_below(r, CHILD_SLOTS);
            if (seL4_DebugCapIdentify(s) == type)
                return s;
        }
    }
    unsigned c = (unsigned)rng_below(r, 1000);
    if (c < 960)
        return rng_below(r, CHILD_SLOTS);
    if (c < 990)
        return 0;
    /* A cptr that cannot be resolved: the child takes a cap fault. */
    return filter_word(CHILD_SLOTS + rng_below(r, 1UL << 20));
}

/* System call numbers the kernel does not provide (never DebugHalt, and
 * none of the debug calls that print). */
static seL4_Word bad_sysno(rng_t *r)
{
    long n;
    switch (rng_below(r, 4)) {
    case 0:
        return (seL4_Word)-(long)rng_range(r, 15, 29);
    case 1:
        return (seL4_Word)-(long)rng_range(r, 31, 80);
    case 2:
        return rng_below(r, 64);
    default:
        n = (long)rng_next(r);
        if (n >= -30 && n <= -1)
            n = 12345;
        return (seL4_Word)n;
    }
}

static void record(struct child_pub *c, const struct inv *v)
{
    uint32_t pos = c->ring_pos;
    struct child_op_rec *rec = &c->ring[pos % CHILD_RING];
    rec->n = (uint32_t)c->ops;
    rec->sys = v->sys;
    rec->cptr = (uint8_t)(v->cptr < 255 ? v->cptr : 255);
    rec->label = (uint16_t)(v->label < 0xFFFF ? v->label : 0xFFFF);
    rec->result = (uint16_t)(r_label(v) < 0xFFFF ? r_label(v) : 0xFFFF);
    c->ring_pos = pos + 1;
}

static void child_op(struct child_pub *c, struct gctx *g, struct inv *v)
{
    rng_t *r = g->r;
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    unsigned k = (unsigned)rng_below(r, 1000);

    if (k < 700) {
        unsigned s = (unsigned)rng_below(r, 100);
        unsigned sys = s < 50 ? S_CALL : s < 62 ? S_SEND : s < 74 ? S_NBSEND : s < 82 ? S_RECV
                     : s < 90 ? S_NBRECV : s < 95 ? S_REPLYRECV : S_REPLY;
        /* Receiving mostly from something that can be received from (else
         * the thread takes a cap fault and is gone). */
        unsigned want = CT_ANY;
        if (sys == S_RECV || sys == S_NBRECV || sys == S_REPLYRECV) {
            unsigned w = (unsigned)rng_below(r, 100);
            want = w < 60 ? CT_EP : w < 85 ? CT_NTFN : CT_ANY;
        }
        seL4_Word cptr = g->pick(g, want);
        /* Nothing to receive from found: mostly the gate (blocks until the
         * root signals it) rather than certain death by cap fault. */
        if (want != CT_ANY && seL4_DebugCapIdentify(cptr) != want && rng_pct(r, 80))
            cptr = CS_GATE;
        seL4_Word type = cptr < CHILD_SLOTS ? seL4_DebugCapIdentify(cptr) : CT_NULL;
        gen_invocation(g, v, cptr, (unsigned)type);
        v->sys = (uint8_t)sys;
        if (v->sys == S_RECV || v->sys == S_NBRECV || v->sys == S_REPLYRECV || v->sys == S_CALL) {
            b->receiveCNode = rng_pct(r, 85) ? CS_SELF_CNODE : child_slot(g);
            b->receiveIndex = child_slot(g);
            b->receiveDepth = rng_pct(r, 50) ? CHILD_RADIX : gen_depth(g);
        }
    } else {
        gen_invocation(g, v, g->pick(g, CT_ANY), CT_ANY);
        if (k < 760) {
            v->sys = S_YIELD;
        } else if (k < 800) {
            v->sys = S_REPLY;
        } else if (k < 880) {
            v->cptr = g->pick(g, CT_NTFN);
            v->sys = rng_pct(r, 50) ? S_NBSEND : S_NBRECV;
        } else if (k < 960) {
            (void)seL4_DebugCapIdentify(gen_word(g));
            v->sys = S_YIELD;
        } else if (k < 985) {
            v->sys = S_RAW;
            v->sysno = bad_sysno(r);
        } else if (k < 992) {
            /* A new (random) TLS base: libsel4 finds its IPC buffer through
             * it, so the thread will most likely fault soon. */
            v->sys = S_RAW;
            v->sysno = (seL4_Word)seL4_SysSetTLSBase;
            v->cptr = gen_word(g);
        } else {
            c->ops++;
            __asm__ volatile("int $0xff" ::: "memory");
            return;
        }
    }
    inv_exec(v);
    c->ops++;
    record(c, v);
}

void child_main(struct child_pub *c, uint64_t seed, uintptr_t priv)
{
    /* Nothing may touch TLS before this: FS base starts at 0. */
    uintptr_t tp = arca_tls_init((void *)(priv + CHILD_TLS_OFF), CHILD_TLS);
    seL4_SetTLSBase(tp);
    seL4_SetIPCBuffer((seL4_IPCBuffer *)(priv + CHILD_IPC_OFF));
    rng_t r;
    rng_seed(&r, seed);
    struct gctx g = { .r = &r, .pick = child_pick, .slot = child_slot };
    struct inv v;
    for (;;) {
        c->phase = 0;
        while (budget_take())
            child_op(c, &g, &v);
        c->phase = 1;
        seL4_Wait(CS_GATE, NULL);
        c->epochs++;
    }
}
