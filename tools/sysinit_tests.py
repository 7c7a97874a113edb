#!/usr/bin/env python3
"""SYSTEM_*: the system initialiser and monitor, booted with the test system
(tests/sysinit/systest.system, built into build/sysinit/systest/sysinit.elf).
SYSINIT_*: the initialiser's spec and ELF decoders on the host under ASan
(build/host/sysinit-spec-tests, tests/sysinit/host/test_spec.c).

The PDs check what they can see themselves and print [PASS]/[FAIL] lines
(notify, shared region, ppcall, restart label, monitor protocol, heap,
isolation of caps); this runner checks the monitor's decoded fault lines
and the shape of the whole run.

    tools/sysinit_tests.py [--build build]    runs them alone
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

TIMEOUT = 60
HEX = r"0x[0-9a-f]+"
PD_NAMES = ["alpha", "beta", "server", "stopper", "isolated", "hello", "parent", "echo", "looper"]
# Checks the PDs report themselves.
IN_PD = ["SYSTEM_0002", "SYSTEM_0003", "SYSTEM_0004", "SYSTEM_0005", "SYSTEM_0006",
         "SYSTEM_0007", "SYSTEM_0008", "SYSTEM_0009", "SYSTEM_0010", "SYSTEM_0013",
         "SYSTEM_0014", "SYSTEM_0015", "SYSTEM_0019", "SYSTEM_0020",
         "SYSTEM_0022", "SYSTEM_0023", "SYSTEM_0024", "SYSTEM_0025"]
RESULT = re.compile(r"^\[(PASS|FAIL)\] (SYSTEM_\d{4})(?:: (.*))?$")


def count(lines, pattern):
    rx = re.compile(pattern)
    return sum(1 for line in lines if rx.search(line))


def run_host(build):
    """The decoder tests: [(name, ok, reason)]."""
    binary = os.path.join(build, "host", "sysinit-spec-tests")
    blob = os.path.join(build, "system", "systest", "sysspec.bin")
    log = os.path.join(build, "logs", "sysinit-spec-tests.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    try:
        proc = subprocess.run([binary, blob], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        return [("SYSINIT_0001", False, f"cannot run {binary}: {e}")]
    with open(log, "w") as f:
        f.write(proc.stdout + proc.stderr)
    out = []
    for line in proc.stdout.splitlines():
        m = re.match(r"^\[(PASS|FAIL)\] (SYSINIT_\d{4})(?:: (.*))?$", line)
        if m:
            out.append((m.group(2), m.group(1) == "PASS", f"{m.group(3)}; log: {log}"))
    if len(out) != 5 or (proc.returncode != 0 and all(ok for _, ok, _ in out)):
        out.append(("SYSINIT_0006", False, f"decoder tests did not finish cleanly "
                    f"(exit {proc.returncode}, ASan?); log: {log}"))
    return out


def run(build):
    """Returns [(name, ok, reason)]."""
    return run_host(build) + run_system(build)


def run_system(build):
    kernel = os.path.join(build, "kernel32.elf")
    root = os.path.join(build, "sysinit", "systest", "sysinit.elf")
    log = os.path.join(build, "logs", "sysinit-systest.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    r = qemu.boot(kernel, root, append="halt_when_idle=50", timeout=TIMEOUT, log=log)
    lines = r.lines
    out = []

    def check(name, ok, reason):
        out.append((name, bool(ok), "" if ok else f"{reason}; log: {log}"))

    seen = {}
    for line in lines:
        m = RESULT.match(line)
        if m:
            seen.setdefault(m.group(2), []).append((m.group(1), m.group(3) or ""))

    started = [n for n in PD_NAMES if count(lines, rf"^{n}: started \(restart 0\)") == 1]
    check("SYSTEM_0001", count(lines, r"^sysinit: all PDs started; monitoring$") == 1
          and len(started) == len(PD_NAMES),
          f"not every PD started once (started: {', '.join(started) or 'none'})")

    for name in IN_PD:
        got = seen.get(name)
        if not got:
            check(name, False, "the PD never reported this check")
        elif len(got) != 1:
            check(name, False, f"reported {len(got)} times")
        else:
            check(name, got[0][0] == "PASS", got[0][1])

    check("SYSTEM_0011",
          count(lines, rf"^monitor: PD 'server' faulted: VMFault at ip {HEX}, address 0x0 "
                       r"\(write\); restarting \(restart 1\)$") == 1
          and count(lines, r"^server: started \(restart 1\)$") == 1,
          "no single decoded fault line for 'server' followed by its restart")
    check("SYSTEM_0012",
          count(lines, rf"^monitor: PD 'stopper' faulted: UserException at ip {HEX}, vector 6, "
                       r"code 0x0; stopped$") == 2
          and count(lines, r"^stopper: started") == 2 and count(lines, "SURVIVED") == 0,
          "the stop-policy PD was not reported and stopped at each of its two starts")
    check("SYSTEM_0016",
          count(lines, rf"^monitor: PD 'isolated' faulted: VMFault at ip {HEX}, address "
                       r"0x50000000 \(read\); restarting \(restart 1\)$") == 1
          and count(lines, rf"^monitor: PD 'isolated' faulted: VMFault at ip {HEX}, address "
                           r"0x11000000 \(write\); restarting \(restart 2\)$") == 1
          and count(lines, r"^isolated microkit_notify: invalid channel given '5'$") == 1
          and count(lines, r"^isolated microkit_ppcall: invalid channel given '6'$") == 1
          and count(lines, r"^isolated microkit_irq_ack: invalid channel given '7'$") == 1
          and count(lines, r"^hello: notified on channel 3$") == 2,
          "isolation: missing decoded fault lines or library refusals")
    check("SYSTEM_0026",
          count(lines, rf"^monitor: PD 'isolated' faulted: CapFault at ip {HEX}, cptr 0x10000 "
                       r"\(send phase, guard mismatch\); restarting \(restart 3\)$") == 1
          and count(lines, rf"^monitor: PD 'isolated' faulted: UnknownSyscall at ip {HEX}, "
                           r"number 12345; restarting \(restart 4\)$") == 1,
          "no decoded CapFault / UnknownSyscall lines for 'isolated'")
    loops = count(lines, rf"^monitor: PD 'looper' faulted: UserException at ip {HEX}, vector 6, "
                         r"code 0x0; restarting \(restart \d+\)$")
    check("SYSTEM_0027",
          loops >= 9 and count(lines, rf"^monitor: PD 'looper' faulted: UserException at ip "
                                      rf"{HEX}, vector 6, code 0x0; stopped \(crash loop: 10 "
                                      r"faults in a row within 1000 ms of a restart\)$") == 1
          and count(lines, r"^looper: started") == loops + 1,
          f"the crash-looping PD was not stopped after its limit ({loops} restarts)")
    check("SYSTEM_0017",
          count(lines, r"^monitor: crashing PD 'beta' on request of 'alpha'$") == 1
          and count(lines, r"^monitor: PD 'beta' faulted: VMFault at ip 0x0, address 0x0 "
                           r"\(instruction fetch\); restarting \(restart 1\)$") == 1
          and count(lines, r"^beta: started \(restart 1\)$") == 1,
          "monitor CRASH of 'beta': no decoded fault line or no restart")
    check("SYSTEM_0021",
          count(lines, r"^kid: run 1$") == 1 and count(lines, r"^kid: run 2$") == 1
          and count(lines, r"^parent: stopped kid$") == 1
          and count(lines, r"^monitor: PD 'kid'") == 0,
          "the child's fault went elsewhere, or it did not run exactly twice")
    problems = []
    if r.status != "idle":
        problems.append(f"expected the system to go idle, got {r.describe()}")
    for marker in ("alpha: done", "isolated: done"):
        if count(lines, rf"^{re.escape(marker)}$") != 1:
            problems.append(f"no '{marker}'")
    if count(lines, r"no fault handler|did not fault|unexpected|cannot"):
        problems.append("unexpected output (unhandled fault or error line)")
    check("SYSTEM_0018", not problems, "; ".join(problems))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    args = p.parse_args()
    results = run(args.build)
    for name, ok, reason in results:
        print(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
