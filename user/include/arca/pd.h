/*
 * Arca's additions to the PD runtime (user/microkit/), beside Microkit's
 * own API in <microkit.h>.
 */
#ifndef ARCA_PD_H
#define ARCA_PD_H

#include <stddef.h>
#include <sel4/sel4.h>

/*
 * Use [base, base + size) -- normally a memory region the PD maps, its
 * address set with setvar_vaddr -- as the malloc heap.  Call it in init()
 * before the first malloc; until then (or without it) malloc has a small
 * built-in heap (ARCA_PD_HEAP_SIZE bytes).  Returns 0, or -1 if malloc was
 * already used or the range is unusable.
 */
int arca_heap_init(void *base, size_t size);
#define ARCA_PD_HEAP_SIZE 65536

/*
 * Where stdout (printf, puts, putchar) goes: `write` gets every chunk of
 * output.  NULL restores the default, the kernel's debug console
 * (seL4_DebugPutChar).  The console client library installs itself here.
 */
typedef void (*arca_write_fn)(const char *buf, size_t len);
void arca_set_stdout(arca_write_fn write);

/*
 * Wait, inside protected() (or anywhere), until a notification on one of
 * the channels in `mask` (bit n = channel or IRQ n) arrives; returns those
 * bits.  Other notifications that arrive meanwhile are not lost: the event
 * loop hands them to notified() after the current reply has gone out.
 *
 * Why this exists: on the non-MCS kernel the reply to a ppcall lives in
 * the TCB's caller slot and a Recv on the PD's endpoint (slot 1) deletes
 * it, so a server that waits for its IRQ by receiving on slot 1 can never
 * answer its caller.  This waits on the PD's own notification instead
 * (slot ARCA_NOTIFICATION_CAP), which leaves the reply cap alone.
 */
seL4_Word arca_wait_notifications(seL4_Word mask);

/* How often the monitor has restarted this PD (0 on the first start). */
unsigned long arca_pd_restart_count(void);

#endif
