/*
 * User-level faults. Delivery to a fault endpoint arrives with the faults
 * issue; today no thread can have a handler, so every fault is the
 * "no handler" case of faults.md §2: the thread becomes Inactive and the
 * kernel prints one decoded line naming it.
 */
#include "fault.h"
#include "printf.h"
#include "sched.h"

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

void handle_fault(tcb_t *t, const fault_t *f)
{
    char what[160];
    fault_describe(f, what, sizeof(what));
    kprintf("arca: thread '%s' (tcb %p): %s; no fault handler, thread suspended\n", t->name,
            (void *)t, what);
    thread_set_state(t, THREAD_INACTIVE);
}
