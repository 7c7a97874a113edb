/*
 * Arca libsel4 -- system call numbers (seL4 16.0.0, non-MCS).
 *
 * The number goes in RDX.  Numbers are fixed by position in seL4's list,
 * whether or not the call is compiled into the kernel; a call the kernel
 * does not provide raises an UnknownSyscall fault.  Configuration Q
 * provides -1..-14 and -30.
 */
#pragma once

#include <sel4/macros.h>

typedef enum {
    seL4_SysCall                                = -1,
    seL4_SysReplyRecv                           = -2,
    seL4_SysSend                                = -3,
    seL4_SysNBSend                              = -4,
    seL4_SysRecv                                = -5,
    seL4_SysReply                               = -6,
    seL4_SysYield                               = -7,
    seL4_SysNBRecv                              = -8,
    seL4_SysDebugPutChar                        = -9,
    seL4_SysDebugDumpScheduler                  = -10,
    seL4_SysDebugHalt                           = -11,
    seL4_SysDebugCapIdentify                    = -12,
    seL4_SysDebugSnapshot                       = -13,
    seL4_SysDebugNameThread                     = -14,
    seL4_SysDebugSendIPI                        = -15,
    seL4_SysDebugGetThreadAffinity              = -16,
    seL4_SysDebugRun                            = -17,
    seL4_SysBenchmarkFlushCaches                = -18,
    seL4_SysBenchmarkResetLog                   = -19,
    seL4_SysBenchmarkFinalizeLog                = -20,
    seL4_SysBenchmarkSetLogBuffer               = -21,
    seL4_SysBenchmarkNullSyscall                = -22,
    seL4_SysBenchmarkGetThreadUtilisation       = -23,
    seL4_SysBenchmarkResetThreadUtilisation     = -24,
    seL4_SysBenchmarkDumpAllThreadsUtilisation  = -25,
    seL4_SysBenchmarkResetAllThreadsUtilisation = -26,
    seL4_SysX86DangerousWRMSR                   = -27,
    seL4_SysX86DangerousRDMSR                   = -28,
    seL4_SysVMEnter                             = -29,
    seL4_SysSetTLSBase                          = -30,
    SEL4_FORCE_LONG_ENUM(seL4_Syscall_ID),
} seL4_Syscall_ID;
