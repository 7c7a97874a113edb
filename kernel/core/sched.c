/*
 * Scheduler: fixed priorities 0..255, round-robin within a priority.
 *
 * Runnable threads other than the current one sit in per-priority FIFO
 * queues; a two-level bitmap of non-empty queues makes the choice of the
 * highest priority constant time. The current thread is not in a queue while
 * it runs: it is put back at the tail when its slice ends or it yields, or
 * at the head when it is preempted by a higher-priority thread.
 */
#include "sched.h"
#include "arch.h"
#include "config.h"
#include "panic.h"
#include "printf.h"
#include "plat.h"
#include "kstring.h"
#include "invariants.h"

tcb_t *cur_thread;
tcb_t idle_thread ALIGNED(1024);

struct ready_queue {
    tcb_t *head;
    tcb_t *tail;
};

/*
 * One set of queues per scheduling domain; only the current domain's
 * threads run (objects.md §8). With one domain (configuration Q) this is a
 * single set.
 */
static struct ready_queue ready[CONFIG_NUM_DOMAINS][NUM_PRIORITIES];
static uint64_t bitmap_top[CONFIG_NUM_DOMAINS];    /* bit i: some queue in word i */
static uint64_t bitmap[CONFIG_NUM_DOMAINS][NUM_PRIORITIES / 64];
unsigned sched_cur_domain;
static tcb_t *chosen;                        /* thread to run at kernel exit */
static uint64_t ticks;
static uint8_t idle_stack[4096] ALIGNED(16);

/* A thread's set of queues; a constant with one domain (configuration Q). */
static inline unsigned queue_domain(const tcb_t *t)
{
    return CONFIG_NUM_DOMAINS == 1 ? 0 : t->domain;
}

static void bitmap_set(unsigned dom, unsigned prio)
{
    bitmap[dom][prio / 64] |= BIT(prio % 64);
    bitmap_top[dom] |= BIT(prio / 64);
}

static void bitmap_clear(unsigned dom, unsigned prio)
{
    bitmap[dom][prio / 64] &= ~BIT(prio % 64);
    if (bitmap[dom][prio / 64] == 0)
        bitmap_top[dom] &= ~BIT(prio / 64);
}

int sched_highest_ready_priority(void)
{
    unsigned dom = CONFIG_NUM_DOMAINS == 1 ? 0 : sched_cur_domain;
    if (bitmap_top[dom] == 0)
        return -1;
    unsigned word = 63 - (unsigned)__builtin_clzl(bitmap_top[dom]);
    return (int)(word * 64 + 63 - (unsigned)__builtin_clzl(bitmap[dom][word]));
}

void sched_init(void)
{
    thread_set_name(&idle_thread, "idle");
    arch_init_idle_context(&idle_thread.ctx, (word_t)(idle_stack + sizeof(idle_stack)));
    idle_thread.state = THREAD_IDLE;
    cur_thread = &idle_thread;
    chosen = NULL;
}

static void ready_append(tcb_t *t)
{
    if (t->queued)
        return;
    struct ready_queue *q = &ready[queue_domain(t)][t->priority];
    t->sched_next = NULL;
    t->sched_prev = q->tail;
    if (q->tail != NULL)
        q->tail->sched_next = t;
    else
        q->head = t;
    q->tail = t;
    t->queued = true;
    bitmap_set(queue_domain(t), t->priority);
}

static void sched_enqueue_head(tcb_t *t)
{
    if (t->queued)
        return;
    struct ready_queue *q = &ready[queue_domain(t)][t->priority];
    t->sched_prev = NULL;
    t->sched_next = q->head;
    if (q->head != NULL)
        q->head->sched_prev = t;
    else
        q->tail = t;
    q->head = t;
    t->queued = true;
    bitmap_set(queue_domain(t), t->priority);
}

static void reschedule_required(void);

/*
 * For code outside the scheduler that makes a thread ready directly
 * (cancelled IPC, the root task at boot): the choice at kernel exit must
 * then look at the queues again, since the thread may outrank the current
 * one.
 */
void sched_enqueue(tcb_t *t)
{
    ready_append(t);
    reschedule_required();
}

void sched_dequeue(tcb_t *t)
{
    if (!t->queued)
        return;
    struct ready_queue *q = &ready[queue_domain(t)][t->priority];
    if (t->sched_prev != NULL)
        t->sched_prev->sched_next = t->sched_next;
    else
        q->head = t->sched_next;
    if (t->sched_next != NULL)
        t->sched_next->sched_prev = t->sched_prev;
    else
        q->tail = t->sched_prev;
    t->sched_next = t->sched_prev = NULL;
    t->queued = false;
    if (q->head == NULL)
        bitmap_clear(queue_domain(t), t->priority);
}

/* The current thread may simply go on running (if nothing better is ready). */
static inline bool cur_can_continue(const tcb_t *cur)
{
    return cur != &idle_thread && thread_is_runnable(cur) && !cur->queued &&
           cur->domain == sched_cur_domain;
}

/*
 * Decides who runs at the next kernel exit. Lazy: threads that blocked are
 * simply skipped here (they are dequeued when found not runnable).
 */
void sched_choose(void)
{
    tcb_t *cur = cur_thread;
    /* A current thread that put itself back in a queue competes from there. */
    bool cur_ok = cur_can_continue(cur);

    for (;;) {
        int prio = sched_highest_ready_priority();
        if (prio < 0 || (cur_ok && prio <= cur->priority)) {
            chosen = cur_ok ? cur : &idle_thread;
            return;
        }
        tcb_t *t = ready[sched_cur_domain][prio].head;
        sched_dequeue(t);
        if (!thread_is_runnable(t))
            continue;
        /* A preempted current thread keeps its place at the head. */
        if (cur_ok)
            sched_enqueue_head(cur);
        chosen = t;
        return;
    }
}

/*
 * seL4's scheduler actions. A thread woken during a kernel entry becomes
 * the *candidate* to switch to directly (possibleSwitchTo); if a second
 * wake-up or a reschedule happens in the same entry, everything goes
 * through the ready queues instead (rescheduleRequired). The decision is
 * made at kernel exit (sched_exit_kernel), as in seL4's schedule().
 */
static tcb_t *candidate;
static bool choose_new;

static void reschedule_required(void)
{
    if (candidate != NULL) {
        sched_enqueue_head(candidate);
        candidate = NULL;
    }
    choose_new = true;
}

/* Debug option (kernel command line halt_when_idle=N), 0 = never. */
uint64_t sched_idle_exit_ticks;
static uint64_t idle_ticks;

static void idle_tick(void)
{
    idle_ticks++;
    if (sched_idle_exit_ticks != 0 && idle_ticks >= sched_idle_exit_ticks) {
        kprintf("arca: idle for %lu ticks with no runnable thread (%lu ticks since boot); "
                "stopping\n", idle_ticks, ticks);
        arch_machine_exit(EXIT_IDLE);
    }
}

void sched_tick(void)
{
    ticks++;
    if (domain_tick())
        sched_domain_changed();         /* the domain's time is up */
    tcb_t *cur = cur_thread;
    if (cur == &idle_thread) {
        idle_tick();
        return;
    }
    idle_ticks = 0;
    if (!thread_is_runnable(cur))
        return;
    if (cur->timeslice > 1) {
        cur->timeslice--;
        return;
    }
    /* Slice used up: to the back of its priority's queue. */
    cur->timeslice = CONFIG_TIME_SLICE;
    ready_append(cur);
    reschedule_required();
}

void sched_wake(tcb_t *t)
{
    if (t == cur_thread && thread_is_runnable(t))
        return;                         /* already running */
    if (t->domain != sched_cur_domain) {
        sched_enqueue_head(t);          /* it runs when its domain does */
        return;
    }
    if (!choose_new && candidate == NULL) {
        candidate = t;
        return;
    }
    reschedule_required();
    sched_enqueue_head(t);
}

void sched_yield(void)
{
    tcb_t *cur = cur_thread;
    cur->timeslice = CONFIG_TIME_SLICE;
    ready_append(cur);
    reschedule_required();
}

void sched_reschedule_required(void)
{
    reschedule_required();
}

uint64_t sched_ticks(void)
{
    return ticks;
}

bool sched_nothing_runnable(void)
{
    return sched_highest_ready_priority() < 0 &&
           (cur_thread == &idle_thread || !thread_is_runnable(cur_thread));
}

/*
 * The candidate runs next unless (as seL4 decides) it has lower priority
 * than the current thread and than some ready thread, or it merely ties
 * with a current thread that keeps running (then it waits its turn).
 */
static tcb_t *take_candidate(void)
{
    tcb_t *c = candidate, *cur = cur_thread;
    candidate = NULL;
    if (c == NULL || !thread_is_runnable(c))
        return NULL;
    bool cur_runs = cur_can_continue(cur);
    /*
     * The common case of waking a lower-priority thread: seL4 would queue
     * the current thread at the head of its queue, queue the candidate at
     * the head of its own, and choose the current thread again unless a
     * thread above it is ready. Same result without the round trip.
     */
    if (cur_runs && c->priority < cur->priority) {
        sched_enqueue_head(c);
        if (sched_highest_ready_priority() <= (int)cur->priority)
            return cur;
        sched_enqueue_head(cur);
        return NULL;
    }
    if (cur_runs)
        sched_enqueue_head(cur);
    bool fastfail = cur == &idle_thread || c->priority < cur->priority;
    if (fastfail && (int)c->priority < sched_highest_ready_priority()) {
        sched_enqueue_head(c);
        return NULL;
    }
    if (cur_runs && c->priority == cur->priority) {
        ready_append(c);
        return NULL;
    }
    return c;                           /* a running current thread stays queued */
}

void sched_forget(tcb_t *t)
{
    if (candidate == t)
        candidate = NULL;
    sched_dequeue(t);
}

NORETURN void sched_exit_kernel(void)
{
    invariants_maybe_check();
    tcb_t *next = cur_thread;
    /* seL4's "resume the current thread": nobody woke, nothing changed. */
    if (candidate != NULL || choose_new || !cur_can_continue(next)) {
        next = take_candidate();
        choose_new = false;
        if (next == NULL) {
            sched_choose();
            next = chosen;
        }
        chosen = NULL;
        cur_thread = next;
    }
    /* A restarted thread re-executes the instruction at its restart address. */
    if (next->state == THREAD_RESTART) {
        arch_set_reg(&next->ctx, FR_RIP, arch_get_reg(&next->ctx, FR_FAULT_IP));
        thread_set_state(next, THREAD_RUNNING);
    }
    arch_return_to(next);
}

void sched_dump(void)
{
    kprintf("scheduler: %lu ticks, domain %u; current '%s' (prio %u, %s)\n", ticks,
            sched_cur_domain, cur_thread->name, cur_thread->priority,
            thread_state_name(cur_thread->state));
    for (unsigned d = 0; d < CONFIG_NUM_DOMAINS; d++) {
        for (int p = NUM_PRIORITIES - 1; p >= 0; p--) {
            for (tcb_t *t = ready[d][p].head; t != NULL; t = t->sched_next)
                kprintf("  ready domain %u prio %3d: '%s' (%s)\n", d, p, t->name,
                        thread_state_name(t->state));
        }
    }
}

void sched_set_domain(tcb_t *t, unsigned domain)
{
    bool queued = t->queued;
    sched_dequeue(t);
    t->domain = (uint8_t)domain;
    if (queued)
        ready_append(t);
    if (t == cur_thread)
        reschedule_required();          /* it may no longer run here */
}

void sched_domain_changed(void)
{
    tcb_t *cur = cur_thread;
    if (cur != &idle_thread && thread_is_runnable(cur) && !cur->queued)
        sched_enqueue_head(cur);
    reschedule_required();
}

/*
 * For the invariant checker: queues, bitmap and queued flags agree. Counts
 * the threads in the queues (symmetric links keep any thread from being in
 * a queue twice, and a loop breaks them, so the walk ends).
 */
bool sched_queues_consistent(word_t *queued)
{
    *queued = 0;
    for (unsigned d = 0; d < CONFIG_NUM_DOMAINS; d++) {
        for (unsigned w = 0; w < NUM_PRIORITIES / 64; w++) {
            if (((bitmap_top[d] >> w) & 1) != (bitmap[d][w] != 0))
                return false;
        }
        for (unsigned p = 0; p < NUM_PRIORITIES; p++) {
            struct ready_queue *q = &ready[d][p];
            bool bit = (bitmap[d][p / 64] >> (p % 64)) & 1;
            if (bit != (q->head != NULL))
                return false;
            if (bit && !((bitmap_top[d] >> (p / 64)) & 1))
                return false;
            tcb_t *prev = NULL;
            for (tcb_t *t = q->head; t != NULL; t = t->sched_next) {
                if (t->sched_prev != prev || !t->queued || t->priority != p ||
                    t->domain != d || !thread_is_runnable(t) || t == &idle_thread)
                    return false;
                prev = t;
                (*queued)++;
            }
            if (q->tail != prev)
                return false;
        }
    }
    return true;
}
