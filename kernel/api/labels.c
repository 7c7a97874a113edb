/* Invocation label names for diagnostics (labels from libsel4's invocation.h). */
#include "invocation.h"

const char *invocation_label_name(word_t label)
{
    switch (label) {
    case InvalidInvocation: return "InvalidInvocation";
    case UntypedRetype: return "Untyped_Retype";
    case TCBReadRegisters: return "TCB_ReadRegisters";
    case TCBWriteRegisters: return "TCB_WriteRegisters";
    case TCBCopyRegisters: return "TCB_CopyRegisters";
    case TCBConfigure: return "TCB_Configure";
    case TCBSetPriority: return "TCB_SetPriority";
    case TCBSetMCPriority: return "TCB_SetMCPriority";
    case TCBSetSchedParams: return "TCB_SetSchedParams";
    case TCBSetIPCBuffer: return "TCB_SetIPCBuffer";
    case TCBSetSpace: return "TCB_SetSpace";
    case TCBSuspend: return "TCB_Suspend";
    case TCBResume: return "TCB_Resume";
    case TCBBindNotification: return "TCB_BindNotification";
    case TCBUnbindNotification: return "TCB_UnbindNotification";
    case TCBSetTLSBase: return "TCB_SetTLSBase";
    case TCBSetFlags: return "TCB_SetFlags";
    case CNodeRevoke: return "CNode_Revoke";
    case CNodeDelete: return "CNode_Delete";
    case CNodeCancelBadgedSends: return "CNode_CancelBadgedSends";
    case CNodeCopy: return "CNode_Copy";
    case CNodeMint: return "CNode_Mint";
    case CNodeMove: return "CNode_Move";
    case CNodeMutate: return "CNode_Mutate";
    case CNodeRotate: return "CNode_Rotate";
    case CNodeSaveCaller: return "CNode_SaveCaller";
    case IRQIssueIRQHandler: return "IRQControl_Get";
    case IRQAckIRQ: return "IRQHandler_Ack";
    case IRQSetIRQHandler: return "IRQHandler_SetNotification";
    case IRQClearIRQHandler: return "IRQHandler_Clear";
    case DomainSetSet: return "DomainSet_Set";
    case DomainScheduleConfigure: return "DomainSet_ScheduleConfigure";
    case DomainScheduleSetStart: return "DomainSet_ScheduleSetStart";
    case X86PDPTMap: return "X86_PDPT_Map";
    case X86PDPTUnmap: return "X86_PDPT_Unmap";
    case X86PageDirectoryMap: return "X86_PageDirectory_Map";
    case X86PageDirectoryUnmap: return "X86_PageDirectory_Unmap";
    case X86PageTableMap: return "X86_PageTable_Map";
    case X86PageTableUnmap: return "X86_PageTable_Unmap";
    case X86PageMap: return "X86_Page_Map";
    case X86PageUnmap: return "X86_Page_Unmap";
    case X86PageGetAddress: return "X86_Page_GetAddress";
    case X86ASIDControlMakePool: return "X86_ASIDControl_MakePool";
    case X86ASIDPoolAssign: return "X86_ASIDPool_Assign";
    case X86IOPortControlIssue: return "X86_IOPortControl_Issue";
    case X86IOPortIn8: return "X86_IOPort_In8";
    case X86IOPortIn16: return "X86_IOPort_In16";
    case X86IOPortIn32: return "X86_IOPort_In32";
    case X86IOPortOut8: return "X86_IOPort_Out8";
    case X86IOPortOut16: return "X86_IOPort_Out16";
    case X86IOPortOut32: return "X86_IOPort_Out32";
    case X86IRQIssueIRQHandlerIOAPIC: return "IRQControl_GetIOAPIC";
    case X86IRQIssueIRQHandlerMSI: return "IRQControl_GetMSI";
    default: return "unknown invocation";
    }
}
