/*
 * Threads for the in-QEMU tests (TCB_, SCHED_, IPC_, NTFN_, FPU_, DOMAIN_).
 *
 * Every test thread runs in the root task's own address space (VSpace
 * seL4_CapInitThreadVSpace) with a static stack, a static TLS block laid out
 * by arca_tls_init() and an IPC buffer that is a 4 KiB page of the root
 * task's image (its frame cap comes from bootinfo->userImageFrames).
 *
 * A thread starts in thread_trampoline(fn, arg, ipc_buffer, thread): it
 * installs its IPC buffer pointer, runs fn(arg), sets thread->done and
 * suspends itself (TCB_Suspend on its own TCB cap).
 *
 * Waiting without timeouts: the root task runs at priority 255 and test
 * threads below it (T_PRIO by default).  settle() drops the root to priority
 * ROOT_SETTLE_PRIO, yields and raises it again; since the scheduler runs the
 * highest runnable priority, the root gets the CPU back only once every test
 * thread above ROOT_SETTLE_PRIO is blocked, suspended or done.  So after
 * settle() the system is quiescent and a test can inspect what happened.
 * (A thread that never blocks keeps the root out: test threads that spin do
 * so only until a TSC deadline.)
 *
 * The root never makes a blocking endpoint/notification system call itself
 * (no Recv, Send, Call or Wait): a kernel bug must fail a test, not hang the
 * suite.  It uses NBSend, NBRecv, Reply, Signal, Poll and object invocations.
 *
 * Tests are written with TTEST(), which wraps the body in the slot workspace
 * of util.h and in a thread environment: at the end every thread is
 * suspended and its TCB deleted, the per-test untyped is revoked, and the
 * root's priority and receive path are restored.
 */
#ifndef TESTS_THREAD_UTIL_H
#define TESTS_THREAD_UTIL_H

#include "util.h"

#define THREAD_MAX          16
#define THREAD_STACK_SIZE   16384
#define THREAD_TLS_SIZE     4096

#define ROOT_PRIO           255     /* the root task's priority (and MCP) */
#define ROOT_SETTLE_PRIO    1       /* the root's priority inside settle() */
#define T_PRIO              100     /* default priority of a test thread */

#define RFLAGS_DEFAULT      0x202   /* IF | reserved bit 1 */

typedef void thread_fn(void *arg);

struct thread {
    int index;                  /* slot in the static pools */
    seL4_CPtr tcb;              /* root CNode slot of the TCB cap */
    seL4_CPtr self;             /* its TCB cap in its own CSpace (0: none) */
    seL4_IPCBuffer *ipc;        /* its IPC buffer (also used by libsel4 if the
                                   kernel has no buffer for it) */
    seL4_CPtr ipc_frame;        /* root slot of the image frame holding *ipc */
    uintptr_t tp;               /* thread pointer (FS base) of its TLS block */
    uintptr_t stack_top;        /* 16-byte aligned */
    thread_fn *fn;
    void *arg;
    volatile int started;       /* set by the trampoline before fn */
    volatile int done;          /* set by the trampoline after fn returned */
};

struct thread_opts {
    seL4_Word prio;             /* priority (set with the root's authority) */
    seL4_CPtr cspace;           /* CNode cap (root slot) for its CSpace, 0 = root CNode */
    unsigned cspace_radix;      /* radix of that CNode: it gets guard size
                                   64 - radix, so CPtr k names slot k */
    seL4_Word self_index;       /* slot of that CNode that receives a copy of
                                   the thread's own TCB cap (0 = none) */
    bool no_ipc_buffer;         /* Configure without an IPC buffer */
    seL4_Word ipc_offset;       /* buffer at page + offset (multiple of 1024) */
};

/* ---- environment --------------------------------------------------------- */
void thread_env_begin(void);
void thread_env_end(void);

#define TTEST(id, desc)                                                      \
    static test_result_t id##_body(void);                                    \
    TEST(id, desc)                                                           \
    {                                                                        \
        ws_begin();                                                          \
        thread_env_begin();                                                  \
        test_result_t r_ = id##_body();                                      \
        thread_env_end();                                                    \
        ws_end();                                                            \
        return r_;                                                           \
    }                                                                        \
    static test_result_t id##_body(void)

/* Why the last helper below failed (static text). */
const char *thread_error(void);

/* ---- objects from the per-test untyped (reclaimed by the workspace) ------- */
seL4_CPtr env_untyped(void);                        /* 2^18 bytes, lazily carved */
seL4_CPtr new_obj(seL4_Word type, seL4_Word size_bits);  /* 0 on failure */
seL4_CPtr cap_copy(seL4_CPtr src, seL4_CapRights_t rights);        /* new slot */
seL4_CPtr cap_mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge);
/* A CNode of 2^radix slots (cap in a new root slot, guard 0), and caps put
 * into it: slot `index` of that CNode gets a copy/mint of root slot src. */
seL4_CPtr new_cnode(unsigned radix);
seL4_Error cn_copy(seL4_CPtr cn, unsigned radix, seL4_Word index, seL4_CPtr src,
                   seL4_CapRights_t rights);
seL4_Error cn_mint(seL4_CPtr cn, unsigned radix, seL4_Word index, seL4_CPtr src,
                   seL4_CapRights_t rights, seL4_Word badge);

#define NEW_EP(v)                                                            \
    seL4_CPtr v = new_obj(seL4_EndpointObject, 0);                           \
    EXPECT(v != 0, "endpoint: %s", thread_error())
#define NEW_NTFN(v)                                                          \
    seL4_CPtr v = new_obj(seL4_NotificationObject, 0);                       \
    EXPECT(v != 0, "notification: %s", thread_error())
#define NEW_COPY(v, src, rights)                                             \
    seL4_CPtr v = cap_copy(src, rights);                                     \
    EXPECT(v != 0, "copy of %lu: %s", (unsigned long)(src), thread_error())
#define NEW_MINT(v, src, rights, badge)                                      \
    seL4_CPtr v = cap_mint(src, rights, badge);                              \
    EXPECT(v != 0, "mint of %lu: %s", (unsigned long)(src), thread_error())

/* ---- threads ---------------------------------------------------------------- */
/* A configured, not yet started (Inactive) thread, or NULL (thread_error()). */
struct thread *thread_create(seL4_Word prio);
struct thread *thread_create_opts(const struct thread_opts *opts);

/* The register context that starts `t` in the trampoline running fn(arg). */
void thread_context(struct thread *t, thread_fn *fn, void *arg, seL4_UserContext *ctx);
/* Write that context (WriteRegisters, all 20 registers); resume or not. */
seL4_Error thread_prepare(struct thread *t, thread_fn *fn, void *arg, bool resume);
static inline seL4_Error thread_start(struct thread *t, thread_fn *fn, void *arg)
{
    return thread_prepare(t, fn, arg, true);
}
/* thread_create + thread_start, or NULL. */
struct thread *thread_spawn(thread_fn *fn, void *arg, seL4_Word prio);

/* Delete the thread's TCB cap (this destroys the thread when it is the last
 * cap, objects.md §7 / capabilities.md §10) and release its pool entry. */
void thread_destroy(struct thread *t);

/* The calling test thread's own struct (NULL in the root). */
struct thread *thread_self(void);

#define NEW_THREAD(v, prio)                                                  \
    struct thread *v = thread_create(prio);                                  \
    EXPECT(v != NULL, "thread: %s", thread_error())
#define SPAWN(v, fn, arg, prio)                                              \
    struct thread *v = thread_spawn(fn, arg, prio);                          \
    EXPECT(v != NULL, "thread: %s", thread_error())
#define START(t, fn, arg)                                                    \
    EXPECT_ERR(thread_start(t, fn, arg), seL4_NoError)

/* ---- scheduling helpers for the root ------------------------------------------ */
/* Let every test thread above ROOT_SETTLE_PRIO run until it blocks. */
void settle(void);
/* Set the root's own priority. */
seL4_Error root_prio(seL4_Word prio);
/* Yield (at the root's current priority) until *flag != 0 or `ms` passed. */
bool wait_flag(volatile int *flag, unsigned ms);
/* Busy-wait. */
void delay_ms(unsigned ms);
/* TSC value `ms` milliseconds from now (uses test_tsc_mhz(), 2 GHz if 0). */
uint64_t tsc_after_ms(unsigned ms);

/* ---- inspection ---------------------------------------------------------------- */
seL4_Error thread_regs(struct thread *t, seL4_UserContext *ctx);
/* Is there a `syscall` instruction (0F 05) at `rip` in the image? */
bool syscall_insn_at(seL4_Word rip);
/* Frame cap slot (userImageFrames) of a page-aligned address in the image. */
seL4_CPtr image_frame_cap(const void *page);

/* ---- event log (order of events seen by several threads) ----------------- */
#define EVLOG_MAX 256
struct evlog {
    volatile int n;
    volatile int ev[EVLOG_MAX];
};
static inline void ev_add(struct evlog *l, int v)
{
    int i = __atomic_fetch_add(&l->n, 1, __ATOMIC_SEQ_CST);
    if (i < EVLOG_MAX)
        l->ev[i] = v;
}
/* "a b c" rendering of the log for failure messages (static buffer). */
const char *ev_str(const struct evlog *l);
/* Does the log hold exactly the n events in want[]? */
bool ev_equal(const struct evlog *l, const int *want, int n);

/* ---- messages --------------------------------------------------------------------- */
/* A recognisable value for message register i of message `seed`. */
static inline seL4_Word mr_pattern(seL4_Word seed, int i)
{
    return (seed * 0x9E3779B97F4A7C15UL) ^ ((seL4_Word)(i + 1) * 0x0101010100000001UL);
}
static inline seL4_MessageInfo_t msg_info(seL4_Word label, seL4_Word caps, seL4_Word len)
{
    return seL4_MessageInfo_new(label, 0, caps, len);
}
#define INFO_LABEL(i)     seL4_MessageInfo_get_label(i)
#define INFO_LEN(i)       seL4_MessageInfo_get_length(i)
#define INFO_CAPS(i)      seL4_MessageInfo_get_extraCaps(i)
#define INFO_UNWRAPPED(i) seL4_MessageInfo_get_capsUnwrapped(i)


/* ---- actors: a thread doing one kind of IPC operation ------------------------
 * actor_fn(struct actor *) performs `op` on `cap` `repeat` times (default 1)
 * and records what came back.  Sends carry `length` MRs (only the first 120
 * exist in the buffer; a larger length tests clipping) with values
 * mr_pattern(seed + k, i) for the k-th operation, `label` and `ncaps` extra
 * caps from caps[].  Receives store the message info, badge, all 120 MRs and
 * the three caps_or_badges words (set to ACTOR_CB_SENTINEL before). */
enum actor_op {
    OP_SEND, OP_NBSEND, OP_CALL, OP_RECV, OP_NBRECV, OP_WAIT, OP_POLL, OP_SIGNAL,
};
#define ACTOR_MAX_REPEAT 8
#define ACTOR_CB_SENTINEL 0xDEADBEEFUL

struct actor {
    /* what to do */
    int op;
    seL4_CPtr cap;
    seL4_Word label, length, ncaps;
    seL4_CPtr caps[3];
    seL4_Word seed;
    int repeat;
    bool recv_path;                 /* set the receive path first */
    seL4_CPtr rp_root;
    seL4_Word rp_index, rp_depth;
    struct evlog *log;              /* ev_add(log, id) after each operation */
    int id;
    /* what happened */
    volatile int entered;           /* operations started */
    volatile int completed;         /* operations finished */
    seL4_MessageInfo_t info;        /* of the last operation */
    seL4_Word badge;
    seL4_Word mr[seL4_MsgMaxLength];
    seL4_Word cb[seL4_MsgMaxExtraCaps];
    seL4_Word tail[4];              /* userData, receiveCNode/Index/Depth after
                                       the operation (the kernel never writes
                                       them, syscalls.md §6.1) */
    seL4_MessageInfo_t infos[ACTOR_MAX_REPEAT];
    seL4_Word badges[ACTOR_MAX_REPEAT];
    seL4_Word mr0s[ACTOR_MAX_REPEAT];
};

void actor_init(struct actor *a, int op, seL4_CPtr cap);
void actor_fn(void *arg);
/* actor_init + thread_spawn(actor_fn, a, prio). */
struct thread *actor_spawn(struct actor *a, int op, seL4_CPtr cap, seL4_Word prio);
#define SPAWN_ACTOR(v, a, op, cap, prio)                                     \
    struct thread *v = actor_spawn(a, op, cap, prio);                        \
    EXPECT(v != NULL, "thread: %s", thread_error())

/* The last message `a` received: label, length, badge and MRs 0..len-1 =
 * mr_pattern(seed, i).  PASS or a failure reason. */
test_result_t actor_check(const struct actor *a, seL4_Word label, seL4_Word len,
                          seL4_Word seed, seL4_Word badge, const char *file, int line);
#define CHECK(expr)                                                          \
    do {                                                                     \
        test_result_t c_ = (expr);                                           \
        if (c_ != PASS)                                                      \
            return c_;                                                       \
    } while (0)
#define EXPECT_MSG(a, label, len, seed, badge)                               \
    CHECK(actor_check(a, label, len, seed, badge, __FILE__, __LINE__))

/* First i < n with mr[i] != mr_pattern(seed, i), or -1. */
int pattern_mismatch(const seL4_Word *mr, seL4_Word seed, int n);

#define EXPECT_DONE(t)      EXPECT((t)->done, "%s did not finish", #t)
#define EXPECT_NOT_DONE(t)  EXPECT(!(t)->done, "%s finished, expected it to be stopped", #t)

/* The thread is stopped at a syscall instruction (blocked in or faulted at
 * a system call): ReadRegisters' rip points at 0F 05. */
#define EXPECT_AT_SYSCALL(t)                                                 \
    do {                                                                     \
        seL4_UserContext uc_;                                                \
        EXPECT_ERR(thread_regs(t, &uc_), seL4_NoError);                      \
        EXPECT(syscall_insn_at(uc_.rip), "%s: rip %#lx is not at a syscall", \
               #t, (unsigned long)uc_.rip);                                  \
    } while (0)

/* Thread-local probe initialised from .tdata (TLS tests). */
extern _Thread_local volatile seL4_Word tls_probe;
#define TLS_PROBE_INIT 0x7E57DA7A5EEDUL

#endif
