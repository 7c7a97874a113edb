/*
 * The monitor protocol: how a PD asks the system initialiser (which stays
 * on as the monitor and fault handler of every PD) about PDs.
 *
 * A PD reaches the monitor through a channel whose other end is the
 * reserved name "monitor" in the .system file, with pp="true" on the PD's
 * end:
 *     <channel><end pd="shell" id="9" pp="true"/><end pd="monitor" id="0"/></channel>
 * and calls microkit_ppcall(9, ...).  Only PDs given such a channel can
 * use it.
 *
 * Names travel as up to 64 bytes packed little-endian into message
 * registers 0..7 (NUL padded); monitor_pack_name / monitor_unpack_name do
 * it.
 */
#ifndef ARCA_MONITOR_H
#define ARCA_MONITOR_H

#include <stdint.h>

/* Request labels. */
#define MONITOR_PD_INFO  1 /* MR0 = pd index -> reply below, or label MONITOR_ENOENT */
#define MONITOR_CRASH    2 /* MR0..7 = name: make that PD fault now */
#define MONITOR_RESTART  3 /* MR0..7 = name: restart it (fresh state, same caps) */

/* Reply labels. */
#define MONITOR_OK       0
#define MONITOR_ENOENT   1 /* no such PD */
#define MONITOR_EINVAL   2 /* malformed request */
#define MONITOR_EPERM    3 /* not allowed (e.g. crashing the monitor itself) */

/* MONITOR_PD_INFO reply (label MONITOR_OK):
 *   MR0..7  name
 *   MR8     state (below)
 *   MR9     restart count
 *   MR10    faults so far */
#define MONITOR_INFO_MRS 11
#define MONITOR_STATE_RUNNING 1 /* started, not faulted (may be blocked) */
#define MONITOR_STATE_STOPPED 2 /* faulted and left stopped, or never started */

#define MONITOR_NAME_WORDS 8

/*
 * The label a restarted PD replies with, first thing, to whoever was
 * blocked in a ppcall to it when it faulted (its reply cap survives the
 * restart; with no caller the reply does nothing).  Client libraries turn
 * it into their "server restarted" error.
 */
#define ARCA_LABEL_PD_RESTARTED 0xfffffu

static inline void monitor_pack_name(const char *name, uint64_t words[MONITOR_NAME_WORDS])
{
    for (int i = 0; i < MONITOR_NAME_WORDS; i++)
        words[i] = 0;
    for (int i = 0; i < 8 * MONITOR_NAME_WORDS - 1 && name[i]; i++)
        words[i / 8] |= (uint64_t)(unsigned char)name[i] << (8 * (i % 8));
}

static inline void monitor_unpack_name(const uint64_t words[MONITOR_NAME_WORDS],
                                       char out[8 * MONITOR_NAME_WORDS])
{
    for (int i = 0; i < 8 * MONITOR_NAME_WORDS; i++)
        out[i] = (char)(words[i / 8] >> (8 * (i % 8)));
    out[8 * MONITOR_NAME_WORDS - 1] = '\0';
}

#endif
