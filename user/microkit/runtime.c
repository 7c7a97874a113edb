/*
 * The PD runtime: start-up after crt0.S, the libc hooks, and Microkit's
 * event loop.
 *
 * Start-up order: TLS first (libsel4 keeps the IPC buffer pointer in a
 * thread-local variable), then the IPC buffer, then -- the first thing the
 * PD does that anyone can see -- a Reply with ARCA_LABEL_PD_RESTARTED.  If
 * the PD crashed while serving a protected procedure call, the caller is
 * still blocked on it and the reply cap in this TCB's caller slot survived
 * the restart: the caller now gets an error instead of waiting forever.
 * With no caller the Reply does nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arca/monitor.h>
#include <arca/pd.h>
#include <microkit.h>

#include "../libc/libc_internal.h"

/* Patched by the system initialiser (sysspec patches). */
char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Word microkit_irqs;
seL4_Word microkit_notifications;
seL4_Word microkit_pps;
seL4_Word microkit_ioports;

seL4_Bool microkit_have_signal = seL4_False;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;

extern unsigned long __arca_pd_restarts;   /* crt0.S */

/* From user/crt/user.ld. */
extern const char _tdata_start[], _tdata_end[], _tbss_end[];
extern const char _tls_align[];
typedef void (*ctor_fn)(void);
extern ctor_fn __preinit_array_start[], __preinit_array_end[];
extern ctor_fn __init_array_start[], __init_array_end[];

void __arca_pd_start(seL4_IPCBuffer *ipc_buffer);

#define TLS_AREA_SIZE 4096
static unsigned char tls_area[TLS_AREA_SIZE] __attribute__((aligned(16)));

static arca_write_fn stdout_write;
/* Notifications taken by arca_wait_notifications() for someone else. */
static seL4_Word deferred_notifications;

/* --- debug output ------------------------------------------------------ */

void microkit_dbg_putc(int c)
{
    seL4_DebugPutChar((char)c);
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
}

static void put_dec(seL4_Uint32 x)
{
    char buf[11];
    int n = 0;

    do {
        buf[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x != 0);
    while (n > 0)
        seL4_DebugPutChar(buf[--n]);
}

void microkit_dbg_put8(seL4_Uint8 x)
{
    put_dec(x);
}

void microkit_dbg_put32(seL4_Uint32 x)
{
    put_dec(x);
}

void microkit_internal_bad_channel(const char *what, unsigned int ch)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(": invalid channel given '");
    put_dec(ch);
    microkit_dbg_puts("'\n");
}

_Noreturn void microkit_internal_crash(seL4_Error err)
{
    /* A read of address `err` (small, never mapped): the monitor's fault
     * line then shows the error code as the address. */
    uintptr_t addr = (uintptr_t)err;

    __asm__ volatile("movl (%0), %%eax" : : "r"(addr) : "eax", "memory");
    for (;;)
        __asm__ volatile("ud2");
}

/* --- default entry points ---------------------------------------------- */

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ppcall on channel ");
    put_dec(ch);
    microkit_dbg_puts(" but no 'protected' entry point\n");
    return seL4_MessageInfo_new(0, 0, 0, 0);
}

/* Without a fault() the child stays blocked in its fault (not replied). */
__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": child ");
    put_dec(child);
    microkit_dbg_puts(" faulted but there is no 'fault' entry point\n");
    return seL4_False;
}

/* --- libc hooks -------------------------------------------------------- */

void arca_set_stdout(arca_write_fn write)
{
    stdout_write = write;
}

void __libc_write(const char *buf, size_t len)
{
    if (stdout_write != NULL) {
        stdout_write(buf, len);
        return;
    }
    for (size_t i = 0; i < len; i++)
        seL4_DebugPutChar(buf[i]);
}

/* A PD has nowhere to return to: fault on purpose so that the monitor
 * reports it and applies the PD's fault policy. */
_Noreturn void __arca_exit(int status)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": exit(");
    put_dec((seL4_Uint32)status);
    microkit_dbg_puts(")\n");
    for (;;)
        __asm__ volatile("ud2");
}

_Noreturn void __arca_abort(void)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": abort\n");
    for (;;)
        __asm__ volatile("ud2");
}

int arca_heap_init(void *base, size_t size)
{
    return __libc_heap_init(base, size);
}

seL4_Word arca_wait_notifications(seL4_Word mask)
{
    for (;;) {
        seL4_Word badge = 0;

        seL4_Wait(ARCA_NOTIFICATION_CAP, &badge);
        deferred_notifications |= badge & ~mask;
        if (badge & mask)
            return badge & mask;
    }
}

unsigned long arca_pd_restart_count(void)
{
    return __arca_pd_restarts;
}

/* --- start-up ---------------------------------------------------------- */

static uintptr_t align_up(uintptr_t x, uintptr_t a)
{
    return (x + a - 1) & ~(a - 1);
}

/* x86_64 TLS variant II, as in user/crt/start.c: the block lies just below
 * the thread pointer, whose first word points at itself. */
static void setup_tls(void)
{
    uintptr_t file_size = (uintptr_t)_tdata_end - (uintptr_t)_tdata_start;
    uintptr_t mem_size = (uintptr_t)_tbss_end - (uintptr_t)_tdata_start;
    uintptr_t align = (uintptr_t)_tls_align ? (uintptr_t)_tls_align : 1;
    uintptr_t block = align_up(mem_size, align);
    uintptr_t tp = align_up((uintptr_t)tls_area + block, align > 16 ? align : 16);

    if (tp + sizeof(uintptr_t) > (uintptr_t)tls_area + sizeof(tls_area)) {
        microkit_dbg_puts("PD runtime: TLS segment too large\n");
        microkit_internal_crash(seL4_NotEnoughMemory);
    }
    memcpy((void *)(tp - block), _tdata_start, file_size);
    memset((void *)(tp - block + file_size), 0, block - file_size);
    *(uintptr_t *)tp = tp;
    seL4_SetTLSBase(tp);
}

static void run_ctors(ctor_fn *first, ctor_fn *last)
{
    for (ctor_fn *f = first; f < last; f++)
        (*f)();
}

/* What arrived with `badge` on INPUT_CAP: dispatch it.  Returns whether
 * *reply is to be sent back to the caller. */
static void notify_all(seL4_Word bits)
{
    for (microkit_channel ch = 0; bits != 0; ch++, bits >>= 1) {
        if (bits & 1)
            notified(ch);
    }
}

static int dispatch(seL4_Word badge, seL4_MessageInfo_t tag, seL4_MessageInfo_t *reply)
{
    if (badge & MICROKIT_BADGE_PPC) {
        *reply = protected((microkit_channel)(badge & 0x3f), tag);
        return 1;
    }
    if (badge & MICROKIT_BADGE_FAULT)
        return fault((microkit_child)(badge & 0xff), tag, reply) ? 1 : 0;
    notify_all(badge);
    return 0;
}

static _Noreturn void event_loop(void)
{
    seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, 0);
    int have_reply = 0;

    for (;;) {
        seL4_MessageInfo_t tag;
        seL4_Word badge = 0;

        /* Non-MCS has no NBSendRecv: send the deferred signal (a Signal,
         * or an IRQHandler Ack invocation) on its own, without waiting
         * for an answer, then wait. */
        if (microkit_have_signal) {
            microkit_have_signal = seL4_False;
            seL4_NBSend(microkit_signal_cap, microkit_signal_msg);
        }
        /* Notifications a handler took while waiting for something else:
         * answer the caller first, then deliver them. */
        if (deferred_notifications != 0) {
            seL4_Word bits = deferred_notifications;

            deferred_notifications = 0;
            if (have_reply) {
                seL4_Reply(reply);
                have_reply = 0;
            }
            notify_all(bits);
            continue;
        }
        if (have_reply)
            tag = seL4_ReplyRecv(INPUT_CAP, reply, &badge);
        else
            tag = seL4_Recv(INPUT_CAP, &badge);
        have_reply = dispatch(badge, tag, &reply);
    }
}

_Noreturn void __arca_pd_start(seL4_IPCBuffer *ipc_buffer)
{
    setup_tls();
    seL4_SetIPCBuffer(ipc_buffer);
    seL4_Reply(seL4_MessageInfo_new(ARCA_LABEL_PD_RESTARTED, 0, 0, 0));
    run_ctors(__preinit_array_start, __preinit_array_end);
    run_ctors(__init_array_start, __init_array_end);
    init();
    event_loop();
}
