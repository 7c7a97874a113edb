/* CPU_*: timer interrupts, FPU/SSE state, TLS (boot.md §10). */
#include <stdio.h>
#include <string.h>
#include "framework.h"
#include "probe.h"

#define SPIN_LIMIT 4000000000UL

TEST(CPU_0001, "timer interrupts arrive at the configured 2 ms tick")
{
    uint64_t mhz = test_tsc_mhz();
    EXPECT(mhz > 0, "no TSC frequency in bootinfo");
    const uint64_t window_ms = 100;
    uint64_t start = test_rdtsc();
    uint64_t end = start + window_ms * 1000 * mhz;
    unsigned interrupts = 0;
    while (test_rdtsc() < end) {
        EXPECT(wait_for_interrupt(SPIN_LIMIT), "no interrupt within %lu spins", SPIN_LIMIT);
        interrupts++;
    }
    /* 2 ms ticks: 50 expected; an emulator may lose some, never triple. */
    EXPECT(interrupts >= 5 && interrupts <= 150, "%u interrupts in %lu ms", interrupts,
           (unsigned long)window_ms);
    return PASS;
}

TEST(CPU_0002, "SSE registers survive a timer interrupt")
{
    unsigned char in[256], out[256];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 256; i++)
            in[i] = (unsigned char)(i * 7 + 13 + round);
        memset(out, 0, sizeof(out));
        EXPECT(xmm_across_interrupt(in, out, SPIN_LIMIT), "no interrupt seen");
        for (int i = 0; i < 256; i++)
            EXPECT(in[i] == out[i], "xmm%d byte %d: %u -> %u (round %d)", i / 16, i % 16, in[i],
                   out[i], round);
    }
    return PASS;
}

TEST(CPU_0003, "MXCSR and x87 state survive a timer interrupt")
{
    uint32_t mxcsr_old, mxcsr_set = 0x1F80 | (3u << 13), mxcsr_seen;     /* round to zero */
    uint16_t fcw_old, fcw_set = 0x0F7F, fcw_seen;   /* x87 round to zero, 64-bit precision */
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr_old));
    __asm__ volatile("fnstcw %0" : "=m"(fcw_old));
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr_set));
    __asm__ volatile("fldcw %0" : : "m"(fcw_set));
    int seen = wait_for_interrupt(SPIN_LIMIT);
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr_seen));
    __asm__ volatile("fnstcw %0" : "=m"(fcw_seen));
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr_old));
    __asm__ volatile("fldcw %0" : : "m"(fcw_old));
    EXPECT(seen, "no interrupt seen");
    EXPECT(mxcsr_seen == mxcsr_set, "MXCSR %#x, set %#x", mxcsr_seen, mxcsr_set);
    EXPECT(fcw_seen == fcw_set, "FCW %#x, set %#x", fcw_seen, fcw_set);
    return PASS;
}

TEST(CPU_0004, "initial FPU state is the FNINIT/MXCSR default")
{
    /* The root task has not changed these before main (no float code). */
    extern uint32_t initial_mxcsr;
    extern uint16_t initial_fcw;
    EXPECT(initial_mxcsr == 0x1F80, "MXCSR at start %#x", initial_mxcsr);
    EXPECT(initial_fcw == 0x037F, "FCW at start %#x", initial_fcw);
    return PASS;
}

static __thread unsigned long tls_initialised = 0xFEEDFACEUL;
static __thread unsigned long tls_zeroed[8];

TEST(CPU_0005, "thread-local storage works (FS base, variant II)")
{
    EXPECT(tls_initialised == 0xFEEDFACEUL, "initialised TLS %#lx", tls_initialised);
    for (int i = 0; i < 8; i++)
        EXPECT(tls_zeroed[i] == 0, "tbss word %d = %#lx", i, tls_zeroed[i]);
    uint64_t tp;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
    EXPECT((uint64_t)&tls_initialised < tp, "TLS variable above the thread pointer");
    tls_initialised++;
    seL4_Yield();
    EXPECT(tls_initialised == 0xFEEDFACFUL, "TLS write lost across a syscall");
    return PASS;
}

TEST(CPU_0006, "SSE arithmetic works in user mode")
{
    volatile double x = 2.0;
    double r;
    __asm__ volatile("sqrtsd %1, %0" : "=x"(r) : "x"(x));
    EXPECT(r > 1.41421356 && r < 1.41421357, "sqrt(2) = %ld/1e9", (long)(r * 1e9));
    volatile float a = 1.5f, b = 2.25f;
    EXPECT(a * b == 3.375f, "float multiply");
    return PASS;
}
