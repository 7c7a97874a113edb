/* The IPC fastpath (api/fastpath.c). */
#ifndef FASTPATH_H
#define FASTPATH_H

#include "thread.h"

#ifndef CONFIG_FASTPATH
#define CONFIG_FASTPATH 1
#endif

extern bool fastpath_enabled;

/*
 * Called by the syscall entry stub for Call and ReplyRecv: handle the
 * syscall completely and leave the kernel if the case is simple enough,
 * else continue into c_handle_syscall having changed nothing.
 */
NORETURN void c_fastpath_call(void);
NORETURN void c_fastpath_reply_recv(void);
/* The same for Send and NBSend, which may be a Signal of a notification. */
NORETURN void c_fastpath_signal(void);

#endif
