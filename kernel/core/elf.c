/* ELF64 checks and loading for the root task (elf.h, boot.md §2). */
#include "elf.h"
#include "kstring.h"

#define EI_CLASS        4
#define ELFCLASS64      2
#define PT_LOAD         1

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Highest end address of the image: 8 KiB are left for IPC buffer and bootinfo. */
#define USER_IMAGE_LIMIT 0x7FFFFFFFFFFFUL

static const struct elf64_phdr *phdr_at(const uint8_t *file, const struct elf64_ehdr *eh,
                                        unsigned i)
{
    return (const struct elf64_phdr *)(file + eh->phoff + (size_t)i * eh->phentsize);
}

static bool check_headers(const uint8_t *file, size_t size, const char **why)
{
    if (size < sizeof(struct elf64_ehdr) || memcmp(file, "\177ELF", 4) != 0) {
        *why = "not an ELF file";
        return false;
    }
    if (file[EI_CLASS] != ELFCLASS64) {
        *why = "not a 64-bit ELF file";
        return false;
    }
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;
    if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0) {
        *why = "no usable program headers";
        return false;
    }
    /* Headers are read in place: they must be naturally aligned. */
    if (eh->phoff % 8 != 0) {
        *why = "misaligned program headers";
        return false;
    }
    if (eh->phoff > size || (size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum) {
        *why = "program headers outside the file";
        return false;
    }
    return true;
}

bool elf_check(const uint8_t *file, size_t size, struct elf_image *img, const char **why)
{
    if (!check_headers(file, size, why))
        return false;
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;
    vaddr_t start = ~(vaddr_t)0;
    vaddr_t end = 0;

    for (unsigned i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph = phdr_at(file, eh, i);
        /*
         * Before the empty-segment skip: elf_load copies every PT_LOAD with
         * file data, so one with memsz 0 must not escape the checks below.
         */
        if (ph->type == PT_LOAD && ph->filesz > ph->memsz) {
            *why = "segment file size larger than its memory size";
            return false;
        }
        if (ph->memsz == 0)
            continue;
        if (ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > USER_IMAGE_LIMIT) {
            *why = "segment outside the user address range";
            return false;
        }
        if (ph->type == PT_LOAD &&
            (ph->filesz > ph->memsz || ph->offset > size || size - ph->offset < ph->filesz)) {
            *why = "segment data outside the file";
            return false;
        }
        start = MIN(start, ph->vaddr);
        end = MAX(end, ph->vaddr + ph->memsz);
    }
    if (end == 0) {
        *why = "no segments";
        return false;
    }
    end = ROUND_UP(end, 4096);
    if (!IS_ALIGNED(start, 4096)) {
        *why = "image start not 4 KiB aligned";
        return false;
    }
    if (end + 0x2000 > USER_IMAGE_LIMIT) {
        *why = "image too close to the top of user space";
        return false;
    }
    if (end - start > ELF_MAX_IMAGE_SIZE) {
        *why = "image too large";
        return false;
    }
    if (eh->entry < start || eh->entry >= end) {
        *why = "entry point outside the image";
        return false;
    }
    img->start = start;
    img->end = end;
    img->entry = eh->entry;
    return true;
}

void elf_load(const uint8_t *file, uint8_t *dest, const struct elf_image *img)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;
    for (unsigned i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph = phdr_at(file, eh, i);
        if (ph->type != PT_LOAD || ph->filesz == 0)
            continue;
        memcpy(dest + (ph->vaddr - img->start), file + ph->offset, ph->filesz);
    }
}
