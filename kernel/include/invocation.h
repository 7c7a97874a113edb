/*
 * Invocations: a Send/NBSend/Call on a cap that names a kernel object.
 *
 * The syscall layer gathers everything an invocation may read into one
 * invocation_t (the invoked slot and cap, label, message length, message
 * registers and the extra caps, already looked up), then hands it to the
 * object's decode function. Decode validates everything and either fails
 * with a syscall_error_t (changing nothing) or performs the operation,
 * which can then no longer fail.
 */
#ifndef INVOCATION_H
#define INVOCATION_H

#include "thread.h"
#include "cspace.h"
#include <sel4/constants.h>
#include <sel4/invocation.h>

#define MAX_EXTRA_CAPS  3
#define INVOCATION_MAX_REPLY 20 /* the longest reply: ReadRegisters */

typedef struct invocation {
    tcb_t *caller;
    cte_t *slot;                /* the invoked cap's slot */
    cap_t cap;
    word_t label;
    unsigned length;            /* message length, clipped (syscalls.md §6.2) */
    const word_t *buffer;       /* caller's IPC buffer, NULL if none */
    unsigned num_extra;         /* extra caps successfully looked up */
    cte_t *extra[MAX_EXTRA_CAPS];
    bool is_call;
    bool blocking;              /* Send/Call, not NBSend */
    /*
     * Set by a long operation that stopped at a preemption point: the
     * caller gets no reply and re-executes the system call (Restart).
     */
    bool preempted;
    /* Reply data for invocations that return values (label 0). */
    unsigned reply_length;      /* never above INVOCATION_MAX_REPLY */
    word_t reply[INVOCATION_MAX_REPLY];
} invocation_t;

/* An error to report: seL4's code plus its message registers. */
typedef struct syscall_error {
    seL4_Error type;
    unsigned num_mrs;
    word_t mrs[5];
    const char *reason;         /* for the debug diagnostic line */
} syscall_error_t;

word_t inv_mr(const invocation_t *inv, unsigned i);

/* Result helpers; each returns false so decode functions can "return err_...". */
bool err_simple(syscall_error_t *e, seL4_Error type, const char *reason);
bool err_invalid_argument(syscall_error_t *e, word_t index, const char *reason);
bool err_invalid_capability(syscall_error_t *e, word_t index, const char *reason);
bool err_range(syscall_error_t *e, word_t min, word_t max, const char *reason);
bool err_failed_lookup(syscall_error_t *e, bool source, const lookup_fault_t *lf,
                       const char *reason);
bool err_not_enough_memory(syscall_error_t *e, word_t available);

/*
 * The CNode-operation lookup (capabilities.md §1): root must be a CNode cap,
 * depth 1..64, the whole depth must be consumed. On failure fills e.
 */
cte_t *lookup_target_slot(cap_t root, word_t index, word_t depth, bool source,
                          syscall_error_t *e);

/* IPC buffer word index of caps_or_badges[0] (syscalls.md §6.1). */
#define IPC_BUFFER_CAPS_WORD 122

/* Decodes and performs; for Call writes the reply into the caller's registers. */
void perform_invocation(invocation_t *inv);

/*
 * seL4's deriveCap (capabilities.md §7): the cap a Copy, Mint, cap transfer
 * or TCB Configure stores. A null *out means "not derivable".
 */
bool cap_derive(cte_t *src, cap_t cap, cap_t *out, syscall_error_t *e);
/* seL4's updateCapData (badge or guard); null if not allowed. */
cap_t cap_update_data(bool preserve, word_t data, cap_t cap);

/* Object decoders: return true on success (performed), false with e set. */
bool decode_cnode_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_untyped_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_tcb_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_domain_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_irq_control_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_irq_handler_invocation(invocation_t *inv, syscall_error_t *e);
bool decode_ioport_invocation(invocation_t *inv, syscall_error_t *e);
/* The last cap to an I/O port range is gone: the ports can be issued again. */
void ioport_release(cap_t cap);
/* Architecture objects (x86_64: paging structures, frames, ASIDs). */
bool decode_arch_invocation(invocation_t *inv, syscall_error_t *e);

/* Debug: print failed invocations (kernel command line print_errors=0|1). */
extern bool invocation_print_errors;
const char *invocation_label_name(word_t label);

#endif
