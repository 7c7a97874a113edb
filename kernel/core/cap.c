/* Capability helpers that are not simple field accessors (cap.h). */
#include "cap.h"

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
