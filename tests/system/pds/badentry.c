/*
 * A PD image for the tests of tools/system.py whose entry point (set by
 * the Makefile with --entry) lies outside every segment: the tool must
 * refuse it.
 */
void _start(void)
{
    for (;;)
        ;
}
