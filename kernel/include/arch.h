/*
 * The one interface between the architecture-independent kernel and the
 * architecture (kernel/arch/<arch>) plus platform (kernel/plat/<plat>).
 * Generic code includes this header and nothing under arch/ directly.
 */
#ifndef ARCH_H
#define ARCH_H

#include "types.h"
#include <arch/context.h>
#include <arch/layout.h>

struct tcb;
struct boot_info_mb;

/* Physical <-> kernel virtual, through the kernel window. */
static inline void *paddr_to_kptr(paddr_t pa)
{
    return (void *)(pa + KERNEL_WINDOW_BASE);
}

static inline paddr_t kptr_to_paddr(const void *p)
{
    word_t va = (word_t)p;
    if (va >= KERNEL_IMAGE_BASE)
        return va - KERNEL_IMAGE_BASE;
    return va - KERNEL_WINDOW_BASE;
}

/* Boot: CPU state, descriptor tables, kernel page tables, devices. */
void arch_init_cpu(void);
/* Whether system calls enter through the IPC fastpath (fastpath=0 turns it off). */
void arch_syscall_fastpath(bool enabled);
void arch_init_paging(paddr_t window_end);
paddr_t arch_kernel_window_limit(void);
void arch_init_interrupts(void);
void arch_print_cpu_features(void);

/* Thread contexts. */
void arch_init_user_context(arch_context_t *ctx, vaddr_t entry, word_t arg0);
void arch_init_idle_context(arch_context_t *ctx, word_t stack_top);
/* Switches to the thread's address space and FPU state and leaves the kernel. */
NORETURN void arch_return_to(struct tcb *t);
/*
 * The same for the IPC fastpath, which has checked that t is a user
 * thread with a valid VSpace root: fewer questions on the way out.
 */
NORETURN void arch_switch_to_user(struct tcb *t);
static inline word_t arch_get_reg(const arch_context_t *ctx, unsigned fr)
{
    return ctx->regs[fr];
}

static inline void arch_set_reg(arch_context_t *ctx, unsigned fr, word_t v)
{
    ctx->regs[fr] = v;
}
bool arch_context_is_kernel(const arch_context_t *ctx);

/*
 * User address spaces (the VSpace root is a PML4 on x86_64). Paging levels
 * below the root, from the top: each covers 2^arch_table_span_bits(level)
 * bytes of address space per table.
 */
#define ARCH_VSPACE_TABLE_LEVELS 3
void arch_vspace_init(paddr_t root);
unsigned arch_table_span_bits(unsigned level);   /* 39, 30, 21 */
/* Hooks a zeroed table for level into the VSpace at va (boot only). */
bool arch_vspace_install_table(paddr_t root, unsigned level, vaddr_t va, paddr_t table);
/* Maps a 4 KiB user page RW (and X if exec); all tables must exist. */
bool arch_vspace_map_page(paddr_t root, vaddr_t va, paddr_t pa, bool exec);
/*
 * Entry levels: 0 = PML4 entry (a PDPT), 1 = PDPT entry (PD or 1 GiB frame),
 * 2 = PD entry (PT or 2 MiB frame), 3 = PT entry (4 KiB frame).
 */
#define ARCH_LEVEL_OF_FRAME(bits) ((bits) == 30 ? 1u : (bits) == 21 ? 2u : 3u)
/* Clears the entry for va at level if it still points at target; flushes the TLB. */
void arch_vspace_unmap(paddr_t root, unsigned level, vaddr_t va, paddr_t target);
/*
 * For the invariant checker: calls visit for every present entry in the
 * user half of the VSpace, tables before what they hold (level as above;
 * is_page: the entry maps a frame, else a table). Returns false as soon as
 * visit does.
 */
typedef bool (*arch_vspace_visit_t)(void *ctx, unsigned level, vaddr_t va, paddr_t target,
                                    bool is_page);
bool arch_vspace_walk(paddr_t root, arch_vspace_visit_t visit, void *ctx);
/* A VSpace is being destroyed: stop using it if it is loaded. */
void arch_vspace_forget(paddr_t root);
/* A thread is being destroyed: drop any per-CPU reference to it. */
void arch_forget_thread(const struct tcb *t);

/*
 * I/O ports (x86): 64 ports per word, bit set = some IOPort cap covers the
 * port. index < ARCH_IOPORT_WORDS. For the invariant checker.
 */
#define ARCH_IOPORT_WORDS 1024
uint64_t arch_ioport_issued_word(unsigned index);

/* Time. */
uint64_t arch_read_cycle_counter(void);
uint32_t arch_tsc_mhz(void);
void arch_timer_start(unsigned period_ms);

/* Stopping the machine: QEMU isa-debug-exit where present, else halt. */
NORETURN void arch_machine_exit(unsigned code);
/* Idle: wait for an interrupt (interrupts on only while waiting). */
NORETURN void arch_idle_loop(void);

#endif
