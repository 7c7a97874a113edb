/*
 * The monitor: after building the system the initialiser waits on its
 * endpoint forever.  Two kinds of message arrive there, told apart by the
 * badge the initialiser minted:
 *   bit 62 | pd index  a fault of a parentless PD (sent by the kernel)
 *   bit 63 | pd index  a request from a PD with a channel to "monitor"
 *                      (protocol in <arca/monitor.h>)
 * A fault is printed as one decoded line and handled by the PD's policy:
 * restart (fresh memory, same caps, same TCB) or stop.
 */
#include <stdio.h>
#include <string.h>

#include <arca/monitor.h>
#include <microkit.h>

#include "sysinit.h"

#define CRASH_IP 0x0    /* never mapped: an instruction fetch fault */

/*
 * Crash loops: a PD with on_fault="restart" that faults again and again
 * right after being restarted (say, on its own bad state in a region)
 * would otherwise keep the monitor, at the top priority, busy for good.
 * After CRASH_LOOP_LIMIT faults in a row each within CRASH_LOOP_MS of its
 * restart, the PD is left stopped (a RESTART request starts it again).
 * Faults asked for with MONITOR_CRASH do not count.
 */
#define CRASH_LOOP_LIMIT 10
#define CRASH_LOOP_MS 1000

static uint64_t tsc_per_ms = 1000000;   /* until the bootinfo says */

uint64_t read_tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC frequency from the extra bootinfo (chunk 5, MHz). */
void monitor_init(const seL4_BootInfo *bi)
{
    const uint8_t *extra = (const uint8_t *)bi + (1u << seL4_BootInfoFrameBits);

    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(extra + off);

        if (h->len < sizeof(*h) || h->len > bi->extraLen - off)
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ && h->len >= sizeof(*h) + 4) {
            uint32_t mhz;

            memcpy(&mhz, extra + off + sizeof(*h), sizeof(mhz));
            if (mhz != 0)
                tsc_per_ms = (uint64_t)mhz * 1000;
        }
        off += h->len;
    }
}

static const char *lookup_failure(seL4_Word type)
{
    switch (type) {
    case seL4_InvalidRoot: return "invalid root";
    case seL4_MissingCapability: return "missing capability";
    case seL4_DepthMismatch: return "depth mismatch";
    case seL4_GuardMismatch: return "guard mismatch";
    default: return "no lookup failure";
    }
}

/* One line's description of the fault in the current message. */
static void describe_fault(seL4_MessageInfo_t tag, char *buf, size_t len)
{
    seL4_Word label = seL4_MessageInfo_get_label(tag);
    seL4_Word n = seL4_MessageInfo_get_length(tag);

    if (label == seL4_Fault_VMFault && n >= seL4_VMFault_Length) {
        seL4_Word fsr = seL4_GetMR(seL4_VMFault_FSR);
        const char *access = seL4_GetMR(seL4_VMFault_PrefetchFault) ? "instruction fetch"
                             : (fsr & 2) ? "write" : "read";

        snprintf(buf, len, "VMFault at ip 0x%lx, address 0x%lx (%s)",
                 (unsigned long)seL4_GetMR(seL4_VMFault_IP),
                 (unsigned long)seL4_GetMR(seL4_VMFault_Addr), access);
    } else if (label == seL4_Fault_CapFault && n >= seL4_CapFault_BitsLeft) {
        snprintf(buf, len, "CapFault at ip 0x%lx, cptr 0x%lx (%s phase, %s)",
                 (unsigned long)seL4_GetMR(seL4_CapFault_IP),
                 (unsigned long)seL4_GetMR(seL4_CapFault_Addr),
                 seL4_GetMR(seL4_CapFault_InRecvPhase) ? "receive" : "send",
                 lookup_failure(seL4_GetMR(seL4_CapFault_LookupFailureType)));
    } else if (label == seL4_Fault_UserException && n >= seL4_UserException_Length) {
        snprintf(buf, len, "UserException at ip 0x%lx, vector %lu, code 0x%lx",
                 (unsigned long)seL4_GetMR(seL4_UserException_FaultIP),
                 (unsigned long)seL4_GetMR(seL4_UserException_Number),
                 (unsigned long)seL4_GetMR(seL4_UserException_Code));
    } else if (label == seL4_Fault_UnknownSyscall && n >= seL4_UnknownSyscall_Length) {
        snprintf(buf, len, "UnknownSyscall at ip 0x%lx, number %lu",
                 (unsigned long)seL4_GetMR(seL4_UnknownSyscall_FaultIP),
                 (long)seL4_GetMR(seL4_UnknownSyscall_Syscall));
    } else {
        /* Only a PD misusing its own fault endpoint cap gets here. */
        snprintf(buf, len, "malformed fault message (label %lu, %lu words)",
                 (unsigned long)label, (unsigned long)n);
    }
}

int restart_pd(struct pd_state *pd)
{
    char err[160];

    /* Suspending cancels whatever the PD was blocked in (its fault IPC
     * included, which deletes the monitor's reply cap for it); the TCB's
     * own caller slot, holding the reply to a client it was serving,
     * survives, and the restarted runtime replies to it first thing. */
    seL4_TCB_Suspend(pd->tcb);
    pd->running = 0;
    if (load_pd(pd, err, sizeof(err)) != 0) {
        printf("monitor: PD '%s' cannot be reloaded: %s; left stopped\n", pd->name, err);
        return -1;
    }
    /* An interrupt taken but not acknowledged before the crash would keep
     * its line masked for good. */
    for (unsigned k = 0; k < pd->spec->n_irqs; k++)
        seL4_IRQHandler_Ack(pd->irq_first + k);
    pd->restarts++;
    if (start_pd(pd) != 0) {
        printf("monitor: PD '%s' cannot be started again\n", pd->name);
        return -1;
    }
    return 0;
}

static void handle_fault(struct pd_state *pd, seL4_MessageInfo_t tag)
{
    char what[160];

    describe_fault(tag, what, sizeof(what));
    pd->faults++;
    if (pd->crash_requested)
        pd->fast_faults = 0;
    else if (read_tsc() - pd->started_tsc < CRASH_LOOP_MS * tsc_per_ms)
        pd->fast_faults++;
    else
        pd->fast_faults = 0;
    pd->crash_requested = 0;
    if ((pd->spec->flags & SYSSPEC_PD_RESTART_ON_FAULT) && pd->fast_faults >= CRASH_LOOP_LIMIT) {
        printf("monitor: PD '%s' faulted: %s; stopped (crash loop: %u faults in a row "
               "within %u ms of a restart)\n", pd->name, what, pd->fast_faults, CRASH_LOOP_MS);
        seL4_TCB_Suspend(pd->tcb);
        pd->running = 0;
    } else if (pd->spec->flags & SYSSPEC_PD_RESTART_ON_FAULT) {
        printf("monitor: PD '%s' faulted: %s; restarting (restart %u)\n", pd->name, what,
               pd->restarts + 1);
        restart_pd(pd);
    } else {
        printf("monitor: PD '%s' faulted: %s; stopped\n", pd->name, what);
        seL4_TCB_Suspend(pd->tcb);
        pd->running = 0;
    }
}

static struct pd_state *find_pd(const char *name)
{
    for (unsigned i = 0; i < g_spec.hdr->n_pds; i++) {
        if (strcmp(g_pds[i].name, name) == 0)
            return &g_pds[i];
    }
    return NULL;
}

/* A request from PD `from`; returns the reply. */
static seL4_MessageInfo_t handle_request(struct pd_state *from, seL4_MessageInfo_t tag)
{
    seL4_Word label = seL4_MessageInfo_get_label(tag);
    seL4_Word n = seL4_MessageInfo_get_length(tag);
    uint64_t words[MONITOR_NAME_WORDS];
    char name[8 * MONITOR_NAME_WORDS];
    struct pd_state *pd;

    (void)from;
    if (label == MONITOR_PD_INFO) {
        seL4_Word i = seL4_GetMR(0);

        if (n < 1)
            return seL4_MessageInfo_new(MONITOR_EINVAL, 0, 0, 0);
        if (i >= g_spec.hdr->n_pds)
            return seL4_MessageInfo_new(MONITOR_ENOENT, 0, 0, 0);
        pd = &g_pds[i];
        monitor_pack_name(pd->name, words);
        for (int k = 0; k < MONITOR_NAME_WORDS; k++)
            seL4_SetMR(k, words[k]);
        seL4_SetMR(8, pd->running ? MONITOR_STATE_RUNNING : MONITOR_STATE_STOPPED);
        seL4_SetMR(9, pd->restarts);
        seL4_SetMR(10, pd->faults);
        return seL4_MessageInfo_new(MONITOR_OK, 0, 0, MONITOR_INFO_MRS);
    }
    if (label != MONITOR_CRASH && label != MONITOR_RESTART)
        return seL4_MessageInfo_new(MONITOR_EINVAL, 0, 0, 0);
    if (n < MONITOR_NAME_WORDS)
        return seL4_MessageInfo_new(MONITOR_EINVAL, 0, 0, 0);
    for (int k = 0; k < MONITOR_NAME_WORDS; k++)
        words[k] = seL4_GetMR(k);
    monitor_unpack_name(words, name);
    if (strcmp(name, "monitor") == 0)
        return seL4_MessageInfo_new(MONITOR_EPERM, 0, 0, 0);
    pd = find_pd(name);
    if (pd == NULL)
        return seL4_MessageInfo_new(MONITOR_ENOENT, 0, 0, 0);
    if (label == MONITOR_RESTART) {
        pd->fast_faults = 0;
        printf("monitor: restarting PD '%s' on request of '%s' (restart %u)\n", pd->name,
               from->name, pd->restarts + 1);
        return seL4_MessageInfo_new(restart_pd(pd) == 0 ? MONITOR_OK : MONITOR_EINVAL, 0, 0, 0);
    }
    if (!pd->running)
        return seL4_MessageInfo_new(MONITOR_EINVAL, 0, 0, 0);
    /* Point it at an address that is never mapped: it faults as soon as
     * it runs, and the fault takes the ordinary path (line, policy). */
    {
        seL4_UserContext regs;

        memset(&regs, 0, sizeof(regs));
        regs.rip = CRASH_IP;
        printf("monitor: crashing PD '%s' on request of '%s'\n", pd->name, from->name);
        if (seL4_TCB_WriteRegisters(pd->tcb, seL4_True, 0, 1, &regs) != seL4_NoError)
            return seL4_MessageInfo_new(MONITOR_EINVAL, 0, 0, 0);
        pd->crash_requested = 1;
    }
    return seL4_MessageInfo_new(MONITOR_OK, 0, 0, 0);
}

_Noreturn void monitor_run(void)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t tag = seL4_Recv(g_monitor_ep, &badge);

    for (;;) {
        seL4_Word index = badge & 0xff;

        if (index < g_spec.hdr->n_pds && (badge & MICROKIT_BADGE_PPC)) {
            seL4_MessageInfo_t reply = handle_request(&g_pds[index], tag);

            tag = seL4_ReplyRecv(g_monitor_ep, reply, &badge);
            continue;
        }
        if (index < g_spec.hdr->n_pds && (badge & MICROKIT_BADGE_FAULT))
            handle_fault(&g_pds[index], tag);
        /* No reply: a faulted PD was restarted or stopped, which removed
         * the reply cap; anything else is not answered. */
        tag = seL4_Recv(g_monitor_ep, &badge);
    }
}
