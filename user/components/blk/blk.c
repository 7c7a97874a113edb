/*
 * virtio-blk driver PD: a legacy (transitional) virtio block device on the
 * PCI bus, driven through its I/O BAR, interrupt-driven (PCI INTx through
 * the IOAPIC), serving block reads and writes to one client (the file
 * server) over a pp channel and a shared data region (blk.h).
 *
 * What the system description gives it (a .system file, e.g. tests/fs/fs.system):
 *   ioport id 0     0xcf8, size 8: PCI configuration space access
 *   ioport id 1     the device's I/O BAR (setvar_addr="blk_bar_addr")
 *   irq id 0        the device's INTx line (level, active high)
 *   pp channel      from the client; the driver's end id is not fixed
 *   blk_dma         private region, physically contiguous, >= 16 KiB:
 *                   the virtqueue and request header (setvar_vaddr,
 *                   setvar_size, and <setvar region_paddr> for the paddr)
 *   blk_data        region shared with the client, physically contiguous
 *                   (one page is), same three variables
 *
 * On QEMU's i440fx (`-machine pc`) the device in slot 4 uses INTA, which
 * the PIIX3 routes to PIRQD; SeaBIOS programs PIRQD to IRQ 11 and writes 11
 * into the device's interrupt-line register, and QEMU wires ISA IRQ 11 to
 * IOAPIC pin 11.  The driver prints the line it reads, so a different
 * machine shows what to put into <irq pin=...>.
 *
 * Requests are one at a time: the driver queues a three-descriptor chain
 * (header, data, status) and waits for the IRQ inside protected() before
 * it answers, with arca_wait_notifications (<arca/pd.h>): a Recv on its
 * endpoint would delete the reply cap of the caller it must answer.
 */
#include <arca/pd.h>
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "blk.h"

/* Patched in by the system initialiser (tools/system.py setvars). */
uintptr_t blk_dma_vaddr;
uint64_t blk_dma_paddr;
uint64_t blk_dma_size;
uintptr_t blk_data_vaddr;
uint64_t blk_data_paddr;
uint64_t blk_data_size;
uint64_t blk_bar_addr;

#define IOPORT_PCI 0
#define IOPORT_BAR 1
#define IRQ_CH     0

#define PCI_ADDR 0xcf8u
#define PCI_DATA 0xcfcu
#define VIRTIO_VENDOR 0x1af4u
#define VIRTIO_BLK_LEGACY 0x1001u

/* Legacy virtio PCI registers (offsets in the I/O BAR, MSI-X off). */
#define VIO_DEVICE_FEATURES 0x00
#define VIO_DRIVER_FEATURES 0x04
#define VIO_QUEUE_PFN       0x08
#define VIO_QUEUE_SIZE      0x0c
#define VIO_QUEUE_SELECT    0x0e
#define VIO_QUEUE_NOTIFY    0x10
#define VIO_STATUS          0x12
#define VIO_ISR             0x13
#define VIO_BLK_CAPACITY    0x14    /* u64, sectors */
#define VIO_BAR_SIZE        0x1c

#define STATUS_ACK       1u
#define STATUS_DRIVER    2u
#define STATUS_DRIVER_OK 4u
#define STATUS_FAILED    0x80u

#define VRING_NEXT  1u
#define VRING_WRITE 2u
#define VRING_ALIGN 4096u

#define REQ_IN  0u      /* device to memory: read */
#define REQ_OUT 1u

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct req_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct {
    int ready;
    uint16_t bar;               /* I/O base of the device */
    uint16_t qsize;
    volatile struct vring_desc *desc;
    volatile uint16_t *avail;   /* flags, idx, ring[qsize] */
    volatile uint16_t *used;    /* flags, idx, then {u32 id, u32 len}[qsize] */
    volatile struct req_header *hdr;
    volatile uint8_t *status;
    uint64_t hdr_paddr, status_paddr;
    uint16_t last_used;
    uint64_t capacity;          /* sectors */
} dev;

static void barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* --- PCI configuration space (mechanism #1) ------------------------------ */

static uint32_t pci_addr(unsigned bus, unsigned slot, unsigned func, unsigned reg)
{
    return 0x80000000u | bus << 16 | slot << 11 | func << 8 | (reg & 0xfcu);
}

static uint32_t pci_read32(unsigned slot, unsigned reg)
{
    microkit_x86_ioport_write_32(IOPORT_PCI, PCI_ADDR, pci_addr(0, slot, 0, reg));
    return microkit_x86_ioport_read_32(IOPORT_PCI, PCI_DATA);
}

static void pci_write32(unsigned slot, unsigned reg, uint32_t value)
{
    microkit_x86_ioport_write_32(IOPORT_PCI, PCI_ADDR, pci_addr(0, slot, 0, reg));
    microkit_x86_ioport_write_32(IOPORT_PCI, PCI_DATA, value);
}

/* The slot of the first legacy virtio-blk function on bus 0, or -1. */
static int pci_find(void)
{
    for (unsigned slot = 0; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0x00);
        if ((id & 0xffffu) == VIRTIO_VENDOR && id >> 16 == VIRTIO_BLK_LEGACY)
            return (int)slot;
    }
    return -1;
}

/* --- device registers ---------------------------------------------------- */

static uint8_t vio_in8(unsigned reg)
{
    return microkit_x86_ioport_read_8(IOPORT_BAR, dev.bar + reg);
}

static uint16_t vio_in16(unsigned reg)
{
    return microkit_x86_ioport_read_16(IOPORT_BAR, dev.bar + reg);
}

static uint32_t vio_in32(unsigned reg)
{
    return microkit_x86_ioport_read_32(IOPORT_BAR, dev.bar + reg);
}

static void vio_out8(unsigned reg, uint8_t v)
{
    microkit_x86_ioport_write_8(IOPORT_BAR, dev.bar + reg, v);
}

static void vio_out16(unsigned reg, uint16_t v)
{
    microkit_x86_ioport_write_16(IOPORT_BAR, dev.bar + reg, v);
}

static void vio_out32(unsigned reg, uint32_t v)
{
    microkit_x86_ioport_write_32(IOPORT_BAR, dev.bar + reg, v);
}

/* --- start --------------------------------------------------------------- */

/* The patched region variables make sense: set, page aligned, in range. */
static const char *check_config(void)
{
    if (blk_dma_vaddr == 0 || blk_dma_paddr == 0 || blk_dma_size == 0)
        return "blk_dma region variables not set (setvar_vaddr, setvar_size, region_paddr)";
    if (blk_data_vaddr == 0 || blk_data_paddr == 0 || blk_data_size < BLK_SECTOR_SIZE)
        return "blk_data region variables not set (setvar_vaddr, setvar_size, region_paddr)";
    if ((blk_dma_paddr | blk_dma_vaddr) % VRING_ALIGN != 0 || blk_dma_paddr >> 44 != 0)
        return "blk_dma region is not page aligned or beyond the legacy queue's 44 bits";
    if (blk_bar_addr == 0 || blk_bar_addr + VIO_BAR_SIZE > 0x10000)
        return "blk_bar_addr (setvar_addr on ioport id 1) not set";
    return NULL;
}

/* Lays the queue out in blk_dma as the legacy interface requires. */
static const char *setup_queue(void)
{
    vio_out16(VIO_QUEUE_SELECT, 0);
    uint32_t q = vio_in16(VIO_QUEUE_SIZE);
    if (q == 0 || (q & (q - 1)) != 0)
        return "queue 0 missing or its size is not a power of two";
    uint64_t avail_off = 16ull * q;
    uint64_t used_off = (avail_off + 6 + 2ull * q + VRING_ALIGN - 1) / VRING_ALIGN * VRING_ALIGN;
    uint64_t hdr_off = (used_off + 6 + 8ull * q + 15) / 16 * 16;
    uint64_t need = hdr_off + sizeof(struct req_header) + 16;
    if (need > blk_dma_size) {
        printf("blk: queue of %u entries needs %llu bytes of blk_dma, have %llu\n",
               (unsigned)q, (unsigned long long)need, (unsigned long long)blk_dma_size);
        return "blk_dma region too small";
    }
    uint8_t *base = (uint8_t *)blk_dma_vaddr;
    memset(base, 0, need);
    dev.qsize = (uint16_t)q;
    dev.desc = (volatile struct vring_desc *)base;
    dev.avail = (volatile uint16_t *)(base + avail_off);
    dev.used = (volatile uint16_t *)(base + used_off);
    dev.hdr = (volatile struct req_header *)(base + hdr_off);
    dev.status = base + hdr_off + sizeof(struct req_header);
    dev.hdr_paddr = blk_dma_paddr + hdr_off;
    dev.status_paddr = dev.hdr_paddr + sizeof(struct req_header);
    dev.last_used = 0;
    barrier();
    vio_out32(VIO_QUEUE_PFN, (uint32_t)(blk_dma_paddr / VRING_ALIGN));
    return NULL;
}

static const char *start_device(void)
{
    int slot = pci_find();
    if (slot < 0)
        return "no legacy virtio-blk device (1af4:1001) on PCI bus 0";
    uint32_t bar0 = pci_read32((unsigned)slot, 0x10);
    uint32_t irq = pci_read32((unsigned)slot, 0x3c);
    if (!(bar0 & 1))
        return "BAR0 of the device is not an I/O BAR";
    uint32_t base = bar0 & 0xfffcu;
    if (base != blk_bar_addr) {
        /* The description decides where the registers are: move the BAR
         * into the granted range (decoding off while it changes). */
        printf("blk: moving BAR0 from 0x%x to the granted 0x%llx\n", (unsigned)base,
               (unsigned long long)blk_bar_addr);
        uint32_t cmd = pci_read32((unsigned)slot, 0x04);
        pci_write32((unsigned)slot, 0x04, cmd & ~0x3u);
        pci_write32((unsigned)slot, 0x10, (uint32_t)blk_bar_addr | 1u);
        base = (uint32_t)blk_bar_addr;
    }
    dev.bar = (uint16_t)base;
    /* I/O decoding and bus mastering on, INTx not disabled. */
    uint32_t cmd = pci_read32((unsigned)slot, 0x04);
    pci_write32((unsigned)slot, 0x04, (cmd & 0xffffu & ~(1u << 10)) | 0x5u);

    vio_out8(VIO_STATUS, 0);                        /* reset */
    vio_out8(VIO_STATUS, STATUS_ACK);
    vio_out8(VIO_STATUS, STATUS_ACK | STATUS_DRIVER);
    (void)vio_in32(VIO_DEVICE_FEATURES);
    vio_out32(VIO_DRIVER_FEATURES, 0);              /* no optional feature needed */
    const char *err = setup_queue();
    if (err != NULL) {
        vio_out8(VIO_STATUS, STATUS_FAILED);
        return err;
    }
    vio_out8(VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
    dev.capacity = (uint64_t)vio_in32(VIO_BLK_CAPACITY) |
                   (uint64_t)vio_in32(VIO_BLK_CAPACITY + 4) << 32;
    /* After a restart the line may still be masked, waiting for an ack the
     * previous incarnation never sent; acknowledging an unmasked IRQ is
     * harmless. */
    (void)vio_in8(VIO_ISR);
    microkit_irq_ack(IRQ_CH);
    printf("blk: virtio-blk at 00:%02x.0, I/O 0x%x, INTx pin %c line %u, %llu sectors\n",
           (unsigned)slot, (unsigned)base, 'A' + (int)((irq >> 8) & 0xff) - 1,
           (unsigned)(irq & 0xff), (unsigned long long)dev.capacity);
    return NULL;
}

void init(void)
{
    const char *err = check_config();
    if (err == NULL)
        err = start_device();
    if (err != NULL) {
        printf("blk: error: %s\n", err);
        return;
    }
    dev.ready = 1;
}

/* --- requests ------------------------------------------------------------ */

/* The device raised its line: reading ISR lowers it, then the kernel may
 * deliver the IRQ again. */
static void irq(void)
{
    if (dev.ready)
        (void)vio_in8(VIO_ISR);
    microkit_irq_ack(IRQ_CH);
}

void notified(microkit_channel ch)
{
    if (ch == IRQ_CH)
        irq();
}

/* Runs one request and waits for its completion; returns a BLK_* code. */
static unsigned transfer(unsigned type, uint64_t sector, uint32_t count)
{
    uint32_t bytes = count * BLK_SECTOR_SIZE;
    dev.hdr->type = type;
    dev.hdr->reserved = 0;
    dev.hdr->sector = sector;
    *dev.status = 0xff;
    dev.desc[0] = (struct vring_desc){ dev.hdr_paddr, sizeof(struct req_header), VRING_NEXT, 1 };
    dev.desc[1] = (struct vring_desc){ blk_data_paddr, bytes,
                                       (uint16_t)(VRING_NEXT | (type == REQ_IN ? VRING_WRITE : 0)),
                                       2 };
    dev.desc[2] = (struct vring_desc){ dev.status_paddr, 1, VRING_WRITE, 0 };
    uint16_t idx = dev.avail[1];
    dev.avail[2 + idx % dev.qsize] = 0;
    barrier();
    dev.avail[1] = (uint16_t)(idx + 1);
    barrier();
    vio_out16(VIO_QUEUE_NOTIFY, 0);

    /* Wait for the used ring to move.  arca_wait_notifications waits on
     * the PD's notification: a Recv on its endpoint would delete the reply
     * cap of the caller it must answer. */
    while (dev.used[1] == dev.last_used) {
        if (arca_wait_notifications(1ull << IRQ_CH) & (1ull << IRQ_CH))
            irq();
        barrier();
    }
    dev.last_used++;
    barrier();
    return *dev.status == 0 ? BLK_OK : BLK_EIO;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    (void)ch;
    /* The request's registers first: waiting for the device clobbers them. */
    seL4_Word op = microkit_msginfo_get_label(msg);
    seL4_Word count_mrs = microkit_msginfo_get_count(msg);
    uint64_t sector = count_mrs > 0 ? microkit_mr_get(0) : 0;
    uint64_t count = count_mrs > 1 ? microkit_mr_get(1) : 0;

    if (!dev.ready)
        return microkit_msginfo_new(BLK_ENODEV, 0);
    if (op == BLK_OP_INFO) {
        microkit_mr_set(0, dev.capacity);
        return microkit_msginfo_new(BLK_OK, 1);
    }
    if (op != BLK_OP_READ && op != BLK_OP_WRITE)
        return microkit_msginfo_new(BLK_EINVAL, 0);
    if (count_mrs < 2 || count == 0 || count > blk_data_size / BLK_SECTOR_SIZE ||
        sector >= dev.capacity || count > dev.capacity - sector)
        return microkit_msginfo_new(BLK_EINVAL, 0);
    unsigned r = transfer(op == BLK_OP_READ ? REQ_IN : REQ_OUT, sector, (uint32_t)count);
    return microkit_msginfo_new(r, 0);
}
