/*
 * The console service, as its clients see it.  The console driver PD owns
 * COM1; other PDs print through it with protected procedure calls on a pp
 * channel, and the PD that reads input (the shell) is notified on its
 * channel when bytes arrive.  Implemented by
 * user/components/console/client.c; the wire protocol is private to the
 * console driver and its client library.
 *
 * A PD linked with the client calls console_client_init(channel) in
 * init(); from then on the runtime's stdout (printf, puts) goes through
 * the console.  Before that, and if the console does not answer (it
 * crashed and is restarting), output falls back to seL4_DebugPutChar.
 */
#ifndef ARCA_CONSOLE_H
#define ARCA_CONSOLE_H

#include <stddef.h>

void console_client_init(unsigned channel);
void console_write(const char *buf, size_t len);
/* Takes up to `len` buffered input bytes without blocking; returns how
 * many. */
size_t console_read(char *buf, size_t len);

#endif
