/*
 * printf family.
 *
 * One formatting engine (format()) writes characters into a struct out.
 * An out is a byte buffer plus an optional flush function: the string
 * functions use the caller's buffer and simply drop what does not fit
 * (while still counting it, as snprintf must), the console functions use
 * a small stack buffer that is handed to __libc_write whenever it fills up.
 *
 * Supported: %d %i %u %o %x %X %c %s %p %%, flags "-0+ #", width and
 * precision (both may be '*'), length modifiers hh h l ll z t j.
 * No floating point and no %n.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libc_internal.h"

struct out {
    char *buf;
    size_t cap;     /* bytes of buf that may hold output */
    size_t pos;     /* bytes of buf in use */
    size_t total;   /* bytes produced so far, stored or not */
    void (*flush)(struct out *);
};

static void put(struct out *o, char c)
{
    o->total++;
    if (o->pos == o->cap && o->flush != NULL)
        o->flush(o);
    if (o->pos < o->cap)
        o->buf[o->pos++] = c;
}

static void put_str(struct out *o, const char *s, size_t n)
{
    while (n-- > 0)
        put(o, *s++);
}

static void put_rep(struct out *o, char c, long n)
{
    while (n-- > 0)
        put(o, c);
}

/* One parsed conversion specification. */
struct spec {
    int left;       /* '-' */
    int zero;       /* '0' */
    int plus;       /* '+' */
    int space;      /* ' ' */
    int alt;        /* '#' */
    int width;      /* 0 if none */
    int prec;       /* -1 if none */
    int len;        /* length modifier, see enum below */
};

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

static void parse_flags(const char **fmt, struct spec *sp)
{
    for (;; (*fmt)++) {
        switch (**fmt) {
        case '-': sp->left = 1; break;
        case '0': sp->zero = 1; break;
        case '+': sp->plus = 1; break;
        case ' ': sp->space = 1; break;
        case '#': sp->alt = 1; break;
        default: return;
        }
    }
}

/* Parse a decimal number, saturating instead of overflowing. */
static int parse_num(const char **fmt)
{
    int n = 0;

    while (**fmt >= '0' && **fmt <= '9') {
        int d = *(*fmt)++ - '0';
        n = (n > (INT_MAX - d) / 10) ? INT_MAX : n * 10 + d;
    }
    return n;
}

static void parse_width_prec(const char **fmt, struct spec *sp, va_list *ap)
{
    if (**fmt == '*') {
        int w = va_arg(*ap, int);
        (*fmt)++;
        /* A negative '*' width means '-' flag plus positive width. */
        if (w < 0) {
            sp->left = 1;
            w = (w == INT_MIN) ? INT_MAX : -w;
        }
        sp->width = w;
    } else {
        sp->width = parse_num(fmt);
    }

    sp->prec = -1;
    if (**fmt == '.') {
        (*fmt)++;
        if (**fmt == '*') {
            int p = va_arg(*ap, int);
            (*fmt)++;
            sp->prec = p < 0 ? -1 : p;  /* negative: as if omitted */
        } else {
            sp->prec = parse_num(fmt);
        }
    }
}

static void parse_length(const char **fmt, struct spec *sp)
{
    const char *f = *fmt;

    switch (*f) {
    case 'h':
        sp->len = (f[1] == 'h') ? LEN_HH : LEN_H;
        break;
    case 'l':
        sp->len = (f[1] == 'l') ? LEN_LL : LEN_L;
        break;
    case 'z': sp->len = LEN_Z; break;
    case 't': sp->len = LEN_T; break;
    case 'j': sp->len = LEN_J; break;
    default: return;
    }
    *fmt += (sp->len == LEN_HH || sp->len == LEN_LL) ? 2 : 1;
}

/*
 * Fetch an integer argument of the width the length modifier names.
 * Values are converted back to their declared type so that e.g. %hhd of
 * 255 prints -1, as the standard requires.
 */
static uintmax_t get_unsigned(const struct spec *sp, va_list *ap)
{
    switch (sp->len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

static intmax_t get_signed(const struct spec *sp, va_list *ap)
{
    switch (sp->len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return (intmax_t)va_arg(*ap, size_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

/* Lay out the field: [spaces] prefix [zeros] digits [spaces]. */
static void emit_field(struct out *o, const struct spec *sp,
                       const char *prefix, const char *digits, int ndigits,
                       int nzeros)
{
    long plen = (long)strlen(prefix);
    long pad = (long)sp->width - plen - nzeros - ndigits;

    if (sp->left) {
        put_str(o, prefix, plen);
        put_rep(o, '0', nzeros);
        put_str(o, digits, ndigits);
        put_rep(o, ' ', pad);
    } else if (sp->zero) {
        put_str(o, prefix, plen);
        put_rep(o, '0', nzeros + (pad > 0 ? pad : 0));
        put_str(o, digits, ndigits);
    } else {
        put_rep(o, ' ', pad);
        put_str(o, prefix, plen);
        put_rep(o, '0', nzeros);
        put_str(o, digits, ndigits);
    }
}

/*
 * Format an integer.  conv is one of d i u o x X p; neg says the
 * magnitude v belongs to a negative signed value.
 */
static void format_int(struct out *o, struct spec *sp, char conv,
                       uintmax_t v, int neg)
{
    const char *digit_chars = (conv == 'X') ? "0123456789ABCDEF"
                                            : "0123456789abcdef";
    unsigned base = (conv == 'o') ? 8 : (conv == 'x' || conv == 'X' ||
                                         conv == 'p') ? 16 : 10;
    char tmp[sizeof(uintmax_t) * 3];    /* enough for octal */
    char *d = tmp + sizeof(tmp);
    const char *prefix = "";
    int is_zero = (v == 0);
    int ndigits, nzeros;

    while (v != 0) {
        *--d = digit_chars[v % base];
        v /= base;
    }
    /* Precision 0 with value 0 prints no digits at all. */
    if (is_zero && sp->prec != 0)
        *--d = '0';
    ndigits = (int)(tmp + sizeof(tmp) - d);

    if (neg)
        prefix = "-";
    else if ((conv == 'd' || conv == 'i') && sp->plus)
        prefix = "+";
    else if ((conv == 'd' || conv == 'i') && sp->space)
        prefix = " ";
    else if (conv == 'p' || (sp->alt && base == 16 && !is_zero))
        prefix = (conv == 'X') ? "0X" : "0x";

    nzeros = (sp->prec > ndigits) ? sp->prec - ndigits : 0;
    /* '#' with 'o' forces the first digit to be a zero. */
    if (conv == 'o' && sp->alt && nzeros == 0 && (ndigits == 0 || !is_zero))
        nzeros = 1;

    /* With an explicit precision the '0' flag is ignored. */
    if (sp->prec >= 0)
        sp->zero = 0;
    emit_field(o, sp, prefix, d, ndigits, nzeros);
}

static void format_str(struct out *o, struct spec *sp, const char *s)
{
    size_t n;

    if (s == NULL)
        s = "(null)";
    /* With a precision, s need not be NUL-terminated: use strnlen. */
    n = (sp->prec >= 0) ? strnlen(s, (size_t)sp->prec) : strlen(s);
    sp->zero = 0;
    emit_field(o, sp, "", s, (int)n, 0);
}

/* Handle one conversion; *fmt points just past the '%'. */
static void format_one(struct out *o, const char **fmt, va_list *ap)
{
    const char *start = *fmt - 1;
    struct spec sp = { 0 };
    char conv, c;
    intmax_t sv;

    parse_flags(fmt, &sp);
    parse_width_prec(fmt, &sp, ap);
    parse_length(fmt, &sp);
    conv = *(*fmt)++;

    switch (conv) {
    case 'd':
    case 'i':
        sv = get_signed(&sp, ap);
        /* Negate in unsigned arithmetic so INTMAX_MIN works. */
        format_int(o, &sp, conv, sv < 0 ? -(uintmax_t)sv : (uintmax_t)sv,
                   sv < 0);
        break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        format_int(o, &sp, conv, get_unsigned(&sp, ap), 0);
        break;
    case 'p':
        format_int(o, &sp, 'p', (uintptr_t)va_arg(*ap, void *), 0);
        break;
    case 'c':
        c = (char)(unsigned char)va_arg(*ap, int);
        sp.zero = 0;
        emit_field(o, &sp, "", &c, 1, 0);
        break;
    case 's':
        format_str(o, &sp, va_arg(*ap, const char *));
        break;
    case '%':
        put(o, '%');
        break;
    case '\0':
        /* Format ends inside a specification: print what we have. */
        (*fmt)--;
        put_str(o, start, (size_t)(*fmt - start));
        break;
    default:
        /* Unknown conversion: echo it so the mistake is visible. */
        put_str(o, start, (size_t)(*fmt - start));
        break;
    }
}

static int format(struct out *o, const char *fmt, va_list ap)
{
    va_list args;

    /* Work on a copy so that helpers can take its address portably. */
    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            put(o, *fmt++);
            continue;
        }
        fmt++;
        format_one(o, &fmt, &args);
    }
    va_end(args);
    return o->total > INT_MAX ? -1 : (int)o->total;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size > 0 ? size - 1 : 0, 0, 0, NULL };
    int n = format(&o, fmt, ap);

    if (size > 0)
        buf[o.pos] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
    /* Unbounded, as the interface demands; keep the size well below the
     * top of the address space so that pointer arithmetic stays sane. */
    return vsnprintf(buf, INT_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

static void console_flush(struct out *o)
{
    if (o->pos > 0)
        __libc_write(o->buf, o->pos);
    o->pos = 0;
}

int vprintf(const char *fmt, va_list ap)
{
    char buf[128];
    struct out o = { buf, sizeof(buf), 0, 0, console_flush };
    int n = format(&o, fmt, ap);

    console_flush(&o);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    char ch = (char)c;

    __libc_write(&ch, 1);
    return (unsigned char)c;
}

int puts(const char *s)
{
    __libc_write(s, strlen(s));
    __libc_write("\n", 1);
    return 0;
}
