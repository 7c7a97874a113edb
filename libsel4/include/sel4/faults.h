/*
 * Arca libsel4 -- recognising fault messages.
 *
 * A fault arrives at the handler as an IPC whose label is the fault type
 * (enum seL4_Fault_tag in <sel4/constants.h>) and whose MRs are laid out as
 * given by seL4_CapFault_Msg, seL4_UnknownSyscall_Msg,
 * seL4_UserException_Msg and seL4_VMFault_Msg.
 */
#pragma once

#include <sel4/simple_types.h>
#include <sel4/messageinfo.h>
#include <sel4/constants.h>

static inline seL4_Bool seL4_isNullFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_NullFault;
}

static inline seL4_Bool seL4_isCapFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_CapFault;
}

static inline seL4_Bool seL4_isUnknownSyscall_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UnknownSyscall;
}

static inline seL4_Bool seL4_isUserException_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UserException;
}

static inline seL4_Bool seL4_isVMFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_VMFault;
}
