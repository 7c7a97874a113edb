"""The syscall fuzzer's coverage: which invocation labels and error codes a
run reached (fuzz/coverage.c prints the counts, tools/fuzz.py sums them over
seeds with this module).

A log line "fuzz: cov T L c0 .. c10" counts the root's Calls on a cap of
type T (DebugCapIdentify numbers; 32 = cptr beyond the root CNode) with
label L (53 = labels no object has), c_e of them answered with error e.
"fuzz: covfault F N": N fault messages with fault label F reached the root.
"""
import re

COV = re.compile(r"^fuzz: cov (\d+) (\d+)((?: \d+){11})$")
COVFAULT = re.compile(r"^fuzz: covfault (\d+) (\d+)$")

ERRORS = ["ok", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
          "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
          "NotEnoughMemory"]
FAULTS = {1: "CapFault", 2: "UnknownSyscall", 3: "UserException", 5: "VMFault"}
TYPES = {0: "null", 1: "frame", 2: "untyped", 3: "pt", 4: "ep", 5: "pd", 6: "ntfn",
         7: "pdpt", 8: "reply", 9: "pml4", 10: "cnode", 11: "asidctl", 12: "tcb",
         13: "asidpool", 14: "irqctl", 16: "irq", 18: "zombie", 19: "ioport", 20: "domain",
         31: "ioportctl", 32: "unresolved"}

NOTIFICATION = 6
REPLY = 8

# seL4 16.0.0 x86_64 non-MCS invocation labels (fuzz/fuzz.h), each with the
# cap type it belongs to.
LABELS = [
    (1, "UntypedRetype", 2),
    (2, "TCBReadRegisters", 12), (3, "TCBWriteRegisters", 12), (4, "TCBCopyRegisters", 12),
    (5, "TCBConfigure", 12), (6, "TCBSetPriority", 12), (7, "TCBSetMCPriority", 12),
    (8, "TCBSetSchedParams", 12), (9, "TCBSetIPCBuffer", 12), (10, "TCBSetSpace", 12),
    (11, "TCBSuspend", 12), (12, "TCBResume", 12), (13, "TCBBindNotification", 12),
    (14, "TCBUnbindNotification", 12), (15, "TCBSetTLSBase", 12), (16, "TCBSetFlags", 12),
    (17, "CNodeRevoke", 10), (18, "CNodeDelete", 10), (19, "CNodeCancelBadgedSends", 10),
    (20, "CNodeCopy", 10), (21, "CNodeMint", 10), (22, "CNodeMove", 10),
    (23, "CNodeMutate", 10), (24, "CNodeRotate", 10), (25, "CNodeSaveCaller", 10),
    (26, "IRQIssueIRQHandler", 14), (27, "IRQAckIRQ", 16), (28, "IRQSetIRQHandler", 16),
    (29, "IRQClearIRQHandler", 16),
    (30, "DomainSetSet", 20), (31, "DomainScheduleConfigure", 20),
    (32, "DomainScheduleSetStart", 20),
    (33, "X86PDPTMap", 7), (34, "X86PDPTUnmap", 7), (35, "X86PageDirectoryMap", 5),
    (36, "X86PageDirectoryUnmap", 5), (37, "X86PageTableMap", 3),
    (38, "X86PageTableUnmap", 3), (39, "X86PageMap", 1), (40, "X86PageUnmap", 1),
    (41, "X86PageGetAddress", 1), (42, "X86ASIDControlMakePool", 11),
    (43, "X86ASIDPoolAssign", 13), (44, "X86IOPortControlIssue", 31),
    (45, "X86IOPortIn8", 19), (46, "X86IOPortIn16", 19), (47, "X86IOPortIn32", 19),
    (48, "X86IOPortOut8", 19), (49, "X86IOPortOut16", 19), (50, "X86IOPortOut32", 19),
    (51, "X86IRQIssueIRQHandlerIOAPIC", 14), (52, "X86IRQIssueIRQHandlerMSI", 14),
]


class Coverage:
    def __init__(self):
        self.calls = {}      # (type, label) -> [count per error]
        self.faults = {}     # fault label -> count

    def add_log(self, lines):
        for line in lines:
            m = COV.match(line)
            if m:
                key = (int(m.group(1)), int(m.group(2)))
                row = self.calls.setdefault(key, [0] * len(ERRORS))
                for e, c in enumerate(m.group(3).split()):
                    row[e] += int(c)
                continue
            m = COVFAULT.match(line)
            if m:
                f = int(m.group(1))
                self.faults[f] = self.faults.get(f, 0) + int(m.group(2))

    def empty(self):
        return not self.calls

    def table(self):
        """Every label on its own cap type: calls, then count per error reached."""
        out = [f"{'label':<30} {'calls':>9} {'ok':>9}  errors reached (count)"]
        for label, name, ctype in LABELS:
            row = self.calls.get((ctype, label), [0] * len(ERRORS))
            errs = ", ".join(f"{ERRORS[e]} {row[e]}" for e in range(1, len(ERRORS)) if row[e])
            out.append(f"{name:<30} {sum(row):>9} {row[0]:>9}  {errs or '-'}")
        signal = [0] * len(ERRORS)
        reply = [0] * len(ERRORS)
        wrong = [0] * len(ERRORS)
        for (ctype, label), row in self.calls.items():
            if ctype == NOTIFICATION:
                signal = [a + b for a, b in zip(signal, row)]
            elif ctype == REPLY:
                reply = [a + b for a, b in zip(reply, row)]
            elif not any(label == lb and ctype == ct for lb, _, ct in LABELS):
                wrong = [a + b for a, b in zip(wrong, row)]
        for name, row in (("(Call on a notification: Signal)", signal),
                          ("(Call on a reply cap: Reply)", reply),
                          ("(label on another cap type)", wrong)):
            errs = ", ".join(f"{ERRORS[e]} {row[e]}" for e in range(1, len(ERRORS)) if row[e])
            out.append(f"{name:<30} {sum(row):>9} {row[0]:>9}  {errs or '-'}")
        out.append("fault messages received: " + (", ".join(
            f"{FAULTS.get(f, f)} {c}" for f, c in sorted(self.faults.items())) or "none"))
        return out

    def summary(self):
        own = [self.calls.get((ct, lb), [0] * len(ERRORS)) for lb, _, ct in LABELS]
        invoked = sum(1 for row in own if sum(row))
        succeeded = sum(1 for row in own if row[0])
        errors = [0] * len(ERRORS)
        for row in self.calls.values():
            errors = [a + b for a, b in zip(errors, row)]
        reached = [ERRORS[e] for e in range(1, len(ERRORS)) if errors[e]]
        missing = [name for (lb, name, ct), row in zip(LABELS, own) if not row[0]]
        return (f"{invoked} of {len(LABELS)} labels invoked on their own cap type, "
                f"{succeeded} succeeded at least once"
                + (f" (never: {' '.join(missing)})" if missing else "")
                + f"; error codes returned: {len(reached)} of {len(ERRORS) - 1}"
                + (f" (missing: {' '.join(e for e in ERRORS[1:] if e not in reached)})"
                   if len(reached) < len(ERRORS) - 1 else ""))
