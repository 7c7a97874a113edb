/*
 * Arca-only debug system call numbers (not in seL4), shared by the kernel
 * and user level. They sit far below seL4's numbers (-1..-30).
 */
#pragma once

/*
 * Preemption statistics (docs/preemption.md). In: RDI = 1 to reset them
 * after reading. Out: RDI = operations stopped at a preemption point,
 * RSI = most work units done in one kernel entry, R10 = longest stretch
 * without a preemption check in TSC cycles, R8 = work units between checks.
 */
#define ARCA_SYS_DEBUG_PREEMPT_STATS    (-100)
