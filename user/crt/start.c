/*
 * Root-task start-up, after crt0.S has set up a stack.
 *
 * Order matters: libsel4 keeps the IPC buffer pointer in a thread-local
 * variable (syscalls.md §10), so the TLS block must exist and FS base
 * must point at it before seL4_SetIPCBuffer, and the IPC buffer must be
 * known before seL4_DebugNameThread (which passes the name in it).
 * Nothing before setup_tls() may touch a __thread variable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arca/runtime.h>
#include <sel4/sel4.h>

/* The crt implements this private libc interface; including it here
 * makes the compiler check that both sides agree. */
#include "../libc/libc_internal.h"

/* From user.ld. */
extern const char _tdata_start[], _tdata_end[], _tbss_end[];
extern const char _tls_align[];     /* absolute: the address is the value */

typedef void (*ctor_fn)(void);
extern ctor_fn __preinit_array_start[], __preinit_array_end[];
extern ctor_fn __init_array_start[], __init_array_end[];

/* Static TLS for the root thread: the TLS block plus the TCB word. */
#define TLS_AREA_SIZE 16384
static unsigned char tls_area[TLS_AREA_SIZE] __attribute__((aligned(16)));

static seL4_BootInfo *boot_info;

const seL4_BootInfo *arca_bootinfo(void)
{
    return boot_info;
}

/*
 * Point FS base at the thread pointer.  Configuration Q (FSGSBASE_MSR)
 * has to ask the kernel; with FSGSBASE_INST user code may do it itself.
 */
static void set_tls_base(uintptr_t tp)
{
#if defined(CONFIG_SET_TLS_BASE_SELF)
    seL4_SetTLSBase(tp);
#elif defined(CONFIG_FSGSBASE_INST)
    __asm__ volatile("wrfsbase %0" : : "r"(tp) : "memory");
#else
#error "no way to set the TLS base in this configuration"
#endif
}

static uintptr_t align_up(uintptr_t x, uintptr_t a)
{
    return (x + a - 1) & ~(a - 1);
}

/*
 * x86_64 uses TLS variant II: the thread pointer (TP, = FS base) points
 * just past the TLS block, variables live at negative offsets from it,
 * and the word at TP holds TP itself so that code can read it with
 * "mov %fs:0".  The linker resolved those offsets assuming the block is
 * [TP - round_up(memsz, align), TP) with TP a multiple of the TLS
 * segment's alignment (user.ld aligns the segment start so that every
 * linker agrees on this).  We also keep TP 16-byte aligned, as other
 * x86_64 runtimes do.
 *
 * Used for the root thread (setup_tls below) and by programs that start
 * more threads in the same image (runtime.h).
 */
uintptr_t arca_tls_init(void *area, size_t size)
{
    uintptr_t file_size = (uintptr_t)_tdata_end - (uintptr_t)_tdata_start;
    uintptr_t mem_size = (uintptr_t)_tbss_end - (uintptr_t)_tdata_start;
    uintptr_t seg_align = (uintptr_t)_tls_align;
    uintptr_t base = (uintptr_t)area;
    uintptr_t block, tp;
    unsigned char *start;

    if (area == NULL)
        return 0;
    if (seg_align == 0)
        seg_align = 1;
    block = align_up(mem_size, seg_align);
    tp = align_up(base + block, seg_align > 16 ? seg_align : 16);
    if (tp < base || size < sizeof(uintptr_t) || tp - base > size - sizeof(uintptr_t))
        return 0;

    start = (unsigned char *)(tp - block);
    memcpy(start, _tdata_start, file_size);
    memset(start + file_size, 0, block - file_size);
    *(uintptr_t *)tp = tp;
    return tp;
}

static void setup_tls(void)
{
    uintptr_t tp = arca_tls_init(tls_area, sizeof(tls_area));

    if (tp == 0) {
        static const char msg[] = "rootserver: TLS segment too large\n";
        __libc_write(msg, sizeof(msg) - 1);
        __arca_abort();
    }
    set_tls_base(tp);
}

static void run_ctors(ctor_fn *first, ctor_fn *last)
{
    for (ctor_fn *f = first; f < last; f++)
        (*f)();
}

_Noreturn void __arca_start_root(seL4_BootInfo *bi)
{
    boot_info = bi;
    setup_tls();
    seL4_SetIPCBuffer(bi->ipcBuffer);
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "rootserver");
#endif
    run_ctors(__preinit_array_start, __preinit_array_end);
    run_ctors(__init_array_start, __init_array_end);
    /* .fini_array is not run: a root task never really exits, exit()
     * halts the machine. */
    exit(main());
}

/* Without CONFIG_PRINTING the kernel has no console: output is dropped. */
void __libc_write(const char *buf, size_t len)
{
#ifdef CONFIG_PRINTING
    for (size_t i = 0; i < len; i++)
        seL4_DebugPutChar(buf[i]);
#else
    (void)buf;
    (void)len;
#endif
}

/* There is nobody to return to: stop the whole system. */
static _Noreturn void halt(void)
{
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugHalt();
#endif
    /* DebugHalt should not return (and does not exist in release
     * builds); if we get here, stay out of everyone's way. */
    for (;;)
        seL4_Yield();
}

_Noreturn void __arca_exit(int status)
{
    printf("rootserver: exit(%d)\n", status);
    halt();
}

_Noreturn void __arca_abort(void)
{
    static const char msg[] = "rootserver: abort\n";

    __libc_write(msg, sizeof(msg) - 1);
    halt();
}
