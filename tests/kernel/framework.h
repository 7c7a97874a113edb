/*
 * The in-QEMU test framework: tests register themselves by name
 * (CATEGORY_NNNN), run in name order, and each prints exactly one line,
 * "[PASS] NAME" or "[FAIL] NAME: reason". The summary "N passed, N failed"
 * comes last, then the root task halts the machine.
 *
 *     TEST(BOOT_0001, "bootinfo basics")
 *     {
 *         EXPECT(x == 1, "x is %d", x);
 *         return PASS;
 *     }
 */
#ifndef TESTS_FRAMEWORK_H
#define TESTS_FRAMEWORK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sel4/sel4.h>

typedef const char *test_result_t;     /* NULL = pass, else the reason */
#define PASS ((test_result_t)NULL)

struct test_case {
    const char *name;
    const char *description;
    test_result_t (*fn)(void);
};

#define TEST(id, desc)                                                       \
    static test_result_t id##_run(void);                                     \
    static const struct test_case id##_case                                  \
        __attribute__((used, section("arca_tests"), aligned(8))) = {         \
            #id, desc, id##_run };                                           \
    static test_result_t id##_run(void)

/* Formats a failure reason (with file:line) into a static buffer. */
test_result_t test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define EXPECT(cond, ...)                                                    \
    do {                                                                     \
        if (!(cond))                                                         \
            return test_fail(__FILE__, __LINE__, __VA_ARGS__);               \
    } while (0)

/* Environment for tests. */
const seL4_BootInfo *test_bootinfo(void);
uint64_t test_rdtsc(void);
uint64_t test_tsc_mhz(void);        /* from the extra bootinfo, 0 if absent */

#endif
