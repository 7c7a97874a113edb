/*
 * A PD image for the tests of tools/system.py that defines none of the
 * variables the tool patches: the spec must carry no patches for it.
 */
void _start(void)
{
    for (;;)
        ;
}
