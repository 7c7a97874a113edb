/*
 * GDT, TSS and IDT.
 *
 * GDT layout is seL4's (syscalls.md §10): null, kernel code, kernel data,
 * TSS (two slots), user code 0x2B, user data 0x33, and two more user data
 * descriptors at 0x3B and 0x43 that libsel4 still names.
 *
 * IST1 points at the current thread's register frame (updated on every
 * switch), so interrupts save user state straight into the TCB. NMI, double
 * fault and machine check use IST2, a dedicated stack, because they can
 * arrive at any point, including with a broken frame pointer.
 */
#include "types.h"
#include "panic.h"
#include <arch/layout.h>
#include <arch/machine.h>
#include <arch/descriptors.h>
#include <arch/context.h>

struct PACKED idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};

struct PACKED desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static uint64_t gdt[9] ALIGNED(16);
struct tss64 arch_tss ALIGNED(16);
static struct idt_gate idt[256] ALIGNED(16);
static uint8_t emergency_stack[8192] ALIGNED(16);
/* Where IST1 points until the first thread runs: a kernel exception during
 * boot needs a frame to land in, or it would become a double fault. */
static word_t boot_trap_frame[FR_COUNT] ALIGNED(16);

extern char trap_stubs_start[];
#define TRAP_STUB_SIZE 16

#define GDT_KERNEL_CODE 0x00AF9A000000FFFFUL    /* 64-bit, DPL 0 */
#define GDT_KERNEL_DATA 0x00CF92000000FFFFUL
#define GDT_USER_CODE   0x00AFFA000000FFFFUL    /* 64-bit, DPL 3 */
#define GDT_USER_DATA   0x00CFF2000000FFFFUL

static void gdt_set_tss(void)
{
    uint64_t base = (uint64_t)&arch_tss;
    uint64_t limit = sizeof(arch_tss) - 1;
    gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89UL << 40) |
             (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[4] = base >> 32;
}

static void idt_set_gate(unsigned vec, unsigned dpl, unsigned ist)
{
    uint64_t addr = (uint64_t)trap_stubs_start + (uint64_t)vec * TRAP_STUB_SIZE;
    idt[vec] = (struct idt_gate){
        .offset_low = addr & 0xFFFF,
        .selector = SEL_KERNEL_CS,
        .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(0x8E | (dpl << 5)),     /* present, interrupt gate */
        .offset_mid = (addr >> 16) & 0xFFFF,
        .offset_high = (uint32_t)(addr >> 32),
    };
}

/* Vectors user code may raise with `int N` (syscalls.md §9). */
static unsigned vector_dpl(unsigned vec)
{
    if (vec == VECTOR_BREAKPOINT || vec >= VECTOR_SOFT_SYSCALL_MIN)
        return 3;
    return 0;
}

static unsigned vector_ist(unsigned vec)
{
    if (vec == VECTOR_NMI || vec == VECTOR_DOUBLE_FAULT || vec == VECTOR_MACHINE_CHECK)
        return 2;
    return 1;
}

void descriptors_init(void)
{
    gdt[0] = 0;
    gdt[1] = GDT_KERNEL_CODE;
    gdt[2] = GDT_KERNEL_DATA;
    gdt_set_tss();
    gdt[5] = GDT_USER_CODE;
    gdt[6] = GDT_USER_DATA;
    gdt[7] = GDT_USER_DATA;
    gdt[8] = GDT_USER_DATA;

    /* No I/O bitmap: user port access always faults (boot.md §10). */
    arch_tss.iomap_base = sizeof(arch_tss);
    arch_tss.ist[0] = (uint64_t)&boot_trap_frame[FR_COUNT];
    arch_tss.rsp[0] = arch_tss.ist[0];
    arch_tss.ist[1] = (uint64_t)(emergency_stack + sizeof(emergency_stack));

    for (unsigned v = 0; v < 256; v++)
        idt_set_gate(v, vector_dpl(v), vector_ist(v));

    struct desc_ptr gp = { sizeof(gdt) - 1, (uint64_t)gdt };
    struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile(
        "lgdt %0\n"
        "pushq %1\n"
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1:\n"
        "movw %w2, %%ax\n"
        "movw %%ax, %%ds\n"
        "movw %%ax, %%es\n"
        "movw %%ax, %%ss\n"
        "xorl %%eax, %%eax\n"
        "movw %%ax, %%fs\n"
        "movw %%ax, %%gs\n"
        "ltr %w3\n"
        "lidt %4\n"
        :
        : "m"(gp), "i"(SEL_KERNEL_CS), "r"(SEL_KERNEL_DS), "r"(SEL_TSS), "m"(ip)
        : "rax", "memory");
}

/* Only IST1 is switched per thread: every gate names an IST stack, so RSP0
 * is never used. */
_Static_assert(__builtin_offsetof(struct tss64, ist) == 36, "TSS layout");
