/* panic(): report and stop the machine with a status the test runner sees. */
#include "panic.h"
#include "printf.h"
#include "arch.h"
#include "plat.h"

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    kprintf("\n*** ARCA KERNEL PANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    arch_machine_exit(EXIT_PANIC);
}
