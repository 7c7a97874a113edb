/* Thin wrappers around x86_64 instructions the kernel needs. */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#include "types.h"

#define MSR_APIC_BASE       0x0000001B
#define MSR_PAT             0x00000277
#define MSR_EFER            0xC0000080
#define MSR_STAR            0xC0000081
#define MSR_LSTAR           0xC0000082
#define MSR_CSTAR           0xC0000083
#define MSR_FMASK           0xC0000084
#define MSR_FS_BASE         0xC0000100
#define MSR_GS_BASE         0xC0000101
#define MSR_KERNEL_GS_BASE  0xC0000102

#define EFER_SCE            BIT(0)
#define EFER_LME            BIT(8)
#define EFER_NXE            BIT(11)

#define CR0_MP              BIT(1)
#define CR0_EM              BIT(2)
#define CR0_TS              BIT(3)
#define CR0_NE              BIT(5)
#define CR0_WP              BIT(16)
#define CR4_PGE             BIT(7)
#define CR4_OSFXSR          BIT(9)
#define CR4_OSXMMEXCPT      BIT(10)
#define CR4_SMEP            BIT(20)
#define CR4_SMAP            BIT(21)

#define RFLAGS_IF           BIT(9)
#define RFLAGS_TF           BIT(8)
#define RFLAGS_DF           BIT(10)
#define RFLAGS_NT           BIT(14)
#define RFLAGS_AC           BIT(18)

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

#define DEFINE_CR_ACCESS(n)                                              \
    static inline word_t read_cr##n(void)                                \
    {                                                                    \
        word_t v;                                                        \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
        return v;                                                        \
    }                                                                    \
    static inline void write_cr##n(word_t v)                             \
    {                                                                    \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");       \
    }
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

static inline void invlpg(vaddr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_pause(void)
{
    __asm__ volatile("pause");
}

static inline void mmio_write32(volatile void *addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(volatile void *addr)
{
    return *(volatile uint32_t *)addr;
}

#endif
