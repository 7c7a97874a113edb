/*
 * User-level faults. Delivery to a fault endpoint arrives with the faults
 * issue; today no thread can have a handler, so every fault is the
 * "no handler" case of faults.md §2: the thread becomes Inactive and the
 * kernel prints one decoded line naming it.
 */
#include "fault.h"
#include "printf.h"
#include "sched.h"
#include "ipc.h"

const char *arch_vector_name(word_t vector);

static void describe_vm_fault(const fault_t *f, char *buf, size_t size)
{
    word_t fsr = f->u.vm.fsr;
    ksnprintf(buf, size, "VMFault at ip %#lx: %s %s address %#lx (%s, fsr %#lx)",
              f->ip, f->u.vm.prefetch ? "instruction fetch from" :
                     (fsr & 2) ? "write to" : "read from",
              (fsr & 1) ? "protected" : "unmapped", f->u.vm.addr,
              (fsr & 4) ? "user" : "supervisor", fsr);
}

static const char *lookup_fault_name(lookup_fault_type_t t)
{
    switch (t) {
    case LOOKUP_INVALID_ROOT:
        return "invalid root";
    case LOOKUP_MISSING_CAPABILITY:
        return "missing capability";
    case LOOKUP_DEPTH_MISMATCH:
        return "depth mismatch";
    case LOOKUP_GUARD_MISMATCH:
        return "guard mismatch";
    default:
        return "no failure";
    }
}

void fault_describe(const fault_t *f, char *buf, size_t size)
{
    switch (f->type) {
    case FAULT_VM:
        describe_vm_fault(f, buf, size);
        break;
    case FAULT_USER_EXCEPTION:
        ksnprintf(buf, size, "UserException at ip %#lx: vector %lu (%s), code %#lx", f->ip,
                  f->u.user_exception.number, arch_vector_name(f->u.user_exception.number),
                  f->u.user_exception.code);
        break;
    case FAULT_UNKNOWN_SYSCALL:
        ksnprintf(buf, size, "UnknownSyscall at ip %#lx: number %ld (%#lx)", f->ip,
                  (long)f->u.unknown_syscall.number, f->u.unknown_syscall.number);
        break;
    case FAULT_CAP:
        ksnprintf(buf, size, "CapFault at ip %#lx: cptr %#lx (%s phase), %s, %u bits left", f->ip,
                  f->u.cap.addr, f->u.cap.in_recv_phase ? "receive" : "send",
                  lookup_fault_name(f->u.cap.lookup.type), f->u.cap.lookup.bits_left);
        break;
    default:
        ksnprintf(buf, size, "fault type %d at ip %#lx", (int)f->type, f->ip);
        break;
    }
}

/*
 * The handler must be an endpoint cap with Write and Grant or GrantReply,
 * found at the thread's fault-handler CPtr in its own CSpace (faults.md §2).
 */
static bool find_handler(tcb_t *t, cap_t *handler)
{
    lookup_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, t->fault_handler);
    if (r.slot == NULL || cap_get_type(r.slot->cap) != CAP_ENDPOINT)
        return false;
    unsigned rights = cap_ipc_rights(r.slot->cap);
    if (!(rights & RIGHT_WRITE) || !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return false;
    *handler = r.slot->cap;
    return true;
}

void handle_fault(tcb_t *t, const fault_t *f)
{
    cap_t handler;
    if (find_handler(t, &handler)) {
        t->fault = *f;
        ipc_send_fault(t, handler);
        return;
    }
    char what[160];
    fault_describe(f, what, sizeof(what));
    kprintf("arca: thread '%s' (tcb %p): %s; no fault handler, thread suspended\n", t->name,
            (void *)t, what);
    thread_set_state(t, THREAD_INACTIVE);
}

/* UnknownSyscall message order (faults.md §3.2), also used for its reply. */
static const unsigned syscall_fault_regs[18] = {
    FR_RAX, FR_RBX, FR_RCX, FR_RDX, FR_RSI, FR_RDI, FR_RBP, FR_R8, FR_R9, FR_R10, FR_R11,
    FR_R12, FR_R13, FR_R14, FR_R15, FR_FAULT_IP, FR_RSP, FR_RFLAGS,
};

static unsigned cap_fault_message(const fault_t *f, word_t *m)
{
    const lookup_fault_t *lf = &f->u.cap.lookup;
    m[0] = f->ip;
    m[1] = f->u.cap.addr;
    m[2] = f->u.cap.in_recv_phase;
    m[3] = lf->type;
    switch (lf->type) {
    case LOOKUP_INVALID_ROOT:
        return 4;
    case LOOKUP_MISSING_CAPABILITY:
        m[4] = lf->bits_left;
        return 5;
    case LOOKUP_DEPTH_MISMATCH:
        m[4] = lf->bits_left;
        m[5] = lf->bits_found;
        return 6;
    default:
        m[4] = lf->bits_left;
        m[5] = lf->guard_found;
        m[6] = lf->bits_found;
        return 7;
    }
}

unsigned fault_message(const tcb_t *t, word_t *m, unsigned max)
{
    const fault_t *f = &t->fault;
    (void)max;              /* callers pass room for the longest (19) */
    switch (f->type) {
    case FAULT_CAP:
        return cap_fault_message(f, m);
    case FAULT_UNKNOWN_SYSCALL:
        for (unsigned i = 0; i < ARRAY_SIZE(syscall_fault_regs); i++)
            m[i] = arch_get_reg(&t->ctx, syscall_fault_regs[i]);
        m[18] = f->u.unknown_syscall.number;
        return 19;
    case FAULT_USER_EXCEPTION:
        m[0] = f->ip;
        m[1] = arch_get_reg(&t->ctx, FR_RSP);
        m[2] = arch_get_reg(&t->ctx, FR_RFLAGS);
        m[3] = f->u.user_exception.number;
        m[4] = f->u.user_exception.code;
        return 5;
    case FAULT_VM:
        m[0] = f->ip;
        m[1] = f->u.vm.addr;
        m[2] = f->u.vm.prefetch;
        m[3] = f->u.vm.fsr;
        return 4;
    default:
        return 0;
    }
}

/* Writes a register from a fault reply, sanitised as WriteRegisters does. */
static void write_reply_reg(tcb_t *t, unsigned fr, word_t v)
{
    if (fr == FR_FAULT_IP)
        v = canonical_or_zero(v);
    else if (fr == FR_RFLAGS)
        v = sanitise_user_flags(v);
    arch_set_reg(&t->ctx, fr, v);
}

void fault_reply(tcb_t *t, word_t label, unsigned length, const word_t *mrs)
{
    static const unsigned exception_regs[3] = { FR_FAULT_IP, FR_RSP, FR_RFLAGS };
    bool restart = true;
    switch (t->fault.type) {
    case FAULT_UNKNOWN_SYSCALL:
        for (unsigned i = 0; i < length && i < ARRAY_SIZE(syscall_fault_regs); i++)
            write_reply_reg(t, syscall_fault_regs[i], mrs[i]);
        restart = label == 0;
        break;
    case FAULT_USER_EXCEPTION:
        for (unsigned i = 0; i < length && i < ARRAY_SIZE(exception_regs); i++)
            write_reply_reg(t, exception_regs[i], mrs[i]);
        restart = label == 0;
        break;
    default:
        break;              /* CapFault, VMFault: the reply's content is ignored */
    }
    t->fault.type = FAULT_NULL;
    thread_set_state(t, restart ? THREAD_RESTART : THREAD_INACTIVE);
    if (restart)
        sched_wake(t);
}
