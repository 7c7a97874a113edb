/*
 * Compile-only check of Arca's libsel4 headers (built by libsel4/check.sh).
 * Every public stub is referenced so that each one is compiled; check_call
 * and check_send are disassembled by check.sh to inspect the registers.
 */
#include <sel4/sel4.h>

/* --- numbers that must match seL4 16.0.0 (syscalls.md section 1.1) --- */
SEL4_COMPILE_ASSERT(sys_call, seL4_SysCall == -1)
SEL4_COMPILE_ASSERT(sys_replyrecv, seL4_SysReplyRecv == -2)
SEL4_COMPILE_ASSERT(sys_send, seL4_SysSend == -3)
SEL4_COMPILE_ASSERT(sys_nbsend, seL4_SysNBSend == -4)
SEL4_COMPILE_ASSERT(sys_recv, seL4_SysRecv == -5)
SEL4_COMPILE_ASSERT(sys_reply, seL4_SysReply == -6)
SEL4_COMPILE_ASSERT(sys_yield, seL4_SysYield == -7)
SEL4_COMPILE_ASSERT(sys_nbrecv, seL4_SysNBRecv == -8)
SEL4_COMPILE_ASSERT(sys_putchar, seL4_SysDebugPutChar == -9)
SEL4_COMPILE_ASSERT(sys_dumpsched, seL4_SysDebugDumpScheduler == -10)
SEL4_COMPILE_ASSERT(sys_halt, seL4_SysDebugHalt == -11)
SEL4_COMPILE_ASSERT(sys_capidentify, seL4_SysDebugCapIdentify == -12)
SEL4_COMPILE_ASSERT(sys_snapshot, seL4_SysDebugSnapshot == -13)
SEL4_COMPILE_ASSERT(sys_namethread, seL4_SysDebugNameThread == -14)
SEL4_COMPILE_ASSERT(sys_sendipi, seL4_SysDebugSendIPI == -15)
SEL4_COMPILE_ASSERT(sys_affinity, seL4_SysDebugGetThreadAffinity == -16)
SEL4_COMPILE_ASSERT(sys_debugrun, seL4_SysDebugRun == -17)
SEL4_COMPILE_ASSERT(sys_flush, seL4_SysBenchmarkFlushCaches == -18)
SEL4_COMPILE_ASSERT(sys_resetall, seL4_SysBenchmarkResetAllThreadsUtilisation == -26)
SEL4_COMPILE_ASSERT(sys_wrmsr, seL4_SysX86DangerousWRMSR == -27)
SEL4_COMPILE_ASSERT(sys_rdmsr, seL4_SysX86DangerousRDMSR == -28)
SEL4_COMPILE_ASSERT(sys_vmenter, seL4_SysVMEnter == -29)
SEL4_COMPILE_ASSERT(sys_settls, seL4_SysSetTLSBase == -30)
SEL4_COMPILE_ASSERT(sys_id_is_word, sizeof(seL4_Syscall_ID) == 8)

/* --- constants (syscalls.md section 7, objects.md section 2) --- */
SEL4_COMPILE_ASSERT(c_msgmax, seL4_MsgMaxLength == 120)
SEL4_COMPILE_ASSERT(c_extracaps, seL4_MsgMaxExtraCaps == 3)
SEL4_COMPILE_ASSERT(c_fastmrs, seL4_FastMessageRegisters == 4)
SEL4_COMPILE_ASSERT(c_msglenbits, seL4_MsgLengthBits == ARCA_MSGINFO_LENGTH_BITS)
SEL4_COMPILE_ASSERT(c_extracapbits, seL4_MsgExtraCapBits == ARCA_MSGINFO_EXTRACAPS_BITS)
SEL4_COMPILE_ASSERT(c_maxprio, seL4_MaxPrio == 255)
SEL4_COMPILE_ASSERT(c_minprio, seL4_MinPrio == 0)
SEL4_COMPILE_ASSERT(c_usertop, seL4_UserTop == 0x00007ffffffff000ul)
SEL4_COMPILE_ASSERT(c_tcbbits, seL4_TCBBits == 11)
SEL4_COMPILE_ASSERT(c_slotbits, seL4_SlotBits == 5)
SEL4_COMPILE_ASSERT(c_epbits, seL4_EndpointBits == 4)
SEL4_COMPILE_ASSERT(c_ntfnbits, seL4_NotificationBits == 5)
SEL4_COMPILE_ASSERT(c_numerrors, seL4_NumErrors == 11 && seL4_NotEnoughMemory == 10)
SEL4_COMPILE_ASSERT(c_lookup, seL4_GuardMismatch == 4)
SEL4_COMPILE_ASSERT(c_numinitial, seL4_NumInitialCaps == 16 && seL4_CapSMC == 15)
SEL4_COMPILE_ASSERT(c_pd_alias, seL4_CapInitThreadPD == 3)
SEL4_COMPILE_ASSERT(c_fault_vm, seL4_Fault_VMFault == 5)
SEL4_COMPILE_ASSERT(c_unknown_len, seL4_UnknownSyscall_Length == 19 && seL4_UnknownSyscall_Syscall == 18)
SEL4_COMPILE_ASSERT(c_userexc_len, seL4_UserException_Length == 5)
SEL4_COMPILE_ASSERT(c_vmfault_len, seL4_VMFault_Length == 4)
SEL4_COMPILE_ASSERT(c_capfault, seL4_CapFault_GuardMismatch_BitsFound == 6)
SEL4_COMPILE_ASSERT(c_bi_tsc, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ == 5 && SEL4_BOOTINFO_HEADER_NUM == 7)

/* --- functions kept out of line so check.sh can disassemble them --- */

seL4_MessageInfo_t check_call(seL4_CPtr dest, seL4_MessageInfo_t info);
void check_send(seL4_CPtr dest, seL4_MessageInfo_t info);
void check_everything(void);

seL4_MessageInfo_t check_call(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    return seL4_Call(dest, info);
}

void check_send(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_Send(dest, info);
}

/* References every public function once (never executed). */
void check_everything(void)
{
    seL4_Word badge = 0, m0 = 1, m1 = 2, m2 = 3, m3 = 4;
    seL4_CPtr cnode, index;
    seL4_Word depth;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(1, 0, 0, 4);
    seL4_CapRights_t rights = seL4_AllRights;
    seL4_CNode_CapData_t capdata = seL4_CNode_CapData_new(0, 51);

    info = seL4_MessageInfo_set_label(info, seL4_CapRights_get_capAllowRead(rights));
    seL4_MessageInfo_ptr_set_length(&info, seL4_CNode_CapData_get_guardSize(capdata));
    seL4_SetMR(0, seL4_MessageInfo_ptr_get_extraCaps(&info));
    seL4_SetCap(0, seL4_CapInitThreadCNode);
    seL4_SetUserData(seL4_GetUserData() + seL4_GetBadge(0) + seL4_GetCap(1));
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, 100, seL4_WordBits);
    seL4_GetCapReceivePath(&cnode, &index, &depth);
    seL4_SetIPCBuffer(seL4_GetIPCBuffer());

    seL4_Send(cnode, info);
    seL4_SendWithMRs(cnode, info, &m0, &m1, seL4_Null, &m3);
    seL4_NBSend(cnode, info);
    seL4_NBSendWithMRs(cnode, info, &m0, &m1, &m2, &m3);
    seL4_Reply(info);
    seL4_ReplyWithMRs(info, &m0, seL4_Null, &m2, &m3);
    seL4_Signal(index);
    info = seL4_Recv(cnode, &badge);
    info = seL4_RecvWithMRs(cnode, &badge, &m0, &m1, &m2, seL4_Null);
    info = seL4_NBRecv(cnode, seL4_Null);
    seL4_Wait(cnode, &badge);
    info = seL4_Poll(cnode, &badge);
    info = seL4_Call(cnode, info);
    info = seL4_CallWithMRs(cnode, info, &m0, &m1, &m2, &m3);
    info = seL4_ReplyRecv(cnode, info, &badge);
    info = seL4_ReplyRecvWithMRs(cnode, info, &badge, &m0, &m1, &m2, &m3);
    seL4_Yield();

    seL4_DebugPutChar('x');
    seL4_DebugPutString("hello\n");
    seL4_DebugDumpScheduler();
    seL4_DebugSnapshot();
    seL4_SetMR(1, seL4_DebugCapIdentify(seL4_CapInitThreadTCB));
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "rootserver");
    seL4_SetTLSBase(depth + badge);

    if (seL4_isVMFault_tag(info) || seL4_isCapFault_tag(info) || seL4_isUnknownSyscall_tag(info) ||
        seL4_isUserException_tag(info) || seL4_isNullFault_tag(info)) {
        arca_syscall_result_t r = arca_syscall_raw(0x1234, 1, 2, 3, 4, 5, 6);
        seL4_SetMR(2, r.rdi ^ r.rsi ^ r.r10 ^ r.r8 ^ r.r9 ^ r.r15);
    }
    seL4_DebugHalt();
}
