/*
 * System calls: entry → decode → perform → schedule → exit.
 *
 * The numbers -1..-8 are the IPC syscalls; -9 and below are the debug and
 * extension syscalls of a debug build (syscalls.md §1.1, §9). Anything else
 * is an UnknownSyscall fault.
 */
#include "syscall.h"
#include "sched.h"
#include "fault.h"
#include "cspace.h"
#include "debug.h"
#include "invocation.h"
#include "ipc.h"
#include "delete.h"
#include "printf.h"
#include <sel4/syscall.h>
#include <sel4/constants.h>

/* Message info word (syscalls.md §5), built through libsel4's definition. */
#include <sel4/messageinfo.h>

static word_t reg(const tcb_t *t, unsigned fr)
{
    return arch_get_reg(&t->ctx, fr);
}

static void raise_cap_fault(tcb_t *t, word_t cptr, bool in_recv, const lookup_fault_t *lf)
{
    fault_t f = { .type = FAULT_CAP, .ip = reg(t, FR_FAULT_IP) };
    f.u.cap.addr = cptr;
    f.u.cap.in_recv_phase = in_recv;
    f.u.cap.lookup = *lf;
    handle_fault(t, &f);
}

void handle_unknown_syscall(tcb_t *t, word_t number)
{
    fault_t f = { .type = FAULT_UNKNOWN_SYSCALL, .ip = reg(t, FR_FAULT_IP) };
    f.u.unknown_syscall.number = number;
    handle_fault(t, &f);
}

/* The message length as the kernel uses it (syscalls.md §5, §6.2). */
static unsigned message_length(seL4_MessageInfo_t info, const word_t *buffer)
{
    unsigned length = (unsigned)seL4_MessageInfo_get_length(info);
    if (length > seL4_MsgMaxLength)
        length = seL4_MsgMaxLength;
    if (buffer == NULL && length > seL4_FastMessageRegisters)
        length = seL4_FastMessageRegisters;
    return length;
}

/*
 * Looks up the extra caps named in the IPC buffer (none without a buffer).
 * Returns false and sets bad_cptr and fault if one fails to resolve.
 */
static bool lookup_extra_caps(tcb_t *t, seL4_MessageInfo_t info, const word_t *buffer,
                              invocation_t *inv, word_t *bad_cptr, lookup_fault_t *fault)
{
    inv->num_extra = 0;
    if (buffer == NULL)
        return true;
    unsigned n = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    for (unsigned i = 0; i < n && i < MAX_EXTRA_CAPS; i++) {
        word_t cptr = buffer[IPC_BUFFER_CAPS_WORD + i];
        cte_t *slot = cspace_lookup_syscall(t->slots[TCB_SLOT_CSPACE].cap, cptr, fault);
        if (slot == NULL) {
            *bad_cptr = cptr;
            return false;
        }
        inv->extra[inv->num_extra++] = slot;
    }
    return true;
}

/*
 * Send, NBSend and Call: look up the invoked cap and the extra caps, then
 * invoke the object. A lookup failure is a CapFault for Send and Call and
 * silently ends an NBSend (syscalls.md §8). Endpoints, notifications and
 * reply caps carry messages (the IPC issue); every other cap is an
 * invocation of the kernel object.
 */
static void handle_send(tcb_t *t, bool blocking, bool is_call)
{
    word_t cptr = reg(t, FR_RDI);
    lookup_fault_t lf;
    cte_t *slot = cspace_lookup_syscall(t->slots[TCB_SLOT_CSPACE].cap, cptr, &lf);
    if (slot == NULL) {
        if (blocking)
            raise_cap_fault(t, cptr, false, &lf);
        return;
    }
    seL4_MessageInfo_t info = { { reg(t, FR_RSI) } };
    const word_t *buffer = thread_ipc_buffer(t, false);
    /*
     * Field by field rather than with an initialiser, which would also zero
     * the extra-cap and reply arrays on every invocation: they are filled
     * (and their counts set) before anything reads them.
     */
    invocation_t inv;
    inv.caller = t;
    inv.slot = slot;
    inv.cap = slot->cap;
    inv.label = seL4_MessageInfo_get_label(info);
    inv.length = message_length(info, buffer);
    inv.buffer = buffer;
    inv.is_call = is_call;
    inv.blocking = blocking;
    inv.reply_length = 0;
    word_t bad_cptr;
    lookup_fault_t fault;
    if (!lookup_extra_caps(t, info, buffer, &inv, &bad_cptr, &fault)) {
        if (blocking)
            raise_cap_fault(t, bad_cptr, false, &fault);
        return;
    }
    perform_invocation(&inv);
}

/* Recv on a cap that cannot receive: seL4's MissingCapability, 0 bits left. */
static void unsuitable_for_recv(tcb_t *t, word_t cptr)
{
    lookup_fault_t lf = { .type = LOOKUP_MISSING_CAPABILITY, .bits_left = 0 };
    raise_cap_fault(t, cptr, true, &lf);
}

/*
 * Recv and NBRecv (syscalls.md §8): an endpoint or notification cap with
 * Read; a notification bound to another thread cannot be waited on.
 */
static void handle_recv(tcb_t *t, bool blocking)
{
    word_t cptr = reg(t, FR_RDI);
    lookup_fault_t lf;
    cte_t *slot = cspace_lookup_syscall(t->slots[TCB_SLOT_CSPACE].cap, cptr, &lf);
    if (slot == NULL) {
        raise_cap_fault(t, cptr, true, &lf);
        return;
    }
    cap_t cap = slot->cap;
    bool readable = (cap_ipc_rights(cap) & RIGHT_READ) != 0;
    switch (cap_get_type(cap)) {
    case CAP_ENDPOINT:
        if (!readable) {
            unsuitable_for_recv(t, cptr);
            return;
        }
        /* An unsaved reply cap does not survive the next Recv. */
        cte_delete(&t->slots[TCB_SLOT_CALLER]);
        if (ntfn_take_bound_signal(t))
            return;
        ipc_receive(t, cap, blocking);
        return;
    case CAP_NOTIFICATION: {
        paddr_t bound = ntfn_bound(ntfn_ptr(cap_ipc_paddr(cap)));
        if (!readable || (bound != 0 && bound != kptr_to_paddr(t))) {
            unsuitable_for_recv(t, cptr);
            return;
        }
        ntfn_wait(t, cap_ipc_paddr(cap), blocking);
        return;
    }
    default:
        unsuitable_for_recv(t, cptr);
        return;
    }
}

/* Reply through the caller slot; an empty slot means nothing happens. */
static void handle_reply(tcb_t *t)
{
    cte_t *slot = &t->slots[TCB_SLOT_CALLER];
    if (cap_get_type(slot->cap) == CAP_REPLY)
        ipc_reply(t, slot);
}

static void handle_ipc_syscall(tcb_t *t, sword_t number)
{
    switch (number) {
    case seL4_SysCall:
        handle_send(t, true, true);
        break;
    case seL4_SysSend:
        handle_send(t, true, false);
        break;
    case seL4_SysNBSend:
        handle_send(t, false, false);
        break;
    case seL4_SysRecv:
        handle_recv(t, true);
        break;
    case seL4_SysNBRecv:
        handle_recv(t, false);
        break;
    case seL4_SysReply:
        handle_reply(t);
        break;
    case seL4_SysReplyRecv:
        handle_reply(t);
        handle_recv(t, true);
        break;
    case seL4_SysYield:
        sched_yield();
        break;
    }
}

NORETURN void c_handle_syscall(void)
{
    tcb_t *t = cur_thread;
    /* The entry stub stored FaultIP and tried the fastpath already. */
    sword_t number = (sword_t)reg(t, FR_RDX);
    if (number >= seL4_SysNBRecv && number <= seL4_SysCall)
        handle_ipc_syscall(t, number);
    else if (!handle_debug_syscall(t, number))
        handle_unknown_syscall(t, (word_t)number);
    if (t->cbs_ep != 0)
        badged_sends_syscall_done(t);
    sched_exit_kernel();
}
