/*
 * kernel/core/sort.c: heap_sort against a straightforward insertion sort,
 * on 8-byte keys and on 16-byte records with a two-field order (the
 * invariant checker's two uses), including the sizes where heaps are odd.
 */
#include <string.h>

#include "harness.h"
#include "sort.h"

struct rec {
    uint64_t key;
    uint64_t tie;
};

static bool u64_less(const void *a, const void *b)
{
    return *(const uint64_t *)a < *(const uint64_t *)b;
}

static bool rec_less(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    return x->key != y->key ? x->key < y->key : x->tie < y->tie;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

HOST_TEST(SORT_0001)
{
    static uint64_t a[600], want[600];
    for (uint32_t n = 0; n <= 600; n += (n < 20 ? 1 : 97)) {
        for (uint32_t i = 0; i < n; i++)
            a[i] = want[i] = next() % (n / 2 + 1);      /* with duplicates */
        for (uint32_t i = 1; i < n; i++)                /* the reference */
            for (uint32_t j = i; j > 0 && want[j] < want[j - 1]; j--) {
                uint64_t t = want[j];
                want[j] = want[j - 1];
                want[j - 1] = t;
            }
        heap_sort(a, n, sizeof(a[0]), u64_less);
        CHECK(memcmp(a, want, n * sizeof(a[0])) == 0);
    }
}

HOST_TEST(SORT_0002)
{
    static struct rec r[257];
    const uint32_t n = 257;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        r[i] = (struct rec){ next() % 8, next() % 1000 };
        sum += r[i].key * 1000 + r[i].tie;
    }
    heap_sort(r, n, sizeof(r[0]), rec_less);
    uint64_t after = 0;
    for (uint32_t i = 0; i < n; i++) {
        after += r[i].key * 1000 + r[i].tie;
        if (i > 0)
            CHECK(!rec_less(&r[i], &r[i - 1]));
    }
    CHECK_EQ(after, sum);                   /* the same records, reordered */
}
