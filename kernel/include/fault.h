/*
 * Faults raised by user threads (faults.md). The numbers are seL4's fault
 * types, which are also the labels of fault IPC messages.
 */
#ifndef FAULT_H
#define FAULT_H

#include "thread.h"

/*
 * Delivers the fault (faults.md §2): as if the thread did a Call with
 * GrantReply on its fault handler endpoint. If the handler cannot be used
 * the kernel prints one decoded line naming the thread and makes it
 * Inactive.
 */
void handle_fault(tcb_t *t, const fault_t *f);

/* The fault message for the handler: label = fault type, MRs (faults.md §3). */
unsigned fault_message(const tcb_t *t, word_t *mrs, unsigned max);

/*
 * The handler replied to t's fault (faults.md §4): interpret the reply's
 * label and MRs; the thread restarts or stays Inactive.
 */
void fault_reply(tcb_t *t, word_t label, unsigned length, const word_t *mrs);

/* Writes a one-line description of the fault into buf. */
void fault_describe(const fault_t *f, char *buf, size_t size);

#endif
