/*
 * Arca libsel4 -- basic types.
 *
 * Including <sel4/types.h> gives the integer types, the capability-typed
 * CPtr names, the thread register context, VM attributes, and (as with
 * seL4's own header) the message-info word, the ABI constants, the system
 * call numbers and the IPC buffer.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>

/* CPtrs named after the kind of object they are expected to address. */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

typedef seL4_CPtr seL4_X64_PML4;
typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOSpace;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X86_IOPageTable;
typedef seL4_CPtr seL4_X86_EPTPML4;
typedef seL4_CPtr seL4_X86_EPTPDPT;
typedef seL4_CPtr seL4_X86_EPTPD;
typedef seL4_CPtr seL4_X86_EPTPT;
typedef seL4_CPtr seL4_X86_VCPU;

typedef seL4_Uint64 seL4_Time;

/*
 * Thread register context as transferred by TCB_ReadRegisters /
 * TCB_WriteRegisters (20 words, in this order).
 */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp,
              r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;

SEL4_COMPILE_ASSERT(user_context_is_20_words, sizeof(seL4_UserContext) == 20 * sizeof(seL4_Word))
SEL4_COMPILE_ASSERT(user_context_fs_base_index, SEL4_OFFSETOF(seL4_UserContext, fs_base) == 18 * 8)

/* Cache attributes for mappings: bit 0 PWT, bit 1 PCD, bit 2 PAT. */
typedef enum {
    seL4_X86_Default_VMAttributes = 0,
    seL4_X86_WriteBack            = 0,
    seL4_X86_WriteThrough         = 1,
    seL4_X86_CacheDisabled        = 2,
    seL4_X86_Uncacheable          = 3,
    seL4_X86_WriteCombining       = 4,
    SEL4_FORCE_LONG_ENUM(seL4_X86_VMAttributes),
} seL4_X86_VMAttributes;

#include <sel4/messageinfo.h>
#include <sel4/constants.h>
#include <sel4/syscall.h>
#include <sel4/ipcbuffer.h>
