/*
 * CPU set-up: features, control registers, the syscall MSRs, FPU and the
 * per-CPU area reached through GS.
 */
#include "arch.h"
#include "printf.h"
#include "panic.h"
#include <arch/machine.h>
#include <arch/percpu.h>
#include <arch/descriptors.h>
#include <arch/cpu.h>

struct cpu_features cpu_features;
struct percpu cpu0;

extern char syscall_entry[], syscall_entry_slow[];
extern char kernel_stack_top[];

static void detect_features(void)
{
    struct cpuid_regs r = cpuid(1, 0);
    cpu_features.fxsr = r.edx & BIT(24);
    cpu_features.sse2 = r.edx & BIT(26);
    cpu_features.pge = r.edx & BIT(13);
    cpu_features.pat = r.edx & BIT(16);
    cpu_features.apic = r.edx & BIT(9);

    r = cpuid(0, 0);
    if (r.eax >= 7) {
        r = cpuid(7, 0);
        cpu_features.smep = r.ebx & BIT(7);
        cpu_features.smap = r.ebx & BIT(20);
    }
    r = cpuid(0x80000001, 0);
    cpu_features.nx = r.edx & BIT(20);
    cpu_features.syscall = r.edx & BIT(11);
    cpu_features.page_1g = r.edx & BIT(26);
}

/*
 * PAT entries as seL4 programs them (objects.md §4.3): index = PAT:PCD:PWT.
 * 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, 5 WP, 6 UC-, 7 UC.
 */
#define PAT_VALUE 0x0007010600070406UL

static void enable_fpu(void)
{
    if (!cpu_features.fxsr || !cpu_features.sse2)
        panic("CPU lacks FXSR/SSE2, which x86_64 user code needs");
    word_t cr0 = read_cr0();
    cr0 &= ~(CR0_EM | CR0_TS);
    cr0 |= CR0_MP | CR0_NE;
    write_cr0(cr0);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
}

static void enable_syscall(void)
{
    if (!cpu_features.syscall)
        panic("CPU lacks the syscall instruction");
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* sysret base 0x2B: CS = 0x3B, SS = 0x33 (syscalls.md §3.2). */
    wrmsr(MSR_STAR, ((uint64_t)SEL_USER_CS << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /*
     * Flags user level controls that must not leak into the kernel: IF and
     * TF (as seL4), DF (C code assumes it clear), AC (would switch SMAP
     * off), NT (iretq with NT set raises #GP in the kernel: a user could
     * otherwise panic it by setting NT before a syscall).
     */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
}

void arch_init_cpu(void)
{
    detect_features();
    if (cpu_features.nx)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr0(read_cr0() | CR0_WP);
    if (cpu_features.pge)
        write_cr4(read_cr4() | CR4_PGE);
    if (cpu_features.smep)
        write_cr4(read_cr4() | CR4_SMEP);
    /* The kernel never touches user virtual addresses (it reaches user
     * memory through the physical window), so SMAP can be on. */
    if (cpu_features.smap)
        write_cr4(read_cr4() | CR4_SMAP);
    if (cpu_features.pat)
        wrmsr(MSR_PAT, PAT_VALUE);
    enable_fpu();
    descriptors_init();

    cpu0.self = &cpu0;
    cpu0.kstack_top = (word_t)kernel_stack_top;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    wrmsr(MSR_FS_BASE, 0);
    enable_syscall();
}

void arch_print_cpu_features(void)
{
    kprintf("cpu: nx=%d 1g-pages=%d smep=%d smap=%d pge=%d pat=%d\n",
            cpu_features.nx, cpu_features.page_1g, cpu_features.smep,
            cpu_features.smap, cpu_features.pge, cpu_features.pat);
}

/* Chooses the syscall entry stub: with or without the fastpath dispatch. */
void arch_syscall_fastpath(bool enabled)
{
    wrmsr(MSR_LSTAR, enabled ? (uint64_t)syscall_entry : (uint64_t)syscall_entry_slow);
}
