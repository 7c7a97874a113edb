/*
 * What happens to an object when its last cap is deleted (capabilities.md
 * §10). It runs before cte_delete empties objects that hold caps (CNodes,
 * TCBs). Every object type's clean-up is here, so new object types plug in
 * at one place.
 */
#include "delete.h"
#include "thread.h"
#include "sched.h"
#include "asid.h"
#include "arch.h"
#include "ipc.h"
#include "irq.h"
#include "invocation.h"

static void finalise_thread(tcb_t *t)
{
    thread_cancel_ipc(t);
    badged_sends_forget(t);
    ntfn_unbind(t);
    thread_set_state(t, THREAD_INACTIVE);
    sched_forget(t);
    arch_forget_thread(t);
}

static void finalise_mapping(cap_t cap, unsigned level)
{
    unsigned asid = cap_mapped_asid(cap);
    if (asid == 0)
        return;
    paddr_t root = asid_lookup(asid);
    if (root != 0)
        arch_vspace_unmap(root, level, cap_mapped_addr(cap), cap_object_paddr(cap));
}

void object_finalise(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case CAP_THREAD:
        finalise_thread(cap_thread_tcb(cap));
        break;
    case CAP_FRAME:
        finalise_mapping(cap, ARCH_LEVEL_OF_FRAME(cap_frame_size_bits(cap)));
        break;
    case CAP_PDPT:
        finalise_mapping(cap, 0);
        break;
    case CAP_PAGE_DIRECTORY:
        finalise_mapping(cap, 1);
        break;
    case CAP_PAGE_TABLE:
        finalise_mapping(cap, 2);
        break;
    case CAP_PML4:
        if (cap_asid(cap) != 0)
            asid_release(cap_asid(cap), cap_object_paddr(cap));
        arch_vspace_forget(cap_object_paddr(cap));
        break;
    case CAP_ASID_POOL:
        asid_pool_remove(cap_object_paddr(cap));
        break;
    case CAP_ENDPOINT:
        endpoint_cancel_all(cap_ipc_paddr(cap));
        break;
    case CAP_IRQ_HANDLER:
        irq_deactivate(cap_irq(cap));
        break;
    case CAP_IO_PORT:
        ioport_release(cap);
        break;
    case CAP_NOTIFICATION:
        ntfn_cancel_all(cap_ipc_paddr(cap));
        break;
    default:
        /* Untyped, CNode (emptied by cte_delete), reply, control caps. */
        break;
    }
}
