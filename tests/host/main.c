/*
 * Runs the host unit tests (harness.h): every test registered in the
 * `host_tests` section, sorted by name, one output line each, then the totals.
 * An optional argument runs only the tests whose name starts with it.
 * Exit status 1 if any test failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Provided by the linker for a section whose name is a C identifier. */
extern const struct host_test __start_host_tests[];
extern const struct host_test __stop_host_tests[];

static jmp_buf fail_jump;
static char fail_reason[1024];

void host_fail(const char *file, int line, const char *fmt, ...)
{
    int n = snprintf(fail_reason, sizeof(fail_reason), "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= sizeof(fail_reason))
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fail_reason + n, sizeof(fail_reason) - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(fail_jump, 1);
}

static int by_name(const void *a, const void *b)
{
    const struct host_test *const *ta = a;
    const struct host_test *const *tb = b;
    return strcmp((*ta)->name, (*tb)->name);
}

/* Kept static so that longjmp cannot leave them indeterminate. */
static unsigned passed, failed;

static void run_one(const struct host_test *t)
{
    if (setjmp(fail_jump) == 0) {
        t->fn();
        printf("[PASS] %s\n", t->name);
        passed++;
    } else {
        printf("[FAIL] %s: %s\n", t->name, fail_reason);
        failed++;
    }
}

int main(int argc, char **argv)
{
    const char *prefix = argc > 1 ? argv[1] : "";
    size_t count = (size_t)(__stop_host_tests - __start_host_tests);

    /* Line buffered: if a sanitizer aborts the run, earlier results are out. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    const struct host_test **order = calloc(count + 1, sizeof(*order));
    if (order == NULL) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    for (size_t i = 0; i < count; i++)
        order[i] = &__start_host_tests[i];
    qsort(order, count, sizeof(*order), by_name);

    for (size_t i = 0; i < count; i++) {
        const struct host_test *t = order[i];
        if (strncmp(t->name, prefix, strlen(prefix)) != 0)
            continue;
        if (i > 0 && strcmp(order[i - 1]->name, t->name) == 0) {
            printf("[FAIL] %s: duplicate test name\n", t->name);
            failed++;
            continue;
        }
        run_one(t);
    }
    free(order);

    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0 ? 1 : 0;
}
