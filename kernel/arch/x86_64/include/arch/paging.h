/* x86_64 paging internals shared inside arch/ (paging.c). */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include "types.h"

paddr_t paging_kernel_root(void);
/* Maps one device page uncached in the kernel's device window. */
volatile void *paging_map_device(paddr_t pa);

#endif
