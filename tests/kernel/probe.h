/* Register probes (probe.S). */
#ifndef TESTS_PROBE_H
#define TESTS_PROBE_H

#include <stdint.h>

enum probe_reg {
    P_RAX, P_RBX, P_RCX, P_RDX, P_RSI, P_RDI, P_RBP, P_R8, P_R9, P_R10, P_R11,
    P_R12, P_R13, P_R14, P_R15, P_COUNT
};

struct probe {
    uint64_t in[P_COUNT];
    uint64_t out[P_COUNT];
};

void probe_syscall(struct probe *p);
void probe_int_ff(struct probe *p);
int wait_for_interrupt(uint64_t max_spins);
int xmm_across_interrupt(const void *in, void *out, uint64_t max_spins);

/* Fills in[] with distinct recognisable values. */
void probe_fill(struct probe *p, uint64_t seed);
extern const char *const probe_reg_names[P_COUNT];

#endif
