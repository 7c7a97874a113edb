/*
 * Random system calls and invocations, shared by the root task and the
 * child threads (so everything here is reentrant: all state is in the
 * caller's rng and gctx).
 */
#include "fuzz.h"

bool ctype_known(seL4_Word t)
{
    return t <= 14 || t == CT_IRQ_HANDLER || t == CT_ZOMBIE || t == CT_IO_PORT ||
           t == CT_DOMAIN || t == CT_IO_PORT_CONTROL;
}

const char *ctype_name(seL4_Word t)
{
    switch (t) {
    case CT_NULL: return "null";
    case CT_FRAME: return "frame";
    case CT_UNTYPED: return "untyped";
    case CT_PT: return "pt";
    case CT_EP: return "ep";
    case CT_PD: return "pd";
    case CT_NTFN: return "ntfn";
    case CT_PDPT: return "pdpt";
    case CT_REPLY: return "reply";
    case CT_PML4: return "pml4";
    case CT_CNODE: return "cnode";
    case CT_ASID_CONTROL: return "asidctl";
    case CT_TCB: return "tcb";
    case CT_ASID_POOL: return "asidpool";
    case CT_IRQ_CONTROL: return "irqctl";
    case CT_IRQ_HANDLER: return "irq";
    case CT_ZOMBIE: return "zombie";
    case CT_IO_PORT: return "ioport";
    case CT_DOMAIN: return "domain";
    case CT_IO_PORT_CONTROL: return "ioportctl";
    case CT_ANY: return "?";
    default: return "BAD";
    }
}

const char *sys_name(unsigned s)
{
    static const char *const n[S_COUNT] = {
        "Call", "Send", "NBSend", "Reply", "Recv", "NBRecv", "ReplyRecv", "Yield", "Raw",
    };
    return s < S_COUNT ? n[s] : "?";
}

/* ---- executing ------------------------------------------------------------ */

void inv_exec(struct inv *v)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    for (int i = 4; i < INV_MRS; i++)
        b->msg[i] = v->mr[i];
    for (int i = 0; i < 3; i++)
        b->caps_or_badges[i] = i < v->ncaps ? v->caps[i] : 0;
    seL4_Word info = seL4_MessageInfo_new(v->label, 0, v->ncaps, v->len).words[0];
    seL4_Word m0 = v->mr[0], m1 = v->mr[1], m2 = v->mr[2], m3 = v->mr[3];
    seL4_Word badge = 0, rinfo = 0;

    switch (v->sys) {
    case S_CALL:
        x64_sys_send_recv(seL4_SysCall, v->cptr, &badge, info, &rinfo, &m0, &m1, &m2, &m3);
        break;
    case S_SEND:
        x64_sys_send(seL4_SysSend, v->cptr, info, m0, m1, m2, m3);
        m0 = m1 = m2 = m3 = 0;
        break;
    case S_NBSEND:
        x64_sys_send(seL4_SysNBSend, v->cptr, info, m0, m1, m2, m3);
        m0 = m1 = m2 = m3 = 0;
        break;
    case S_REPLY:
        x64_sys_reply(seL4_SysReply, info, m0, m1, m2, m3);
        m0 = m1 = m2 = m3 = 0;
        break;
    case S_RECV:
        x64_sys_recv(seL4_SysRecv, v->cptr, &badge, &rinfo, &m0, &m1, &m2, &m3);
        break;
    case S_NBRECV:
        x64_sys_recv(seL4_SysNBRecv, v->cptr, &badge, &rinfo, &m0, &m1, &m2, &m3);
        break;
    case S_REPLYRECV:
        x64_sys_send_recv(seL4_SysReplyRecv, v->cptr, &badge, info, &rinfo, &m0, &m1, &m2,
                          &m3);
        break;
    case S_YIELD:
        seL4_Yield();
        m0 = m1 = m2 = m3 = 0;
        break;
    case S_RAW: {
        arca_syscall_result_t r = arca_syscall_raw(v->sysno, v->cptr, info, m0, m1, m2, m3);
        badge = r.rdi;
        rinfo = r.rsi;
        m0 = r.r10;
        m1 = r.r8;
        m2 = r.r9;
        m3 = r.r15;
        break;
    }
    default:
        break;
    }
    v->r_badge = badge;
    v->r_info = rinfo;
    v->r_mr[0] = m0;
    v->r_mr[1] = m1;
    v->r_mr[2] = m2;
    v->r_mr[3] = m3;
}

/* ---- words ------------------------------------------------------------------ */

/* Never a word inside the root image (or the pages the kernel maps right
 * after it): a thread whose rip, rsp, fs_base, ... come from here cannot
 * run or scribble over root code and data. */
seL4_Word filter_word(seL4_Word v)
{
    if (v >= FZ_IMAGE_LO && v < FZ_IMAGE_HI)
        v += 0x100000000UL;
    return v;
}

seL4_Word gen_vaddr(rng_t *r)
{
    static const seL4_Word base[] = {
        0x10000000UL, 0x40000000UL, 1UL << 39, 2UL << 39, 0x100000000000UL,
        0x7F8000000000UL, 0,
    };
    static const seL4_Word step[] = { 1UL << 12, 1UL << 21, 1UL << 30, 1UL << 39 };
    seL4_Word v;
    switch (rng_below(r, 10)) {
    case 0:
        v = rng_next(r) & 0x7FFFFFFFFFFFUL;
        break;
    case 1: {
        static const seL4_Word odd[] = {
            0x7FFFFFFFF000UL, 0x7FFFFFFFFFFFUL, 0x800000000000UL, 0xFFFF800000000000UL,
            0xFFFFFFFF80000000UL, 0x7FFFFFE00000UL, 0x7FFFC0000000UL, 0x1000, 0,
        };
        v = odd[rng_below(r, sizeof(odd) / sizeof(odd[0]))];
        break;
    }
    default:
        v = base[rng_below(r, sizeof(base) / sizeof(base[0]))] +
            step[rng_below(r, 4)] * rng_below(r, 8);
        if (rng_pct(r, 5))
            v += rng_below(r, 4096);
        break;
    }
    return filter_word(v);
}

seL4_Word gen_depth(struct gctx *g)
{
    rng_t *r = g->r;
    unsigned c = (unsigned)rng_below(r, 20);
    if (c < 11)
        return ROOT_DEPTH;
    if (c < 14)
        return CHILD_RADIX;
    if (c < 16)
        return rng_range(r, 1, 12);
    if (c < 17)
        return 0;
    return rng_below(r, 71);
}

seL4_Word gen_word(struct gctx *g)
{
    rng_t *r = g->r;
    seL4_Word v;
    switch (rng_below(r, 12)) {
    case 0:
    case 1:
        v = rng_below(r, 17);
        break;
    case 2:
        v = g->slot(g);
        break;
    case 3:
        v = rng_below(r, 71);
        break;
    case 4:
        v = 1UL << rng_below(r, 64);
        if (rng_pct(r, 30))
            v -= 1;
        else if (rng_pct(r, 10))
            v += 1;
        break;
    case 5: {
        static const seL4_Word sp[] = {
            ~0UL, ~0UL >> 1, 1UL << 63, 0x800000000000UL, 0xFFFF800000000000UL,
            0x7FFFFFFFFFFFUL, 0xFFFFFFFF80000000UL, 0xFFFFFFFFUL, 0x80000000UL,
            0xFFFUL, 0x1000UL, 0xFFFFFFFFFFFFF000UL, 0x000FFFFFFFFFFFFFUL,
        };
        v = sp[rng_below(r, sizeof(sp) / sizeof(sp[0]))];
        break;
    }
    case 6:
        v = rng_below(r, 61);
        break;
    case 7:
        v = gen_vaddr(r);
        break;
    case 8:
        v = rng_range(r, 0, 255);
        break;
    default:
        v = rng_next(r);
        break;
    }
    return filter_word(v);
}

/* ---- label specs ------------------------------------------------------------ */

enum {
    A_ANY, A_SMALL, A_SLOT, A_DEPTH, A_DEPTH0, A_OTYPE, A_OSIZE, A_NUM, A_PRIO, A_VADDR,
    A_RIGHTS, A_BADGE, A_ATTR, A_REG, A_FLAGS, A_COUNT, A_CNDATA, A_PORT, A_IRQ, A_PIN,
    A_VECTOR, A_BOOL, A_DOMAIN, A_TICKS, A_BUF, A_CPTR,
};

struct lspec {
    uint8_t nmr;
    uint8_t arg[8];
    uint8_t ncaps;
    uint8_t cap[3];
};

static const struct lspec specs[L_COUNT] = {
    [L_RETYPE] = { 6, { A_OTYPE, A_OSIZE, A_SLOT, A_DEPTH0, A_SLOT, A_NUM }, 1, { CT_CNODE } },
    [L_TCB_READ] = { 2, { A_FLAGS, A_COUNT }, 0, { 0 } },
    [L_TCB_WRITE] = { 22, { A_FLAGS, A_COUNT, A_REG, A_REG, A_REG, A_REG, A_REG, A_REG }, 0,
                      { 0 } },
    [L_TCB_COPY] = { 1, { A_FLAGS }, 1, { CT_TCB } },
    [L_TCB_CONFIGURE] = { 4, { A_CPTR, A_CNDATA, A_SMALL, A_BUF }, 3,
                          { CT_CNODE, CT_PML4, CT_FRAME } },
    [L_TCB_SETPRIO] = { 1, { A_PRIO }, 1, { CT_TCB } },
    [L_TCB_SETMCP] = { 1, { A_PRIO }, 1, { CT_TCB } },
    [L_TCB_SCHED] = { 2, { A_PRIO, A_PRIO }, 1, { CT_TCB } },
    [L_TCB_SETIPCBUF] = { 1, { A_BUF }, 1, { CT_FRAME } },
    [L_TCB_SETSPACE] = { 3, { A_CPTR, A_CNDATA, A_SMALL }, 2, { CT_CNODE, CT_PML4 } },
    [L_TCB_SUSPEND] = { 0, { 0 }, 0, { 0 } },
    [L_TCB_RESUME] = { 0, { 0 }, 0, { 0 } },
    [L_TCB_BIND] = { 0, { 0 }, 1, { CT_NTFN } },
    [L_TCB_UNBIND] = { 0, { 0 }, 0, { 0 } },
    [L_TCB_TLS] = { 1, { A_ANY }, 0, { 0 } },
    [L_TCB_FLAGS] = { 2, { A_SMALL, A_SMALL }, 0, { 0 } },
    [L_CN_REVOKE] = { 2, { A_SLOT, A_DEPTH }, 0, { 0 } },
    [L_CN_DELETE] = { 2, { A_SLOT, A_DEPTH }, 0, { 0 } },
    [L_CN_CANCEL] = { 2, { A_SLOT, A_DEPTH }, 0, { 0 } },
    [L_CN_COPY] = { 5, { A_SLOT, A_DEPTH, A_SLOT, A_DEPTH, A_RIGHTS }, 1, { CT_CNODE } },
    [L_CN_MINT] = { 6, { A_SLOT, A_DEPTH, A_SLOT, A_DEPTH, A_RIGHTS, A_BADGE }, 1,
                    { CT_CNODE } },
    [L_CN_MOVE] = { 4, { A_SLOT, A_DEPTH, A_SLOT, A_DEPTH }, 1, { CT_CNODE } },
    [L_CN_MUTATE] = { 5, { A_SLOT, A_DEPTH, A_SLOT, A_DEPTH, A_CNDATA }, 1, { CT_CNODE } },
    [L_CN_ROTATE] = { 8, { A_SLOT, A_DEPTH, A_BADGE, A_SLOT, A_DEPTH, A_BADGE, A_SLOT,
                           A_DEPTH }, 2, { CT_CNODE, CT_CNODE } },
    [L_CN_SAVECALLER] = { 2, { A_SLOT, A_DEPTH }, 0, { 0 } },
    [L_IRQ_GET] = { 3, { A_IRQ, A_SLOT, A_DEPTH }, 1, { CT_CNODE } },
    [L_IRQ_ACK] = { 0, { 0 }, 0, { 0 } },
    [L_IRQ_SETNTFN] = { 0, { 0 }, 1, { CT_NTFN } },
    [L_IRQ_CLEAR] = { 0, { 0 }, 0, { 0 } },
    [L_DOM_SET] = { 1, { A_DOMAIN }, 1, { CT_TCB } },
    [L_DOM_CONF] = { 3, { A_SMALL, A_DOMAIN, A_TICKS }, 0, { 0 } },
    [L_DOM_START] = { 1, { A_SMALL }, 0, { 0 } },
    [L_PDPT_MAP] = { 2, { A_VADDR, A_ATTR }, 1, { CT_PML4 } },
    [L_PDPT_UNMAP] = { 0, { 0 }, 0, { 0 } },
    [L_PD_MAP] = { 2, { A_VADDR, A_ATTR }, 1, { CT_PML4 } },
    [L_PD_UNMAP] = { 0, { 0 }, 0, { 0 } },
    [L_PT_MAP] = { 2, { A_VADDR, A_ATTR }, 1, { CT_PML4 } },
    [L_PT_UNMAP] = { 0, { 0 }, 0, { 0 } },
    [L_PAGE_MAP] = { 3, { A_VADDR, A_RIGHTS, A_ATTR }, 1, { CT_PML4 } },
    [L_PAGE_UNMAP] = { 0, { 0 }, 0, { 0 } },
    [L_PAGE_ADDR] = { 0, { 0 }, 0, { 0 } },
    [L_ASID_MAKEPOOL] = { 2, { A_SLOT, A_DEPTH }, 2, { CT_UNTYPED, CT_CNODE } },
    [L_ASID_ASSIGN] = { 0, { 0 }, 1, { CT_PML4 } },
    [L_IOP_ISSUE] = { 4, { A_PORT, A_PORT, A_SLOT, A_DEPTH }, 1, { CT_CNODE } },
    [L_IOP_IN8] = { 1, { A_PORT }, 0, { 0 } },
    [L_IOP_IN16] = { 1, { A_PORT }, 0, { 0 } },
    [L_IOP_IN32] = { 1, { A_PORT }, 0, { 0 } },
    [L_IOP_OUT8] = { 2, { A_PORT, A_ANY }, 0, { 0 } },
    [L_IOP_OUT16] = { 2, { A_PORT, A_ANY }, 0, { 0 } },
    [L_IOP_OUT32] = { 2, { A_PORT, A_ANY }, 0, { 0 } },
    [L_IRQ_IOAPIC] = { 7, { A_SLOT, A_DEPTH, A_SMALL, A_PIN, A_BOOL, A_BOOL, A_VECTOR }, 1,
                       { CT_CNODE } },
    [L_IRQ_MSI] = { 7, { A_SLOT, A_DEPTH, A_SMALL, A_SMALL, A_SMALL, A_ANY, A_VECTOR }, 1,
                    { CT_CNODE } },
};

seL4_Word gen_label_for(rng_t *r, unsigned type)
{
    static const uint8_t lo[32] = {
        [CT_UNTYPED] = L_RETYPE, [CT_TCB] = L_TCB_READ, [CT_CNODE] = L_CN_REVOKE,
        [CT_IRQ_HANDLER] = L_IRQ_ACK, [CT_DOMAIN] = L_DOM_SET, [CT_PDPT] = L_PDPT_MAP,
        [CT_PD] = L_PD_MAP, [CT_PT] = L_PT_MAP, [CT_FRAME] = L_PAGE_MAP,
        [CT_ASID_CONTROL] = L_ASID_MAKEPOOL, [CT_ASID_POOL] = L_ASID_ASSIGN,
        [CT_IO_PORT_CONTROL] = L_IOP_ISSUE, [CT_IO_PORT] = L_IOP_IN8,
    };
    static const uint8_t hi[32] = {
        [CT_UNTYPED] = L_RETYPE, [CT_TCB] = L_TCB_FLAGS, [CT_CNODE] = L_CN_SAVECALLER,
        [CT_IRQ_HANDLER] = L_IRQ_CLEAR, [CT_DOMAIN] = L_DOM_START, [CT_PDPT] = L_PDPT_UNMAP,
        [CT_PD] = L_PD_UNMAP, [CT_PT] = L_PT_UNMAP, [CT_FRAME] = L_PAGE_ADDR,
        [CT_ASID_CONTROL] = L_ASID_MAKEPOOL, [CT_ASID_POOL] = L_ASID_ASSIGN,
        [CT_IO_PORT_CONTROL] = L_IOP_ISSUE, [CT_IO_PORT] = L_IOP_OUT32,
    };
    unsigned c = (unsigned)rng_below(r, 100);
    if (c < 70) {
        if (type == CT_IRQ_CONTROL) {
            static const uint8_t irq[] = { L_IRQ_GET, L_IRQ_IOAPIC, L_IRQ_IOAPIC, L_IRQ_MSI };
            return irq[rng_below(r, 4)];
        }
        if (type < 32 && lo[type] != 0)
            return rng_range(r, lo[type], hi[type]);
        if (type == CT_EP || type == CT_NTFN || type == CT_REPLY)
            return rng_below(r, 8);
    }
    if (c < 92)
        return rng_below(r, 61);
    if (c < 96)
        return rng_range(r, L_COUNT, 200);
    return rng_next(r) >> 12;
}

seL4_Word gen_obj_size(rng_t *r, seL4_Word type)
{
    if (rng_pct(r, 8))
        return rng_below(r, 70);
    switch (type) {
    case seL4_UntypedObject:
        return rng_range(r, 4, 20);
    case seL4_CapTableObject:
        return rng_range(r, 1, 9);
    default:
        return rng_pct(r, 90) ? 0 : rng_below(r, 16);
    }
}

static seL4_Word gen_arg(struct gctx *g, unsigned kind, seL4_Word prev)
{
    rng_t *r = g->r;
    if (rng_pct(r, 6))
        return gen_word(g);
    switch (kind) {
    case A_SMALL:
        return rng_below(r, 17);
    case A_SLOT:
        return g->slot(g);
    case A_DEPTH:
        return gen_depth(g);
    case A_DEPTH0:
        return rng_pct(r, 60) ? 0 : gen_depth(g);
    case A_OTYPE:
        return rng_pct(r, 94) ? rng_below(r, seL4_ObjectTypeCount) : rng_range(r, 12, 40);
    case A_OSIZE:
        return gen_obj_size(r, prev);
    case A_NUM:
        if (rng_pct(r, 50))
            return 1;
        if (rng_pct(r, 70))
            return rng_range(r, 2, 8);
        return rng_range(r, 0, 300);
    case A_PRIO:
        if (rng_pct(r, 70))
            return rng_range(r, 0, CHILD_PRIO_MAX);
        return rng_range(r, 0, 300);
    case A_VADDR:
        return gen_vaddr(r);
    case A_RIGHTS:
        return rng_pct(r, 90) ? rng_below(r, 16) : gen_word(g);
    case A_BADGE:
        return rng_pct(r, 60) ? rng_below(r, 64) : gen_word(g);
    case A_ATTR:
        return rng_below(r, 8);
    case A_FLAGS:
        return rng_below(r, 16) | (rng_pct(r, 10) ? (rng_below(r, 256) << 8) : 0);
    case A_COUNT:
        return rng_pct(r, 50) ? 20 : rng_below(r, 23);
    case A_CNDATA:
        if (rng_pct(r, 30))
            return 0;
        if (rng_pct(r, 80)) {
            seL4_Word radix = rng_pct(r, 60) ? CHILD_RADIX : rng_range(r, 1, 12);
            return seL4_CNode_CapData_new(rng_pct(r, 85) ? 0 : rng_below(r, 4),
                                          rng_pct(r, 90) ? 64 - radix : rng_below(r, 64)).words[0];
        }
        return gen_word(g);
    case A_PORT:
        if (rng_pct(r, 60))
            return rng_range(r, 0x80, 0x8F);
        return rng_pct(r, 70) ? rng_below(r, 0x10000) : gen_word(g);
    case A_IRQ:
        return rng_below(r, 32);
    case A_PIN:
        return rng_pct(r, 90) ? rng_below(r, 24) : rng_below(r, 64);
    case A_VECTOR:
        return rng_pct(r, 90) ? rng_below(r, 108) : rng_below(r, 300);
    case A_BOOL:
        return rng_pct(r, 90) ? rng_below(r, 2) : rng_below(r, 5);
    case A_DOMAIN:
        return rng_pct(r, 80) ? 0 : rng_below(r, 20);
    case A_TICKS:
        return rng_pct(r, 70) ? rng_below(r, 1000) : gen_word(g);
    case A_BUF: {
        seL4_Word v = rng_pct(r, 20) ? 0 : gen_vaddr(r);
        if (rng_pct(r, 70))
            v &= ~0x3FFUL;
        return filter_word(v);
    }
    case A_CPTR:
        return rng_pct(r, 50) ? CS_FAULT_EP : rng_below(r, CHILD_SLOTS + 2);
    case A_REG:
    case A_ANY:
    default:
        return gen_word(g);
    }
}

void gen_invocation(struct gctx *g, struct inv *v, seL4_Word cptr, unsigned type)
{
    rng_t *r = g->r;
    v->cptr = cptr;
    v->ctype = (uint8_t)type;
    v->trusted = false;
    v->sysno = 0;
    v->label = gen_label_for(r, type);
    const struct lspec *s = v->label < L_COUNT ? &specs[v->label] : NULL;
    unsigned nmr = s != NULL ? s->nmr : (unsigned)rng_below(r, 8);
    unsigned ncaps = s != NULL ? s->ncaps : (unsigned)rng_below(r, 4);

    seL4_Word prev = 0;
    for (unsigned i = 0; i < INV_MRS; i++) {
        if (i < nmr && s != NULL)
            v->mr[i] = gen_arg(g, i < 8 ? s->arg[i] : A_REG, prev);
        else if (i < 8 || rng_pct(r, 3))
            v->mr[i] = gen_word(g);
        else
            v->mr[i] = 0;
        prev = v->mr[i];
    }
    /* WriteRegisters: a count that the length agrees with most of the time. */
    if (v->label == L_TCB_WRITE && rng_pct(r, 70))
        nmr = 2 + (unsigned)(v->mr[1] > 20 ? 20 : v->mr[1]);

    unsigned c = (unsigned)rng_below(r, 100);
    if (c < 75)
        v->len = (uint8_t)nmr;
    else if (c < 85)
        v->len = (uint8_t)(nmr > 0 ? nmr - 1 - rng_below(r, nmr) : 0);
    else if (c < 92)
        v->len = (uint8_t)(nmr + rng_below(r, 8));
    else
        v->len = (uint8_t)rng_below(r, 128);
    if (v->len > 127)
        v->len = 127;

    if (rng_pct(r, 85))
        v->ncaps = (uint8_t)ncaps;
    else
        v->ncaps = (uint8_t)rng_below(r, 4);
    for (unsigned i = 0; i < 3; i++) {
        unsigned want = (s != NULL && i < s->ncaps) ? s->cap[i] : CT_ANY;
        v->caps[i] = (i < v->ncaps) ? g->pick(g, rng_pct(r, 80) ? want : CT_ANY) : 0;
    }
    v->sys = S_CALL;
}
