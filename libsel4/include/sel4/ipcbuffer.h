/*
 * Arca libsel4 -- the IPC buffer and its accessors.
 *
 * Each thread has a 1024-byte, 1024-aligned IPC buffer.  Message registers
 * 0..3 travel in CPU registers during a system call; the stubs copy them
 * between the registers and msg[0..3] here.  MRs 4..119, extra caps and the
 * receive path are read and written by the kernel directly in the buffer.
 *
 * The address of the calling thread's buffer is kept in the thread-local
 * variable __sel4_ipc_buffer (defined once, in libsel4/src/ipcbuffer.c); the
 * runtime sets it with seL4_SetIPCBuffer() before any IPC.
 */
#pragma once

#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/messageinfo.h>
#include <sel4/constants.h>

typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;                           /* byte    0 */
    seL4_Word msg[seL4_MsgMaxLength];                 /* byte    8 */
    seL4_Word userData;                               /* byte  968 */
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];   /* byte  976 */
    seL4_CPtr receiveCNode;                           /* byte 1000 */
    seL4_CPtr receiveIndex;                           /* byte 1008 */
    seL4_Word receiveDepth;                           /* byte 1016 */
} seL4_IPCBuffer __attribute__((__aligned__(sizeof(struct seL4_IPCBuffer_))));

SEL4_COMPILE_ASSERT(ipcbuf_size, sizeof(seL4_IPCBuffer) == 1024)
SEL4_COMPILE_ASSERT(ipcbuf_size_bits, sizeof(seL4_IPCBuffer) == (1u << seL4_IPCBufferSizeBits))
SEL4_COMPILE_ASSERT(ipcbuf_align, __alignof__(seL4_IPCBuffer) == 1024)
SEL4_COMPILE_ASSERT(ipcbuf_tag, SEL4_OFFSETOF(seL4_IPCBuffer, tag) == 0)
SEL4_COMPILE_ASSERT(ipcbuf_msg, SEL4_OFFSETOF(seL4_IPCBuffer, msg) == 8)
SEL4_COMPILE_ASSERT(ipcbuf_userData, SEL4_OFFSETOF(seL4_IPCBuffer, userData) == 968)
SEL4_COMPILE_ASSERT(ipcbuf_caps_or_badges, SEL4_OFFSETOF(seL4_IPCBuffer, caps_or_badges) == 976)
SEL4_COMPILE_ASSERT(ipcbuf_receiveCNode, SEL4_OFFSETOF(seL4_IPCBuffer, receiveCNode) == 1000)
SEL4_COMPILE_ASSERT(ipcbuf_receiveIndex, SEL4_OFFSETOF(seL4_IPCBuffer, receiveIndex) == 1008)
SEL4_COMPILE_ASSERT(ipcbuf_receiveDepth, SEL4_OFFSETOF(seL4_IPCBuffer, receiveDepth) == 1016)

extern LIBSEL4_THREAD_LOCAL seL4_IPCBuffer *__sel4_ipc_buffer;

static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

/* Message register i (0 <= i < seL4_MsgMaxLength) as stored in the buffer. */
static inline seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

static inline void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

static inline seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

static inline void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

/* Badge of the i-th received cap that was unwrapped (see capsUnwrapped). */
static inline seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

static inline seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

/* Set the i-th extra cap to send (count given by the extraCaps field). */
static inline void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

/* Read the slot where a received cap will be stored; NULL outputs are skipped. */
static inline void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode,
                                          seL4_CPtr *receiveIndex,
                                          seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *buffer = seL4_GetIPCBuffer();

    if (receiveCNode != seL4_Null) {
        *receiveCNode = buffer->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = buffer->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = buffer->receiveDepth;
    }
}

/*
 * Choose the slot for a received cap: receiveCNode is looked up in the
 * thread's CSpace (depth 64), then receiveIndex/receiveDepth inside it.
 */
static inline void seL4_SetCapReceivePath(seL4_CPtr receiveCNode,
                                          seL4_CPtr receiveIndex,
                                          seL4_Word receiveDepth)
{
    seL4_IPCBuffer *buffer = seL4_GetIPCBuffer();

    buffer->receiveCNode = receiveCNode;
    buffer->receiveIndex = receiveIndex;
    buffer->receiveDepth = receiveDepth;
}
