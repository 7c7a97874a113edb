/*
 * Fuzz target: the root task's ELF loader (kernel/core/elf.c).
 *
 * The input is the ELF file, in a heap buffer of exactly its size (ASan
 * reports any read past it). elf_check must never read outside the file;
 * when it accepts, the image it describes must be sane (4 KiB aligned start
 * and end, entry inside, at most ELF_MAX_IMAGE_SIZE, 8 KiB left below the
 * user limit), every PT_LOAD segment with file data must lie inside
 * [start, end) and inside the file (checked here independently, before
 * loading), and elf_load must write only inside [start, end): the
 * destination is an mmap'ed region of exactly that size between
 * inaccessible guard pages, and afterwards each byte holds either the
 * segment data the headers say (later segments win) or its initial fill.
 */
#include <sys/mman.h>

#include "fuzz_common.h"
#include "elf.h"

/* ELF64 layout (System V ABI), declared here independently of elf.c. */
struct ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct phdr) == 56, "ELF64 program header is 56 bytes");

#define PT_LOAD     1
#define USER_LIMIT  0x7FFFFFFFFFFFUL
#define PAGE        4096UL
#define FILL        0xA5

/* Headers are read with memcpy: the file's offsets need not be aligned. */
static struct ehdr read_ehdr(const uint8_t *file)
{
    struct ehdr eh;
    memcpy(&eh, file, sizeof(eh));
    return eh;
}

static struct phdr read_phdr(const uint8_t *file, const struct ehdr *eh, unsigned i)
{
    struct phdr ph;
    memcpy(&ph, file + eh->phoff + (size_t)i * sizeof(ph), sizeof(ph));
    return ph;
}

/* len bytes (a multiple of the page size) between inaccessible guard pages. */
static uint8_t *map_image(size_t len)
{
    uint8_t *map = mmap(NULL, len + 2 * PAGE, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    FZ_CHECK(map != MAP_FAILED, "mmap of %zu bytes failed", len + 2 * PAGE);
    FZ_CHECK(mprotect(map + PAGE, len, PROT_READ | PROT_WRITE) == 0, "mprotect failed");
    return map + PAGE;
}

static void unmap_image(uint8_t *image, size_t len)
{
    munmap(image - PAGE, len + 2 * PAGE);
}

/* Pages of the image a segment touches: filled, compared, allowed to change. */
static uint8_t *touched;

/* Marks the page holding image offset off as touched and fills it. */
static void touch_page(uint8_t *dest, uint8_t *ref, size_t off)
{
    size_t page = off / PAGE;
    if (touched[page / 8] & (1u << (page % 8)))
        return;
    touched[page / 8] |= (uint8_t)(1u << (page % 8));
    memset(dest + page * PAGE, FILL, PAGE);
    memset(ref + page * PAGE, FILL, PAGE);
}

static bool is_touched(size_t page)
{
    return touched[page / 8] & (1u << (page % 8));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    const char *why = NULL;
    memset(&img, 0x5A, sizeof(img));
    if (!elf_check(data, size, &img, &why)) {
        FZ_CHECK(why != NULL && why[0] != '\0', "rejected without a reason");
        return 0;
    }

    /* Accepted: the image must be sane. */
    FZ_CHECK(size >= sizeof(struct ehdr), "accepted a file shorter than its header");
    struct ehdr eh = read_ehdr(data);
    FZ_CHECK(img.start < img.end, "empty image [%#lx, %#lx)", img.start, img.end);
    FZ_CHECK(IS_ALIGNED(img.start, PAGE) && IS_ALIGNED(img.end, PAGE), "image not page aligned");
    FZ_CHECK(img.end - img.start <= ELF_MAX_IMAGE_SIZE, "image of %#lx bytes",
             img.end - img.start);
    FZ_CHECK(img.end <= USER_LIMIT - 0x2000, "image ends at %#lx", img.end);
    FZ_CHECK(img.entry == eh.entry && img.entry >= img.start && img.entry < img.end,
             "entry %#lx outside [%#lx, %#lx)", img.entry, img.start, img.end);
    FZ_CHECK(eh.phentsize == sizeof(struct phdr) && eh.phnum > 0, "bad program headers");
    FZ_CHECK(eh.phoff <= size && (size - eh.phoff) / sizeof(struct phdr) >= eh.phnum,
             "program headers outside the file");

    /* What elf_load will copy must come from the file and land in the image. */
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct phdr ph = read_phdr(data, &eh, i);
        if (ph.type != PT_LOAD || ph.filesz == 0)
            continue;
        FZ_CHECK(ph.offset <= size && ph.filesz <= size - ph.offset,
                 "segment %u: file data [%#lx, +%#lx) outside the %zu-byte file", i,
                 ph.offset, ph.filesz, size);
        FZ_CHECK(ph.vaddr >= img.start && ph.vaddr <= img.end &&
                 ph.filesz <= img.end - ph.vaddr,
                 "segment %u: [%#lx, +%#lx) outside the image [%#lx, %#lx)", i, ph.vaddr,
                 ph.filesz, img.start, img.end);
    }

    /*
     * Load between guard pages, and load a reference copy the simple way;
     * only pages a segment touches (and the first and last) are filled and
     * compared, so only those cost memory.
     */
    size_t len = img.end - img.start, pages = len / PAGE;
    uint8_t *dest = map_image(len), *ref = map_image(len);
    touched = calloc(pages / 8 + 1, 1);
    FZ_CHECK(touched != NULL, "out of memory");
    touch_page(dest, ref, 0);
    touch_page(dest, ref, len - 1);
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct phdr ph = read_phdr(data, &eh, i);
        if (ph.type != PT_LOAD || ph.filesz == 0)
            continue;
        uint64_t first = ph.vaddr - img.start;
        for (uint64_t off = first; off < first + ph.filesz; off = (off | (PAGE - 1)) + 1)
            touch_page(dest, ref, off);
    }

    elf_load(data, dest, &img);

    /* No page outside the segments was written (made resident). */
    unsigned char *resident = malloc(pages);
    FZ_CHECK(resident != NULL && mincore(dest, len, resident) == 0, "mincore failed");
    for (size_t p = 0; p < pages; p++)
        FZ_CHECK(!(resident[p] & 1) || is_touched(p),
                 "elf_load wrote page %#zx of the image, which no segment covers", p * PAGE);
    free(resident);

    for (unsigned i = 0; i < eh.phnum; i++) {
        struct phdr ph = read_phdr(data, &eh, i);
        if (ph.type != PT_LOAD || ph.filesz == 0)
            continue;
        for (uint64_t b = 0; b < ph.filesz; b++)
            ref[ph.vaddr - img.start + b] = data[ph.offset + b];
    }
    for (size_t p = 0; p < pages; p++) {
        size_t off = p * PAGE;
        if (!is_touched(p) || memcmp(dest + off, ref + off, PAGE) == 0)
            continue;
        size_t b = 0;
        while (dest[off + b] == ref[off + b])
            b++;
        FZ_FAIL("image byte %#zx (vaddr %#lx) is %#x after elf_load, want %#x", off + b,
                img.start + off + b, dest[off + b], ref[off + b]);
    }
    free(touched);
    unmap_image(dest, len);
    unmap_image(ref, len);
    return 0;
}
