/*
 * A minimal unit-test harness for the kernel's pure logic, built for the host
 * with ASan and UBSan (tests/host/main.c runs the tests).
 *
 *   HOST_TEST(PRINTF_0001) { CHECK_EQ(ksnprintf(buf, 4, "%d", 7), 1); }
 *
 * HOST_TEST places a {name, function} record in the linker section
 * `host_tests`; main() finds every record through __start_host_tests and
 * __stop_host_tests and runs them sorted by name. A failing check ends its
 * test at once (longjmp back to the runner) and the run goes on.
 */
#ifndef HOST_HARNESS_H
#define HOST_HARNESS_H

#include <stdint.h>
#include <string.h>

struct host_test {
    const char *name;
    void (*fn)(void);
};

#define HOST_TEST(test_name)                                                  \
    static void host_test_##test_name(void);                                  \
    static const struct host_test host_record_##test_name                     \
        __attribute__((used, section("host_tests"),                           \
                       aligned(sizeof(void *)))) = {                          \
        #test_name, host_test_##test_name                                     \
    };                                                                        \
    static void host_test_##test_name(void)

/* Records why the current test failed and abandons it. */
_Noreturn void host_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(expr)                                                           \
    do {                                                                      \
        if (!(expr))                                                          \
            host_fail(__FILE__, __LINE__, "CHECK(%s)", #expr);                \
    } while (0)

/* Integer (or pointer) equality; both sides are shown on failure. */
#define CHECK_EQ(a, b)                                                        \
    do {                                                                      \
        uint64_t host_a_ = (uint64_t)(a);                                     \
        uint64_t host_b_ = (uint64_t)(b);                                     \
        if (host_a_ != host_b_)                                               \
            host_fail(__FILE__, __LINE__,                                     \
                      "CHECK_EQ(%s, %s): 0x%llx (%lld) != 0x%llx (%lld)",     \
                      #a, #b, (unsigned long long)host_a_, (long long)host_a_, \
                      (unsigned long long)host_b_, (long long)host_b_);       \
    } while (0)

#define CHECK_PTR_EQ(a, b) CHECK_EQ((uintptr_t)(const void *)(a),            \
                                    (uintptr_t)(const void *)(b))

/* NUL-terminated string equality. */
#define CHECK_STR(a, b)                                                       \
    do {                                                                      \
        const char *host_sa_ = (a);                                           \
        const char *host_sb_ = (b);                                           \
        if (strcmp(host_sa_, host_sb_) != 0)                                  \
            host_fail(__FILE__, __LINE__, "CHECK_STR(%s, %s): \"%s\" != \"%s\"", \
                      #a, #b, host_sa_, host_sb_);                            \
    } while (0)

#endif
