/*
 * Loading the root task's ELF image (boot.md §2). Checking and loading are
 * pure so that host tests can run them over crafted files.
 */
#ifndef ELF_H
#define ELF_H

#include "types.h"

struct elf_image {
    vaddr_t start;      /* lowest p_vaddr over segments with p_memsz > 0 */
    vaddr_t end;        /* highest p_vaddr + p_memsz, rounded up to 4 KiB */
    vaddr_t entry;
};

/* The largest root-task image the kernel accepts (keeps boot allocation sane). */
#define ELF_MAX_IMAGE_SIZE (1UL << 30)

/*
 * Validates the file and computes its extent. On failure returns false and
 * sets *why to a short reason.
 */
bool elf_check(const uint8_t *file, size_t size, struct elf_image *img, const char **why);

/*
 * Copies every PT_LOAD segment into dest, which holds [img->start, img->end)
 * and is already zeroed. Other segment types (PT_TLS etc.) are not copied:
 * they lie inside PT_LOAD segments, and zeroing a PT_TLS .tbss range would
 * overwrite whatever follows .tdata.
 */
void elf_load(const uint8_t *file, uint8_t *dest, const struct elf_image *img);

#endif
