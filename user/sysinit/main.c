/*
 * The system initialiser: the root task of a Microkit-style system.  It
 * decodes the system spec linked into its image, builds every PD from the
 * bootinfo's untyped memory, starts them all, and then stays on as the
 * monitor (monitor.c).  Any inconsistency stops the boot with one line
 * saying what is wrong; no PD starts in a half-built system.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arca/runtime.h>

#include "sysinit.h"

/* The spec blob (ld -r -b binary on a file named sysspec.bin). */
extern const uint8_t _binary_sysspec_bin_start[];
extern const uint8_t _binary_sysspec_bin_end[];

int main(void)
{
    const seL4_BootInfo *bi = arca_bootinfo();
    size_t size = (size_t)(_binary_sysspec_bin_end - _binary_sysspec_bin_start);
    char err[200];

    if (spec_decode(_binary_sysspec_bin_start, size, &g_spec, err, sizeof(err)) != 0) {
        printf("sysinit: bad system spec: %s\n", err);
        return 1;
    }
    printf("sysinit: system '%s': %u PDs, %u regions, %u channels\n", g_spec.system_name,
           g_spec.hdr->n_pds, g_spec.hdr->n_regions, g_spec.hdr->n_channels);
    kobj_init(bi);
    monitor_init(bi);
    if (build_system(err, sizeof(err)) != 0) {
        printf("sysinit: cannot build the system: %s\n", err);
        return 1;
    }
    for (unsigned i = 0; i < g_spec.hdr->n_pds; i++) {
        if (start_pd(&g_pds[i]) != 0) {
            printf("sysinit: cannot start PD '%s'\n", g_pds[i].name);
            return 1;
        }
    }
    printf("sysinit: all PDs started; monitoring\n");
    monitor_run();
}
