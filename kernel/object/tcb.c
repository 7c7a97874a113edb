/*
 * TCB objects: the invocations on a thread (invocations.md §2.2,
 * objects.md §7): registers, CSpace/VSpace/IPC buffer, priorities,
 * suspend/resume, notification binding, TLS base and flags.
 */
#include "invocation.h"
#include "sched.h"
#include "ipc.h"
#include "cdt.h"
#include "delete.h"

#define USER_CONTEXT_WORDS  20      /* seL4_UserContext (objects.md §7.2) */
#define FRAME_REGS          18      /* indices 0..17: "frame" registers */

/* seL4_UserContext order → saved-frame slot. Index 0 (rip) is special. */
static const unsigned context_reg[USER_CONTEXT_WORDS] = {
    FR_RIP, FR_RSP, FR_RFLAGS, FR_RAX, FR_RBX, FR_RCX, FR_RDX, FR_RSI, FR_RDI, FR_RBP,
    FR_R8, FR_R9, FR_R10, FR_R11, FR_R12, FR_R13, FR_R14, FR_R15, FR_FS_BASE, FR_GS_BASE,
};

static tcb_t *target_of(const invocation_t *inv)
{
    return cap_thread_tcb(inv->cap);
}

/* ReadRegisters reports the restart address as rip. */
static word_t read_context_reg(const tcb_t *t, unsigned i)
{
    if (i == 0)
        return arch_get_reg(&t->ctx, FR_FAULT_IP);
    return arch_get_reg(&t->ctx, context_reg[i]);
}

/* WriteRegisters' sanitising (objects.md §7.2). */
static word_t sanitise(unsigned i, word_t v)
{
    if (i == 0 || i == 18 || i == 19)
        return canonical_or_zero(v);
    if (i == 2)
        return sanitise_user_flags(v);
    return v;
}

static void write_context_reg(tcb_t *t, unsigned i, word_t v)
{
    if (i == 0) {
        arch_set_reg(&t->ctx, FR_RIP, v);
        arch_set_reg(&t->ctx, FR_FAULT_IP, v);
        return;
    }
    arch_set_reg(&t->ctx, context_reg[i], v);
}

/* The rewritten context is restored in full (iretq), not by sysretq. */
static void force_full_restore(tcb_t *t)
{
    arch_set_reg(&t->ctx, FR_ERROR, 0);
}

static bool decode_read_registers(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 2)
        return err_simple(e, seL4_TruncatedMessage, "ReadRegisters needs 2 words");
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    tcb_t *t = target_of(inv);
    if (count < 1 || count > USER_CONTEXT_WORDS)
        return err_range(e, 1, USER_CONTEXT_WORDS, "count must be 1..20");
    if (t == inv->caller)
        return err_simple(e, seL4_IllegalOperation, "a thread cannot read its own registers");
    if (flags & 1)
        thread_suspend(t);
    _Static_assert(USER_CONTEXT_WORDS <= INVOCATION_MAX_REPLY, "reply too small");
    for (unsigned i = 0; i < count; i++)
        inv->reply[i] = read_context_reg(t, i);
    inv->reply_length = (unsigned)count;
    return true;
}

static bool decode_write_registers(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 2)
        return err_simple(e, seL4_TruncatedMessage, "WriteRegisters needs 2 words");
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    tcb_t *t = target_of(inv);
    if (inv->length - 2 < count)
        return err_simple(e, seL4_TruncatedMessage, "fewer values than count");
    if (t == inv->caller)
        return err_simple(e, seL4_IllegalOperation, "a thread cannot write its own registers");
    if (count > USER_CONTEXT_WORDS)
        count = USER_CONTEXT_WORDS;
    for (unsigned i = 0; i < count; i++)
        write_context_reg(t, i, sanitise(i, inv_mr(inv, 2 + i)));
    force_full_restore(t);
    /* Whatever system call it redoes now is a new one. */
    badged_sends_forget(t);
    if (flags & 1)
        thread_restart(t);
    return true;
}

static bool decode_copy_registers(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 1 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "CopyRegisters needs flags and a source");
    cap_t src_cap = inv->extra[0]->cap;
    if (cap_get_type(src_cap) != CAP_THREAD)
        return err_invalid_capability(e, 1, "the source is not a TCB cap");
    word_t flags = inv_mr(inv, 0);
    tcb_t *src = cap_thread_tcb(src_cap), *dest = target_of(inv);
    if (flags & BIT(0))
        thread_suspend(src);
    if (flags & BIT(1))
        thread_restart(dest);
    if (flags & BIT(2)) {
        for (unsigned i = 0; i < FRAME_REGS; i++)
            write_context_reg(dest, i, read_context_reg(src, i));
    }
    if (flags & BIT(3)) {
        for (unsigned i = FRAME_REGS; i < USER_CONTEXT_WORDS; i++)
            write_context_reg(dest, i, read_context_reg(src, i));
    }
    if (dest != inv->caller)
        force_full_restore(dest);
    if (flags & (BIT(2) | BIT(3)))
        badged_sends_forget(dest);
    return true;
}

/* SetSpace/Configure step 3: replacing a last CNode/TCB/Zombie cap is refused. */
static bool root_replaceable(const cte_t *slot)
{
    cap_type_t t = cap_get_type(slot->cap);
    if (t != CAP_CNODE && t != CAP_THREAD && t != CAP_ZOMBIE)
        return true;
    return !cdt_is_final(slot);
}

struct space_args {
    word_t fault_ep;
    cte_t *cspace_src, *vspace_src;
    cap_t cspace, vspace;
};

static bool decode_space(invocation_t *inv, unsigned first_cap, struct space_args *a,
                         syscall_error_t *e)
{
    tcb_t *t = target_of(inv);
    a->fault_ep = inv_mr(inv, 0);
    word_t cspace_data = inv_mr(inv, 1), vspace_data = inv_mr(inv, 2);
    (void)vspace_data;                  /* has no effect on a PML4 cap */
    if (!root_replaceable(&t->slots[TCB_SLOT_CSPACE]) ||
        !root_replaceable(&t->slots[TCB_SLOT_VSPACE]))
        return err_simple(e, seL4_IllegalOperation,
                          "the thread holds the last cap to its CSpace or VSpace root");
    a->cspace_src = inv->extra[first_cap];
    a->vspace_src = inv->extra[first_cap + 1];
    cap_t cspace = a->cspace_src->cap;
    if (cspace_data != 0)
        cspace = cap_update_data(false, cspace_data, cspace);
    if (!cap_derive(a->cspace_src, cspace, &a->cspace, e))
        return false;
    if (cap_get_type(a->cspace) != CAP_CNODE)
        return err_simple(e, seL4_IllegalOperation, "the CSpace root is not a CNode cap");
    if (!cap_derive(a->vspace_src, a->vspace_src->cap, &a->vspace, e))
        return false;
    if (cap_get_type(a->vspace) != CAP_PML4 || cap_asid(a->vspace) == 0)
        return err_simple(e, seL4_IllegalOperation,
                          "the VSpace root is not a PML4 cap with an ASID");
    return true;
}

static bool decode_buffer(invocation_t *inv, word_t buffer, cte_t *frame_slot, cap_t *frame,
                          syscall_error_t *e)
{
    if (buffer == 0)
        return true;
    if (!cap_derive(frame_slot, frame_slot->cap, frame, e))
        return false;
    if (cap_get_type(*frame) != CAP_FRAME)
        return err_simple(e, seL4_IllegalOperation, "the IPC buffer cap is not a frame cap");
    if (cap_frame_is_device(*frame))
        return err_simple(e, seL4_IllegalOperation, "the IPC buffer cannot be device memory");
    if (!IS_ALIGNED(buffer, 1024))
        return err_simple(e, seL4_AlignmentError, "the IPC buffer must be 1 KiB aligned");
    (void)inv;
    return true;
}

/* Replaces one of the TCB's own slots with a derived copy from src. */
static void install(tcb_t *t, unsigned which, cte_t *src, cap_t cap)
{
    cte_delete(&t->slots[which]);
    if (src != NULL && !cap_is_null(cap))
        cdt_insert_derived(src, &t->slots[which], cap);
}

static void perform_space(tcb_t *t, const struct space_args *a)
{
    t->fault_handler = a->fault_ep;
    install(t, TCB_SLOT_CSPACE, a->cspace_src, a->cspace);
    install(t, TCB_SLOT_VSPACE, a->vspace_src, a->vspace);
}

static void perform_buffer(tcb_t *t, word_t buffer, cte_t *frame_slot, cap_t frame)
{
    t->ipc_buffer_vaddr = buffer;
    install(t, TCB_SLOT_IPC_BUFFER, buffer != 0 ? frame_slot : NULL, frame);
}

static bool decode_configure(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 4 || inv->num_extra < 3)
        return err_simple(e, seL4_TruncatedMessage, "Configure needs 4 words and 3 caps");
    word_t buffer = inv_mr(inv, 3);
    cap_t frame = cap_null();
    struct space_args a;
    if (!decode_buffer(inv, buffer, inv->extra[2], &frame, e) || !decode_space(inv, 0, &a, e))
        return false;
    tcb_t *t = target_of(inv);
    perform_space(t, &a);
    perform_buffer(t, buffer, inv->extra[2], frame);
    return true;
}

static bool decode_set_space(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 3 || inv->num_extra < 2)
        return err_simple(e, seL4_TruncatedMessage, "SetSpace needs 3 words and 2 caps");
    struct space_args a;
    if (!decode_space(inv, 0, &a, e))
        return false;
    perform_space(target_of(inv), &a);
    return true;
}

static bool decode_set_ipc_buffer(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 1 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "SetIPCBuffer needs a word and a cap");
    word_t buffer = inv_mr(inv, 0);
    cap_t frame = cap_null();
    if (!decode_buffer(inv, buffer, inv->extra[0], &frame, e))
        return false;
    perform_buffer(target_of(inv), buffer, inv->extra[0], frame);
    return true;
}

static void set_priority(tcb_t *t, unsigned prio)
{
    bool queued = t->queued;
    sched_dequeue(t);
    t->priority = (uint8_t)prio;
    if (t == cur_thread)
        sched_reschedule_required();    /* it may no longer be the best choice */
    else if (queued || thread_is_runnable(t))
        sched_wake(t);
}

/* SetPriority, SetMCPriority, SetSchedParams: checks against the authority's MCP. */
static bool decode_priorities(invocation_t *inv, syscall_error_t *e)
{
    unsigned words = inv->label == TCBSetSchedParams ? 2 : 1;
    if (inv->length < words || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "missing priority or authority");
    cap_t auth = inv->extra[0]->cap;
    if (cap_get_type(auth) != CAP_THREAD)
        return err_invalid_capability(e, 1, "the authority is not a TCB cap");
    word_t mcp = ((tcb_t *)cap_thread_tcb(auth))->mcp;
    word_t first = inv_mr(inv, 0), second = words == 2 ? inv_mr(inv, 1) : 0;
    if (first > mcp || (words == 2 && second > mcp))
        return err_range(e, 0, mcp, "priority above the authority's MCP");
    tcb_t *t = target_of(inv);
    switch (inv->label) {
    case TCBSetPriority:
        set_priority(t, (unsigned)first);
        break;
    case TCBSetMCPriority:
        t->mcp = (uint8_t)first;
        break;
    default:
        t->mcp = (uint8_t)first;
        set_priority(t, (unsigned)second);
        break;
    }
    return true;
}

static bool decode_bind(invocation_t *inv, syscall_error_t *e)
{
    tcb_t *t = target_of(inv);
    if (inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "BindNotification needs a cap");
    if (t->bound_notification != 0)
        return err_simple(e, seL4_IllegalOperation, "the thread already has a notification");
    cap_t n = inv->extra[0]->cap;
    if (cap_get_type(n) != CAP_NOTIFICATION)
        return err_simple(e, seL4_IllegalOperation, "not a notification cap");
    if (!(cap_ipc_rights(n) & RIGHT_READ))
        return err_simple(e, seL4_IllegalOperation, "the notification cap lacks Read");
    if (!ntfn_can_bind(cap_ipc_paddr(n)))
        return err_simple(e, seL4_IllegalOperation, "the notification is bound or has waiters");
    ntfn_bind(cap_ipc_paddr(n), t);
    return true;
}

static bool decode_set_flags(invocation_t *inv, syscall_error_t *e)
{
    if (inv->length < 2)
        return err_simple(e, seL4_TruncatedMessage, "SetFlags needs clear and set");
    tcb_t *t = target_of(inv);
    t->flags = (t->flags & ~inv_mr(inv, 0)) | (inv_mr(inv, 1) & TCB_FLAG_FPU_DISABLED);
    inv->reply[0] = t->flags;
    inv->reply_length = 1;
    return true;
}

bool decode_tcb_invocation(invocation_t *inv, syscall_error_t *e)
{
    tcb_t *t = target_of(inv);
    switch (inv->label) {
    case TCBReadRegisters:
        return decode_read_registers(inv, e);
    case TCBWriteRegisters:
        return decode_write_registers(inv, e);
    case TCBCopyRegisters:
        return decode_copy_registers(inv, e);
    case TCBConfigure:
        return decode_configure(inv, e);
    case TCBSetPriority:
    case TCBSetMCPriority:
    case TCBSetSchedParams:
        return decode_priorities(inv, e);
    case TCBSetIPCBuffer:
        return decode_set_ipc_buffer(inv, e);
    case TCBSetSpace:
        return decode_set_space(inv, e);
    case TCBSuspend:
        thread_suspend(t);
        return true;
    case TCBResume:
        thread_restart(t);
        return true;
    case TCBBindNotification:
        return decode_bind(inv, e);
    case TCBUnbindNotification:
        if (t->bound_notification == 0)
            return err_simple(e, seL4_IllegalOperation, "no notification is bound");
        ntfn_unbind(t);
        return true;
    case TCBSetTLSBase: {
        if (inv->length < 1)
            return err_simple(e, seL4_TruncatedMessage, "SetTLSBase needs a word");
        /* seL4 stores any value; a non-canonical FS base would fault the
         * kernel's wrmsr, so Arca stores 0 instead (abi-notes.md). */
        word_t base = inv_mr(inv, 0);
        arch_set_reg(&t->ctx, FR_FS_BASE, canonical_or_zero(base));
        return true;
    }
    case TCBSetFlags:
        return decode_set_flags(inv, e);
    default:
        return err_simple(e, seL4_IllegalOperation, "not a TCB invocation");
    }
}
