/*
 * Decoding and validating the system spec (user/include/arca/sysspec.h).
 *
 * The blob is produced by the host tool, but it is still checked in full
 * here: every offset, index, count and address the rest of the initialiser
 * uses is proven in range before any object is created, so that building
 * the system can assume a consistent spec.  No kernel calls in this file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sysinit.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* [off, off + n * size) inside the blob, 8-byte aligned. */
static int table_ok(const struct spec *s, uint32_t off, uint32_t n, size_t size)
{
    uint64_t end = (uint64_t)off + (uint64_t)n * size;

    return off % 8 == 0 && end <= s->size;
}

/* Names are blob offsets that point into the string table. */
const char *spec_str(const struct spec *s, uint32_t off)
{
    return (const char *)s->blob + off;
}

/* A name: inside the string table, NUL-terminated, 1..63 characters. */
static int name_ok(const struct spec *s, uint32_t off)
{
    const char *p;
    size_t left;

    if (off < s->hdr->strings_off || off - s->hdr->strings_off >= s->hdr->strings_size)
        return 0;
    p = spec_str(s, off);
    left = s->hdr->strings_size - (off - s->hdr->strings_off);
    for (size_t i = 0; i < left && i < SYSSPEC_NAME_MAX; i++) {
        if (p[i] == '\0')
            return i > 0;
    }
    return 0;
}

static int user_range_ok(uint64_t vaddr, uint64_t size)
{
    return size != 0 && vaddr < USER_TOP && size <= USER_TOP - vaddr;
}

/* This PD's rows [first, first + n) of a table of `total` rows all name it. */
#define ROWS_OK(first, n, total) ((uint64_t)(first) + (n) <= (total))

static int check_header(struct spec *s, char *err, size_t errlen)
{
    const struct sysspec_header *h = s->hdr;

    if (s->size < sizeof(*h) || (uintptr_t)s->blob % 8 != 0)
        return fail(err, errlen, "spec blob too small or misaligned (%zu bytes at %p)",
                    s->size, (const void *)s->blob);
    if (h->magic != SYSSPEC_MAGIC)
        return fail(err, errlen, "bad magic 0x%x", h->magic);
    if (h->version != SYSSPEC_VERSION)
        return fail(err, errlen, "spec version %u, initialiser understands %u", h->version,
                    SYSSPEC_VERSION);
    if (h->total_size > s->size)
        return fail(err, errlen, "spec says %lu bytes, blob has %zu",
                    (unsigned long)h->total_size, s->size);
    s->size = h->total_size;
    if (h->n_pds == 0 || h->n_pds > SYSSPEC_MAX_PDS)
        return fail(err, errlen, "%u PDs (1..%u allowed)", h->n_pds, SYSSPEC_MAX_PDS);
    if (!table_ok(s, h->pds_off, h->n_pds, sizeof(struct sysspec_pd)) ||
        !table_ok(s, h->regions_off, h->n_regions, sizeof(struct sysspec_region)) ||
        !table_ok(s, h->maps_off, h->n_maps, sizeof(struct sysspec_map)) ||
        !table_ok(s, h->channels_off, h->n_channels, sizeof(struct sysspec_channel)) ||
        !table_ok(s, h->irqs_off, h->n_irqs, sizeof(struct sysspec_irq)) ||
        !table_ok(s, h->ioports_off, h->n_ioports, sizeof(struct sysspec_ioport)) ||
        !table_ok(s, h->patches_off, h->n_patches, sizeof(struct sysspec_patch)))
        return fail(err, errlen, "a table lies outside the blob or is misaligned");
    if ((uint64_t)h->strings_off + h->strings_size > s->size)
        return fail(err, errlen, "string table outside the blob");
    s->pds = (const void *)(s->blob + h->pds_off);
    s->regions = (const void *)(s->blob + h->regions_off);
    s->maps = (const void *)(s->blob + h->maps_off);
    s->channels = (const void *)(s->blob + h->channels_off);
    s->irqs = (const void *)(s->blob + h->irqs_off);
    s->ioports = (const void *)(s->blob + h->ioports_off);
    s->patches = (const void *)(s->blob + h->patches_off);
    if (!name_ok(s, h->name_off))
        return fail(err, errlen, "bad system name");
    s->system_name = spec_str(s, h->name_off);
    return 0;
}

static int check_pd(const struct spec *s, unsigned i, char *err, size_t errlen)
{
    const struct sysspec_header *h = s->hdr;
    const struct sysspec_pd *pd = &s->pds[i];
    const char *name;

    if (!name_ok(s, pd->name_off))
        return fail(err, errlen, "PD %u: bad name", i);
    name = spec_str(s, pd->name_off);
    if (strcmp(name, "monitor") == 0)
        return fail(err, errlen, "PD %u: the name 'monitor' is reserved", i);
    for (unsigned j = 0; j < i; j++) {
        if (strcmp(spec_str(s, s->pds[j].name_off), name) == 0)
            return fail(err, errlen, "PD '%s' declared twice", name);
    }
    if (pd->image_off % 8 != 0 || pd->image_size > s->size ||
        pd->image_off > s->size - pd->image_size)
        return fail(err, errlen, "PD '%s': program image outside the blob", name);
    if (pd->stack_size == 0 || pd->stack_size % PAGE_SIZE != 0 || pd->stack_size > (64u << 20))
        return fail(err, errlen, "PD '%s': stack size 0x%lx (page multiple, 4 KiB..64 MiB)",
                    name, (unsigned long)pd->stack_size);
    if (pd->stack_top_vaddr % PAGE_SIZE != 0 || pd->stack_top_vaddr > USER_TOP ||
        pd->stack_top_vaddr < pd->stack_size + PAGE_SIZE)
        return fail(err, errlen, "PD '%s': bad stack top 0x%lx", name,
                    (unsigned long)pd->stack_top_vaddr);
    if (pd->ipc_buffer_vaddr % PAGE_SIZE != 0 || !user_range_ok(pd->ipc_buffer_vaddr, PAGE_SIZE) ||
        pd->ipc_buffer_vaddr == 0)
        return fail(err, errlen, "PD '%s': bad IPC buffer address 0x%lx", name,
                    (unsigned long)pd->ipc_buffer_vaddr);
    if (pd->ipc_buffer_vaddr < pd->stack_top_vaddr &&
        pd->ipc_buffer_vaddr >= pd->stack_top_vaddr - pd->stack_size)
        return fail(err, errlen, "PD '%s': IPC buffer inside the stack", name);
    if (pd->priority > 254)
        return fail(err, errlen, "PD '%s': priority %u (0..254)", name, pd->priority);
    if (pd->parent != SYSSPEC_NO_PARENT) {
        unsigned steps = 0;

        if (pd->parent >= h->n_pds || pd->parent == i)
            return fail(err, errlen, "PD '%s': bad parent %u", name, pd->parent);
        if (pd->child_id > 63)
            return fail(err, errlen, "PD '%s': child id %u (0..63)", name, pd->child_id);
        for (unsigned p = pd->parent; p != SYSSPEC_NO_PARENT; p = s->pds[p].parent) {
            if (p >= h->n_pds || ++steps > h->n_pds)
                return fail(err, errlen, "PD '%s': parent chain loops", name);
        }
        for (unsigned j = 0; j < i; j++) {
            if (s->pds[j].parent == pd->parent && s->pds[j].child_id == pd->child_id)
                return fail(err, errlen, "PD '%s': child id %u used twice", name, pd->child_id);
        }
    }
    if (!ROWS_OK(pd->first_map, pd->n_maps, h->n_maps) ||
        !ROWS_OK(pd->first_irq, pd->n_irqs, h->n_irqs) ||
        !ROWS_OK(pd->first_ioport, pd->n_ioports, h->n_ioports) ||
        !ROWS_OK(pd->first_patch, pd->n_patches, h->n_patches))
        return fail(err, errlen, "PD '%s': its map/irq/ioport/patch rows are out of range", name);
    for (unsigned k = 0; k < pd->n_maps; k++) {
        if (s->maps[pd->first_map + k].pd != i)
            return fail(err, errlen, "PD '%s': map row %u belongs to another PD", name,
                        pd->first_map + k);
    }
    for (unsigned k = 0; k < pd->n_irqs; k++) {
        if (s->irqs[pd->first_irq + k].pd != i)
            return fail(err, errlen, "PD '%s': irq row belongs to another PD", name);
    }
    for (unsigned k = 0; k < pd->n_ioports; k++) {
        if (s->ioports[pd->first_ioport + k].pd != i)
            return fail(err, errlen, "PD '%s': ioport row belongs to another PD", name);
    }
    for (unsigned k = 0; k < pd->n_patches; k++) {
        if (s->patches[pd->first_patch + k].pd != i)
            return fail(err, errlen, "PD '%s': patch row belongs to another PD", name);
    }
    return 0;
}

static int check_regions_maps(const struct spec *s, char *err, size_t errlen)
{
    const struct sysspec_header *h = s->hdr;

    for (unsigned i = 0; i < h->n_regions; i++) {
        const struct sysspec_region *r = &s->regions[i];

        if (!name_ok(s, r->name_off))
            return fail(err, errlen, "region %u: bad name", i);
        if ((r->page_size != 0x1000 && r->page_size != 0x200000) || r->size == 0 ||
            r->size % r->page_size != 0 || r->size > (1ull << 36))
            return fail(err, errlen, "region '%s': size 0x%lx / page size 0x%lx",
                        spec_str(s, r->name_off), (unsigned long)r->size,
                        (unsigned long)r->page_size);
        if ((r->flags & SYSSPEC_REGION_FIXED_PADDR) &&
            (r->phys_addr % r->page_size != 0 || r->phys_addr + r->size < r->phys_addr ||
             r->phys_addr + r->size > (1ull << 52)))
            return fail(err, errlen, "region '%s': bad physical address 0x%lx",
                        spec_str(s, r->name_off), (unsigned long)r->phys_addr);
    }
    for (unsigned i = 0; i < h->n_maps; i++) {
        const struct sysspec_map *m = &s->maps[i];
        const struct sysspec_region *r;

        if (m->pd >= h->n_pds || m->region >= h->n_regions)
            return fail(err, errlen, "map %u: bad PD or region index", i);
        r = &s->regions[m->region];
        if (m->vaddr % r->page_size != 0 || !user_range_ok(m->vaddr, r->size))
            return fail(err, errlen, "map %u: bad address 0x%lx for region '%s'", i,
                        (unsigned long)m->vaddr, spec_str(s, r->name_off));
        if (m->perms == 0 || (m->perms & ~(SYSSPEC_PERM_R | SYSSPEC_PERM_W | SYSSPEC_PERM_X)))
            return fail(err, errlen, "map %u: bad permissions 0x%x", i, m->perms);
        if (m->cached > 1)
            return fail(err, errlen, "map %u: bad cached flag", i);
    }
    return 0;
}

/* Channel and IRQ ids share one namespace per PD (as in Microkit). */
static int claim_id(uint64_t *used, unsigned pd, unsigned id)
{
    if (id >= SYSSPEC_MAX_CHANNELS || (used[pd] >> id) & 1)
        return -1;
    used[pd] |= 1ull << id;
    return 0;
}

static int pd_has_children(const struct spec *s, unsigned pd)
{
    for (unsigned i = 0; i < s->hdr->n_pds; i++) {
        if (s->pds[i].parent == pd)
            return 1;
    }
    return 0;
}

static int check_channels_irqs(const struct spec *s, char *err, size_t errlen)
{
    const struct sysspec_header *h = s->hdr;
    uint64_t used[SYSSPEC_MAX_PDS] = { 0 };
    uint64_t ports_used[SYSSPEC_MAX_PDS] = { 0 };

    for (unsigned i = 0; i < h->n_channels; i++) {
        const struct sysspec_channel *c = &s->channels[i];
        int a_mon = c->pd_a == SYSSPEC_MONITOR, b_mon = c->pd_b == SYSSPEC_MONITOR;

        if ((!a_mon && c->pd_a >= h->n_pds) || (!b_mon && c->pd_b >= h->n_pds) ||
            (a_mon && b_mon) || c->pd_a == c->pd_b)
            return fail(err, errlen, "channel %u: bad ends", i);
        if (c->pp_a > 1 || c->pp_b > 1 || c->notify_a > 1 || c->notify_b > 1)
            return fail(err, errlen, "channel %u: bad flags", i);
        if ((a_mon && c->pp_a) || (b_mon && c->pp_b))
            return fail(err, errlen, "channel %u: the monitor does not make calls", i);
        if (c->pp_a && c->pp_b)
            return fail(err, errlen, "channel %u: pp on both ends", i);
        if ((!a_mon && claim_id(used, c->pd_a, c->id_a) != 0) ||
            (!b_mon && claim_id(used, c->pd_b, c->id_b) != 0))
            return fail(err, errlen, "channel %u: id out of range or already used in its PD", i);
    }
    for (unsigned i = 0; i < h->n_irqs; i++) {
        const struct sysspec_irq *q = &s->irqs[i];

        if (q->pd >= h->n_pds || claim_id(used, q->pd, q->id) != 0)
            return fail(err, errlen, "irq %u: bad PD or id (out of range or already used)", i);
        if (q->kind != SYSSPEC_IRQ_IOAPIC && q->kind != SYSSPEC_IRQ_MSI)
            return fail(err, errlen, "irq %u: unknown kind %u", i, q->kind);
        for (unsigned j = 0; j < i; j++) {
            if (s->irqs[j].vector == q->vector)
                return fail(err, errlen, "irq %u: vector %u claimed twice", i, q->vector);
        }
    }
    for (unsigned pd = 0; pd < h->n_pds; pd++) {
        /* Bit 62 of what a parent receives marks a child's fault. */
        if ((used[pd] >> 62) & 1 && pd_has_children(s, pd))
            return fail(err, errlen, "PD '%s': id 62 cannot be used by a PD with children",
                        spec_str(s, s->pds[pd].name_off));
    }
    for (unsigned i = 0; i < h->n_ioports; i++) {
        const struct sysspec_ioport *p = &s->ioports[i];

        if (p->pd >= h->n_pds || p->id > 62 || (ports_used[p->pd] >> p->id) & 1)
            return fail(err, errlen, "ioport %u: bad PD or id", i);
        ports_used[p->pd] |= 1ull << p->id;
        if (p->size == 0 || p->base > 0xffff || p->size > 0x10000 - p->base)
            return fail(err, errlen, "ioport %u: range 0x%x+0x%x", i, p->base, p->size);
    }
    return 0;
}

static int check_patches(const struct spec *s, char *err, size_t errlen)
{
    for (unsigned i = 0; i < s->hdr->n_patches; i++) {
        const struct sysspec_patch *p = &s->patches[i];

        if (p->pd >= s->hdr->n_pds || !user_range_ok(p->vaddr, p->size ? p->size : 1))
            return fail(err, errlen, "patch %u: bad PD or address", i);
        if (p->kind == SYSSPEC_PATCH_BYTES) {
            if (p->size == 0 || p->size > 4096 || (uint64_t)p->arg + p->size > s->size)
                return fail(err, errlen, "patch %u: bytes outside the blob", i);
        } else if (p->kind == SYSSPEC_PATCH_REGION_PADDR) {
            if (p->size != 8 || p->arg >= s->hdr->n_regions)
                return fail(err, errlen, "patch %u: bad region", i);
        } else {
            return fail(err, errlen, "patch %u: unknown kind %u", i, p->kind);
        }
    }
    return 0;
}

int spec_decode(const void *blob, size_t size, struct spec *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    out->blob = blob;
    out->size = size;
    out->hdr = blob;
    if (check_header(out, err, errlen) != 0)
        return -1;
    for (unsigned i = 0; i < out->hdr->n_pds; i++) {
        if (check_pd(out, i, err, errlen) != 0)
            return -1;
    }
    if (check_regions_maps(out, err, errlen) != 0 || check_channels_irqs(out, err, errlen) != 0 ||
        check_patches(out, err, errlen) != 0)
        return -1;
    return 0;
}
