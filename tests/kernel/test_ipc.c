/*
 * IPC_*: endpoint IPC between threads: Send/NBSend/Call/Recv/NBRecv/Reply/
 * ReplyRecv (syscalls.md §5, §6, §8), badges and rights (capabilities.md §3,
 * §4), reply caps (§6), cap transfer (§9), deletion (§10) and endpoint
 * queues (objects.md §9).
 *
 * The root task only orchestrates: the blocking system calls are made by
 * test threads (thread_util.h), the root uses NBSend/NBRecv/Reply and
 * object invocations and looks at the results after settle().
 */
#include <stdio.h>
#include <string.h>
#include "thread_util.h"

/* ======================================================================
 * Ping-pong (Call / ReplyRecv)
 * ====================================================================== */

struct pp {
    seL4_CPtr ep_server;        /* server's cap, in its own CSpace */
    seL4_CPtr ep_client;        /* client's cap */
    seL4_Word rounds;
    seL4_Word len;              /* MRs per message, both ways */
    seL4_Word want_badge;
    volatile seL4_Word served, server_errors, client_errors, replies;
    volatile seL4_Word first_error;     /* round of the first error + 1 */
};

#define PP_REQ_LABEL 0x11
#define PP_REP_LABEL 0x22

static void pp_server(void *arg)
{
    struct pp *p = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(p->ep_server, &badge);
    for (seL4_Word i = 0;; i++) {
        bool ok = INFO_LABEL(info) == PP_REQ_LABEL && INFO_LEN(info) == p->len &&
                  badge == p->want_badge;
        for (seL4_Word k = 0; ok && k < p->len; k++)
            ok = seL4_GetMR((int)k) == mr_pattern(2 * i + 1, (int)k);
        if (!ok) {
            p->server_errors++;
            if (p->first_error == 0)
                p->first_error = i + 1;
        }
        for (seL4_Word k = 0; k < p->len; k++)
            seL4_SetMR((int)k, mr_pattern(2 * i + 2, (int)k));
        p->served = i + 1;
        if (i + 1 == p->rounds) {
            seL4_Reply(msg_info(PP_REP_LABEL, 0, p->len));
            return;
        }
        info = seL4_ReplyRecv(p->ep_server, msg_info(PP_REP_LABEL, 0, p->len), &badge);
    }
}

static void pp_client(void *arg)
{
    struct pp *p = arg;
    for (seL4_Word i = 0; i < p->rounds; i++) {
        for (seL4_Word k = 0; k < p->len; k++)
            seL4_SetMR((int)k, mr_pattern(2 * i + 1, (int)k));
        seL4_MessageInfo_t info = seL4_Call(p->ep_client, msg_info(PP_REQ_LABEL, 0, p->len));
        bool ok = INFO_LABEL(info) == PP_REP_LABEL && INFO_LEN(info) == p->len;
        for (seL4_Word k = 0; ok && k < p->len; k++)
            ok = seL4_GetMR((int)k) == mr_pattern(2 * i + 2, (int)k);
        if (!ok)
            p->client_errors++;
        p->replies = i + 1;
    }
}

static test_result_t pp_check(struct pp *p, struct thread *server, struct thread *client)
{
    EXPECT(p->replies == p->rounds && p->served == p->rounds,
           "%lu of %lu calls answered, %lu served", (unsigned long)p->replies,
           (unsigned long)p->rounds, (unsigned long)p->served);
    EXPECT(p->server_errors == 0, "server saw %lu bad requests (first in round %lu)",
           (unsigned long)p->server_errors, (unsigned long)p->first_error - 1);
    EXPECT(p->client_errors == 0, "client saw %lu bad replies", (unsigned long)p->client_errors);
    EXPECT_DONE(server);
    EXPECT_DONE(client);
    return PASS;
}

TTEST(IPC_0001, "Call/ReplyRecv ping-pong between two threads in one CSpace")
{
    NEW_EP(ep);
    static struct pp p;
    memset(&p, 0, sizeof(p));
    p.ep_server = ep;
    p.ep_client = ep;
    p.rounds = 1000;
    p.len = 2;
    SPAWN(server, pp_server, &p, T_PRIO);
    SPAWN(client, pp_client, &p, T_PRIO);
    settle();
    return pp_check(&p, server, client);
}

TTEST(IPC_0002, "ping-pong across two CSpaces: badge seen, CPtrs resolved per thread")
{
    NEW_EP(ep);
    const unsigned radix = 4;
    seL4_CPtr cn = new_cnode(radix);
    EXPECT(cn != 0, "cnode: %s", thread_error());
    /* In the server's CSpace, CPtr 2 is the endpoint; in the root CSpace
     * CPtr 2 is the root CNode (Recv on it would fault). */
    EXPECT_ERR(cn_copy(cn, radix, 2, ep, seL4_AllRights), seL4_NoError);
    NEW_MINT(client_cap, ep, seL4_AllRights, 0xC0FFEE);

    static struct pp p;
    memset(&p, 0, sizeof(p));
    p.ep_server = 2;
    p.ep_client = client_cap;
    p.rounds = 200;
    p.len = 3;
    p.want_badge = 0xC0FFEE;

    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.cspace = cn;
    o.cspace_radix = radix;
    o.self_index = 1;
    struct thread *server = thread_create_opts(&o);
    EXPECT(server != NULL, "server: %s", thread_error());
    START(server, pp_server, &p);
    SPAWN(client, pp_client, &p, T_PRIO);
    settle();
    return pp_check(&p, server, client);
}

TTEST(IPC_0003, "ping-pong with 120-word messages both ways")
{
    NEW_EP(ep);
    static struct pp p;
    memset(&p, 0, sizeof(p));
    p.ep_server = ep;
    p.ep_client = ep;
    p.rounds = 100;
    p.len = seL4_MsgMaxLength;
    SPAWN(server, pp_server, &p, T_PRIO);
    SPAWN(client, pp_client, &p, T_PRIO);
    settle();
    return pp_check(&p, server, client);
}

/* ======================================================================
 * Send/receive combinations
 * ====================================================================== */

TTEST(IPC_0010, "Send blocks until a receiver arrives, Recv then gets the message")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&s, OP_SEND, ep);
    s.label = 0x55;
    s.length = 3;
    s.seed = 10;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT(s.entered == 1, "sender did not run");
    EXPECT_NOT_DONE(sender);
    EXPECT_AT_SYSCALL(sender);

    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    EXPECT_DONE(sender);
    EXPECT_MSG(&r, 0x55, 3, 10, 0);
    EXPECT(INFO_CAPS(r.info) == 0 && INFO_UNWRAPPED(r.info) == 0, "info %#lx",
           (unsigned long)r.info.words[0]);
    return PASS;
}

TTEST(IPC_0011, "Recv blocks until a sender arrives")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT(r.entered == 1, "receiver did not run");
    EXPECT_NOT_DONE(receiver);
    EXPECT_AT_SYSCALL(receiver);

    actor_init(&s, OP_SEND, ep);
    s.label = 0x66;
    s.length = 4;
    s.seed = 11;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(sender);
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 0x66, 4, 11, 0);
    return PASS;
}

TTEST(IPC_0012, "NBSend with no receiver waiting is dropped")
{
    NEW_EP(ep);
    static struct actor r;
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, mr_pattern(12, i));
    seL4_NBSend(ep, msg_info(1, 0, 4));         /* nobody waits: dropped */

    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(receiver);                  /* nothing was queued */

    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, mr_pattern(13, i));
    seL4_NBSend(ep, msg_info(2, 0, 4));
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 2, 4, 13, 0);
    return PASS;
}

TTEST(IPC_0013, "NBRecv with nothing queued returns at once with badge 0")
{
    NEW_EP(ep);
    seL4_Word badge = 0x1234;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0, "root NBRecv badge %#lx", (unsigned long)badge);
    EXPECT(info.words[0] == 0, "root NBRecv info %#lx (syscalls.md §3.3: only RDI written)",
           (unsigned long)info.words[0]);

    static struct actor r;
    actor_init(&r, OP_NBRECV, ep);
    r.badge = 0x5678;
    SPAWN_ACTOR(t, &r, OP_NBRECV, ep, T_PRIO);
    settle();
    EXPECT_DONE(t);
    EXPECT(r.badge == 0, "thread NBRecv badge %#lx", (unsigned long)r.badge);
    return PASS;
}

TTEST(IPC_0014, "NBSend delivers to a waiting receiver, with the cap's badge")
{
    NEW_EP(ep);
    NEW_MINT(badged, ep, seL4_AllRights, 0xB0);
    static struct actor r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, mr_pattern(14, i));
    seL4_NBSend(badged, msg_info(0x77, 0, 4));
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 0x77, 4, 14, 0xB0);
    return PASS;
}

TTEST(IPC_0015, "NBRecv takes a blocked sender's message and wakes it")
{
    NEW_EP(ep);
    NEW_MINT(badged, ep, seL4_AllRights, 0x5E);
    static struct actor s;
    actor_init(&s, OP_SEND, badged);
    s.label = 0x123;
    s.length = 4;
    s.seed = 15;
    SPAWN_ACTOR(sender, &s, OP_SEND, badged, T_PRIO);
    settle();
    EXPECT_NOT_DONE(sender);

    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0x5E, "badge %#lx", (unsigned long)badge);
    EXPECT(INFO_LABEL(info) == 0x123 && INFO_LEN(info) == 4, "info %#lx",
           (unsigned long)info.words[0]);
    for (int i = 0; i < 4; i++)
        EXPECT(seL4_GetMR(i) == mr_pattern(15, i), "MR%d %#lx", i, (unsigned long)seL4_GetMR(i));
    settle();
    EXPECT_DONE(sender);
    return PASS;
}

TTEST(IPC_0016, "Call picked up by the root's NBRecv; Reply wakes the caller")
{
    NEW_EP(ep);
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 0x31;
    c.length = 2;
    c.seed = 16;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(caller);

    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0 && INFO_LABEL(info) == 0x31 && INFO_LEN(info) == 2,
           "badge %#lx info %#lx", (unsigned long)badge, (unsigned long)info.words[0]);
    EXPECT(seL4_GetMR(1) == mr_pattern(16, 1), "MR1 %#lx", (unsigned long)seL4_GetMR(1));
    settle();
    EXPECT_NOT_DONE(caller);                    /* BlockedOnReply */
    for (int i = 0; i < 3; i++)
        seL4_SetMR(i, mr_pattern(17, i));
    seL4_Reply(msg_info(0x32, 0, 3));
    settle();
    EXPECT_DONE(caller);
    EXPECT_MSG(&c, 0x32, 3, 17, 0);
    return PASS;
}

TTEST(IPC_0017, "a zero-length message keeps its label and has length 0")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    actor_init(&s, OP_SEND, ep);
    s.label = 0xABC;
    s.length = 0;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 0xABC, 0, 0, 0);
    return PASS;
}

/* ======================================================================
 * Message registers and lengths
 * ====================================================================== */

TTEST(IPC_0020, "all 120 message registers go through (registers + IPC buffers)")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    actor_init(&s, OP_SEND, ep);
    s.label = 7;
    s.length = seL4_MsgMaxLength;
    s.seed = 20;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 7, seL4_MsgMaxLength, 20, 0);
    return PASS;
}

TTEST(IPC_0021, "a length above 120 is clipped to 120 (syscalls.md §5)")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    actor_init(&s, OP_SEND, ep);
    s.label = 8;
    s.length = 127;
    s.seed = 21;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 8, seL4_MsgMaxLength, 21, 0);
    /* Nothing beyond msg[119] was written: userData and the receive path
     * words are as the receiver left them. */
    EXPECT(r.tail[0] == ACTOR_CB_SENTINEL && r.tail[1] == ACTOR_CB_SENTINEL + 1 &&
           r.tail[2] == ACTOR_CB_SENTINEL + 2 && r.tail[3] == ACTOR_CB_SENTINEL + 3,
           "words after msg[119] changed: %#lx %#lx %#lx %#lx", (unsigned long)r.tail[0],
           (unsigned long)r.tail[1], (unsigned long)r.tail[2], (unsigned long)r.tail[3]);
    EXPECT(r.cb[0] == ACTOR_CB_SENTINEL && r.cb[1] == ACTOR_CB_SENTINEL &&
           r.cb[2] == ACTOR_CB_SENTINEL, "caps_or_badges written without caps");
    return PASS;
}

TTEST(IPC_0022, "a sender without an IPC buffer sends at most 4 MRs (syscalls.md §6.2)")
{
    NEW_EP(ep);
    static struct actor s, r;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();

    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.no_ipc_buffer = true;
    struct thread *sender = thread_create_opts(&o);
    EXPECT(sender != NULL, "sender: %s", thread_error());
    actor_init(&s, OP_SEND, ep);
    s.label = 9;
    s.length = 10;
    s.seed = 22;
    START(sender, actor_fn, &s);
    settle();
    EXPECT_DONE(sender);
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 9, 4, 22, 0);
    return PASS;
}

TTEST(IPC_0023, "a receiver without an IPC buffer gets at most 4 MRs")
{
    NEW_EP(ep);
    static struct actor s, r;
    struct thread_opts o;
    memset(&o, 0, sizeof(o));
    o.prio = T_PRIO;
    o.no_ipc_buffer = true;
    struct thread *receiver = thread_create_opts(&o);
    EXPECT(receiver != NULL, "receiver: %s", thread_error());
    actor_init(&r, OP_RECV, ep);
    START(receiver, actor_fn, &r);
    settle();

    actor_init(&s, OP_SEND, ep);
    s.label = 10;
    s.length = 10;
    s.seed = 23;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    EXPECT_MSG(&r, 10, 4, 23, 0);
    /* The kernel does not know the receiver's page: MR4.. there stay 0. */
    for (int i = 4; i < 10; i++)
        EXPECT(r.mr[i] == 0, "MR%d written without a buffer: %#lx", i, (unsigned long)r.mr[i]);
    return PASS;
}

/* ======================================================================
 * Badges and labels
 * ====================================================================== */

TTEST(IPC_0030, "badges: 64-bit badge, small badge and no badge reach the receiver")
{
    NEW_EP(ep);
    NEW_MINT(b1, ep, seL4_AllRights, 1);
    NEW_MINT(b2, ep, seL4_AllRights, ~0UL);
    static struct actor s[3];
    const seL4_CPtr caps[3] = { b1, b2, ep };
    const seL4_Word want[3] = { 1, ~0UL, 0 };
    for (int i = 0; i < 3; i++) {
        actor_init(&s[i], OP_SEND, caps[i]);
        s[i].label = (seL4_Word)(0x40 + i);
        s[i].length = 1;
        s[i].seed = (seL4_Word)(300 + i);
        SPAWN_ACTOR(t, &s[i], OP_SEND, caps[i], T_PRIO);
        settle();
        EXPECT_NOT_DONE(t);
    }
    for (int i = 0; i < 3; i++) {
        seL4_Word badge = 0x999;
        seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
        EXPECT(badge == want[i], "message %d: badge %#lx, expected %#lx", i,
               (unsigned long)badge, (unsigned long)want[i]);
        EXPECT(INFO_LABEL(info) == (seL4_Word)(0x40 + i), "message %d: label %#lx", i,
               (unsigned long)INFO_LABEL(info));
    }
    return PASS;
}

TTEST(IPC_0031, "labels pass through unchanged (all 52 bits)")
{
    NEW_EP(ep);
    static struct actor s, r;
    const seL4_Word labels[2] = { (1UL << 52) - 1, 0x8000000000001UL };
    for (int i = 0; i < 2; i++) {
        actor_init(&r, OP_RECV, ep);
        SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
        settle();
        actor_init(&s, OP_SEND, ep);
        s.label = labels[i];
        s.length = 1;
        s.seed = 31;
        SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
        settle();
        EXPECT_DONE(receiver);
        EXPECT_MSG(&r, labels[i], 1, 31, 0);
        thread_destroy(receiver);
        thread_destroy(sender);
    }
    return PASS;
}

/* ======================================================================
 * Call, reply caps, Reply
 * ====================================================================== */

struct srv {
    seL4_CPtr ep;               /* receive cap */
    seL4_CPtr ep2;              /* second endpoint / notification */
    seL4_CPtr save;             /* root slot for SaveCaller */
    seL4_CPtr cap_to_send;      /* cap sent back in the reply (or 0) */
    volatile seL4_Word label[4], mr0[4], badge[4];
    volatile seL4_Word type_saved[4];
    volatile seL4_Error err[4];
    seL4_MessageInfo_t info[4];
    volatile int step;
};

/* Receives twice: the first message's reply cap is saved (if possible), the
 * second is answered with Reply (label 0x99, MR0 0x22). */
static void srv_twice(void *arg)
{
    struct srv *p = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(p->ep, &badge);
    p->label[0] = INFO_LABEL(info);
    p->mr0[0] = seL4_GetMR(0);
    p->err[0] = seL4_CNode_SaveCaller(ROOT_CNODE, p->save, ROOT_DEPTH);
    p->type_saved[0] = ctype(p->save);
    p->step = 1;
    info = seL4_Recv(p->ep, &badge);
    p->label[1] = INFO_LABEL(info);
    p->mr0[1] = seL4_GetMR(0);
    p->step = 2;
    seL4_SetMR(0, 0x22);
    seL4_Reply(msg_info(0x99, 0, 1));
    p->step = 3;
}

TTEST(IPC_0040, "Call through a cap without Grant/GrantReply: delivered, caller Inactive")
{
    /* syscalls.md §8 Call (a), capabilities.md §6: no reply cap, the caller
     * is made Inactive.  Resume restarts it (objects.md §7.1): it redoes the
     * Call, which succeeds once its CPtr names a cap with Grant. */
    NEW_EP(ep);
    NEW_COPY(nogrant, ep, seL4_ReadWrite);
    NEW_SLOT(save);
    static struct srv p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.save = save;
    SPAWN(server, srv_twice, &p, T_PRIO);
    settle();

    static struct actor c;
    actor_init(&c, OP_CALL, nogrant);
    c.label = 0x41;
    c.length = 1;
    c.seed = 40;
    SPAWN_ACTOR(caller, &c, OP_CALL, nogrant, T_PRIO);
    settle();
    EXPECT(p.step == 1, "server step %d, expected 1", p.step);
    EXPECT(p.label[0] == 0x41 && p.mr0[0] == mr_pattern(40, 0), "server got label %#lx",
           (unsigned long)p.label[0]);
    EXPECT(p.err[0] == seL4_NoError, "SaveCaller: %s", err_name(p.err[0]));
    EXPECT(p.type_saved[0] == CT_NULL, "a reply cap was created (type %lu)",
           (unsigned long)p.type_saved[0]);
    EXPECT_NOT_DONE(caller);
    EXPECT(c.completed == 0, "Call returned");
    EXPECT_AT_SYSCALL(caller);

    /* Not BlockedOnReply either: nothing can wake it but Resume.  Give the
     * CPtr a cap with Grant, then resume: the Call is made again. */
    EXPECT_ERR(r_delete(nogrant), seL4_NoError);
    EXPECT_ERR(r_copy(nogrant, ep, seL4_AllRights), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Resume(caller->tcb), seL4_NoError);
    settle();
    EXPECT(p.step == 3, "server step %d, expected 3", p.step);
    EXPECT(p.label[1] == 0x41 && p.mr0[1] == mr_pattern(40, 0),
           "restarted Call: server got label %#lx", (unsigned long)p.label[1]);
    EXPECT_DONE(caller);
    EXPECT(c.completed == 1 && INFO_LABEL(c.info) == 0x99 && c.mr[0] == 0x22,
           "caller got label %#lx MR0 %#lx", (unsigned long)INFO_LABEL(c.info),
           (unsigned long)c.mr[0]);
    return PASS;
}

TTEST(IPC_0041, "Call through a cap with GrantReply only gets a reply")
{
    NEW_EP(ep);
    NEW_COPY(gr, ep, seL4_CapRights_new(1, 0, 1, 1));
    NEW_SLOT(save);
    static struct srv p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.save = save;
    SPAWN(server, srv_twice, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, gr);
    c.label = 0x42;
    c.length = 1;
    c.seed = 41;
    SPAWN_ACTOR(caller, &c, OP_CALL, gr, T_PRIO);
    settle();
    EXPECT(p.step == 1, "server step %d", p.step);
    EXPECT(p.type_saved[0] == CT_REPLY, "saved cap type %lu, expected a reply cap",
           (unsigned long)p.type_saved[0]);
    EXPECT_NOT_DONE(caller);
    /* Answer through the saved reply cap. */
    seL4_SetMR(0, 0x4242);
    seL4_Send(save, msg_info(0x43, 0, 1));
    settle();
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == 0x43 && c.mr[0] == 0x4242 && c.badge == 0,
           "reply label %#lx MR0 %#lx badge %#lx", (unsigned long)INFO_LABEL(c.info),
           (unsigned long)c.mr[0], (unsigned long)c.badge);
    EXPECT_TYPE(save, CT_NULL);                 /* used up */
    return PASS;
}

struct saver {
    seL4_CPtr ep, save;
    bool use_call;              /* answer with Call instead of Send */
    volatile seL4_Error save_err, copy_err;
    volatile seL4_Word type_before, type_after;
    seL4_MessageInfo_t call_info;
    volatile seL4_Word call_badge;
    volatile int answered;
};

static void saver_fn(void *arg)
{
    struct saver *p = arg;
    seL4_Word badge = 0;
    (void)seL4_Recv(p->ep, &badge);
    p->save_err = seL4_CNode_SaveCaller(ROOT_CNODE, p->save, ROOT_DEPTH);
    p->type_before = ctype(p->save);
    /* Reply caps cannot be copied (capabilities.md §6). */
    seL4_CPtr spare = p->save + 1;
    p->copy_err = r_copy(spare, p->save, seL4_AllRights);
    if (p->copy_err == seL4_NoError)
        (void)r_delete(spare);
    seL4_SetMR(0, 0x5150);
    seL4_SetMR(1, 0x5151);
    if (p->use_call) {
        seL4_Word b = 0x77;
        p->call_info = arca_send_recv_buffer(seL4_SysCall, p->save, msg_info(0x51, 0, 2), &b);
        p->call_badge = b;
    } else {
        seL4_Send(p->save, msg_info(0x51, 0, 2));
    }
    p->type_after = ctype(p->save);
    p->answered = 1;
}

static test_result_t saver_test(bool use_call)
{
    NEW_EP(ep);
    seL4_CPtr save = slot_alloc_range(2);       /* save, save + 1 (scratch) */
    EXPECT(save != 0, "no slots");
    static struct saver p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.save = save;
    p.use_call = use_call;
    SPAWN(server, saver_fn, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 0x50;
    c.length = 1;
    c.seed = 50;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT_DONE(server);
    EXPECT(p.save_err == seL4_NoError, "SaveCaller: %s", err_name(p.save_err));
    EXPECT(p.type_before == CT_REPLY, "saved cap type %lu", (unsigned long)p.type_before);
    EXPECT(p.copy_err == seL4_IllegalOperation, "copy of a reply cap: %s",
           err_name(p.copy_err));
    EXPECT(p.type_after == CT_NULL, "reply cap still there after use (type %lu)",
           (unsigned long)p.type_after);
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == 0x51 && INFO_LEN(c.info) == 2 && c.mr[0] == 0x5150 &&
           c.mr[1] == 0x5151 && c.badge == 0,
           "caller got info %#lx MR0 %#lx badge %#lx", (unsigned long)c.info.words[0],
           (unsigned long)c.mr[0], (unsigned long)c.badge);
    if (use_call) {
        /* capabilities.md §6: Call on a reply cap replies, then returns an
         * empty success message (badge 0). */
        EXPECT(p.call_info.words[0] == 0 && p.call_badge == 0,
               "Call on the reply cap returned info %#lx badge %#lx",
               (unsigned long)p.call_info.words[0], (unsigned long)p.call_badge);
    }
    return PASS;
}

TTEST(IPC_0042, "SaveCaller, then Send on the saved reply cap answers the caller")
{
    return saver_test(false);
}

TTEST(IPC_0043, "Call on a saved reply cap answers and returns an empty message")
{
    return saver_test(true);
}

TTEST(IPC_0044, "SaveCaller with no reply cap does nothing; occupied slot → DeleteFirst")
{
    NEW_EP(ep);
    NEW_SLOT(save);
    /* A Recv-type syscall on a valid endpoint drops any reply cap the root
     * may still hold (syscalls.md §8 Recv). */
    seL4_Word badge;
    (void)seL4_NBRecv(ep, &badge);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, save, ROOT_DEPTH), seL4_NoError);
    EXPECT_TYPE(save, CT_NULL);
    EXPECT_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, ep, ROOT_DEPTH), seL4_DeleteFirst);
    EXPECT_TYPE(ep, CT_EP);
    return PASS;
}

struct replier {
    seL4_CPtr ep, ep2, save;
    bool wait_ntfn;             /* second receive on a notification */
    volatile int step;
    volatile seL4_Word type_after;
};

/* Recv a Call, then receive again on ep2 (endpoint or notification), then
 * Reply twice. */
static void replier_fn(void *arg)
{
    struct replier *p = arg;
    seL4_Word badge = 0;
    (void)seL4_Recv(p->ep, &badge);
    p->step = 1;
    if (p->wait_ntfn)
        seL4_Wait(p->ep2, &badge);
    else
        (void)seL4_Recv(p->ep2, &badge);
    p->step = 2;
    seL4_SetMR(0, 0x600D);
    seL4_Reply(msg_info(0x61, 0, 1));
    p->step = 3;
    seL4_SetMR(0, 0xBAD);
    seL4_Reply(msg_info(0x62, 0, 1));           /* nothing left to reply to */
    (void)seL4_CNode_SaveCaller(ROOT_CNODE, p->save, ROOT_DEPTH);
    p->type_after = ctype(p->save);
    p->step = 4;
}

TTEST(IPC_0045, "Recv on an endpoint deletes an unsaved reply cap (syscalls.md §8)")
{
    NEW_EP(ep);
    NEW_EP(ep2);
    NEW_SLOT(save);
    static struct replier p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.ep2 = ep2;
    p.save = save;
    SPAWN(server, replier_fn, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 1;
    c.length = 1;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT(p.step == 1, "server step %d", p.step);
    seL4_NBSend(ep2, msg_info(0, 0, 0));        /* wake the server */
    settle();
    EXPECT(p.step == 4, "server step %d", p.step);
    EXPECT_NOT_DONE(caller);                    /* its reply cap is gone */
    EXPECT(c.completed == 0, "caller got a reply");
    EXPECT(p.type_after == CT_NULL, "a reply cap was saved (type %lu)",
           (unsigned long)p.type_after);
    EXPECT_AT_SYSCALL(caller);
    return PASS;
}

TTEST(IPC_0046, "Wait on a notification keeps the reply cap; Reply then works once")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(save);
    static struct replier p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.ep2 = ntfn;
    p.save = save;
    p.wait_ntfn = true;
    SPAWN(server, replier_fn, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.label = 1;
    c.length = 1;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT(p.step == 1, "server step %d", p.step);
    seL4_Signal(ntfn);
    settle();
    EXPECT(p.step == 4, "server step %d", p.step);
    EXPECT_DONE(caller);
    /* The first Reply reached the caller, the second had nobody to go to. */
    EXPECT(c.completed == 1 && INFO_LABEL(c.info) == 0x61 && c.mr[0] == 0x600D,
           "caller got label %#lx MR0 %#lx", (unsigned long)INFO_LABEL(c.info),
           (unsigned long)c.mr[0]);
    EXPECT(p.type_after == CT_NULL, "reply cap left after Reply (type %lu)",
           (unsigned long)p.type_after);
    return PASS;
}

struct lone_replier {
    volatile int before, after;
};

static void lone_replier_fn(void *arg)
{
    struct lone_replier *p = arg;
    p->before = 1;
    seL4_SetMR(0, 0xBAD);
    seL4_Reply(msg_info(0x66, 0, 1));
    p->after = 1;
}

TTEST(IPC_0048, "Reply without a reply cap does nothing and returns")
{
    NEW_EP(ep);
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.length = 1;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);    /* queued, nobody receives */
    settle();
    static struct lone_replier p;
    memset(&p, 0, sizeof(p));
    SPAWN(t, lone_replier_fn, &p, T_PRIO);
    settle();
    EXPECT(p.before && p.after, "Reply did not return (before %d after %d)", p.before, p.after);
    EXPECT_DONE(t);
    EXPECT_NOT_DONE(caller);                    /* still queued, untouched */
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0 && INFO_LEN(info) == 1, "the caller is no longer queued");
    seL4_Reply(msg_info(0x67, 0, 0));
    settle();
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == 0x67, "caller got label %#lx", (unsigned long)INFO_LABEL(c.info));
    return PASS;
}

struct multi_srv {
    seL4_CPtr ep;
    int n;
    volatile seL4_Word badges[4], mr0[4];
    volatile int served;
};

/* Serves n Calls with Recv + ReplyRecv, answering MR0 + 1000. */
static void multi_srv_fn(void *arg)
{
    struct multi_srv *p = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(p->ep, &badge);
    for (int i = 0;; i++) {
        (void)info;
        p->badges[i] = badge;
        p->mr0[i] = seL4_GetMR(0);
        seL4_SetMR(0, seL4_GetMR(0) + 1000);
        p->served = i + 1;
        if (i + 1 == p->n) {
            seL4_Reply(msg_info(0x70, 0, 1));
            return;
        }
        info = seL4_ReplyRecv(p->ep, msg_info(0x70, 0, 1), &badge);
    }
}

TTEST(IPC_0047, "ReplyRecv answers one caller and takes the next (badges, FIFO)")
{
    NEW_EP(ep);
    NEW_MINT(b1, ep, seL4_AllRights, 1);
    NEW_MINT(b2, ep, seL4_AllRights, 2);
    static struct actor c1, c2;
    actor_init(&c1, OP_CALL, b1);
    c1.length = 1;
    c1.seed = 471;
    SPAWN_ACTOR(t1, &c1, OP_CALL, b1, T_PRIO);
    settle();
    actor_init(&c2, OP_CALL, b2);
    c2.length = 1;
    c2.seed = 472;
    SPAWN_ACTOR(t2, &c2, OP_CALL, b2, T_PRIO);
    settle();
    static struct multi_srv p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    p.n = 2;
    SPAWN(server, multi_srv_fn, &p, T_PRIO);
    settle();
    EXPECT_DONE(server);
    EXPECT(p.badges[0] == 1 && p.badges[1] == 2, "badges %lu %lu", (unsigned long)p.badges[0],
           (unsigned long)p.badges[1]);
    EXPECT_DONE(t1);
    EXPECT_DONE(t2);
    EXPECT(c1.mr[0] == mr_pattern(471, 0) + 1000 && c2.mr[0] == mr_pattern(472, 0) + 1000,
           "replies crossed: %#lx %#lx", (unsigned long)c1.mr[0], (unsigned long)c2.mr[0]);
    EXPECT(c1.badge == 0 && c2.badge == 0, "reply badges %#lx %#lx", (unsigned long)c1.badge,
           (unsigned long)c2.badge);
    return PASS;
}

/* ======================================================================
 * Capability transfer (capabilities.md §9)
 * ====================================================================== */

/* One receiver waiting with a receive path, one sender with extra caps. */
struct xfer {
    struct actor s, r;
    struct thread *st, *rt;
};

static test_result_t xfer_run(struct xfer *x, seL4_CPtr send_cap, seL4_CPtr recv_cap,
                              seL4_CPtr rp_root, seL4_Word rp_index, seL4_Word rp_depth,
                              const seL4_CPtr *caps, int ncaps)
{
    actor_init(&x->r, OP_RECV, recv_cap);
    x->r.recv_path = true;
    x->r.rp_root = rp_root;
    x->r.rp_index = rp_index;
    x->r.rp_depth = rp_depth;
    x->rt = actor_spawn(&x->r, OP_RECV, recv_cap, T_PRIO);
    EXPECT(x->rt != NULL, "receiver: %s", thread_error());
    settle();
    actor_init(&x->s, OP_SEND, send_cap);
    x->s.label = 0x90;
    x->s.length = 2;
    x->s.seed = 90;
    x->s.ncaps = (seL4_Word)ncaps;
    for (int i = 0; i < ncaps; i++)
        x->s.caps[i] = caps[i];
    x->st = actor_spawn(&x->s, OP_SEND, send_cap, T_PRIO);
    EXPECT(x->st != NULL, "sender: %s", thread_error());
    settle();
    EXPECT(x->st->done, "sender did not finish");
    EXPECT(x->rt->done, "receiver did not finish");
    EXPECT_MSG(&x->r, 0x90, 2, 90, 0);
    return PASS;
}

TTEST(IPC_0050, "cap transfer through a cap with Grant lands in the receive slot")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(rslot);
    static struct xfer x;
    seL4_CPtr caps[1] = { ntfn };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 1 && INFO_UNWRAPPED(x.r.info) == 0,
           "extraCaps %lu capsUnwrapped %lu", (unsigned long)INFO_CAPS(x.r.info),
           (unsigned long)INFO_UNWRAPPED(x.r.info));
    EXPECT_TYPE(rslot, CT_NTFN);
    EXPECT_TYPE(ntfn, CT_NTFN);                 /* the sender keeps its cap */
    /* Same object: a signal through the new cap shows up on the old one. */
    NEW_MINT(bn, rslot, seL4_AllRights, 0x44);
    seL4_Signal(bn);
    EXPECT(ntfn_poll(ntfn) == 0x44, "transferred cap names another object");
    return PASS;
}

TTEST(IPC_0051, "no Grant on the sender's cap: message arrives, extraCaps 0")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(rslot);
    NEW_COPY(nogrant, ep, seL4_CapRights_new(1, 0, 1, 1));
    static struct xfer x;
    seL4_CPtr caps[1] = { ntfn };
    CHECK(xfer_run(&x, nogrant, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 0 && INFO_UNWRAPPED(x.r.info) == 0, "info %#lx",
           (unsigned long)x.r.info.words[0]);
    EXPECT_TYPE(rslot, CT_NULL);
    return PASS;
}

TTEST(IPC_0052, "a cap to the same endpoint is unwrapped: badge in caps_or_badges")
{
    NEW_EP(ep);
    NEW_MINT(b77, ep, seL4_AllRights, 0x77);
    NEW_SLOT(rslot);
    static struct xfer x;
    seL4_CPtr caps[1] = { b77 };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 1 && INFO_UNWRAPPED(x.r.info) == 1,
           "extraCaps %lu capsUnwrapped %#lx", (unsigned long)INFO_CAPS(x.r.info),
           (unsigned long)INFO_UNWRAPPED(x.r.info));
    EXPECT(x.r.cb[0] == 0x77, "caps_or_badges[0] = %#lx", (unsigned long)x.r.cb[0]);
    EXPECT_TYPE(rslot, CT_NULL);                /* nothing stored */
    return PASS;
}

TTEST(IPC_0053, "receive slot occupied: no cap transferred, extraCaps 0")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_NTFN(occupant);
    static struct xfer x;
    seL4_CPtr caps[1] = { ntfn };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, occupant, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 0, "extraCaps %lu", (unsigned long)INFO_CAPS(x.r.info));
    /* The occupant is untouched: still its own notification. */
    NEW_MINT(bo, occupant, seL4_AllRights, 1);
    seL4_Signal(bo);
    EXPECT(ntfn_poll(ntfn) == 0, "occupant slot now names the sent notification");
    EXPECT(ntfn_poll(occupant) == 1, "occupant changed");
    return PASS;
}

TTEST(IPC_0054, "receive path not a CNode: no receive slot, extraCaps 0, no error")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    static struct xfer x;
    seL4_CPtr caps[1] = { ntfn };
    /* receiveCNode = the endpoint cap: not a CNode. */
    CHECK(xfer_run(&x, ep, ep, ep, 5, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 0, "extraCaps %lu", (unsigned long)INFO_CAPS(x.r.info));
    return PASS;
}

TTEST(IPC_0055, "caps [other, same-ep, other]: one transferred, one unwrapped, then stop")
{
    NEW_EP(ep);
    NEW_NTFN(n1);
    NEW_NTFN(n2);
    NEW_MINT(b5, ep, seL4_AllRights, 5);
    NEW_SLOT(rslot);
    static struct xfer x;
    seL4_CPtr caps[3] = { n1, b5, n2 };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 3));
    /* cap 0 uses the only receive slot, cap 1 is unwrapped, cap 2 finds no
     * slot: processing stops, extraCaps = 2. */
    EXPECT(INFO_CAPS(x.r.info) == 2 && INFO_UNWRAPPED(x.r.info) == 2,
           "extraCaps %lu capsUnwrapped %#lx", (unsigned long)INFO_CAPS(x.r.info),
           (unsigned long)INFO_UNWRAPPED(x.r.info));
    EXPECT(x.r.cb[1] == 5, "caps_or_badges[1] = %#lx", (unsigned long)x.r.cb[1]);
    EXPECT_TYPE(rslot, CT_NTFN);
    NEW_MINT(bn, rslot, seL4_AllRights, 0x10);
    seL4_Signal(bn);
    EXPECT(ntfn_poll(n1) == 0x10, "receive slot does not hold cap 0");
    return PASS;
}

TTEST(IPC_0056, "caps [same-ep, other, same-ep]: unwrap, transfer, unwrap")
{
    NEW_EP(ep);
    NEW_NTFN(n1);
    NEW_MINT(b5, ep, seL4_AllRights, 5);
    NEW_MINT(b6, ep, seL4_AllRights, 6);
    NEW_SLOT(rslot);
    static struct xfer x;
    seL4_CPtr caps[3] = { b5, n1, b6 };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 3));
    EXPECT(INFO_CAPS(x.r.info) == 3 && INFO_UNWRAPPED(x.r.info) == 5,
           "extraCaps %lu capsUnwrapped %#lx", (unsigned long)INFO_CAPS(x.r.info),
           (unsigned long)INFO_UNWRAPPED(x.r.info));
    EXPECT(x.r.cb[0] == 5 && x.r.cb[2] == 6, "caps_or_badges %#lx %#lx",
           (unsigned long)x.r.cb[0], (unsigned long)x.r.cb[2]);
    EXPECT_TYPE(rslot, CT_NTFN);
    return PASS;
}

TTEST(IPC_0057, "a cap to a different endpoint is transferred, not unwrapped")
{
    NEW_EP(ep);
    NEW_EP(other);
    NEW_MINT(bo, other, seL4_AllRights, 0x33);
    NEW_SLOT(rslot);
    static struct xfer x;
    seL4_CPtr caps[1] = { bo };
    CHECK(xfer_run(&x, ep, ep, ROOT_CNODE, rslot, ROOT_DEPTH, caps, 1));
    EXPECT(INFO_CAPS(x.r.info) == 1 && INFO_UNWRAPPED(x.r.info) == 0, "info %#lx",
           (unsigned long)x.r.info.words[0]);
    EXPECT_TYPE(rslot, CT_EP);
    /* It keeps its badge: a message sent through it arrives with 0x33. */
    static struct actor s;
    actor_init(&s, OP_SEND, rslot);
    s.length = 1;
    s.seed = 57;
    SPAWN_ACTOR(t, &s, OP_SEND, rslot, T_PRIO);
    settle();
    seL4_Word badge = 0;
    (void)seL4_NBRecv(other, &badge);
    EXPECT(badge == 0x33, "badge through the transferred cap %#lx", (unsigned long)badge);
    settle();
    EXPECT_DONE(t);
    return PASS;
}

struct grant_srv {
    seL4_CPtr ep;               /* receive cap (Grant or not) */
    seL4_CPtr cap;              /* sent back in the reply */
    volatile int done;
};

static void grant_srv_fn(void *arg)
{
    struct grant_srv *p = arg;
    seL4_Word badge;
    (void)seL4_Recv(p->ep, &badge);
    seL4_SetCap(0, p->cap);
    seL4_SetMR(0, 0xCAB);
    seL4_Reply(msg_info(0x80, 1, 1));
    p->done = 1;
}

static test_result_t reply_grant_test(bool server_grant)
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(rslot);
    /* The reply cap's Grant comes from the cap the server receives on. */
    NEW_COPY(srv_cap, ep, server_grant ? seL4_AllRights : seL4_CanRead);
    static struct grant_srv p;
    memset(&p, 0, sizeof(p));
    p.ep = srv_cap;
    p.cap = ntfn;
    SPAWN(server, grant_srv_fn, &p, T_PRIO);
    settle();
    static struct actor c;
    actor_init(&c, OP_CALL, ep);
    c.length = 1;
    c.recv_path = true;
    c.rp_root = ROOT_CNODE;
    c.rp_index = rslot;
    c.rp_depth = ROOT_DEPTH;
    SPAWN_ACTOR(caller, &c, OP_CALL, ep, T_PRIO);
    settle();
    EXPECT_DONE(server);
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == 0x80 && c.mr[0] == 0xCAB, "reply label %#lx",
           (unsigned long)INFO_LABEL(c.info));
    if (server_grant) {
        EXPECT(INFO_CAPS(c.info) == 1, "extraCaps %lu", (unsigned long)INFO_CAPS(c.info));
        EXPECT_TYPE(rslot, CT_NTFN);
    } else {
        EXPECT(INFO_CAPS(c.info) == 0, "extraCaps %lu", (unsigned long)INFO_CAPS(c.info));
        EXPECT_TYPE(rslot, CT_NULL);
    }
    return PASS;
}

TTEST(IPC_0058, "Reply transfers caps when the server received through a Grant cap")
{
    return reply_grant_test(true);
}

TTEST(IPC_0059, "Reply drops caps when the server's receive cap lacks Grant")
{
    return reply_grant_test(false);
}

/* ======================================================================
 * Queues
 * ====================================================================== */

TTEST(IPC_0060, "blocked senders are served in FIFO order")
{
    NEW_EP(ep);
    static struct actor s[4], r;
    for (int i = 0; i < 4; i++) {
        seL4_CPtr b = cap_mint(ep, seL4_AllRights, (seL4_Word)(i + 1));
        EXPECT(b != 0, "mint: %s", thread_error());
        actor_init(&s[i], OP_SEND, b);
        s[i].length = 1;
        s[i].seed = (seL4_Word)(600 + i);
        SPAWN_ACTOR(t, &s[i], OP_SEND, b, T_PRIO);
        settle();
        EXPECT_NOT_DONE(t);
    }
    actor_init(&r, OP_RECV, ep);
    r.repeat = 4;
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();
    EXPECT_DONE(receiver);
    for (int i = 0; i < 4; i++)
        EXPECT(r.badges[i] == (seL4_Word)(i + 1) && r.mr0s[i] == mr_pattern(600 + i, 0),
               "message %d came from badge %lu", i, (unsigned long)r.badges[i]);
    return PASS;
}

TTEST(IPC_0061, "blocked receivers are served in FIFO order")
{
    NEW_EP(ep);
    static struct actor r[4];
    struct thread *t[4];
    for (int i = 0; i < 4; i++) {
        actor_init(&r[i], OP_RECV, ep);
        t[i] = actor_spawn(&r[i], OP_RECV, ep, T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    for (int i = 0; i < 4; i++) {
        seL4_NBSend(ep, msg_info((seL4_Word)(0x10 + i), 0, 0));
        settle();
        EXPECT(t[i]->done, "receiver %d did not get message %d", i, i);
    }
    for (int i = 0; i < 4; i++)
        EXPECT(INFO_LABEL(r[i].info) == (seL4_Word)(0x10 + i), "receiver %d got label %#lx", i,
               (unsigned long)INFO_LABEL(r[i].info));
    return PASS;
}

/* ======================================================================
 * Rights
 * ====================================================================== */

TTEST(IPC_0070, "Send/NBSend without Write are dropped; Call gets InvalidCapability(0)")
{
    NEW_EP(ep);
    NEW_COPY(ro, ep, seL4_CanRead);
    static struct actor r, s, c;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();

    actor_init(&s, OP_SEND, ro);
    s.label = 1;
    SPAWN_ACTOR(sender, &s, OP_SEND, ro, T_PRIO);
    settle();
    EXPECT_DONE(sender);                        /* error dropped, no block */
    EXPECT_NOT_DONE(receiver);

    seL4_NBSend(ro, msg_info(2, 0, 0));
    settle();
    EXPECT_NOT_DONE(receiver);

    actor_init(&c, OP_CALL, ro);
    c.label = 3;
    SPAWN_ACTOR(caller, &c, OP_CALL, ro, T_PRIO);
    settle();
    EXPECT_DONE(caller);
    EXPECT(INFO_LABEL(c.info) == seL4_InvalidCapability && c.mr[0] == 0 && c.badge == 0,
           "Call without Write: label %lu MR0 %lu", (unsigned long)INFO_LABEL(c.info),
           (unsigned long)c.mr[0]);
    EXPECT_NOT_DONE(receiver);

    seL4_NBSend(ep, msg_info(4, 0, 0));
    settle();
    EXPECT_DONE(receiver);
    EXPECT(INFO_LABEL(r.info) == 4, "receiver got label %lu", (unsigned long)INFO_LABEL(r.info));
    return PASS;
}

static test_result_t recv_noread_test(int op)
{
    NEW_EP(ep);
    NEW_COPY(nr, ep, seL4_NoRead);
    static struct actor r;
    actor_init(&r, op, nr);
    SPAWN_ACTOR(receiver, &r, op, nr, T_PRIO);
    settle();
    /* CapFault, no fault handler: the thread is Inactive (faults.md §2). */
    EXPECT(r.entered == 1, "receiver did not run");
    EXPECT_NOT_DONE(receiver);
    EXPECT(r.completed == 0, "receive returned");
    EXPECT_AT_SYSCALL(receiver);
    /* It is not waiting on the endpoint: a non-blocking send is dropped. */
    seL4_NBSend(ep, msg_info(5, 0, 0));
    settle();
    EXPECT(r.completed == 0, "the faulted thread received a message");
    return PASS;
}

TTEST(IPC_0071, "Recv through a cap without Read: CapFault, thread Inactive")
{
    return recv_noread_test(OP_RECV);
}

TTEST(IPC_0072, "NBRecv through a cap without Read: CapFault, thread Inactive")
{
    return recv_noread_test(OP_NBRECV);
}

TTEST(IPC_0073, "unresolvable extra cap: Send faults, NBSend does nothing (capabilities.md §9)")
{
    NEW_EP(ep);
    static struct actor r, s, n;
    actor_init(&r, OP_RECV, ep);
    SPAWN_ACTOR(receiver, &r, OP_RECV, ep, T_PRIO);
    settle();

    const seL4_CPtr bad = 1UL << 40;            /* guard mismatch in the root CNode */
    actor_init(&n, OP_NBSEND, ep);
    n.ncaps = 1;
    n.caps[0] = bad;
    n.length = 1;
    SPAWN_ACTOR(nb, &n, OP_NBSEND, ep, T_PRIO);
    settle();
    EXPECT_DONE(nb);
    EXPECT_NOT_DONE(receiver);                  /* the whole NBSend was skipped */

    actor_init(&s, OP_SEND, ep);
    s.ncaps = 1;
    s.caps[0] = bad;
    s.length = 1;
    SPAWN_ACTOR(sender, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_NOT_DONE(sender);                    /* CapFault → Inactive */
    EXPECT_AT_SYSCALL(sender);
    EXPECT_NOT_DONE(receiver);
    return PASS;
}

/* ======================================================================
 * Deletion and cancellation
 * ====================================================================== */

TTEST(IPC_0080, "deleting an endpoint restarts its senders and receivers; none is lost")
{
    /* capabilities.md §10 / objects.md §9: queued threads restart and redo
     * their syscall on the now empty slot: Send → InvalidCapability dropped
     * (the thread goes on), Call → InvalidCapability reply, Recv → CapFault
     * (Inactive).  (syscalls.md §8, faults.md §3.1: an empty slot is not a
     * lookup failure for Send/Call.) */
    NEW_EP(ep1);
    NEW_EP(ep2);
    static struct actor a, b, c, d;
    actor_init(&a, OP_SEND, ep1);
    a.length = 1;
    SPAWN_ACTOR(ta, &a, OP_SEND, ep1, T_PRIO);
    actor_init(&b, OP_CALL, ep1);
    b.length = 1;
    SPAWN_ACTOR(tb, &b, OP_CALL, ep1, T_PRIO);
    actor_init(&c, OP_RECV, ep2);
    SPAWN_ACTOR(tc, &c, OP_RECV, ep2, T_PRIO);
    actor_init(&d, OP_RECV, ep2);
    SPAWN_ACTOR(td, &d, OP_RECV, ep2, T_PRIO);
    settle();
    EXPECT(!ta->done && !tb->done && !tc->done && !td->done, "someone did not block");

    EXPECT_ERR(r_delete(ep1), seL4_NoError);
    EXPECT_ERR(r_delete(ep2), seL4_NoError);
    settle();
    EXPECT_DONE(ta);
    EXPECT_DONE(tb);
    EXPECT(INFO_LABEL(b.info) == seL4_InvalidCapability, "restarted Call got label %lu",
           (unsigned long)INFO_LABEL(b.info));
    EXPECT_NOT_DONE(tc);
    EXPECT_NOT_DONE(td);
    EXPECT(c.completed == 0 && d.completed == 0, "a receiver returned");
    EXPECT_AT_SYSCALL(tc);
    EXPECT_AT_SYSCALL(td);

    /* A new endpoint in the same slot; resumed, both wait on it again. */
    EXPECT_ERR(seL4_Untyped_Retype(env_untyped(), seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, ep2,
                                   1), seL4_NoError);
    EXPECT_ERR(seL4_TCB_Resume(tc->tcb), seL4_NoError);
    settle();
    EXPECT_ERR(seL4_TCB_Resume(td->tcb), seL4_NoError);
    settle();
    seL4_NBSend(ep2, msg_info(0x21, 0, 0));
    seL4_NBSend(ep2, msg_info(0x22, 0, 0));
    settle();
    EXPECT_DONE(tc);
    EXPECT_DONE(td);
    EXPECT(INFO_LABEL(c.info) == 0x21 && INFO_LABEL(d.info) == 0x22, "labels %#lx %#lx",
           (unsigned long)INFO_LABEL(c.info), (unsigned long)INFO_LABEL(d.info));
    return PASS;
}

TTEST(IPC_0081, "deleting a TCB blocked in a send queue removes it from the queue")
{
    NEW_EP(ep);
    static struct actor s[3];
    struct thread *t[3];
    for (int i = 0; i < 3; i++) {
        seL4_CPtr b = cap_mint(ep, seL4_AllRights, (seL4_Word)(i + 1));
        EXPECT(b != 0, "mint: %s", thread_error());
        actor_init(&s[i], OP_SEND, b);
        s[i].length = 1;
        t[i] = actor_spawn(&s[i], OP_SEND, b, T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    thread_destroy(t[1]);
    const seL4_Word want[3] = { 1, 3, 0 };
    for (int i = 0; i < 3; i++) {
        seL4_Word badge = 0x999;
        (void)seL4_NBRecv(ep, &badge);
        EXPECT(badge == want[i], "NBRecv %d: badge %lu, expected %lu", i, (unsigned long)badge,
               (unsigned long)want[i]);
    }
    settle();
    EXPECT_DONE(t[0]);
    EXPECT_DONE(t[2]);
    return PASS;
}

TTEST(IPC_0082, "deleting a TCB blocked in a receive queue removes it from the queue")
{
    NEW_EP(ep);
    static struct actor r[2];
    struct thread *t[2];
    for (int i = 0; i < 2; i++) {
        actor_init(&r[i], OP_RECV, ep);
        t[i] = actor_spawn(&r[i], OP_RECV, ep, T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    thread_destroy(t[0]);
    seL4_NBSend(ep, msg_info(0x82, 0, 0));
    settle();
    EXPECT_DONE(t[1]);
    EXPECT(INFO_LABEL(r[1].info) == 0x82, "label %#lx", (unsigned long)INFO_LABEL(r[1].info));
    return PASS;
}

TTEST(IPC_0083, "CancelBadgedSends restarts exactly the senders with that badge")
{
    NEW_EP(ep);
    NEW_MINT(b1, ep, seL4_AllRights, 1);
    NEW_MINT(b2, ep, seL4_AllRights, 2);
    static struct actor s[4];
    struct thread *t[4];
    const seL4_CPtr caps[4] = { b1, b2, b1, b2 };
    for (int i = 0; i < 4; i++) {
        actor_init(&s[i], OP_SEND, caps[i]);
        s[i].length = 1;
        s[i].seed = (seL4_Word)(830 + i);
        t[i] = actor_spawn(&s[i], OP_SEND, caps[i], T_PRIO);
        EXPECT(t[i] != NULL, "thread: %s", thread_error());
        settle();
    }
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, b1, ROOT_DEPTH), seL4_NoError);
    /* Before the restarted threads run, only the badge-2 senders are queued. */
    seL4_Word badge;
    for (int i = 0; i < 2; i++) {
        badge = 0x999;
        (void)seL4_NBRecv(ep, &badge);
        EXPECT(badge == 2, "NBRecv %d after cancel: badge %lu", i, (unsigned long)badge);
    }
    badge = 0x999;
    (void)seL4_NBRecv(ep, &badge);
    EXPECT(badge == 0, "a badge-1 sender is still queued (badge %lu)", (unsigned long)badge);
    EXPECT(s[0].completed == 0 && s[2].completed == 0, "a cancelled Send returned");
    /* Restarted: they redo their Send and queue up again. */
    settle();
    EXPECT_DONE(t[1]);
    EXPECT_DONE(t[3]);
    EXPECT_NOT_DONE(t[0]);
    EXPECT_NOT_DONE(t[2]);
    for (int i = 0; i < 2; i++) {
        badge = 0x999;
        (void)seL4_NBRecv(ep, &badge);
        EXPECT(badge == 1, "NBRecv %d after restart: badge %lu", i, (unsigned long)badge);
    }
    settle();
    EXPECT_DONE(t[0]);
    EXPECT_DONE(t[2]);
    return PASS;
}

TTEST(IPC_0084, "CancelBadgedSends: rights and type checks, badge 0 does nothing")
{
    NEW_EP(ep);
    NEW_NTFN(ntfn);
    NEW_SLOT(empty);
    NEW_MINT(b1, ep, seL4_AllRights, 1);
    NEW_COPY(b1_nogrant, b1, seL4_CapRights_new(1, 0, 1, 1));
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, b1_nogrant, ROOT_DEPTH),
               seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ntfn, ROOT_DEPTH), seL4_IllegalOperation);
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, empty, ROOT_DEPTH), seL4_IllegalOperation);

    static struct actor s;
    actor_init(&s, OP_SEND, ep);
    s.label = 0x84;
    s.length = 1;
    SPAWN_ACTOR(t, &s, OP_SEND, ep, T_PRIO);
    settle();
    EXPECT_ERR(seL4_CNode_CancelBadgedSends(ROOT_CNODE, ep, ROOT_DEPTH), seL4_NoError);
    /* Still queued (a restarted sender would not be until it runs again). */
    seL4_Word badge = 0x999;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    EXPECT(INFO_LABEL(info) == 0x84 && badge == 0, "NBRecv got info %#lx badge %#lx",
           (unsigned long)info.words[0], (unsigned long)badge);
    settle();
    EXPECT_DONE(t);
    return PASS;
}

/* ======================================================================
 * The big one
 * ====================================================================== */

#define BIG_ROUNDS 1000000UL

struct big {
    seL4_CPtr ep;
    volatile seL4_Word errors, replies;
};

static void big_server(void *arg)
{
    struct big *p = arg;
    seL4_Word badge = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(p->ep, &badge, &m0, &m1, NULL, NULL);
    for (seL4_Word i = 0;; i++) {
        if (INFO_LEN(info) != 2 || m0 != i || m1 != ~i)
            p->errors++;
        m0 = i * 3 + 1;
        m1 = i ^ 0x5A5A5A5A5A5A5A5AUL;
        if (i + 1 == BIG_ROUNDS) {
            seL4_ReplyWithMRs(msg_info(0, 0, 2), &m0, &m1, NULL, NULL);
            return;
        }
        info = seL4_ReplyRecvWithMRs(p->ep, msg_info(0, 0, 2), &badge, &m0, &m1, &m2, &m3);
    }
}

static void big_client(void *arg)
{
    struct big *p = arg;
    for (seL4_Word i = 0; i < BIG_ROUNDS; i++) {
        seL4_Word m0 = i, m1 = ~i, m2 = 0, m3 = 0;
        seL4_MessageInfo_t info = seL4_CallWithMRs(p->ep, msg_info(0, 0, 2), &m0, &m1, &m2, &m3);
        if (INFO_LEN(info) != 2 || m0 != i * 3 + 1 || m1 != (i ^ 0x5A5A5A5A5A5A5A5AUL))
            p->errors++;
        p->replies = i + 1;
    }
}

TTEST(IPC_9999, "1,000,000 Call/ReplyRecv round trips, every message checked")
{
    NEW_EP(ep);
    static struct big p;
    memset(&p, 0, sizeof(p));
    p.ep = ep;
    NEW_THREAD(server, T_PRIO);
    NEW_THREAD(client, T_PRIO);
    START(server, big_server, &p);
    settle();
    uint64_t t0 = test_rdtsc();
    START(client, big_client, &p);
    settle();
    uint64_t cycles = test_rdtsc() - t0;
    uint64_t mhz = test_tsc_mhz();
    EXPECT(p.replies == BIG_ROUNDS, "%lu of %lu round trips", (unsigned long)p.replies,
           (unsigned long)BIG_ROUNDS);
    EXPECT(p.errors == 0, "%lu bad messages", (unsigned long)p.errors);
    EXPECT_DONE(server);
    EXPECT_DONE(client);
    if (mhz != 0 && cycles != 0) {
        uint64_t us = cycles / mhz;
        uint64_t per_s = us ? (uint64_t)BIG_ROUNDS * 1000000 / us : 0;
        printf("tests: IPC_9999: %lu round trips (%lu messages) in %lu TSC cycles = %lu ms; "
               "%lu round trips/s, %lu cycles per round trip\n",
               (unsigned long)BIG_ROUNDS, (unsigned long)(2 * BIG_ROUNDS), (unsigned long)cycles,
               (unsigned long)(us / 1000), (unsigned long)per_s,
               (unsigned long)(cycles / BIG_ROUNDS));
    } else {
        printf("tests: IPC_9999: %lu round trips in %lu TSC cycles (TSC frequency unknown)\n",
               (unsigned long)BIG_ROUNDS, (unsigned long)cycles);
    }
    return PASS;
}
