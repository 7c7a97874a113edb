/*
 * BOOTINFO_*: the untyped caps the kernel hands over (boot.md §5, §7, §8)
 * checked against the memory map in the extra bootinfo (boot.md §6) and
 * against what Retype says about them (objects.md §3).
 *
 * These run first (name order), while the boot untypeds are untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

#define MIB (1UL << 20)
#define KERNEL_WINDOW_TOP (510UL << 30)

struct range {
    seL4_Word base, end;
};

/* Type-1 (RAM) entries of the MBMMAP chunk, clipped to [1 MiB, 510 GiB).
 * Returns the number of ranges, -1 if there is no memory-map chunk. */
static int mmap_ram(struct range *r, int max)
{
    const seL4_BootInfo *bi = test_bootinfo();
    const unsigned char *extra = (const unsigned char *)bi + seL4_BootInfoFrameSize;
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        seL4_BootInfoHeader h;
        memcpy(&h, extra + off, sizeof(h));
        if (h.len < sizeof(h))
            return -1;
        if (h.id == SEL4_BOOTINFO_HEADER_X86_MBMMAP) {
            const unsigned char *p = extra + off + sizeof(h);
            uint32_t len;
            memcpy(&len, p, 4);
            int n = 0;
            for (uint32_t e = 0; e + 24 <= len && e < 50 * 24; e += 24) {
                uint64_t base, length;
                uint32_t type;
                memcpy(&base, p + 4 + e + 4, 8);
                memcpy(&length, p + 4 + e + 12, 8);
                memcpy(&type, p + 4 + e + 20, 4);
                seL4_Word b = base, end = base + length;
                if (type != 1)
                    continue;
                if (b < MIB)
                    b = MIB;
                if (end > KERNEL_WINDOW_TOP)
                    end = KERNEL_WINDOW_TOP;
                if (end > b && n < max) {
                    r[n].base = b;
                    r[n].end = end;
                    n++;
                }
            }
            return n;
        }
        off += h.len;
    }
    return -1;
}

static seL4_Word ut_end(const seL4_UntypedDesc *d)
{
    return d->paddr + (1UL << d->sizeBits);
}

CTEST(BOOTINFO_0001, "RAM untypeds cover the memory map's RAM above 1 MiB except < 16 MiB (kernel, root task)")
{
    struct range ram[50];
    int n = mmap_ram(ram, 50);
    EXPECT(n > 0, "no RAM in the memory map chunk (%d)", n);
    seL4_Word map_total = 0, ut_total = 0;
    for (int i = 0; i < n; i++)
        map_total += ram[i].end - ram[i].base;
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        if (d->isDevice)
            continue;
        ut_total += 1UL << d->sizeBits;
        bool inside = false;
        for (int k = 0; k < n; k++)
            inside |= d->paddr >= ram[k].base && ut_end(d) <= ram[k].end;
        EXPECT(inside, "RAM untyped %lu [%#lx, %#lx) is not inside a RAM range above 1 MiB",
               (unsigned long)i, (unsigned long)d->paddr, (unsigned long)ut_end(d));
    }
    EXPECT(ut_total <= map_total, "%lu bytes of RAM untypeds > %lu bytes of RAM",
           (unsigned long)ut_total, (unsigned long)map_total);
    seL4_Word gap = map_total - ut_total;
    EXPECT(gap < 16 * MIB, "%lu KiB of RAM above 1 MiB not given out as untypeds "
           "(map %lu KiB, untypeds %lu KiB)", (unsigned long)(gap >> 10),
           (unsigned long)(map_total >> 10), (unsigned long)(ut_total >> 10));
    /* Something is kept back: at least the root task's CNode (2^13 slots). */
    EXPECT(gap >= (1UL << (13 + seL4_SlotBits)), "only %lu bytes kept back", (unsigned long)gap);
    return PASS;
}

static int by_paddr(const void *a, const void *b)
{
    const seL4_UntypedDesc *x = *(const seL4_UntypedDesc *const *)a;
    const seL4_UntypedDesc *y = *(const seL4_UntypedDesc *const *)b;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

CTEST(BOOTINFO_0002, "Device untypeds cover the whole first MiB; no RAM untyped lies there")
{
    const seL4_UntypedDesc *dev[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
    seL4_Word nd = 0;
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        if (d->isDevice)
            dev[nd++] = d;
        else
            EXPECT(d->paddr >= MIB, "RAM untyped %lu at %#lx, below 1 MiB", (unsigned long)i,
                   (unsigned long)d->paddr);
    }
    qsort(dev, nd, sizeof(dev[0]), by_paddr);
    seL4_Word covered = 0;
    for (seL4_Word i = 0; i < nd && covered < MIB; i++) {
        EXPECT(dev[i]->paddr <= covered, "hole in device untypeds at %#lx (next at %#lx)",
               (unsigned long)covered, (unsigned long)dev[i]->paddr);
        if (ut_end(dev[i]) > covered)
            covered = ut_end(dev[i]);
    }
    EXPECT(covered >= MIB, "device untypeds cover only [0, %#lx)", (unsigned long)covered);
    return PASS;
}

CTEST(BOOTINFO_0003, "Untyped list order: device untypeds first, ascending, up to 2^47; none overlaps RAM")
{
    struct range ram[50];
    int n = mmap_ram(ram, 50);
    EXPECT(n > 0, "no memory map");
    seL4_Word count = ut_count(), last_dev = 0, max_dev_end = 0;
    bool seen_ram = false;
    for (seL4_Word i = 0; i < count; i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        if (!d->isDevice) {
            seen_ram = true;
            continue;
        }
        EXPECT(!seen_ram, "device untyped %lu after a RAM untyped", (unsigned long)i);
        EXPECT(i == 0 || d->paddr >= last_dev, "device untyped %lu at %#lx below the previous one",
               (unsigned long)i, (unsigned long)d->paddr);
        last_dev = d->paddr;
        if (ut_end(d) > max_dev_end)
            max_dev_end = ut_end(d);
        for (int k = 0; k < n; k++)
            EXPECT(ut_end(d) <= ram[k].base || d->paddr >= ram[k].end,
                   "device untyped [%#lx, %#lx) overlaps RAM [%#lx, %#lx)",
                   (unsigned long)d->paddr, (unsigned long)ut_end(d),
                   (unsigned long)ram[k].base, (unsigned long)ram[k].end);
    }
    EXPECT(seen_ram, "no RAM untyped");
    if (count < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS)
        EXPECT(max_dev_end == 1UL << 47, "device untypeds end at %#lx, not 2^47",
               (unsigned long)max_dev_end);
    return PASS;
}

CTEST(BOOTINFO_0004, "Untyped slots hold untyped caps (type 2); the regions around them are as described")
{
    const seL4_BootInfo *bi = test_bootinfo();
    EXPECT(bi->untyped.end > bi->untyped.start, "no untypeds");
    for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++)
        EXPECT_TYPE(s, CT_UNTYPED);
    EXPECT_TYPE(bi->untyped.start - 1, CT_FRAME);        /* last image frame */
    EXPECT_TYPE(bi->untyped.end, CT_NULL);               /* first empty slot */
    EXPECT(bi->empty.start == bi->untyped.end, "empty starts at %lu, untypeds end at %lu",
           (unsigned long)bi->empty.start, (unsigned long)bi->untyped.end);
    return PASS;
}

CTEST(BOOTINFO_0005, "Every slot of bootinfo->empty is empty")
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_CPtr probe = bi->untyped.start;
    for (seL4_Word s = bi->empty.start; s < bi->empty.end; s += 256) {
        seL4_Word n = bi->empty.end - s < 256 ? bi->empty.end - s : 256;
        int r = window_empty(probe, ROOT_CNODE, 0, 0, s, n);
        EXPECT(r == 1, "slots [%lu, %lu): %s", (unsigned long)s, (unsigned long)(s + n),
               r == 0 ? "occupied" : "probe failed");
    }
    return PASS;
}

CTEST(BOOTINFO_0006, "Each boot untyped really has 2^sizeBits bytes (Retype's free-bytes report)")
{
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        seL4_Word fb = ut_free_bytes(ut_slot(i));
        if (fb != 1UL << d->sizeBits) {
            /* Acceptable only if something already retyped from it. */
            NEW_SLOT(x);
            seL4_Error e = r_copy(x, ut_slot(i), seL4_AllRights);
            (void)r_delete(x);
            EXPECT(e == seL4_RevokeFirst && fb < (1UL << d->sizeBits),
                   "untyped %lu (%s, 2^%u at %#lx): %ld bytes free", (unsigned long)i,
                   d->isDevice ? "device" : "RAM", d->sizeBits, (unsigned long)d->paddr, (long)fb);
        }
    }
    return PASS;
}

CTEST(BOOTINFO_0007, "A 16-byte child of each device (and small RAM) boot untyped leaves 2^sizeBits - 16 free")
{
    unsigned checked = 0;
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        seL4_CPtr u = ut_slot(i);
        /* RAM untypeds are zeroed on their first Retype: keep that cheap. */
        if (!d->isDevice && d->sizeBits > 22)
            continue;
        if (ut_free_bytes(u) != 1UL << d->sizeBits)
            continue;                               /* in use (see BOOTINFO_0006) */
        NEW_SLOT(c);
        seL4_Error e = seL4_Untyped_Retype(u, seL4_UntypedObject, 4, ROOT_CNODE, 0, 0, c, 1);
        EXPECT(e == seL4_NoError, "16-byte child of untyped %lu: %s", (unsigned long)i, err_name(e));
        EXPECT_TYPE(c, CT_UNTYPED);
        seL4_Word fb = ut_free_bytes(u);
        EXPECT(fb == (1UL << d->sizeBits) - 16, "untyped %lu (2^%u %s): %ld free after 16 bytes",
               (unsigned long)i, d->sizeBits, d->isDevice ? "device" : "RAM", (long)fb);
        fb = ut_free_bytes(c);
        EXPECT(fb == 16, "the child reports %ld bytes", (long)fb);
        EXPECT_ERR(r_revoke(u), seL4_NoError);
        EXPECT_TYPE(c, CT_NULL);
        slot_free(c);
        checked++;
    }
    EXPECT(checked > 0, "no untyped checked");
    return PASS;
}

CTEST(BOOTINFO_0008, "The device flag is real: device untypeds refuse endpoints, a RAM untyped makes one")
{
    seL4_CPtr small_ram = 0;
    unsigned small_bits = 64;
    NEW_SLOT(a);
    for (seL4_Word i = 0; i < ut_count(); i++) {
        const seL4_UntypedDesc *d = ut_desc(i);
        if (!d->isDevice) {
            if (d->sizeBits < small_bits) {
                small_bits = d->sizeBits;
                small_ram = ut_slot(i);
            }
            continue;
        }
        seL4_Error e = seL4_Untyped_Retype(ut_slot(i), seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, a,
                                           1);
        EXPECT(e == seL4_InvalidArgument, "endpoint from device untyped %lu at %#lx: %s",
               (unsigned long)i, (unsigned long)d->paddr, err_name(e));
        EXPECT_MRS(1);
        EXPECT_TYPE(a, CT_NULL);
    }
    EXPECT(small_ram != 0, "no RAM untyped");
    EXPECT_ERR(seL4_Untyped_Retype(small_ram, seL4_EndpointObject, 0, ROOT_CNODE, 0, 0, a, 1),
               seL4_NoError);
    EXPECT_TYPE(a, CT_EP);
    EXPECT_ERR(r_revoke(small_ram), seL4_NoError);
    EXPECT_TYPE(a, CT_NULL);
    return PASS;
}

CTEST(BOOTINFO_0009, "Boot untyped caps are originals: Revoke removes a copy; a copy can be retyped")
{
    /* The smallest device untyped: nothing is zeroed. */
    seL4_CPtr u = 0;
    unsigned bits = 64;
    for (seL4_Word i = 0; i < ut_count(); i++) {
        if (ut_desc(i)->isDevice && ut_desc(i)->sizeBits >= 12 && ut_desc(i)->sizeBits < bits) {
            bits = ut_desc(i)->sizeBits;
            u = ut_slot(i);
        }
    }
    EXPECT(u != 0, "no device untyped of 4 KiB or more");
    NEW_SLOT(c);
    NEW_SLOT(f);
    EXPECT_ERR(r_copy(c, u, seL4_AllRights), seL4_NoError);
    EXPECT_TYPE(c, CT_UNTYPED);
    EXPECT_ERR(seL4_Untyped_Retype(c, seL4_X86_4K, 0, ROOT_CNODE, 0, 0, f, 1), seL4_NoError);
    EXPECT_TYPE(f, CT_FRAME);
    EXPECT_ERR(r_revoke(u), seL4_NoError);
    EXPECT_TYPE(c, CT_NULL);
    EXPECT_TYPE(f, CT_NULL);
    EXPECT_TYPE(u, CT_UNTYPED);
    return PASS;
}
