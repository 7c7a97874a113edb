/* The test root task's main(): runs every registered test (framework.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arca/runtime.h>
#include "framework.h"

extern const struct test_case __start_arca_tests[];
extern const struct test_case __stop_arca_tests[];

static char reason[512];

test_result_t test_fail(const char *file, int line, const char *fmt, ...)
{
    const char *base = strrchr(file, '/');
    int n = snprintf(reason, sizeof(reason), "%s:%d: ", base ? base + 1 : file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason + n, sizeof(reason) - (size_t)n, fmt, ap);
    va_end(ap);
    return reason;
}

const seL4_BootInfo *test_bootinfo(void)
{
    return arca_bootinfo();
}

uint64_t test_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t test_tsc_mhz(void)
{
    const seL4_BootInfo *bi = arca_bootinfo();
    const char *extra = (const char *)bi + (1 << seL4_BootInfoFrameBits);
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(extra + off);
        if (h->len < sizeof(*h))
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ) {
            uint32_t mhz;
            memcpy(&mhz, extra + off + sizeof(*h), sizeof(mhz));
            return mhz;
        }
        off += h->len;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const struct test_case *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

int main(void)
{
    size_t n = (size_t)(__stop_arca_tests - __start_arca_tests);
    const struct test_case **order = malloc(n * sizeof(*order));
    if (order == NULL) {
        printf("tests: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &__start_arca_tests[i];
    qsort(order, n, sizeof(*order), by_name);

    printf("tests: running %zu kernel tests\n", n);
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        test_result_t r = order[i]->fn();
        if (r == PASS) {
            printf("[PASS] %s\n", order[i]->name);
            passed++;
        } else {
            printf("[FAIL] %s: %s\n", order[i]->name, r);
            failed++;
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    seL4_DebugHalt();
    return failed == 0 ? 0 : 1;
}
