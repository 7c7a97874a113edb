/*
 * sysspec-dump: reads a system spec blob through user/include/arca/sysspec.h
 * and prints every table, one line per record, in the text form
 * tools/system_tests.py also produces from its Python decoder.  The two
 * must agree byte for byte: that checks the header, tools/sysspec.py and
 * the blob against each other from the C side, as the initialiser sees it.
 *
 * Exit status 1 (with a reason on stderr) if the blob is inconsistent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arca/sysspec.h>

static const uint8_t *blob;
static size_t blob_size;

static void fail(const char *why)
{
    fprintf(stderr, "sysspec-dump: %s\n", why);
    exit(1);
}

/* A table must lie inside the blob; n * size cannot overflow 64 bits. */
static const void *table(uint32_t off, uint32_t n, size_t size)
{
    if ((uint64_t)off + (uint64_t)n * size > blob_size || off % 8 != 0)
        fail("table outside the blob or misaligned");
    return blob + off;
}

static const char *str(const struct sysspec_header *h, uint32_t off)
{
    if (off < h->strings_off || off >= h->strings_off + h->strings_size)
        fail("string offset outside the string table");
    const char *s = (const char *)blob + off;
    if (!memchr(s, '\0', h->strings_off + h->strings_size - off))
        fail("unterminated string");
    return s;
}

static void hex(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail("cannot open the blob");
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf)
            fail("out of memory");
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        fail("usage: sysspec-dump FILE");
    uint8_t *data = read_file(argv[1], &blob_size);
    blob = data;
    if (blob_size < sizeof(struct sysspec_header))
        fail("shorter than the header");
    const struct sysspec_header *h = (const void *)blob;
    if (h->magic != SYSSPEC_MAGIC || h->version != SYSSPEC_VERSION)
        fail("bad magic or version");
    if (h->total_size != blob_size)
        fail("total_size disagrees with the file size");
    if ((uint64_t)h->strings_off + h->strings_size > blob_size)
        fail("string table outside the blob");

    printf("system %s\n", str(h, h->name_off));
    const struct sysspec_pd *pds = table(h->pds_off, h->n_pds, sizeof *pds);
    for (uint32_t i = 0; i < h->n_pds; i++) {
        const struct sysspec_pd *p = &pds[i];
        if (p->image_off % 8 != 0 || p->image_off + p->image_size > blob_size)
            fail("image outside the blob");
        printf("pd %u %s flags=%u image=%llu stack=0x%llx ipc=0x%llx top=0x%llx "
               "parent=%u child=%u prio=%u maps=%u+%u irqs=%u+%u ioports=%u+%u "
               "patches=%u+%u elf=", i, str(h, p->name_off), p->flags,
               (unsigned long long)p->image_size, (unsigned long long)p->stack_size,
               (unsigned long long)p->ipc_buffer_vaddr,
               (unsigned long long)p->stack_top_vaddr, p->parent, p->child_id,
               p->priority, p->first_map, p->n_maps, p->first_irq, p->n_irqs,
               p->first_ioport, p->n_ioports, p->first_patch, p->n_patches);
        hex(blob + p->image_off, p->image_size < 4 ? (uint32_t)p->image_size : 4);
        printf("\n");
    }
    const struct sysspec_region *rs = table(h->regions_off, h->n_regions, sizeof *rs);
    for (uint32_t i = 0; i < h->n_regions; i++)
        printf("region %u %s flags=%u size=0x%llx page=0x%llx phys=0x%llx\n", i,
               str(h, rs[i].name_off), rs[i].flags, (unsigned long long)rs[i].size,
               (unsigned long long)rs[i].page_size, (unsigned long long)rs[i].phys_addr);
    const struct sysspec_map *ms = table(h->maps_off, h->n_maps, sizeof *ms);
    for (uint32_t i = 0; i < h->n_maps; i++)
        printf("map %u pd=%u region=%u vaddr=0x%llx perms=%u cached=%u\n", i, ms[i].pd,
               ms[i].region, (unsigned long long)ms[i].vaddr, ms[i].perms, ms[i].cached);
    const struct sysspec_channel *cs = table(h->channels_off, h->n_channels, sizeof *cs);
    for (uint32_t i = 0; i < h->n_channels; i++)
        printf("channel %u %u:%u pp=%u notify=%u - %u:%u pp=%u notify=%u\n", i,
               cs[i].pd_a, cs[i].id_a, cs[i].pp_a, cs[i].notify_a,
               cs[i].pd_b, cs[i].id_b, cs[i].pp_b, cs[i].notify_b);
    const struct sysspec_irq *is = table(h->irqs_off, h->n_irqs, sizeof *is);
    for (uint32_t i = 0; i < h->n_irqs; i++)
        printf("irq %u pd=%u id=%u kind=%u vector=%u ioapic=%u pin=%u level=%u "
               "polarity=%u pci=%u:%u.%u handle=%u\n", i, is[i].pd, is[i].id, is[i].kind,
               is[i].vector, is[i].ioapic, is[i].pin, is[i].level, is[i].polarity,
               is[i].pci_bus, is[i].pci_dev, is[i].pci_func, is[i].handle);
    const struct sysspec_ioport *ps = table(h->ioports_off, h->n_ioports, sizeof *ps);
    for (uint32_t i = 0; i < h->n_ioports; i++)
        printf("ioport %u pd=%u id=%u base=0x%x size=%u\n", i, ps[i].pd, ps[i].id,
               ps[i].base, ps[i].size);
    const struct sysspec_patch *ts = table(h->patches_off, h->n_patches, sizeof *ts);
    for (uint32_t i = 0; i < h->n_patches; i++) {
        printf("patch %u pd=%u kind=%u vaddr=0x%llx size=%u ", i, ts[i].pd, ts[i].kind,
               (unsigned long long)ts[i].vaddr, ts[i].size);
        if (ts[i].kind == SYSSPEC_PATCH_BYTES) {
            if ((uint64_t)ts[i].arg + ts[i].size > blob_size)
                fail("patch value outside the blob");
            printf("value=");
            hex(blob + ts[i].arg, ts[i].size);
        } else {
            printf("region=%u", ts[i].arg);
        }
        printf("\n");
    }
    free(data);
    return 0;
}
