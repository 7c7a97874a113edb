/*
 * A PD image for the tests of tools/system.py that names its IPC buffer
 * address with the symbol __sel4_ipc_buffer_obj (set by the Makefile with
 * --defsym, as Microkit's linker script would): the tool must use it.
 */
void _start(void)
{
    for (;;)
        ;
}
