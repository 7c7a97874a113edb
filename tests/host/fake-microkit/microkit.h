/*
 * A host stand-in for <microkit.h>, enough for client libraries under
 * test (tests/host/test_console.c): message registers are an array, and a
 * ppcall goes to a function the test installs (fake_ppcall_handler).
 */
#ifndef FAKE_MICROKIT_H
#define FAKE_MICROKIT_H

#include <stdint.h>

typedef unsigned int microkit_channel;
typedef struct {
    uint64_t label;
    uint64_t count;
} microkit_msginfo;

#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define FAKE_MRS 120

extern uint64_t fake_mrs[FAKE_MRS];
/* The "server": sees the request in fake_mrs, leaves its reply there. */
extern microkit_msginfo (*fake_ppcall_handler)(microkit_channel ch, microkit_msginfo msg);
void microkit_dbg_putc(int c);

static inline microkit_msginfo microkit_msginfo_new(uint64_t label, uint16_t count)
{
    return (microkit_msginfo){ label, count };
}

static inline uint64_t microkit_msginfo_get_label(microkit_msginfo m)
{
    return m.label;
}

static inline uint64_t microkit_msginfo_get_count(microkit_msginfo m)
{
    return m.count;
}

static inline void microkit_mr_set(uint8_t mr, uint64_t v)
{
    if (mr < FAKE_MRS)
        fake_mrs[mr] = v;
}

static inline uint64_t microkit_mr_get(uint8_t mr)
{
    return mr < FAKE_MRS ? fake_mrs[mr] : 0;
}

static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msg)
{
    return fake_ppcall_handler(ch, msg);
}

#endif
