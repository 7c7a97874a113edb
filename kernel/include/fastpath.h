/* The IPC fastpath (api/fastpath.c). */
#ifndef FASTPATH_H
#define FASTPATH_H

#include "thread.h"

#ifndef CONFIG_FASTPATH
#define CONFIG_FASTPATH 1
#endif

extern bool fastpath_enabled;

/*
 * Handles Call or ReplyRecv completely and leaves the kernel if the case
 * is simple enough; otherwise returns having changed nothing.
 */
void fastpath_try(tcb_t *cur, sword_t number);

#endif
