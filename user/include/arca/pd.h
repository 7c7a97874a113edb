/*
 * Arca's additions to the PD runtime (user/microkit/), beside Microkit's
 * own API in <microkit.h>.
 */
#ifndef ARCA_PD_H
#define ARCA_PD_H

#include <stddef.h>

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

/* How often the monitor has restarted this PD (0 on the first start). */
unsigned long arca_pd_restart_count(void);

#endif
