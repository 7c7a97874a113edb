/*
 * libmicrokit for Arca: the PD-side API of seL4 Microkit (same names, same
 * semantics), implemented for Arca's non-MCS kernel.
 *
 * A PD is an event-driven program.  It provides
 *     void init(void);                      once, at every (re)start
 *     void notified(microkit_channel ch);   a notification or an IRQ on ch
 * and, if other PDs may call it or it has child PDs,
 *     microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg);
 *     seL4_Bool fault(microkit_child child, microkit_msginfo msg,
 *                     microkit_msginfo *reply);
 * The runtime (user/microkit/runtime.c) calls init() and then waits for
 * events forever.
 *
 * Channels are plain capability slots in the PD's CSpace, laid out as
 * Microkit lays them out (docs/system.md, "PD CSpace"), so every call here
 * is a slot computation and one system call.  The masks below are filled
 * in by the system initialiser from the system description; a channel the
 * PD was not given is refused by the library with a message, and even if a
 * PD bypasses the library its slot is empty, so the kernel refuses too.
 */
#ifndef MICROKIT_H
#define MICROKIT_H

#include <stdint.h>
#include <sel4/sel4.h>

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef unsigned int microkit_ioport;
typedef seL4_MessageInfo_t microkit_msginfo;

/* Slots of a PD's CSpace (one CNode of 2^MICROKIT_CNODE_BITS slots). */
#define INPUT_CAP 1                     /* endpoint, or notification if no endpoint is needed */
#define FAULT_EP_CAP 2                  /* where the kernel sends this PD's faults */
#define MONITOR_EP 5                    /* unused on Arca (no passive PDs) */
#define TCB_CAP 6                       /* unused on Arca: a PD has no cap to itself */
#define ARCA_NOTIFICATION_CAP 9         /* Arca: the PD's own notification (Read only) */
#define BASE_OUTPUT_NOTIFICATION_CAP 10 /* + channel: notify the other end */
#define BASE_ENDPOINT_CAP 74            /* + channel: ppcall the other end */
#define BASE_IRQ_CAP 138                /* + channel: IRQ handler */
#define BASE_TCB_CAP 202                /* + child id: a child PD's TCB */
#define BASE_VM_TCB_CAP 266             /* reserved (no virtual machines on Arca) */
#define BASE_VCPU_CAP 330               /* reserved */
#define BASE_IOPORT_CAP 394             /* + I/O port id */
#define MICROKIT_CNODE_BITS 9

#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_MAX_IOPORT_ID MICROKIT_MAX_CHANNELS
#define MICROKIT_PD_NAME_LENGTH 64

/* Badge bits of what arrives on INPUT_CAP. */
#define MICROKIT_BADGE_PPC   (1ull << 63) /* a protected procedure call; low 6 bits: channel */
#define MICROKIT_BADGE_FAULT (1ull << 62) /* a child's fault; low 8 bits: child id */

/* The PD's entry points. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* The PD's name and the channels it was given (bit n = channel/port n),
 * written into the image by the system initialiser at every start. */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Word microkit_ioports;

/* A signal (or IRQ ack) the event loop sends just before it waits again. */
extern seL4_Bool microkit_have_signal;
extern seL4_CPtr microkit_signal_cap;
extern seL4_MessageInfo_t microkit_signal_msg;

/* Debug output straight to the kernel console. */
void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);

/* Report a misuse of the API: "<pd> <what>: invalid channel given '<ch>'". */
void microkit_internal_bad_channel(const char *what, unsigned int ch);
/* A fault on purpose (address = err), so the monitor reports and handles it. */
_Noreturn void microkit_internal_crash(seL4_Error err);

static inline int microkit_internal_has(seL4_Word mask, unsigned int id, unsigned int max)
{
    return id <= max && (mask >> id) & 1;
}

static inline void microkit_notify(microkit_channel ch)
{
    if (!microkit_internal_has(microkit_notifications, ch, MICROKIT_MAX_CHANNEL_ID)) {
        microkit_internal_bad_channel("microkit_notify", ch);
        return;
    }
    seL4_Signal(BASE_OUTPUT_NOTIFICATION_CAP + ch);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
    if (!microkit_internal_has(microkit_irqs, ch, MICROKIT_MAX_CHANNEL_ID)) {
        microkit_internal_bad_channel("microkit_irq_ack", ch);
        return;
    }
    seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);
}

/*
 * Call the PD at the other end of ch and wait for its answer.  A callee
 * that crashed while serving the call answers, once restarted, with label
 * ARCA_LABEL_PD_RESTARTED (<arca/monitor.h>).  An invalid channel gives an
 * empty message with label 0, as in Microkit.
 */
static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (!microkit_internal_has(microkit_pps, ch, MICROKIT_MAX_CHANNEL_ID)) {
        microkit_internal_bad_channel("microkit_ppcall", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
    return seL4_Call(BASE_ENDPOINT_CAP + ch, msginfo);
}

/* Start child `pd` again at entry_point (its memory is left as it is). */
static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    seL4_UserContext ctxt = { 0 };
    seL4_Error err;

    ctxt.rip = entry_point;
    err = seL4_TCB_WriteRegisters(BASE_TCB_CAP + pd, seL4_True, 0, 1, &ctxt);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_restart: error writing TCB registers\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_pd_stop(microkit_child pd)
{
    seL4_Error err = seL4_TCB_Suspend(BASE_TCB_CAP + pd);

    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_stop: error suspending TCB\n");
        microkit_internal_crash(err);
    }
}

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return seL4_MessageInfo_new(label, 0, 0, count);
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_label(msginfo);
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_length(msginfo);
}

static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    seL4_SetMR(mr, value);
}

static inline seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    return seL4_GetMR(mr);
}

/* Signal / acknowledge when the event loop next waits (fewer kernel
 * entries when a handler wants to do it last anyway). */
static inline void microkit_deferred_notify(microkit_channel ch)
{
    if (!microkit_internal_has(microkit_notifications, ch, MICROKIT_MAX_CHANNEL_ID)) {
        microkit_internal_bad_channel("microkit_deferred_notify", ch);
        return;
    }
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
    microkit_signal_cap = BASE_OUTPUT_NOTIFICATION_CAP + ch;
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (!microkit_internal_has(microkit_irqs, ch, MICROKIT_MAX_CHANNEL_ID)) {
        microkit_internal_bad_channel("microkit_deferred_irq_ack", ch);
        return;
    }
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0);
    microkit_signal_cap = BASE_IRQ_CAP + ch;
}

/* x86 I/O ports (Microkit's <ioport id=... addr=... size=...>). */
static inline int microkit_internal_ioport_ok(const char *what, microkit_ioport id)
{
    if (!microkit_internal_has(microkit_ioports, id, MICROKIT_MAX_IOPORT_ID)) {
        microkit_internal_bad_channel(what, id);
        return 0;
    }
    return 1;
}

static inline void microkit_x86_ioport_write_8(microkit_ioport id, seL4_Word port, seL4_Word data)
{
    if (microkit_internal_ioport_ok("microkit_x86_ioport_write_8", id) &&
        seL4_X86_IOPort_Out8(BASE_IOPORT_CAP + id, port, data) != seL4_NoError)
        microkit_internal_crash(seL4_IllegalOperation);
}

static inline void microkit_x86_ioport_write_16(microkit_ioport id, seL4_Word port, seL4_Word data)
{
    if (microkit_internal_ioport_ok("microkit_x86_ioport_write_16", id) &&
        seL4_X86_IOPort_Out16(BASE_IOPORT_CAP + id, port, data) != seL4_NoError)
        microkit_internal_crash(seL4_IllegalOperation);
}

static inline void microkit_x86_ioport_write_32(microkit_ioport id, seL4_Word port, seL4_Word data)
{
    if (microkit_internal_ioport_ok("microkit_x86_ioport_write_32", id) &&
        seL4_X86_IOPort_Out32(BASE_IOPORT_CAP + id, port, data) != seL4_NoError)
        microkit_internal_crash(seL4_IllegalOperation);
}

static inline seL4_Uint8 microkit_x86_ioport_read_8(microkit_ioport id, seL4_Word port)
{
    seL4_X86_IOPort_In8_t r;

    if (!microkit_internal_ioport_ok("microkit_x86_ioport_read_8", id))
        return 0;
    r = seL4_X86_IOPort_In8(BASE_IOPORT_CAP + id, (seL4_Uint16)port);
    if (r.error != seL4_NoError)
        microkit_internal_crash(r.error);
    return r.result;
}

static inline seL4_Uint16 microkit_x86_ioport_read_16(microkit_ioport id, seL4_Word port)
{
    seL4_X86_IOPort_In16_t r;

    if (!microkit_internal_ioport_ok("microkit_x86_ioport_read_16", id))
        return 0;
    r = seL4_X86_IOPort_In16(BASE_IOPORT_CAP + id, (seL4_Uint16)port);
    if (r.error != seL4_NoError)
        microkit_internal_crash(r.error);
    return r.result;
}

static inline seL4_Uint32 microkit_x86_ioport_read_32(microkit_ioport id, seL4_Word port)
{
    seL4_X86_IOPort_In32_t r;

    if (!microkit_internal_ioport_ok("microkit_x86_ioport_read_32", id))
        return 0;
    r = seL4_X86_IOPort_In32(BASE_IOPORT_CAP + id, (seL4_Uint16)port);
    if (r.error != seL4_NoError)
        microkit_internal_crash(r.error);
    return r.result;
}

#endif
