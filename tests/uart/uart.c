/*
 * A user-level driver for the second serial port (COM2, a 16550 at I/O
 * ports 0x2F8-0x2FF, ISA IRQ 3 = IOAPIC pin 3, edge-triggered, active
 * high), run as the root task by tools/testrun.py (UART_0001).
 *
 * It gets an IOPort cap for 0x2F8..0x2FF and an IRQ handler for pin 3 bound
 * to a notification (objects.md §5, §6), programs the UART (115200 8N1,
 * FIFOs, receive-data interrupt, OUT2 so the IRQ line is driven), prints
 * "uart: ready" on the kernel console (COM1), and then echoes every byte it
 * receives back out of COM2 with its own port writes:
 *
 *     interrupt → notification → read LSR/RBR until empty → write → Ack
 *
 * until it has echoed a '\n'.  Then it prints "uart: done N bytes" and stops
 * the machine with seL4_DebugHalt.  Any failing invocation prints
 * "uart: error: ..." and halts.
 */
#include <stdbool.h>
#include <stdio.h>
#include <arca/runtime.h>
#include <sel4/sel4.h>

#define COM2        0x2F8
#define COM2_LAST   0x2FF
#define COM2_PIN    3           /* ISA IRQ 3, identity-mapped to IOAPIC pin 3 */
#define COM2_VECTOR 3           /* IRQControl vector argument: irq 19, CPU vector 0x33 */

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

static seL4_CPtr port_cap;

static _Noreturn void fail(const char *what, seL4_Word err)
{
    printf("uart: error: %s (%lu)\n", what, (unsigned long)err);
    seL4_DebugHalt();
    for (;;)
        ;
}

static unsigned reg_in(unsigned reg)
{
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(port_cap, (seL4_Uint16)(COM2 + reg));
    if (r.error != seL4_NoError)
        fail("IOPort_In8", (seL4_Word)r.error);
    return r.result;
}

static void reg_out(unsigned reg, unsigned value)
{
    seL4_Error e = seL4_X86_IOPort_Out8(port_cap, COM2 + reg, value & 0xFF);
    if (e != seL4_NoError)
        fail("IOPort_Out8", (seL4_Word)e);
}

static void transmit(unsigned char c)
{
    for (unsigned i = 0; i < 1000000 && !(reg_in(LSR) & LSR_THRE); i++)
        ;
    reg_out(THR, c);
}

/* A notification from the first RAM untyped that has room. */
static seL4_CPtr make_notification(const seL4_BootInfo *bi, seL4_CPtr slot)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (bi->untypedList[i].isDevice)
            continue;
        if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_NotificationObject, 0,
                                seL4_CapInitThreadCNode, 0, 0, slot, 1) == seL4_NoError)
            return slot;
    }
    fail("no untyped for a notification", 0);
}

int main(void)
{
    const seL4_BootInfo *bi = arca_bootinfo();
    seL4_CPtr next = bi->empty.start;
    seL4_CPtr ntfn = make_notification(bi, next++);
    port_cap = next++;
    seL4_CPtr irq = next++;
    seL4_Error e;

    seL4_DebugNameThread(seL4_CapInitThreadTCB, "uart-driver");
    e = seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, COM2, COM2_LAST,
                                     seL4_CapInitThreadCNode, port_cap, 64);
    if (e != seL4_NoError)
        fail("IOPortControl_Issue", e);
    e = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, irq, 64,
                                  0, COM2_PIN, 0, 0, COM2_VECTOR);
    if (e != seL4_NoError)
        fail("IRQControl_GetIOAPIC", e);
    e = seL4_IRQHandler_SetNotification(irq, ntfn);
    if (e != seL4_NoError)
        fail("IRQHandler_SetNotification", e);

    /* 115200 baud 8N1, FIFOs on and cleared (trigger at 1 byte), DTR RTS
     * OUT2, nothing pending, then the receive interrupt. */
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

    printf("uart: ready\n");

    unsigned long count = 0, interrupts = 0;
    for (;;) {
        bool done = false;
        while (!done && (reg_in(LSR) & LSR_DR)) {
            unsigned char c = (unsigned char)reg_in(RBR);
            transmit(c);
            count++;
            done = c == '\n';
        }
        if (done)
            break;
        e = seL4_IRQHandler_Ack(irq);
        if (e != seL4_NoError)
            fail("IRQHandler_Ack", e);
        /* A byte that came while the line was masked raised it then; that
         * edge is gone, so serve it now instead of waiting. */
        if (reg_in(LSR) & LSR_DR)
            continue;
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        interrupts++;
    }

    reg_out(IER, 0);
    printf("uart: done %lu bytes (%lu interrupts)\n", count, interrupts);
    seL4_DebugHalt();
    return 0;
}
