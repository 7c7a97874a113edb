/*
 * Crash root tasks: each build of this file (CRASH_NAME = scenario) names
 * itself, announces what it will do, and then does something that must not
 * hurt the kernel: a fault with no handler. The kernel is expected to print
 * one decoded line naming the thread, suspend it, and keep running; the test
 * runner (tools/testrun.py) checks the kernel log and that the kernel idled
 * on until halt_when_idle stopped it.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <sel4/arca.h>

#ifndef CRASH_NAME
#error "build with -DCRASH_NAME=\"scenario\""
#endif

static void crash(const char *what)
{
    if (strcmp(what, "null") == 0) {
        volatile int *p = (volatile int *)0;
        (void)*p;
    } else if (strcmp(what, "ud2") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(what, "syscall") == 0) {
        arca_syscall_raw(12345, 0, 0, 0, 0, 0, 0);
    } else if (strcmp(what, "int80") == 0) {
        __asm__ volatile("int $0x80");
    } else if (strcmp(what, "hlt") == 0) {
        __asm__ volatile("hlt");
    } else if (strcmp(what, "kernel-read") == 0) {
        volatile unsigned long *k = (volatile unsigned long *)0xFFFFFFFF80108000UL;
        (void)*k;
    } else if (strcmp(what, "kernel-write") == 0) {
        volatile unsigned long *k = (volatile unsigned long *)0xFFFFFF8000100000UL;
        *k = 0xBAD;
    } else if (strcmp(what, "nx") == 0) {
        /* The IPC buffer is mapped without execute permission. */
        void (*fn)(void) = (void (*)(void))seL4_GetIPCBuffer();
        fn();
    } else if (strcmp(what, "capfault") == 0) {
        seL4_Call((seL4_CPtr)1 << 40, seL4_MessageInfo_new(0, 0, 0, 0));
    } else if (strcmp(what, "softint") == 0) {
        __asm__ volatile("movq $0x123, %%rax; int $200" ::: "rax", "memory");
    } else if (strcmp(what, "div0") == 0) {
        __asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; cltd; idivl %%ecx"
                         ::: "rax", "rcx", "rdx");
    } else if (strcmp(what, "flags") == 0) {
        /* Hostile RFLAGS into the kernel: NT, DF and AC set, then a syscall
         * that ends in a fault, so the kernel leaves through iretq. */
        __asm__ volatile("pushfq; orq $0x44400, (%%rsp); popfq" ::: "memory", "cc");
        arca_syscall_raw(12345, 0, 0, 0, 0, 0, 0);
    } else if (strcmp(what, "recv") == 0) {
        seL4_Word badge;
        seL4_Recv(seL4_CapInitThreadTCB, &badge);
    }
}

int main(void)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "crash-" CRASH_NAME);
    printf("crash: %s: about to fault\n", CRASH_NAME);
    crash(CRASH_NAME);
    printf("crash: %s: SURVIVED (the fault did not stop the thread)\n", CRASH_NAME);
    return 1;
}
