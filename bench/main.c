/* The benchmark root task's main(): overhead, every row, halt (bench.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arca/runtime.h>
#include "bench.h"

uint64_t ts_a0[ITERS], ts_a1[ITERS], ts_b0[ITERS], ts_b1[ITERS];
uint64_t deltas[SAMPLES];
uint64_t overhead;

static int failures;

/* A row's samples are instruction counts of a few system calls: anything
 * below the overhead or absurdly large means a timestamp was never taken. */
#define SANE_MAX 100000000ULL

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void report(const char *name, uint64_t ovh)
{
    qsort(deltas, SAMPLES, sizeof(deltas[0]), by_value);
    uint64_t lo = deltas[0], med = deltas[SAMPLES / 2], hi = deltas[SAMPLES - 1];
    if (lo < ovh || hi > SANE_MAX) {
        char why[120];
        snprintf(why, sizeof(why), "implausible samples (min %llu, max %llu, overhead %llu)",
                 (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)ovh);
        report_fail(name, why);
        return;
    }
    printf("bench: %s %llu %llu %llu %llu %d\n", name, (unsigned long long)(lo - ovh),
           (unsigned long long)(med - ovh), (unsigned long long)(hi - ovh),
           (unsigned long long)ovh, SAMPLES);
}

void report_null(const char *name, const char *why)
{
    printf("bench: %s null %s\n", name, why);
}

void report_fail(const char *name, const char *why)
{
    printf("bench: %s FAIL %s\n", name, why);
    failures++;
}

int main(void)
{
    printf("bench: start (%d warm-up + %d measured iterations per row; unit: instructions)\n",
           WARMUP, SAMPLES);
    if (!env_init()) {
        printf("bench: FAIL setup: %s\n", env_error());
        failures++;
    } else {
        (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
        measure_overhead();
        run_all_rows();
    }
    printf("bench: done, %d failed\n", failures);
    seL4_DebugHalt();
    return failures == 0 ? 0 : 1;
}
