/*
 * Arca libsel4 -- invocation labels (seL4 16.0.0, x86_64 pc99, non-MCS,
 * configuration Q).
 *
 * An invocation is a Call/Send on a kernel-object cap; the operation is the
 * label field of the message info (see <sel4/messageinfo.h>).  The labels
 * are three enums that continue one another (invocations.md section 1):
 *
 *   1. generic labels, starting with InvalidInvocation = 0;
 *   2. then the x86_64 ("sel4_arch") labels, from nInvocationLabels;
 *   3. then the x86 ("arch") labels, from nSeL4ArchInvocationLabels.
 *
 * Methods whose configuration condition is false take no number.  In
 * configuration Q that leaves out TCBSetAffinity (SMP), the TCB breakpoint
 * and single-stepping labels (hardware debug API), the MCS labels, the
 * 64-bit VT-x guest MSR labels, the IOMMU labels (X86IOPageTableMap/Unmap,
 * X86PageMapIO) and all VT-x labels (X86PageMapEPT, TCBSetEPTRoot,
 * X86VCPU*, X86EPT*).  <sel4/config.h> refuses to build for a configuration
 * that would have them, so the numbering below is fixed.
 *
 * Every number is checked at the end of this file against the config-Q
 * column of the table in invocations.md section 1.1.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>

/* ------------------------------------------------------------------------
 * Generic labels (object-api.xml order)
 * ------------------------------------------------------------------------ */

enum invocation_label {
    InvalidInvocation,                  /*  0: never a valid operation */

    /* Untyped */
    UntypedRetype,                      /*  1 */

    /* TCB */
    TCBReadRegisters,                   /*  2 */
    TCBWriteRegisters,                  /*  3 */
    TCBCopyRegisters,                   /*  4 */
    TCBConfigure,                       /*  5 */
    TCBSetPriority,                     /*  6 */
    TCBSetMCPriority,                   /*  7 */
    TCBSetSchedParams,                  /*  8 */
    TCBSetIPCBuffer,                    /*  9 */
    TCBSetSpace,                        /* 10 */
    TCBSuspend,                         /* 11 */
    TCBResume,                          /* 12 */
    TCBBindNotification,                /* 13 */
    TCBUnbindNotification,              /* 14 */
    TCBSetTLSBase,                      /* 15 */
    TCBSetFlags,                        /* 16 */

    /* CNode (the kernel accepts exactly CNodeRevoke..CNodeSaveCaller) */
    CNodeRevoke,                        /* 17 */
    CNodeDelete,                        /* 18 */
    CNodeCancelBadgedSends,             /* 19 */
    CNodeCopy,                          /* 20 */
    CNodeMint,                          /* 21 */
    CNodeMove,                          /* 22 */
    CNodeMutate,                        /* 23 */
    CNodeRotate,                        /* 24 */
    CNodeSaveCaller,                    /* 25 */

    /* IRQControl / IRQHandler */
    IRQIssueIRQHandler,                 /* 26 */
    IRQAckIRQ,                          /* 27 */
    IRQSetIRQHandler,                   /* 28 */
    IRQClearIRQHandler,                 /* 29 */

    /* Domain */
    DomainSetSet,                       /* 30 */
    DomainScheduleConfigure,            /* 31 */
    DomainScheduleSetStart,             /* 32 */

    nInvocationLabels                   /* 33 */
};

/* ------------------------------------------------------------------------
 * x86_64 labels (object-api-sel4-arch.xml)
 * ------------------------------------------------------------------------ */

enum sel4_arch_invocation_label {
    X86PDPTMap = nInvocationLabels,     /* 33 */
    X86PDPTUnmap,                       /* 34 */
    nSeL4ArchInvocationLabels           /* 35 */
};

/* ------------------------------------------------------------------------
 * x86 labels (object-api-arch.xml)
 * ------------------------------------------------------------------------ */

enum arch_invocation_label {
    X86PageDirectoryMap = nSeL4ArchInvocationLabels,    /* 35 */
    X86PageDirectoryUnmap,              /* 36 */
    X86PageTableMap,                    /* 37 */
    X86PageTableUnmap,                  /* 38 */
    X86PageMap,                         /* 39 */
    X86PageUnmap,                       /* 40 */
    X86PageGetAddress,                  /* 41 */
    X86ASIDControlMakePool,             /* 42 */
    X86ASIDPoolAssign,                  /* 43 */
    X86IOPortControlIssue,              /* 44 */
    X86IOPortIn8,                       /* 45 */
    X86IOPortIn16,                      /* 46 */
    X86IOPortIn32,                      /* 47 */
    X86IOPortOut8,                      /* 48 */
    X86IOPortOut16,                     /* 49 */
    X86IOPortOut32,                     /* 50 */
    X86IRQIssueIRQHandlerIOAPIC,        /* 51 */
    X86IRQIssueIRQHandlerMSI,           /* 52 */
    nArchInvocationLabels               /* 53 */
};

/* ------------------------------------------------------------------------
 * The config-Q numbers of invocations.md section 1.1, one check per label.
 * ------------------------------------------------------------------------ */

SEL4_COMPILE_ASSERT(label_InvalidInvocation, InvalidInvocation == 0)
SEL4_COMPILE_ASSERT(label_UntypedRetype, UntypedRetype == 1)
SEL4_COMPILE_ASSERT(label_TCBReadRegisters, TCBReadRegisters == 2)
SEL4_COMPILE_ASSERT(label_TCBWriteRegisters, TCBWriteRegisters == 3)
SEL4_COMPILE_ASSERT(label_TCBCopyRegisters, TCBCopyRegisters == 4)
SEL4_COMPILE_ASSERT(label_TCBConfigure, TCBConfigure == 5)
SEL4_COMPILE_ASSERT(label_TCBSetPriority, TCBSetPriority == 6)
SEL4_COMPILE_ASSERT(label_TCBSetMCPriority, TCBSetMCPriority == 7)
SEL4_COMPILE_ASSERT(label_TCBSetSchedParams, TCBSetSchedParams == 8)
SEL4_COMPILE_ASSERT(label_TCBSetIPCBuffer, TCBSetIPCBuffer == 9)
SEL4_COMPILE_ASSERT(label_TCBSetSpace, TCBSetSpace == 10)
SEL4_COMPILE_ASSERT(label_TCBSuspend, TCBSuspend == 11)
SEL4_COMPILE_ASSERT(label_TCBResume, TCBResume == 12)
SEL4_COMPILE_ASSERT(label_TCBBindNotification, TCBBindNotification == 13)
SEL4_COMPILE_ASSERT(label_TCBUnbindNotification, TCBUnbindNotification == 14)
SEL4_COMPILE_ASSERT(label_TCBSetTLSBase, TCBSetTLSBase == 15)
SEL4_COMPILE_ASSERT(label_TCBSetFlags, TCBSetFlags == 16)
SEL4_COMPILE_ASSERT(label_CNodeRevoke, CNodeRevoke == 17)
SEL4_COMPILE_ASSERT(label_CNodeDelete, CNodeDelete == 18)
SEL4_COMPILE_ASSERT(label_CNodeCancelBadgedSends, CNodeCancelBadgedSends == 19)
SEL4_COMPILE_ASSERT(label_CNodeCopy, CNodeCopy == 20)
SEL4_COMPILE_ASSERT(label_CNodeMint, CNodeMint == 21)
SEL4_COMPILE_ASSERT(label_CNodeMove, CNodeMove == 22)
SEL4_COMPILE_ASSERT(label_CNodeMutate, CNodeMutate == 23)
SEL4_COMPILE_ASSERT(label_CNodeRotate, CNodeRotate == 24)
SEL4_COMPILE_ASSERT(label_CNodeSaveCaller, CNodeSaveCaller == 25)
SEL4_COMPILE_ASSERT(label_IRQIssueIRQHandler, IRQIssueIRQHandler == 26)
SEL4_COMPILE_ASSERT(label_IRQAckIRQ, IRQAckIRQ == 27)
SEL4_COMPILE_ASSERT(label_IRQSetIRQHandler, IRQSetIRQHandler == 28)
SEL4_COMPILE_ASSERT(label_IRQClearIRQHandler, IRQClearIRQHandler == 29)
SEL4_COMPILE_ASSERT(label_DomainSetSet, DomainSetSet == 30)
SEL4_COMPILE_ASSERT(label_DomainScheduleConfigure, DomainScheduleConfigure == 31)
SEL4_COMPILE_ASSERT(label_DomainScheduleSetStart, DomainScheduleSetStart == 32)
SEL4_COMPILE_ASSERT(label_nInvocationLabels, nInvocationLabels == 33)

SEL4_COMPILE_ASSERT(label_X86PDPTMap, X86PDPTMap == 33)
SEL4_COMPILE_ASSERT(label_X86PDPTUnmap, X86PDPTUnmap == 34)
SEL4_COMPILE_ASSERT(label_nSeL4ArchInvocationLabels, nSeL4ArchInvocationLabels == 35)

SEL4_COMPILE_ASSERT(label_X86PageDirectoryMap, X86PageDirectoryMap == 35)
SEL4_COMPILE_ASSERT(label_X86PageDirectoryUnmap, X86PageDirectoryUnmap == 36)
SEL4_COMPILE_ASSERT(label_X86PageTableMap, X86PageTableMap == 37)
SEL4_COMPILE_ASSERT(label_X86PageTableUnmap, X86PageTableUnmap == 38)
SEL4_COMPILE_ASSERT(label_X86PageMap, X86PageMap == 39)
SEL4_COMPILE_ASSERT(label_X86PageUnmap, X86PageUnmap == 40)
SEL4_COMPILE_ASSERT(label_X86PageGetAddress, X86PageGetAddress == 41)
SEL4_COMPILE_ASSERT(label_X86ASIDControlMakePool, X86ASIDControlMakePool == 42)
SEL4_COMPILE_ASSERT(label_X86ASIDPoolAssign, X86ASIDPoolAssign == 43)
SEL4_COMPILE_ASSERT(label_X86IOPortControlIssue, X86IOPortControlIssue == 44)
SEL4_COMPILE_ASSERT(label_X86IOPortIn8, X86IOPortIn8 == 45)
SEL4_COMPILE_ASSERT(label_X86IOPortIn16, X86IOPortIn16 == 46)
SEL4_COMPILE_ASSERT(label_X86IOPortIn32, X86IOPortIn32 == 47)
SEL4_COMPILE_ASSERT(label_X86IOPortOut8, X86IOPortOut8 == 48)
SEL4_COMPILE_ASSERT(label_X86IOPortOut16, X86IOPortOut16 == 49)
SEL4_COMPILE_ASSERT(label_X86IOPortOut32, X86IOPortOut32 == 50)
SEL4_COMPILE_ASSERT(label_X86IRQIssueIRQHandlerIOAPIC, X86IRQIssueIRQHandlerIOAPIC == 51)
SEL4_COMPILE_ASSERT(label_X86IRQIssueIRQHandlerMSI, X86IRQIssueIRQHandlerMSI == 52)
SEL4_COMPILE_ASSERT(label_nArchInvocationLabels, nArchInvocationLabels == 53)
