/*
 * 16550 UART on COM1 (port 0x3F8): the kernel console.
 *
 * Polled output only: the kernel runs with interrupts off and prints rarely,
 * so waiting for the transmit register is simpler than a queue.
 */
#include "console.h"
#include "plat.h"
#include <arch/machine.h>

#define COM1            0x3F8
#define UART_DATA       0
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define LSR_THR_EMPTY   0x20

void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);        /* no UART interrupts */
    outb(COM1 + UART_LCR, 0x80);        /* divisor latch access */
    outb(COM1 + UART_DATA, 0x01);       /* 115200 baud */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x03);        /* 8N1 */
    outb(COM1 + UART_FCR, 0xC7);        /* FIFO on, cleared */
    outb(COM1 + UART_MCR, 0x03);        /* DTR, RTS */
}

static void serial_write(char c)
{
    /* Bounded wait: a missing UART must not hang the kernel. */
    for (int i = 0; i < 100000; i++) {
        if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            break;
        cpu_pause();
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_putchar(char c)
{
    if (c == '\n')
        serial_write('\r');
    serial_write(c);
}
