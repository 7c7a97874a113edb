/*
 * The console driver's wire protocol, private to the driver (console.c)
 * and its client library (client.c), and the pure helpers both use: the
 * byte packing into message registers, request validation and the receive
 * ring.  No system calls here, so the host tests (tests/host/test_console.c)
 * run exactly this code.
 *
 * Requests are protected procedure calls on the client's pp channel:
 *
 *   CONSOLE_OP_WRITE  MR0 = n (1..CONSOLE_CHUNK), MR1.. = the n bytes packed
 *                     8 per word, little endian.
 *                     Reply CONSOLE_OK, MR0 = n (all of it was sent).
 *   CONSOLE_OP_READ   MR0 = the most bytes wanted (1..CONSOLE_CHUNK).
 *                     Reply CONSOLE_OK, MR0 = n (0 if nothing is buffered),
 *                     MR1.. = the bytes.  Never blocks.
 *
 * Anything else is answered with CONSOLE_EINVAL and no message registers.
 * A reply labelled ARCA_LABEL_PD_RESTARTED (monitor.h) means the driver
 * crashed during the request and has restarted.
 */
#ifndef ARCA_CONSOLE_PROTO_H
#define ARCA_CONSOLE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_OP_WRITE 1u
#define CONSOLE_OP_READ  2u

#define CONSOLE_OK       0u
#define CONSOLE_EINVAL   1u

#define CONSOLE_CHUNK       512u                        /* bytes per request */
#define CONSOLE_CHUNK_WORDS (CONSOLE_CHUNK / 8u)        /* 64 message registers */

static inline size_t console_words(size_t n)
{
    return (n + 7) / 8;
}

/* Packs n bytes (n <= CONSOLE_CHUNK) into console_words(n) words. */
static inline void console_pack(const char *buf, size_t n, uint64_t *words)
{
    for (size_t w = 0; w < console_words(n); w++)
        words[w] = 0;
    for (size_t i = 0; i < n; i++)
        words[i / 8] |= (uint64_t)(unsigned char)buf[i] << (8 * (i % 8));
}

static inline void console_unpack(const uint64_t *words, size_t n, char *buf)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(words[i / 8] >> (8 * (i % 8)));
}

/*
 * Validates a request: returns the byte count it names (1..CONSOLE_CHUNK),
 * or 0 if it is malformed -- an unknown label, too few message registers
 * for the bytes it claims, a count of 0 or above CONSOLE_CHUNK.
 */
static inline size_t console_check_request(uint64_t label, uint64_t mr_count, uint64_t mr0)
{
    if (mr_count < 1 || mr0 == 0 || mr0 > CONSOLE_CHUNK)
        return 0;
    if (label == CONSOLE_OP_WRITE)
        return mr_count >= 1 + console_words(mr0) ? (size_t)mr0 : 0;
    if (label == CONSOLE_OP_READ)
        return (size_t)mr0;
    return 0;
}

/* Received bytes waiting for a reader.  When full, new bytes are dropped
 * (and counted): the oldest input is what the reader expects next. */
#define CONSOLE_RING_SIZE 4096u     /* a power of two */

struct console_ring {
    unsigned char buf[CONSOLE_RING_SIZE];
    uint32_t head;                  /* next byte to read */
    uint32_t tail;                  /* next free slot; head == tail: empty */
    uint32_t dropped;
};

static inline size_t console_ring_used(const struct console_ring *r)
{
    return (uint32_t)(r->tail - r->head);
}

static inline void console_ring_push(struct console_ring *r, unsigned char c)
{
    if (console_ring_used(r) >= CONSOLE_RING_SIZE) {
        r->dropped++;
        return;
    }
    r->buf[r->tail % CONSOLE_RING_SIZE] = c;
    r->tail++;
}

/* Takes up to n bytes; returns how many. */
static inline size_t console_ring_pop(struct console_ring *r, char *out, size_t n)
{
    size_t i = 0;

    while (i < n && r->head != r->tail) {
        out[i++] = (char)r->buf[r->head % CONSOLE_RING_SIZE];
        r->head++;
    }
    return i;
}

#endif
