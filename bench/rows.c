/*
 * The benchmark rows.  Every row runs WARMUP + SAMPLES (+1) iterations and
 * reports the last SAMPLES; see bench.h for the method.
 *
 * Threads that time a system call record bench_op.t0/t1 into ts_a0..ts_b1
 * (static data: shared by every thread, also in the second address space,
 * which maps the same image frames).  The root task starts the threads,
 * drops to SETTLE_PRIO until they have all blocked or stopped, and then
 * works out the samples.
 */
#include <stdio.h>
#include <string.h>
#include <arca/runtime.h>
#include "bench.h"

/* The second address space for the cross-AS rows (made once). */
static struct vspace other;
static bool have_other;
static char why[200];

#define MSG(label, caps, len)   seL4_MessageInfo_new(label, 0, caps, len)

static seL4_Word err_of(const struct bench_op *op)
{
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){ { op->rsi } });
}

static void clear_ts(void)
{
    memset(ts_a0, 0, sizeof(ts_a0));
    memset(ts_a1, 0, sizeof(ts_a1));
    memset(ts_b0, 0, sizeof(ts_b0));
    memset(ts_b1, 0, sizeof(ts_b1));
}

/* A thread or fail the row. */
#define START(var, vs, fn, arg, prio)                                        \
    struct bthread *var = thread_start(vs, fn, arg, prio);                   \
    if (var == NULL) {                                                       \
        snprintf(why, sizeof(why), "thread: %s", env_error());               \
        goto fail;                                                           \
    }

#define NEW(var, type)                                                       \
    seL4_CPtr var = obj_new(type, 0);                                        \
    if (var == 0) {                                                          \
        snprintf(why, sizeof(why), "%s", env_error());                       \
        goto fail;                                                           \
    }

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            snprintf(why, sizeof(why), __VA_ARGS__);                         \
            goto fail;                                                       \
        }                                                                    \
    } while (0)

/* ---- overhead ------------------------------------------------------------------ */

void measure_overhead(void)
{
    struct bench_op op;
    memset(&op, 0, sizeof(op));
    for (int i = 0; i < ITERS; i++) {
        bench_nop(&op);
        if (i >= WARMUP && i < WARMUP + SAMPLES)
            deltas[i - WARMUP] = op.t1 - op.t0;
    }
    overhead = (uint64_t)-1;
    for (int i = 0; i < SAMPLES; i++) {
        if (deltas[i] < overhead)
            overhead = deltas[i];
    }
    report("overhead", 0);
}

/* ---- Call / ReplyRecv ----------------------------------------------------------- */

struct ipc_args {
    seL4_CPtr ep;
    seL4_Word words;
};
static struct ipc_args ipc_args;

static void set_mrs(struct bench_op *op, seL4_Word v)
{
    for (int k = 0; k < 4; k++)
        op->mr[k] = v + (seL4_Word)k;
}

/* Client: Call ITERS times; a0 = before Call i, a1 = after it returned. */
static void ipc_client(void *p)
{
    const struct ipc_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysCall, a->ep, MSG(0, 0, a->words));
        set_mrs(&op, (seL4_Word)i);
        bench_sys(&op);
        ts_a0[i] = op.t0;
        ts_a1[i] = op.t1;
    }
}

/* Server: Recv, then ReplyRecv for ever; b1 = after receiving call i,
 * b0 = before the ReplyRecv that answers call i. */
static void ipc_server(void *p)
{
    const struct ipc_args *a = p;
    struct bench_op op;
    op_set(&op, seL4_SysRecv, a->ep, MSG(0, 0, 0));
    set_mrs(&op, 0);
    bench_sys(&op);
    for (int i = 0;; i++) {
        if (i < ITERS)
            ts_b1[i] = op.t1;
        if (i > 0 && i <= ITERS)
            ts_b0[i - 1] = op.t0;
        op_set(&op, seL4_SysReplyRecv, a->ep, MSG(0, 0, a->words));
        set_mrs(&op, 1000);
        bench_sys(&op);
    }
}

/* Rows ipc_call_SUFFIX, ipc_replyrecv_SUFFIX and ipc_rt_SUFFIX. */
static void row_call_replyrecv(bool cross, seL4_Word words, const char *suffix)
{
    char n_call[64], n_rr[64], n_rt[64];
    snprintf(n_call, sizeof(n_call), "ipc_call_%s", suffix);
    snprintf(n_rr, sizeof(n_rr), "ipc_replyrecv_%s", suffix);
    snprintf(n_rt, sizeof(n_rt), "ipc_rt_%s", suffix);
    clear_ts();
    REQUIRE(!cross || have_other, "no second address space");
    NEW(ep, seL4_EndpointObject);
    ipc_args.ep = ep;
    ipc_args.words = words;
    /* 254/254 as in sel4bench; the server starts first and waits. */
    START(server, cross ? &other : NULL, ipc_server, &ipc_args, 254);
    START(client, NULL, ipc_client, &ipc_args, 254);
    (void)server;
    settle();
    REQUIRE(client->done, "the client did not finish");
    threads_reap();
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_b1[WARMUP + k] - ts_a0[WARMUP + k];
    report(n_call, overhead);
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_a1[WARMUP + k] - ts_b0[WARMUP + k];
    report(n_rr, overhead);
    for (int k = 0; k < SAMPLES; k++) {
        int i = WARMUP + k;
        deltas[k] = (ts_b1[i] - ts_a0[i]) + (ts_a1[i] - ts_b0[i]);
    }
    report(n_rt, 2 * overhead);
    return;
fail:
    threads_reap();
    report_fail(n_call, why);
    report_fail(n_rr, why);
    report_fail(n_rt, why);
}

/* ---- Send -> Recv, Signal -> Wait ------------------------------------------- */

struct oneway_args {
    seL4_CPtr cap;
    seL4_MessageInfo_t info;
};
static struct oneway_args ow_args;

/* Sender: a0 = before Send i. */
static void ow_sender(void *p)
{
    const struct oneway_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysSend, a->cap, a->info);
        set_mrs(&op, (seL4_Word)i);
        bench_sys(&op);
        ts_a0[i] = op.t0;
    }
}

/* Receiver (Recv on an endpoint, or Wait on a notification): b1 = after
 * receive i returned.  Receives for ever. */
static void ow_receiver(void *p)
{
    const struct oneway_args *a = p;
    struct bench_op op;
    for (int i = 0;; i++) {
        op_set(&op, seL4_SysRecv, a->cap, MSG(0, 0, 0));
        set_mrs(&op, 0);
        bench_sys(&op);
        if (i < ITERS)
            ts_b1[i] = op.t1;
    }
}

/* The receiver at 254 waits; the sender at 253 sends to it, and the
 * higher-priority receiver runs at once. */
static void row_oneway(const char *name, bool cross, seL4_Word type, seL4_MessageInfo_t info)
{
    clear_ts();
    REQUIRE(!cross || have_other, "no second address space");
    NEW(cap, type);
    ow_args.cap = cap;
    ow_args.info = info;
    START(recv, cross ? &other : NULL, ow_receiver, &ow_args, 254);
    START(send, NULL, ow_sender, &ow_args, 253);
    (void)recv;
    settle();
    REQUIRE(send->done, "the sender did not finish");
    threads_reap();
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_b1[WARMUP + k] - ts_a0[WARMUP + k];
    report(name, overhead);
    return;
fail:
    threads_reap();
    report_fail(name, why);
}

/* ---- Signal to a lower-priority waiter ----------------------------------------- */

struct siglow_args {
    seL4_CPtr ntfn, back;
    volatile int stop;
};
static struct siglow_args sl_args;

/* 254: Signal the waiter (timed, a0/a1), then wait until it is back in
 * Wait (the helper below tells). */
static void sl_high(void *p)
{
    struct siglow_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysSend, a->ntfn, MSG(0, 0, 1));
        set_mrs(&op, 0);
        bench_sys(&op);
        ts_a0[i] = op.t0;
        ts_a1[i] = op.t1;
        seL4_Wait(a->back, NULL);
    }
    a->stop = 1;
}

/* 253: the waiter. */
static void sl_low(void *p)
{
    struct siglow_args *a = p;
    for (;;)
        seL4_Wait(a->ntfn, NULL);
}

/* 252: runs only once both are blocked, and wakes the high thread. */
static void sl_helper(void *p)
{
    struct siglow_args *a = p;
    while (!a->stop)
        seL4_Signal(a->back);
}

static void row_signal_lower(void)
{
    const char *name = "signal_lower";
    clear_ts();
    NEW(ntfn, seL4_NotificationObject);
    NEW(back, seL4_NotificationObject);
    sl_args.ntfn = ntfn;
    sl_args.back = back;
    sl_args.stop = 0;
    START(high, NULL, sl_high, &sl_args, 254);
    START(low, NULL, sl_low, &sl_args, 253);
    START(helper, NULL, sl_helper, &sl_args, 252);
    (void)low;
    settle();
    REQUIRE(high->done && helper->done, "the threads did not finish");
    threads_reap();
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_a1[WARMUP + k] - ts_a0[WARMUP + k];
    report(name, overhead);
    return;
fail:
    threads_reap();
    report_fail(name, why);
}

/* ---- Yield ------------------------------------------------------------------------ */

/* Two threads at one priority yield to each other: a = first, b = second.
 * Thread a's Yield i returns right after b's Yield i. */
static void yielder(void *p)
{
    uint64_t *t0 = p == NULL ? ts_a0 : ts_b0, *t1 = p == NULL ? ts_a1 : ts_b1;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysYield, 0, MSG(0, 0, 0));
        bench_sys(&op);
        t0[i] = op.t0;
        t1[i] = op.t1;
    }
}

static void row_yield_equal(void)
{
    const char *name = "yield_equal_prio";
    clear_ts();
    START(a, NULL, yielder, NULL, 254);
    START(b, NULL, yielder, (void *)1, 254);
    settle();
    REQUIRE(a->done && b->done, "the threads did not finish");
    threads_reap();
    /*
     * Which thread runs first depends on queue order (a thread resumed by a
     * higher-priority one goes to the head of its queue), so pair each of
     * b's Yields with the first return of a's Yield after it instead of
     * relying on the iteration numbers lining up.
     */
    int j = 0;
    for (int k = 0; k < SAMPLES; k++) {
        uint64_t start = ts_b0[WARMUP + k];
        while (j < ITERS && ts_a1[j] <= start)
            j++;
        REQUIRE(j < ITERS, "no Yield of thread a returned after one of b");
        deltas[k] = ts_a1[j] - start;
    }
    report(name, overhead);
    return;
fail:
    threads_reap();
    report_fail(name, why);
}

/* The root task alone at its priority (nothing else exists). */
static void row_yield_none(void)
{
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysYield, 0, MSG(0, 0, 0));
        bench_sys(&op);
        if (i >= WARMUP && i < WARMUP + SAMPLES)
            deltas[i - WARMUP] = op.t1 - op.t0;
    }
    report("yield_none_ready", overhead);
}

/* ---- SetPriority ------------------------------------------------------------------ */

struct prio_args {
    struct bthread *a;
    volatile seL4_Word err;
};
static struct prio_args pr_args;

/* One TCB_SetPriority (authority: the root TCB, MCP 255). */
static void prio_op(struct bench_op *op, seL4_CPtr tcb, seL4_Word prio)
{
    seL4_SetCap(0, seL4_CapInitThreadTCB);
    op_set(op, seL4_SysCall, tcb, MSG(TCBSetPriority, 1, 1));
    set_mrs(op, 0);
    op->mr[0] = prio;
    bench_sys(op);
    if (err_of(op) != 0)
        pr_args.err = err_of(op);
}

/* A at 200: lowers itself to 100, below B, which runs. */
static void prio_a(void *p)
{
    struct prio_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        prio_op(&op, a->a->tcb, 100);
        ts_a0[i] = op.t0;
        ts_a1[i] = op.t1;
    }
}

/* B at 150: raises A back to 200, and A runs. */
static void prio_b(void *p)
{
    struct prio_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        prio_op(&op, a->a->tcb, 200);
        ts_b0[i] = op.t0;
        ts_b1[i] = op.t1;
    }
}

static void row_setprio(void)
{
    const char *name = "setprio_self_resched";
    clear_ts();
    pr_args.err = 0;
    pr_args.a = NULL;
    /* Nothing runs before settle(): then A (200) goes first. */
    START(b, NULL, prio_b, &pr_args, 150);
    START(a, NULL, prio_a, &pr_args, 200);
    pr_args.a = a;
    settle();
    REQUIRE(pr_args.err == 0, "TCB_SetPriority: error %lu", (unsigned long)pr_args.err);
    REQUIRE(a->done && b->done, "the threads did not finish");
    threads_reap();
    /* A's SetPriority i+1 switches to B, whose SetPriority i returns. */
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_b1[WARMUP + k] - ts_a0[WARMUP + k + 1];
    report(name, overhead);
    /* B's SetPriority i raises A above it; A's SetPriority i returns. */
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_a1[WARMUP + k] - ts_b0[WARMUP + k];
    report("setprio_other_resched", overhead);
    return;
fail:
    threads_reap();
    report_fail(name, why);
    report_fail("setprio_other_resched", why);
}

/* ---- Retype / Delete, Map / Remap / Unmap --------------------------------------- */

static void row_retype_delete(void)
{
    const char *n_ret = "untyped_retype_tcb", *n_del = "cnode_delete_tcb";
    clear_ts();
    /* An untyped of exactly one TCB: each Retype resets (and zeroes) it. */
    seL4_CPtr ut = obj_new(seL4_UntypedObject, seL4_TCBBits);
    REQUIRE(ut != 0, "%s", env_error());
    seL4_CPtr slot = slot_new();
    REQUIRE(slot != 0, "%s", env_error());
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        seL4_SetCap(0, seL4_CapInitThreadCNode);
        seL4_SetMR(4, slot);        /* node_offset */
        seL4_SetMR(5, 1);           /* num_objects */
        op_set(&op, seL4_SysCall, ut, MSG(UntypedRetype, 1, 6));
        op.mr[0] = seL4_TCBObject;
        op.mr[1] = 0;
        op.mr[2] = 0;               /* node_index, depth 0: the root CNode itself */
        op.mr[3] = 0;
        bench_sys(&op);
        REQUIRE(err_of(&op) == 0, "Retype %d: error %lu", i, (unsigned long)err_of(&op));
        ts_a0[i] = op.t0;
        ts_a1[i] = op.t1;
        op_set(&op, seL4_SysCall, seL4_CapInitThreadCNode, MSG(CNodeDelete, 0, 2));
        set_mrs(&op, 0);
        op.mr[0] = slot;
        op.mr[1] = ROOT_DEPTH;
        bench_sys(&op);
        REQUIRE(err_of(&op) == 0, "Delete %d: error %lu", i, (unsigned long)err_of(&op));
        ts_b0[i] = op.t0;
        ts_b1[i] = op.t1;
    }
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_a1[WARMUP + k] - ts_a0[WARMUP + k];
    report(n_ret, overhead);
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_b1[WARMUP + k] - ts_b0[WARMUP + k];
    report(n_del, overhead);
    return;
fail:
    report_fail(n_ret, why);
    report_fail(n_del, why);
}

#define MAP_VA  (1UL << 39)         /* PML4 entry 1: nothing of the root task there */

static void page_op(struct bench_op *op, seL4_CPtr frame, seL4_Word label, seL4_CapRights_t r)
{
    set_mrs(op, 0);
    if (label == X86PageMap) {
        seL4_SetCap(0, seL4_CapInitThreadVSpace);
        op_set(op, seL4_SysCall, frame, MSG(X86PageMap, 1, 3));
        op->mr[0] = MAP_VA;
        op->mr[1] = r.words[0];
        op->mr[2] = seL4_X86_Default_VMAttributes;
    } else {
        op_set(op, seL4_SysCall, frame, MSG(X86PageUnmap, 0, 0));
    }
    bench_sys(op);
}

static void row_map_unmap(void)
{
    const char *n_map = "page_map_4k", *n_remap = "page_remap_4k", *n_unmap = "page_unmap_4k";
    static uint64_t remap[ITERS];
    clear_ts();
    struct vspace root;
    vs_root(&root);
    REQUIRE(vs_tables(&root, MAP_VA), "%s", env_error());
    NEW(frame, seL4_X86_4K);
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        page_op(&op, frame, X86PageMap, seL4_ReadWrite);
        REQUIRE(err_of(&op) == 0, "Map %d: error %lu", i, (unsigned long)err_of(&op));
        ts_a0[i] = op.t0;
        ts_a1[i] = op.t1;
        *(volatile seL4_Word *)MAP_VA = (seL4_Word)i;      /* the mapping works */
        page_op(&op, frame, X86PageMap, seL4_CanRead);
        REQUIRE(err_of(&op) == 0, "remap %d: error %lu", i, (unsigned long)err_of(&op));
        remap[i] = op.t1 - op.t0;
        REQUIRE(*(volatile seL4_Word *)MAP_VA == (seL4_Word)i, "page contents lost");
        page_op(&op, frame, X86PageUnmap, seL4_NoRights);
        REQUIRE(err_of(&op) == 0, "Unmap %d: error %lu", i, (unsigned long)err_of(&op));
        ts_b0[i] = op.t0;
        ts_b1[i] = op.t1;
    }
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_a1[WARMUP + k] - ts_a0[WARMUP + k];
    report(n_map, overhead);
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = remap[WARMUP + k];
    report(n_remap, overhead);
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = ts_b1[WARMUP + k] - ts_b0[WARMUP + k];
    report(n_unmap, overhead);
    return;
fail:
    report_fail(n_map, why);
    report_fail(n_remap, why);
    report_fail(n_unmap, why);
}

/* ---- device interrupt ------------------------------------------------------------------ */

/*
 * The RTC (CMOS ports 0x70/0x71, ISA IRQ 8 on IOAPIC pin 8) interrupts
 * periodically at 8192 Hz; QEMU runs it on the virtual clock (-rtc
 * clock=vm, tools/bench.py), so with icount the interrupts come at the
 * same instructions every run.  A spinner at low priority keeps storing the
 * counter; the handler thread, blocked in Wait on the IRQ's notification,
 * reads it right after it wakes.  The sample is the handler's read minus
 * the spinner's last stored read, which was 1-4 instructions before the
 * interrupt (no overhead subtracted).
 */
#define RTC_PERIOD_RATE 3           /* 32768 >> (3 - 1) = 8192 Hz */
#define RTC_IRQ_PIN     8
#define RTC_VECTOR      8           /* seL4 IRQ 24 */
#define SPIN_LIMIT      150000000UL /* loops (4 instructions): the watchdog */

struct irq_args {
    seL4_CPtr port, handler, ntfn;
    volatile uint32_t last;
    volatile uint64_t count;
    volatile seL4_Word err;
};
static struct irq_args irq_args;

static seL4_Word cmos_read(seL4_CPtr port, seL4_Word reg)
{
    if (seL4_X86_IOPort_Out8(port, 0x70, reg) != seL4_NoError)
        return (seL4_Word)-1;
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(port, 0x71);
    return r.error != seL4_NoError ? (seL4_Word)-1 : r.result;
}

static bool cmos_write(seL4_CPtr port, seL4_Word reg, seL4_Word v)
{
    return seL4_X86_IOPort_Out8(port, 0x70, reg) == seL4_NoError &&
           seL4_X86_IOPort_Out8(port, 0x71, v) == seL4_NoError;
}

static void irq_spinner(void *p)
{
    struct irq_args *a = p;
    bench_spin(&a->last, &a->count);
}

static void irq_handler_thread(void *p)
{
    struct irq_args *a = p;
    struct bench_op op;
    for (int i = 0; i < ITERS; i++) {
        op_set(&op, seL4_SysRecv, a->ntfn, MSG(0, 0, 0));
        set_mrs(&op, 0);
        bench_sys(&op);
        ts_b1[i] = op.t1;
        ts_a0[i] = a->last;
        /* Reading register C clears the flags and lowers the line. */
        if (cmos_read(a->port, 0x0C) == (seL4_Word)-1 ||
            seL4_IRQHandler_Ack(a->handler) != seL4_NoError) {
            a->err = 1;
            break;
        }
    }
    a->count = 1;                   /* stop the spinner */
}

static void row_irq(void)
{
    const char *name = "irq_rtc_to_user";
    clear_ts();
    memset((void *)&irq_args, 0, sizeof(irq_args));
    seL4_CPtr port = slot_new(), handler = slot_new();
    REQUIRE(port != 0 && handler != 0, "%s", env_error());
    seL4_Error e = seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x70, 0x71,
                                                seL4_CapInitThreadCNode, port, ROOT_DEPTH);
    REQUIRE(e == seL4_NoError, "IOPortControl_Issue: error %d", (int)e);
    e = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, handler,
                                  ROOT_DEPTH, 0, RTC_IRQ_PIN, 0, 0, RTC_VECTOR);
    REQUIRE(e == seL4_NoError, "IRQControl_GetIOAPIC: error %d", (int)e);
    NEW(ntfn, seL4_NotificationObject);
    e = seL4_IRQHandler_SetNotification(handler, ntfn);
    REQUIRE(e == seL4_NoError, "IRQHandler_SetNotification: error %d", (int)e);
    irq_args.port = port;
    irq_args.handler = handler;
    irq_args.ntfn = ntfn;
    irq_args.count = SPIN_LIMIT;

    /* Rate, then the periodic interrupt on; clear anything pending. */
    seL4_Word ra = cmos_read(port, 0x0A), rb = cmos_read(port, 0x0B);
    REQUIRE(ra != (seL4_Word)-1 && rb != (seL4_Word)-1, "CMOS read failed");
    REQUIRE(cmos_write(port, 0x0A, (ra & 0xF0) | RTC_PERIOD_RATE), "CMOS write failed");
    (void)cmos_read(port, 0x0C);
    (void)seL4_IRQHandler_Ack(handler);
    START(h, NULL, irq_handler_thread, &irq_args, 200);
    START(s, NULL, irq_spinner, &irq_args, 10);
    (void)s;
    REQUIRE(cmos_write(port, 0x0B, (rb & ~0x70UL) | 0x40), "CMOS write failed");
    settle();
    (void)cmos_write(port, 0x0B, rb & ~0x70UL);
    (void)cmos_read(port, 0x0C);
    bool done = h->done;
    threads_reap();
    (void)slot_delete(handler);
    if (!done) {
        report_null(name, "no RTC interrupt reached the handler");
        return;
    }
    REQUIRE(irq_args.err == 0, "CMOS or IRQHandler_Ack failed in the handler");
    for (int k = 0; k < SAMPLES; k++)
        deltas[k] = (uint32_t)((uint32_t)ts_b1[WARMUP + k] - (uint32_t)ts_a0[WARMUP + k]);
    report(name, 0);
    return;
fail:
    threads_reap();
    report_fail(name, why);
}

/* ---- all rows ------------------------------------------------------------------------ */

void run_all_rows(void)
{
    have_other = vs_new_with_image(&other);
    if (!have_other)
        printf("bench: note: second address space: %s\n", env_error());

    /* Call + ReplyRecv: 0 and 4 words in registers (fastpath when enabled),
     * 10 words (always the slow path). */
    row_call_replyrecv(true, 0, "cross_as");
#ifdef BENCH_PROFILE_ROUND_TRIP
    return;             /* a profiling build measures only the first row */
#endif
    row_call_replyrecv(false, 0, "same_as");
    row_call_replyrecv(true, 4, "cross_as_4w");
    row_call_replyrecv(false, 4, "same_as_4w");
    row_call_replyrecv(true, 10, "cross_as_10w");

    row_oneway("ipc_send_cross_as", true, seL4_EndpointObject, MSG(0, 0, 0));
    row_oneway("ipc_send_same_as", false, seL4_EndpointObject, MSG(0, 0, 0));
    row_oneway("signal_wake_higher", false, seL4_NotificationObject, MSG(0, 0, 1));
    row_oneway("signal_wake_higher_cross_as", true, seL4_NotificationObject, MSG(0, 0, 1));
    row_signal_lower();
    row_yield_equal();
    row_yield_none();
    row_setprio();
    row_retype_delete();
    row_map_unmap();
    row_irq();
}
