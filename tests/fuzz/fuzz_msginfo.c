/*
 * Fuzz target: message-info and cap-transfer decoding.
 *
 * 1. libsel4's one-word bit-field types (sel4/messageinfo.h, constants.h):
 *    seL4_MessageInfo, seL4_CapRights and seL4_CNode_CapData round trips.
 *    Every word decodes into in-range fields that encode back to the same
 *    word; encoding truncates each value to its field and touches no other;
 *    setters change one field; the pointer forms agree. The layout is
 *    restated here from the ABI comment (label << 12 | capsUnwrapped << 9 |
 *    extraCaps << 7 | length). CNode cap data is also decoded by the kernel
 *    (cnode.c's cap_update_data) and must give the guard the user encoded.
 *
 * 2. The kernel's transfer of a message between two threads
 *    (kernel/core/transfer.c, with the real cspace.c, cnode.c's cap_derive,
 *    invocation.c's lookup_target_slot, cdt.c): random sender and receiver
 *    CSpaces (guarded CNodes, a second-level receive CNode), caps of many
 *    types (badged endpoints on and off the IPC's endpoint, untypeds with
 *    and without children, mapped and unmapped frames and page tables,
 *    reply, IRQ control, zombie...), IPC buffers present or not, and
 *    arbitrary message info, cap pointers and receive-slot words. After
 *    transfer_message:
 *     - the receiver's message info is (label, unwrapped, caps, length) with
 *       length clipped to 120, or to 4 when a buffer is missing, and caps /
 *       unwrapped as a reference of the transfer rules (syscalls.md §6.2,
 *       capabilities.md §9) says;
 *     - message registers 0-3 were copied, the buffer's MRs up to length,
 *       unwrapped badges into caps_or_badges[i]; no other register or
 *       buffer word of either thread changed;
 *     - at most one cap was placed, in the empty receive slot, derived as
 *       deriveCap says and linked right after its source; no other slot
 *       changed; the derivation-tree links are consistent.
 *
 * Input: a u8 selecting the part, then that part's bytes.
 */
#include "fuzz_common.h"
#include "invocation.h"
#include "ipc.h"
#include "fault.h"
#include "delete.h"
#include "printf.h"
#include <sel4/messageinfo.h>
#include <sel4/constants.h>

/* ------------------------------------------------------------------------ */
/* Stubs: kernel functions the linked files name but this target never runs */
/* ------------------------------------------------------------------------ */

#define NEVER(name) FZ_FAIL("%s called: not expected in this target", name)

void object_finalise(cap_t cap) { (void)cap; NEVER("object_finalise"); }
unsigned fault_message(const tcb_t *t, word_t *mrs, unsigned max)
{ (void)t; (void)mrs; (void)max; NEVER("fault_message"); }
bool endpoint_cancel_badged_sends(tcb_t *caller, paddr_t ep, word_t badge)
{ (void)caller; (void)ep; (void)badge; NEVER("endpoint_cancel_badged_sends"); }
void ipc_send(tcb_t *sender, cap_t cap, bool blocking, bool is_call)
{ (void)sender; (void)cap; (void)blocking; (void)is_call; NEVER("ipc_send"); }
void ipc_reply(tcb_t *replier, cte_t *slot) { (void)replier; (void)slot; NEVER("ipc_reply"); }
void ntfn_signal(paddr_t ntfn, word_t badge) { (void)ntfn; (void)badge; NEVER("ntfn_signal"); }
void kprintf(const char *fmt, ...) { (void)fmt; NEVER("kprintf"); }
void thread_set_state(tcb_t *t, thread_state_t s) { (void)t; (void)s; NEVER("thread_set_state"); }
const char *invocation_label_name(word_t label) { (void)label; NEVER("invocation_label_name"); }
#define DECODER(name)                                                         \
    bool name(invocation_t *inv, syscall_error_t *e) { (void)inv; (void)e; NEVER(#name); }
DECODER(decode_untyped_invocation)
DECODER(decode_tcb_invocation)
DECODER(decode_domain_invocation)
DECODER(decode_irq_control_invocation)
DECODER(decode_irq_handler_invocation)
DECODER(decode_ioport_invocation)
DECODER(decode_arch_invocation)

/* ------------------------------------------------------------------------ */
/* Part 1: bit-field round trips                                             */
/* ------------------------------------------------------------------------ */

#define LABEL_BITS 52

static word_t msginfo_word(word_t label, word_t unwrapped, word_t extra, word_t length)
{
    return (label & ((1ULL << LABEL_BITS) - 1)) << 12 | (unwrapped & 7) << 9 |
           (extra & 3) << 7 | (length & 0x7F);
}

static void check_msginfo(fz_in_t *in)
{
    /* Decoding any word, and encoding back. */
    word_t w = fz_u64(in);
    seL4_MessageInfo_t info = { { w } };
    word_t l = seL4_MessageInfo_get_label(info), c = seL4_MessageInfo_get_capsUnwrapped(info);
    word_t e = seL4_MessageInfo_get_extraCaps(info), n = seL4_MessageInfo_get_length(info);
    FZ_CHECK(l < (1ULL << LABEL_BITS) && c < 8 && e < 4 && n < 128,
             "fields of %#lx out of range", w);
    FZ_CHECK(l == w >> 12 && c == ((w >> 9) & 7) && e == ((w >> 7) & 3) && n == (w & 0x7F),
             "fields of %#lx decoded wrongly", w);
    FZ_CHECK(seL4_MessageInfo_new(l, c, e, n).words[0] == w, "%#lx does not round-trip", w);
    FZ_CHECK(seL4_MessageInfo_ptr_get_label(&info) == l &&
             seL4_MessageInfo_ptr_get_capsUnwrapped(&info) == c &&
             seL4_MessageInfo_ptr_get_extraCaps(&info) == e &&
             seL4_MessageInfo_ptr_get_length(&info) == n, "pointer getters differ");

    /* Encoding arbitrary values: each truncated into its own bits. */
    word_t v[4] = { fz_u64(in), fz_u64(in), fz_u64(in), fz_u64(in) };
    seL4_MessageInfo_t m = seL4_MessageInfo_new(v[0], v[1], v[2], v[3]);
    FZ_CHECK(m.words[0] == msginfo_word(v[0], v[1], v[2], v[3]),
             "new(%#lx, %#lx, %#lx, %#lx) = %#lx", v[0], v[1], v[2], v[3], m.words[0]);

    /* Setting one field keeps the others; the pointer setter agrees. */
    word_t x = fz_u64(in);
    unsigned which = fz_u8(in) % 4;
    seL4_MessageInfo_t set = m, pset = m;
    word_t want;
    switch (which) {
    case 0:
        set = seL4_MessageInfo_set_label(m, x);
        seL4_MessageInfo_ptr_set_label(&pset, x);
        want = msginfo_word(x, v[1], v[2], v[3]);
        break;
    case 1:
        set = seL4_MessageInfo_set_capsUnwrapped(m, x);
        seL4_MessageInfo_ptr_set_capsUnwrapped(&pset, x);
        want = msginfo_word(v[0], x, v[2], v[3]);
        break;
    case 2:
        set = seL4_MessageInfo_set_extraCaps(m, x);
        seL4_MessageInfo_ptr_set_extraCaps(&pset, x);
        want = msginfo_word(v[0], v[1], x, v[3]);
        break;
    default:
        set = seL4_MessageInfo_set_length(m, x);
        seL4_MessageInfo_ptr_set_length(&pset, x);
        want = msginfo_word(v[0], v[1], v[2], x);
        break;
    }
    FZ_CHECK(set.words[0] == want && pset.words[0] == want,
             "setting field %u to %#lx: %#lx / %#lx, want %#lx", which, x, set.words[0],
             pset.words[0], want);
}

static void check_rights_and_cap_data(fz_in_t *in)
{
    word_t r[4] = { fz_u64(in), fz_u64(in), fz_u64(in), fz_u64(in) };
    seL4_CapRights_t rights = seL4_CapRights_new(r[0], r[1], r[2], r[3]);
    word_t want = (r[0] & 1) << 3 | (r[1] & 1) << 2 | (r[2] & 1) << 1 | (r[3] & 1);
    FZ_CHECK(rights.words[0] == want, "CapRights_new: %#lx, want %#lx", rights.words[0], want);
    FZ_CHECK(seL4_CapRights_get_capAllowGrantReply(rights) == (r[0] & 1) &&
             seL4_CapRights_get_capAllowGrant(rights) == (r[1] & 1) &&
             seL4_CapRights_get_capAllowRead(rights) == (r[2] & 1) &&
             seL4_CapRights_get_capAllowWrite(rights) == (r[3] & 1), "CapRights getters");
    FZ_CHECK(seL4_CapRights_new(1, 1, 1, 1).words[0] == RIGHTS_ALL,
             "user and kernel rights disagree");

    /* CNode cap data: what the user encodes is the guard the kernel sets. */
    word_t guard = fz_u64(in), gsize = fz_u8(in);
    seL4_CNode_CapData_t d = seL4_CNode_CapData_new(guard, gsize);
    FZ_CHECK(seL4_CNode_CapData_get_guard(d) == (guard & ((1ULL << 58) - 1)) &&
             seL4_CNode_CapData_get_guardSize(d) == (gsize & 63), "CNode cap data fields");
    FZ_CHECK(d.words[0] == ((guard << 6) | (gsize & 63)), "CNode cap data word");
    static _Alignas(64) cte_t dummy[2];
    unsigned radix = 1 + fz_u8(in) % 63;
    cap_t cn = fz_cnode_cap(dummy, radix, 0, 0);
    cap_t upd = cap_update_data(false, d.words[0], cn);
    unsigned gs = (unsigned)(gsize & 63);
    if (gs + radix > 64) {
        FZ_CHECK(cap_is_null(upd), "a guard of %u bits accepted at radix %u", gs, radix);
        return;
    }
    FZ_CHECK(cap_get_type(upd) == CAP_CNODE && cap_cnode_radix(upd) == radix &&
             cap_cnode_slots(upd) == dummy && cap_cnode_guard_size(upd) == gs,
             "cap_update_data changed more than the guard");
    word_t want_guard = gs == 0 ? 0 : (guard & ((1ULL << 58) - 1)) & MASK(gs);
    FZ_CHECK(cap_cnode_guard(upd) == want_guard, "guard %#lx, want %#lx",
             cap_cnode_guard(upd), want_guard);
}

/* ------------------------------------------------------------------------ */
/* Part 2: transfer_message                                                  */
/* ------------------------------------------------------------------------ */

#define BUF_WORDS       128
#define BUF_CAPS        IPC_BUFFER_CAPS_WORD
#define BUF_RECV_CNODE  125
#define BUF_RECV_INDEX  126
#define BUF_RECV_DEPTH  127
#define SRADIX          4
#define RRADIX          3
#define EP_BASE         0x200000000000UL

static _Alignas(2048) tcb_t sender, receiver;
static _Alignas(64) cte_t scn[1 << SRADIX];     /* the sender's CSpace root */
static _Alignas(64) cte_t rcn[1 << RRADIX];     /* the receiver's CSpace root */
static _Alignas(64) cte_t rcn2[1 << RRADIX];    /* a CNode reached from rcn */
static word_t sbuf[BUF_WORDS], rbuf[BUF_WORDS];
static bool sbuf_present, rbuf_present;

word_t *thread_ipc_buffer(const tcb_t *t, bool for_write)
{
    FZ_CHECK(t == &sender || t == &receiver, "thread_ipc_buffer of an unknown thread");
    FZ_CHECK(for_write == (t == &receiver), "the sender's buffer asked for writing, "
             "or the receiver's for reading");
    if (t == &sender)
        return sbuf_present ? sbuf : NULL;
    return rbuf_present ? rbuf : NULL;
}

static const unsigned mr_regs[4] = { FR_R10, FR_R8, FR_R9, FR_R15 };

/* A cap for a sender slot, of a type chosen by the input. */
static cap_t random_cap(fz_in_t *in, paddr_t ep)
{
    uint8_t kind = fz_u8(in);
    word_t badge = (kind & 0x80) ? fz_u64(in) : fz_u8(in) % 3;
    paddr_t obj = EP_BASE + (paddr_t)(fz_u8(in) % 4) * 64;
    switch (kind % 16) {
    case 0: case 1: case 2:
        return cap_ipc_new(CAP_ENDPOINT, ep, fz_u8(in) & 0xF, badge);
    case 3: case 4:
        return cap_ipc_new(CAP_ENDPOINT, obj, fz_u8(in) & 0xF, badge);
    case 5:
        return cap_ipc_new(CAP_NOTIFICATION, obj, fz_u8(in) & 3, badge);
    case 6:
        return cap_untyped_new(EP_BASE, 12, false, 0);
    case 7:
        return cap_frame_new(0x400000, 0, fz_u8(in) % 4, false,
                             (kind & 0x40) ? 0x10000 : 0, (kind & 0x40) ? 1 : 0);
    case 8:
        return cap_addr_new(CAP_PAGE_TABLE, 0x500000);
    case 9: {
        cap_t pt = cap_addr_new(CAP_PAGE_TABLE, 0x501000);
        return cap_set_mapping(pt, 0x200000, 1);
    }
    case 10:
        return cap_pml4_new(0x502000, fz_u8(in) % 2);
    case 11:
        return cap_reply_new(&sender, fz_u8(in) & 1, true);
    case 12:
        return cap_simple_new(CAP_IRQ_CONTROL);
    case 13:
        return cap_zombie_new(0x503000, false, 3, 8);
    case 14:
        return fz_cnode_cap(rcn2, RRADIX, fz_u8(in) % 62, 0);
    default:
        return cap_null();
    }
}

/* deriveCap (capabilities.md §7), restated: null = not transferable. */
static cap_t ref_derive(const cte_t *src)
{
    cap_t c = src->cap;
    switch (cap_get_type(c)) {
    case CAP_REPLY:
    case CAP_IRQ_CONTROL:
    case CAP_ZOMBIE:
    case CAP_IO_PORT_CONTROL:
        return cap_null();
    case CAP_UNTYPED:
        return cdt_has_children(src) ? cap_null() : c;
    case CAP_PAGE_TABLE:
    case CAP_PAGE_DIRECTORY:
    case CAP_PDPT:
        return cap_mapped_asid(c) == 0 ? cap_null() : c;
    case CAP_PML4:
        return cap_asid(c) == 0 ? cap_null() : c;
    case CAP_FRAME:
        return cap_set_mapping(c, 0, 0);
    default:
        return c;
    }
}

/* A CPtr naming slot s of a CNode cap at depth 64, or raw bits. */
static word_t cptr_for(fz_in_t *in, cap_t root)
{
    uint8_t b = fz_u8(in);
    if (b & 0x80)
        return fz_u64(in);
    unsigned g = cap_cnode_guard_size(root), r = cap_cnode_radix(root);
    if (g + r != 64)
        return fz_u64(in);
    return cap_cnode_guard(root) << r | (b & MASK(r));
}

static cte_t snapshot_s[1 << SRADIX], snapshot_r[1 << RRADIX], snapshot_r2[1 << RRADIX];

static void check_transfer(fz_in_t *in)
{
    memset(&sender, 0, sizeof(sender));
    memset(&receiver, 0, sizeof(receiver));
    memset(scn, 0, sizeof(scn));
    memset(rcn, 0, sizeof(rcn));
    memset(rcn2, 0, sizeof(rcn2));
    fz_arena_reset();
    fz_zombies_allowed = true;          /* a zombie cap is one of the sender's caps */
    fz_arena_add(scn, ARRAY_SIZE(scn));
    fz_arena_add(rcn, ARRAY_SIZE(rcn));
    fz_arena_add(rcn2, ARRAY_SIZE(rcn2));
    fz_arena_add(sender.slots, ARRAY_SIZE(sender.slots));
    fz_arena_add(receiver.slots, ARRAY_SIZE(receiver.slots));

    uint8_t flags = fz_u8(in);
    sbuf_present = !(flags & 1);
    rbuf_present = !(flags & 2);
    bool can_grant = !(flags & 4);
    paddr_t ep = (flags & 8) ? 0 : EP_BASE + (paddr_t)(fz_u8(in) % 4) * 64;
    word_t badge = fz_u64(in);

    /* CSpaces: guards that add up to 64 bits, or anything. */
    unsigned sg = (flags & 16) ? fz_u8(in) % 64 : 64 - SRADIX;
    unsigned rg = (flags & 32) ? fz_u8(in) % 64 : 64 - RRADIX;
    cap_t sroot = fz_cnode_cap(scn, SRADIX, sg, (flags & 16) ? fz_u64(in) : 0);
    cap_t rroot = fz_cnode_cap(rcn, RRADIX, rg, (flags & 32) ? fz_u64(in) : 0);
    cdt_insert_root(&sender.slots[TCB_SLOT_CSPACE], sroot);
    cdt_insert_root(&receiver.slots[TCB_SLOT_CSPACE], rroot);

    /* Sender caps: roots, some with a derived copy next to them. */
    unsigned ncaps = fz_u8(in) % (1 << SRADIX);
    for (unsigned i = 0; i < ncaps; i++) {
        cte_t *s = &scn[fz_u8(in) % (1 << SRADIX)];
        if (!cap_is_null(s->cap))
            continue;
        cap_t c = random_cap(in, ep);
        if (cap_is_null(c))
            continue;
        cdt_insert_root(s, c);
        uint8_t child = fz_u8(in);
        cte_t *d = &scn[child % (1 << SRADIX)];
        if ((child & 0x80) && cap_is_null(d->cap) && cap_get_type(c) != CAP_ZOMBIE)
            cdt_insert_derived(s, d, c);
    }
    /* Receiver slots: some full; a CNode cap to rcn2 (or to rcn itself). */
    uint8_t rfill = fz_u8(in);
    for (unsigned i = 0; i < (1u << RRADIX); i++) {
        if (rfill & (1u << i))
            cdt_insert_root(&rcn[i], cap_ipc_new(CAP_NOTIFICATION, EP_BASE + 0x1000, 3, i));
        if (fz_u8(in) & 1)
            cdt_insert_root(&rcn2[i], cap_ipc_new(CAP_NOTIFICATION, EP_BASE + 0x1000, 3, i));
    }
    uint8_t link = fz_u8(in);
    cte_t *ls = &rcn[link % (1 << RRADIX)];
    if (link & 0x80) {
        cdt_remove(ls);
        cdt_insert_root(ls, fz_cnode_cap((link & 0x40) ? rcn : rcn2, RRADIX,
                                         fz_u8(in) % 62, fz_u64(in)));
    }
    /* Buffers and registers. */
    for (unsigned i = 0; i < BUF_WORDS; i++) {
        sbuf[i] = 0x5B00000000000000UL | i;
        rbuf[i] = 0x7B00000000000000UL | i;
    }
    for (unsigned r = 0; r < FR_COUNT; r++) {
        sender.ctx.regs[r] = 0x5100000000000000UL | r;
        receiver.ctx.regs[r] = 0x7100000000000000UL | r;
    }
    word_t info = fz_u64(in);
    sender.ctx.regs[FR_RSI] = info;
    for (unsigned i = 0; i < 3; i++)
        sbuf[BUF_CAPS + i] = cptr_for(in, sroot);
    uint8_t recv = fz_u8(in);
    if (recv & 1) {
        rbuf[BUF_RECV_CNODE] = fz_u64(in);
        rbuf[BUF_RECV_INDEX] = fz_u64(in);
        rbuf[BUF_RECV_DEPTH] = fz_u64(in);
    } else {
        /* The receive CNode (a CNode cap in rcn), and a slot of it at depth RRADIX. */
        rbuf[BUF_RECV_CNODE] = cptr_for(in, rroot);
        rbuf[BUF_RECV_INDEX] = fz_u8(in);
        rbuf[BUF_RECV_DEPTH] = (recv & 2) ? fz_u8(in) : RRADIX;
    }
    fz_check_links();

    /* The expected outcome. */
    seL4_MessageInfo_t in_info = { { info } };
    word_t length = seL4_MessageInfo_get_length(in_info);
    if (length > seL4_MsgMaxLength)
        length = seL4_MsgMaxLength;
    if (length > 4 && (!sbuf_present || !rbuf_present))
        length = 4;
    unsigned extra = (unsigned)seL4_MessageInfo_get_extraCaps(in_info);
    unsigned want_caps = 0, want_unwrapped = 0;
    cte_t *want_dest = NULL, *want_src = NULL;
    cap_t want_cap = cap_null();
    if (can_grant && extra > 0 && sbuf_present && rbuf_present) {
        cte_t *src[3];
        bool all = true;
        for (unsigned i = 0; i < extra; i++) {
            src[i] = cspace_lookup_slot(sroot, sbuf[BUF_CAPS + i]).slot;
            all = all && src[i] != NULL;
        }
        cte_t *dest = NULL;
        lookup_result_t rc = cspace_lookup_slot(rroot, rbuf[BUF_RECV_CNODE]);
        word_t depth = rbuf[BUF_RECV_DEPTH];
        if (rc.slot != NULL && cap_get_type(rc.slot->cap) == CAP_CNODE && depth >= 1 &&
            depth <= 64) {
            lookup_result_t rs = cspace_resolve(rc.slot->cap, rbuf[BUF_RECV_INDEX],
                                                (unsigned)depth);
            if (rs.slot != NULL && rs.bits_remaining == 0 && cap_is_null(rs.slot->cap))
                dest = rs.slot;
        }
        for (unsigned i = 0; all && i < extra; i++, want_caps++) {
            cap_t c = src[i]->cap;
            if (cap_get_type(c) == CAP_ENDPOINT && ep != 0 && cap_ipc_paddr(c) == ep) {
                want_unwrapped |= 1u << i;
                continue;
            }
            if (dest == NULL)
                break;
            cap_t d = ref_derive(src[i]);
            if (cap_is_null(d))
                break;
            want_dest = dest;
            want_src = src[i];
            want_cap = d;
            dest = NULL;
        }
    }
    word_t want_rbuf[BUF_WORDS], want_regs[FR_COUNT];
    memcpy(want_rbuf, rbuf, sizeof(rbuf));
    memcpy(want_regs, receiver.ctx.regs, sizeof(want_regs));
    for (unsigned i = 0; i < length; i++) {
        if (i < 4)
            want_regs[mr_regs[i]] = sender.ctx.regs[mr_regs[i]];
        else
            want_rbuf[1 + i] = sbuf[1 + i];
    }
    for (unsigned i = 0; i < 3; i++)
        if (want_unwrapped & (1u << i))
            want_rbuf[BUF_CAPS + i] = cap_ipc_badge(cspace_lookup_slot(sroot,
                                                    sbuf[BUF_CAPS + i]).slot->cap);
    want_regs[FR_RSI] = msginfo_word(seL4_MessageInfo_get_label(in_info), want_unwrapped,
                                     want_caps, length);
    want_regs[FR_RDI] = badge;

    word_t sbuf_before[BUF_WORDS], sregs_before[FR_COUNT];
    memcpy(sbuf_before, sbuf, sizeof(sbuf));
    memcpy(sregs_before, sender.ctx.regs, sizeof(sregs_before));
    memcpy(snapshot_s, scn, sizeof(scn));
    memcpy(snapshot_r, rcn, sizeof(rcn));
    memcpy(snapshot_r2, rcn2, sizeof(rcn2));

    transfer_message(&sender, &receiver, ep, badge, can_grant);

    FZ_CHECK(receiver.ctx.regs[FR_RSI] == want_regs[FR_RSI],
             "receiver's message info %#lx, want %#lx (sent %#lx)",
             receiver.ctx.regs[FR_RSI], want_regs[FR_RSI], info);
    for (unsigned r = 0; r < FR_COUNT; r++)
        FZ_CHECK(receiver.ctx.regs[r] == want_regs[r], "receiver register %u is %#lx, "
                 "want %#lx", r, receiver.ctx.regs[r], want_regs[r]);
    for (unsigned i = 0; i < BUF_WORDS; i++)
        FZ_CHECK(rbuf[i] == want_rbuf[i], "receiver buffer word %u is %#lx, want %#lx", i,
                 rbuf[i], want_rbuf[i]);
    FZ_CHECK(memcmp(sbuf, sbuf_before, sizeof(sbuf)) == 0, "the sender's buffer changed");
    FZ_CHECK(memcmp(sender.ctx.regs, sregs_before, sizeof(sregs_before)) == 0,
             "the sender's registers changed");

    /* Slots: only the receive slot may have changed (links aside). */
    for (unsigned i = 0; i < ARRAY_SIZE(scn); i++) {
        cap_t want = snapshot_s[i].cap;
        /* A transferred untyped is copied: the original's watermark moves to
         * its end, so only the copy allocates (docs/abi-notes.md). */
        if (&scn[i] == want_src && cap_get_type(want) == CAP_UNTYPED)
            want = cap_untyped_set_free_offset(want, BIT(cap_untyped_size_bits(want)));
        FZ_CHECK(fz_same_cap(scn[i].cap, want), "sender slot %u changed", i);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(rcn); i++) {
        if (&rcn[i] != want_dest)
            FZ_CHECK(fz_same_cap(rcn[i].cap, snapshot_r[i].cap), "receiver slot %u changed", i);
        if (&rcn2[i] != want_dest)
            FZ_CHECK(fz_same_cap(rcn2[i].cap, snapshot_r2[i].cap),
                     "receiver CNode 2 slot %u changed", i);
    }
    if (want_dest != NULL) {
        FZ_CHECK(fz_same_cap(want_dest->cap, want_cap), "the received cap is %#lx:%#lx, "
                 "want %#lx:%#lx", want_dest->cap.w0, want_dest->cap.w1, want_cap.w0,
                 want_cap.w1);
        FZ_CHECK(cdt_next(want_src) == want_dest && cdt_prev(want_dest) == want_src,
                 "the received cap is not linked after its source");
    }
    fz_check_links();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = fz_in(data, size);
    uint8_t part = fz_u8(&in);
    if (part % 4 == 0) {
        while (fz_left(&in) > 0) {
            check_msginfo(&in);
            check_rights_and_cap_data(&in);
        }
        return 0;
    }
    check_transfer(&in);
    return 0;
}
