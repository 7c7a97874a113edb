/* kernel/core/printf.c: kformat, kvsnprintf/ksnprintf, kprintf/kputs. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "console.h"
#include "printf.h"

/* The console the kernel would write to: records everything. */
static char console_buf[256];
static size_t console_len;

void console_putchar(char c)
{
    if (console_len + 1 < sizeof(console_buf))
        console_buf[console_len++] = c;
    console_buf[console_len] = '\0';
}

/* Formats into a fresh buffer; no format attribute so odd formats compile. */
static char out[256];

static const char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    memset(out, 'Z', sizeof(out));
    kvsnprintf(out, sizeof(out), f, ap);
    va_end(ap);
    return out;
}

static int fmt_ret(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = kvsnprintf(buf, size, f, ap);
    va_end(ap);
    return n;
}

HOST_TEST(PRINTF_0001)
{
    /* Each conversion once. */
    CHECK_STR(fmt("d=%d i=%i u=%u x=%x X=%X o=%o c=%c s=%s %%", -42, 7, 42u, 0x2au,
                  0xABCu, 8u, 'z', "hi"),
              "d=-42 i=7 u=42 x=2a X=ABC o=10 c=z s=hi %");
    CHECK_STR(fmt("plain text"), "plain text");
    CHECK_STR(fmt(""), "");
}

HOST_TEST(PRINTF_0002)
{
    /* Width, '-', '0', '+', ' '. */
    CHECK_STR(fmt("[%5d]", 42), "[   42]");
    CHECK_STR(fmt("[%-5d]", 42), "[42   ]");
    CHECK_STR(fmt("[%05d]", 42), "[00042]");
    CHECK_STR(fmt("[%05d]", -42), "[-0042]");
    CHECK_STR(fmt("[%-05d]", -42), "[-42  ]");
    CHECK_STR(fmt("[%+d]", 5), "[+5]");
    CHECK_STR(fmt("[% d]", 5), "[ 5]");
    CHECK_STR(fmt("[%+d]", -5), "[-5]");
    CHECK_STR(fmt("[%5s]", "ab"), "[   ab]");
    CHECK_STR(fmt("[%-5s]", "ab"), "[ab   ]");
    CHECK_STR(fmt("[%05s]", "ab"), "[   ab]");      /* '0' does not apply to %s */
    CHECK_STR(fmt("[%2d]", 12345), "[12345]");      /* width is a minimum */
    CHECK_STR(fmt("[%3c][%-3c]", 'x', 'y'), "[  x][y  ]");
}

HOST_TEST(PRINTF_0003)
{
    /* '#' and %p. */
    CHECK_STR(fmt("%#x %#X", 255u, 255u), "0xff 0XFF");
    CHECK_STR(fmt("%#x", 0u), "0");                 /* no prefix for zero, as C */
    CHECK_STR(fmt("%#o %#o", 8u, 0u), "010 0");
    CHECK_STR(fmt("%#010x", 255u), "0x000000ff");   /* prefix counts in the width */
    CHECK_STR(fmt("%#10x", 255u), "      0xff");
    CHECK_STR(fmt("%-#8x|", 255u), "0xff    |");
    CHECK_STR(fmt("%p", (void *)0x1234), "0x1234");
    CHECK_STR(fmt("%p", (void *)0xffffffff80001000UL), "0xffffffff80001000");
    CHECK_STR(fmt("%18p", (void *)0x10), "              0x10");
}

HOST_TEST(PRINTF_0004)
{
    /* Precision for integers and strings, '*' width and precision. */
    CHECK_STR(fmt("%.3d", 7), "007");
    CHECK_STR(fmt("[%8.3d]", -7), "[    -007]");
    CHECK_STR(fmt("[%08.3d]", 7), "[     007]");   /* '0' ignored with a precision */
    CHECK_STR(fmt("[%.0d]", 0), "[]");              /* zero with precision 0: no digits */
    CHECK_STR(fmt("[%3.0d]", 0), "[   ]");
    CHECK_STR(fmt("[%.0d]", 3), "[3]");
    CHECK_STR(fmt("%.8x", 0xbeefu), "0000beef");
    CHECK_STR(fmt("%#.6x", 0xbeefu), "0x00beef");
    CHECK_STR(fmt("%.2s", "hello"), "he");
    CHECK_STR(fmt("%.10s", "hi"), "hi");
    CHECK_STR(fmt("[%6.2s]", "hello"), "[    he]");
    CHECK_STR(fmt("[%.0s]", "hello"), "[]");
    CHECK_STR(fmt("[%*d]", 6, 42), "[    42]");
    CHECK_STR(fmt("[%*d]", -4, 42), "[42  ]");      /* negative width = '-' flag */
    CHECK_STR(fmt("[%.*s]", 3, "abcdef"), "[abc]");
    CHECK_STR(fmt("[%.*d]", -1, 5), "[5]");         /* negative precision = none */
    CHECK_STR(fmt("[%*.*d]", 5, 3, 9), "[  009]");
}

HOST_TEST(PRINTF_0005)
{
    /* 64-bit and 32-bit extremes, length modifiers. */
    CHECK_STR(fmt("%lld", (long long)INT64_MIN), "-9223372036854775808");
    CHECK_STR(fmt("%ld", (long)INT64_MAX), "9223372036854775807");
    CHECK_STR(fmt("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
    CHECK_STR(fmt("%lx", (unsigned long)UINT64_MAX), "ffffffffffffffff");
    CHECK_STR(fmt("%llo", (unsigned long long)UINT64_MAX), "1777777777777777777777");
    CHECK_STR(fmt("%#llo", (unsigned long long)UINT64_MAX), "01777777777777777777777");
    CHECK_STR(fmt("%d %d", INT_MIN, INT_MAX), "-2147483648 2147483647");
    CHECK_STR(fmt("%u", UINT_MAX), "4294967295");
    CHECK_STR(fmt("%zu %zx", (size_t)SIZE_MAX, (size_t)4096), "18446744073709551615 1000");
    CHECK_STR(fmt("%025lld", (long long)INT64_MIN), "-000009223372036854775808");
    /* A 32-bit conversion reads only an int even after a 64-bit one. */
    CHECK_STR(fmt("%lx %x %lx", 0x1122334455667788UL, 0xdeadbeefu, 1UL),
              "1122334455667788 deadbeef 1");
}

HOST_TEST(PRINTF_0006)
{
    /* Truncation: C99 snprintf semantics, nothing written past size. */
    char buf[16];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 8, "%s", "hello world"), 11);
    CHECK_STR(buf, "hello w");
    CHECK_EQ(buf[8], '#');

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 1, "%d", 12345), 5);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(buf[1], '#');

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 0, "%d", 12345), 5);    /* size 0: nothing written */
    CHECK_EQ(buf[0], '#');
    CHECK_EQ(ksnprintf(NULL, 0, "%s-%d", "abc", 42), 6);

    /* Exact fit and one short. */
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(ksnprintf(buf, 6, "%05d", 42), 5);
    CHECK_STR(buf, "00042");
    CHECK_EQ(ksnprintf(buf, 5, "%05d", 42), 5);
    CHECK_STR(buf, "0004");
    /* Truncation in the middle of padding. */
    CHECK_EQ(ksnprintf(buf, 4, "%-10s|", "ab"), 11);
    CHECK_STR(buf, "ab ");
}

HOST_TEST(PRINTF_0007)
{
    /* Hostile formats: NULL string, unknown conversion, dangling '%'. */
    char buf[32];
    CHECK_STR(fmt("[%s]", (const char *)NULL), "[(null)]");
    CHECK_STR(fmt("[%.3s]", (const char *)NULL), "[(nu]");
    CHECK_STR(fmt("a%qb"), "a%qb");
    CHECK_EQ(fmt_ret(buf, sizeof(buf), "a%qb"), 4);
    CHECK_STR(fmt("abc%"), "abc");
    CHECK_EQ(fmt_ret(buf, sizeof(buf), "abc%"), 3);
    CHECK_STR(fmt("abc%-08l"), "abc");
    CHECK_STR(fmt("%5%|"), "%|");
    /* A long unterminated-looking width does not read past the format. */
    CHECK_STR(fmt("x%123456"), "x");
}

struct chunk_log {
    char text[512];
    size_t len;
    unsigned calls;
    size_t longest;
};

static void chunk_sink(void *ctx, const char *s, size_t len)
{
    struct chunk_log *log = ctx;
    if (log->len + len < sizeof(log->text)) {
        memcpy(log->text + log->len, s, len);
        log->len += len;
        log->text[log->len] = '\0';
    }
    log->calls++;
    if (len > log->longest)
        log->longest = len;
}

static size_t format_to_log(struct chunk_log *log, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    memset(log, 0, sizeof(*log));
    size_t n = kformat(chunk_sink, log, f, ap);
    va_end(ap);
    return n;
}

HOST_TEST(PRINTF_0008)
{
    /* kformat: the count is what reached the sink; wide padding is chunked. */
    struct chunk_log log;
    CHECK_EQ(format_to_log(&log, "[%40d]", -1), 42);
    CHECK_EQ(log.len, 42);
    CHECK_EQ(log.text[0], '[');
    CHECK_EQ(log.text[39], '-');
    CHECK_EQ(log.text[40], '1');
    CHECK_EQ(log.text[41], ']');
    for (int i = 1; i <= 38; i++)
        CHECK_EQ(log.text[i], ' ');
    CHECK(log.longest <= 16);

    CHECK_EQ(format_to_log(&log, "%-300s|", "x"), 301);
    CHECK_EQ(log.len, 301);
    CHECK_EQ(log.text[300], '|');

    /* An empty format never calls the sink. */
    CHECK_EQ(format_to_log(&log, ""), 0);
    CHECK_EQ(log.calls, 0);
}

HOST_TEST(PRINTF_0009)
{
    /* Console front ends write through console_putchar. */
    console_len = 0;
    console_buf[0] = '\0';
    kprintf("x=%d %s\n", 5, "ok");
    kputs("done");
    CHECK_STR(console_buf, "x=5 ok\ndone");
}
