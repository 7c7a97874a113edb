/*
 * Host tests (ASan + UBSan) for the initialiser's decoders, user/sysinit/
 * spec.c and elf.c: the blob is hostile input, so every targeted
 * corruption must be rejected with its reason, and random corruptions must
 * never make the decoders read out of bounds or accept something that
 * breaks the invariants build.c relies on.
 *
 *   sysinit-spec-tests BLOB     (BLOB: build/system/systest/sysspec.bin)
 * prints [PASS]/[FAIL] SYSINIT_NNNN lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../user/sysinit/sysinit.h"

static uint8_t *orig;
static size_t orig_size;
static uint8_t *work;
static int failures;

static void result(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        printf("[PASS] %s\n", name);
        return;
    }
    failures++;
    printf("[FAIL] %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static struct sysspec_header *hdr(void)
{
    return (struct sysspec_header *)work;
}

static struct sysspec_pd *pd(unsigned i)
{
    return (struct sysspec_pd *)(work + hdr()->pds_off) + i;
}

static void reset(void)
{
    memcpy(work, orig, orig_size);
}

/* Decode the (modified) work copy; returns 0 if accepted, with err. */
static int decode(char *err, size_t len)
{
    struct spec s;

    err[0] = '\0';
    return spec_decode(work, orig_size, &s, err, len);
}

/* --- targeted corruptions ------------------------------------------------- */

struct corruption {
    const char *what;       /* expected in the message */
    void (*apply)(void);
};

static void bad_magic(void) { hdr()->magic ^= 1; }
static void bad_version(void) { hdr()->version = 99; }
static void too_long(void) { hdr()->total_size = orig_size + 8; }
static void pds_outside(void) { hdr()->pds_off = (uint32_t)orig_size; }
static void pds_misaligned(void) { hdr()->pds_off += 4; }
static void no_pds(void) { hdr()->n_pds = 0; }
static void name_outside(void) { pd(0)->name_off = hdr()->strings_off + hdr()->strings_size; }
static void parent_self(void) { pd(1)->parent = 1; }
static void parent_loop(void) { pd(0)->parent = 1; pd(1)->parent = 0; }
static void priority(void) { pd(0)->priority = 255; }
static void stack_zero(void) { pd(0)->stack_size = 0; }
static void ipc_in_stack(void) { pd(0)->ipc_buffer_vaddr = pd(0)->stack_top_vaddr - 0x1000; }
static void image_outside(void) { pd(0)->image_size = orig_size; }
static void map_region(void)
{
    struct sysspec_map *m = (struct sysspec_map *)(work + hdr()->maps_off);

    m->region = hdr()->n_regions;
}
static void map_rows(void) { pd(0)->n_maps = hdr()->n_maps + 1; }
static void channel_id(void)
{
    struct sysspec_channel *c = (struct sysspec_channel *)(work + hdr()->channels_off);

    c->id_a = 63;
}
static void channel_reuse(void)
{
    struct sysspec_channel *c = (struct sysspec_channel *)(work + hdr()->channels_off);

    c[3].pd_a = c[0].pd_a;
    c[3].id_a = c[0].id_a;
}
static void channel_self(void)
{
    struct sysspec_channel *c = (struct sysspec_channel *)(work + hdr()->channels_off);

    c->pd_b = c->pd_a;
}
static void patch_kind(void)
{
    struct sysspec_patch *p = (struct sysspec_patch *)(work + hdr()->patches_off);

    p->kind = 7;
}
static void patch_outside(void)
{
    struct sysspec_patch *p = (struct sysspec_patch *)(work + hdr()->patches_off);

    p->arg = (uint32_t)orig_size;
}
static void region_size(void)
{
    struct sysspec_region *r = (struct sysspec_region *)(work + hdr()->regions_off);

    r->size = 0x1800;
}

static const struct corruption corruptions[] = {
    { "bad magic", bad_magic },
    { "spec version 99", bad_version },
    { "blob has", too_long },
    { "table lies outside", pds_outside },
    { "misaligned", pds_misaligned },
    { "0 PDs", no_pds },
    { "bad name", name_outside },
    { "bad parent", parent_self },
    { "parent chain loops", parent_loop },
    { "priority 255", priority },
    { "stack size", stack_zero },
    { "IPC buffer inside the stack", ipc_in_stack },
    { "program image outside", image_outside },
    { "bad PD or region index", map_region },
    { "rows are out of range", map_rows },
    { "id out of range or already used", channel_id },
    { "id out of range or already used", channel_reuse },
    { "bad ends", channel_self },
    { "unknown kind 7", patch_kind },
    { "bytes outside the blob", patch_outside },
    { "size 0x1800", region_size },
};

static void targeted(void)
{
    char err[200];
    int ok = 1;

    for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
        reset();
        corruptions[i].apply();
        if (decode(err, sizeof(err)) == 0 || strstr(err, corruptions[i].what) == NULL) {
            result("SYSINIT_0002", 0, "corruption %zu: want '%s', got '%s'", i,
                   corruptions[i].what, err[0] ? err : "(accepted)");
            ok = 0;
            break;
        }
    }
    if (ok)
        result("SYSINIT_0002", 1, "");
}

/* --- ELF ------------------------------------------------------------------ */

static void elf_cases(void)
{
    struct spec s;
    struct elf_image img;
    char err[200];
    uint8_t *copy;
    uint64_t size;
    int ok = 1;

    reset();
    if (spec_decode(work, orig_size, &s, err, sizeof(err)) != 0) {
        result("SYSINIT_0003", 0, "valid blob rejected: %s", err);
        return;
    }
    size = s.pds[0].image_size;
    copy = malloc(size);
    memcpy(copy, work + s.pds[0].image_off, size);
    ok &= elf_decode(copy, size, &img, err, sizeof(err)) == 0 && img.nsegs >= 2 &&
          img.entry == 0x400000;
    copy[0] = 0;        /* magic */
    ok &= elf_decode(copy, size, &img, err, sizeof(err)) != 0 && strstr(err, "not a 64-bit");
    memcpy(copy, work + s.pds[0].image_off, size);
    ok &= elf_decode(copy, 40, &img, err, sizeof(err)) != 0;    /* truncated */
    ok &= elf_decode(copy, 100, &img, err, sizeof(err)) != 0 &&
          strstr(err, "program headers outside");
    free(copy);
    result("SYSINIT_0003", ok, "ELF decoder: a valid image rejected or a bad one accepted (%s)",
           err);
}

/* --- random corruption ---------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* What build.c relies on after an accepted decode. */
static int invariants(const struct spec *s)
{
    const struct sysspec_header *h = s->hdr;

    for (unsigned i = 0; i < h->n_pds; i++) {
        const struct sysspec_pd *p = &s->pds[i];
        struct elf_image img;
        char err[200];

        if (p->image_off + p->image_size > s->size)
            return 0;
        for (unsigned k = 0; k < p->n_maps; k++) {
            const struct sysspec_map *m = &s->maps[p->first_map + k];

            if (m->pd != i || m->region >= h->n_regions)
                return 0;
        }
        for (unsigned k = 0; k < p->n_patches; k++) {
            const struct sysspec_patch *q = &s->patches[p->first_patch + k];

            if (q->kind == SYSSPEC_PATCH_REGION_PADDR && q->arg >= h->n_regions)
                return 0;
        }
        /* Must not crash, whatever it says. */
        (void)elf_decode(s->blob + p->image_off, p->image_size, &img, err, sizeof(err));
        for (unsigned k = 0; k < img.nsegs; k++) {
            if (img.segs[k].data + img.segs[k].filesz > s->blob + p->image_off + p->image_size)
                return 0;
        }
    }
    return 1;
}

static void random_corruption(void)
{
    uint32_t tables_end = hdr()->strings_off;
    int accepted = 0, rejected = 0;

    for (int round = 0; round < 30000; round++) {
        struct spec s;
        char err[200];
        int n = 1 + (int)(next() % 4);

        reset();
        for (int k = 0; k < n; k++) {
            uint64_t r = next();
            uint32_t off = (uint32_t)(r % tables_end);

            if (r & (1ull << 40))
                work[off] = (uint8_t)(r >> 48);
            else
                work[off] ^= (uint8_t)(1u << ((r >> 48) & 7));
        }
        if (spec_decode(work, orig_size, &s, err, sizeof(err)) != 0) {
            rejected++;
            continue;
        }
        accepted++;
        if (!invariants(&s)) {
            result("SYSINIT_0004", 0, "round %d: an accepted spec breaks an invariant", round);
            return;
        }
    }
    result("SYSINIT_0004", rejected > 0 && accepted > 0,
           "corruptions all %s", accepted ? "accepted" : "rejected");
}

static void random_elf(void)
{
    struct spec s;
    char err[200];
    uint8_t *copy;
    uint64_t size;

    reset();
    if (spec_decode(work, orig_size, &s, err, sizeof(err)) != 0)
        return;
    size = s.pds[0].image_size;
    copy = malloc(size);
    for (int round = 0; round < 30000; round++) {
        struct elf_image img;

        memcpy(copy, orig + s.pds[0].image_off, size);
        for (int k = 0; k < 3; k++) {
            uint64_t r = next();

            copy[r % (64 + 56 * 4)] = (uint8_t)(r >> 32);   /* headers */
        }
        if (elf_decode(copy, size, &img, err, sizeof(err)) != 0)
            continue;
        for (unsigned k = 0; k < img.nsegs; k++) {
            const struct elf_segment *g = &img.segs[k];

            if (g->data + g->filesz > copy + size || g->vaddr + g->memsz > USER_TOP ||
                g->filesz > g->memsz) {
                result("SYSINIT_0005", 0, "round %d: accepted a bad segment", round);
                free(copy);
                return;
            }
        }
    }
    free(copy);
    result("SYSINIT_0005", 1, "");
}

int main(int argc, char **argv)
{
    FILE *f;
    char err[200];
    struct spec s;

    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
        printf("[FAIL] SYSINIT_0001: cannot open the blob (usage: %s BLOB)\n", argv[0]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    orig_size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    orig = malloc(orig_size);
    work = malloc(orig_size);       /* malloc: aligned as spec_decode wants */
    if (fread(orig, 1, orig_size, f) != orig_size) {
        printf("[FAIL] SYSINIT_0001: short read\n");
        return 1;
    }
    fclose(f);
    reset();
    result("SYSINIT_0001",
           spec_decode(work, orig_size, &s, err, sizeof(err)) == 0 && s.hdr->n_pds == 10 &&
           strcmp(s.system_name, "systest") == 0 && strcmp(spec_str(&s, s.pds[0].name_off),
                                                           "alpha") == 0,
           "the test system's blob does not decode as expected (%s)", err);
    targeted();
    elf_cases();
    random_corruption();
    random_elf();
    return failures ? 1 : 0;
}
