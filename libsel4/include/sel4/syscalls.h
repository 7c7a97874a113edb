/*
 * Arca libsel4 -- system call stubs for x86_64 (`syscall` entry, non-MCS).
 *
 * Register convention (syscalls.md section 3):
 *
 *   RDX        system call number (negative, see <sel4/syscall.h>)
 *   RDI        in: CPtr invoked / received from   out: badge
 *   RSI        in: message-info word               out: message-info word
 *   R10 R8 R9 R15   message registers MR0..MR3, in and out
 *
 * The kernel does not preserve RSP, RCX or R11 across `syscall`, so each
 * stub keeps RSP in RBX around the instruction and tells the compiler that
 * RBX, RCX and R11 are clobbered.  Every other register that is not an
 * output comes back unchanged.  All stubs clobber "memory": the kernel reads
 * and writes the IPC buffer.
 *
 * The five internal helpers below cover every register shape; the public
 * seL4_* functions are built on them.  GCC has no constraint letters for
 * R8-R15, so the message registers are bound with local register variables
 * assigned immediately before the asm statement.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/types.h>

/*
 * The instructions around which every stub is built.  A hosted test may
 * define this before including libsel4 to call a stand-in for the kernel
 * instead of executing `syscall` (libsel4/test/client_host_check.c).
 */
#ifndef ARCA_X64_SYSCALL_INSNS
#define ARCA_X64_SYSCALL_INSNS  \
    "movq %%rsp, %%rbx\n\t"     \
    "syscall\n\t"               \
    "movq %%rbx, %%rsp"
#endif

/* ------------------------------------------------------------------------
 * Register-shape helpers
 * ------------------------------------------------------------------------ */

/* Send-only: RDI, RSI and MR0..3 are inputs; nothing comes back. */
static inline void x64_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info,
                                seL4_Word msg0, seL4_Word msg1,
                                seL4_Word msg2, seL4_Word msg3)
{
    register seL4_Word mr0 __asm__("r10") = msg0;
    register seL4_Word mr1 __asm__("r8")  = msg1;
    register seL4_Word mr2 __asm__("r9")  = msg2;
    register seL4_Word mr3 __asm__("r15") = msg3;

    __asm__ volatile(ARCA_X64_SYSCALL_INSNS
                     :
                     : "d"(sys), "D"(dest), "S"(info),
                       "r"(mr0), "r"(mr1), "r"(mr2), "r"(mr3)
                     : "rbx", "rcx", "r11", "memory");
}

/* Reply: like send-only, but no capability in RDI. */
static inline void x64_sys_reply(seL4_Word sys, seL4_Word info,
                                 seL4_Word msg0, seL4_Word msg1,
                                 seL4_Word msg2, seL4_Word msg3)
{
    register seL4_Word mr0 __asm__("r10") = msg0;
    register seL4_Word mr1 __asm__("r8")  = msg1;
    register seL4_Word mr2 __asm__("r9")  = msg2;
    register seL4_Word mr3 __asm__("r15") = msg3;

    __asm__ volatile(ARCA_X64_SYSCALL_INSNS
                     :
                     : "d"(sys), "S"(info),
                       "r"(mr0), "r"(mr1), "r"(mr2), "r"(mr3)
                     : "rbx", "rcx", "r11", "memory");
}

/* Send-only with no message registers: RDI and RSI only. */
static inline void x64_sys_send_null(seL4_Word sys, seL4_Word dest, seL4_Word info)
{
    __asm__ volatile(ARCA_X64_SYSCALL_INSNS
                     :
                     : "d"(sys), "D"(dest), "S"(info)
                     : "rbx", "rcx", "r11", "memory");
}

/*
 * Send and receive: RDI, RSI and MR0..3 go in and come back.
 * *out_badge receives RDI, *out_info RSI, *in_out_mrN the message registers.
 */
static inline void x64_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word *out_badge,
                                     seL4_Word info, seL4_Word *out_info,
                                     seL4_Word *in_out_mr0, seL4_Word *in_out_mr1,
                                     seL4_Word *in_out_mr2, seL4_Word *in_out_mr3)
{
    seL4_Word badge = dest;
    seL4_Word tag = info;
    register seL4_Word mr0 __asm__("r10") = *in_out_mr0;
    register seL4_Word mr1 __asm__("r8")  = *in_out_mr1;
    register seL4_Word mr2 __asm__("r9")  = *in_out_mr2;
    register seL4_Word mr3 __asm__("r15") = *in_out_mr3;

    __asm__ volatile(ARCA_X64_SYSCALL_INSNS
                     : "+D"(badge), "+S"(tag),
                       "+r"(mr0), "+r"(mr1), "+r"(mr2), "+r"(mr3)
                     : "d"(sys)
                     : "rbx", "rcx", "r11", "memory");

    *out_badge = badge;
    *out_info = tag;
    *in_out_mr0 = mr0;
    *in_out_mr1 = mr1;
    *in_out_mr2 = mr2;
    *in_out_mr3 = mr3;
}

/*
 * Receive-only: RDI = source.  The kernel ignores RSI and MR0..3 on the way
 * in; they are passed as 0 so that whatever the kernel does not write (e.g.
 * a notification delivers only the badge) reads back as 0.
 */
static inline void x64_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word *out_badge,
                                seL4_Word *out_info,
                                seL4_Word *out_mr0, seL4_Word *out_mr1,
                                seL4_Word *out_mr2, seL4_Word *out_mr3)
{
    *out_mr0 = 0;
    *out_mr1 = 0;
    *out_mr2 = 0;
    *out_mr3 = 0;
    x64_sys_send_recv(sys, src, out_badge, 0, out_info, out_mr0, out_mr1, out_mr2, out_mr3);
}

/* No arguments and no results (RDI and RSI are treated as clobbered). */
static inline void x64_sys_null(seL4_Word sys)
{
    __asm__ volatile(ARCA_X64_SYSCALL_INSNS
                     :
                     : "d"(sys)
                     : "rbx", "rcx", "rsi", "rdi", "r11", "memory");
}

/* Value of *mr if the pointer is given and the message has more than n MRs. */
static inline seL4_Word arca_mr_if_sent(const seL4_Word *mr, seL4_MessageInfo_t info, seL4_Word n)
{
    return (mr != seL4_Null && seL4_MessageInfo_get_length(info) > n) ? *mr : 0;
}

/* Store v into *mr if the pointer is given. */
static inline void arca_mr_store(seL4_Word *mr, seL4_Word v)
{
    if (mr != seL4_Null) {
        *mr = v;
    }
}

/* ------------------------------------------------------------------------
 * Send / NBSend / Reply / Signal
 *
 * The plain forms load MR0..3 from msg[0..3] of the IPC buffer; the WithMRs
 * forms take them from the given pointers (a NULL pointer sends 0).
 * ------------------------------------------------------------------------ */

static inline void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    x64_sys_send(seL4_SysSend, dest, msgInfo.words[0],
                 seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), seL4_GetMR(3));
}

static inline void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                    seL4_Word *mr0, seL4_Word *mr1,
                                    seL4_Word *mr2, seL4_Word *mr3)
{
    x64_sys_send(seL4_SysSend, dest, msgInfo.words[0],
                 mr0 != seL4_Null ? *mr0 : 0, mr1 != seL4_Null ? *mr1 : 0,
                 mr2 != seL4_Null ? *mr2 : 0, mr3 != seL4_Null ? *mr3 : 0);
}

static inline void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    x64_sys_send(seL4_SysNBSend, dest, msgInfo.words[0],
                 seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), seL4_GetMR(3));
}

static inline void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                      seL4_Word *mr0, seL4_Word *mr1,
                                      seL4_Word *mr2, seL4_Word *mr3)
{
    x64_sys_send(seL4_SysNBSend, dest, msgInfo.words[0],
                 mr0 != seL4_Null ? *mr0 : 0, mr1 != seL4_Null ? *mr1 : 0,
                 mr2 != seL4_Null ? *mr2 : 0, mr3 != seL4_Null ? *mr3 : 0);
}

static inline void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    x64_sys_reply(seL4_SysReply, msgInfo.words[0],
                  seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), seL4_GetMR(3));
}

static inline void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo,
                                     seL4_Word *mr0, seL4_Word *mr1,
                                     seL4_Word *mr2, seL4_Word *mr3)
{
    x64_sys_reply(seL4_SysReply, msgInfo.words[0],
                  mr0 != seL4_Null ? *mr0 : 0, mr1 != seL4_Null ? *mr1 : 0,
                  mr2 != seL4_Null ? *mr2 : 0, mr3 != seL4_Null ? *mr3 : 0);
}

/* Signal a notification: a Send with label 0 and length 1 and no MRs. */
static inline void seL4_Signal(seL4_CPtr dest)
{
    x64_sys_send_null(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 1).words[0]);
}

/* ------------------------------------------------------------------------
 * Recv / NBRecv / Wait / Poll
 *
 * The plain forms store MR0..3 into msg[0..3]; the WithMRs forms into the
 * given pointers (NULL pointers are skipped).  *sender (if not NULL) gets
 * the badge, or the notification word.
 * ------------------------------------------------------------------------ */

static inline seL4_MessageInfo_t arca_recv_to_buffer(seL4_Word sys, seL4_CPtr src,
                                                     seL4_Word *sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge, mr0, mr1, mr2, mr3;

    x64_sys_recv(sys, src, &badge, &info.words[0], &mr0, &mr1, &mr2, &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    arca_mr_store(sender, badge);
    return info;
}

static inline seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    return arca_recv_to_buffer(seL4_SysRecv, src, sender);
}

static inline seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                  seL4_Word *mr0, seL4_Word *mr1,
                                                  seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge, msg0, msg1, msg2, msg3;

    x64_sys_recv(seL4_SysRecv, src, &badge, &info.words[0], &msg0, &msg1, &msg2, &msg3);

    arca_mr_store(mr0, msg0);
    arca_mr_store(mr1, msg1);
    arca_mr_store(mr2, msg2);
    arca_mr_store(mr3, msg3);
    arca_mr_store(sender, badge);
    return info;
}

static inline seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    return arca_recv_to_buffer(seL4_SysNBRecv, src, sender);
}

/* Wait on a notification (a Recv whose message is ignored). */
static inline void seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    (void)seL4_Recv(src, sender);
}

/* Poll a notification without blocking (an NBRecv); *sender = 0 if nothing. */
static inline seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBRecv(src, sender);
}

/* ------------------------------------------------------------------------
 * Call / ReplyRecv
 *
 * The plain forms take MR0..3 from msg[0..3] and store the reply's MR0..3
 * back there.  The WithMRs forms send *mrN only if the pointer is given and
 * the message length exceeds N (0 otherwise), and store the reply's MRs
 * through the non-NULL pointers.
 * ------------------------------------------------------------------------ */

static inline seL4_MessageInfo_t arca_send_recv_buffer(seL4_Word sys, seL4_CPtr dest,
                                                       seL4_MessageInfo_t msgInfo,
                                                       seL4_Word *sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);

    x64_sys_send_recv(sys, dest, &badge, msgInfo.words[0], &info.words[0],
                      &mr0, &mr1, &mr2, &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);
    arca_mr_store(sender, badge);
    return info;
}

static inline seL4_MessageInfo_t arca_send_recv_mrs(seL4_Word sys, seL4_CPtr dest,
                                                    seL4_MessageInfo_t msgInfo,
                                                    seL4_Word *sender,
                                                    seL4_Word *mr0, seL4_Word *mr1,
                                                    seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word msg0 = arca_mr_if_sent(mr0, msgInfo, 0);
    seL4_Word msg1 = arca_mr_if_sent(mr1, msgInfo, 1);
    seL4_Word msg2 = arca_mr_if_sent(mr2, msgInfo, 2);
    seL4_Word msg3 = arca_mr_if_sent(mr3, msgInfo, 3);

    x64_sys_send_recv(sys, dest, &badge, msgInfo.words[0], &info.words[0],
                      &msg0, &msg1, &msg2, &msg3);

    arca_mr_store(mr0, msg0);
    arca_mr_store(mr1, msg1);
    arca_mr_store(mr2, msg2);
    arca_mr_store(mr3, msg3);
    arca_mr_store(sender, badge);
    return info;
}

static inline seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    return arca_send_recv_buffer(seL4_SysCall, dest, msgInfo, seL4_Null);
}

static inline seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                  seL4_Word *mr0, seL4_Word *mr1,
                                                  seL4_Word *mr2, seL4_Word *mr3)
{
    return arca_send_recv_mrs(seL4_SysCall, dest, msgInfo, seL4_Null, mr0, mr1, mr2, mr3);
}

/* Reply to the caller, then receive on src. */
static inline seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                seL4_Word *sender)
{
    return arca_send_recv_buffer(seL4_SysReplyRecv, src, msgInfo, sender);
}

static inline seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                       seL4_Word *sender,
                                                       seL4_Word *mr0, seL4_Word *mr1,
                                                       seL4_Word *mr2, seL4_Word *mr3)
{
    return arca_send_recv_mrs(seL4_SysReplyRecv, src, msgInfo, sender, mr0, mr1, mr2, mr3);
}

/* ------------------------------------------------------------------------
 * Yield
 * ------------------------------------------------------------------------ */

static inline void seL4_Yield(void)
{
    x64_sys_null(seL4_SysYield);
}

/* ------------------------------------------------------------------------
 * Debug system calls
 * ------------------------------------------------------------------------ */

/* Debug calls that take RDI and return (at most) RDI; RSI and MR0..3 are
 * passed as 0 and whatever comes back in them is discarded. */
static inline seL4_Word arca_debug_call(seL4_Word sys, seL4_Word rdi)
{
    seL4_Word out_rdi, out_rsi;
    seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;

    x64_sys_send_recv(sys, rdi, &out_rdi, 0, &out_rsi, &mr0, &mr1, &mr2, &mr3);
    return out_rdi;
}

#ifdef CONFIG_PRINTING
/* Print one character on the kernel console. */
static inline void seL4_DebugPutChar(char c)
{
    (void)arca_debug_call(seL4_SysDebugPutChar, (seL4_Word)c);
}

/* seL4 declares the parameter `char *`; `const char *` accepts the same calls. */
static inline void seL4_DebugPutString(const char *str)
{
    for (const char *s = str; *s != '\0'; s++) {
        seL4_DebugPutChar(*s);
    }
}

static inline void seL4_DebugDumpScheduler(void)
{
    (void)arca_debug_call(seL4_SysDebugDumpScheduler, 0);
}
#endif /* CONFIG_PRINTING */

#ifdef CONFIG_DEBUG_BUILD
/* Stop the machine. */
static inline void seL4_DebugHalt(void)
{
    x64_sys_null(seL4_SysDebugHalt);
}

/* Print a capDL description of the system. */
static inline void seL4_DebugSnapshot(void)
{
    x64_sys_null(seL4_SysDebugSnapshot);
}

/* Kernel-internal type tag of the cap at `cap` (0 if none). */
static inline seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)arca_debug_call(seL4_SysDebugCapIdentify, cap);
}

/*
 * Copy a NUL-terminated name into the IPC buffer starting at msg[0]
 * (byte offset 8), truncated so that it and its NUL fit in msg[].
 */
static inline void arca_copy_thread_name(seL4_IPCBuffer *buffer, const char *name)
{
    char *dst = (char *)buffer->msg;
    const seL4_Word room = sizeof(buffer->msg) - 1;
    seL4_Word i = 0;

    while (i < room && name[i] != '\0') {
        dst[i] = name[i];
        i++;
    }
    dst[i] = '\0';
}

/* Give the thread `tcb` a debug name (shown in kernel messages). */
static inline void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    arca_copy_thread_name(seL4_GetIPCBuffer(), name);
    (void)arca_debug_call(seL4_SysDebugNameThread, tcb);
}
#endif /* CONFIG_DEBUG_BUILD */

/* ------------------------------------------------------------------------
 * Thread-local storage base
 * ------------------------------------------------------------------------ */

#ifdef CONFIG_SET_TLS_BASE_SELF
/* Set the calling thread's FS base (RDI = base, RSI = 0). */
static inline void seL4_SetTLSBase(seL4_Word tls_base)
{
    x64_sys_send_null(seL4_SysSetTLSBase, tls_base, 0);
}
#endif
