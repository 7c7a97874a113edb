/*
 * seL4_BootInfo and the extra bootinfo chunks (boot.md §5, §6), and the
 * untyped caps that hand all remaining memory to the root task (§8).
 */
#include "boot.h"
#include "plat.h"
#include "config.h"
#include "panic.h"
#include "kstring.h"
#include "cdt.h"

#define RSDP_CHUNK_LEN  (16 + 36)
#define MMAP_CHUNK_LEN  (16 + 4 + 50 * 24)
#define TSC_CHUNK_LEN   (16 + 4)
#define MMAP_MAX_ENTRIES 50

word_t bootinfo_extra_length(void)
{
    word_t len = MMAP_CHUNK_LEN + TSC_CHUNK_LEN;
    if (acpi_info.found)
        len += RSDP_CHUNK_LEN;
    return len;
}

static uint8_t *put_header(uint8_t *p, word_t id, word_t len)
{
    seL4_BootInfoHeader h = { .id = id, .len = len };
    memcpy(p, &h, sizeof(h));
    return p + sizeof(h);
}

static uint8_t *put_mmap_chunk(uint8_t *p)
{
    uint8_t *payload = put_header(p, SEL4_BOOTINFO_HEADER_X86_MBMMAP, MMAP_CHUNK_LEN);
    const struct mb_info *mbi = boot.mbi;
    uint32_t copied = 0;
    if (mbi->flags & MB_INFO_MMAP) {
        const uint8_t *src = paddr_to_kptr(mbi->mmap_addr);
        uint32_t off = 0;
        /* Entries are copied raw, 24 bytes each, as the MB1 map gives them. */
        while (off + sizeof(struct mb_mmap_entry) <= mbi->mmap_length &&
               copied / 24 < MMAP_MAX_ENTRIES) {
            memcpy(payload + 4 + copied, src + off, 24);
            copied += 24;
            off += ((const struct mb_mmap_entry *)(src + off))->size + 4;
        }
    }
    memcpy(payload, &copied, sizeof(copied));
    return p + MMAP_CHUNK_LEN;
}

void bootinfo_fill_extra(struct rootserver *rs, uint32_t tsc_mhz)
{
    uint8_t *p = rs->extra;
    if (acpi_info.found) {
        uint8_t *payload = put_header(p, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, RSDP_CHUNK_LEN);
        memcpy(payload, acpi_info.rsdp, sizeof(acpi_info.rsdp));
        p += RSDP_CHUNK_LEN;
    }
    p = put_mmap_chunk(p);
    uint8_t *payload = put_header(p, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, TSC_CHUNK_LEN);
    memcpy(payload, &tsc_mhz, sizeof(tsc_mhz));
    p += TSC_CHUNK_LEN;

    seL4_BootInfo *bi = rs->bootinfo;
    bi->extraLen = (seL4_Word)(p - rs->extra);
    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->numIOPTLevels = (seL4_Word)-1;         /* no IOMMU support */
    bi->ipcBuffer = (seL4_IPCBuffer *)rs->ipc_buffer;
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->initThreadDomain = 0;
}

/*
 * Device untypeds for all non-RAM physical space first, then the kernel's
 * boot-only memory, then all free RAM (boot.md §8 order).
 */
void bootinfo_add_untypeds(struct rootserver *rs)
{
    static struct untyped_block blocks[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
    struct untyped_list list = { .max = ARRAY_SIZE(blocks), .blocks = blocks };

    untyped_add_device_gaps(&list, &boot.ram, &boot.reserved);
    untyped_add_region(&list, boot.boot_only_start, boot.boot_only_end, false);
    for (unsigned i = 0; i < boot.mem.free.count; i++)
        untyped_add_region(&list, boot.mem.free.region[i].start, boot.mem.free.region[i].end,
                           false);

    seL4_BootInfo *bi = rs->bootinfo;
    bi->untyped.start = rs->next_slot;
    for (unsigned i = 0; i < list.count; i++) {
        const struct untyped_block *b = &blocks[i];
        /* Boot untypeds start full, so their first retype resets them. */
        cap_t cap = cap_untyped_new(b->paddr, b->size_bits, b->is_device, BIT(b->size_bits));
        if (rs->next_slot >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
            panic("root CNode too small for the untyped caps");
        cdt_insert_anchored_root(&rs->cnode[rs->next_slot++], cap);
        bi->untypedList[i] = (seL4_UntypedDesc){
            .paddr = b->paddr, .sizeBits = b->size_bits, .isDevice = b->is_device,
        };
        if (b->is_device)
            rs->untyped_device_bytes += BIT(b->size_bits);
        else
            rs->untyped_ram_bytes += BIT(b->size_bits);
    }
    bi->untyped.end = rs->next_slot;
    rs->num_untypeds = list.count;
    bi->empty.start = rs->next_slot;
    bi->empty.end = BIT(CONFIG_ROOT_CNODE_SIZE_BITS);
}
