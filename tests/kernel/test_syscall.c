/*
 * SYSCALL_*: the x86_64 syscall register convention (syscalls.md §3) and
 * the syscalls that need no kernel objects beyond the initial ones.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/arca.h>
#include "framework.h"
#include "probe.h"

const char *const probe_reg_names[P_COUNT] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
    "r12", "r13", "r14", "r15",
};

void probe_fill(struct probe *p, uint64_t seed)
{
    for (int i = 0; i < P_COUNT; i++)
        p->in[i] = 0xA5A5000000000000UL ^ (seed << 32) ^ ((uint64_t)i << 8) ^ 0x5A;
}

/* Returns the first register (outside the mask) whose value changed, or -1. */
static int first_changed(const struct probe *p, unsigned mask)
{
    for (int i = 0; i < P_COUNT; i++) {
        if (!(mask & (1u << i)) && p->in[i] != p->out[i])
            return i;
    }
    return -1;
}

#define BIT_OF(r) (1u << (r))
/* RBX holds RSP, RCX/R11 are overwritten by syscall/sysret (syscalls.md §3.1). */
#define SYSCALL_CLOBBERS (BIT_OF(P_RBX) | BIT_OF(P_RCX) | BIT_OF(P_R11))

static test_result_t check_kept(const struct probe *p, unsigned outputs, const char *what)
{
    int r = first_changed(p, SYSCALL_CLOBBERS | outputs);
    if (r >= 0)
        return test_fail(__FILE__, __LINE__, "%s changed %s: %#lx -> %#lx", what,
                         probe_reg_names[r], (unsigned long)p->in[r], (unsigned long)p->out[r]);
    return PASS;
}

TEST(SYSCALL_0001, "DebugCapIdentify writes RDI only")
{
    struct probe p;
    probe_fill(&p, 1);
    p.in[P_RDX] = (uint64_t)seL4_SysDebugCapIdentify;
    p.in[P_RDI] = seL4_CapInitThreadCNode;
    probe_syscall(&p);
    EXPECT(p.out[P_RDI] == 10, "RDI = %lu, expected 10 (CNode)", (unsigned long)p.out[P_RDI]);
    return check_kept(&p, BIT_OF(P_RDI), "DebugCapIdentify");
}

TEST(SYSCALL_0002, "Yield keeps every register")
{
    struct probe p;
    probe_fill(&p, 2);
    p.in[P_RDX] = (uint64_t)seL4_SysYield;
    probe_syscall(&p);
    return check_kept(&p, 0, "Yield");
}

TEST(SYSCALL_0003, "NBSend to an empty slot keeps every register")
{
    struct probe p;
    probe_fill(&p, 3);
    p.in[P_RDX] = (uint64_t)seL4_SysNBSend;
    p.in[P_RDI] = test_bootinfo()->empty.start;
    p.in[P_RSI] = seL4_MessageInfo_new(0, 0, 0, 4).words[0];
    probe_syscall(&p);
    return check_kept(&p, 0, "NBSend");
}

TEST(SYSCALL_0004, "NBSend to an unresolvable CPtr is silently dropped")
{
    struct probe p;
    probe_fill(&p, 4);
    p.in[P_RDX] = (uint64_t)seL4_SysNBSend;
    p.in[P_RDI] = 1UL << 40;            /* guard mismatch in the root CNode */
    p.in[P_RSI] = 0;
    probe_syscall(&p);
    return check_kept(&p, 0, "NBSend (bad cptr)");
}

TEST(SYSCALL_0005, "Call on an empty slot: InvalidCapability, cap index 0")
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, 0);
    seL4_SetMR(0, 0xDEAD);
    seL4_MessageInfo_t reply = seL4_Call(test_bootinfo()->empty.start, info);
    EXPECT(seL4_MessageInfo_get_label(reply) == seL4_InvalidCapability, "label %lu",
           (unsigned long)seL4_MessageInfo_get_label(reply));
    EXPECT(seL4_MessageInfo_get_length(reply) == 1, "length %lu",
           (unsigned long)seL4_MessageInfo_get_length(reply));
    EXPECT(seL4_GetMR(0) == 0, "MR0 %#lx", (unsigned long)seL4_GetMR(0));
    return PASS;
}

TEST(SYSCALL_0006, "Call with an unknown label on a CNode: IllegalOperation, badge 0")
{
    struct probe p;
    probe_fill(&p, 6);
    p.in[P_RDX] = (uint64_t)seL4_SysCall;
    p.in[P_RDI] = seL4_CapInitThreadCNode;
    p.in[P_RSI] = seL4_MessageInfo_new(0, 0, 0, 0).words[0];
    probe_syscall(&p);
    seL4_MessageInfo_t reply = { { p.out[P_RSI] } };
    EXPECT(seL4_MessageInfo_get_label(reply) == seL4_IllegalOperation, "label %lu",
           (unsigned long)seL4_MessageInfo_get_label(reply));
    EXPECT(seL4_MessageInfo_get_length(reply) == 0, "length %lu",
           (unsigned long)seL4_MessageInfo_get_length(reply));
    EXPECT(p.out[P_RDI] == 0, "badge %#lx", (unsigned long)p.out[P_RDI]);
    /* Outputs are RDI, RSI and the MR registers; the rest is kept. */
    return check_kept(&p, BIT_OF(P_RDI) | BIT_OF(P_RSI) | BIT_OF(P_R10) | BIT_OF(P_R8) |
                              BIT_OF(P_R9) | BIT_OF(P_R15), "Call");
}

TEST(SYSCALL_0007, "Reply with no reply cap does nothing")
{
    struct probe p;
    probe_fill(&p, 7);
    p.in[P_RDX] = (uint64_t)seL4_SysReply;
    p.in[P_RSI] = seL4_MessageInfo_new(5, 0, 0, 2).words[0];
    probe_syscall(&p);
    return check_kept(&p, 0, "Reply");
}

TEST(SYSCALL_0008, "int $0xff from user level is a no-op")
{
    struct probe p;
    probe_fill(&p, 8);
    probe_int_ff(&p);
    int r = first_changed(&p, 0);
    EXPECT(r < 0, "int $0xff changed %s", r < 0 ? "" : probe_reg_names[r]);
    return PASS;
}

static uint64_t read_fs0(void)
{
    uint64_t v;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
    return v;
}

TEST(SYSCALL_0009, "SetTLSBase sets FS base; non-canonical values are ignored")
{
    static uint64_t other_block[4] __attribute__((aligned(16)));
    uint64_t original = read_fs0();
    EXPECT(original != 0, "the runtime did not set a TLS base");

    other_block[0] = (uint64_t)&other_block[0];
    seL4_SetTLSBase((seL4_Word)&other_block[0]);
    uint64_t seen = read_fs0();
    seL4_SetTLSBase(0x0000800000000000UL);      /* non-canonical: ignored */
    uint64_t after_bad = read_fs0();
    seL4_SetTLSBase(original);
    EXPECT(seen == (uint64_t)&other_block[0], "fs:0 = %#lx after SetTLSBase",
           (unsigned long)seen);
    EXPECT(after_bad == (uint64_t)&other_block[0], "non-canonical base was not ignored");
    EXPECT(read_fs0() == original, "could not restore the TLS base");
    return PASS;
}

TEST(SYSCALL_0010, "DebugPutChar keeps every register")
{
    struct probe p;
    probe_fill(&p, 10);
    p.in[P_RDX] = (uint64_t)seL4_SysDebugPutChar;
    p.in[P_RDI] = '\n';
    probe_syscall(&p);
    return check_kept(&p, 0, "DebugPutChar");
}

TEST(SYSCALL_0011, "CS reads 0x3B after a syscall (sysretq)")
{
    uint16_t cs;
    seL4_Yield();
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    /* An interrupt between the two could make it 0x2B: both are CPL 3. */
    EXPECT(cs == 0x3B || cs == 0x2B, "CS %#x", cs);
    EXPECT((cs & 3) == 3, "CPL %u", cs & 3);
    return PASS;
}

TEST(SYSCALL_0012, "DebugNameThread and DebugSnapshot return to the caller")
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "arca-tests");
    struct probe p;
    probe_fill(&p, 12);
    p.in[P_RDX] = (uint64_t)seL4_SysDebugDumpScheduler;
    probe_syscall(&p);
    test_result_t r = check_kept(&p, 0, "DebugDumpScheduler");
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "rootserver");
    return r;
}
