/*
 * A fault as the kernel records it in the faulting thread's TCB until the
 * handler replies (faults.md). The numbers are seL4's fault types, which
 * are also the labels of fault messages.
 */
#ifndef FAULTINFO_H
#define FAULTINFO_H

#include "cspace.h"

typedef enum fault_type {
    FAULT_NULL = 0,
    FAULT_CAP = 1,
    FAULT_UNKNOWN_SYSCALL = 2,
    FAULT_USER_EXCEPTION = 3,
    FAULT_VM = 5,
} fault_type_t;

typedef struct fault {
    fault_type_t type;
    word_t ip;              /* FaultIP */
    union {
        struct { word_t number; } unknown_syscall;
        struct { word_t number; word_t code; } user_exception;
        struct { word_t addr; word_t fsr; bool prefetch; } vm;
        struct { word_t addr; bool in_recv_phase; lookup_fault_t lookup; } cap;
    } u;
} fault_t;

#endif
