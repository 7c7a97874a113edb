/*
 * The console client library (<arca/console.h>): output and input through
 * protected procedure calls to the console driver PD (console_proto.h).
 *
 * Failure policy: a reply labelled ARCA_LABEL_PD_RESTARTED means the
 * driver crashed while serving us and has come back; the bytes of a write
 * may or may not have gone out, so the chunk is sent again (a few
 * duplicated characters beat lost ones), at most CONSOLE_RETRIES times.
 * Any other unexpected reply -- or no console channel yet -- sends the
 * bytes to the kernel's debug console instead, so output is never lost
 * silently.  A read that meets a restart returns 0: the ring went with the
 * old driver, and new input will notify us again.
 */
#include <stddef.h>
#include <stdint.h>
#include <microkit.h>

#include <arca/console.h>
#include <arca/monitor.h>
#include <arca/pd.h>

#include "console_proto.h"

#define CONSOLE_RETRIES 3
#define NO_CHANNEL      (~0u)

static unsigned console_ch = NO_CHANNEL;

static void debug_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        microkit_dbg_putc(buf[i]);
}

/* One chunk (1..CONSOLE_CHUNK bytes); returns 1 if the driver took it. */
static int write_chunk(const char *buf, size_t n)
{
    uint64_t words[CONSOLE_CHUNK_WORDS];
    size_t nw = console_words(n);

    console_pack(buf, n, words);
    for (int attempt = 0; attempt < CONSOLE_RETRIES; attempt++) {
        /* The registers are refilled every time: a reply overwrites them. */
        microkit_mr_set(0, n);
        for (size_t w = 0; w < nw; w++)
            microkit_mr_set((uint8_t)(1 + w), words[w]);
        microkit_msginfo reply = microkit_ppcall(console_ch,
                                                 microkit_msginfo_new(CONSOLE_OP_WRITE,
                                                                      (uint16_t)(1 + nw)));
        uint64_t label = microkit_msginfo_get_label(reply);
        if (label == CONSOLE_OK)
            return 1;
        if (label != ARCA_LABEL_PD_RESTARTED)
            return 0;
    }
    return 0;
}

void console_write(const char *buf, size_t len)
{
    while (len > 0) {
        size_t n = len < CONSOLE_CHUNK ? len : CONSOLE_CHUNK;
        if (console_ch == NO_CHANNEL || !write_chunk(buf, n))
            debug_write(buf, n);
        buf += n;
        len -= n;
    }
}

size_t console_read(char *buf, size_t len)
{
    uint64_t words[CONSOLE_CHUNK_WORDS];

    if (console_ch == NO_CHANNEL || len == 0)
        return 0;
    size_t want = len < CONSOLE_CHUNK ? len : CONSOLE_CHUNK;
    microkit_mr_set(0, want);
    microkit_msginfo reply = microkit_ppcall(console_ch,
                                             microkit_msginfo_new(CONSOLE_OP_READ, 1));
    if (microkit_msginfo_get_label(reply) != CONSOLE_OK ||
        microkit_msginfo_get_count(reply) < 1)
        return 0;
    /* Trust nothing: the count must fit what we asked for and what the
     * message carries. */
    uint64_t n = microkit_mr_get(0);
    if (n > want || microkit_msginfo_get_count(reply) < 1 + console_words(n))
        return 0;
    for (size_t w = 0; w < console_words(n); w++)
        words[w] = microkit_mr_get((uint8_t)(1 + w));
    console_unpack(words, n, buf);
    return n;
}

void console_client_init(unsigned channel)
{
    if (channel > MICROKIT_MAX_CHANNEL_ID)
        return;
    console_ch = channel;
    arca_set_stdout(console_write);
}
