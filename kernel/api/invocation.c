/*
 * Gathering an invocation's inputs, dispatching it to the invoked object's
 * decoder, and writing the kernel's reply (invocation.h).
 */
#include "invocation.h"
#include "printf.h"
#include "ipc.h"
#include "preempt.h"
#include <sel4/messageinfo.h>

bool invocation_print_errors = true;

/* MR0..3 travel in R10, R8, R9, R15; the rest in the IPC buffer's msg[]. */
static const unsigned mr_regs[4] = { FR_R10, FR_R8, FR_R9, FR_R15 };

word_t inv_mr(const invocation_t *inv, unsigned i)
{
    if (i < 4)
        return arch_get_reg(&inv->caller->ctx, mr_regs[i]);
    if (inv->buffer == NULL)
        return 0;
    return inv->buffer[1 + i];
}

bool err_simple(syscall_error_t *e, seL4_Error type, const char *reason)
{
    *e = (syscall_error_t){ .type = type, .reason = reason };
    return false;
}

bool err_invalid_argument(syscall_error_t *e, word_t index, const char *reason)
{
    *e = (syscall_error_t){ .type = seL4_InvalidArgument, .num_mrs = 1, .mrs = { index },
                            .reason = reason };
    return false;
}

bool err_invalid_capability(syscall_error_t *e, word_t index, const char *reason)
{
    *e = (syscall_error_t){ .type = seL4_InvalidCapability, .num_mrs = 1, .mrs = { index },
                            .reason = reason };
    return false;
}

bool err_range(syscall_error_t *e, word_t min, word_t max, const char *reason)
{
    *e = (syscall_error_t){ .type = seL4_RangeError, .num_mrs = 2, .mrs = { min, max },
                            .reason = reason };
    return false;
}

/* FailedLookup MRs: source flag, then the lookup failure (capabilities.md §2). */
bool err_failed_lookup(syscall_error_t *e, bool source, const lookup_fault_t *lf,
                       const char *reason)
{
    *e = (syscall_error_t){ .type = seL4_FailedLookup, .reason = reason };
    e->mrs[0] = source;
    e->mrs[1] = lf->type;
    switch (lf->type) {
    case LOOKUP_INVALID_ROOT:
        e->num_mrs = 2;
        break;
    case LOOKUP_MISSING_CAPABILITY:
        e->mrs[2] = lf->bits_left;
        e->num_mrs = 3;
        break;
    case LOOKUP_DEPTH_MISMATCH:
        e->mrs[2] = lf->bits_left;
        e->mrs[3] = lf->bits_found;
        e->num_mrs = 4;
        break;
    default:
        e->mrs[2] = lf->bits_left;
        e->mrs[3] = lf->guard_found;
        e->mrs[4] = lf->bits_found;
        e->num_mrs = 5;
        break;
    }
    return false;
}

bool err_not_enough_memory(syscall_error_t *e, word_t available)
{
    *e = (syscall_error_t){ .type = seL4_NotEnoughMemory, .num_mrs = 1, .mrs = { available },
                            .reason = "not enough free memory in the untyped" };
    return false;
}

cte_t *lookup_target_slot(cap_t root, word_t index, word_t depth, bool source,
                          syscall_error_t *e)
{
    if (cap_get_type(root) != CAP_CNODE) {
        lookup_fault_t lf = { .type = LOOKUP_INVALID_ROOT };
        err_failed_lookup(e, source, &lf, "the root is not a CNode cap");
        return NULL;
    }
    if (depth < 1 || depth > 64) {
        err_range(e, 1, 64, "depth must be 1..64");
        return NULL;
    }
    lookup_result_t r = cspace_resolve(root, index, (unsigned)depth);
    if (r.slot == NULL) {
        err_failed_lookup(e, source, &r.fault, "the slot lookup failed");
        return NULL;
    }
    if (r.bits_remaining != 0) {
        lookup_fault_t lf = { .type = LOOKUP_DEPTH_MISMATCH, .bits_left = r.bits_remaining };
        err_failed_lookup(e, source, &lf, "the depth stops at a slot that is not a CNode");
        return NULL;
    }
    return r.slot;
}

static const char *error_name(seL4_Error e)
{
    static const char *const names[] = {
        "NoError", "InvalidArgument", "InvalidCapability", "IllegalOperation",
        "RangeError", "AlignmentError", "FailedLookup", "TruncatedMessage",
        "DeleteFirst", "RevokeFirst", "NotEnoughMemory",
    };
    return (unsigned)e < ARRAY_SIZE(names) ? names[e] : "?";
}

static void print_error(const invocation_t *inv, const syscall_error_t *e)
{
    kprintf("arca: '%s' %s on a %s cap: %s", inv->caller->name,
            invocation_label_name(inv->label), cap_type_name(cap_get_type(inv->cap)),
            error_name(e->type));
    if (e->reason != NULL)
        kprintf(" (%s)", e->reason);
    kprintf("\n");
}

/* Writes a kernel reply: label, MRs (registers, then IPC buffer), badge 0. */
static void write_reply(invocation_t *inv, word_t label, unsigned n, const word_t *mrs)
{
    tcb_t *t = inv->caller;
    word_t *buf = thread_ipc_buffer(t, true);
    unsigned sent = 0;
    for (; sent < n; sent++) {
        if (sent < 4)
            arch_set_reg(&t->ctx, mr_regs[sent], mrs[sent]);
        else if (buf != NULL)
            buf[1 + sent] = mrs[sent];
        else
            break;              /* no buffer: MRs beyond 4 are dropped */
    }
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, 0, sent);
    arch_set_reg(&t->ctx, FR_RSI, info.words[0]);
    arch_set_reg(&t->ctx, FR_RDI, 0);
}

/*
 * Endpoints, notifications and reply caps carry messages rather than
 * invocations; they need Write (a master reply cap cannot be used).
 */
static bool send_message(invocation_t *inv, syscall_error_t *e)
{
    cap_t cap = inv->cap;
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
        if (!(cap_ipc_rights(cap) & RIGHT_WRITE))
            return err_invalid_capability(e, 0, "the endpoint cap lacks Write");
        ipc_send(inv->caller, cap, inv->blocking, inv->is_call);
        return true;
    case CAP_NOTIFICATION:
        if (!(cap_ipc_rights(cap) & RIGHT_WRITE))
            return err_invalid_capability(e, 0, "the notification cap lacks Write");
        ntfn_signal(cap_ipc_paddr(cap), cap_ipc_badge(cap));
        return true;
    default:
        if (cap_reply_is_master(cap))
            return err_invalid_capability(e, 0, "a master reply cap cannot be invoked");
        ipc_reply(inv->caller, inv->slot);
        return true;
    }
}

static bool decode(invocation_t *inv, syscall_error_t *e)
{
    switch (cap_get_type(inv->cap)) {
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
    case CAP_REPLY:
        return send_message(inv, e);
    case CAP_NULL:
    case CAP_ZOMBIE:
        return err_invalid_capability(e, 0, "the invoked slot holds no cap");
    case CAP_CNODE:
        return decode_cnode_invocation(inv, e);
    case CAP_UNTYPED:
        return decode_untyped_invocation(inv, e);
    case CAP_THREAD:
        return decode_tcb_invocation(inv, e);
    case CAP_DOMAIN:
        return decode_domain_invocation(inv, e);
    case CAP_IRQ_CONTROL:
        return decode_irq_control_invocation(inv, e);
    case CAP_IRQ_HANDLER:
        return decode_irq_handler_invocation(inv, e);
    case CAP_IO_PORT_CONTROL:
    case CAP_IO_PORT:
        return decode_ioport_invocation(inv, e);
    case CAP_FRAME:
    case CAP_PAGE_TABLE:
    case CAP_PAGE_DIRECTORY:
    case CAP_PDPT:
    case CAP_PML4:
    case CAP_ASID_CONTROL:
    case CAP_ASID_POOL:
        return decode_arch_invocation(inv, e);
    default:
        /* Every cap type is handled above; an unknown tag has no invocations. */
        return err_simple(e, seL4_IllegalOperation, "this cap type has no invocations");
    }
}

void perform_invocation(invocation_t *inv)
{
    syscall_error_t e;
    inv->preempted = false;     /* callers fill the struct field by field */
    preempt_begin();
    bool ok = decode(inv, &e);
    preempt_end(inv->preempted);
    if (ok && inv->preempted) {
        /*
         * Stopped for a pending interrupt: the objects record how far the
         * work got, and the caller re-executes its system call (from its
         * fault IP) after the interrupt has been taken.
         */
        if (inv->caller->state == THREAD_RUNNING)
            thread_set_state(inv->caller, THREAD_RESTART);
        return;
    }
    if (ok) {
        /* A caller that stopped (e.g. suspended itself) gets no reply. */
        if (inv->is_call && inv->caller->state == THREAD_RUNNING)
            write_reply(inv, 0, inv->reply_length, inv->reply);
        return;
    }
    if (invocation_print_errors)
        print_error(inv, &e);
    if (inv->is_call)
        write_reply(inv, e.type, e.num_mrs, e.mrs);
}
