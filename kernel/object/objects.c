/* Object sizes and initial states (objects.h, objects.md §2-§3). */
#include "objects.h"
#include "thread.h"
#include "sched.h"
#include "config.h"
#include "printf.h"
#include "kstring.h"

unsigned object_size_bits(word_t type, word_t user_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return (unsigned)user_bits;
    case seL4_TCBObject:
        return TCB_OBJECT_BITS;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return (unsigned)user_bits + seL4_SlotBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    default:
        return seL4_PageBits;   /* 4K frames and all paging structures */
    }
}

bool object_is_frame(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

static unsigned frame_size_code(word_t type)
{
    if (type == seL4_X86_LargePageObject)
        return 1;
    if (type == seL4_X64_HugePageObject)
        return 2;
    return 0;
}

static cap_t create_tcb(paddr_t paddr, const char *creator)
{
    tcb_t *t = paddr_to_kptr(paddr);
    arch_init_user_context(&t->ctx, 0, 0);
    t->state = THREAD_INACTIVE;
    t->priority = 0;
    t->mcp = 0;
    t->domain = (uint8_t)sched_cur_domain;  /* objects.md §3.2: the current domain */
    t->timeslice = CONFIG_TIME_SLICE;
    char name[TCB_NAME_MAX];
    ksnprintf(name, sizeof(name), "child of: '%s'", creator);
    thread_set_name(t, name);
    thread_init_slots(t);
    return cap_thread_new(t);
}

cap_t object_create(word_t type, paddr_t paddr, word_t user_bits, bool device,
                    const char *creator)
{
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_new(paddr, (unsigned)user_bits, device, 0);
    case seL4_TCBObject:
        return create_tcb(paddr, creator);
    case seL4_EndpointObject:
        return cap_ipc_new(CAP_ENDPOINT, paddr, RIGHTS_ALL, 0);
    case seL4_NotificationObject:
        return cap_ipc_new(CAP_NOTIFICATION, paddr, RIGHT_READ | RIGHT_WRITE, 0);
    case seL4_CapTableObject:
        return cap_cnode_new(paddr, (unsigned)user_bits, 0, 0);
    case seL4_X86_PDPTObject:
        return cap_addr_new(CAP_PDPT, paddr);
    case seL4_X64_PML4Object:
        arch_vspace_init(paddr);        /* the kernel's half is in every VSpace */
        return cap_pml4_new(paddr, 0);
    case seL4_X86_PageTableObject:
        return cap_addr_new(CAP_PAGE_TABLE, paddr);
    case seL4_X86_PageDirectoryObject:
        return cap_addr_new(CAP_PAGE_DIRECTORY, paddr);
    default:
        return cap_frame_new(paddr, frame_size_code(type), VM_RIGHTS_READ_WRITE, device, 0, 0);
    }
}
