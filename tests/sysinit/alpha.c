/*
 * Test system driver: exercises notifications, a shared region, ppcalls,
 * a server crash during a call, and the monitor protocol, printing one
 * [PASS]/[FAIL] line per check.  Steps that need an answer by
 * notification continue in notified().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microkit.h>
#include <arca/monitor.h>
#include <arca/pd.h>

#include "systest.h"

uintptr_t shared;       /* setvar_vaddr */
uintptr_t heap_base;    /* setvar_vaddr */
uint64_t heap_size;     /* setvar_size */
uintptr_t big_vaddr;    /* setvar_vaddr: two 2 MiB pages */
uint64_t big_size;      /* setvar_size */
uintptr_t vga_vaddr;    /* setvar_vaddr: device memory at 0xb8000 */
uint64_t vga_paddr;     /* setvar region_paddr */
uint64_t vga_low_paddr; /* setvar region_paddr */
uint64_t shared_paddr;  /* setvar region_paddr */

static int beta_rounds;

static void result(const char *name, int ok, const char *why)
{
    if (ok)
        printf("[PASS] %s\n", name);
    else
        printf("[FAIL] %s: %s\n", name, why);
}

static seL4_Word server_add(seL4_Word a, seL4_Word b, microkit_msginfo *tag)
{
    microkit_mr_set(0, a);
    microkit_mr_set(1, b);
    *tag = microkit_ppcall(ALPHA_SERVER, microkit_msginfo_new(SERVER_ADD, 2));
    return microkit_mr_get(0);
}

static seL4_Word monitor_call(seL4_Word label, const char *name, seL4_Word arg)
{
    uint64_t w[MONITOR_NAME_WORDS];
    microkit_msginfo tag;

    if (name != NULL) {
        monitor_pack_name(name, w);
        for (int i = 0; i < MONITOR_NAME_WORDS; i++)
            microkit_mr_set(i, w[i]);
        tag = microkit_ppcall(ALPHA_MONITOR, microkit_msginfo_new(label, MONITOR_NAME_WORDS));
    } else {
        microkit_mr_set(0, arg);
        tag = microkit_ppcall(ALPHA_MONITOR, microkit_msginfo_new(label, 1));
    }
    return microkit_msginfo_get_label(tag);
}

/* PD_INFO for `name`: 0 and the fields, or -1. */
static int pd_info(const char *name, seL4_Word *state, seL4_Word *restarts, seL4_Word *faults)
{
    for (seL4_Word i = 0; i < 64; i++) {
        uint64_t w[MONITOR_NAME_WORDS];
        char got[8 * MONITOR_NAME_WORDS];

        if (monitor_call(MONITOR_PD_INFO, NULL, i) != MONITOR_OK)
            return -1;
        for (int k = 0; k < MONITOR_NAME_WORDS; k++)
            w[k] = microkit_mr_get(k);
        monitor_unpack_name(w, got);
        if (strcmp(got, name) == 0) {
            *state = microkit_mr_get(8);
            *restarts = microkit_mr_get(9);
            *faults = microkit_mr_get(10);
            return 0;
        }
    }
    return -1;
}

static void check_heap(void)
{
    char *p;
    int ok;

    ok = arca_heap_init((void *)heap_base, heap_size) == 0;
    p = ok ? malloc(40000) : NULL;      /* more than the built-in heap keeps free */
    ok = p != NULL && (uintptr_t)p >= heap_base && (uintptr_t)p + 40000 <= heap_base + heap_size;
    if (ok) {
        memset(p, 0x5a, 40000);
        free(p);
    }
    result("SYSTEM_0010", ok, "malloc does not use the declared heap region");
}

/* Large pages and a fixed-address device region, and the physical
 * addresses the initialiser patched in. */
static void check_regions(void)
{
    volatile uint64_t *big = (volatile uint64_t *)big_vaddr;
    volatile uint16_t *vga = (volatile uint16_t *)vga_vaddr;
    uint64_t words = big_size / 8;
    int ok = big_size == 0x400000;

    for (uint64_t i = 0; ok && i < words; i += 4096)
        big[i] = i * 0x9e3779b97f4a7c15ull;
    big[words - 1] = 0x1234;
    for (uint64_t i = 0; ok && i < words; i += 4096)
        ok = big[i] == i * 0x9e3779b97f4a7c15ull;
    ok = ok && big[words - 1] == 0x1234;
    result("SYSTEM_0024", ok, "a region of 2 MiB pages does not hold what was written");

    vga[0] = 0x1f41;    /* 'A', white on blue, top left */
    vga[1] = 0x1f42;
    result("SYSTEM_0025",
           vga_paddr == 0xb8000 && vga_low_paddr == 0xa0000 && vga[0] == 0x1f41 && vga[1] == 0x1f42 &&
           shared_paddr != 0 && shared_paddr % 4096 == 0,
           "the fixed-address region or the patched physical addresses are wrong");
}

static void calls_and_monitor(void)
{
    microkit_msginfo tag;
    seL4_Word sum, state, restarts, faults;

    sum = server_add(20, 22, &tag);
    result("SYSTEM_0003", microkit_msginfo_get_label(tag) == 0 &&
           microkit_msginfo_get_count(tag) == 2 && sum == 42 && microkit_mr_get(1) == 0,
           "ppcall to the server gave a wrong answer");

    tag = microkit_ppcall(ALPHA_SERVER, microkit_msginfo_new(SERVER_CRASH, 0));
    result("SYSTEM_0004", microkit_msginfo_get_label(tag) == ARCA_LABEL_PD_RESTARTED,
           "the call to the crashing server did not end with ARCA_LABEL_PD_RESTARTED");

    sum = server_add(1000, 234, &tag);
    result("SYSTEM_0005", microkit_msginfo_get_label(tag) == 0 && sum == 1234 &&
           microkit_mr_get(1) == 1, "the restarted server does not answer correctly");

    microkit_mr_set(0, 0);
    tag = microkit_ppcall(ALPHA_SERVER, microkit_msginfo_new(SERVER_WAIT, 0));
    result("SYSTEM_0022", microkit_msginfo_get_label(tag) == 0 &&
           microkit_mr_get(0) == SERVER_WAIT_ANSWER,
           "a server waiting for a notification inside a call did not answer");

    result("SYSTEM_0006",
           pd_info("stopper", &state, &restarts, &faults) == 0 &&
           state == MONITOR_STATE_STOPPED && restarts == 0 && faults == 1 &&
           pd_info("server", &state, &restarts, &faults) == 0 &&
           state == MONITOR_STATE_RUNNING && restarts == 1 && faults == 1,
           "PD_INFO does not show stopper stopped / server restarted once");

    result("SYSTEM_0007",
           monitor_call(MONITOR_RESTART, "stopper", 0) == MONITOR_OK &&
           pd_info("stopper", &state, &restarts, &faults) == 0 &&
           state == MONITOR_STATE_STOPPED && restarts == 1 && faults == 2,
           "RESTART of stopper: not restarted once and stopped again");

    result("SYSTEM_0009",
           monitor_call(MONITOR_PD_INFO, NULL, 99) == MONITOR_ENOENT &&
           monitor_call(MONITOR_CRASH, "nosuch", 0) == MONITOR_ENOENT &&
           monitor_call(MONITOR_CRASH, "monitor", 0) == MONITOR_EPERM &&
           monitor_call(77, NULL, 0) == MONITOR_EINVAL &&
           monitor_call(MONITOR_CRASH, "stopper", 0) == MONITOR_EINVAL,
           "monitor protocol errors not reported as specified");

    /* Crash beta through the monitor; it restarts, and must work again. */
    if (monitor_call(MONITOR_CRASH, "beta", 0) != MONITOR_OK) {
        result("SYSTEM_0008", 0, "CRASH beta refused");
        return;
    }
    microkit_notify(ALPHA_BETA);
}

void init(void)
{
    unsigned char *p = (unsigned char *)shared;

    printf("alpha: started (restart %lu)\n", arca_pd_restart_count());
    check_heap();
    check_regions();
    for (unsigned i = 0; i < SHARED_SIZE; i++)
        p[i] = PATTERN(i);
    microkit_notify(ALPHA_BETA);
}

void notified(microkit_channel ch)
{
    seL4_Word state, restarts, faults;

    if (ch != ALPHA_BETA) {
        printf("alpha: unexpected notification on %u\n", ch);
        return;
    }
    beta_rounds++;
    if (beta_rounds == 1) {
        result("SYSTEM_0002", 1, "");
        calls_and_monitor();
    } else if (beta_rounds == 2) {
        result("SYSTEM_0008",
               pd_info("beta", &state, &restarts, &faults) == 0 &&
               state == MONITOR_STATE_RUNNING && restarts == 1 && faults == 1,
               "beta was not crashed and restarted exactly once");
        printf("alpha: done\n");
    }
}
