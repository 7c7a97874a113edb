/*
 * Arca's benchmark root task (make bench; tools/bench.py reads its output).
 *
 * Method (/work/shared/bench/README.md, as sel4bench does it): QEMU runs
 * with -icount shift=0, so rdtsc counts retired instructions.  The thread
 * that makes the timed system call reads the counter (cpuid; rdtsc) right
 * before its `syscall` instruction; the thread that runs next reads it
 * (rdtscp; cpuid) right after its own `syscall` returns.  Both reads are in
 * bench_sys() (timing.S), so nothing but the system call lies between
 * them.  The overhead is bench_nop(): the same code with `syscall`
 * replaced by the 2-byte NOP 66 90; its minimum is subtracted.
 *
 * Output, one line per row (numbers net of the overhead):
 *     bench: NAME MIN MEDIAN MAX OVERHEAD SAMPLES
 *     bench: NAME null REASON...          (row not measured)
 *     bench: NAME FAIL REASON...          (row failed)
 * then "bench: done" and seL4_DebugHalt.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>

/* ---- the timed system call (timing.S) ---------------------------------- */

/*
 * Registers in and out of one system call, and the two counter reads.
 * Offsets are fixed: timing.S uses them.
 */
struct bench_op {
    seL4_Word sys;      /*  0: RDX, the system call number */
    seL4_Word rdi;      /*  8: cap in, badge out */
    seL4_Word rsi;      /* 16: message info in and out */
    seL4_Word mr[4];    /* 24: R10 R8 R9 R15 */
    uint64_t t0;        /* 56: counter right before the syscall */
    uint64_t t1;        /* 64: counter right after it returned */
};

void bench_sys(struct bench_op *op);    /* `syscall` between the reads */
void bench_nop(struct bench_op *op);    /* 66 90 between the reads */

/* Stores the low 32 bits of the counter at *last in a loop of four
 * instructions, until *count (decremented each time round) reaches 0. */
void bench_spin(volatile uint32_t *last, volatile uint64_t *count);

static inline void op_set(struct bench_op *op, seL4_Word sys, seL4_Word cap,
                          seL4_MessageInfo_t info)
{
    op->sys = sys;
    op->rdi = cap;
    op->rsi = info.words[0];
}

/* ---- samples ------------------------------------------------------------- */

#define WARMUP      16          /* iterations before the measured ones */
#define SAMPLES     1024        /* measured iterations per row */
#define ITERS       (WARMUP + SAMPLES + 1)

/* Per-iteration timestamps: two threads, before/after each. */
extern uint64_t ts_a0[ITERS], ts_a1[ITERS], ts_b0[ITERS], ts_b1[ITERS];
extern uint64_t deltas[SAMPLES];

/* The minimum of bench_nop() (set by main before any row). */
extern uint64_t overhead;

/* Sort deltas[0..n), subtract `ovh`, print the row.  n is SAMPLES. */
void report(const char *name, uint64_t ovh);
void report_null(const char *name, const char *why);
void report_fail(const char *name, const char *why);

/* ---- environment (env.c) ------------------------------------------------- */

#define ROOT_PRIO       255
#define SETTLE_PRIO     1
#define ROOT_DEPTH      64

const char *env_error(void);
bool env_init(void);

seL4_CPtr slot_new(void);                           /* 0: none left */
seL4_CPtr obj_new(seL4_Word type, seL4_Word size_bits);   /* 0 on failure */
seL4_CPtr cap_copy(seL4_CPtr src);                  /* all rights; 0 on failure */
seL4_Error slot_delete(seL4_CPtr slot);

/* An address space: a PML4 with an ASID, tables made as needed. */
#define VS_TABLES 16
struct vspace {
    seL4_CPtr pml4;
    seL4_CPtr image_copies;     /* first slot of the image frame copies (0: none) */
    int ntab;
    struct { seL4_Word base; int level; } tab[VS_TABLES];
};
void vs_root(struct vspace *vs);
/* A new PML4 with the whole root image mapped at the same addresses
 * through copies of the image frame caps (same physical memory). */
bool vs_new_with_image(struct vspace *vs);
/* Page tables down to the PT covering va. */
bool vs_tables(struct vspace *vs, seL4_Word va);

/* Threads: static stack, TLS block and IPC buffer page from the image. */
typedef void bench_fn(void *arg);
struct bthread {
    int index;
    seL4_CPtr tcb;
    volatile int done;
};
/* Start fn(arg) at prio in vs (NULL: the root VSpace).  NULL on failure. */
struct bthread *thread_start(struct vspace *vs, bench_fn *fn, void *arg, seL4_Word prio);
/* Suspend and delete every thread started so far. */
void threads_reap(void);
/* Let every thread above SETTLE_PRIO run until it blocks or stops. */
void settle(void);
seL4_Error set_prio(seL4_CPtr tcb, seL4_Word prio);

/* ---- rows (rows.c) ----------------------------------------------------------- */
void measure_overhead(void);
void run_all_rows(void);

#endif
