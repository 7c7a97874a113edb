/*
 * Debug syscalls (syscalls.md §9) and SetTLSBase. They take registers
 * directly, write results into the caller's saved registers, and return to
 * the caller right after its syscall instruction.
 */
#include "debug.h"
#include "sched.h"
#include "cspace.h"
#include "console.h"
#include "printf.h"
#include "plat.h"
#include "kstring.h"
#include "preempt.h"
#include <sel4/syscall.h>
#include <sel4/arca_syscalls.h>

/* Bytes of the IPC buffer from msg[0] to the end (seL4's name limit). */
#define NAME_AREA_BYTES (1024 - 8)

static bool is_canonical(word_t v)
{
    return v < 0x0000800000000000UL || v >= 0xFFFF800000000000UL;
}

static cte_t *lookup(tcb_t *t, word_t cptr)
{
    return cspace_lookup_slot(t->slots[TCB_SLOT_CSPACE].cap, cptr).slot;
}

static void debug_cap_identify(tcb_t *t)
{
    cte_t *slot = lookup(t, arch_get_reg(&t->ctx, FR_RDI));
    word_t type = slot != NULL ? (word_t)cap_get_type(slot->cap) : 0;
    arch_set_reg(&t->ctx, FR_RDI, type);
}

/*
 * seL4 halts the machine when the cap is not a TCB, there is no IPC buffer
 * or the name is unterminated. Arca only reports and ignores the call: a
 * debug aid must not let a thread stop the system.
 */
static void debug_name_thread(tcb_t *t)
{
    word_t cptr = arch_get_reg(&t->ctx, FR_RDI);
    cte_t *slot = lookup(t, cptr);
    if (slot == NULL || cap_get_type(slot->cap) != CAP_THREAD) {
        kprintf("arca: DebugNameThread by '%s': cptr %#lx is not a TCB cap; ignored\n",
                t->name, cptr);
        return;
    }
    const word_t *buf = thread_ipc_buffer(t, false);
    if (buf == NULL) {
        kprintf("arca: DebugNameThread by '%s': no IPC buffer; ignored\n", t->name);
        return;
    }
    const char *name = (const char *)&buf[1];
    if (kstrnlen(name, NAME_AREA_BYTES) == NAME_AREA_BYTES) {
        kprintf("arca: DebugNameThread by '%s': name not terminated; ignored\n", t->name);
        return;
    }
    thread_set_name(cap_thread_tcb(slot->cap), name);
}

static void debug_set_tls_base(tcb_t *t)
{
    word_t base = arch_get_reg(&t->ctx, FR_RDI);
    /* Non-canonical values are ignored (syscalls.md §9). */
    if (is_canonical(base))
        arch_set_reg(&t->ctx, FR_FS_BASE, base);
}

/* A capDL-like listing of the caller's root CNode: every non-empty slot. */
static void debug_snapshot(tcb_t *t)
{
    cap_t root = t->slots[TCB_SLOT_CSPACE].cap;
    kprintf("snapshot of '%s':\n", t->name);
    if (cap_get_type(root) != CAP_CNODE) {
        kprintf("  (no CSpace)\n");
        return;
    }
    cte_t *slots = cap_cnode_slots(root);
    word_t n = BIT(cap_cnode_radix(root));
    for (word_t i = 0; i < n; i++) {
        cap_t c = slots[i].cap;
        if (cap_get_type(c) == CAP_NULL)
            continue;
        kprintf("  slot %lu: %s (%#lx, %#lx)\n", i, cap_type_name(cap_get_type(c)), c.w0, c.w1);
    }
}

static void debug_preempt_stats(tcb_t *t)
{
    bool reset = arch_get_reg(&t->ctx, FR_RDI) == 1;
    arch_set_reg(&t->ctx, FR_RDI, preempt_stats.preemptions);
    arch_set_reg(&t->ctx, FR_RSI, preempt_stats.max_units);
    arch_set_reg(&t->ctx, FR_R10, preempt_stats.max_gap_cycles);
    arch_set_reg(&t->ctx, FR_R8, PREEMPT_WORK_UNITS);
    if (reset)
        preempt_stats = (struct preempt_stats){ 0 };
}

bool handle_debug_syscall(tcb_t *t, sword_t number)
{
    switch (number) {
    case seL4_SysDebugPutChar:
        console_putchar((char)(arch_get_reg(&t->ctx, FR_RDI) & 0xFF));
        return true;
    case seL4_SysDebugDumpScheduler:
        sched_dump();
        return true;
    case seL4_SysDebugHalt:
        kprintf("arca: halted by thread '%s' (seL4_DebugHalt) after %lu timer ticks\n",
                t->name, sched_ticks());
        arch_machine_exit(EXIT_HALT);
    case seL4_SysDebugCapIdentify:
        debug_cap_identify(t);
        return true;
    case seL4_SysDebugSnapshot:
        debug_snapshot(t);
        return true;
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        return true;
    case seL4_SysSetTLSBase:
        debug_set_tls_base(t);
        return true;
    case ARCA_SYS_DEBUG_PREEMPT_STATS:
        debug_preempt_stats(t);
        return true;
    default:
        return false;
    }
}
