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

/* --- the client library (client.c) against a fake driver ------------------ */

#include <arca/console.h>
#include <arca/monitor.h>
#include <arca/pd.h>
#include "fake-microkit/microkit.h"

uint64_t fake_mrs[FAKE_MRS];
microkit_msginfo (*fake_ppcall_handler)(microkit_channel ch, microkit_msginfo msg);

static char dbg[4096];          /* what went to the kernel's debug console */
static size_t dbg_len;
static arca_write_fn installed_stdout;

void microkit_dbg_putc(int c)
{
    if (dbg_len < sizeof(dbg))
        dbg[dbg_len++] = (char)c;
}

void arca_set_stdout(arca_write_fn write)
{
    installed_stdout = write;
}

/* The fake driver: what it printed, how it answers. */
static char tx[8192];
static size_t tx_len;
static unsigned calls, restarts_left, last_ch;
static uint64_t reply_label;            /* label for a normal answer */
static const char *rx_data;             /* what READ hands out */
static uint64_t read_count_override;    /* nonzero: claim this many bytes */
static uint64_t read_mrs_override;      /* nonzero: reply with this many MRs */

static microkit_msginfo fake_driver(microkit_channel ch, microkit_msginfo msg)
{
    calls++;
    last_ch = ch;
    if (restarts_left > 0) {
        restarts_left--;
        return microkit_msginfo_new(ARCA_LABEL_PD_RESTARTED, 0);
    }
    uint64_t label = microkit_msginfo_get_label(msg);
    size_t n = console_check_request(label, microkit_msginfo_get_count(msg), fake_mrs[0]);
    CHECK(n > 0);                       /* the client never sends a malformed request */
    if (label == CONSOLE_OP_WRITE) {
        char bytes[CONSOLE_CHUNK];
        console_unpack(&fake_mrs[1], n, bytes);
        CHECK(tx_len + n <= sizeof(tx));
        memcpy(tx + tx_len, bytes, n);
        tx_len += n;
        return microkit_msginfo_new(reply_label, 1);
    }
    size_t got = strlen(rx_data) < n ? strlen(rx_data) : n;
    console_pack(rx_data, got, &fake_mrs[1]);
    rx_data += got;
    fake_mrs[0] = read_count_override ? read_count_override : got;
    uint64_t mrs = read_mrs_override ? read_mrs_override : 1 + console_words(got);
    return microkit_msginfo_new(reply_label, (uint16_t)mrs);
}

static void client_reset(void)
{
    memset(fake_mrs, 0, sizeof(fake_mrs));
    fake_ppcall_handler = fake_driver;
    dbg_len = tx_len = 0;
    calls = restarts_left = 0;
    last_ch = ~0u;
    reply_label = CONSOLE_OK;
    rx_data = "";
    read_count_override = read_mrs_override = 0;
    installed_stdout = NULL;
}

HOST_TEST(CONSOLE_0005)     /* before init: debug console; init installs stdout; 512-byte chunks */
{
    static char big[1300];
    char c;
    /* The first client test to run (by name): no channel yet. */
    client_reset();
    console_write("early", 5);
    CHECK_EQ(calls, 0);
    CHECK_EQ(dbg_len, 5);
    CHECK(memcmp(dbg, "early", 5) == 0);
    CHECK_EQ(console_read(&c, 1), 0);
    CHECK_EQ(calls, 0);
    client_reset();
    console_client_init(3);
    CHECK(installed_stdout == console_write);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    console_write(big, sizeof(big));
    CHECK_EQ(calls, 3);                 /* 512 + 512 + 276 */
    CHECK_EQ(last_ch, 3);
    CHECK_EQ(tx_len, sizeof(big));
    CHECK(memcmp(tx, big, sizeof(big)) == 0);
    CHECK_EQ(dbg_len, 0);
    console_write(big, 0);
    CHECK_EQ(calls, 3);
}

HOST_TEST(CONSOLE_0006)     /* a restarted driver: the chunk is sent again, then given up */
{
    client_reset();
    console_client_init(1);
    restarts_left = 2;
    console_write("hello", 5);
    CHECK_EQ(calls, 3);                 /* two restarts, then accepted */
    CHECK_EQ(tx_len, 5);
    CHECK(memcmp(tx, "hello", 5) == 0);
    CHECK_EQ(dbg_len, 0);
    /* Restarting forever: three tries, then the debug console has it. */
    calls = 0;
    restarts_left = 100;
    console_write("lost?", 5);
    CHECK_EQ(calls, 3);
    CHECK_EQ(dbg_len, 5);
    CHECK(memcmp(dbg, "lost?", 5) == 0);
}

HOST_TEST(CONSOLE_0007)     /* a bad channel is ignored; a refusal goes to the debug console */
{
    client_reset();
    console_client_init(2);
    installed_stdout = NULL;
    console_client_init(70);            /* not a channel: ignored */
    CHECK(installed_stdout == NULL);
    console_write("y", 1);
    CHECK_EQ(last_ch, 2);
    CHECK_EQ(tx_len, 1);
    reply_label = CONSOLE_EINVAL;
    calls = 0;
    console_write("x", 1);
    CHECK_EQ(calls, 1);                 /* no retry for a refusal */
    CHECK_EQ(dbg_len, 1);
    CHECK_EQ(dbg[0], 'x');
}

HOST_TEST(CONSOLE_0008)     /* reads: the data, and replies that do not add up are dropped */
{
    char buf[600];
    client_reset();
    console_client_init(0);
    rx_data = "ls /\r";
    CHECK_EQ(console_read(buf, 3), 3);
    CHECK(memcmp(buf, "ls ", 3) == 0);
    CHECK_EQ(fake_mrs[0], 3);
    CHECK_EQ(console_read(buf, sizeof(buf)), 2);
    CHECK(memcmp(buf, "/\r", 2) == 0);
    CHECK_EQ(console_read(buf, sizeof(buf)), 0);
    /* More than asked for. */
    rx_data = "abcdef";
    read_count_override = 5;
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(console_read(buf, 4), 0);
    CHECK_EQ(buf[0], 0);
    /* Fewer registers than the count needs. */
    read_count_override = 0;
    rx_data = "0123456789abcdef";
    read_mrs_override = 2;              /* 16 bytes need 3 */
    CHECK_EQ(console_read(buf, 16), 0);
    /* A restart during a read: nothing, no retry. */
    read_mrs_override = 0;
    restarts_left = 1;
    calls = 0;
    CHECK_EQ(console_read(buf, 16), 0);
    CHECK_EQ(calls, 1);
}
