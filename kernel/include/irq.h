/*
 * Interrupts for user-level drivers (objects.md §6): which IRQs have a
 * handler cap, where they are routed, and delivery as a notification signal.
 *
 * irq numbers are seL4's: CPU vector = irq + 0x20; user IRQs are 16..123
 * (IRQControl_GetIOAPIC/GetMSI take vector v = irq - 16, 0..107).
 */
#ifndef IRQ_H
#define IRQ_H

#include "cap.h"

#define IRQ_USER_MIN        16
#define IRQ_USER_MAX        123
#define IRQ_COUNT           128

bool irq_is_active(unsigned irq);
/* Marks the irq active, routed as given, and unmasks it. */
void irq_activate_ioapic(unsigned irq, unsigned ioapic, unsigned pin, bool level,
                         bool active_low);
void irq_activate_msi(unsigned irq);
/* The last handler cap is gone: detach the notification, mask, inactive. */
void irq_deactivate(unsigned irq);
void irq_ack(unsigned irq);
/* Installs a copy of the notification cap in slot src (replacing any). */
void irq_set_notification(unsigned irq, cte_t *src);
void irq_clear_notification(unsigned irq);
/*
 * The same, stopping part-way (false) if the copy is the last cap to a
 * notification with a long queue of waiters: they are restarted one work
 * unit each while the copy stays in place (docs/preemption.md).
 */
bool irq_clear_notification_preemptible(unsigned irq);
/* The invariant checker: does the irq hold a notification cap? */
bool irq_has_notification(unsigned irq);
/* From the interrupt entry: mask, signal, acknowledge the controller. */
void irq_deliver(unsigned irq);

#endif
