/* user/components/console/console_proto.h: packing, request checks, the ring. */
#include <string.h>

#include "harness.h"
#include "../../user/components/console/console_proto.h"

HOST_TEST(CONSOLE_0001)     /* pack/unpack round trip for every length, LE layout */
{
    char in[CONSOLE_CHUNK], back[CONSOLE_CHUNK];
    uint64_t words[CONSOLE_CHUNK_WORDS + 1];

    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (char)(i * 37 + 11);
    for (size_t n = 0; n <= CONSOLE_CHUNK; n++) {
        words[console_words(n)] = 0xdeadbeef;           /* must stay untouched */
        console_pack(in, n, words);
        CHECK_EQ(words[console_words(n)], 0xdeadbeef);
        memset(back, 0, sizeof(back));
        console_unpack(words, n, back);
        CHECK(memcmp(in, back, n) == 0);
    }
    console_pack("abcdefghi", 9, words);
    CHECK_EQ(words[0], 0x6867666564636261ull);
    CHECK_EQ(words[1], 0x69);
    CHECK_EQ(console_words(0), 0);
    CHECK_EQ(console_words(8), 1);
    CHECK_EQ(console_words(CONSOLE_CHUNK), CONSOLE_CHUNK_WORDS);
}

HOST_TEST(CONSOLE_0002)     /* requests: malformed ones are refused */
{
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 2, 8), 8);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 2, 9), 0);     /* needs 3 MRs */
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 3, 9), 9);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 1 + CONSOLE_CHUNK_WORDS, CONSOLE_CHUNK),
             CONSOLE_CHUNK);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 120, CONSOLE_CHUNK + 1), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 2, 0), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 0, 5), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_WRITE, 120, ~0ull), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_READ, 1, 100), 100);
    CHECK_EQ(console_check_request(CONSOLE_OP_READ, 0, 100), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_READ, 1, CONSOLE_CHUNK + 1), 0);
    CHECK_EQ(console_check_request(CONSOLE_OP_READ, 1, 0), 0);
    CHECK_EQ(console_check_request(0, 2, 1), 0);
    CHECK_EQ(console_check_request(3, 2, 1), 0);
    CHECK_EQ(console_check_request(1ull << 40, 2, 1), 0);
}

HOST_TEST(CONSOLE_0003)     /* ring: FIFO order, wrap-around, overflow drops the newest */
{
    static struct console_ring r;
    char buf[CONSOLE_RING_SIZE + 16];

    memset(&r, 0, sizeof(r));
    CHECK_EQ(console_ring_pop(&r, buf, 10), 0);
    /* Push and pop across the wrap point many times. */
    unsigned next_in = 0, next_out = 0;
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 1000; i++)
            console_ring_push(&r, (unsigned char)next_in++);
        size_t got = console_ring_pop(&r, buf, 1000);
        CHECK_EQ(got, 1000);
        for (size_t i = 0; i < got; i++)
            CHECK_EQ((unsigned char)buf[i], (unsigned char)next_out++);
    }
    CHECK_EQ(console_ring_used(&r), 0);
    for (unsigned i = 0; i < CONSOLE_RING_SIZE + 5; i++)
        console_ring_push(&r, (unsigned char)(i & 0xff));
    CHECK_EQ(console_ring_used(&r), CONSOLE_RING_SIZE);
    CHECK_EQ(r.dropped, 5);
    CHECK_EQ(console_ring_pop(&r, buf, sizeof(buf)), CONSOLE_RING_SIZE);
    CHECK_EQ((unsigned char)buf[0], 0);
    CHECK_EQ((unsigned char)buf[CONSOLE_RING_SIZE - 1], (CONSOLE_RING_SIZE - 1) & 0xff);
}

HOST_TEST(CONSOLE_0004)     /* ring: counters wrap past 2^32 */
{
    static struct console_ring r;
    char buf[8];

    memset(&r, 0, sizeof(r));
    r.head = r.tail = 0xfffffffeu;
    for (int i = 0; i < 5; i++)
        console_ring_push(&r, (unsigned char)('a' + i));
    CHECK_EQ(console_ring_used(&r), 5);
    CHECK_EQ(console_ring_pop(&r, buf, sizeof(buf)), 5);
    CHECK(memcmp(buf, "abcde", 5) == 0);
    CHECK_EQ(console_ring_used(&r), 0);
}
