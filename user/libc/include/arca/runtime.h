/*
 * Arca root-task runtime (user/crt/): start-up and the hooks the libc
 * relies on.
 */
#ifndef ARCA_RUNTIME_H
#define ARCA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>

/* The BootInfo the kernel passed to the root task (boot.md §5). */
const seL4_BootInfo *arca_bootinfo(void);

/*
 * Lay out a fresh static TLS block for another thread of this program in
 * `area` (`size` bytes), exactly as the runtime does for the root thread:
 * the .tdata image copied, .tbss zeroed, the self-pointer stored at the
 * thread pointer (x86_64 TLS variant II).  Returns the thread pointer, to
 * be used as the thread's FS base, or 0 if the block does not fit.
 */
uintptr_t arca_tls_init(void *area, size_t size);

/* The program: called once the runtime is set up; its result goes to
 * exit(). */
int main(void);

/*
 * Hooks implemented by the crt.  Programs normally use exit(), abort()
 * and printf() instead of calling them directly.
 */
_Noreturn void __arca_start_root(seL4_BootInfo *bi);   /* from _start */
void __libc_write(const char *buf, size_t len);         /* console output */
_Noreturn void __arca_exit(int status);                 /* exit() */
_Noreturn void __arca_abort(void);                      /* abort() */

#endif
