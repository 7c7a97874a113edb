/*
 * Arca libsel4 -- the one out-of-line definition libsel4 needs: the
 * thread-local pointer to the calling thread's IPC buffer.  The runtime sets
 * it (seL4_SetIPCBuffer) once the thread's TLS block exists.
 */
#include <sel4/sel4.h>

LIBSEL4_THREAD_LOCAL seL4_IPCBuffer *__sel4_ipc_buffer;
