/*
 * The kernel's printf: a small formatter feeding a sink, plus the console
 * and buffer front ends. No floating point, no allocation.
 */
#include "printf.h"
#include "console.h"

struct fmt_spec {
    bool left;          /* '-' */
    bool zero;          /* '0' */
    bool alt;           /* '#' */
    bool plus;          /* '+' */
    bool space;         /* ' ' */
    int width;
    int precision;      /* -1 when absent */
};

struct fmt_out {
    fmt_sink_t sink;
    void *ctx;
    size_t count;
};

static void emit(struct fmt_out *out, const char *s, size_t len)
{
    if (len == 0)
        return;
    out->sink(out->ctx, s, len);
    out->count += len;
}

static void emit_repeat(struct fmt_out *out, char c, int n)
{
    char chunk[16];
    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = c;
    while (n > 0) {
        int step = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
        emit(out, chunk, (size_t)step);
        n -= step;
    }
}

/* Emits a body of len characters padded to the field width. */
static void emit_padded(struct fmt_out *out, const struct fmt_spec *spec,
                        const char *prefix, const char *body, int len)
{
    int prefix_len = 0;
    while (prefix[prefix_len] != '\0')
        prefix_len++;
    int zeros = 0;
    if (spec->precision > len)
        zeros = spec->precision - len;
    int total = prefix_len + zeros + len;
    int pad = spec->width > total ? spec->width - total : 0;

    if (!spec->left && !(spec->zero && spec->precision < 0))
        emit_repeat(out, ' ', pad);
    emit(out, prefix, (size_t)prefix_len);
    if (!spec->left && spec->zero && spec->precision < 0)
        emit_repeat(out, '0', pad);
    emit_repeat(out, '0', zeros);
    emit(out, body, (size_t)len);
    if (spec->left)
        emit_repeat(out, ' ', pad);
}

static void format_unsigned(struct fmt_out *out, const struct fmt_spec *spec,
                            uint64_t value, unsigned base, bool upper,
                            const char *sign)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int pos = (int)sizeof(buf);
    uint64_t v = value;

    do {
        buf[--pos] = digits[v % base];
        v /= base;
    } while (v != 0);
    /* C: precision 0 with value 0 prints no digits. */
    if (spec->precision == 0 && value == 0)
        pos = (int)sizeof(buf);

    const char *prefix = sign;
    if (spec->alt && value != 0) {
        if (base == 16)
            prefix = upper ? "0X" : "0x";
        else if (base == 8 && buf[pos] != '0')
            buf[--pos] = '0';
    }
    emit_padded(out, spec, prefix, buf + pos, (int)sizeof(buf) - pos);
}

static const char *parse_spec(const char *f, struct fmt_spec *spec, va_list *ap)
{
    *spec = (struct fmt_spec){ .precision = -1 };
    for (;; f++) {
        if (*f == '-')
            spec->left = true;
        else if (*f == '0')
            spec->zero = true;
        else if (*f == '#')
            spec->alt = true;
        else if (*f == '+')
            spec->plus = true;
        else if (*f == ' ')
            spec->space = true;
        else
            break;
    }
    if (*f == '*') {
        spec->width = va_arg(*ap, int);
        if (spec->width < 0) {
            spec->left = true;
            spec->width = -spec->width;
        }
        f++;
    } else {
        while (*f >= '0' && *f <= '9')
            spec->width = spec->width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
        f++;
        spec->precision = 0;
        if (*f == '*') {
            spec->precision = va_arg(*ap, int);
            if (spec->precision < 0)
                spec->precision = -1;
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                spec->precision = spec->precision * 10 + (*f++ - '0');
        }
    }
    return f;
}

/* Length modifiers: -2 char, -1 short, 0 int, 1 long, 2 long long. */
static const char *parse_length(const char *f, int *length)
{
    *length = 0;
    if (*f == 'h') {
        *length = -1;
        f++;
        if (*f == 'h') {
            *length = -2;
            f++;
        }
    } else if (*f == 'l') {
        *length = 1;
        f++;
        if (*f == 'l') {
            *length = 2;
            f++;
        }
    } else if (*f == 'z' || *f == 'j' || *f == 't') {
        *length = 1;
        f++;
    }
    return f;
}

static uint64_t read_unsigned(va_list *ap, int length)
{
    if (length == 2)
        return va_arg(*ap, unsigned long long);
    if (length == 1)
        return va_arg(*ap, unsigned long);
    unsigned int v = va_arg(*ap, unsigned int);
    if (length == -1)
        return (unsigned short)v;
    if (length == -2)
        return (unsigned char)v;
    return v;
}

static int64_t read_signed(va_list *ap, int length)
{
    if (length == 2)
        return va_arg(*ap, long long);
    if (length == 1)
        return va_arg(*ap, long);
    int v = va_arg(*ap, int);
    if (length == -1)
        return (short)v;
    if (length == -2)
        return (signed char)v;
    return v;
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec,
                          const char *s)
{
    if (s == NULL)
        s = "(null)";
    int len = 0;
    while (s[len] != '\0' && (spec->precision < 0 || len < spec->precision))
        len++;
    struct fmt_spec plain = *spec;
    plain.precision = -1;
    plain.zero = false;
    emit_padded(out, &plain, "", s, len);
}

size_t kformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap_in)
{
    struct fmt_out out = { .sink = sink, .ctx = ctx, .count = 0 };
    va_list ap;
    va_copy(ap, ap_in);

    while (*fmt != '\0') {
        const char *start = fmt;
        while (*fmt != '\0' && *fmt != '%')
            fmt++;
        emit(&out, start, (size_t)(fmt - start));
        if (*fmt == '\0')
            break;
        fmt++;

        struct fmt_spec spec;
        int length;
        fmt = parse_spec(fmt, &spec, &ap);
        fmt = parse_length(fmt, &length);
        char conv = *fmt;
        if (conv == '\0')
            break;
        fmt++;

        switch (conv) {
        case 'd':
        case 'i': {
            int64_t v = read_signed(&ap, length);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            const char *sign = v < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
            format_unsigned(&out, &spec, mag, 10, false, sign);
            break;
        }
        case 'u':
            format_unsigned(&out, &spec, read_unsigned(&ap, length), 10, false, "");
            break;
        case 'x':
        case 'X':
            format_unsigned(&out, &spec, read_unsigned(&ap, length), 16, conv == 'X', "");
            break;
        case 'o':
            format_unsigned(&out, &spec, read_unsigned(&ap, length), 8, false, "");
            break;
        case 'p':
            spec.alt = true;
            format_unsigned(&out, &spec, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, "");
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            struct fmt_spec plain = spec;
            plain.precision = -1;
            emit_padded(&out, &plain, "", &c, 1);
            break;
        }
        case 's':
            format_string(&out, &spec, va_arg(ap, const char *));
            break;
        case '%':
            emit(&out, "%", 1);
            break;
        default:
            /* Unknown conversion: show it literally so the mistake is visible. */
            emit(&out, "%", 1);
            emit(&out, &conv, 1);
            break;
        }
    }
    va_end(ap);
    return out.count;
}

struct buf_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buf_write(void *ctx, const char *s, size_t len)
{
    struct buf_sink *b = ctx;
    for (size_t i = 0; i < len; i++) {
        if (b->used + 1 < b->size)
            b->buf[b->used] = s[i];
        b->used++;
    }
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { .buf = buf, .size = size, .used = 0 };
    size_t n = kformat(buf_write, &b, fmt, ap);
    if (size > 0)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return (int)n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void console_sink(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        console_putchar(s[i]);
}

void kvprintf(const char *fmt, va_list ap)
{
    kformat(console_sink, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void kputs(const char *s)
{
    while (*s != '\0')
        console_putchar(*s++);
}
