/* kernel/core/elf.c: elf_check and elf_load over ELF64 files built in memory. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "elf.h"

/* The ELF64 layout (System V ABI), declared here independently of elf.c. */
struct test_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct test_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct test_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct test_phdr) == 56, "ELF64 program header is 56 bytes");

#define PT_LOAD         1
#define PT_TLS          7
#define PT_GNU_STACK    0x6474e551

#define DATA_OFF        0x1000          /* segment contents start here */
#define FILE_MAX        0x2000

struct elf_file {
    _Alignas(16) uint8_t bytes[FILE_MAX];
    size_t size;
};

static struct test_ehdr *ehdr(struct elf_file *f)
{
    return (struct test_ehdr *)f->bytes;
}

/* An x86_64 executable with phnum program headers right after the header. */
static void elf_new(struct elf_file *f, uint64_t entry, unsigned phnum)
{
    memset(f, 0, sizeof(*f));
    struct test_ehdr *eh = ehdr(f);
    memcpy(eh->ident, "\177ELF", 4);
    eh->ident[4] = 2;           /* ELFCLASS64 */
    eh->ident[5] = 1;           /* little endian */
    eh->ident[6] = 1;           /* EV_CURRENT */
    eh->type = 2;               /* ET_EXEC */
    eh->machine = 62;           /* EM_X86_64 */
    eh->version = 1;
    eh->entry = entry;
    eh->phoff = sizeof(struct test_ehdr);
    eh->ehsize = sizeof(struct test_ehdr);
    eh->phentsize = sizeof(struct test_phdr);
    eh->phnum = (uint16_t)phnum;
    /* Recognisable contents: byte i of the data area is (i * 7 + 1) & 0xFF. */
    for (size_t i = DATA_OFF; i < FILE_MAX; i++)
        f->bytes[i] = (uint8_t)(((i - DATA_OFF) * 7 + 1) & 0xFF);
    f->size = FILE_MAX;
}

static struct test_phdr *phdr(struct elf_file *f, unsigned i)
{
    return (struct test_phdr *)(f->bytes + ehdr(f)->phoff) + i;
}

static void seg(struct elf_file *f, unsigned i, uint32_t type, uint64_t offset, uint64_t vaddr,
                uint64_t filesz, uint64_t memsz)
{
    *phdr(f, i) = (struct test_phdr){ .type = type, .flags = 6, .offset = offset,
                                      .vaddr = vaddr, .paddr = vaddr, .filesz = filesz,
                                      .memsz = memsz, .align = 0x1000 };
}

/* elf_check over an exact-size heap copy, so ASan sees reads past the file. */
static uint8_t *heap_copy;

static bool check(struct elf_file *f, struct elf_image *img, const char **why)
{
    free(heap_copy);
    heap_copy = malloc(f->size > 0 ? f->size : 1);
    if (heap_copy == NULL)
        return false;
    memcpy(heap_copy, f->bytes, f->size);
    *why = NULL;
    return elf_check(heap_copy, f->size, img, why);
}

/* Expects rejection with the given reason. */
#define CHECK_REJECT(f, reason)                                               \
    do {                                                                      \
        struct elf_image img_;                                                \
        const char *why_;                                                     \
        CHECK(!check((f), &img_, &why_));                                     \
        CHECK(why_ != NULL);                                                  \
        CHECK_STR(why_, (reason));                                            \
    } while (0)

#define CHECK_ACCEPT(f)                                                       \
    do {                                                                      \
        struct elf_image img_;                                                \
        const char *why_;                                                     \
        bool ok_ = check((f), &img_, &why_);                                  \
        if (!ok_)                                                             \
            host_fail(__FILE__, __LINE__, "rejected: %s", why_);             \
    } while (0)

/* A typical root task: text, data + bss, and a PT_GNU_STACK. */
static void typical(struct elf_file *f)
{
    elf_new(f, 0x400010, 3);
    seg(f, 0, PT_LOAD, DATA_OFF, 0x400000, 0x100, 0x100);
    seg(f, 1, PT_LOAD, DATA_OFF + 0x100, 0x401000, 0x10, 0x2000);
    seg(f, 2, PT_GNU_STACK, 0, 0, 0, 0);
}

HOST_TEST(ELF_0001)
{
    struct elf_file f;
    typical(&f);
    struct elf_image img;
    const char *why;
    CHECK(check(&f, &img, &why));
    CHECK_EQ(img.start, 0x400000);
    CHECK_EQ(img.end, 0x403000);
    CHECK_EQ(img.entry, 0x400010);

    size_t len = img.end - img.start;
    uint8_t *dest = calloc(1, len);
    CHECK(dest != NULL);
    elf_load(heap_copy, dest, &img);
    bool text_ok = memcmp(dest, f.bytes + DATA_OFF, 0x100) == 0;
    bool data_ok = memcmp(dest + 0x1000, f.bytes + DATA_OFF + 0x100, 0x10) == 0;
    size_t nonzero = 0;
    for (size_t i = 0x100; i < 0x1000; i++)
        nonzero += dest[i] != 0;
    for (size_t i = 0x1010; i < len; i++)
        nonzero += dest[i] != 0;
    free(dest);
    CHECK(text_ok);
    CHECK(data_ok);
    CHECK_EQ(nonzero, 0);               /* gaps and .bss stay zero */
}

HOST_TEST(ELF_0002)
{
    /* Not an ELF64 file. */
    struct elf_file f;
    typical(&f);
    f.size = sizeof(struct test_ehdr) - 1;
    CHECK_REJECT(&f, "not an ELF file");
    f.size = 0;
    CHECK_REJECT(&f, "not an ELF file");

    typical(&f);
    f.bytes[1] = 'X';
    CHECK_REJECT(&f, "not an ELF file");

    typical(&f);
    f.bytes[4] = 1;                     /* ELFCLASS32 */
    CHECK_REJECT(&f, "not a 64-bit ELF file");
}

HOST_TEST(ELF_0003)
{
    /* Program header table: entry size, count, and position in the file. */
    struct elf_file f;
    typical(&f);
    ehdr(&f)->phentsize = 32;
    CHECK_REJECT(&f, "no usable program headers");
    typical(&f);
    ehdr(&f)->phnum = 0;
    CHECK_REJECT(&f, "no usable program headers");

    /* phoff beyond the end, and wildly beyond (no wrap-around). */
    typical(&f);
    ehdr(&f)->phoff = FILE_MAX + 8;
    CHECK_REJECT(&f, "program headers outside the file");
    typical(&f);
    ehdr(&f)->phoff = ~(uint64_t)0 - 7;
    CHECK_REJECT(&f, "program headers outside the file");

    /* The table ending one byte past the file; then exactly at the end. */
    typical(&f);
    memmove(f.bytes + 0x200, f.bytes + 64, 3 * sizeof(struct test_phdr));
    ehdr(&f)->phoff = 0x200;
    f.size = 0x200 + 3 * sizeof(struct test_phdr) - 1;
    CHECK_REJECT(&f, "program headers outside the file");
    f.size += 1;
    /* The segments' data now lies outside the shortened file. */
    CHECK_REJECT(&f, "segment data outside the file");
    seg(&f, 0, PT_LOAD, 0, 0x400000, 0x100, 0x100);
    seg(&f, 1, PT_LOAD, 0x100, 0x401000, 0x10, 0x2000);
    CHECK_ACCEPT(&f);

    /* A huge phnum cannot make the size check overflow. */
    typical(&f);
    ehdr(&f)->phnum = 0xFFFF;
    CHECK_REJECT(&f, "program headers outside the file");
}

HOST_TEST(ELF_0004)
{
    /* Segment data must lie inside the file. */
    struct elf_file f;
    typical(&f);
    seg(&f, 1, PT_LOAD, FILE_MAX - 0x10, 0x401000, 0x11, 0x2000);  /* 1 byte past */
    CHECK_REJECT(&f, "segment data outside the file");
    seg(&f, 1, PT_LOAD, FILE_MAX - 0x10, 0x401000, 0x10, 0x2000);  /* exactly to the end */
    CHECK_ACCEPT(&f);
    seg(&f, 1, PT_LOAD, FILE_MAX + 1, 0x401000, 0, 0x2000);        /* offset past the end */
    CHECK_REJECT(&f, "segment data outside the file");
    seg(&f, 1, PT_LOAD, ~(uint64_t)0, 0x401000, 2, 0x2000);        /* offset + filesz wraps */
    CHECK_REJECT(&f, "segment data outside the file");
    /* More file data than memory. */
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x401000, 0x20, 0x10);
    CHECK_REJECT(&f, "segment file size larger than its memory size");
}

HOST_TEST(ELF_0005)
{
    /* The entry point must be inside [start, end). */
    struct elf_file f;
    typical(&f);
    ehdr(&f)->entry = 0x403000;                 /* == end */
    CHECK_REJECT(&f, "entry point outside the image");
    ehdr(&f)->entry = 0x3fffff;                 /* just below start */
    CHECK_REJECT(&f, "entry point outside the image");
    ehdr(&f)->entry = 0;
    CHECK_REJECT(&f, "entry point outside the image");
    ehdr(&f)->entry = 0x402fff;                 /* last byte (in .bss) */
    CHECK_ACCEPT(&f);
}

HOST_TEST(ELF_0006)
{
    /* The image must start on a page boundary; its end is rounded up. */
    struct elf_file f;
    typical(&f);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x400800, 0x100, 0x100);
    ehdr(&f)->entry = 0x400800;
    CHECK_REJECT(&f, "image start not 4 KiB aligned");

    typical(&f);
    seg(&f, 1, PT_LOAD, DATA_OFF + 0x100, 0x401000, 0x10, 0x1001);
    struct elf_image img;
    const char *why;
    CHECK(check(&f, &img, &why));
    CHECK_EQ(img.end, 0x403000);
}

HOST_TEST(ELF_0007)
{
    /* Addresses: overflow of vaddr + memsz, kernel half, top of user space. */
    struct elf_file f;
    typical(&f);
    seg(&f, 1, PT_LOAD, DATA_OFF, 0xFFFFFFFFFFFFF000UL, 0x10, 0x2000);   /* wraps */
    CHECK_REJECT(&f, "segment outside the user address range");
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x401000, 0, ~(uint64_t)0);            /* wraps */
    CHECK_REJECT(&f, "segment outside the user address range");
    seg(&f, 1, PT_LOAD, DATA_OFF, 0xFFFFFFFF80000000UL, 0x10, 0x1000);   /* kernel half */
    CHECK_REJECT(&f, "segment outside the user address range");
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x7FFFFFFFF000UL, 0x10, 0x1000);       /* ends at 2^47 */
    CHECK_REJECT(&f, "segment outside the user address range");

    /* Room for the IPC buffer and bootinfo (8 KiB) must remain above the image. */
    elf_new(&f, 0x7FFFFFFFD000UL, 1);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x7FFFFFFFD000UL, 0x10, 0x1000);
    CHECK_REJECT(&f, "image too close to the top of user space");
    elf_new(&f, 0x7FFFFFFFC000UL, 1);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x7FFFFFFFC000UL, 0x10, 0x1000);
    CHECK_ACCEPT(&f);
}

HOST_TEST(ELF_0008)
{
    /* Size limit: 1 GiB accepted, one page more refused. */
    struct elf_file f;
    elf_new(&f, 0x400000, 2);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x400000, 0x100, 0x1000);
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x401000, 0, ELF_MAX_IMAGE_SIZE - 0x1000);
    struct elf_image img;
    const char *why;
    CHECK(check(&f, &img, &why));
    CHECK_EQ(img.end - img.start, ELF_MAX_IMAGE_SIZE);
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x401000, 0, ELF_MAX_IMAGE_SIZE);
    CHECK_REJECT(&f, "image too large");
    /* Two small segments far apart make a huge image too. */
    seg(&f, 1, PT_LOAD, DATA_OFF, 0x400000 + (1UL << 40), 0x10, 0x10);
    CHECK_REJECT(&f, "image too large");
}

HOST_TEST(ELF_0009)
{
    /* Only PT_LOAD data is copied; empty segments do not count. */
    struct elf_file f;
    elf_new(&f, 0x400000, 1);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x400000, 0, 0);
    CHECK_REJECT(&f, "no segments");

    /* .tdata inside the data segment, .tbss after it overlapping other data. */
    elf_new(&f, 0x400000, 3);
    seg(&f, 0, PT_LOAD, DATA_OFF, 0x400000, 0x40, 0x40);
    seg(&f, 1, PT_TLS, DATA_OFF + 0x100, 0x400010, 0x8, 0x100);
    seg(&f, 2, PT_GNU_STACK, 0, 0, 0, 0);
    struct elf_image img;
    const char *why;
    CHECK(check(&f, &img, &why));
    CHECK_EQ(img.start, 0x400000);
    CHECK_EQ(img.end, 0x401000);
    uint8_t *dest = calloc(1, img.end - img.start);
    CHECK(dest != NULL);
    elf_load(heap_copy, dest, &img);
    bool same = memcmp(dest, f.bytes + DATA_OFF, 0x40) == 0;
    free(dest);
    CHECK(same);
}

HOST_TEST(ELF_0010)
{
    /*
     * Hostile: a PT_LOAD segment with memsz 0 but file data, at an address and
     * offset far from everything else. elf_check must refuse it, or elf_load
     * would copy it outside the destination image.
     */
    struct elf_file f;
    typical(&f);
    seg(&f, 2, PT_LOAD, 0, 0x10000000, 0x1000, 0);
    CHECK_REJECT(&f, "segment file size larger than its memory size");
    seg(&f, 2, PT_LOAD, ~(uint64_t)0 - 0x10, 0x401000, 0x100, 0);
    CHECK_REJECT(&f, "segment file size larger than its memory size");
    /* memsz 0 and filesz 0 at a silly place is harmless and ignored. */
    seg(&f, 2, PT_LOAD, ~(uint64_t)0, 0xFFFFFFFFFFFFFFFFUL, 0, 0);
    CHECK_ACCEPT(&f);
}

HOST_TEST(ELF_0011)
{
    /*
     * Program headers at a misaligned offset would be read through a
     * misaligned pointer (found by fuzz_elf): rejected.
     */
    struct elf_file f;
    typical(&f);
    ehdr(&f)->phoff += 4;
    CHECK_REJECT(&f, "misaligned program headers");
}
