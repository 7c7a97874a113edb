/*
 * What the root's invocations reached: for every (invoked cap type, label)
 * pair, how many Calls the kernel answered with each error number (0 = no
 * error), and which fault messages arrived. A cptr beyond the root CNode
 * counts as type COV_TYPE_UNRESOLVED (32): the root does not identify it. Printed at the end of a run as
 *
 *   fuzz: cov <ctype> <label> <count for error 0> ... <count for error 10>
 *   fuzz: covfault <fault label> <count>
 *
 * (only non-zero rows), which tools/fuzz.py sums over the seeds of a
 * campaign into a table of labels and error codes. Only the root's own
 * Calls are counted: the children's results stay in the children.
 */
#include "fuzz.h"

#define COV_TYPES   33      /* cap types 0..31 (DebugCapIdentify), COV_TYPE_UNRESOLVED */
#define COV_LABELS  (L_COUNT + 1)   /* the last row: labels no object has */
#define COV_ERRORS  (seL4_NotEnoughMemory + 1)
#define COV_FAULTS  8

static uint32_t calls[COV_TYPES][COV_LABELS][COV_ERRORS];
static uint32_t faults[COV_FAULTS];

static void bump(uint32_t *c)
{
    if (*c != UINT32_MAX)
        (*c)++;
}

void cov_call(unsigned ctype, seL4_Word label, seL4_Word err)
{
    if (ctype >= COV_TYPES || err >= COV_ERRORS)
        return;
    bump(&calls[ctype][label < L_COUNT ? label : L_COUNT][err]);
}

void cov_fault(seL4_Word label)
{
    if (label < COV_FAULTS)
        bump(&faults[label]);
}

void cov_print(void)
{
    for (unsigned t = 0; t < COV_TYPES; t++) {
        for (unsigned l = 0; l < COV_LABELS; l++) {
            uint64_t sum = 0;
            for (unsigned e = 0; e < COV_ERRORS; e++)
                sum += calls[t][l][e];
            if (sum == 0)
                continue;
            out_str("fuzz: cov ");
            out_dec(t);
            out_char(' ');
            out_dec(l);
            for (unsigned e = 0; e < COV_ERRORS; e++) {
                out_char(' ');
                out_dec(calls[t][l][e]);
            }
            out_char('\n');
        }
    }
    for (unsigned f = 0; f < COV_FAULTS; f++) {
        if (faults[f] == 0)
            continue;
        out_str("fuzz: covfault ");
        out_dec(f);
        out_char(' ');
        out_dec(faults[f]);
        out_char('\n');
    }
}
