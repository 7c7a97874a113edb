/*
 * Arca libsel4 -- invocation stubs for every kernel-object method of
 * configuration Q (seL4 16.0.0, x86_64 pc99, non-MCS).
 *
 * Names, parameter lists and result types are seL4's.  Each stub
 *
 *   1. puts its cap arguments in the IPC buffer's caps_or_badges[] (the
 *      "extra caps"),
 *   2. puts message registers 4 and up in the IPC buffer's msg[],
 *   3. passes MR0..MR3 in registers with seL4_CallWithMRs, using the label,
 *      extra-cap count and length that invocations.md section 2 gives for
 *      the method (capsUnwrapped is always 0),
 *   4. returns the reply's label as the error (seL4_NoError = 0).
 *
 * As with seL4's stubs, after an error the reply's MR0..MR3 are also stored
 * in msg[0..3], so seL4_GetMR(i) reads the error details (invocations.md
 * section 1.3); after success msg[0..3] are left alone.  Methods with
 * results return them only on success; on error every result field but
 * `error` is 0.
 *
 * Sub-word arguments are packed as the kernel reads them: seL4_Bool flags
 * use one bit, arch_flags (seL4_Uint8) bits 8..15; depths, domains and port
 * numbers are zero-extended.  Rights travel as their one-word encoding
 * (capabilities.md section 3), CNode cap data and badges as plain words.
 *
 * Methods that configuration Q leaves out (IOMMU: X86_IOPageTable_*,
 * X86_Page_MapIO; VT-x; hardware debug API; SMP: TCB_SetAffinity; MCS) have
 * no stub, as in seL4 built for that configuration.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/types.h>
#include <sel4/constants.h>
#include <sel4/messageinfo.h>
#include <sel4/ipcbuffer.h>
#include <sel4/syscalls.h>
#include <sel4/invocation.h>

/* ========================================================================
 * Result types of the methods that return data
 * ======================================================================== */

typedef struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;            /* the thread's flags after the change */
} seL4_TCB_SetFlags_t;

typedef struct seL4_X86_Page_GetAddress {
    int error;
    seL4_Word paddr;            /* physical address of the frame */
} seL4_X86_Page_GetAddress_t;

typedef struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
} seL4_X86_IOPort_In8_t;

typedef struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
} seL4_X86_IOPort_In16_t;

typedef struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
} seL4_X86_IOPort_In32_t;

/* ========================================================================
 * The call shared by all stubs
 * ======================================================================== */

/*
 * Invoke `service`: message info (label, 0, extraCaps, length), MR0..3 from
 * mr[0..3] (only those below `length` are sent, the others go as 0), further
 * MRs and the extra caps already in the IPC buffer.  mr[0..3] receive the
 * reply's MR0..3; on an error they are copied to msg[0..3] as well.
 */
static inline seL4_Error arca_invoke(seL4_CPtr service, seL4_Word label,
                                     seL4_Word extraCaps, seL4_Word length,
                                     seL4_Word mr[seL4_FastMessageRegisters])
{
    seL4_MessageInfo_t reply;
    seL4_Error error;

    reply = seL4_CallWithMRs(service, seL4_MessageInfo_new(label, 0, extraCaps, length),
                             &mr[0], &mr[1], &mr[2], &mr[3]);
    error = (seL4_Error)seL4_MessageInfo_get_label(reply);
    if (error != seL4_NoError) {
        seL4_SetMR(0, mr[0]);
        seL4_SetMR(1, mr[1]);
        seL4_SetMR(2, mr[2]);
        seL4_SetMR(3, mr[3]);
    }
    return error;
}

/* A seL4_Bool argument occupies one bit; arch_flags occupies bits 8..15. */
#define ARCA_BOOL_BIT(b, bit)       ((seL4_Word)((b) & 1) << (bit))
#define ARCA_ARCH_FLAGS(f)          ((seL4_Word)(seL4_Uint8)(f) << 8)

/* ========================================================================
 * Untyped
 * ======================================================================== */

/* MR0 type, MR1 size_bits, MR2 node_index, MR3 node_depth, MR4 node_offset,
 * MR5 num_objects; cap0 root. */
static inline seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type,
                                             seL4_Word size_bits, seL4_CNode root,
                                             seL4_Word node_index, seL4_Word node_depth,
                                             seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word mr[4] = { type, size_bits, node_index, node_depth };

    seL4_SetCap(0, root);
    seL4_SetMR(4, node_offset);
    seL4_SetMR(5, num_objects);
    return arca_invoke(_service, UntypedRetype, 1, 6, mr);
}

/* ========================================================================
 * TCB (the invoked cap is the target thread)
 * ======================================================================== */

/* MR0 suspend_source (bit 0) | arch_flags (bits 8..15), MR1 count.
 * Reply MR0..count-1: registers in seL4_UserContext order; all 20 fields
 * of *regs are filled from MR0..MR19 on success. */
static inline seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source,
                                                seL4_Uint8 arch_flags, seL4_Word count,
                                                seL4_UserContext *regs)
{
    seL4_Word mr[4] = { ARCA_BOOL_BIT(suspend_source, 0) | ARCA_ARCH_FLAGS(arch_flags),
                        count, 0, 0 };
    seL4_Error error = arca_invoke(_service, TCBReadRegisters, 0, 2, mr);

    if (error != seL4_NoError) {
        return error;
    }
    regs->rip = mr[0];
    regs->rsp = mr[1];
    regs->rflags = mr[2];
    regs->rax = mr[3];
    regs->rbx = seL4_GetMR(4);
    regs->rcx = seL4_GetMR(5);
    regs->rdx = seL4_GetMR(6);
    regs->rsi = seL4_GetMR(7);
    regs->rdi = seL4_GetMR(8);
    regs->rbp = seL4_GetMR(9);
    regs->r8 = seL4_GetMR(10);
    regs->r9 = seL4_GetMR(11);
    regs->r10 = seL4_GetMR(12);
    regs->r11 = seL4_GetMR(13);
    regs->r12 = seL4_GetMR(14);
    regs->r13 = seL4_GetMR(15);
    regs->r14 = seL4_GetMR(16);
    regs->r15 = seL4_GetMR(17);
    regs->fs_base = seL4_GetMR(18);
    regs->gs_base = seL4_GetMR(19);
    return error;
}

/* MR0 resume_target (bit 0) | arch_flags (bits 8..15), MR1 count,
 * MR2..MR21 all 20 fields of *regs (the length is always 22). */
static inline seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target,
                                                 seL4_Uint8 arch_flags, seL4_Word count,
                                                 seL4_UserContext *regs)
{
    seL4_Word mr[4] = { ARCA_BOOL_BIT(resume_target, 0) | ARCA_ARCH_FLAGS(arch_flags),
                        count, regs->rip, regs->rsp };

    seL4_SetMR(4, regs->rflags);
    seL4_SetMR(5, regs->rax);
    seL4_SetMR(6, regs->rbx);
    seL4_SetMR(7, regs->rcx);
    seL4_SetMR(8, regs->rdx);
    seL4_SetMR(9, regs->rsi);
    seL4_SetMR(10, regs->rdi);
    seL4_SetMR(11, regs->rbp);
    seL4_SetMR(12, regs->r8);
    seL4_SetMR(13, regs->r9);
    seL4_SetMR(14, regs->r10);
    seL4_SetMR(15, regs->r11);
    seL4_SetMR(16, regs->r12);
    seL4_SetMR(17, regs->r13);
    seL4_SetMR(18, regs->r14);
    seL4_SetMR(19, regs->r15);
    seL4_SetMR(20, regs->fs_base);
    seL4_SetMR(21, regs->gs_base);
    return arca_invoke(_service, TCBWriteRegisters, 0, 22, mr);
}

/* MR0 suspend_source (bit 0), resume_target (bit 1), transfer_frame
 * (bit 2), transfer_integer (bit 3), arch_flags (bits 8..15); cap0 source. */
static inline seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source,
                                                seL4_Bool suspend_source, seL4_Bool resume_target,
                                                seL4_Bool transfer_frame, seL4_Bool transfer_integer,
                                                seL4_Uint8 arch_flags)
{
    seL4_Word mr[4] = { ARCA_BOOL_BIT(suspend_source, 0) | ARCA_BOOL_BIT(resume_target, 1) |
                        ARCA_BOOL_BIT(transfer_frame, 2) | ARCA_BOOL_BIT(transfer_integer, 3) |
                        ARCA_ARCH_FLAGS(arch_flags),
                        0, 0, 0 };

    seL4_SetCap(0, source);
    return arca_invoke(_service, TCBCopyRegisters, 1, 1, mr);
}

/* MR0 fault_ep, MR1 cspace_root_data, MR2 vspace_root_data, MR3 buffer;
 * cap0 cspace_root, cap1 vspace_root, cap2 bufferFrame. */
static inline seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_Word fault_ep,
                                            seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                            seL4_CPtr vspace_root, seL4_Word vspace_root_data,
                                            seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = { fault_ep, cspace_root_data, vspace_root_data, buffer };

    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return arca_invoke(_service, TCBConfigure, 3, 4, mr);
}

/* MR0 priority; cap0 authority. */
static inline seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority,
                                              seL4_Word priority)
{
    seL4_Word mr[4] = { priority, 0, 0, 0 };

    seL4_SetCap(0, authority);
    return arca_invoke(_service, TCBSetPriority, 1, 1, mr);
}

/* MR0 mcp; cap0 authority. */
static inline seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority,
                                                seL4_Word mcp)
{
    seL4_Word mr[4] = { mcp, 0, 0, 0 };

    seL4_SetCap(0, authority);
    return arca_invoke(_service, TCBSetMCPriority, 1, 1, mr);
}

/* MR0 mcp, MR1 priority; cap0 authority. */
static inline seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority,
                                                 seL4_Word mcp, seL4_Word priority)
{
    seL4_Word mr[4] = { mcp, priority, 0, 0 };

    seL4_SetCap(0, authority);
    return arca_invoke(_service, TCBSetSchedParams, 1, 2, mr);
}

/* MR0 buffer; cap0 bufferFrame. */
static inline seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer,
                                               seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = { buffer, 0, 0, 0 };

    seL4_SetCap(0, bufferFrame);
    return arca_invoke(_service, TCBSetIPCBuffer, 1, 1, mr);
}

/* MR0 fault_ep, MR1 cspace_root_data, MR2 vspace_root_data;
 * cap0 cspace_root, cap1 vspace_root. */
static inline seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_Word fault_ep,
                                           seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                           seL4_CPtr vspace_root, seL4_Word vspace_root_data)
{
    seL4_Word mr[4] = { fault_ep, cspace_root_data, vspace_root_data, 0 };

    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    return arca_invoke(_service, TCBSetSpace, 2, 3, mr);
}

static inline seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, TCBSuspend, 0, 0, mr);
}

static inline seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, TCBResume, 0, 0, mr);
}

/* cap0 notification. */
static inline seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    seL4_SetCap(0, notification);
    return arca_invoke(_service, TCBBindNotification, 1, 0, mr);
}

static inline seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, TCBUnbindNotification, 0, 0, mr);
}

/* MR0 tls_base (the target's FS base). */
static inline seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    seL4_Word mr[4] = { tls_base, 0, 0, 0 };

    return arca_invoke(_service, TCBSetTLSBase, 0, 1, mr);
}

/* MR0 clear, MR1 set.  Reply MR0: the resulting flags. */
static inline seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear,
                                                    seL4_Word set)
{
    seL4_TCB_SetFlags_t result = { 0, 0 };
    seL4_Word mr[4] = { clear, set, 0, 0 };

    result.error = arca_invoke(_service, TCBSetFlags, 0, 2, mr);
    if (result.error == seL4_NoError) {
        result.flags = mr[0];
    }
    return result;
}

/* ========================================================================
 * CNode (the invoked cap is the root for index/dest_index)
 * ======================================================================== */

/* MR0 index, MR1 depth. */
static inline seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };

    return arca_invoke(_service, CNodeRevoke, 0, 2, mr);
}

/* MR0 index, MR1 depth. */
static inline seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };

    return arca_invoke(_service, CNodeDelete, 0, 2, mr);
}

/* MR0 index, MR1 depth. */
static inline seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index,
                                                      seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };

    return arca_invoke(_service, CNodeCancelBadgedSends, 0, 2, mr);
}

/* MR0 dest_index, MR1 dest_depth, MR2 src_index, MR3 src_depth, MR4 rights;
 * cap0 src_root.  (syscalls.md section 5.1 is a worked example.) */
static inline seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    return arca_invoke(_service, CNodeCopy, 1, 5, mr);
}

/* As Copy, plus MR5 badge (badge, or CNode cap data for a CNode cap). */
static inline seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    seL4_SetMR(5, badge);
    return arca_invoke(_service, CNodeMint, 1, 6, mr);
}

/* MR0 dest_index, MR1 dest_depth, MR2 src_index, MR3 src_depth; cap0 src_root. */
static inline seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    return arca_invoke(_service, CNodeMove, 1, 4, mr);
}

/* As Move, plus MR4 badge (CNode cap data). */
static inline seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index,
                                           seL4_Uint8 dest_depth, seL4_CNode src_root,
                                           seL4_Word src_index, seL4_Uint8 src_depth,
                                           seL4_Word badge)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, badge);
    return arca_invoke(_service, CNodeMutate, 1, 5, mr);
}

/* MR0 dest_index, MR1 dest_depth, MR2 dest_badge, MR3 pivot_index,
 * MR4 pivot_depth, MR5 pivot_badge, MR6 src_index, MR7 src_depth;
 * cap0 pivot_root, cap1 src_root. */
static inline seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index,
                                           seL4_Uint8 dest_depth, seL4_Word dest_badge,
                                           seL4_CNode pivot_root, seL4_Word pivot_index,
                                           seL4_Uint8 pivot_depth, seL4_Word pivot_badge,
                                           seL4_CNode src_root, seL4_Word src_index,
                                           seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = { dest_index, dest_depth, dest_badge, pivot_index };

    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    seL4_SetMR(4, pivot_depth);
    seL4_SetMR(5, pivot_badge);
    seL4_SetMR(6, src_index);
    seL4_SetMR(7, src_depth);
    return arca_invoke(_service, CNodeRotate, 2, 8, mr);
}

/* MR0 index, MR1 depth. */
static inline seL4_Error seL4_CNode_SaveCaller(seL4_CNode _service, seL4_Word index,
                                               seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };

    return arca_invoke(_service, CNodeSaveCaller, 0, 2, mr);
}

/* ========================================================================
 * IRQControl and IRQHandler
 * ======================================================================== */

/* MR0 irq, MR1 index, MR2 depth; cap0 root.  (Fails with IllegalOperation
 * unless the kernel runs its interrupts through the PIC.) */
static inline seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq,
                                             seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = { irq, index, depth, 0 };

    seL4_SetCap(0, root);
    return arca_invoke(_service, IRQIssueIRQHandler, 1, 3, mr);
}

/* MR0 index, MR1 depth, MR2 ioapic, MR3 pin, MR4 level, MR5 polarity,
 * MR6 vector; cap0 root. */
static inline seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl _service, seL4_CNode root,
                                                   seL4_Word index, seL4_Uint8 depth,
                                                   seL4_Word ioapic, seL4_Word pin,
                                                   seL4_Word level, seL4_Word polarity,
                                                   seL4_Word vector)
{
    seL4_Word mr[4] = { index, depth, ioapic, pin };

    seL4_SetCap(0, root);
    seL4_SetMR(4, level);
    seL4_SetMR(5, polarity);
    seL4_SetMR(6, vector);
    return arca_invoke(_service, X86IRQIssueIRQHandlerIOAPIC, 1, 7, mr);
}

/* MR0 index, MR1 depth, MR2 pci_bus, MR3 pci_dev, MR4 pci_func, MR5 handle,
 * MR6 vector; cap0 root. */
static inline seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl _service, seL4_CNode root,
                                                seL4_Word index, seL4_Uint8 depth,
                                                seL4_Word pci_bus, seL4_Word pci_dev,
                                                seL4_Word pci_func, seL4_Word handle,
                                                seL4_Word vector)
{
    seL4_Word mr[4] = { index, depth, pci_bus, pci_dev };

    seL4_SetCap(0, root);
    seL4_SetMR(4, pci_func);
    seL4_SetMR(5, handle);
    seL4_SetMR(6, vector);
    return arca_invoke(_service, X86IRQIssueIRQHandlerMSI, 1, 7, mr);
}

static inline seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, IRQAckIRQ, 0, 0, mr);
}

/* cap0 notification. */
static inline seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service,
                                                         seL4_CPtr notification)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    seL4_SetCap(0, notification);
    return arca_invoke(_service, IRQSetIRQHandler, 1, 0, mr);
}

static inline seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, IRQClearIRQHandler, 0, 0, mr);
}

/* ========================================================================
 * Domains (the invoked cap is the domain cap)
 * ======================================================================== */

/* MR0 domain; cap0 thread. */
static inline seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain,
                                            seL4_TCB thread)
{
    seL4_Word mr[4] = { domain, 0, 0, 0 };

    seL4_SetCap(0, thread);
    return arca_invoke(_service, DomainSetSet, 1, 1, mr);
}

/* MR0 index, MR1 domain, MR2 duration (ticks). */
static inline seL4_Error seL4_DomainSet_ScheduleConfigure(seL4_DomainSet _service, seL4_Word index,
                                                          seL4_Uint8 domain, seL4_Time duration)
{
    seL4_Word mr[4] = { index, domain, duration, 0 };

    return arca_invoke(_service, DomainScheduleConfigure, 0, 3, mr);
}

/* MR0 index. */
static inline seL4_Error seL4_DomainSet_ScheduleSetStart(seL4_DomainSet _service, seL4_Word index)
{
    seL4_Word mr[4] = { index, 0, 0, 0 };

    return arca_invoke(_service, DomainScheduleSetStart, 0, 1, mr);
}

/* ========================================================================
 * Paging structures (cap0 is always the PML4 = VSpace root)
 * ======================================================================== */

/* MR0 vaddr, MR1 attr; cap0 pml4. */
static inline seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT _service, seL4_X64_PML4 pml4,
                                           seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, (seL4_Word)attr, 0, 0 };

    seL4_SetCap(0, pml4);
    return arca_invoke(_service, X86PDPTMap, 1, 2, mr);
}

static inline seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, X86PDPTUnmap, 0, 0, mr);
}

/* MR0 vaddr, MR1 attr; cap0 vspace. */
static inline seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory _service,
                                                    seL4_CPtr vspace, seL4_Word vaddr,
                                                    seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, (seL4_Word)attr, 0, 0 };

    seL4_SetCap(0, vspace);
    return arca_invoke(_service, X86PageDirectoryMap, 1, 2, mr);
}

static inline seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, X86PageDirectoryUnmap, 0, 0, mr);
}

/* MR0 vaddr, MR1 attr; cap0 vspace. */
static inline seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable _service, seL4_CPtr vspace,
                                                seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, (seL4_Word)attr, 0, 0 };

    seL4_SetCap(0, vspace);
    return arca_invoke(_service, X86PageTableMap, 1, 2, mr);
}

static inline seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, X86PageTableUnmap, 0, 0, mr);
}

/* ========================================================================
 * Frames
 * ======================================================================== */

/* MR0 vaddr, MR1 rights, MR2 attr; cap0 vspace. */
static inline seL4_Error seL4_X86_Page_Map(seL4_X86_Page _service, seL4_CPtr vspace,
                                           seL4_Word vaddr, seL4_CapRights_t rights,
                                           seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, rights.words[0], (seL4_Word)attr, 0 };

    seL4_SetCap(0, vspace);
    return arca_invoke(_service, X86PageMap, 1, 3, mr);
}

static inline seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    return arca_invoke(_service, X86PageUnmap, 0, 0, mr);
}

/* Reply MR0: the frame's physical address. */
static inline seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page _service)
{
    seL4_X86_Page_GetAddress_t result = { 0, 0 };
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    result.error = arca_invoke(_service, X86PageGetAddress, 0, 0, mr);
    if (result.error == seL4_NoError) {
        result.paddr = mr[0];
    }
    return result;
}

/* ========================================================================
 * ASIDs
 * ======================================================================== */

/* MR0 index, MR1 depth; cap0 untyped (4 KiB, not device), cap1 root. */
static inline seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl _service,
                                                       seL4_Untyped untyped, seL4_CNode root,
                                                       seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };

    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return arca_invoke(_service, X86ASIDControlMakePool, 2, 2, mr);
}

/* cap0 vspace (a PML4 without an ASID). */
static inline seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool _service, seL4_CPtr vspace)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };

    seL4_SetCap(0, vspace);
    return arca_invoke(_service, X86ASIDPoolAssign, 1, 0, mr);
}

/* ========================================================================
 * I/O ports
 * ======================================================================== */

/* MR0 first_port, MR1 last_port, MR2 index, MR3 depth; cap0 root. */
static inline seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl _service,
                                                      seL4_Word first_port, seL4_Word last_port,
                                                      seL4_CNode root, seL4_Word index,
                                                      seL4_Uint8 depth)
{
    seL4_Word mr[4] = { first_port, last_port, index, depth };

    seL4_SetCap(0, root);
    return arca_invoke(_service, X86IOPortControlIssue, 1, 4, mr);
}

/* In8/In16/In32: MR0 port.  Reply MR0: the value read. */
static inline seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In8_t result = { 0, 0 };
    seL4_Word mr[4] = { port, 0, 0, 0 };

    result.error = arca_invoke(_service, X86IOPortIn8, 0, 1, mr);
    if (result.error == seL4_NoError) {
        result.result = (seL4_Uint8)mr[0];
    }
    return result;
}

static inline seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort _service,
                                                          seL4_Uint16 port)
{
    seL4_X86_IOPort_In16_t result = { 0, 0 };
    seL4_Word mr[4] = { port, 0, 0, 0 };

    result.error = arca_invoke(_service, X86IOPortIn16, 0, 1, mr);
    if (result.error == seL4_NoError) {
        result.result = (seL4_Uint16)mr[0];
    }
    return result;
}

static inline seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort _service,
                                                          seL4_Uint16 port)
{
    seL4_X86_IOPort_In32_t result = { 0, 0 };
    seL4_Word mr[4] = { port, 0, 0, 0 };

    result.error = arca_invoke(_service, X86IOPortIn32, 0, 1, mr);
    if (result.error == seL4_NoError) {
        result.result = (seL4_Uint32)mr[0];
    }
    return result;
}

/* Out8/Out16/Out32: MR0 port, MR1 data. */
static inline seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort _service, seL4_Word port,
                                              seL4_Word data)
{
    seL4_Word mr[4] = { port, data, 0, 0 };

    return arca_invoke(_service, X86IOPortOut8, 0, 2, mr);
}

static inline seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort _service, seL4_Word port,
                                               seL4_Word data)
{
    seL4_Word mr[4] = { port, data, 0, 0 };

    return arca_invoke(_service, X86IOPortOut16, 0, 2, mr);
}

static inline seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort _service, seL4_Word port,
                                               seL4_Word data)
{
    seL4_Word mr[4] = { port, data, 0, 0 };

    return arca_invoke(_service, X86IOPortOut32, 0, 2, mr);
}
