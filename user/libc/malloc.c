/*
 * malloc: first-fit over a static heap, with an address-ordered free list
 * so that neighbouring free blocks can be merged on free().
 *
 * Every block starts with a 16-byte header; the payload follows it, so
 * with 16-byte-aligned block sizes every returned pointer is 16-byte
 * aligned.  A free block keeps its free-list link in the first payload
 * word.  The header's magic tells allocated from free blocks; a mismatch
 * on free/realloc means a double free or a corrupted heap, and aborts.
 *
 * The heap is a static array, so the root task needs no memory from the
 * kernel to use malloc.  Build with -DARCA_HEAP_SIZE=<bytes> to resize it.
 * A program that has memory of its own for a heap (a PD's mapped memory
 * region) hands it over with __libc_heap_init() before the first malloc.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libc_internal.h"

#ifndef ARCA_HEAP_SIZE
#define ARCA_HEAP_SIZE (1024 * 1024)
#endif

#define ALIGN 16
#define MAGIC_USED 0xa110ca7eu
#define MAGIC_FREE 0xf7eeb10cu

struct block {
    size_t size;            /* whole block, header included; multiple of 16 */
    uint32_t magic;
    uint32_t unused;
    struct block *next;     /* free blocks only: next free block by address */
};

#define HDR_SIZE offsetof(struct block, next)
#define MIN_BLOCK (HDR_SIZE + ALIGN)

_Static_assert(HDR_SIZE == ALIGN, "header must keep payloads aligned");
_Static_assert(ARCA_HEAP_SIZE % ALIGN == 0, "heap size must be aligned");
_Static_assert(ARCA_HEAP_SIZE >= MIN_BLOCK, "heap too small");

static unsigned char static_heap[ARCA_HEAP_SIZE] __attribute__((aligned(ALIGN)));
static unsigned char *heap = static_heap;
static size_t heap_size = sizeof(static_heap);
static struct block *free_list;
static int heap_ready;

static void heap_init(void)
{
    struct block *b = (struct block *)heap;

    b->size = heap_size;
    b->magic = MAGIC_FREE;
    b->next = NULL;
    free_list = b;
    heap_ready = 1;
}

int __libc_heap_init(void *base, size_t size)
{
    uintptr_t a = (uintptr_t)base;
    uintptr_t start = (a + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);

    /* Once something is allocated the old heap must stay. */
    if (heap_ready || base == NULL || start < a || size < start - a)
        return -1;
    size = (size - (start - a)) & ~(size_t)(ALIGN - 1);
    if (size < MIN_BLOCK || start + size < start)
        return -1;
    heap = (unsigned char *)start;
    heap_size = size;
    heap_init();
    return 0;
}

static void *payload(struct block *b)
{
    return (unsigned char *)b + HDR_SIZE;
}

static struct block *next_in_heap(struct block *b)
{
    return (struct block *)((unsigned char *)b + b->size);
}

/*
 * Map a pointer from the user back to its header, checking that it
 * could have come from malloc and that the block is in use.
 */
static struct block *user_block(void *p)
{
    uintptr_t a = (uintptr_t)p;
    struct block *b;

    if (a < (uintptr_t)heap + HDR_SIZE || a >= (uintptr_t)heap + heap_size ||
        a % ALIGN != 0)
        abort();    /* not a heap pointer */
    b = (struct block *)(a - HDR_SIZE);
    if (b->magic == MAGIC_FREE)
        abort();    /* double free */
    if (b->magic != MAGIC_USED || b->size < MIN_BLOCK ||
        b->size > (uintptr_t)heap + heap_size - (uintptr_t)b)
        abort();    /* corrupted header */
    return b;
}

/* Bytes of block needed for a payload of n bytes; 0 if impossible. */
static size_t block_size_for(size_t n)
{
    if (n > heap_size)
        return 0;
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return n + HDR_SIZE < MIN_BLOCK ? MIN_BLOCK : n + HDR_SIZE;
}

/*
 * Cut block b (of which the first `need` bytes will be used) and return
 * the free remainder, or NULL if it is too small to be a block of its own.
 */
static struct block *split(struct block *b, size_t need)
{
    struct block *rest;

    if (b->size - need < MIN_BLOCK)
        return NULL;
    rest = (struct block *)((unsigned char *)b + need);
    rest->size = b->size - need;
    rest->magic = MAGIC_FREE;
    b->size = need;
    return rest;
}

void *malloc(size_t n)
{
    size_t need = block_size_for(n);
    struct block **link, *b, *rest;

    if (!heap_ready)
        heap_init();
    if (need == 0) {
        errno = ENOMEM;
        return NULL;
    }
    for (link = &free_list; (b = *link) != NULL; link = &b->next) {
        if (b->magic != MAGIC_FREE)
            abort();    /* free list corrupted */
        if (b->size < need)
            continue;
        rest = split(b, need);
        if (rest != NULL) {
            rest->next = b->next;
            *link = rest;
        } else {
            *link = b->next;
        }
        b->magic = MAGIC_USED;
        return payload(b);
    }
    errno = ENOMEM;
    return NULL;
}

/* Merge b with the block after it if that is the free block `next`. */
static void merge_with_next(struct block *b)
{
    if (b->next != NULL && next_in_heap(b) == b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
}

void free(void *p)
{
    struct block *b, *prev = NULL, *cur;

    if (p == NULL)
        return;
    b = user_block(p);
    b->magic = MAGIC_FREE;

    /* Find the free neighbours on either side (list is sorted). */
    for (cur = free_list; cur != NULL && cur < b; cur = cur->next)
        prev = cur;
    b->next = cur;
    if (prev != NULL)
        prev->next = b;
    else
        free_list = b;

    merge_with_next(b);
    if (prev != NULL)
        merge_with_next(prev);
}

void *calloc(size_t nmemb, size_t size)
{
    void *p;

    if (size != 0 && nmemb > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(nmemb * size);
    if (p != NULL)
        memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    struct block *b;
    size_t have;
    void *q;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    b = user_block(p);
    have = b->size - HDR_SIZE;
    if (n <= have)
        return p;   /* shrinking in place; the tail stays with the block */
    q = malloc(n);
    if (q != NULL) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}

size_t __libc_heap_check(void)
{
    unsigned char *end = heap + heap_size;
    struct block *b, *f;
    size_t free_bytes = 0;

    if (!heap_ready)
        heap_init();
    f = free_list;
    for (b = (struct block *)heap; (unsigned char *)b < end;
         b = next_in_heap(b)) {
        if (b->size < MIN_BLOCK || b->size % ALIGN != 0 ||
            b->size > (size_t)(end - (unsigned char *)b))
            abort();
        if (b->magic == MAGIC_FREE) {
            /* Every free block must be the next one on the free list,
             * and two free blocks must never be adjacent. */
            if (b != f || (b->next != NULL && b->next == next_in_heap(b)))
                abort();
            free_bytes += b->size;
            f = f->next;
        } else if (b->magic != MAGIC_USED) {
            abort();
        }
    }
    if (f != NULL)
        abort();    /* free list holds something that is not a block */
    return free_bytes;
}
