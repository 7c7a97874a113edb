/* BOOT_*: what the kernel hands the root task (boot.md §3-§8). */
#include <stdio.h>
#include <string.h>
#include "framework.h"

#define CNODE_SLOTS (1UL << 13)

extern char __executable_start[], _end[];

static const char rodata_probe[] = "arca rodata";
static unsigned long data_probe = 0x1234567890ABCDEFUL;
static unsigned long bss_probe[64];

TEST(BOOT_0001, "bootinfo scalar fields")
{
    const seL4_BootInfo *bi = test_bootinfo();
    EXPECT(bi->nodeID == 0, "nodeID %lu", (unsigned long)bi->nodeID);
    EXPECT(bi->numNodes == 1, "numNodes %lu", (unsigned long)bi->numNodes);
    EXPECT(bi->numIOPTLevels == (seL4_Word)-1, "numIOPTLevels %ld", (long)bi->numIOPTLevels);
    EXPECT(bi->initThreadCNodeSizeBits == 13, "CNode size bits %lu",
           (unsigned long)bi->initThreadCNodeSizeBits);
    EXPECT(bi->initThreadDomain == 0, "domain %lu", (unsigned long)bi->initThreadDomain);
    EXPECT(bi->sharedFrames.start == 0 && bi->sharedFrames.end == 0, "sharedFrames not empty");
    EXPECT(bi->ioSpaceCaps.start == 0 && bi->ioSpaceCaps.end == 0, "ioSpaceCaps not empty");
    return PASS;
}

TEST(BOOT_0002, "IPC buffer and bootinfo follow the image")
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_Word image_end = ((seL4_Word)_end + 4095) & ~4095UL;
    EXPECT((seL4_Word)bi->ipcBuffer == image_end, "ipcBuffer %p, image end %#lx",
           (void *)bi->ipcBuffer, (unsigned long)image_end);
    EXPECT((seL4_Word)bi == image_end + 4096, "bootinfo at %p, expected %#lx", (void *)bi,
           (unsigned long)(image_end + 4096));
    EXPECT(seL4_GetIPCBuffer() == bi->ipcBuffer, "runtime IPC buffer %p",
           (void *)seL4_GetIPCBuffer());
    return PASS;
}

TEST(BOOT_0003, "slot regions in seL4's order")
{
    const seL4_BootInfo *bi = test_bootinfo();
    EXPECT(bi->userImagePaging.start == seL4_NumInitialCaps, "paging starts at %lu",
           (unsigned long)bi->userImagePaging.start);
    EXPECT(bi->userImagePaging.end > bi->userImagePaging.start, "no paging caps");
    EXPECT(bi->extraBIPages.start == bi->userImagePaging.end, "extra pages at %lu",
           (unsigned long)bi->extraBIPages.start);
    EXPECT(bi->userImageFrames.start == bi->extraBIPages.end, "image frames at %lu",
           (unsigned long)bi->userImageFrames.start);
    EXPECT(bi->untyped.start == bi->userImageFrames.end, "untypeds at %lu",
           (unsigned long)bi->untyped.start);
    EXPECT(bi->empty.start == bi->untyped.end, "empty starts at %lu",
           (unsigned long)bi->empty.start);
    EXPECT(bi->empty.end == CNODE_SLOTS, "empty ends at %lu", (unsigned long)bi->empty.end);
    seL4_Word image_pages = ((((seL4_Word)_end + 4095) & ~4095UL) -
                             (seL4_Word)__executable_start) / 4096;
    seL4_Word frames = bi->userImageFrames.end - bi->userImageFrames.start;
    EXPECT(frames == image_pages, "%lu image frame caps for %lu pages", (unsigned long)frames,
           (unsigned long)image_pages);
    /* One PDPT, one PD and one PT cover an image below 2 MiB of span. */
    seL4_Word paging = bi->userImagePaging.end - bi->userImagePaging.start;
    EXPECT(paging >= 3, "only %lu paging caps", (unsigned long)paging);
    return PASS;
}

TEST(BOOT_0004, "initial caps have seL4's types")
{
    /* capabilities.md §8 tags: slot -> expected type */
    static const struct { seL4_CPtr slot; seL4_Uint32 type; } expect[] = {
        { 0, 0 }, { seL4_CapInitThreadTCB, 12 }, { seL4_CapInitThreadCNode, 10 },
        { seL4_CapInitThreadVSpace, 9 }, { seL4_CapIRQControl, 14 },
        { seL4_CapASIDControl, 11 }, { seL4_CapInitThreadASIDPool, 13 },
        { seL4_CapIOPortControl, 31 }, { seL4_CapIOSpace, 0 }, { seL4_CapBootInfoFrame, 1 },
        { seL4_CapInitThreadIPCBuffer, 1 }, { seL4_CapDomain, 20 }, { 12, 0 }, { 13, 0 },
        { 14, 0 }, { 15, 0 },
    };
    for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        seL4_Uint32 t = seL4_DebugCapIdentify(expect[i].slot);
        EXPECT(t == expect[i].type, "slot %lu has type %u, expected %u",
               (unsigned long)expect[i].slot, t, expect[i].type);
    }
    const seL4_BootInfo *bi = test_bootinfo();
    EXPECT(seL4_DebugCapIdentify(bi->untyped.start) == 2, "first untyped slot");
    EXPECT(seL4_DebugCapIdentify(bi->userImageFrames.start) == 1, "first image frame");
    EXPECT(seL4_DebugCapIdentify(bi->userImagePaging.start) == 7, "first paging cap is a PDPT");
    EXPECT(seL4_DebugCapIdentify(bi->empty.start) == 0, "first empty slot");
    /* A CPtr with bits above the radix fails the guard: reported as 0. */
    EXPECT(seL4_DebugCapIdentify(CNODE_SLOTS | seL4_CapInitThreadTCB) == 0, "guard mismatch");
    return PASS;
}

TEST(BOOT_0005, "untyped list is well formed")
{
    const seL4_BootInfo *bi = test_bootinfo();
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    EXPECT(n > 0 && n <= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS, "%lu untypeds", (unsigned long)n);
    seL4_Word ram = 0;
    bool low_device = false;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        EXPECT(u->sizeBits >= 4 && u->sizeBits <= 47, "untyped %lu: %u bits", (unsigned long)i,
               u->sizeBits);
        EXPECT((u->paddr & ((1UL << u->sizeBits) - 1)) == 0, "untyped %lu at %#lx not aligned",
               (unsigned long)i, (unsigned long)u->paddr);
        EXPECT(u->isDevice <= 1, "isDevice %u", u->isDevice);
        seL4_Word end = u->paddr + (1UL << u->sizeBits);
        if (!u->isDevice) {
            ram += 1UL << u->sizeBits;
            EXPECT(end <= (510UL << 30), "RAM untyped beyond the kernel window");
        }
        if (u->isDevice && u->paddr == 0)
            low_device = true;
        /* The kernel keeps the LAPIC and IOAPIC pages. */
        EXPECT(!(u->paddr <= 0xFEE00000UL && end > 0xFEE00000UL), "LAPIC page given out");
        EXPECT(!(u->paddr <= 0xFEC00000UL && end > 0xFEC00000UL), "IOAPIC page given out");
        for (seL4_Word j = 0; j < i; j++) {
            const seL4_UntypedDesc *v = &bi->untypedList[j];
            seL4_Word vend = v->paddr + (1UL << v->sizeBits);
            EXPECT(end <= v->paddr || u->paddr >= vend, "untypeds %lu and %lu overlap",
                   (unsigned long)j, (unsigned long)i);
        }
    }
    EXPECT(low_device, "no device untyped at physical 0 (first MiB)");
    EXPECT(ram >= (64UL << 20), "only %lu KiB of RAM untypeds", (unsigned long)(ram >> 10));
    return PASS;
}

TEST(BOOT_0006, "extra bootinfo chunks")
{
    const seL4_BootInfo *bi = test_bootinfo();
    const unsigned char *extra = (const unsigned char *)bi + 4096;
    bool rsdp = false, mmap = false, tsc = false;
    seL4_Word off = 0;
    while (off < bi->extraLen) {
        seL4_BootInfoHeader h;
        memcpy(&h, extra + off, sizeof(h));
        EXPECT(h.len >= sizeof(h) && off + h.len <= bi->extraLen, "chunk at %lu: len %lu",
               (unsigned long)off, (unsigned long)h.len);
        const unsigned char *p = extra + off + sizeof(h);
        if (h.id == SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP) {
            EXPECT(h.len == 52, "RSDP chunk length %lu", (unsigned long)h.len);
            EXPECT(memcmp(p, "RSD PTR ", 8) == 0, "RSDP signature");
            unsigned char sum = 0;
            for (int i = 0; i < 20; i++)
                sum = (unsigned char)(sum + p[i]);
            EXPECT(sum == 0, "RSDP checksum %u", sum);
            rsdp = true;
        } else if (h.id == SEL4_BOOTINFO_HEADER_X86_MBMMAP) {
            EXPECT(h.len == 1220, "mmap chunk length %lu", (unsigned long)h.len);
            uint32_t len;
            memcpy(&len, p, 4);
            EXPECT(len > 0 && len % 24 == 0 && len <= 50 * 24, "mmap_length %u", len);
            bool ram = false;
            for (uint32_t e = 0; e < len; e += 24) {
                uint32_t type;
                memcpy(&type, p + 4 + e + 20, 4);
                ram |= type == 1;
            }
            EXPECT(ram, "no RAM entry in the memory map");
            mmap = true;
        } else if (h.id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ) {
            uint32_t mhz;
            memcpy(&mhz, p, 4);
            EXPECT(h.len == 20 && mhz > 0, "TSC chunk len %lu, %u MHz", (unsigned long)h.len, mhz);
            tsc = true;
        }
        off += h.len;
    }
    EXPECT(off == bi->extraLen, "chunks end at %lu, extraLen %lu", (unsigned long)off,
           (unsigned long)bi->extraLen);
    EXPECT(rsdp && mmap && tsc, "missing chunk: rsdp %d mmap %d tsc %d", rsdp, mmap, tsc);
    seL4_Word pages = bi->extraBIPages.end - bi->extraBIPages.start;
    EXPECT(pages * 4096 >= bi->extraLen, "%lu extra pages for %lu bytes", (unsigned long)pages,
           (unsigned long)bi->extraLen);
    return PASS;
}

TEST(BOOT_0007, "image loaded: rodata, data and bss")
{
    EXPECT(strcmp(rodata_probe, "arca rodata") == 0, "rodata '%s'", rodata_probe);
    EXPECT(data_probe == 0x1234567890ABCDEFUL, "data %#lx", data_probe);
    for (unsigned i = 0; i < 64; i++)
        EXPECT(bss_probe[i] == 0, "bss word %u is %#lx", i, bss_probe[i]);
    /* The image is writable (boot.md §2: RW X), so data can change. */
    data_probe++;
    EXPECT(data_probe == 0x1234567890ABCDF0UL, "data write");
    return PASS;
}

TEST(BOOT_0008, "IPC buffer is mapped, writable and starts clean")
{
    seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();
    EXPECT(((seL4_Word)ipc & 1023) == 0, "IPC buffer %p not 1 KiB aligned", (void *)ipc);
    EXPECT(ipc->userData == 0, "userData %#lx", (unsigned long)ipc->userData);
    EXPECT(ipc->receiveCNode == 0 && ipc->receiveIndex == 0 && ipc->receiveDepth == 0,
           "receive path not zero");
    for (int i = 119; i >= 100; i--)
        EXPECT(ipc->msg[i] == 0, "msg[%d] = %#lx", i, (unsigned long)ipc->msg[i]);
    seL4_SetUserData(0xC0FFEE);
    EXPECT(seL4_GetUserData() == 0xC0FFEE, "userData write lost");
    seL4_SetUserData(0);
    return PASS;
}

TEST(BOOT_0009, "bootinfo frame is the whole page, extra follows")
{
    const seL4_BootInfo *bi = test_bootinfo();
    const unsigned char *page = (const unsigned char *)bi;
    /* After the struct the bootinfo page is zero (boot.md §4). */
    for (size_t i = sizeof(seL4_BootInfo); i < 4096; i++)
        EXPECT(page[i] == 0, "bootinfo byte %lu is %u", (unsigned long)i, page[i]);
    const unsigned char *extra = page + 4096;
    seL4_Word pages = bi->extraBIPages.end - bi->extraBIPages.start;
    for (seL4_Word i = bi->extraLen; i < pages * 4096; i++)
        EXPECT(extra[i] == 0, "extra byte %lu is %u", (unsigned long)i, extra[i]);
    return PASS;
}
