/*
 * Arca syscall fuzzer (root task): shared definitions.
 *
 * The root task (root.c) runs FUZZ_OPS operations driven by a seeded PRNG:
 * raw invocations with random and plausible arguments, structured object
 * creation, CSpace and VSpace manipulation, thread management, IPC and debug
 * calls. Child threads (child.c) run short random syscall loops of their own
 * in CSpaces that hold only objects the fuzzer created. See README.md.
 *
 * Safety model (what keeps the root task alive while everything else is
 * random; see root.c "sanitize"):
 *   - the root CNode is split into the *pool* (slots the fuzzer plays with),
 *     the *private* area (infrastructure: child TCBs, gates, the root's own
 *     endpoint and notification, private untypeds) and everything else (the
 *     boot caps: TCB, CNode, VSpace, image frames and paging structures, boot
 *     untypeds), which is protected;
 *   - every root invocation passes through sanitize(), which redirects
 *     indexes into the root CNode to pool slots, keeps protected caps out of
 *     roles in which they could be destroyed, unmapped, handed to a child or
 *     used to stop the root, and never lets the root block or fault;
 *   - no thread but the root and its watchdog runs in the root's VSpace:
 *     children get address spaces of their own (root.c child_vspace) and
 *     TCB Configure/SetSpace never receive the root's VSpace cap, so no
 *     thread can reach root memory whatever its registers; the one page the
 *     root shares with the children (struct shared) is never trusted;
 *   - in addition no random word falls inside the root image (filter_word).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sel4/sel4.h>
#include <sel4/arca.h>

/* ---- sizes and priorities ------------------------------------------------ */
#define ROOT_SLOTS      (1UL << CONFIG_ROOT_CNODE_SIZE_BITS)    /* 8192 */
#define ROOT_DEPTH      64
#define SLOT_MASK       (ROOT_SLOTS - 1)
#define PRIV_N          512         /* private slots */
#define POOL_N          1024        /* pool slots */

#define MAX_CHILDREN    8
#define CHILD_RADIX     6
#define CHILD_SLOTS     (1UL << CHILD_RADIX)
#define CHILD_STACK     16384
#define CHILD_TLS       4096
/* Each child slot has an address space of its own (root.c child_vspace):
 * the root image's read-only pages (shared frames, mapped read-only), the
 * shared page (struct shared) and, at CHILD_PRIV_VA, private frames for the
 * stack, the TLS block and the IPC buffer. No thread but the root and its
 * watchdog ever runs in the root's VSpace. */
#define CHILD_PRIV_VA   0x40000000UL
#define CHILD_TLS_OFF   CHILD_STACK
#define CHILD_IPC_OFF   (CHILD_STACK + CHILD_TLS)
#define CHILD_PRIV_PAGES ((CHILD_STACK + CHILD_TLS + 4096) / 4096)

#define ROOT_PRIO       255
#define WD_PRIO         254         /* the watchdog: above every child */
#define WD_PIN          2           /* IOAPIC pin of the PIT (ISA IRQ 0) */
#define WD_VECTOR       107         /* IRQ vector for it (irq 123) */
#define CHILD_PRIO_MIN  64
#define CHILD_PRIO_MAX  120

/* Private area layout (offsets from priv_lo). */
#define PRIV_UT0        0           /* private untypeds: 0..7 */
#define PRIV_UT_N       8
#define PRIV_EP         8           /* the root's endpoint (children get badged copies) */
#define PRIV_NTFN       9           /* the root's notification (children: write-only) */
#define PRIV_SCRATCH    10          /* scratch for free-bytes probes */
#define PRIV_WD_TCB     11          /* the watchdog thread (root.c) */
#define PRIV_WD_NTFN    12          /* its notification, signalled by the PIT */
#define PRIV_WD_IRQ     13          /* the PIT's IRQ handler */
#define PRIV_CHILD0     16          /* child i: tcb at 16 + 2i, gate at 17 + 2i */
#define PRIV_CVS0       64          /* child i's address space: PRIV_CVS0 + i * CVS_SLOTS */
#define CVS_SLOTS       56

/* Child CSpace layout (cptr k = slot k, guard 64 - CHILD_RADIX). */
#define CS_SELF_CNODE   1
#define CS_GATE         2
#define CS_SELF_TCB     3
#define CS_ROOT_EP      4
#define CS_ROOT_NTFN    5
#define CS_FAULT_EP     6
#define CS_FIRST_FREE   7

#define BADGE_NORMAL    0x100
#define BADGE_FAULT     0x200

/* ---- PRNG: xorshift64*, seeded through splitmix64 ------------------------ */
typedef struct { uint64_t s; } rng_t;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline void rng_seed(rng_t *r, uint64_t seed)
{
    uint64_t x = seed;
    r->s = splitmix64(&x);
    if (r->s == 0)
        r->s = 1;
}

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t rng_below(rng_t *r, uint64_t n)
{
    return n == 0 ? 0 : rng_next(r) % n;
}

static inline bool rng_pct(rng_t *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

static inline uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi)  /* inclusive */
{
    return lo + rng_below(r, hi - lo + 1);
}

/* ---- cap types (seL4_DebugCapIdentify) ------------------------------------ */
enum {
    CT_NULL = 0, CT_FRAME = 1, CT_UNTYPED = 2, CT_PT = 3, CT_EP = 4, CT_PD = 5,
    CT_NTFN = 6, CT_PDPT = 7, CT_REPLY = 8, CT_PML4 = 9, CT_CNODE = 10,
    CT_ASID_CONTROL = 11, CT_TCB = 12, CT_ASID_POOL = 13, CT_IRQ_CONTROL = 14,
    CT_IRQ_HANDLER = 16, CT_ZOMBIE = 18, CT_IO_PORT = 19, CT_DOMAIN = 20,
    CT_IO_PORT_CONTROL = 31,
    CT_ANY = 0xFF,
};
bool ctype_known(seL4_Word t);
const char *ctype_name(seL4_Word t);

/* ---- invocation labels, configuration Q (invocations.md §1.1) ------------ */
enum {
    L_RETYPE = 1,
    L_TCB_READ = 2, L_TCB_WRITE, L_TCB_COPY, L_TCB_CONFIGURE, L_TCB_SETPRIO,
    L_TCB_SETMCP, L_TCB_SCHED, L_TCB_SETIPCBUF, L_TCB_SETSPACE, L_TCB_SUSPEND,
    L_TCB_RESUME, L_TCB_BIND, L_TCB_UNBIND, L_TCB_TLS, L_TCB_FLAGS = 16,
    L_CN_REVOKE = 17, L_CN_DELETE, L_CN_CANCEL, L_CN_COPY, L_CN_MINT, L_CN_MOVE,
    L_CN_MUTATE, L_CN_ROTATE, L_CN_SAVECALLER = 25,
    L_IRQ_GET = 26, L_IRQ_ACK, L_IRQ_SETNTFN, L_IRQ_CLEAR = 29,
    L_DOM_SET = 30, L_DOM_CONF, L_DOM_START = 32,
    L_PDPT_MAP = 33, L_PDPT_UNMAP, L_PD_MAP, L_PD_UNMAP, L_PT_MAP, L_PT_UNMAP = 38,
    L_PAGE_MAP = 39, L_PAGE_UNMAP, L_PAGE_ADDR = 41,
    L_ASID_MAKEPOOL = 42, L_ASID_ASSIGN = 43,
    L_IOP_ISSUE = 44, L_IOP_IN8, L_IOP_IN16, L_IOP_IN32, L_IOP_OUT8, L_IOP_OUT16,
    L_IOP_OUT32 = 50,
    L_IRQ_IOAPIC = 51, L_IRQ_MSI = 52,
    L_COUNT = 53,
};

/* ---- one system call ------------------------------------------------------ */
enum {
    S_CALL, S_SEND, S_NBSEND, S_REPLY, S_RECV, S_NBRECV, S_REPLYRECV, S_YIELD,
    S_RAW,          /* arca_syscall_raw with inv.sysno */
    S_COUNT,
};
const char *sys_name(unsigned s);

#define INV_MRS 120

struct inv {
    seL4_Word cptr;
    seL4_Word label;
    seL4_Word caps[3];
    seL4_Word mr[INV_MRS];
    seL4_Word sysno;            /* S_RAW only */
    uint8_t sys;
    uint8_t len;                /* 0..127 (the length field has 7 bits) */
    uint8_t ncaps;              /* 0..3 */
    uint8_t ctype;              /* invoked cap type when known, else CT_ANY */
    bool trusted;               /* root infrastructure: not sanitized */
    /* results */
    seL4_Word r_info, r_badge, r_mr[4];
};

/* Performs the system call described by v in the calling thread. */
void inv_exec(struct inv *v);

static inline seL4_Word r_label(const struct inv *v)
{
    return v->r_info >> 12;
}

static inline seL4_Word r_len(const struct inv *v)
{
    return v->r_info & 0x7F;
}

/* ---- generation (gen.c) ------------------------------------------------------ */
struct gctx {
    rng_t *r;
    /* Picks a cptr holding a cap of `type` (CT_ANY: any plausible cptr). */
    seL4_Word (*pick)(struct gctx *g, unsigned type);
    /* A plausible slot index (for CNode operations). */
    seL4_Word (*slot)(struct gctx *g);
};

/* Never produced as a random word: the root image and the pages the kernel
 * maps after it (link-time constants, so usable in any address space). */
extern char __executable_start[], _end[];
#define FZ_IMAGE_LO     ((uintptr_t)__executable_start)
#define FZ_IMAGE_HI     (((uintptr_t)_end + 0x100000) & ~0xFFFUL)

seL4_Word filter_word(seL4_Word v);
seL4_Word gen_word(struct gctx *g);
seL4_Word gen_vaddr(rng_t *r);
seL4_Word gen_depth(struct gctx *g);
seL4_Word gen_label_for(rng_t *r, unsigned type);
/* A random invocation of the cap at `cptr` whose type is `type`. */
void gen_invocation(struct gctx *g, struct inv *v, seL4_Word cptr, unsigned type);
/* Size bits that make sense for an object type (sometimes not). */
seL4_Word gen_obj_size(rng_t *r, seL4_Word type);

/* ---- children (child.c) ------------------------------------------------------ */
struct child_op_rec {
    uint32_t n;
    uint8_t sys;
    uint8_t cptr;
    uint16_t label;
    uint16_t result;
};

#define CHILD_RING 8

/* What a child writes: its counters and last operations. The root reads
 * them for statistics only (children can scribble here). */
struct child_pub {
    volatile uint64_t ops;
    volatile uint64_t epochs;
    volatile uint32_t phase;        /* 0 running, 1 waiting at its gate */
    volatile uint32_t ring_pos;
    struct child_op_rec ring[CHILD_RING];
};

/* The one page of root memory that the children map (read-write). */
struct shared {
    volatile long budget;           /* operations left in this share */
    struct child_pub pub[MAX_CHILDREN];
} __attribute__((aligned(4096)));
extern struct shared SH;

/* Entry of a child (rdi, rsi, rdx): its counters, its seed, CHILD_PRIV_VA. */
void child_main(struct child_pub *c, uint64_t seed, uintptr_t priv);

/* ---- output (root only) -------------------------------------------------- */
void out_str(const char *s);
void out_hex(seL4_Word v);
void out_dec(seL4_Word v);
void out_char(char c);

/* ---- coverage (root only, coverage.c) ------------------------------------ */
/* Calls through a cptr beyond the root CNode: the type is not identified. */
#define COV_TYPE_UNRESOLVED 32
void cov_call(unsigned ctype, seL4_Word label, seL4_Word err);
void cov_fault(seL4_Word label);
void cov_print(void);

#endif
