/* The kernel console: where kprintf and seL4_DebugPutChar output goes. */
#ifndef CONSOLE_H
#define CONSOLE_H

/* Implemented by the platform (plat/pc/serial.c); adds CR before LF. */
void console_putchar(char c);

#endif
