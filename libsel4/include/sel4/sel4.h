/*
 * Arca libsel4 -- umbrella header.  User code includes <sel4/sel4.h>.
 *
 * Arca is binary-compatible with seL4 16.0.0 (x86_64, pc99, non-MCS,
 * configuration Q); these headers give seL4 user code the same names,
 * types, constants and system call stubs.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/types.h>
#include <sel4/messageinfo.h>
#include <sel4/constants.h>
#include <sel4/syscall.h>
#include <sel4/ipcbuffer.h>
#include <sel4/bootinfo.h>
#include <sel4/faults.h>
#include <sel4/syscalls.h>
#include <sel4/invocation.h>
#include <sel4/client.h>
#include <sel4/arca.h>
