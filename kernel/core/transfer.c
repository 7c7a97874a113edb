/*
 * Moving a message from one thread to another (syscalls.md §6.2,
 * capabilities.md §9): message registers, capabilities, label and badge.
 */
#include "ipc.h"
#include "invocation.h"
#include "cdt.h"
#include "fault.h"
#include <sel4/faults.h>
#include <sel4/messageinfo.h>

/* IPC buffer word indices (syscalls.md §6.1). */
#define BUF_MSG(i)          (1 + (i))
#define BUF_CAPS(i)         (IPC_BUFFER_CAPS_WORD + (i))
#define BUF_RECEIVE_CNODE   125
#define BUF_RECEIVE_INDEX   126
#define BUF_RECEIVE_DEPTH   127

static const unsigned mr_regs[seL4_FastMessageRegisters] = { FR_R10, FR_R8, FR_R9, FR_R15 };

/* The receive slot named by the receiver's IPC buffer, if usable and empty. */
static cte_t *receive_slot(tcb_t *receiver, const word_t *buf)
{
    cap_t root = receiver->slots[TCB_SLOT_CSPACE].cap;
    lookup_result_t r = cspace_lookup_slot(root, buf[BUF_RECEIVE_CNODE]);
    if (r.slot == NULL || cap_get_type(r.slot->cap) != CAP_CNODE)
        return NULL;
    syscall_error_t ignored;
    cte_t *slot = lookup_target_slot(r.slot->cap, buf[BUF_RECEIVE_INDEX],
                                     buf[BUF_RECEIVE_DEPTH], false, &ignored);
    if (slot == NULL || !cap_is_null(slot->cap))
        return NULL;
    return slot;
}

/*
 * Transfers up to n caps named in the sender's buffer. Returns the number
 * processed (unwrapped or transferred) and sets *unwrapped.
 */
static unsigned transfer_caps(tcb_t *sender, const word_t *send_buf, tcb_t *receiver,
                              word_t *recv_buf, unsigned n, paddr_t ep, unsigned *unwrapped)
{
    cte_t *src[MAX_EXTRA_CAPS];
    cap_t root = sender->slots[TCB_SLOT_CSPACE].cap;
    /* The caps are looked up again now; if any lookup fails none are sent. */
    for (unsigned i = 0; i < n; i++) {
        src[i] = cspace_lookup_slot(root, send_buf[BUF_CAPS(i)]).slot;
        if (src[i] == NULL)
            return 0;
    }
    cte_t *dest = receive_slot(receiver, recv_buf);
    unsigned done = 0;
    for (; done < n; done++) {
        cap_t cap = src[done]->cap;
        if (cap_get_type(cap) == CAP_ENDPOINT && ep != 0 && cap_ipc_paddr(cap) == ep) {
            recv_buf[BUF_CAPS(done)] = cap_ipc_badge(cap);
            *unwrapped |= 1u << done;
            continue;
        }
        if (dest == NULL)
            break;
        cap_t derived;
        syscall_error_t ignored;
        if (!cap_derive(src[done], cap, &derived, &ignored) || cap_is_null(derived))
            break;
        cdt_insert_derived(src[done], dest, derived);
        untyped_mark_copied(src[done]);
        dest = NULL;                    /* one receive slot per message */
    }
    return done;
}

void transfer_message(tcb_t *sender, tcb_t *receiver, paddr_t ep, word_t badge, bool can_grant)
{
    seL4_MessageInfo_t info = { { arch_get_reg(&sender->ctx, FR_RSI) } };
    const word_t *send_buf = thread_ipc_buffer(sender, false);
    word_t *recv_buf = thread_ipc_buffer(receiver, true);

    unsigned length = (unsigned)seL4_MessageInfo_get_length(info);
    if (length > seL4_MsgMaxLength)
        length = seL4_MsgMaxLength;
    if (length > seL4_FastMessageRegisters && (send_buf == NULL || recv_buf == NULL))
        length = seL4_FastMessageRegisters;
    for (unsigned i = 0; i < length && i < seL4_FastMessageRegisters; i++)
        arch_set_reg(&receiver->ctx, mr_regs[i], arch_get_reg(&sender->ctx, mr_regs[i]));
    for (unsigned i = seL4_FastMessageRegisters; i < length; i++)
        recv_buf[BUF_MSG(i)] = send_buf[BUF_MSG(i)];

    unsigned caps = 0, unwrapped = 0;
    unsigned extra = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    if (can_grant && extra > 0 && send_buf != NULL && recv_buf != NULL)
        caps = transfer_caps(sender, send_buf, receiver, recv_buf, extra, ep, &unwrapped);

    seL4_MessageInfo_t out = seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), unwrapped,
                                                  caps, length);
    arch_set_reg(&receiver->ctx, FR_RSI, out.words[0]);
    arch_set_reg(&receiver->ctx, FR_RDI, badge);
}

void transfer_fault(tcb_t *sender, tcb_t *receiver, word_t badge)
{
    word_t mrs[seL4_UnknownSyscall_Length];
    unsigned n = fault_message(sender, mrs, ARRAY_SIZE(mrs));
    word_t *recv_buf = thread_ipc_buffer(receiver, true);
    if (recv_buf == NULL && n > seL4_FastMessageRegisters)
        n = seL4_FastMessageRegisters;          /* no buffer: the rest is dropped */
    for (unsigned i = 0; i < n; i++) {
        if (i < seL4_FastMessageRegisters)
            arch_set_reg(&receiver->ctx, mr_regs[i], mrs[i]);
        else
            recv_buf[BUF_MSG(i)] = mrs[i];
    }
    seL4_MessageInfo_t out = seL4_MessageInfo_new(sender->fault.type, 0, 0, n);
    arch_set_reg(&receiver->ctx, FR_RSI, out.words[0]);
    arch_set_reg(&receiver->ctx, FR_RDI, badge);
}
