#ifndef ARCA_SORT_H
#define ARCA_SORT_H
/*
 * An in-place heapsort: no recursion (the kernel stack is small), no
 * allocation, O(n log n) whatever the input. The invariant checker sorts
 * its object and mapping tables with it; host-compiled too.
 */
#include "types.h"

/*
 * Defined here so that each caller gets its own copy with its element size
 * and less() inlined: the checker sorts thousands of elements per pass, and
 * an indirect call per comparison made fuzzing with the checker on about a
 * third slower.
 */

/* Moves elements a word at a time when their size allows (every caller's case). */
static inline void sort_swap(char *a, char *b, size_t size)
{
    if (size % sizeof(uint64_t) == 0) {
        for (size_t i = 0; i < size; i += sizeof(uint64_t)) {
            uint64_t t = *(uint64_t *)(a + i);
            *(uint64_t *)(a + i) = *(uint64_t *)(b + i);
            *(uint64_t *)(b + i) = t;
        }
        return;
    }
    for (size_t i = 0; i < size; i++) {
        char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* Lets the element at root sink until both its children are smaller. */
static inline void sort_sift_down(char *base, uint32_t root, uint32_t n, size_t size,
                                  bool (*less)(const void *, const void *))
{
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && less(base + child * size, base + (child + 1) * size))
            child++;
        if (!less(base + root * size, base + child * size))
            return;
        sort_swap(base + root * size, base + child * size, size);
        root = child;
    }
}

/* Sorts n elements of `size` bytes at base into ascending order of less(). */
static inline void heap_sort(void *base, uint32_t n, size_t size,
                             bool (*less)(const void *a, const void *b))
{
    char *b = base;
    for (uint32_t i = n / 2; i-- > 0;)
        sort_sift_down(b, i, n, size, less);
    for (uint32_t k = n; k > 1; k--) {
        sort_swap(b, b + (k - 1) * size, size);
        sort_sift_down(b, 0, k - 1, size, less);
    }
}

#endif
