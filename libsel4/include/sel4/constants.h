/*
 * Arca libsel4 -- ABI constants and enumerations (seL4 16.0.0, x86_64 pc99,
 * non-MCS, configuration Q).  Values are taken from the project's ABI notes
 * (/work/shared/abi: syscalls.md section 7, objects.md sections 1-2,
 * capabilities.md section 3, faults.md, boot.md section 7).
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/bitfield.h>

/* ========================================================================
 * Machine word and messages
 * ======================================================================== */

#define seL4_WordBits           64
#define seL4_WordSizeBits       3

enum seL4_MsgLimits {
    seL4_MsgLengthBits   = 7,
    seL4_MsgExtraCapBits = 2,
};

enum {
    seL4_MsgMaxLength    = 120,
    seL4_MsgMaxExtraCaps = (1 << seL4_MsgExtraCapBits) - 1,     /* 3 */
};

/* Message registers 0..3 travel in R10, R8, R9, R15; the rest in the IPC buffer. */
#define seL4_FastMessageRegisters   4

/* The IPC buffer is 1024 bytes and must be aligned to its size. */
#define seL4_IPCBufferSizeBits      10

#define seL4_CapRightsBits          4

/* CNode guards and badges. */
#define seL4_GuardSizeBits          6
#define seL4_GuardBits              58
#define seL4_BadgeBits              64

#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT

#define seL4_NilData                0

/* ========================================================================
 * Scheduling
 * ======================================================================== */

enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio     = 0,
    seL4_MaxPrio     = CONFIG_NUM_PRIORITIES - 1,
};

typedef enum {
    seL4_TCBFlag_NoFlag      = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    seL4_TCBFlag_MASK        = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
} seL4_TCBFlag;

/* ========================================================================
 * Object sizes (log2 of the size in bytes)
 * ======================================================================== */

#define seL4_PageBits               12      /* 4 KiB frame */
#define seL4_LargePageBits          21      /* 2 MiB frame */
#define seL4_HugePageBits           30      /* 1 GiB frame */
#define seL4_SlotBits               5       /* one CNode slot */
#if CONFIG_XSAVE_SIZE >= 832
#define seL4_TCBBits                12
#else
#define seL4_TCBBits                11
#endif
#define seL4_EndpointBits           4
#define seL4_NotificationBits       5

#define seL4_PageTableBits          12
#define seL4_PageTableEntryBits     3
#define seL4_PageTableIndexBits     9

#define seL4_PageDirBits            12
#define seL4_PageDirEntryBits       3
#define seL4_PageDirIndexBits       9

#define seL4_PDPTBits               12
#define seL4_PDPTEntryBits          3
#define seL4_PDPTIndexBits          9

#define seL4_PML4Bits               12
#define seL4_PML4EntryBits          3
#define seL4_PML4IndexBits          9
#define seL4_VSpaceBits             seL4_PML4Bits

#define seL4_IOPageTableBits        12

#define seL4_NumASIDPoolsBits       3
#define seL4_ASIDPoolBits           12
#define seL4_ASIDPoolIndexBits      9

#define seL4_MinUntypedBits         4
#define seL4_MaxUntypedBits         47

/* VT-x objects (not present in configuration Q; sizes for completeness). */
#define seL4_VCPUBits               14
#define seL4_X86_VCPUBits           seL4_VCPUBits
#define seL4_X86_EPTPML4EntryBits   3
#define seL4_X86_EPTPML4IndexBits   9
#define seL4_X86_EPTPML4Bits        12
#define seL4_X86_EPTPDPTEntryBits   3
#define seL4_X86_EPTPDPTIndexBits   9
#define seL4_X86_EPTPDPTBits        12
#define seL4_X86_EPTPDEntryBits     3
#define seL4_X86_EPTPDIndexBits     9
#define seL4_X86_EPTPDBits          12
#define seL4_X86_EPTPTEntryBits     3
#define seL4_X86_EPTPTIndexBits     9
#define seL4_X86_EPTPTBits          12

/* The boot-info frame is one 4 KiB page. */
#define seL4_BootInfoFrameBits      seL4_PageBits
#define seL4_BootInfoFrameSize      LIBSEL4_BIT(seL4_BootInfoFrameBits)

SEL4_COMPILE_ASSERT(pt_size, seL4_PageTableEntryBits + seL4_PageTableIndexBits == seL4_PageTableBits)
SEL4_COMPILE_ASSERT(pd_size, seL4_PageDirEntryBits + seL4_PageDirIndexBits == seL4_PageDirBits)
SEL4_COMPILE_ASSERT(pdpt_size, seL4_PDPTEntryBits + seL4_PDPTIndexBits == seL4_PDPTBits)
SEL4_COMPILE_ASSERT(pml4_size, seL4_PML4EntryBits + seL4_PML4IndexBits == seL4_PML4Bits)
SEL4_COMPILE_ASSERT(asid_pool_size, seL4_WordSizeBits + seL4_ASIDPoolIndexBits == seL4_ASIDPoolBits)

/* ========================================================================
 * Virtual address space and interrupts
 * ======================================================================== */

/* First user virtual address that cannot be mapped (deprecated name). */
#define seL4_UserTop                0x00007ffffffff000ul
#define seL4_UserVSpaceTop          0x00007fffffffeffful

/* Page-fault kinds reported in VM faults. */
#define seL4_DataFault              0
#define seL4_InstructionFault       1

/* An IOAPIC/MSI "vector" v given to IRQControl is delivered at CPU vector
 * v + IRQ_OFFSET. */
#define IRQ_OFFSET                  (0x20 + 16)
#define VECTOR_MIN                  (0)
#define VECTOR_MAX                  (109)
#define MSI_MIN                     VECTOR_MIN
#define MSI_MAX                     VECTOR_MAX

/* Historical GDT selectors (unused on x86_64). */
#define TLS_GDT_ENTRY               7
#define TLS_GDT_SELECTOR            ((TLS_GDT_ENTRY << 3) | 3)
#define IPCBUF_GDT_ENTRY            8
#define IPCBUF_GDT_SELECTOR         ((IPCBUF_GDT_ENTRY << 3) | 3)

/* ========================================================================
 * Errors returned in the label of a kernel reply
 * ======================================================================== */

typedef enum {
    seL4_NoError          = 0,
    seL4_InvalidArgument  = 1,
    seL4_InvalidCapability = 2,
    seL4_IllegalOperation = 3,
    seL4_RangeError       = 4,
    seL4_AlignmentError   = 5,
    seL4_FailedLookup     = 6,
    seL4_TruncatedMessage = 7,
    seL4_DeleteFirst      = 8,
    seL4_RevokeFirst      = 9,
    seL4_NotEnoughMemory  = 10,
    seL4_NumErrors        = 11,
} seL4_Error;

/* Kind of a failed capability lookup (CapFault MR3, FailedLookup MR1). */
typedef enum {
    seL4_NoFailure         = 0,
    seL4_InvalidRoot       = 1,
    seL4_MissingCapability = 2,
    seL4_DepthMismatch     = 3,
    seL4_GuardMismatch     = 4,
    SEL4_FORCE_LONG_ENUM(seL4_LookupFailureType),
} seL4_LookupFailureType;

/* ========================================================================
 * Object types (Untyped_Retype `type` argument), non-MCS numbering
 *   generic 0..4, then x86_64 5..7, then x86 8..11; count 12.
 * ======================================================================== */

typedef enum api_object {
    seL4_UntypedObject          = 0,
    seL4_TCBObject              = 1,
    seL4_EndpointObject         = 2,
    seL4_NotificationObject     = 3,
    seL4_CapTableObject         = 4,
    seL4_NonArchObjectTypeCount = 5,
} seL4_ObjectType;

typedef enum _mode_object {
    seL4_X86_PDPTObject         = seL4_NonArchObjectTypeCount,  /* 5 */
    seL4_X64_PML4Object,                                        /* 6 */
    seL4_X64_HugePageObject,                                    /* 7: 1 GiB frame */
    seL4_ModeObjectTypeCount,                                   /* 8 */
} seL4_seL4ArchObjectType;

typedef enum _object {
    seL4_X86_4K                 = seL4_ModeObjectTypeCount,     /* 8: 4 KiB frame */
    seL4_X86_LargePageObject,                                   /* 9: 2 MiB frame */
    seL4_X86_PageTableObject,                                   /* 10 */
    seL4_X86_PageDirectoryObject,                               /* 11 */
    seL4_ObjectTypeCount,                                       /* 12 */
} seL4_ArchObjectType;

/* Alternative spelling accepted by seL4 code. */
#define seL4_IA32_PDPTObject        seL4_X86_PDPTObject

/* Object types that do not exist in this configuration: values the kernel
 * rejects (>= seL4_ObjectTypeCount). */
#define seL4_X86_IOPageTableObject  0xffffff
#define seL4_X86_VCPUObject         0xfffffe
#define seL4_X86_EPTPML4Object      0xfffffd
#define seL4_X86_EPTPDPTObject      0xfffffc
#define seL4_X86_EPTPDObject        0xfffffb
#define seL4_X86_EPTPTObject        0xfffffa

SEL4_COMPILE_ASSERT(objtype_pdpt, seL4_X86_PDPTObject == 5)
SEL4_COMPILE_ASSERT(objtype_huge, seL4_X64_HugePageObject == 7)
SEL4_COMPILE_ASSERT(objtype_4k, seL4_X86_4K == 8)
SEL4_COMPILE_ASSERT(objtype_pd, seL4_X86_PageDirectoryObject == 11)
SEL4_COMPILE_ASSERT(objtype_count, seL4_ObjectTypeCount == 12)

/* ========================================================================
 * Slots of the root task's initial CNode
 * ======================================================================== */

enum seL4_RootCNodeCapSlots {
    seL4_CapNull                = 0,
    seL4_CapInitThreadTCB       = 1,
    seL4_CapInitThreadCNode     = 2,
    seL4_CapInitThreadVSpace    = 3,    /* PML4 */
    seL4_CapIRQControl          = 4,
    seL4_CapASIDControl         = 5,
    seL4_CapInitThreadASIDPool  = 6,
    seL4_CapIOPortControl       = 7,
    seL4_CapIOSpace             = 8,    /* empty without an IOMMU */
    seL4_CapBootInfoFrame       = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain              = 11,
    seL4_CapSMMUSIDControl      = 12,   /* empty (Arm only) */
    seL4_CapSMMUCBControl       = 13,   /* empty (Arm only) */
    seL4_CapInitThreadSC        = 14,   /* empty (MCS only) */
    seL4_CapSMC                 = 15,   /* empty (Arm only) */
    seL4_NumInitialCaps         = 16,
};

/* Older name for the VSpace root slot. */
#define seL4_CapInitThreadPD        seL4_CapInitThreadVSpace

/* ========================================================================
 * Capability rights (seL4_CapRights_t, one word)
 *   bit 0 Write, bit 1 Read, bit 2 Grant, bit 3 GrantReply
 * ======================================================================== */

#define ARCA_CAPRIGHTS_WRITE_SHIFT        0
#define ARCA_CAPRIGHTS_READ_SHIFT         1
#define ARCA_CAPRIGHTS_GRANT_SHIFT        2
#define ARCA_CAPRIGHTS_GRANTREPLY_SHIFT   3

ARCA_BF_TYPE(seL4_CapRights)
ARCA_BF_FIELD(seL4_CapRights, capAllowWrite,      ARCA_CAPRIGHTS_WRITE_SHIFT, 1)
ARCA_BF_FIELD(seL4_CapRights, capAllowRead,       ARCA_CAPRIGHTS_READ_SHIFT, 1)
ARCA_BF_FIELD(seL4_CapRights, capAllowGrant,      ARCA_CAPRIGHTS_GRANT_SHIFT, 1)
ARCA_BF_FIELD(seL4_CapRights, capAllowGrantReply, ARCA_CAPRIGHTS_GRANTREPLY_SHIFT, 1)

/* Argument order as in seL4: most significant right first. */
static inline seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 capAllowGrantReply,
                                                  seL4_Uint64 capAllowGrant,
                                                  seL4_Uint64 capAllowRead,
                                                  seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t rights = { { 0 } };

    rights = seL4_CapRights_set_capAllowGrantReply(rights, capAllowGrantReply);
    rights = seL4_CapRights_set_capAllowGrant(rights, capAllowGrant);
    rights = seL4_CapRights_set_capAllowRead(rights, capAllowRead);
    rights = seL4_CapRights_set_capAllowWrite(rights, capAllowWrite);
    return rights;
}

#define seL4_NoRights       seL4_CapRights_new(0, 0, 0, 0)  /* 0x0 */
#define seL4_CanWrite       seL4_CapRights_new(0, 0, 0, 1)  /* 0x1 */
#define seL4_CanRead        seL4_CapRights_new(0, 0, 1, 0)  /* 0x2 */
#define seL4_ReadWrite      seL4_CapRights_new(0, 0, 1, 1)  /* 0x3 */
#define seL4_CanGrant       seL4_CapRights_new(0, 1, 0, 0)  /* 0x4 */
#define seL4_CanGrantReply  seL4_CapRights_new(1, 0, 0, 0)  /* 0x8 */
#define seL4_NoRead         seL4_CapRights_new(1, 1, 0, 1)  /* 0xD */
#define seL4_NoWrite        seL4_CapRights_new(1, 1, 1, 0)  /* 0xE */
#define seL4_AllRights      seL4_CapRights_new(1, 1, 1, 1)  /* 0xF */

SEL4_COMPILE_ASSERT(caprights_is_one_word, sizeof(seL4_CapRights_t) == 8)
SEL4_COMPILE_ASSERT(caprights_bits, ARCA_CAPRIGHTS_GRANTREPLY_SHIFT + 1 == seL4_CapRightsBits)

/* ========================================================================
 * CNode capability data (guard for Mint/Mutate, TCB cspace_root_data)
 *   bits 5..0 guardSize, bits 63..6 guard
 * ======================================================================== */

#define ARCA_CNODE_CAPDATA_GUARDSIZE_SHIFT  0
#define ARCA_CNODE_CAPDATA_GUARD_SHIFT      seL4_GuardSizeBits

ARCA_BF_TYPE(seL4_CNode_CapData)
ARCA_BF_FIELD(seL4_CNode_CapData, guard,
              ARCA_CNODE_CAPDATA_GUARD_SHIFT, seL4_GuardBits)
ARCA_BF_FIELD(seL4_CNode_CapData, guardSize,
              ARCA_CNODE_CAPDATA_GUARDSIZE_SHIFT, seL4_GuardSizeBits)

static inline seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard,
                                                          seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t data = { { 0 } };

    data = seL4_CNode_CapData_set_guard(data, guard);
    data = seL4_CNode_CapData_set_guardSize(data, guardSize);
    return data;
}

SEL4_COMPILE_ASSERT(cnode_capdata_tiles_word, seL4_GuardSizeBits + seL4_GuardBits == 64)

/* ========================================================================
 * Faults: message label of a fault IPC, and the meaning of each MR
 * ======================================================================== */

enum seL4_Fault_tag {
    seL4_Fault_NullFault      = 0,
    seL4_Fault_CapFault       = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException  = 3,
    seL4_Fault_VMFault        = 5,
};
typedef enum seL4_Fault_tag seL4_Fault_tag_t;

typedef enum {
    seL4_CapFault_IP                       = 0,
    seL4_CapFault_Addr                     = 1,
    seL4_CapFault_InRecvPhase              = 2,
    seL4_CapFault_LookupFailureType        = 3,
    seL4_CapFault_BitsLeft                 = 4,
    seL4_CapFault_DepthMismatch_BitsFound  = 5,
    seL4_CapFault_GuardMismatch_GuardFound = 5,
    seL4_CapFault_GuardMismatch_BitsFound  = 6,
    SEL4_FORCE_LONG_ENUM(seL4_CapFault_Msg),
} seL4_CapFault_Msg;

typedef enum {
    seL4_UnknownSyscall_RAX     = 0,
    seL4_UnknownSyscall_RBX     = 1,
    seL4_UnknownSyscall_RCX     = 2,
    seL4_UnknownSyscall_RDX     = 3,
    seL4_UnknownSyscall_RSI     = 4,
    seL4_UnknownSyscall_RDI     = 5,
    seL4_UnknownSyscall_RBP     = 6,
    seL4_UnknownSyscall_R8      = 7,
    seL4_UnknownSyscall_R9      = 8,
    seL4_UnknownSyscall_R10     = 9,
    seL4_UnknownSyscall_R11     = 10,
    seL4_UnknownSyscall_R12     = 11,
    seL4_UnknownSyscall_R13     = 12,
    seL4_UnknownSyscall_R14     = 13,
    seL4_UnknownSyscall_R15     = 14,
    seL4_UnknownSyscall_FaultIP = 15,
    seL4_UnknownSyscall_SP      = 16,
    seL4_UnknownSyscall_FLAGS   = 17,
    seL4_UnknownSyscall_Syscall = 18,
    seL4_UnknownSyscall_Length  = 19,
    SEL4_FORCE_LONG_ENUM(seL4_UnknownSyscall_Msg),
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP = 0,
    seL4_UserException_SP      = 1,
    seL4_UserException_FLAGS   = 2,
    seL4_UserException_Number  = 3,
    seL4_UserException_Code    = 4,
    seL4_UserException_Length  = 5,
    SEL4_FORCE_LONG_ENUM(seL4_UserException_Msg),
} seL4_UserException_Msg;

typedef enum {
    seL4_VMFault_IP            = 0,
    seL4_VMFault_Addr          = 1,
    seL4_VMFault_PrefetchFault = 2,
    seL4_VMFault_FSR           = 3,
    seL4_VMFault_Length        = 4,
    SEL4_FORCE_LONG_ENUM(seL4_VMFault_Msg),
} seL4_VMFault_Msg;
