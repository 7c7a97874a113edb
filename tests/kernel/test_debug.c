/*
 * DEBUG_*: the debug system calls of config Q (syscalls.md §9):
 * DebugCapIdentify for every cap type the tests can make (tags from
 * capabilities.md §8), DebugSnapshot / DebugDumpScheduler / DebugPutChar
 * returning with the registers kept, DebugNameThread.  Software interrupts
 * and unknown syscall numbers (DEBUG_0010..0013) are in test_fault.c, which
 * has the fault-handler machinery.
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"
#include "probe.h"

#define CT_IRQ_HANDLER 16
#define CT_IO_PORT     19

struct ident {
    const char *what;
    seL4_CPtr cptr;
    seL4_Word tag;
};

static test_result_t check_idents(const struct ident *l, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        seL4_Word t = seL4_DebugCapIdentify(l[i].cptr);
        if (t != l[i].tag)
            return test_fail(__FILE__, __LINE__, "%s (CPtr %#lx): tag %lu, expected %lu",
                             l[i].what, (unsigned long)l[i].cptr, (unsigned long)t,
                             (unsigned long)l[i].tag);
    }
    return PASS;
}

TEST(DEBUG_0001, "DebugCapIdentify: the initial caps (capabilities.md §8 tags)")
{
    const seL4_BootInfo *bi = test_bootinfo();
    const struct ident l[] = {
        { "null slot 0", seL4_CapNull, CT_NULL },
        { "initial TCB", seL4_CapInitThreadTCB, CT_TCB },
        { "root CNode", seL4_CapInitThreadCNode, CT_CNODE },
        { "VSpace (PML4)", seL4_CapInitThreadVSpace, CT_PML4 },
        { "IRQControl", seL4_CapIRQControl, CT_IRQ_CONTROL },
        { "ASIDControl", seL4_CapASIDControl, CT_ASID_CONTROL },
        { "ASID pool", seL4_CapInitThreadASIDPool, CT_ASID_POOL },
        { "IOPortControl", seL4_CapIOPortControl, CT_IO_PORT_CONTROL },
        { "IOSpace (no IOMMU: empty)", seL4_CapIOSpace, CT_NULL },
        { "bootinfo frame", seL4_CapBootInfoFrame, CT_FRAME },
        { "IPC buffer frame", seL4_CapInitThreadIPCBuffer, CT_FRAME },
        { "Domain", seL4_CapDomain, CT_DOMAIN },
        { "SC slot (not MCS: empty)", seL4_CapInitThreadSC, CT_NULL },
        { "first untyped", bi->untyped.start, CT_UNTYPED },
        { "first image frame", bi->userImageFrames.start, CT_FRAME },
        /* Lookup failures give 0. */
        { "guard mismatch", (seL4_Word)1 << 40, CT_NULL },
        { "all ones", ~(seL4_Word)0, CT_NULL },
    };
    return check_idents(l, sizeof(l) / sizeof(l[0]));
}

struct caller {
    seL4_CPtr ep;
    volatile int done;
};

static void call_fn(void *arg)
{
    struct caller *c = arg;
    (void)seL4_Call(c->ep, msg_info(1, 0, 0));
    c->done = 1;
}

TTEST(DEBUG_0002, "DebugCapIdentify: every object type the tests create, reply, IRQHandler, IOPort")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    seL4_CPtr tcb = new_obj(seL4_TCBObject, 0);
    seL4_CPtr cnode = new_obj(seL4_CapTableObject, 3);
    seL4_CPtr frame = new_obj(seL4_X86_4K, 0);
    seL4_CPtr pt = new_obj(seL4_X86_PageTableObject, 0);
    seL4_CPtr pd = new_obj(seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pdpt = new_obj(seL4_X86_PDPTObject, 0);
    seL4_CPtr pml4 = new_obj(seL4_X64_PML4Object, 0);
    seL4_CPtr ut = new_obj(seL4_UntypedObject, 12);
    EXPECT(tcb && cnode && frame && pt && pd && pdpt && pml4 && ut, "objects: %s",
           thread_error());
    NEW_SLOT(irq);
    EXPECT_ERR(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT_CNODE, irq, ROOT_DEPTH, 0, 0, 0,
                                      0, 70), seL4_NoError);
    NEW_SLOT(io);
    EXPECT_ERR(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, ROOT_CNODE, io,
                                            ROOT_DEPTH), seL4_NoError);
    NEW_COPY(ep_ro, ep, seL4_CanRead);
    NEW_MINT(ntfn_badged, ntfn, seL4_AllRights, 7);

    /* A reply cap: a thread calls, the root takes the message without
     * blocking and saves its caller cap. */
    NEW_SLOT(reply);
    static struct caller c;
    memset(&c, 0, sizeof(c));
    c.ep = ep;
    SPAWN(t, call_fn, &c, T_PRIO);
    settle();
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(INFO_LABEL(info) == 1, "did not receive the call (label %lu)",
           (unsigned long)INFO_LABEL(info));
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, reply, ROOT_DEPTH), seL4_NoError);

    const struct ident l[] = {
        { "endpoint", ep, CT_EP },
        { "read-only endpoint copy", ep_ro, CT_EP },
        { "notification", ntfn, CT_NTFN },
        { "badged notification", ntfn_badged, CT_NTFN },
        { "TCB", tcb, CT_TCB },
        { "CNode", cnode, CT_CNODE },
        { "4K frame", frame, CT_FRAME },
        { "page table", pt, CT_PT },
        { "page directory", pd, CT_PD },
        { "PDPT", pdpt, CT_PDPT },
        { "PML4", pml4, CT_PML4 },
        { "untyped", ut, CT_UNTYPED },
        { "IRQ handler", irq, CT_IRQ_HANDLER },
        { "I/O port", io, CT_IO_PORT },
        { "reply", reply, CT_REPLY },
    };
    CHECK(check_idents(l, sizeof(l) / sizeof(l[0])));

    seL4_NBSend(reply, msg_info(0, 0, 0));
    settle();
    EXPECT(c.done, "the caller was not answered through the saved reply cap");
    EXPECT_TYPE(reply, CT_NULL);
    EXPECT_DONE(t);
    return PASS;
}

/* CapIdentify resolves the CPtr in the caller's own CSpace. */
struct ident_user {
    volatile seL4_Word tags[5];
    volatile int done;
};

static void ident_fn(void *arg)
{
    struct ident_user *u = arg;
    const seL4_CPtr cptrs[5] = { 0, 1, 2, 3, seL4_CapInitThreadCNode };
    for (int i = 0; i < 5; i++)
        u->tags[i] = seL4_DebugCapIdentify(cptrs[i]);
    u->done = 1;
}

TTEST(DEBUG_0003, "DebugCapIdentify from a thread with its own CSpace uses that CSpace")
{
    NEW_EP(ep);
    seL4_CPtr cn = new_cnode(4);
    EXPECT(cn != 0, "cnode: %s", thread_error());
    EXPECT_ERR(cn_copy(cn, 4, 3, ep, seL4_AllRights), seL4_NoError);
    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.cspace = cn;
    o.cspace_radix = 4;
    o.self_index = 1;
    struct thread *t = thread_create_opts(&o);
    EXPECT(t != NULL, "thread: %s", thread_error());
    static struct ident_user u;
    memset(&u, 0, sizeof(u));
    START(t, ident_fn, &u);
    settle();
    EXPECT(u.done, "thread did not finish");
    /* Its slot 1 is its TCB, 3 the endpoint; 2 (the root's CNode CPtr) is
     * empty there. */
    const seL4_Word want[5] = { CT_NULL, CT_TCB, CT_NULL, CT_EP, CT_NULL };
    for (int i = 0; i < 5; i++)
        EXPECT(u.tags[i] == want[i], "CPtr %d: tag %lu, expected %lu", i,
               (unsigned long)u.tags[i], (unsigned long)want[i]);
    return PASS;
}

/* Registers across a debug syscall (RBX holds RSP, RCX/R11 belong to
 * syscall/sysret; syscalls.md §3, §9: "unless stated they write nothing
 * back"). */
static test_result_t probe_kept(seL4_Word number, seL4_Word rdi, uint64_t seed, const char *what)
{
    struct probe p;
    probe_fill(&p, seed);
    p.in[P_RDX] = number;
    p.in[P_RDI] = rdi;
    probe_syscall(&p);
    for (int i = 0; i < P_COUNT; i++) {
        if (i == P_RBX || i == P_RCX || i == P_R11)
            continue;
        if (p.in[i] != p.out[i])
            return test_fail(__FILE__, __LINE__, "%s changed %s: %#lx -> %#lx", what,
                             probe_reg_names[i], (unsigned long)p.in[i],
                             (unsigned long)p.out[i]);
    }
    return PASS;
}

static void block_on(void *arg)
{
    seL4_Word badge;
    seL4_Wait((seL4_CPtr)(uintptr_t)arg, &badge);
}

TTEST(DEBUG_0004, "DebugSnapshot, DebugDumpScheduler and DebugPutChar return with registers kept")
{
    /* Some threads in different states for the dump. */
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    SPAWN(w1, block_on, (void *)(uintptr_t)ntfn, T_PRIO);
    static struct actor s;
    actor_init(&s, OP_SEND, ep);
    SPAWN_ACTOR(w2, &s, OP_SEND, ep, T_PRIO + 1);
    NEW_THREAD(idle, T_PRIO);
    seL4_DebugNameThread(w1->tcb, "debug-0004-wait");
    seL4_DebugNameThread(w2->tcb, "debug-0004-send");
    settle();
    (void)idle;

    CHECK(probe_kept((seL4_Word)seL4_SysDebugSnapshot, 0, 41, "DebugSnapshot"));
    CHECK(probe_kept((seL4_Word)seL4_SysDebugDumpScheduler, 0, 42, "DebugDumpScheduler"));
    CHECK(probe_kept((seL4_Word)seL4_SysDebugPutChar, '.', 43, "DebugPutChar"));
    CHECK(probe_kept((seL4_Word)seL4_SysDebugPutChar, '\n', 44, "DebugPutChar"));
    seL4_DebugSnapshot();
    seL4_DebugDumpScheduler();

    /* The threads are untouched by the dumps. */
    EXPECT_NOT_DONE(w1);
    EXPECT_NOT_DONE(w2);
    seL4_Signal(ntfn);
    settle();
    EXPECT_DONE(w1);
    return PASS;
}

/* A thread renames itself many times while working. */
struct namer {
    int rounds;
    volatile int done_rounds;
};

static void namer_fn(void *arg)
{
    struct namer *n = arg;
    struct thread *self = thread_self();
    char name[32];
    for (int i = 0; i < n->rounds; i++) {
        snprintf(name, sizeof(name), "namer-%d", i);
        seL4_DebugNameThread(self->tcb, name);
        seL4_Yield();
        n->done_rounds = i + 1;
    }
    seL4_DebugNameThread(self->tcb, "");
}

TTEST(DEBUG_0005, "DebugNameThread: by the root, by the thread itself, long and empty names")
{
    NEW_THREAD(t, T_PRIO);
    static char name[959 + 1];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    /* 959 characters + NUL is the longest name the IPC buffer holds. */
    seL4_DebugNameThread(t->tcb, name);
    seL4_DebugNameThread(t->tcb, "");
    seL4_DebugNameThread(t->tcb, "debug-0005");
    static struct namer n;
    memset(&n, 0, sizeof(n));
    n.rounds = 200;
    START(t, namer_fn, &n);
    settle();
    EXPECT_DONE(t);
    EXPECT(n.done_rounds == 200, "%d rounds", n.done_rounds);
    /* The root's own name, changed and restored. */
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "arca-tests-debug-0005");
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "rootserver");
    return PASS;
}
