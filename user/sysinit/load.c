/*
 * (Re)loading a PD's memory through the monitor's window: every page of
 * the image, stack and IPC buffer is zeroed, the ELF segments' file
 * contents are copied in, and the spec's patches are applied.  The first
 * start and every restart go through this same code, so a restarted PD
 * sees exactly the memory it saw at boot.  Memory regions are shared and
 * are not touched.
 */
#include <stdio.h>
#include <string.h>

#include "sysinit.h"

/* The page holding vaddr, or NULL (pages are sorted by address). */
static struct pd_page *find_page(struct pd_state *pd, uint64_t vaddr)
{
    unsigned lo = 0, hi = pd->npages;
    uint64_t page = vaddr & ~(PAGE_SIZE - 1);

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (pd->pages[mid].vaddr == page)
            return &pd->pages[mid];
        if (pd->pages[mid].vaddr < page)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Copy len bytes to the PD's address vaddr, page by page. */
static int write_pd(struct pd_state *pd, uint64_t vaddr, const uint8_t *src, uint64_t len)
{
    while (len > 0) {
        struct pd_page *p = find_page(pd, vaddr);
        uint64_t off = vaddr & (PAGE_SIZE - 1);
        uint64_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;

        if (p == NULL)
            return -1;
        memcpy(p->mon + off, src, n);
        vaddr += n;
        src += n;
        len -= n;
    }
    return 0;
}

int load_pd(struct pd_state *pd, char *err, size_t errlen)
{
    const struct spec *s = &g_spec;

    for (unsigned i = 0; i < pd->npages; i++)
        memset(pd->pages[i].mon, 0, PAGE_SIZE);
    for (unsigned i = 0; i < pd->elf.nsegs; i++) {
        const struct elf_segment *seg = &pd->elf.segs[i];

        if (write_pd(pd, seg->vaddr, seg->data, seg->filesz) != 0) {
            snprintf(err, errlen, "segment %u has no pages", i);
            return -1;
        }
    }
    for (unsigned k = 0; k < pd->spec->n_patches; k++) {
        const struct sysspec_patch *p = &s->patches[pd->spec->first_patch + k];
        const uint8_t *src;
        uint64_t value;

        if (p->kind == SYSSPEC_PATCH_BYTES) {
            src = s->blob + p->arg;
        } else {
            value = g_regions[p->arg].paddr;
            src = (const uint8_t *)&value;
        }
        if (write_pd(pd, p->vaddr, src, p->size) != 0) {
            snprintf(err, errlen, "patch at 0x%lx is outside the PD's image",
                     (unsigned long)p->vaddr);
            return -1;
        }
    }
    return 0;
}
