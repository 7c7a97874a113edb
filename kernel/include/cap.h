/*
 * Capabilities: what a CNode slot holds.
 *
 * A cap is two words. Word 0 keeps the cap type in its low 5 bits; the
 * remaining fields of each type are laid out below, each field defined once
 * by a shift and a width and reached only through the accessors in this
 * file. The type numbers are seL4's internal cap tags, which user level sees
 * through seL4_DebugCapIdentify (capabilities.md §8).
 *
 * A CNode slot (cte_t) is a cap plus its place in the capability derivation
 * tree: 32 bytes, the slot size the ABI fixes (2^radix * 32 = CNode size).
 */
#ifndef CAP_H
#define CAP_H

#include "types.h"
#include "arch.h"

typedef enum cap_type {
    CAP_NULL = 0,
    CAP_FRAME = 1,
    CAP_UNTYPED = 2,
    CAP_PAGE_TABLE = 3,
    CAP_ENDPOINT = 4,
    CAP_PAGE_DIRECTORY = 5,
    CAP_NOTIFICATION = 6,
    CAP_PDPT = 7,
    CAP_REPLY = 8,
    CAP_PML4 = 9,
    CAP_CNODE = 10,
    CAP_ASID_CONTROL = 11,
    CAP_THREAD = 12,
    CAP_ASID_POOL = 13,
    CAP_IRQ_CONTROL = 14,
    CAP_IRQ_HANDLER = 16,
    CAP_ZOMBIE = 18,
    CAP_IO_PORT = 19,
    CAP_DOMAIN = 20,
    CAP_IO_PORT_CONTROL = 31,
} cap_type_t;

typedef struct cap {
    word_t w0;
    word_t w1;
} cap_t;

/* Derivation-tree links (filled in by the capability issue's CDT). */
typedef struct mdb_node {
    word_t prev;
    word_t next;
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cte_t) == 32, "a CNode slot is 32 bytes (seL4_SlotBits = 5)");

/* --- the one place where field positions are defined --- */
#define CAP_TYPE_SHIFT      0
#define CAP_TYPE_BITS       5

/* CNode: w0 = type | radix | guard size | CNode paddr >> 6; w1 = guard. */
#define CNODE_RADIX_SHIFT   5
#define CNODE_RADIX_BITS    6
#define CNODE_GSIZE_SHIFT   11
#define CNODE_GSIZE_BITS    6
#define CNODE_PTR_SHIFT     17
#define CNODE_PTR_BITS      40
#define CNODE_PTR_ALIGN     6

/* Frame: w0 = type | size | rights | device; w1 = physical base. */
#define FRAME_SIZE_SHIFT    5           /* 0: 4 KiB, 1: 2 MiB, 2: 1 GiB */
#define FRAME_SIZE_BITS     2
#define FRAME_RIGHTS_SHIFT  7           /* seL4 vm rights: 1 RO, 3 RW */
#define FRAME_RIGHTS_BITS   2
#define FRAME_DEVICE_SHIFT  9
#define FRAME_DEVICE_BITS   1
#define FRAME_MAPPED_SHIFT  10          /* mapped virtual address >> 12 */
#define FRAME_MAPPED_BITS   36

/* Untyped: w0 = type | size bits | device | free index (bytes >> 4); w1 = base. */
#define UNTYPED_BITS_SHIFT  5
#define UNTYPED_BITS_BITS   6
#define UNTYPED_DEVICE_SHIFT 11
#define UNTYPED_DEVICE_BITS 1
#define UNTYPED_FREE_SHIFT  12
#define UNTYPED_FREE_BITS   44
#define UNTYPED_FREE_ALIGN  4

/* Objects identified by one pointer/address only keep it in w1. */

static inline word_t field_get(word_t w, unsigned shift, unsigned bits)
{
    return (w >> shift) & MASK(bits);
}

static inline word_t field_set(word_t w, unsigned shift, unsigned bits, word_t v)
{
    return (w & ~(MASK(bits) << shift)) | ((v & MASK(bits)) << shift);
}

static inline cap_type_t cap_get_type(cap_t c)
{
    return (cap_type_t)field_get(c.w0, CAP_TYPE_SHIFT, CAP_TYPE_BITS);
}

static inline cap_t cap_null(void)
{
    return (cap_t){ 0, 0 };
}

/* Caps to objects that need no fields (control caps, domain). */
static inline cap_t cap_simple_new(cap_type_t type)
{
    return (cap_t){ field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, type), 0 };
}

static inline cap_t cap_cnode_new(paddr_t cnode, unsigned radix, unsigned guard_size,
                                  word_t guard)
{
    word_t w0 = field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, CAP_CNODE);
    w0 = field_set(w0, CNODE_RADIX_SHIFT, CNODE_RADIX_BITS, radix);
    w0 = field_set(w0, CNODE_GSIZE_SHIFT, CNODE_GSIZE_BITS, guard_size);
    w0 = field_set(w0, CNODE_PTR_SHIFT, CNODE_PTR_BITS, cnode >> CNODE_PTR_ALIGN);
    return (cap_t){ w0, guard };
}

static inline unsigned cap_cnode_radix(cap_t c)
{
    return (unsigned)field_get(c.w0, CNODE_RADIX_SHIFT, CNODE_RADIX_BITS);
}

static inline unsigned cap_cnode_guard_size(cap_t c)
{
    return (unsigned)field_get(c.w0, CNODE_GSIZE_SHIFT, CNODE_GSIZE_BITS);
}

static inline word_t cap_cnode_guard(cap_t c)
{
    return c.w1;
}

static inline cte_t *cap_cnode_slots(cap_t c)
{
    return paddr_to_kptr(field_get(c.w0, CNODE_PTR_SHIFT, CNODE_PTR_BITS) << CNODE_PTR_ALIGN);
}

static inline cap_t cap_thread_new(void *tcb)
{
    return (cap_t){ field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, CAP_THREAD), (word_t)tcb };
}

static inline void *cap_thread_tcb(cap_t c)
{
    return (void *)c.w1;
}

static inline cap_t cap_pml4_new(paddr_t root)
{
    return (cap_t){ field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, CAP_PML4), root };
}

static inline cap_t cap_addr_new(cap_type_t type, paddr_t addr)
{
    return (cap_t){ field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, type), addr };
}

static inline paddr_t cap_object_paddr(cap_t c)
{
    return c.w1;
}

#define VM_RIGHTS_READ_ONLY  1
#define VM_RIGHTS_READ_WRITE 3

static inline cap_t cap_frame_new(paddr_t base, unsigned size_code, unsigned rights,
                                  bool device, vaddr_t mapped)
{
    word_t w0 = field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, CAP_FRAME);
    w0 = field_set(w0, FRAME_SIZE_SHIFT, FRAME_SIZE_BITS, size_code);
    w0 = field_set(w0, FRAME_RIGHTS_SHIFT, FRAME_RIGHTS_BITS, rights);
    w0 = field_set(w0, FRAME_DEVICE_SHIFT, FRAME_DEVICE_BITS, device);
    w0 = field_set(w0, FRAME_MAPPED_SHIFT, FRAME_MAPPED_BITS, mapped >> 12);
    return (cap_t){ w0, base };
}

static inline word_t cap_frame_size(cap_t c)
{
    static const unsigned bits[] = { 12, 21, 30, 12 };
    return BIT(bits[field_get(c.w0, FRAME_SIZE_SHIFT, FRAME_SIZE_BITS)]);
}

static inline unsigned cap_frame_rights(cap_t c)
{
    return (unsigned)field_get(c.w0, FRAME_RIGHTS_SHIFT, FRAME_RIGHTS_BITS);
}

static inline bool cap_frame_is_device(cap_t c)
{
    return field_get(c.w0, FRAME_DEVICE_SHIFT, FRAME_DEVICE_BITS) != 0;
}

static inline cap_t cap_untyped_new(paddr_t base, unsigned size_bits, bool device,
                                    word_t free_index)
{
    word_t w0 = field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, CAP_UNTYPED);
    w0 = field_set(w0, UNTYPED_BITS_SHIFT, UNTYPED_BITS_BITS, size_bits);
    w0 = field_set(w0, UNTYPED_DEVICE_SHIFT, UNTYPED_DEVICE_BITS, device);
    w0 = field_set(w0, UNTYPED_FREE_SHIFT, UNTYPED_FREE_BITS, free_index >> UNTYPED_FREE_ALIGN);
    return (cap_t){ w0, base };
}

static inline unsigned cap_untyped_size_bits(cap_t c)
{
    return (unsigned)field_get(c.w0, UNTYPED_BITS_SHIFT, UNTYPED_BITS_BITS);
}

const char *cap_type_name(cap_type_t t);

#endif
