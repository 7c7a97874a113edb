/*
 * I/O port caps (objects.md §5, invocations.md §2.9): IOPortControl issues
 * caps for port ranges no other cap covers; an IOPort cap reads and writes
 * ports inside its range. User code itself cannot execute in/out (no I/O
 * bitmap in the TSS).
 */
#include "invocation.h"
#include "cdt.h"
#include <arch/machine.h>

#define NUM_PORTS 65536

static uint64_t issued[NUM_PORTS / 64];     /* ports covered by some IOPort cap */

static bool port_issued(unsigned port)
{
    return (issued[port / 64] >> (port % 64)) & 1;
}

static void mark_ports(unsigned first, unsigned last, bool used)
{
    for (unsigned p = first; p <= last; p++) {
        if (used)
            issued[p / 64] |= BIT(p % 64);
        else
            issued[p / 64] &= ~BIT(p % 64);
    }
}

_Static_assert(ARRAY_SIZE(issued) == ARCH_IOPORT_WORDS, "arch.h's view of the bitmap");

uint64_t arch_ioport_issued_word(unsigned index)
{
    return index < ARCH_IOPORT_WORDS ? issued[index] : 0;
}

void ioport_release(cap_t cap)
{
    mark_ports(cap_io_port_first(cap), cap_io_port_last(cap), false);
}

static bool decode_issue(invocation_t *inv, syscall_error_t *e)
{
    if (inv->label != X86IOPortControlIssue)
        return err_simple(e, seL4_IllegalOperation, "not an I/O port control invocation");
    if (inv->length < 4 || inv->num_extra < 1)
        return err_simple(e, seL4_TruncatedMessage, "Issue needs 4 words and a root CNode");
    unsigned first = (unsigned)(inv_mr(inv, 0) & 0xFFFF);
    unsigned last = (unsigned)(inv_mr(inv, 1) & 0xFFFF);
    if (last < first)
        return err_invalid_argument(e, 1, "last port below first port");
    for (unsigned p = first; p <= last; p++) {
        if (port_issued(p))
            return err_simple(e, seL4_RevokeFirst, "a port in the range is already issued");
    }
    cte_t *dest = lookup_target_slot(inv->extra[0]->cap, inv_mr(inv, 2), inv_mr(inv, 3), false,
                                     e);
    if (dest == NULL)
        return false;
    if (!cap_is_null(dest->cap))
        return err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");
    mark_ports(first, last, true);
    cdt_insert_derived(inv->slot, dest, cap_io_port_new(first, last));
    return true;
}

static unsigned access_size(word_t label)
{
    switch (label) {
    case X86IOPortIn8:
    case X86IOPortOut8:
        return 1;
    case X86IOPortIn16:
    case X86IOPortOut16:
        return 2;
    default:
        return 4;
    }
}

static bool decode_port_access(invocation_t *inv, syscall_error_t *e)
{
    word_t label = inv->label;
    if (label < X86IOPortIn8 || label > X86IOPortOut32)
        return err_simple(e, seL4_IllegalOperation, "not an I/O port invocation");
    bool is_out = label >= X86IOPortOut8;
    if (inv->length < (is_out ? 2u : 1u))
        return err_simple(e, seL4_TruncatedMessage, "missing port (and data)");
    unsigned port = (unsigned)(inv_mr(inv, 0) & 0xFFFF);
    unsigned size = access_size(label);
    if (port < cap_io_port_first(inv->cap) || port + size - 1 > cap_io_port_last(inv->cap))
        return err_simple(e, seL4_IllegalOperation, "the ports are outside the cap's range");
    uint16_t p = (uint16_t)port;
    if (is_out) {
        word_t data = inv_mr(inv, 1);
        if (size == 1)
            outb(p, (uint8_t)data);
        else if (size == 2)
            outw(p, (uint16_t)data);
        else
            outl(p, (uint32_t)data);
        return true;
    }
    inv->reply[0] = size == 1 ? inb(p) : size == 2 ? inw(p) : inl(p);
    inv->reply_length = 1;
    return true;
}

bool decode_ioport_invocation(invocation_t *inv, syscall_error_t *e)
{
    if (cap_get_type(inv->cap) == CAP_IO_PORT_CONTROL)
        return decode_issue(inv, e);
    return decode_port_access(inv, e);
}
