/*
 * Helpers for the virtual-memory tests (ASID_, FRAME_, VSPACE_).
 *
 * Facts used (from /work/shared/abi): objects.md §2 (sizes), §4 (paging
 * hierarchy, ASIDs, Map/Unmap/GetAddress), capabilities.md §3 (frame VM
 * rights), §7 (derive), §10 (deletion), invocations.md §2.6-§2.8, boot.md
 * §2 and §4 (root task image and VSpace), faults.md §2 (a fault without a
 * handler makes the thread Inactive).
 *
 * Address spaces
 *   struct vspace describes one VSpace (a PML4 cap) and remembers which
 *   PDPTs, page directories and page tables this test mapped into it, so
 *   vs_tables()/vs_map() create the missing levels top-down.  The root task's
 *   own structures are not recorded: in the root VSpace tests work in fresh
 *   512 GiB regions from vm_region() (PML4 entries 1..254, never used twice
 *   in a run), where nothing is mapped yet.
 *
 * Threads
 *   A vm_thread runs fn(arg) through a trampoline and then suspends itself.
 *   In the root VSpace its stack, TLS block and IPC buffer are static pages
 *   of the image.  In another VSpace (vm_thread_in) the root task's image
 *   is mapped there too, at the same addresses, through copies of the
 *   bootinfo userImageFrames caps (so code and static data are the same
 *   physical memory in both spaces), and the stack and IPC buffer are
 *   private frames mapped only in that VSpace at VM_PRIV_BASE.
 *   Threads get no fault handler: a thread that faults becomes Inactive
 *   (faults.md §2), and ReadRegisters then shows rip = the faulting
 *   instruction (objects.md §7.2: rip is FaultIP).
 *
 * Waiting
 *   The root task runs at priority 255 and never blocks.  vm_settle() drops
 *   it to priority 1 and yields, so it gets the CPU back only once every
 *   test thread (priority VM_PRIO) has blocked, suspended itself or faulted.
 *
 * Probes
 *   vm_probe() runs one load or store in a fresh thread (root VSpace or
 *   another one) through vm_load64()/vm_store64(), whose single memory
 *   instruction is at vm_load64_insn/vm_store64_insn, and reports whether
 *   it completed or faulted at exactly that instruction with rdi = addr.
 *   Accesses whose outcome depends on the kernel getting a mapping right are
 *   made through probes, so that a kernel bug fails a test instead of
 *   killing the root task (and the suite).
 */
#ifndef TESTS_VM_UTIL_H
#define TESTS_VM_UTIL_H

#include "util.h"

#define VM_4K       (1UL << seL4_PageBits)
#define VM_2M       (1UL << seL4_LargePageBits)
#define VM_1G       (1UL << seL4_HugePageBits)
#define VM_512G     (1UL << 39)

/* objects.md §4.1: the kernel accepts vaddr <= this for paging structures
 * and vaddr + size <= this for frames. */
#define VM_USER_MAX         0x7FFFFFFFFFFFUL
#define VM_KERNEL_VADDR     0xFFFFFF8000000000UL    /* kernel window, boot.md §9 */
#define VM_NONCANONICAL     0x0000800000000000UL

/* Where other VSpaces get their threads' private stacks and IPC buffers
 * (PML4 entry 0, PDPT entry 1: never used by the image at 0x400000). */
#define VM_PRIV_BASE        0x40000000UL

/* Lookup-failure type words in FailedLookup MRs (capabilities.md §2). */
#define LF_INVALID_ROOT     1
#define LF_MISSING_CAP      2

#define VM_PRIO             100
#define VM_ROOT_PRIO        255
#define VM_THREADS          6

const char *vm_error(void);         /* why the last helper failed */

/* ---- objects (from a per-test 2^20-byte untyped, reclaimed by ws_end) ---- */
seL4_CPtr vm_ut(void);
seL4_CPtr vm_obj(seL4_Word type);            /* one object of a fixed-size type */
seL4_CPtr vm_frame(unsigned bits);           /* 12: from vm_ut; 21/30: own carve */
seL4_CPtr vm_copy(seL4_CPtr src, seL4_CapRights_t rights);     /* into a new slot */

/* Base of a fresh 512 GiB region of the root VSpace. */
seL4_Word vm_region(void);

/* ---- address spaces ---------------------------------------------------- */
#define VS_MAX_TABLES 32

struct vspace {
    seL4_CPtr pml4;
    bool root;
    int ntab;
    struct {
        seL4_Word base;         /* vaddr rounded to the area one entry above covers */
        int level;              /* 1 PDPT, 2 PD, 3 PT */
        seL4_CPtr cap;
    } tab[VS_MAX_TABLES];
    bool image;                 /* image copies mapped (vm_thread_in) */
    seL4_CPtr ipc_frame[VM_THREADS];    /* private IPC page of pool entry i (0: none yet) */
};

void vs_root(struct vspace *vs);
/* A new PML4 from vm_ut with an ASID from `pool` (0 = the boot pool). */
bool vs_create(struct vspace *vs, seL4_CPtr pool);
/* Map what is missing so that a frame can go at va: depth 1 = a PDPT (for
 * a 1 GiB frame), 2 = + a PD (2 MiB frame), 3 = + a PT (4 KiB frame). */
seL4_Error vs_tables(struct vspace *vs, seL4_Word va, int depth);
/* The recorded table of `level` covering va, 0 if none. */
seL4_CPtr vs_table(struct vspace *vs, seL4_Word va, int level);
/* Forget a recorded table (after the test unmapped or deleted it). */
void vs_forget(struct vspace *vs, seL4_CPtr cap);
/* vs_tables for the frame size, then Page_Map with default attributes. */
seL4_Error vs_map(struct vspace *vs, seL4_CPtr frame, unsigned bits, seL4_Word va,
                  seL4_CapRights_t rights);
/* A new 4 KiB frame mapped at va; 0 on failure. */
seL4_CPtr vs_page(struct vspace *vs, seL4_Word va, seL4_CapRights_t rights);
/* Map copies of the root task's image frames at the image's addresses. */
bool vs_map_image(struct vspace *vs);

static inline int depth_of(unsigned frame_bits)
{
    return frame_bits == seL4_PageBits ? 3 : frame_bits == seL4_LargePageBits ? 2 : 1;
}

/* Physical address of a frame, (seL4_Word)-1 on error. */
seL4_Word vm_paddr(seL4_CPtr frame);

/* Direct access from the root task (only where correct behaviour cannot fault). */
static inline seL4_Word peek(seL4_Word va)
{
    return *(volatile seL4_Word *)va;
}
static inline void poke(seL4_Word va, seL4_Word v)
{
    *(volatile seL4_Word *)va = v;
}

/* ---- threads ------------------------------------------------------------- */
typedef void vm_fn(void *arg);

struct vm_thread {
    int index;
    seL4_CPtr tcb;                  /* root CNode slot; also its CSpace root */
    struct vspace *vs;              /* NULL: root VSpace */
    seL4_IPCBuffer *ipc;            /* address in its own VSpace */
    uintptr_t stack_top, tp;
    volatile int started, done;
};

/* Configure a thread at `prio` and start fn(arg) in it. */
struct vm_thread *vm_thread_root(vm_fn *fn, void *arg, seL4_Word prio);
struct vm_thread *vm_thread_in(struct vspace *vs, vm_fn *fn, void *arg, seL4_Word prio);
void vm_thread_destroy(struct vm_thread *t);
seL4_Error vm_regs(struct vm_thread *t, seL4_UserContext *uc);

void vm_settle(void);
/* The root runs at `prio` (= a test thread's) and yields n times. */
void vm_share_cpu(seL4_Word prio, int n);

/* The one-instruction accessors (global asm in vm_util.c). */
seL4_Word vm_load64(seL4_Word addr);
void vm_store64(seL4_Word addr, seL4_Word value);
extern const char vm_load64_insn[], vm_store64_insn[];

/* Has t stopped by faulting at `insn` with rdi = addr? (false + vm_error) */
bool vm_faulted_at(struct vm_thread *t, const char *insn, seL4_Word addr);

/* ---- probes ---------------------------------------------------------------- */
enum { PROBE_ERROR = -1, PROBE_FAULT = 0, PROBE_OK = 1 };
/* One load (write = false; *val receives the value) or store of *val at
 * addr by a new thread in vs (NULL = root VSpace). */
int vm_probe(struct vspace *vs, bool write, seL4_Word addr, seL4_Word *val);
const char *vm_probe_name(int r);

#define EXPECT_READ(vs, addr, want)                                          \
    do {                                                                     \
        seL4_Word v_ = 0;                                                    \
        int p_ = vm_probe(vs, false, addr, &v_);                             \
        EXPECT(p_ == PROBE_OK, "read of %#lx: %s %s", (unsigned long)(addr), \
               vm_probe_name(p_), vm_error());                               \
        EXPECT(v_ == (seL4_Word)(want), "read of %#lx gave %#lx, expected %#lx", \
               (unsigned long)(addr), (unsigned long)v_, (unsigned long)(want)); \
    } while (0)
#define EXPECT_WRITE(vs, addr, value)                                        \
    do {                                                                     \
        seL4_Word v_ = (value);                                              \
        int p_ = vm_probe(vs, true, addr, &v_);                              \
        EXPECT(p_ == PROBE_OK, "write to %#lx: %s %s", (unsigned long)(addr), \
               vm_probe_name(p_), vm_error());                               \
    } while (0)
#define EXPECT_READ_FAULT(vs, addr)                                          \
    do {                                                                     \
        seL4_Word v_ = 0;                                                    \
        int p_ = vm_probe(vs, false, addr, &v_);                             \
        EXPECT(p_ == PROBE_FAULT, "read of %#lx: %s (value %#lx), expected a fault %s", \
               (unsigned long)(addr), vm_probe_name(p_), (unsigned long)v_, vm_error()); \
    } while (0)
#define EXPECT_WRITE_FAULT(vs, addr)                                         \
    do {                                                                     \
        seL4_Word v_ = 0xBAD0BAD0BAD0BAD0UL;                                 \
        int p_ = vm_probe(vs, true, addr, &v_);                              \
        EXPECT(p_ == PROBE_FAULT, "write to %#lx: %s, expected a fault %s",  \
               (unsigned long)(addr), vm_probe_name(p_), vm_error());        \
    } while (0)

/* FailedLookup error MRs (invocations.md §1.3): MR0 source flag 0. */
#define EXPECT_MISSING(bits_left) EXPECT_MRS(0, LF_MISSING_CAP, bits_left)

/* ---- environment ------------------------------------------------------------ */
void vm_env_begin(void);
void vm_env_end(void);

#define VMTEST(id, desc)                                                     \
    static test_result_t id##_body(void);                                    \
    TEST(id, desc)                                                           \
    {                                                                        \
        ws_begin();                                                          \
        vm_env_begin();                                                      \
        test_result_t r_ = id##_body();                                      \
        vm_env_end();                                                        \
        ws_end();                                                            \
        return r_;                                                           \
    }                                                                        \
    static test_result_t id##_body(void)

/* Shorthands that fail the test. */
#define VM_NEW(var, type)                                                    \
    seL4_CPtr var = vm_obj(type);                                            \
    EXPECT(var != 0, "%s: %s", #type, vm_error())
#define VM_FRAME(var, bits)                                                  \
    seL4_CPtr var = vm_frame(bits);                                          \
    EXPECT(var != 0, "frame of 2^%u: %s", (unsigned)(bits), vm_error())
#define VM_COPY(var, src, rights)                                            \
    seL4_CPtr var = vm_copy(src, rights);                                    \
    EXPECT(var != 0, "copy of %lu: %s", (unsigned long)(src), vm_error())
#define VS_CREATE(vs)                                                        \
    struct vspace vs;                                                        \
    EXPECT(vs_create(&vs, 0), "new VSpace: %s", vm_error())
#define VS_ROOT(vs)                                                          \
    struct vspace vs;                                                        \
    vs_root(&vs)
#define VS_PAGE(var, vs, va, rights)                                         \
    seL4_CPtr var = vs_page(vs, va, rights);                                 \
    EXPECT(var != 0, "page at %#lx: %s", (unsigned long)(va), vm_error())
#define VM_THREAD(var, vs, fn, arg)                                          \
    struct vm_thread *var = (vs) == NULL ? vm_thread_root(fn, arg, VM_PRIO)  \
                                         : vm_thread_in(vs, fn, arg, VM_PRIO); \
    EXPECT(var != NULL, "thread: %s", vm_error())
#define EXPECT_FAULTED_AT(t, insn, addr)                                     \
    EXPECT(vm_faulted_at(t, insn, addr), "%s: %s", #t, vm_error())

#endif
