/*
 * Questions about caps that do not depend on where the cap is stored:
 * which memory an object occupies, and when two caps name the same object
 * or region (used by the derivation tree, cdt.c).
 */
#include "cap.h"
#include "thread.h"

#define ENDPOINT_BITS       4
#define NOTIFICATION_BITS   5
#define PAGE_BITS           12

bool cap_object_region(cap_t c, paddr_t *base, unsigned *size_bits)
{
    switch (cap_get_type(c)) {
    case CAP_UNTYPED:
        *base = c.w1;
        *size_bits = cap_untyped_size_bits(c);
        return true;
    case CAP_CNODE:
        *base = cap_cnode_paddr(c);
        *size_bits = cap_cnode_radix(c) + 5;
        return true;
    case CAP_THREAD:
        *base = c.w1;
        *size_bits = TCB_OBJECT_BITS;
        return true;
    case CAP_ENDPOINT:
        *base = cap_ipc_paddr(c);
        *size_bits = ENDPOINT_BITS;
        return true;
    case CAP_NOTIFICATION:
        *base = cap_ipc_paddr(c);
        *size_bits = NOTIFICATION_BITS;
        return true;
    case CAP_FRAME:
        *base = c.w1;
        *size_bits = cap_frame_size_bits(c);
        return true;
    case CAP_PAGE_TABLE:
    case CAP_PAGE_DIRECTORY:
    case CAP_PDPT:
    case CAP_PML4:
    case CAP_ASID_POOL:
        *base = c.w1;
        *size_bits = PAGE_BITS;
        return true;
    case CAP_ZOMBIE:
        /* Still the object's memory: its untyped must not be reused yet. */
        *base = cap_zombie_object(c);
        *size_bits = cap_zombie_is_tcb(c) ? TCB_OBJECT_BITS : cap_zombie_radix(c) + 5;
        return true;
    default:
        return false;
    }
}

bool cap_same_region(cap_t a, cap_t b)
{
    cap_type_t ta = cap_get_type(a), tb = cap_get_type(b);
    paddr_t abase, bbase;
    unsigned abits, bbits;

    switch (ta) {
    case CAP_UNTYPED:
        /* Everything made from an untyped lies inside its region. */
        if (!cap_object_region(b, &bbase, &bbits))
            return false;
        abase = a.w1;
        abits = cap_untyped_size_bits(a);
        return bbase >= abase && bbase + BIT(bbits) - 1 <= abase + BIT(abits) - 1;
    case CAP_IRQ_CONTROL:
        return tb == CAP_IRQ_CONTROL || tb == CAP_IRQ_HANDLER;
    case CAP_IRQ_HANDLER:
        return tb == CAP_IRQ_HANDLER && cap_irq(a) == cap_irq(b);
    case CAP_IO_PORT_CONTROL:
        return tb == CAP_IO_PORT_CONTROL || tb == CAP_IO_PORT;
    case CAP_IO_PORT:
        return tb == CAP_IO_PORT && cap_io_port_first(a) == cap_io_port_first(b) &&
               cap_io_port_last(a) == cap_io_port_last(b);
    case CAP_ASID_CONTROL:
    case CAP_DOMAIN:
        return tb == ta;
    case CAP_REPLY:
        return tb == CAP_REPLY && a.w1 == b.w1;
    case CAP_NULL:
    case CAP_ZOMBIE:
        return false;
    default:
        if (ta != tb || !cap_object_region(a, &abase, &abits) ||
            !cap_object_region(b, &bbase, &bbits))
            return false;
        return abase == bbase && abits == bbits;
    }
}

bool cap_same_object(cap_t a, cap_t b)
{
    cap_type_t ta = cap_get_type(a), tb = cap_get_type(b);
    /* An untyped is never "the same object" as anything: it is a region. */
    if (ta == CAP_UNTYPED)
        return false;
    /* Control caps are not the same object as what they hand out. */
    if (ta == CAP_IRQ_CONTROL && tb == CAP_IRQ_HANDLER)
        return false;
    if (ta == CAP_IO_PORT_CONTROL && tb == CAP_IO_PORT)
        return false;
    if (ta == CAP_FRAME && tb == CAP_FRAME &&
        cap_frame_is_device(a) != cap_frame_is_device(b))
        return false;
    return cap_same_region(a, b);
}

bool cap_has_slots(cap_t c, cte_t **slots, word_t *count)
{
    if (cap_get_type(c) == CAP_CNODE) {
        *slots = cap_cnode_slots(c);
        *count = BIT(cap_cnode_radix(c));
        return true;
    }
    if (cap_get_type(c) == CAP_THREAD) {
        tcb_t *t = cap_thread_tcb(c);
        *slots = t->slots;
        *count = ARRAY_SIZE(t->slots);
        return true;
    }
    return false;
}

cte_t *cap_zombie_slots(cap_t z)
{
    if (cap_zombie_is_tcb(z))
        return ((tcb_t *)paddr_to_kptr(cap_zombie_object(z)))->slots;
    return paddr_to_kptr(cap_zombie_object(z));
}

cap_t cap_zombie_for(cap_t c)
{
    cte_t *slots = NULL;
    word_t count = 0;
    cap_has_slots(c, &slots, &count);
    if (cap_get_type(c) == CAP_THREAD)
        return cap_zombie_new(c.w1, true, 0, count);
    return cap_zombie_new(cap_cnode_paddr(c), false, cap_cnode_radix(c), count);
}

const char *cap_type_name(cap_type_t t)
{
    switch (t) {
    case CAP_NULL: return "null";
    case CAP_FRAME: return "frame";
    case CAP_UNTYPED: return "untyped";
    case CAP_PAGE_TABLE: return "page table";
    case CAP_ENDPOINT: return "endpoint";
    case CAP_PAGE_DIRECTORY: return "page directory";
    case CAP_NOTIFICATION: return "notification";
    case CAP_PDPT: return "PDPT";
    case CAP_REPLY: return "reply";
    case CAP_PML4: return "PML4";
    case CAP_CNODE: return "CNode";
    case CAP_ASID_CONTROL: return "ASID control";
    case CAP_THREAD: return "TCB";
    case CAP_ASID_POOL: return "ASID pool";
    case CAP_IRQ_CONTROL: return "IRQ control";
    case CAP_IRQ_HANDLER: return "IRQ handler";
    case CAP_ZOMBIE: return "zombie";
    case CAP_IO_PORT: return "I/O port";
    case CAP_DOMAIN: return "domain";
    case CAP_IO_PORT_CONTROL: return "I/O port control";
    }
    return "unknown";
}
