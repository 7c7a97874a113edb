/* CPU features found at boot (cpu.c). */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "types.h"

struct cpu_features {
    bool fxsr, sse2, pge, pat, apic, smep, smap, nx, syscall, page_1g;
};

extern struct cpu_features cpu_features;

#endif
