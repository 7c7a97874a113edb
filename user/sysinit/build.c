/*
 * Building the system from the validated spec: for every PD a VSpace, a
 * CSpace in Microkit's slot layout (docs/system.md), a TCB, its image,
 * stack and IPC buffer, its memory regions, channels, IRQs, I/O ports and
 * children -- and nothing else.  The monitor keeps its own caps to all of
 * it (in the root CNode) for fault handling and restarts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microkit.h>

#include "sysinit.h"

struct spec g_spec;
struct pd_state *g_pds;
struct region_state *g_regions;
seL4_CPtr g_monitor_ep;

#define PF_W 2u

/* Rights of the caps a PD gets. */
#define RIGHTS_SEND seL4_CapRights_new(1, 0, 0, 1)   /* Write + GrantReply: Send, Call */
#define RIGHTS_SIGNAL seL4_CanWrite
#define RIGHTS_RECV seL4_CanRead

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

#define CHECK(call, what)                                                              \
    do {                                                                               \
        seL4_Error e_ = (call);                                                        \
        if (e_ != seL4_NoError)                                                        \
            return fail(err, errlen, "PD '%s': %s: %s", pd->name, what, err_str(e_)); \
    } while (0)

static int has_children(unsigned index)
{
    for (unsigned i = 0; i < g_spec.hdr->n_pds; i++) {
        if (g_spec.pds[i].parent == index)
            return 1;
    }
    return 0;
}

/* A PD receives on an endpoint when others may call it or it has children. */
static int needs_endpoint(unsigned index)
{
    if ((g_spec.pds[index].flags & SYSSPEC_PD_HAS_PROTECTED) || has_children(index))
        return 1;
    for (unsigned i = 0; i < g_spec.hdr->n_channels; i++) {
        const struct sysspec_channel *c = &g_spec.channels[i];

        if ((c->pd_b == index && c->pp_a) || (c->pd_a == index && c->pp_b))
            return 1;
    }
    return 0;
}

/* Allocation order: fixed-address regions first, by address (within an
 * untyped they can only be reached upwards), so that no other allocation
 * takes memory one of them asks for; then the others. */
static void region_order(unsigned *order)
{
    unsigned n = g_spec.hdr->n_regions, k = 0;

    for (unsigned i = 0; i < n; i++) {
        if (g_spec.regions[i].flags & SYSSPEC_REGION_FIXED_PADDR) {
            unsigned j = k++;

            while (j > 0 && g_spec.regions[order[j - 1]].phys_addr > g_spec.regions[i].phys_addr) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        if (!(g_spec.regions[i].flags & SYSSPEC_REGION_FIXED_PADDR))
            order[k++] = i;
    }
}

static int build_regions(char *err, size_t errlen)
{
    unsigned n = g_spec.hdr->n_regions;
    unsigned *order = calloc(n + 1, sizeof(*order));

    g_regions = calloc(n + 1, sizeof(*g_regions));
    if (g_regions == NULL || order == NULL)
        return fail(err, errlen, "out of heap");
    region_order(order);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = order[k];
        const struct sysspec_region *r = &g_spec.regions[i];
        struct region_state *rs = &g_regions[i];
        seL4_X86_Page_GetAddress_t a;

        rs->bits = r->page_size == 0x200000 ? seL4_LargePageBits : seL4_PageBits;
        rs->nframes = r->size >> rs->bits;
        rs->first = frames_alloc(rs->bits, rs->nframes, r->flags & SYSSPEC_REGION_FIXED_PADDR,
                                 r->phys_addr);
        if (rs->first == 0)
            return fail(err, errlen, "region '%s': no memory", spec_str(&g_spec, r->name_off));
        a = seL4_X86_Page_GetAddress(rs->first);
        if (a.error != seL4_NoError)
            return fail(err, errlen, "region '%s': GetAddress: %s",
                        spec_str(&g_spec, r->name_off), err_str(a.error));
        rs->paddr = a.paddr;
    }
    free(order);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * The PD's own pages: every page its segments touch, its stack and its IPC
 * buffer.  A list of page addresses with bit 0 meaning "writable" (a page
 * shared by two segments is writable if either is), sorted and merged.
 */
static int collect_pages(struct pd_state *pd, uint64_t **out, unsigned *count)
{
    const struct sysspec_pd *sp = pd->spec;
    uint64_t total = sp->stack_size / PAGE_SIZE + 1;
    uint64_t *v;
    unsigned n = 0, m = 0;

    for (unsigned i = 0; i < pd->elf.nsegs; i++) {
        const struct elf_segment *s = &pd->elf.segs[i];

        total += ((s->vaddr + s->memsz + PAGE_SIZE - 1) / PAGE_SIZE) - s->vaddr / PAGE_SIZE;
    }
    if (total > 65536)
        return -1;
    v = malloc(total * sizeof(*v));
    if (v == NULL)
        return -1;
    for (unsigned i = 0; i < pd->elf.nsegs; i++) {
        const struct elf_segment *s = &pd->elf.segs[i];

        for (uint64_t a = s->vaddr & ~(PAGE_SIZE - 1); a < s->vaddr + s->memsz; a += PAGE_SIZE)
            v[n++] = a | ((s->flags & PF_W) ? 1 : 0);
    }
    for (uint64_t a = sp->stack_top_vaddr - sp->stack_size; a < sp->stack_top_vaddr; a += PAGE_SIZE)
        v[n++] = a | 1;
    v[n++] = sp->ipc_buffer_vaddr | 1;
    qsort(v, n, sizeof(*v), cmp_u64);
    for (unsigned i = 0; i < n; i++) {
        if (m > 0 && (v[m - 1] & ~1ull) == (v[i] & ~1ull))
            v[m - 1] |= v[i] & 1;
        else
            v[m++] = v[i];
    }
    *out = v;
    *count = m;
    return 0;
}

static int build_pages(struct pd_state *pd, seL4_CPtr *ipc_frame, char *err, size_t errlen)
{
    uint64_t *v;
    unsigned n;
    seL4_CPtr frames;

    if (collect_pages(pd, &v, &n) != 0)
        return fail(err, errlen, "PD '%s': image too large", pd->name);
    pd->pages = calloc(n, sizeof(*pd->pages));
    frames = obj_alloc(seL4_X86_4K, 0, n);
    if (pd->pages == NULL || frames == 0)
        return fail(err, errlen, "PD '%s': no memory for %u pages", pd->name, n);
    pd->npages = n;
    for (unsigned i = 0; i < n; i++) {
        uint64_t va = v[i] & ~1ull;
        seL4_CapRights_t r = (v[i] & 1) ? seL4_ReadWrite : seL4_CanRead;
        seL4_Error e = map_frame(pd->vspace, frames + i, seL4_PageBits, va, r,
                                 seL4_X86_Default_VMAttributes);

        if (e != seL4_NoError)
            return fail(err, errlen, "PD '%s': mapping 0x%lx: %s", pd->name,
                        (unsigned long)va, err_str(e));
        pd->pages[i].vaddr = va;
        pd->pages[i].mon = window_map(frames + i);
        if (pd->pages[i].mon == NULL)
            return fail(err, errlen, "PD '%s': no room in the monitor's window", pd->name);
        if (va == pd->spec->ipc_buffer_vaddr)
            *ipc_frame = frames + i;
    }
    free(v);
    return 0;
}

static int build_maps(struct pd_state *pd, char *err, size_t errlen)
{
    for (unsigned k = 0; k < pd->spec->n_maps; k++) {
        const struct sysspec_map *m = &g_spec.maps[pd->spec->first_map + k];
        const struct region_state *rs = &g_regions[m->region];
        seL4_CapRights_t r = (m->perms & SYSSPEC_PERM_W) ? seL4_ReadWrite : seL4_CanRead;
        seL4_X86_VMAttributes attr = m->cached ? seL4_X86_Default_VMAttributes
                                               : seL4_X86_CacheDisabled;
        seL4_CPtr copies = slot_alloc(rs->nframes);

        if (copies == 0)
            return fail(err, errlen, "PD '%s': out of slots", pd->name);
        for (uint64_t i = 0; i < rs->nframes; i++) {
            uint64_t va = m->vaddr + (i << rs->bits);

            CHECK(cap_copy(seL4_CapInitThreadCNode, copies + i, 64, rs->first + i,
                           seL4_AllRights), "copying a region frame");
            CHECK(map_frame(pd->vspace, copies + i, rs->bits, va, r, attr),
                  "mapping a memory region (overlap?)");
        }
    }
    return 0;
}

/* The PD's kernel objects, its memory and its image. */
static int build_pd_objects(struct pd_state *pd, char *err, size_t errlen)
{
    const struct sysspec_pd *sp = pd->spec;
    seL4_CPtr ipc_frame = 0, root;

    if (elf_decode(g_spec.blob + sp->image_off, sp->image_size, &pd->elf, err, errlen) != 0) {
        char why[128];

        snprintf(why, sizeof(why), "%s", err);
        return fail(err, errlen, "PD '%s': program image: %s", pd->name, why);
    }
    pd->vspace = obj_alloc(seL4_X64_PML4Object, 0, 1);
    pd->cnode = obj_alloc(seL4_CapTableObject, PD_CNODE_BITS, 1);
    pd->tcb = obj_alloc(seL4_TCBObject, 0, 1);
    pd->ntfn = obj_alloc(seL4_NotificationObject, 0, 1);
    if (needs_endpoint(pd->index))
        pd->ep = obj_alloc(seL4_EndpointObject, 0, 1);
    if (!pd->vspace || !pd->cnode || !pd->tcb || !pd->ntfn ||
        (needs_endpoint(pd->index) && !pd->ep))
        return fail(err, errlen, "PD '%s': out of memory for its objects", pd->name);
    CHECK(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd->vspace), "ASID");
    if (build_pages(pd, &ipc_frame, err, errlen) != 0 || build_maps(pd, err, errlen) != 0)
        return -1;
    if (load_pd(pd, err, errlen) != 0) {
        char why[128];

        snprintf(why, sizeof(why), "%s", err);
        return fail(err, errlen, "PD '%s': %s", pd->name, why);
    }

    /* The CSpace root the PD's thread uses: guard so that a slot number
     * is a whole 64-bit CPtr. */
    root = slot_alloc(1);
    if (root == 0)
        return fail(err, errlen, "out of slots");
    CHECK(cap_mint(seL4_CapInitThreadCNode, root, 64, pd->cnode, seL4_AllRights,
                   seL4_CNode_CapData_new(0, PD_CNODE_GUARD).words[0]), "CNode guard");
    CHECK(seL4_TCB_Configure(pd->tcb, FAULT_EP_CAP, root, 0, pd->vspace, 0,
                             sp->ipc_buffer_vaddr, ipc_frame), "TCB_Configure");
    CHECK(seL4_TCB_SetPriority(pd->tcb, seL4_CapInitThreadTCB, sp->priority), "priority");
    if (pd->ep)
        CHECK(seL4_TCB_BindNotification(pd->tcb, pd->ntfn), "binding the notification");
    seL4_DebugNameThread(pd->tcb, pd->name);
    return 0;
}

/* Slots 1 and 2, IRQs, I/O ports and child TCBs (channels: build_channels). */
static int build_pd_caps(struct pd_state *pd, char *err, size_t errlen)
{
    const struct sysspec_pd *sp = pd->spec;
    seL4_CPtr cn = pd->cnode;

    CHECK(cap_copy(cn, INPUT_CAP, PD_CNODE_BITS, pd->ep ? pd->ep : pd->ntfn, RIGHTS_RECV),
          "input cap");
    CHECK(cap_copy(cn, ARCA_NOTIFICATION_CAP, PD_CNODE_BITS, pd->ntfn, RIGHTS_RECV),
          "own notification cap");
    if (sp->parent == SYSSPEC_NO_PARENT)
        CHECK(cap_mint(cn, FAULT_EP_CAP, PD_CNODE_BITS, g_monitor_ep, RIGHTS_SEND,
                       MICROKIT_BADGE_FAULT | pd->index), "fault endpoint");
    else
        CHECK(cap_mint(cn, FAULT_EP_CAP, PD_CNODE_BITS, g_pds[sp->parent].ep, RIGHTS_SEND,
                       MICROKIT_BADGE_FAULT | sp->child_id), "fault endpoint (parent)");
    if (sp->parent != SYSSPEC_NO_PARENT)
        CHECK(cap_copy(g_pds[sp->parent].cnode, BASE_TCB_CAP + sp->child_id, PD_CNODE_BITS,
                       pd->tcb, seL4_AllRights), "child TCB cap");

    pd->irq_first = sp->n_irqs ? slot_alloc(sp->n_irqs + 1) : 0;
    if (sp->n_irqs && pd->irq_first == 0)
        return fail(err, errlen, "out of slots");
    for (unsigned k = 0; k < sp->n_irqs; k++) {
        const struct sysspec_irq *q = &g_spec.irqs[sp->first_irq + k];
        seL4_CPtr h = pd->irq_first + k, badged = pd->irq_first + sp->n_irqs;

        if (q->kind == SYSSPEC_IRQ_IOAPIC)
            CHECK(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode, h, 64,
                                            q->ioapic, q->pin, q->level, q->polarity,
                                            q->vector), "IRQControl_GetIOAPIC");
        else
            CHECK(seL4_IRQControl_GetMSI(seL4_CapIRQControl, seL4_CapInitThreadCNode, h, 64,
                                         q->pci_bus, q->pci_dev, q->pci_func, q->handle,
                                         q->vector), "IRQControl_GetMSI");
        CHECK(cap_mint(seL4_CapInitThreadCNode, badged, 64, pd->ntfn, RIGHTS_SIGNAL,
                       1ull << q->id), "IRQ notification");
        CHECK(seL4_IRQHandler_SetNotification(h, badged), "IRQHandler_SetNotification");
        CHECK(seL4_CNode_Delete(seL4_CapInitThreadCNode, badged, 64), "scratch slot");
        CHECK(cap_copy(cn, BASE_IRQ_CAP + q->id, PD_CNODE_BITS, h, seL4_AllRights),
              "IRQ handler cap");
    }
    for (unsigned k = 0; k < sp->n_ioports; k++) {
        const struct sysspec_ioport *p = &g_spec.ioports[sp->first_ioport + k];

        CHECK(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, p->base,
                                           p->base + p->size - 1, cn, BASE_IOPORT_CAP + p->id,
                                           PD_CNODE_BITS), "IOPortControl_Issue");
    }
    return 0;
}

/* One direction of a channel: what `from` may do to `to` (a PD index or
 * SYSSPEC_MONITOR). */
static int channel_end(unsigned from, unsigned to, unsigned id_from, unsigned id_to,
                       int pp, int notify, char *err, size_t errlen)
{
    struct pd_state *pd = &g_pds[from];

    if (to == SYSSPEC_MONITOR) {
        if (pp)
            CHECK(cap_mint(pd->cnode, BASE_ENDPOINT_CAP + id_from, PD_CNODE_BITS,
                           g_monitor_ep, RIGHTS_SEND, MICROKIT_BADGE_PPC | from),
                  "monitor channel");
        return 0;       /* the monitor has no notification to signal */
    }
    if (notify)
        CHECK(cap_mint(pd->cnode, BASE_OUTPUT_NOTIFICATION_CAP + id_from, PD_CNODE_BITS,
                       g_pds[to].ntfn, RIGHTS_SIGNAL, 1ull << id_to), "notification cap");
    if (pp)
        CHECK(cap_mint(pd->cnode, BASE_ENDPOINT_CAP + id_from, PD_CNODE_BITS, g_pds[to].ep,
                       RIGHTS_SEND, MICROKIT_BADGE_PPC | id_to), "ppcall endpoint cap");
    return 0;
}

static int build_channels(char *err, size_t errlen)
{
    for (unsigned i = 0; i < g_spec.hdr->n_channels; i++) {
        const struct sysspec_channel *c = &g_spec.channels[i];

        if (c->pd_a != SYSSPEC_MONITOR &&
            channel_end(c->pd_a, c->pd_b, c->id_a, c->id_b, c->pp_a, c->notify_a, err,
                        errlen) != 0)
            return -1;
        if (c->pd_b != SYSSPEC_MONITOR &&
            channel_end(c->pd_b, c->pd_a, c->id_b, c->id_a, c->pp_b, c->notify_b, err,
                        errlen) != 0)
            return -1;
    }
    return 0;
}

int build_system(char *err, size_t errlen)
{
    unsigned n = g_spec.hdr->n_pds;

    g_monitor_ep = obj_alloc(seL4_EndpointObject, 0, 1);
    g_pds = calloc(n, sizeof(*g_pds));
    if (g_monitor_ep == 0 || g_pds == NULL)
        return fail(err, errlen, "out of memory");
    if (build_regions(err, errlen) != 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        g_pds[i].spec = &g_spec.pds[i];
        g_pds[i].index = i;
        g_pds[i].name = spec_str(&g_spec, g_spec.pds[i].name_off);
        if (build_pd_objects(&g_pds[i], err, errlen) != 0)
            return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        if (build_pd_caps(&g_pds[i], err, errlen) != 0)
            return -1;
    }
    return build_channels(err, errlen);
}

int start_pd(struct pd_state *pd)
{
    seL4_UserContext regs;

    memset(&regs, 0, sizeof(regs));
    regs.rip = pd->elf.entry;
    regs.rsp = pd->spec->stack_top_vaddr;
    regs.rdi = pd->spec->ipc_buffer_vaddr;
    regs.rsi = pd->restarts;
    regs.rflags = 0x202;
    if (seL4_TCB_WriteRegisters(pd->tcb, seL4_True, 0, sizeof(regs) / sizeof(seL4_Word),
                                &regs) != seL4_NoError)
        return -1;
    pd->running = 1;
    pd->started_tsc = read_tsc();
    return 0;
}
