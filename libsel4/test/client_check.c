/*
 * Compile-only check of the invocation stubs (<sel4/client.h>), built by
 * libsel4/check.sh with gcc and clang (freestanding) and g++.  Every stub is
 * called once so that each is type-checked; check_cnode_copy_example is kept
 * out of line so check.sh can compare its code with the worked example of
 * syscalls.md section 5.1.
 */
#include <sel4/sel4.h>

seL4_Error check_cnode_copy_example(void);
seL4_Error check_cnode_copy(seL4_CNode root, seL4_Word dest_index, seL4_Uint8 dest_depth,
                            seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                            seL4_CapRights_t rights);
seL4_Word check_every_stub(seL4_CPtr cap, seL4_Word w);

/* syscalls.md section 5.1: msginfo 0x14085, R10 = 100, R8 = 64, R9 = 1,
 * R15 = 64, msg[4] = 0xF, caps_or_badges[0] = 2, RDI = 2, RDX = -1. */
seL4_Error check_cnode_copy_example(void)
{
    return seL4_CNode_Copy(seL4_CapInitThreadCNode, 100, 64,
                           seL4_CapInitThreadCNode, 1, 64, seL4_AllRights);
}

seL4_Error check_cnode_copy(seL4_CNode root, seL4_Word dest_index, seL4_Uint8 dest_depth,
                            seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                            seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(root, dest_index, dest_depth, src_root, src_index, src_depth, rights);
}

/* Calls every stub once (never executed); folds the results together so
 * that none is discarded. */
seL4_Word check_every_stub(seL4_CPtr cap, seL4_Word w)
{
    seL4_Word acc = 0;
    static seL4_UserContext regs;
    seL4_Uint8 depth = seL4_WordBits;
    seL4_Bool flag = seL4_True;
    seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;

    /* Untyped */
    acc += seL4_Untyped_Retype(cap, seL4_EndpointObject, 0, seL4_CapInitThreadCNode,
                               0, 0, w, 1);

    /* TCB */
    acc += seL4_TCB_ReadRegisters(cap, flag, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    acc += seL4_TCB_WriteRegisters(cap, flag, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    acc += seL4_TCB_CopyRegisters(cap, cap + 1, flag, flag, flag, flag, 0);
    acc += seL4_TCB_Configure(cap, w, seL4_CapInitThreadCNode, seL4_NilData,
                              seL4_CapInitThreadVSpace, seL4_NilData, w, cap + 2);
    acc += seL4_TCB_SetPriority(cap, seL4_CapInitThreadTCB, seL4_MaxPrio);
    acc += seL4_TCB_SetMCPriority(cap, seL4_CapInitThreadTCB, seL4_MaxPrio);
    acc += seL4_TCB_SetSchedParams(cap, seL4_CapInitThreadTCB, seL4_MaxPrio, seL4_MinPrio);
    acc += seL4_TCB_SetIPCBuffer(cap, w, cap + 3);
    acc += seL4_TCB_SetSpace(cap, w, seL4_CapInitThreadCNode,
                             seL4_CNode_CapData_new(0, 51).words[0],
                             seL4_CapInitThreadVSpace, seL4_NilData);
    acc += seL4_TCB_Suspend(cap);
    acc += seL4_TCB_Resume(cap);
    acc += seL4_TCB_BindNotification(cap, cap + 4);
    acc += seL4_TCB_UnbindNotification(cap);
    acc += seL4_TCB_SetTLSBase(cap, w);
    {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(cap, 0, seL4_TCBFlag_fpuDisabled);
        acc += (seL4_Word)r.error + r.flags;
    }

    /* CNode */
    acc += seL4_CNode_Revoke(cap, w, depth);
    acc += seL4_CNode_Delete(cap, w, depth);
    acc += seL4_CNode_CancelBadgedSends(cap, w, depth);
    acc += seL4_CNode_Copy(cap, w, depth, cap, w + 1, depth, seL4_AllRights);
    acc += seL4_CNode_Mint(cap, w, depth, cap, w + 1, depth, seL4_CanRead, 0x42);
    acc += seL4_CNode_Move(cap, w, depth, cap, w + 1, depth);
    acc += seL4_CNode_Mutate(cap, w, depth, cap, w + 1, depth,
                             seL4_CNode_CapData_new(0, 51).words[0]);
    acc += seL4_CNode_Rotate(cap, w, depth, 1, cap, w + 1, depth, 2, cap, w + 2, depth);
    acc += seL4_CNode_SaveCaller(cap, w, depth);

    /* IRQs */
    acc += seL4_IRQControl_Get(seL4_CapIRQControl, 4, seL4_CapInitThreadCNode, w, depth);
    acc += seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, w, depth,
                                     0, 2, 0, 0, 2);
    acc += seL4_IRQControl_GetMSI(seL4_CapIRQControl, seL4_CapInitThreadCNode, w, depth,
                                  0, 3, 0, 0, 5);
    acc += seL4_IRQHandler_Ack(cap);
    acc += seL4_IRQHandler_SetNotification(cap, cap + 5);
    acc += seL4_IRQHandler_Clear(cap);

    /* Domains */
    acc += seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapInitThreadTCB);
    acc += seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, (seL4_Time)w);
    acc += seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0);

    /* Paging structures and frames */
    acc += seL4_X86_PDPT_Map(cap, seL4_CapInitThreadVSpace, w, attr);
    acc += seL4_X86_PDPT_Unmap(cap);
    acc += seL4_X86_PageDirectory_Map(cap, seL4_CapInitThreadVSpace, w, attr);
    acc += seL4_X86_PageDirectory_Unmap(cap);
    acc += seL4_X86_PageTable_Map(cap, seL4_CapInitThreadVSpace, w, attr);
    acc += seL4_X86_PageTable_Unmap(cap);
    acc += seL4_X86_Page_Map(cap, seL4_CapInitThreadVSpace, w, seL4_ReadWrite,
                             seL4_X86_WriteCombining);
    acc += seL4_X86_Page_Unmap(cap);
    {
        seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(cap);
        acc += (seL4_Word)r.error + r.paddr;
    }

    /* ASIDs */
    acc += seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, cap, seL4_CapInitThreadCNode,
                                         w, depth);
    acc += seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, cap);

    /* I/O ports */
    acc += seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x40, 0x43,
                                        seL4_CapInitThreadCNode, w, depth);
    {
        seL4_X86_IOPort_In8_t r8 = seL4_X86_IOPort_In8(cap, 0x40);
        seL4_X86_IOPort_In16_t r16 = seL4_X86_IOPort_In16(cap, 0x40);
        seL4_X86_IOPort_In32_t r32 = seL4_X86_IOPort_In32(cap, 0x40);
        acc += (seL4_Word)(r8.error + r16.error + r32.error) + r8.result + r16.result + r32.result;
    }
    acc += seL4_X86_IOPort_Out8(cap, 0x43, 0x34);
    acc += seL4_X86_IOPort_Out16(cap, 0x40, 0x1234);
    acc += seL4_X86_IOPort_Out32(cap, 0x40, 0x12345678);

    return acc + regs.rip;
}
