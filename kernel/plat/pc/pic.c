/*
 * The legacy 8259 PICs. Arca routes interrupts through the IOAPIC, so the
 * PICs are remapped out of the exception range (in case a spurious interrupt
 * still arrives) and then fully masked.
 */
#include "plat.h"
#include <arch/machine.h>

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xA0
#define PIC2_DATA   0xA1

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11);       /* ICW1: init, expect ICW4 */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0x20);      /* ICW2: vectors 0x20..0x27 */
    outb(PIC2_DATA, 0x28);      /*       and 0x28..0x2F */
    outb(PIC1_DATA, 0x04);      /* ICW3: slave on line 2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);      /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xFF);      /* mask everything */
    outb(PIC2_DATA, 0xFF);
}
