/*
 * Decoding a PD's program image: a static x86_64 ELF executable.  Only
 * PT_LOAD segments matter; everything is checked against the file size and
 * the user half of the address space before it is used.  No kernel calls.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sysinit.h"

#define PT_LOAD 1
#define EM_X86_64 62
#define ET_EXEC 2

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

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int elf_decode(const uint8_t *file, uint64_t size, struct elf_image *out, char *err, size_t errlen)
{
    struct ehdr eh;

    memset(out, 0, sizeof(*out));
    if (size < sizeof(eh))
        return fail(err, errlen, "image too small for an ELF header");
    memcpy(&eh, file, sizeof(eh));
    if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 || eh.ident[5] != 1)
        return fail(err, errlen, "not a 64-bit little-endian ELF file");
    if (eh.machine != EM_X86_64 || eh.type != ET_EXEC)
        return fail(err, errlen, "not an x86_64 executable (type %u, machine %u)", eh.type,
                    eh.machine);
    if (eh.phentsize != sizeof(struct phdr) || eh.phoff > size ||
        (uint64_t)eh.phnum * sizeof(struct phdr) > size - eh.phoff)
        return fail(err, errlen, "program headers outside the file");
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct phdr ph;
        struct elf_segment *seg;

        memcpy(&ph, file + eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (out->nsegs == MAX_SEGMENTS)
            return fail(err, errlen, "more than %d loadable segments", MAX_SEGMENTS);
        if (ph.filesz > ph.memsz || ph.offset > size || ph.filesz > size - ph.offset)
            return fail(err, errlen, "segment %u: contents outside the file", i);
        if (ph.vaddr < PAGE_SIZE || ph.vaddr >= USER_TOP || ph.memsz > USER_TOP - ph.vaddr)
            return fail(err, errlen, "segment %u: address 0x%lx+0x%lx outside user space", i,
                        (unsigned long)ph.vaddr, (unsigned long)ph.memsz);
        if (ph.memsz > (256ull << 20))
            return fail(err, errlen, "segment %u: 0x%lx bytes is too large", i,
                        (unsigned long)ph.memsz);
        seg = &out->segs[out->nsegs++];
        seg->vaddr = ph.vaddr;
        seg->memsz = ph.memsz;
        seg->filesz = ph.filesz;
        seg->data = file + ph.offset;
        seg->flags = ph.flags;
    }
    if (out->nsegs == 0)
        return fail(err, errlen, "no loadable segments");
    for (unsigned i = 0; i < out->nsegs; i++) {
        const struct elf_segment *a = &out->segs[i];

        for (unsigned j = 0; j < i; j++) {
            const struct elf_segment *b = &out->segs[j];

            if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
                return fail(err, errlen, "segments %u and %u overlap", j, i);
        }
    }
    int entry_ok = 0;
    for (unsigned i = 0; i < out->nsegs; i++) {
        const struct elf_segment *a = &out->segs[i];

        if (eh.entry >= a->vaddr && eh.entry < a->vaddr + a->memsz)
            entry_ok = 1;
    }
    if (!entry_ok)
        return fail(err, errlen, "entry point 0x%lx is in no segment", (unsigned long)eh.entry);
    out->entry = eh.entry;
    return 0;
}
