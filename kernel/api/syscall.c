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
#include "printf.h"
#include <sel4/syscall.h>
#include <sel4/constants.h>

/* Message info word (syscalls.md §5), built through libsel4's definition. */
#include <sel4/messageinfo.h>

static word_t reg(const tcb_t *t, unsigned fr)
{
    return arch_get_reg(&t->ctx, fr);
}

/*
 * A kernel reply carrying an error: label = error code, badge 0, and the
 * error's message registers (invocations.md §1.3). Only register MRs are
 * needed so far.
 */
static void set_reply_error(tcb_t *t, seL4_Error err, unsigned nmrs, word_t mr0)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new((seL4_Word)err, 0, 0, nmrs);
    arch_set_reg(&t->ctx, FR_RSI, info.words[0]);
    arch_set_reg(&t->ctx, FR_RDI, 0);
    if (nmrs > 0)
        arch_set_reg(&t->ctx, FR_R10, mr0);
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

/*
 * Send, NBSend and Call: look up the invoked cap, then invoke the object.
 * Invoking an empty slot is InvalidCapability (cap index 0), as in seL4.
 * No object type has invocations yet (they arrive with the capability,
 * thread and memory issues), so a Call that finds a cap gets
 * IllegalOperation back. Send never gets a reply: its errors are dropped.
 */
static void handle_send(tcb_t *t, bool blocking, bool is_call)
{
    word_t cptr = reg(t, FR_RDI);
    lookup_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot == NULL) {
        if (blocking)
            raise_cap_fault(t, cptr, false, &r.fault);
        return;
    }
    if (!is_call)
        return;
    if (cap_get_type(r.slot->cap) == CAP_NULL)
        set_reply_error(t, seL4_InvalidCapability, 1, 0);
    else
        set_reply_error(t, seL4_IllegalOperation, 0, 0);
}

/*
 * Recv and NBRecv: the cap must be an endpoint or notification with Read.
 * None exist yet, so every Recv ends in a CapFault as seL4 reports a
 * non-IPC cap: MissingCapability with 0 bits left (syscalls.md §8).
 */
static void handle_recv(tcb_t *t)
{
    word_t cptr = reg(t, FR_RDI);
    lookup_result_t r = cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr);
    if (r.slot != NULL)
        r.fault = (lookup_fault_t){ .type = LOOKUP_MISSING_CAPABILITY, .bits_left = 0 };
    raise_cap_fault(t, cptr, true, &r.fault);
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
    case seL4_SysNBRecv:
        handle_recv(t);
        break;
    case seL4_SysReply:
        /* No reply caps exist yet: an empty reply slot means do nothing. */
        break;
    case seL4_SysReplyRecv:
        handle_recv(t);
        break;
    case seL4_SysYield:
        sched_yield();
        break;
    }
}

NORETURN void c_handle_syscall(word_t *frame)
{
    tcb_t *t = cur_thread;
    (void)frame;        /* the same memory as t->ctx.regs */
    arch_set_reg(&t->ctx, FR_FAULT_IP, reg(t, FR_RIP) - 2);
    sword_t number = (sword_t)reg(t, FR_RDX);

    if (number >= seL4_SysNBRecv && number <= seL4_SysCall)
        handle_ipc_syscall(t, number);
    else if (!handle_debug_syscall(t, number))
        handle_unknown_syscall(t, (word_t)number);
    sched_exit_kernel();
}
