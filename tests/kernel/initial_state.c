/*
 * Captures the FPU control state as the kernel handed it over, before any
 * test runs (a constructor runs before main, after the runtime's setup,
 * which uses no floating point).
 */
#include <stdint.h>

uint32_t initial_mxcsr;
uint16_t initial_fcw;

__attribute__((constructor)) static void capture_initial_fpu_state(void)
{
    __asm__ volatile("stmxcsr %0" : "=m"(initial_mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(initial_fcw));
}
