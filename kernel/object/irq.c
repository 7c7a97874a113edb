/*
 * IRQControl and IRQHandler caps (invocations.md §2.4, objects.md §6).
 *
 * An active IRQ has exactly one handler lineage. The notification it
 * signals is held as a cap copy in a kernel-owned slot per IRQ, so deleting
 * or revoking the notification also removes it from the IRQ (it is an
 * ordinary child in the derivation tree).
 */
#include "irq.h"
#include "invocation.h"
#include "ipc.h"
#include "cdt.h"
#include "delete.h"
#include "plat.h"

#define MSI_MAX_BUS         255
#define MSI_MAX_DEV         31
#define MSI_MAX_FUNC        7

struct irq_state {
    bool active;
    bool is_msi;
    uint8_t ioapic;
    uint8_t pin;
};

static struct irq_state irqs[IRQ_COUNT];
static cte_t irq_notification[IRQ_COUNT];

bool irq_is_active(unsigned irq)
{
    return irq < IRQ_COUNT && irqs[irq].active;
}

static void set_masked(unsigned irq, bool masked)
{
    if (!irqs[irq].is_msi)
        ioapic_set_mask(irqs[irq].ioapic, irqs[irq].pin, masked);
    /* An MSI is masked at the device, which belongs to user level. */
}

void irq_activate_ioapic(unsigned irq, unsigned ioapic, unsigned pin, bool level,
                         bool active_low)
{
    irqs[irq] = (struct irq_state){ .active = true, .ioapic = (uint8_t)ioapic,
                                    .pin = (uint8_t)pin };
    ioapic_route(ioapic, pin, irq + 0x20, level, active_low);
    set_masked(irq, false);
}

void irq_activate_msi(unsigned irq)
{
    irqs[irq] = (struct irq_state){ .active = true, .is_msi = true };
}

void irq_deactivate(unsigned irq)
{
    if (!irq_is_active(irq))
        return;
    irq_clear_notification(irq);
    set_masked(irq, true);
    irqs[irq].active = false;
}

void irq_ack(unsigned irq)
{
    if (irq_is_active(irq))
        set_masked(irq, false);
}

void irq_set_notification(unsigned irq, cte_t *src)
{
    irq_clear_notification(irq);
    cdt_insert_derived(src, &irq_notification[irq], src->cap);
}

void irq_clear_notification(unsigned irq)
{
    cte_delete(&irq_notification[irq]);
}

bool irq_clear_notification_preemptible(unsigned irq)
{
    return cte_delete_preemptible(&irq_notification[irq]);
}

bool irq_has_notification(unsigned irq)
{
    return irq < IRQ_COUNT && !cap_is_null(irq_notification[irq].cap);
}

void irq_deliver(unsigned irq)
{
    if (!irq_is_active(irq)) {
        plat_irq_eoi();
        return;
    }
    /* Masked until the driver acknowledges it with IRQHandler_Ack. */
    set_masked(irq, true);
    plat_irq_eoi();
    cap_t n = irq_notification[irq].cap;
    if (cap_get_type(n) == CAP_NOTIFICATION)
        ntfn_signal(cap_ipc_paddr(n), cap_ipc_badge(n));
}

/* Checks shared by GetIOAPIC and GetMSI up to the destination slot. */
static cte_t *decode_issue_common(invocation_t *inv, unsigned *irq, syscall_error_t *e)
{
    if (inv->length < 7 || inv->num_extra < 1) {
        err_simple(e, seL4_TruncatedMessage, "needs 7 words and a root CNode");
        return NULL;
    }
    word_t vector = inv_mr(inv, 6);
    if (vector > IRQ_USER_MAX - IRQ_USER_MIN) {
        err_range(e, 0, IRQ_USER_MAX - IRQ_USER_MIN, "vector must be 0..107");
        return NULL;
    }
    *irq = (unsigned)vector + IRQ_USER_MIN;
    if (irq_is_active(*irq)) {
        err_simple(e, seL4_RevokeFirst, "the IRQ already has a handler");
        return NULL;
    }
    cte_t *dest = lookup_target_slot(inv->extra[0]->cap, inv_mr(inv, 0), inv_mr(inv, 1), false,
                                     e);
    if (dest == NULL)
        return NULL;
    if (!cap_is_null(dest->cap)) {
        err_simple(e, seL4_DeleteFirst, "the destination slot is not empty");
        return NULL;
    }
    return dest;
}

static bool decode_get_ioapic(invocation_t *inv, syscall_error_t *e)
{
    unsigned irq;
    cte_t *dest = decode_issue_common(inv, &irq, e);
    if (dest == NULL)
        return false;
    word_t ioapic = inv_mr(inv, 2), pin = inv_mr(inv, 3);
    word_t level = inv_mr(inv, 4), polarity = inv_mr(inv, 5);
    unsigned count = ioapic_count();
    if (count == 0)
        return err_simple(e, seL4_IllegalOperation, "no IOAPIC");
    if (ioapic >= count)
        return err_range(e, 0, count - 1, "no such IOAPIC");
    unsigned pins = ioapic_pins((unsigned)ioapic);
    if (pin >= pins)
        return err_range(e, 0, pins - 1, "no such IOAPIC pin");
    if (level > 1)
        return err_range(e, 0, 1, "level must be 0 or 1");
    if (polarity > 1)
        return err_range(e, 0, 1, "polarity must be 0 or 1");
    irq_activate_ioapic(irq, (unsigned)ioapic, (unsigned)pin, level, polarity);
    cdt_insert_derived(inv->slot, dest, cap_irq_handler_new(irq));
    return true;
}

static bool decode_get_msi(invocation_t *inv, syscall_error_t *e)
{
    unsigned irq;
    cte_t *dest = decode_issue_common(inv, &irq, e);
    if (dest == NULL)
        return false;
    if (inv_mr(inv, 2) > MSI_MAX_BUS)
        return err_range(e, 0, MSI_MAX_BUS, "PCI bus must be 0..255");
    if (inv_mr(inv, 3) > MSI_MAX_DEV)
        return err_range(e, 0, MSI_MAX_DEV, "PCI device must be 0..31");
    if (inv_mr(inv, 4) > MSI_MAX_FUNC)
        return err_range(e, 0, MSI_MAX_FUNC, "PCI function must be 0..7");
    irq_activate_msi(irq);
    cdt_insert_derived(inv->slot, dest, cap_irq_handler_new(irq));
    return true;
}

bool decode_irq_control_invocation(invocation_t *inv, syscall_error_t *e)
{
    switch (inv->label) {
    case IRQIssueIRQHandler:
        if (inv->length < 3 || inv->num_extra < 1)
            return err_simple(e, seL4_TruncatedMessage, "needs 3 words and a root CNode");
        return err_simple(e, seL4_IllegalOperation,
                          "IRQs are routed through the IOAPIC: use GetIOAPIC or GetMSI");
    case X86IRQIssueIRQHandlerIOAPIC:
        return decode_get_ioapic(inv, e);
    case X86IRQIssueIRQHandlerMSI:
        return decode_get_msi(inv, e);
    default:
        return err_simple(e, seL4_IllegalOperation, "not an IRQ control invocation");
    }
}

bool decode_irq_handler_invocation(invocation_t *inv, syscall_error_t *e)
{
    unsigned irq = cap_irq(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        irq_ack(irq);
        return true;
    case IRQSetIRQHandler: {
        if (inv->num_extra < 1)
            return err_simple(e, seL4_TruncatedMessage, "needs a notification cap");
        cap_t n = inv->extra[0]->cap;
        if (cap_get_type(n) != CAP_NOTIFICATION || !(cap_ipc_rights(n) & RIGHT_WRITE))
            return err_invalid_capability(e, 0, "needs a notification cap with Write");
        /* The old copy goes first: the call restarts until it is gone. */
        inv->preempted = !irq_clear_notification_preemptible(irq);
        if (!inv->preempted)
            irq_set_notification(irq, inv->extra[0]);
        return true;
    }
    case IRQClearIRQHandler:
        inv->preempted = !irq_clear_notification_preemptible(irq);
        return true;
    default:
        return err_simple(e, seL4_IllegalOperation, "not an IRQ handler invocation");
    }
}
