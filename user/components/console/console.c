/*
 * The serial console driver PD: owns COM1 (a 16550 at I/O ports
 * 0x3F8-0x3FF, ISA IRQ 4 = IOAPIC pin 4, edge-triggered, active high).
 *
 *   receive:  interrupt -> notified(IRQ_CH) -> drain the FIFO into a ring
 *             -> acknowledge -> notify the readers' channels
 *   transmit: a client's ppcall (CONSOLE_OP_WRITE) -> bytes out by
 *             polling the line-status register ('\n' becomes "\r\n")
 *   read:     a client's ppcall (CONSOLE_OP_READ) takes buffered bytes
 *
 * Which channels hear about input is the system description's choice:
 * every channel this PD may notify (microkit_notifications), so a client
 * that only prints gets its end with notify="false".
 *
 * The kernel prints on COM1 too (its own polled writes); the two
 * interleave at worst.  After a crash and restart init() runs again and
 * reprograms the UART from scratch; input that was in the ring is lost.
 *
 * The .system description must give this PD:
 *   <ioport id="0" addr="0x3f8" size="8"/>   (CONSOLE_IOPORT_ID)
 *   <irq irq="4" id="0"/> on IOAPIC pin 4     (IRQ_CH)
 * and pp channels from its clients.
 */
#include <stdint.h>
#include <microkit.h>

#include "console_proto.h"

#define CONSOLE_IOPORT_ID 0
#define IRQ_CH            0
#define COM1              0x3F8

/* 16550 registers (offsets from the base port). */
enum {
    RBR = 0, THR = 0, DLL = 0,  /* DLL/DLM with LCR.DLAB set */
    IER = 1, DLM = 1,
    IIR = 2, FCR = 2,
    LCR = 3, MCR = 4, LSR = 5, MSR = 6,
};
#define LSR_DR      0x01        /* data ready */
#define LSR_THRE    0x20        /* transmit holding register empty */
#define IER_RDA     0x01        /* received-data-available interrupt */
#define MCR_DTR     0x01
#define MCR_RTS     0x02
#define MCR_OUT2    0x08        /* gates the IRQ line on PC UARTs */

/* How long to wait for the transmitter before dropping a byte: a UART
 * that never drains (no device) must not hang every client. */
#define TX_SPINS    100000u

static struct console_ring rx;

static unsigned reg_in(unsigned reg)
{
    return microkit_x86_ioport_read_8(CONSOLE_IOPORT_ID, COM1 + reg);
}

static void reg_out(unsigned reg, unsigned value)
{
    microkit_x86_ioport_write_8(CONSOLE_IOPORT_ID, COM1 + reg, (uint8_t)value);
}

static void tx_byte(unsigned char c)
{
    for (unsigned i = 0; i < TX_SPINS && !(reg_in(LSR) & LSR_THRE); i++)
        ;
    reg_out(THR, c);
}

static void tx(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n')
            tx_byte('\r');
        tx_byte((unsigned char)buf[i]);
    }
}

/* Moves whatever the UART holds into the ring; returns how many bytes. */
static size_t drain(void)
{
    size_t got = 0;

    /* Bounded: a stuck DR bit must not livelock the driver. */
    while (got < 2 * CONSOLE_RING_SIZE && (reg_in(LSR) & LSR_DR)) {
        console_ring_push(&rx, (unsigned char)reg_in(RBR));
        got++;
    }
    return got;
}

static void notify_readers(void)
{
    for (microkit_channel ch = 0; ch <= MICROKIT_MAX_CHANNEL_ID; ch++) {
        if (microkit_notifications & (1ull << ch))
            microkit_notify(ch);
    }
}

static void uart_init(void)
{
    /* 115200 baud 8N1 (what the kernel uses too), FIFOs on and cleared
     * with the receive trigger at 1 byte, DTR RTS OUT2, then the
     * receive interrupt once nothing stale is pending. */
    reg_out(IER, 0);
    reg_out(LCR, 0x80);
    reg_out(DLL, 1);
    reg_out(DLM, 0);
    reg_out(LCR, 0x03);
    reg_out(FCR, 0x07);
    reg_out(MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
    for (unsigned i = 0; i < 64 && (reg_in(LSR) & LSR_DR); i++)
        (void)reg_in(RBR);
    (void)reg_in(IIR);
    (void)reg_in(MSR);
    reg_out(IER, IER_RDA);
}

void init(void)
{
    rx.head = rx.tail = rx.dropped = 0;
    uart_init();
    /* If the previous incarnation crashed between an interrupt and its
     * acknowledgement, the line is still masked: unmask it. */
    microkit_irq_ack(IRQ_CH);
}

void notified(microkit_channel ch)
{
    if (ch != IRQ_CH)
        return;
    size_t got = drain();
    microkit_irq_ack(IRQ_CH);
    /* Bytes that came while the line was masked raised it then; with an
     * edge-triggered pin that edge is gone, so take them now. */
    got += drain();
    if (got > 0)
        notify_readers();
}

static uint64_t words[CONSOLE_CHUNK_WORDS];
static char bytes[CONSOLE_CHUNK];

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    uint64_t label = microkit_msginfo_get_label(msginfo);
    uint64_t count = microkit_msginfo_get_count(msginfo);
    size_t n = console_check_request(label, count, count > 0 ? microkit_mr_get(0) : 0);

    (void)ch;
    if (n == 0)
        return microkit_msginfo_new(CONSOLE_EINVAL, 0);
    if (label == CONSOLE_OP_WRITE) {
        for (size_t w = 0; w < console_words(n); w++)
            words[w] = microkit_mr_get((uint8_t)(1 + w));
        console_unpack(words, n, bytes);
        tx(bytes, n);
        microkit_mr_set(0, n);
        return microkit_msginfo_new(CONSOLE_OK, 1);
    }
    /* CONSOLE_OP_READ */
    size_t got = console_ring_pop(&rx, bytes, n);
    console_pack(bytes, got, words);
    microkit_mr_set(0, got);
    for (size_t w = 0; w < console_words(got); w++)
        microkit_mr_set((uint8_t)(1 + w), words[w]);
    return microkit_msginfo_new(CONSOLE_OK, (uint16_t)(1 + console_words(got)));
}
