/*
 * The default root task for `make run`. For now it shows what the kernel
 * handed over (bootinfo) and stops the machine; the system initialiser that
 * builds components from a description replaces it in a later issue.
 */
#include <stdio.h>
#include <arca/runtime.h>
#include <sel4/sel4.h>

static const char *chunk_name(seL4_Word id)
{
    switch (id) {
    case SEL4_BOOTINFO_HEADER_X86_VBE: return "VBE";
    case SEL4_BOOTINFO_HEADER_X86_MBMMAP: return "memory map";
    case SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP: return "ACPI RSDP";
    case SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER: return "framebuffer";
    case SEL4_BOOTINFO_HEADER_X86_TSC_FREQ: return "TSC frequency";
    default: return "unknown";
    }
}

int main(void)
{
    const seL4_BootInfo *bi = arca_bootinfo();
    printf("rootserver: hello from user level\n");
    printf("rootserver: IPC buffer %p, CNode 2^%lu slots, empty slots %lu..%lu\n",
           (void *)bi->ipcBuffer, (unsigned long)bi->initThreadCNodeSizeBits,
           (unsigned long)bi->empty.start, (unsigned long)bi->empty.end - 1);

    seL4_Word ram = 0, device = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice)
            device += (seL4_Word)1 << u->sizeBits;
        else
            ram += (seL4_Word)1 << u->sizeBits;
    }
    printf("rootserver: %lu untypeds: %lu MiB of RAM, %lu GiB of device memory\n",
           (unsigned long)(bi->untyped.end - bi->untyped.start), (unsigned long)(ram >> 20),
           (unsigned long)(device >> 30));

    const char *extra = (const char *)bi + (1 << seL4_BootInfoFrameBits);
    for (seL4_Word off = 0; off < bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(extra + off);
        printf("rootserver: extra bootinfo: %s (%lu bytes)\n", chunk_name(h->id),
               (unsigned long)h->len);
        if (h->len == 0)
            break;
        off += h->len;
    }
    printf("rootserver: nothing more to do yet; halting\n");
    return 0;
}
