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

/*
 * Frames and paging structures: w0 = type | size | rights | device |
 * mapped address >> 12 | mapping ASID (0 = not mapped); w1 = physical base.
 * Paging structures use only the mapping fields.
 */
#define FRAME_SIZE_SHIFT    5           /* 0: 4 KiB, 1: 2 MiB, 2: 1 GiB */
#define FRAME_SIZE_BITS     2
#define FRAME_RIGHTS_SHIFT  7           /* VM rights: 0 kernel only, 1 RO, 3 RW */
#define FRAME_RIGHTS_BITS   2
#define FRAME_DEVICE_SHIFT  9
#define FRAME_DEVICE_BITS   1
#define MAPPED_ADDR_SHIFT   10
#define MAPPED_ADDR_BITS    36
#define MAPPED_ASID_SHIFT   46
#define MAPPED_ASID_BITS    12

/* Untyped: w0 = type | size bits | device | free index (bytes >> 4); w1 = base. */
#define UNTYPED_BITS_SHIFT  5
#define UNTYPED_BITS_BITS   6
#define UNTYPED_DEVICE_SHIFT 11
#define UNTYPED_DEVICE_BITS 1
#define UNTYPED_FREE_SHIFT  12
#define UNTYPED_FREE_BITS   44
#define UNTYPED_FREE_ALIGN  4

/* Endpoint, notification: w0 = type | rights | object paddr >> 4; w1 = badge. */
#define IPC_RIGHTS_SHIFT    5
#define IPC_RIGHTS_BITS     4
#define IPC_PTR_SHIFT       9
#define IPC_PTR_BITS        43
#define IPC_PTR_ALIGN       4

/* Reply: w0 = type | master | can grant; w1 = TCB paddr. */
#define REPLY_MASTER_SHIFT  5
#define REPLY_GRANT_SHIFT   6

/*
 * Zombie (an object being emptied, delete.c): w0 = type | is TCB | CNode
 * radix | slots left | parent high bits; w1 = object paddr >> 5 | parent low
 * bits. The parent is the slot of the zombie whose object holds this one
 * (paddr >> 3, 46 bits). Kernel objects lie in the physical window (< 2^39), so 34
 * bits hold an object address and a CNode in it has at most 2^34 slots.
 */
#define ZOMBIE_TCB_SHIFT    5
#define ZOMBIE_RADIX_SHIFT  6
#define ZOMBIE_RADIX_BITS   6
#define ZOMBIE_LEFT_SHIFT   12
#define ZOMBIE_LEFT_BITS    36
#define ZOMBIE_PHI_SHIFT    48          /* parent >> 3, bits 30.. */
#define ZOMBIE_PHI_BITS     16
#define ZOMBIE_OBJ_SHIFT    0           /* in w1 */
#define ZOMBIE_OBJ_BITS     34
#define ZOMBIE_PLO_SHIFT    34          /* parent >> 3, bits 0..29, in w1 */
#define ZOMBIE_PLO_BITS     30
#define ZOMBIE_ALIGN        5           /* objects: CNodes 64, TCBs 2048 bytes aligned */
#define ZOMBIE_PARENT_ALIGN 3           /* slots: 8-byte aligned (TCB slots are not 32) */

/* PML4: w0 = type | ASID (0 = none); ASID pool: w0 = type | first ASID. w1 = paddr. */
#define ASID_SHIFT          5
#define ASID_BITS           12

/* IRQ handler: w0 = type | irq. I/O port: w0 = type | first | last port. */
#define IRQ_SHIFT           5
#define IRQ_BITS            8
#define PORT_FIRST_SHIFT    5
#define PORT_LAST_SHIFT     21
#define PORT_BITS           16

/* Rights bits (capabilities.md §3), in seL4_CapRights_t order. */
#define RIGHT_WRITE         BIT(0)
#define RIGHT_READ          BIT(1)
#define RIGHT_GRANT         BIT(2)
#define RIGHT_GRANT_REPLY   BIT(3)
#define RIGHTS_ALL          0xFUL

#define VM_RIGHTS_KERNEL_ONLY 0
#define VM_RIGHTS_READ_ONLY  1
#define VM_RIGHTS_READ_WRITE 3

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

static inline word_t cap_w0(cap_type_t type)
{
    return field_set(0, CAP_TYPE_SHIFT, CAP_TYPE_BITS, type);
}

static inline cap_t cap_null(void)
{
    return (cap_t){ 0, 0 };
}

static inline bool cap_is_null(cap_t c)
{
    return cap_get_type(c) == CAP_NULL;
}

/* Caps to objects that need no fields (control caps, domain). */
static inline cap_t cap_simple_new(cap_type_t type)
{
    return (cap_t){ cap_w0(type), 0 };
}

/* Caps whose only field is the object's physical address (w1). */
static inline cap_t cap_addr_new(cap_type_t type, paddr_t addr)
{
    return (cap_t){ cap_w0(type), addr };
}

/* Physical address of a frame, paging structure, ASID pool or untyped. */
static inline paddr_t cap_object_paddr(cap_t c)
{
    return c.w1;
}

/* --- CNode --- */
static inline cap_t cap_cnode_new(paddr_t cnode, unsigned radix, unsigned guard_size,
                                  word_t guard)
{
    word_t w0 = cap_w0(CAP_CNODE);
    w0 = field_set(w0, CNODE_RADIX_SHIFT, CNODE_RADIX_BITS, radix);
    w0 = field_set(w0, CNODE_GSIZE_SHIFT, CNODE_GSIZE_BITS, guard_size);
    w0 = field_set(w0, CNODE_PTR_SHIFT, CNODE_PTR_BITS, cnode >> CNODE_PTR_ALIGN);
    /* Only the low guard_size bits of a guard mean anything. */
    return (cap_t){ w0, guard_size == 0 ? 0 : guard & MASK(guard_size) };
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

static inline paddr_t cap_cnode_paddr(cap_t c)
{
    return field_get(c.w0, CNODE_PTR_SHIFT, CNODE_PTR_BITS) << CNODE_PTR_ALIGN;
}

static inline cte_t *cap_cnode_slots(cap_t c)
{
    return paddr_to_kptr(cap_cnode_paddr(c));
}

/* --- TCB --- */
static inline cap_t cap_thread_new(void *tcb)
{
    return cap_addr_new(CAP_THREAD, kptr_to_paddr(tcb));
}

static inline void *cap_thread_tcb(cap_t c)
{
    return paddr_to_kptr(c.w1);
}

/* --- frames and paging structures --- */
static inline cap_t cap_frame_new(paddr_t base, unsigned size_code, unsigned rights,
                                  bool device, vaddr_t mapped, unsigned asid)
{
    word_t w0 = cap_w0(CAP_FRAME);
    w0 = field_set(w0, FRAME_SIZE_SHIFT, FRAME_SIZE_BITS, size_code);
    w0 = field_set(w0, FRAME_RIGHTS_SHIFT, FRAME_RIGHTS_BITS, rights);
    w0 = field_set(w0, FRAME_DEVICE_SHIFT, FRAME_DEVICE_BITS, device);
    w0 = field_set(w0, MAPPED_ADDR_SHIFT, MAPPED_ADDR_BITS, mapped >> 12);
    w0 = field_set(w0, MAPPED_ASID_SHIFT, MAPPED_ASID_BITS, asid);
    return (cap_t){ w0, base };
}

static inline unsigned cap_frame_size_bits(cap_t c)
{
    static const unsigned bits[] = { 12, 21, 30, 12 };
    return bits[field_get(c.w0, FRAME_SIZE_SHIFT, FRAME_SIZE_BITS)];
}

static inline word_t cap_frame_size(cap_t c)
{
    return BIT(cap_frame_size_bits(c));
}

static inline unsigned cap_frame_rights(cap_t c)
{
    return (unsigned)field_get(c.w0, FRAME_RIGHTS_SHIFT, FRAME_RIGHTS_BITS);
}

static inline cap_t cap_frame_set_rights(cap_t c, unsigned rights)
{
    c.w0 = field_set(c.w0, FRAME_RIGHTS_SHIFT, FRAME_RIGHTS_BITS, rights);
    return c;
}

static inline bool cap_frame_is_device(cap_t c)
{
    return field_get(c.w0, FRAME_DEVICE_SHIFT, FRAME_DEVICE_BITS) != 0;
}

/* Mapping state of a frame or paging-structure cap. */
static inline unsigned cap_mapped_asid(cap_t c)
{
    return (unsigned)field_get(c.w0, MAPPED_ASID_SHIFT, MAPPED_ASID_BITS);
}

static inline vaddr_t cap_mapped_addr(cap_t c)
{
    return field_get(c.w0, MAPPED_ADDR_SHIFT, MAPPED_ADDR_BITS) << 12;
}

static inline cap_t cap_set_mapping(cap_t c, vaddr_t addr, unsigned asid)
{
    c.w0 = field_set(c.w0, MAPPED_ADDR_SHIFT, MAPPED_ADDR_BITS, addr >> 12);
    c.w0 = field_set(c.w0, MAPPED_ASID_SHIFT, MAPPED_ASID_BITS, asid);
    return c;
}

/* --- PML4 and ASID pool --- */
static inline cap_t cap_pml4_new(paddr_t root, unsigned asid)
{
    return (cap_t){ field_set(cap_w0(CAP_PML4), ASID_SHIFT, ASID_BITS, asid), root };
}

static inline cap_t cap_asid_pool_new(paddr_t pool, unsigned first_asid)
{
    return (cap_t){ field_set(cap_w0(CAP_ASID_POOL), ASID_SHIFT, ASID_BITS, first_asid), pool };
}

static inline unsigned cap_asid(cap_t c)
{
    return (unsigned)field_get(c.w0, ASID_SHIFT, ASID_BITS);
}

/* --- untyped --- */
static inline cap_t cap_untyped_new(paddr_t base, unsigned size_bits, bool device,
                                    word_t free_offset)
{
    word_t w0 = cap_w0(CAP_UNTYPED);
    w0 = field_set(w0, UNTYPED_BITS_SHIFT, UNTYPED_BITS_BITS, size_bits);
    w0 = field_set(w0, UNTYPED_DEVICE_SHIFT, UNTYPED_DEVICE_BITS, device);
    w0 = field_set(w0, UNTYPED_FREE_SHIFT, UNTYPED_FREE_BITS, free_offset >> UNTYPED_FREE_ALIGN);
    return (cap_t){ w0, base };
}

static inline unsigned cap_untyped_size_bits(cap_t c)
{
    return (unsigned)field_get(c.w0, UNTYPED_BITS_SHIFT, UNTYPED_BITS_BITS);
}

static inline bool cap_untyped_is_device(cap_t c)
{
    return field_get(c.w0, UNTYPED_DEVICE_SHIFT, UNTYPED_DEVICE_BITS) != 0;
}

/* The watermark as a byte offset from the base. */
static inline word_t cap_untyped_free_offset(cap_t c)
{
    return field_get(c.w0, UNTYPED_FREE_SHIFT, UNTYPED_FREE_BITS) << UNTYPED_FREE_ALIGN;
}

static inline cap_t cap_untyped_set_free_offset(cap_t c, word_t offset)
{
    c.w0 = field_set(c.w0, UNTYPED_FREE_SHIFT, UNTYPED_FREE_BITS, offset >> UNTYPED_FREE_ALIGN);
    return c;
}

/* --- endpoint and notification --- */
static inline cap_t cap_ipc_new(cap_type_t type, paddr_t object, unsigned rights, word_t badge)
{
    word_t w0 = cap_w0(type);
    w0 = field_set(w0, IPC_RIGHTS_SHIFT, IPC_RIGHTS_BITS, rights);
    w0 = field_set(w0, IPC_PTR_SHIFT, IPC_PTR_BITS, object >> IPC_PTR_ALIGN);
    return (cap_t){ w0, badge };
}

static inline paddr_t cap_ipc_paddr(cap_t c)
{
    return field_get(c.w0, IPC_PTR_SHIFT, IPC_PTR_BITS) << IPC_PTR_ALIGN;
}

static inline unsigned cap_ipc_rights(cap_t c)
{
    return (unsigned)field_get(c.w0, IPC_RIGHTS_SHIFT, IPC_RIGHTS_BITS);
}

static inline cap_t cap_ipc_set_rights(cap_t c, unsigned rights)
{
    c.w0 = field_set(c.w0, IPC_RIGHTS_SHIFT, IPC_RIGHTS_BITS, rights);
    return c;
}

static inline word_t cap_ipc_badge(cap_t c)
{
    return c.w1;
}

/* --- reply --- */
static inline cap_t cap_reply_new(void *tcb, bool master, bool can_grant)
{
    word_t w0 = cap_w0(CAP_REPLY);
    w0 = field_set(w0, REPLY_MASTER_SHIFT, 1, master);
    w0 = field_set(w0, REPLY_GRANT_SHIFT, 1, can_grant);
    return (cap_t){ w0, kptr_to_paddr(tcb) };
}

static inline bool cap_reply_can_grant(cap_t c)
{
    return field_get(c.w0, REPLY_GRANT_SHIFT, 1) != 0;
}

static inline cap_t cap_reply_set_grant(cap_t c, bool grant)
{
    c.w0 = field_set(c.w0, REPLY_GRANT_SHIFT, 1, grant);
    return c;
}

static inline bool cap_reply_is_master(cap_t c)
{
    return field_get(c.w0, REPLY_MASTER_SHIFT, 1) != 0;
}

/* --- zombie --- */
static inline cap_t cap_zombie_new(paddr_t object, bool is_tcb, unsigned radix, word_t slots_left)
{
    word_t w0 = cap_w0(CAP_ZOMBIE);
    w0 = field_set(w0, ZOMBIE_TCB_SHIFT, 1, is_tcb);
    w0 = field_set(w0, ZOMBIE_RADIX_SHIFT, ZOMBIE_RADIX_BITS, radix);
    w0 = field_set(w0, ZOMBIE_LEFT_SHIFT, ZOMBIE_LEFT_BITS, slots_left);
    return (cap_t){ w0, field_set(0, ZOMBIE_OBJ_SHIFT, ZOMBIE_OBJ_BITS, object >> ZOMBIE_ALIGN) };
}

static inline bool cap_zombie_is_tcb(cap_t c)
{
    return field_get(c.w0, ZOMBIE_TCB_SHIFT, 1) != 0;
}

static inline unsigned cap_zombie_radix(cap_t c)
{
    return (unsigned)field_get(c.w0, ZOMBIE_RADIX_SHIFT, ZOMBIE_RADIX_BITS);
}

static inline paddr_t cap_zombie_object(cap_t c)
{
    return field_get(c.w1, ZOMBIE_OBJ_SHIFT, ZOMBIE_OBJ_BITS) << ZOMBIE_ALIGN;
}

static inline word_t cap_zombie_left(cap_t c)
{
    return field_get(c.w0, ZOMBIE_LEFT_SHIFT, ZOMBIE_LEFT_BITS);
}

static inline cap_t cap_zombie_set_left(cap_t c, word_t left)
{
    c.w0 = field_set(c.w0, ZOMBIE_LEFT_SHIFT, ZOMBIE_LEFT_BITS, left);
    return c;
}

/* The parent zombie's slot, or NULL (a zombie that no other one holds). */
static inline cte_t *cap_zombie_parent(cap_t c)
{
    word_t p = field_get(c.w1, ZOMBIE_PLO_SHIFT, ZOMBIE_PLO_BITS) |
               (field_get(c.w0, ZOMBIE_PHI_SHIFT, ZOMBIE_PHI_BITS) << ZOMBIE_PLO_BITS);
    return p == 0 ? NULL : (cte_t *)paddr_to_kptr(p << ZOMBIE_PARENT_ALIGN);
}

static inline cap_t cap_zombie_set_parent(cap_t c, const cte_t *parent)
{
    word_t p = parent == NULL ? 0 : kptr_to_paddr(parent) >> ZOMBIE_PARENT_ALIGN;
    c.w1 = field_set(c.w1, ZOMBIE_PLO_SHIFT, ZOMBIE_PLO_BITS, p);
    c.w0 = field_set(c.w0, ZOMBIE_PHI_SHIFT, ZOMBIE_PHI_BITS, p >> ZOMBIE_PLO_BITS);
    return c;
}

/* --- IRQ handler and I/O ports --- */
static inline cap_t cap_irq_handler_new(unsigned irq)
{
    return (cap_t){ field_set(cap_w0(CAP_IRQ_HANDLER), IRQ_SHIFT, IRQ_BITS, irq), 0 };
}

static inline unsigned cap_irq(cap_t c)
{
    return (unsigned)field_get(c.w0, IRQ_SHIFT, IRQ_BITS);
}

static inline cap_t cap_io_port_new(unsigned first, unsigned last)
{
    word_t w0 = field_set(cap_w0(CAP_IO_PORT), PORT_FIRST_SHIFT, PORT_BITS, first);
    return (cap_t){ field_set(w0, PORT_LAST_SHIFT, PORT_BITS, last), 0 };
}

static inline unsigned cap_io_port_first(cap_t c)
{
    return (unsigned)field_get(c.w0, PORT_FIRST_SHIFT, PORT_BITS);
}

static inline unsigned cap_io_port_last(cap_t c)
{
    return (unsigned)field_get(c.w0, PORT_LAST_SHIFT, PORT_BITS);
}

/* Generic questions about caps (core/cap.c). */

/*
 * The physical memory a cap's object occupies, for caps that name memory
 * (untyped, CNode, TCB, endpoint, notification, frames, paging objects,
 * ASID pools). Returns false for caps that name no memory.
 */
bool cap_object_region(cap_t c, paddr_t *base, unsigned *size_bits);
/* seL4's sameRegionAs: b's object is a, or lies within a (untyped). */
bool cap_same_region(cap_t a, cap_t b);
/* seL4's sameObjectAs: a and b are caps to the same object. */
bool cap_same_object(cap_t a, cap_t b);
/* Caps holding other caps: CNodes (their slots) and TCBs (their own slots). */
bool cap_has_slots(cap_t c, cte_t **slots, word_t *count);
/* The slots of the object a zombie is emptying (all of them, from 0). */
cte_t *cap_zombie_slots(cap_t z);
/* A zombie for the object of c, a cap for which cap_has_slots holds. */
cap_t cap_zombie_for(cap_t c);

const char *cap_type_name(cap_type_t t);

#endif
