/*
 * Hosted (Linux) run-time check of the invocation stubs in <sel4/client.h>.
 * Built and run by libsel4/check.sh (gcc and clang, -O0 and -O2).
 *
 * The stubs' `syscall` instruction is replaced by a call to
 * arca_fake_kernel (through ARCA_X64_SYSCALL_INSNS, see <sel4/syscalls.h>);
 * everything else is the real code path: the same inline-asm register
 * bindings, seL4_CallWithMRs, the IPC buffer in TLS.  The fake kernel
 * records RDX, RDI, RSI, R10, R8, R9 and R15, loads the reply registers set
 * by the test, and like the kernel does not preserve RSP, RCX or R11.
 *
 * For every stub the test checks the system call number, the invoked CPtr,
 * the message-info word (label, extraCaps, length), MR0..MR3, the MRs and
 * extra caps in the IPC buffer, that nothing else in the buffer was
 * written, and the returned error / results.  The worked example of
 * syscalls.md section 5.1 is checked word for word.
 *
 * Must be compiled with -mno-red-zone: the `call` pushes below RSP.
 */
#define ARCA_X64_SYSCALL_INSNS  \
    "movq %%rsp, %%rbx\n\t"     \
    "call arca_fake_kernel\n\t" \
    "movq %%rbx, %%rsp"

#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>

#define HIDDEN __attribute__((visibility("hidden")))

/* Registers the fake kernel was entered with: RDX RDI RSI R10 R8 R9 R15. */
HIDDEN seL4_Word fake_in[7];
/* Registers it returns: RDI RSI R10 R8 R9 R15. */
HIDDEN seL4_Word fake_out[6];
HIDDEN seL4_Word fake_calls;

void arca_fake_kernel(void);

__asm__(
    ".text\n"
    ".globl arca_fake_kernel\n"
    ".hidden arca_fake_kernel\n"
    ".type arca_fake_kernel, @function\n"
    "arca_fake_kernel:\n"
    "    movq %rdx, fake_in+0(%rip)\n"
    "    movq %rdi, fake_in+8(%rip)\n"
    "    movq %rsi, fake_in+16(%rip)\n"
    "    movq %r10, fake_in+24(%rip)\n"
    "    movq %r8,  fake_in+32(%rip)\n"
    "    movq %r9,  fake_in+40(%rip)\n"
    "    movq %r15, fake_in+48(%rip)\n"
    "    addq $1, fake_calls(%rip)\n"
    "    movq fake_out+0(%rip), %rdi\n"
    "    movq fake_out+8(%rip), %rsi\n"
    "    movq fake_out+16(%rip), %r10\n"
    "    movq fake_out+24(%rip), %r8\n"
    "    movq fake_out+32(%rip), %r9\n"
    "    movq fake_out+40(%rip), %r15\n"
    "    popq %r11\n"                               /* return address */
    "    movabsq $0x5a5a5a5a5a5a5a5a, %rcx\n"       /* RCX, RSP not preserved */
    "    movq %rcx, %rsp\n"
    "    jmpq *%r11\n"
    ".size arca_fake_kernel, .-arca_fake_kernel\n");

static int failures;
static int checks;

#define EXPECT_EQ(actual, expected) expect_eq(__LINE__, #actual, (seL4_Word)(actual), \
                                              (seL4_Word)(expected))

static void expect_eq(int line, const char *what, seL4_Word actual, seL4_Word expected)
{
    checks++;
    if (actual != expected) {
        printf("FAIL %s:%d: %s = 0x%lx, expected 0x%lx\n", __FILE__, line, what,
               (unsigned long)actual, (unsigned long)expected);
        failures++;
    }
}

static seL4_IPCBuffer buffer;

/* Initial content of IPC-buffer word i: recognisable, never a test value. */
#define FILL(i) (0xa5a5000000000000ul | (seL4_Word)(i))
#define BUFFER_WORDS (sizeof(buffer) / sizeof(seL4_Word))

/*
 * Prepare one call: fill the IPC buffer with FILL(i) and set the reply the
 * fake kernel gives (label = error, length 4, MR0..MR3 = r0..r3).
 */
static void arm(seL4_Word error, seL4_Word r0, seL4_Word r1, seL4_Word r2, seL4_Word r3)
{
    seL4_Word *words = (seL4_Word *)&buffer;

    for (seL4_Word i = 0; i < BUFFER_WORDS; i++) {
        words[i] = FILL(i);
    }
    memset(fake_in, 0xee, sizeof(fake_in));
    fake_calls = 0;
    fake_out[0] = 0;                                                /* badge */
    fake_out[1] = seL4_MessageInfo_new(error, 0, 0, 4).words[0];
    fake_out[2] = r0;
    fake_out[3] = r1;
    fake_out[4] = r2;
    fake_out[5] = r3;
}

static void arm_ok(void)
{
    arm(seL4_NoError, 0x1110, 0x1111, 0x1112, 0x1113);
}

/* Word index in the IPC buffer of msg[i] and caps_or_badges[i]. */
#define MSG_WORD(i)  (1 + (i))
#define CAP_WORD(i)  (122 + (i))

/*
 * Check the registers of the one call made since arm(), and that exactly the
 * buffer words msg[4..length-1] and caps_or_badges[0..caps-1] were written
 * (msg[0..3] too if `error_written_back`).  The expected contents of those
 * words are checked by the caller.
 */
static void expect_call(int line, seL4_CPtr service, seL4_Word label, seL4_Word caps,
                        seL4_Word length, seL4_Word m0, seL4_Word m1, seL4_Word m2,
                        seL4_Word m3, int error_written_back)
{
    const seL4_Word *words = (const seL4_Word *)&buffer;
    seL4_Word want_info = seL4_MessageInfo_new(label, 0, caps, length).words[0];

    expect_eq(line, "number of system calls", fake_calls, 1);
    expect_eq(line, "RDX (system call)", fake_in[0], (seL4_Word)seL4_SysCall);
    expect_eq(line, "RDI (invoked cap)", fake_in[1], service);
    expect_eq(line, "RSI (message info)", fake_in[2], want_info);
    expect_eq(line, "R10 (MR0)", fake_in[3], m0);
    expect_eq(line, "R8 (MR1)", fake_in[4], m1);
    expect_eq(line, "R9 (MR2)", fake_in[5], m2);
    expect_eq(line, "R15 (MR3)", fake_in[6], m3);

    for (seL4_Word i = 0; i < BUFFER_WORDS; i++) {
        int written = (i >= MSG_WORD(4) && i < MSG_WORD(length)) ||
                      (i >= CAP_WORD(0) && i < CAP_WORD(caps)) ||
                      (error_written_back && i >= MSG_WORD(0) && i < MSG_WORD(4));
        if (!written && words[i] != FILL(i)) {
            printf("FAIL %s:%d: IPC buffer word %lu written (0x%lx)\n", __FILE__, line,
                   (unsigned long)i, (unsigned long)words[i]);
            failures++;
        }
    }
}

#define EXPECT_CALL(service, label, caps, length, m0, m1, m2, m3) \
    expect_call(__LINE__, service, label, caps, length, m0, m1, m2, m3, 0)

static void check_untyped_and_tcb(void)
{
    seL4_UserContext regs;
    seL4_Word *reg_words = (seL4_Word *)&regs;

    arm_ok();
    EXPECT_EQ(seL4_Untyped_Retype(300, seL4_CapTableObject, 5, 2, 7, 64, 12, 3), seL4_NoError);
    EXPECT_CALL(300, UntypedRetype, 1, 6, seL4_CapTableObject, 5, 7, 64);
    EXPECT_EQ(buffer.msg[4], 12);
    EXPECT_EQ(buffer.msg[5], 3);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);

    /* ReadRegisters: reply MR0..3 in registers, MR4..19 "written by the
     * kernel" = the FILL pattern already in the buffer.  seL4_Bool 3 is
     * sent as 1 (one bit). */
    arm(seL4_NoError, 0x401000, 0x7ff000, 0x202, 0xaa);
    memset(&regs, 0, sizeof(regs));
    EXPECT_EQ(seL4_TCB_ReadRegisters(301, 3, 0xab, 20, &regs), seL4_NoError);
    EXPECT_CALL(301, TCBReadRegisters, 0, 2, 0xab01, 20, 0, 0);
    EXPECT_EQ(regs.rip, 0x401000);
    EXPECT_EQ(regs.rsp, 0x7ff000);
    EXPECT_EQ(regs.rflags, 0x202);
    EXPECT_EQ(regs.rax, 0xaa);
    EXPECT_EQ(regs.rbx, FILL(MSG_WORD(4)));
    EXPECT_EQ(regs.r15, FILL(MSG_WORD(17)));
    EXPECT_EQ(regs.fs_base, FILL(MSG_WORD(18)));
    EXPECT_EQ(regs.gs_base, FILL(MSG_WORD(19)));
    for (int i = 4; i < 20; i++) {
        EXPECT_EQ(reg_words[i], FILL(MSG_WORD(i)));
    }

    /* ReadRegisters failing: *regs untouched, error MRs in msg[0..3]. */
    arm(seL4_RangeError, 1, 20, 0, 0);
    memset(&regs, 0x33, sizeof(regs));
    EXPECT_EQ(seL4_TCB_ReadRegisters(301, 0, 0, 21, &regs), seL4_RangeError);
    expect_call(__LINE__, 301, TCBReadRegisters, 0, 2, 0, 21, 0, 0, 1);
    EXPECT_EQ(regs.rip, 0x3333333333333333ul);
    EXPECT_EQ(seL4_GetMR(0), 1);
    EXPECT_EQ(seL4_GetMR(1), 20);

    /* WriteRegisters: always 22 MRs, in seL4_UserContext order. */
    for (int i = 0; i < 20; i++) {
        reg_words[i] = 0x1000 + (seL4_Word)i;
    }
    arm_ok();
    EXPECT_EQ(seL4_TCB_WriteRegisters(302, 1, 0, 3, &regs), seL4_NoError);
    EXPECT_CALL(302, TCBWriteRegisters, 0, 22, 1, 3, 0x1000, 0x1001);
    for (int i = 2; i < 20; i++) {
        EXPECT_EQ(buffer.msg[i + 2], 0x1000 + (seL4_Word)i);
    }
    EXPECT_EQ(buffer.msg[4], regs.rflags);
    EXPECT_EQ(buffer.msg[21], regs.gs_base);

    arm_ok();
    EXPECT_EQ(seL4_TCB_CopyRegisters(303, 304, 1, 0, 1, 1, 0x12), seL4_NoError);
    EXPECT_CALL(303, TCBCopyRegisters, 1, 1, 0x120d, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 304);

    arm_ok();
    EXPECT_EQ(seL4_TCB_CopyRegisters(303, 304, 0, 1, 0, 0, 0), seL4_NoError);
    EXPECT_CALL(303, TCBCopyRegisters, 1, 1, 0x2, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_TCB_Configure(305, 77, 2, 0x33, 3, 0x44, 0x50d000, 10), seL4_NoError);
    EXPECT_CALL(305, TCBConfigure, 3, 4, 77, 0x33, 0x44, 0x50d000);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);
    EXPECT_EQ(buffer.caps_or_badges[1], 3);
    EXPECT_EQ(buffer.caps_or_badges[2], 10);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetPriority(306, 1, 200), seL4_NoError);
    EXPECT_CALL(306, TCBSetPriority, 1, 1, 200, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 1);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetMCPriority(306, 1, 201), seL4_NoError);
    EXPECT_CALL(306, TCBSetMCPriority, 1, 1, 201, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 1);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetSchedParams(306, 1, 250, 100), seL4_NoError);
    EXPECT_CALL(306, TCBSetSchedParams, 1, 2, 250, 100, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 1);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetIPCBuffer(307, 0x600400, 11), seL4_NoError);
    EXPECT_CALL(307, TCBSetIPCBuffer, 1, 1, 0x600400, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 11);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetSpace(308, 99, 2, 0x33, 3, 0x44), seL4_NoError);
    EXPECT_CALL(308, TCBSetSpace, 2, 3, 99, 0x33, 0x44, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);
    EXPECT_EQ(buffer.caps_or_badges[1], 3);

    arm_ok();
    EXPECT_EQ(seL4_TCB_Suspend(309), seL4_NoError);
    EXPECT_CALL(309, TCBSuspend, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_TCB_Resume(309), seL4_NoError);
    EXPECT_CALL(309, TCBResume, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_TCB_BindNotification(309, 55), seL4_NoError);
    EXPECT_CALL(309, TCBBindNotification, 1, 0, 0, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 55);

    arm_ok();
    EXPECT_EQ(seL4_TCB_UnbindNotification(309), seL4_NoError);
    EXPECT_CALL(309, TCBUnbindNotification, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_TCB_SetTLSBase(309, 0x7fff0000), seL4_NoError);
    EXPECT_CALL(309, TCBSetTLSBase, 0, 1, 0x7fff0000, 0, 0, 0);

    arm(seL4_NoError, 1, 0, 0, 0);
    {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(309, 0, seL4_TCBFlag_fpuDisabled);
        EXPECT_CALL(309, TCBSetFlags, 0, 2, 0, 1, 0, 0);
        EXPECT_EQ(r.error, seL4_NoError);
        EXPECT_EQ(r.flags, 1);
    }
    arm(seL4_TruncatedMessage, 5, 6, 7, 8);
    {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(309, 1, 0);
        expect_call(__LINE__, 309, TCBSetFlags, 0, 2, 1, 0, 0, 0, 1);
        EXPECT_EQ(r.error, seL4_TruncatedMessage);
        EXPECT_EQ(r.flags, 0);
    }
}

static void check_cnode(void)
{
    /* syscalls.md section 5.1, word for word. */
    arm(seL4_NoError, 0, 0, 0, 0);
    fake_out[1] = 0;
    EXPECT_EQ(seL4_CNode_Copy(2, 100, 64, 2, 1, 64, seL4_AllRights), seL4_NoError);
    EXPECT_EQ(fake_in[0], (seL4_Word)-1);
    EXPECT_EQ(fake_in[1], 2);
    EXPECT_EQ(fake_in[2], 0x14085);
    EXPECT_EQ(fake_in[3], 100);
    EXPECT_EQ(fake_in[4], 64);
    EXPECT_EQ(fake_in[5], 1);
    EXPECT_EQ(fake_in[6], 64);
    EXPECT_EQ(buffer.msg[4], 0xF);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);
    EXPECT_CALL(2, CNodeCopy, 1, 5, 100, 64, 1, 64);
    EXPECT_EQ(buffer.msg[0], FILL(MSG_WORD(0)));       /* success: msg[0..3] untouched */

    /* ... and with the destination occupied: RSI = 0x8000 (DeleteFirst). */
    arm(seL4_NoError, 0, 0, 0, 0);
    fake_out[1] = 0x8000;
    EXPECT_EQ(seL4_CNode_Copy(2, 100, 64, 2, 1, 64, seL4_AllRights), seL4_DeleteFirst);
    expect_call(__LINE__, 2, CNodeCopy, 1, 5, 100, 64, 1, 64, 1);
    EXPECT_EQ(buffer.msg[0], 0);

    /* An error's MRs (here FailedLookup: source, MissingCapability, 64)
     * become readable with seL4_GetMR. */
    arm(seL4_FailedLookup, 1, seL4_MissingCapability, 64, 0);
    EXPECT_EQ(seL4_CNode_Copy(2, 101, 64, 2, 5000, 64, seL4_CanRead), seL4_FailedLookup);
    expect_call(__LINE__, 2, CNodeCopy, 1, 5, 101, 64, 5000, 64, 1);
    EXPECT_EQ(buffer.msg[4], 0x2);
    EXPECT_EQ(seL4_GetMR(0), 1);
    EXPECT_EQ(seL4_GetMR(1), seL4_MissingCapability);
    EXPECT_EQ(seL4_GetMR(2), 64);
    EXPECT_EQ(seL4_GetMR(3), 0);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Revoke(2, 40, 64), seL4_NoError);
    EXPECT_CALL(2, CNodeRevoke, 0, 2, 40, 64, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Delete(2, 41, 13), seL4_NoError);
    EXPECT_CALL(2, CNodeDelete, 0, 2, 41, 13, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_CNode_CancelBadgedSends(2, 42, 64), seL4_NoError);
    EXPECT_CALL(2, CNodeCancelBadgedSends, 0, 2, 42, 64, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Mint(2, 43, 64, 20, 44, 8, seL4_NoWrite, 0xbadbadbadbad), seL4_NoError);
    EXPECT_CALL(2, CNodeMint, 1, 6, 43, 64, 44, 8);
    EXPECT_EQ(buffer.msg[4], 0xE);
    EXPECT_EQ(buffer.msg[5], 0xbadbadbadbad);
    EXPECT_EQ(buffer.caps_or_badges[0], 20);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Move(2, 45, 64, 21, 46, 64), seL4_NoError);
    EXPECT_CALL(2, CNodeMove, 1, 4, 45, 64, 46, 64);
    EXPECT_EQ(buffer.caps_or_badges[0], 21);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Mutate(2, 47, 64, 22, 48, 64, seL4_CNode_CapData_new(5, 3).words[0]),
              seL4_NoError);
    EXPECT_CALL(2, CNodeMutate, 1, 5, 47, 64, 48, 64);
    EXPECT_EQ(buffer.msg[4], (5ul << 6) | 3);
    EXPECT_EQ(buffer.caps_or_badges[0], 22);

    arm_ok();
    EXPECT_EQ(seL4_CNode_Rotate(2, 50, 64, 0x501, 23, 51, 32, 0x502, 24, 52, 16), seL4_NoError);
    EXPECT_CALL(2, CNodeRotate, 2, 8, 50, 64, 0x501, 51);
    EXPECT_EQ(buffer.msg[4], 32);
    EXPECT_EQ(buffer.msg[5], 0x502);
    EXPECT_EQ(buffer.msg[6], 52);
    EXPECT_EQ(buffer.msg[7], 16);
    EXPECT_EQ(buffer.caps_or_badges[0], 23);
    EXPECT_EQ(buffer.caps_or_badges[1], 24);

    arm_ok();
    EXPECT_EQ(seL4_CNode_SaveCaller(2, 53, 64), seL4_NoError);
    EXPECT_CALL(2, CNodeSaveCaller, 0, 2, 53, 64, 0, 0);
}

static void check_irq_and_domain(void)
{
    arm_ok();
    EXPECT_EQ(seL4_IRQControl_Get(4, 9, 2, 60, 64), seL4_NoError);
    EXPECT_CALL(4, IRQIssueIRQHandler, 1, 3, 9, 60, 64, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);

    arm_ok();
    EXPECT_EQ(seL4_IRQControl_GetIOAPIC(4, 2, 61, 64, 0, 2, 1, 0, 34), seL4_NoError);
    EXPECT_CALL(4, X86IRQIssueIRQHandlerIOAPIC, 1, 7, 61, 64, 0, 2);
    EXPECT_EQ(buffer.msg[4], 1);
    EXPECT_EQ(buffer.msg[5], 0);
    EXPECT_EQ(buffer.msg[6], 34);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);

    arm_ok();
    EXPECT_EQ(seL4_IRQControl_GetMSI(4, 2, 62, 64, 1, 31, 7, 0x99, 40), seL4_NoError);
    EXPECT_CALL(4, X86IRQIssueIRQHandlerMSI, 1, 7, 62, 64, 1, 31);
    EXPECT_EQ(buffer.msg[4], 7);
    EXPECT_EQ(buffer.msg[5], 0x99);
    EXPECT_EQ(buffer.msg[6], 40);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);

    arm_ok();
    EXPECT_EQ(seL4_IRQHandler_Ack(63), seL4_NoError);
    EXPECT_CALL(63, IRQAckIRQ, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_IRQHandler_SetNotification(63, 64), seL4_NoError);
    EXPECT_CALL(63, IRQSetIRQHandler, 1, 0, 0, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 64);

    arm_ok();
    EXPECT_EQ(seL4_IRQHandler_Clear(63), seL4_NoError);
    EXPECT_CALL(63, IRQClearIRQHandler, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_DomainSet_Set(11, 0, 1), seL4_NoError);
    EXPECT_CALL(11, DomainSetSet, 1, 1, 0, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 1);

    arm_ok();
    EXPECT_EQ(seL4_DomainSet_ScheduleConfigure(11, 1, 0, 0x00ffffffffffffffull), seL4_NoError);
    EXPECT_CALL(11, DomainScheduleConfigure, 0, 3, 1, 0, 0x00ffffffffffffffull, 0);

    arm_ok();
    EXPECT_EQ(seL4_DomainSet_ScheduleSetStart(11, 1), seL4_NoError);
    EXPECT_CALL(11, DomainScheduleSetStart, 0, 1, 1, 0, 0, 0);
}

static void check_vspace_and_io(void)
{
    arm_ok();
    EXPECT_EQ(seL4_X86_PDPT_Map(70, 3, 0x8000000000, seL4_X86_WriteThrough), seL4_NoError);
    EXPECT_CALL(70, X86PDPTMap, 1, 2, 0x8000000000, 1, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 3);

    arm_ok();
    EXPECT_EQ(seL4_X86_PDPT_Unmap(70), seL4_NoError);
    EXPECT_CALL(70, X86PDPTUnmap, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_X86_PageDirectory_Map(71, 3, 0x40000000, seL4_X86_CacheDisabled),
              seL4_NoError);
    EXPECT_CALL(71, X86PageDirectoryMap, 1, 2, 0x40000000, 2, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 3);

    arm_ok();
    EXPECT_EQ(seL4_X86_PageDirectory_Unmap(71), seL4_NoError);
    EXPECT_CALL(71, X86PageDirectoryUnmap, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_X86_PageTable_Map(72, 3, 0x200000, seL4_X86_Default_VMAttributes),
              seL4_NoError);
    EXPECT_CALL(72, X86PageTableMap, 1, 2, 0x200000, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 3);

    arm_ok();
    EXPECT_EQ(seL4_X86_PageTable_Unmap(72), seL4_NoError);
    EXPECT_CALL(72, X86PageTableUnmap, 0, 0, 0, 0, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_X86_Page_Map(73, 3, 0x10000000, seL4_CanRead, seL4_X86_WriteCombining),
              seL4_NoError);
    EXPECT_CALL(73, X86PageMap, 1, 3, 0x10000000, 0x2, 4, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 3);

    arm_ok();
    EXPECT_EQ(seL4_X86_Page_Unmap(73), seL4_NoError);
    EXPECT_CALL(73, X86PageUnmap, 0, 0, 0, 0, 0, 0);

    arm(seL4_NoError, 0x1234000, 0x77, 0x77, 0x77);
    {
        seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(73);
        EXPECT_CALL(73, X86PageGetAddress, 0, 0, 0, 0, 0, 0);
        EXPECT_EQ(r.error, seL4_NoError);
        EXPECT_EQ(r.paddr, 0x1234000);
    }
    arm(seL4_InvalidCapability, 0, 0x77, 0x77, 0x77);
    {
        seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(74);
        expect_call(__LINE__, 74, X86PageGetAddress, 0, 0, 0, 0, 0, 0, 1);
        EXPECT_EQ(r.error, seL4_InvalidCapability);
        EXPECT_EQ(r.paddr, 0);
    }

    arm_ok();
    EXPECT_EQ(seL4_X86_ASIDControl_MakePool(5, 300, 2, 80, 64), seL4_NoError);
    EXPECT_CALL(5, X86ASIDControlMakePool, 2, 2, 80, 64, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 300);
    EXPECT_EQ(buffer.caps_or_badges[1], 2);

    arm_ok();
    EXPECT_EQ(seL4_X86_ASIDPool_Assign(6, 81), seL4_NoError);
    EXPECT_CALL(6, X86ASIDPoolAssign, 1, 0, 0, 0, 0, 0);
    EXPECT_EQ(buffer.caps_or_badges[0], 81);

    arm_ok();
    EXPECT_EQ(seL4_X86_IOPortControl_Issue(7, 0x40, 0x43, 2, 82, 64), seL4_NoError);
    EXPECT_CALL(7, X86IOPortControlIssue, 1, 4, 0x40, 0x43, 82, 64);
    EXPECT_EQ(buffer.caps_or_badges[0], 2);

    /* In*: the reply value is truncated to the access size. */
    arm(seL4_NoError, 0x123456789a, 0, 0, 0);
    {
        seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(83, 0x61);
        EXPECT_CALL(83, X86IOPortIn8, 0, 1, 0x61, 0, 0, 0);
        EXPECT_EQ(r.error, seL4_NoError);
        EXPECT_EQ(r.result, 0x9a);
    }
    arm(seL4_NoError, 0x123456789a, 0, 0, 0);
    {
        seL4_X86_IOPort_In16_t r = seL4_X86_IOPort_In16(83, 0xfffe);
        EXPECT_CALL(83, X86IOPortIn16, 0, 1, 0xfffe, 0, 0, 0);
        EXPECT_EQ(r.error, seL4_NoError);
        EXPECT_EQ(r.result, 0x789a);
    }
    arm(seL4_NoError, 0x123456789a, 0, 0, 0);
    {
        seL4_X86_IOPort_In32_t r = seL4_X86_IOPort_In32(83, 0xcfc);
        EXPECT_CALL(83, X86IOPortIn32, 0, 1, 0xcfc, 0, 0, 0);
        EXPECT_EQ(r.error, seL4_NoError);
        EXPECT_EQ(r.result, 0x3456789a);
    }
    arm(seL4_IllegalOperation, 0x55, 0, 0, 0);
    {
        seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(83, 0x80);
        expect_call(__LINE__, 83, X86IOPortIn8, 0, 1, 0x80, 0, 0, 0, 1);
        EXPECT_EQ(r.error, seL4_IllegalOperation);
        EXPECT_EQ(r.result, 0);
    }

    arm_ok();
    EXPECT_EQ(seL4_X86_IOPort_Out8(83, 0x43, 0x34), seL4_NoError);
    EXPECT_CALL(83, X86IOPortOut8, 0, 2, 0x43, 0x34, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_X86_IOPort_Out16(83, 0x40, 0xbeef), seL4_NoError);
    EXPECT_CALL(83, X86IOPortOut16, 0, 2, 0x40, 0xbeef, 0, 0);

    arm_ok();
    EXPECT_EQ(seL4_X86_IOPort_Out32(83, 0xcf8, 0x80000000), seL4_NoError);
    EXPECT_CALL(83, X86IOPortOut32, 0, 2, 0xcf8, 0x80000000, 0, 0);
}

int main(void)
{
    seL4_SetIPCBuffer(&buffer);

    check_untyped_and_tcb();
    check_cnode();
    check_irq_and_domain();
    check_vspace_and_io();

    if (failures != 0) {
        printf("client_host_check: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("client_host_check: all %d checks passed\n", checks);
    return 0;
}
