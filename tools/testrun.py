#!/usr/bin/env python3
"""Runs every test `make test` knows and prints one combined verdict.

  1. host unit tests (build/host/host-tests, ASan + UBSan)
  2. the in-QEMU test suite (build/tests/kernel-tests.elf as root task)
  3. crash boots: root tasks that fault with no handler
     (build/tests/crash-*.elf); the kernel must report the fault decoded,
     suspend the thread, and keep running until halt_when_idle stops it.
  4. UART_0001: a user-level COM2 driver (build/tests/uart.elf) with COM2 on
     a UNIX socket; the runner sends a line and expects it echoed back.
  5. SYSDESC_*: the .system tool (tools/system_tests.py): invalid
     descriptions rejected with their exact message, valid ones packed and
     decoded back (in Python and through the C header).
  6. SYSTEM_*: the system initialiser and monitor with the test system
     (tools/sysinit_tests.py, tests/sysinit/).
  7. FS_005x, FS_01xx: mkfs.py images checked by build/host/fsck, and the
     storage stack booted twice on one disk (tools/fstests.py, tests/fs/).
  8. E2E_*: the default system end to end: the shell driven over COM1
     (tools/e2e.py), run alone so its boot time is not skewed.
  9. TUTORIAL_*: docs/tutorial.md's files built and booted as the page says
     (tools/tutorial_test.py).
  10. LATENCY_0001/0002: the interrupt-latency boot (build/tests/latency.elf)
      under QEMU -icount; with preempt=0 the same test must detect the
      unbounded kernel entry.
  11. FUZZ_0001/0002: the syscall fuzzer (tools/fuzz.py) from fixed seeds,
      120,000 operations with the invariant checker, half of them with
      preempt=stress.
  12. FUZZHOST_0001-0007: the host fuzz targets without libFuzzer
      (tests/fuzz/replay.c, gcc + ASan/UBSan): seed corpus, kept findings
      and 20,000 seeded mutations each.

The kernel invariant checker (invariants=N: a full check at every Nth
kernel exit) is on in every kernel-test boot except the latency boots, whose
figures it would distort: N=1009 in the main suite, 101 in its fastpath=0
run, 31 in its preempt=stress run, 101 in the domain suite and UART boot, 1
in the crash boots, 100 in the fuzzer runs (docs/preemption.md). The
system-level boots (5-9) run as their tools start them.

Output: one line per test, "[PASS] NAME" or "[FAIL] NAME: reason", and
"N passed, N failed" alone on the last line. Exit status 1 on any failure.
"""
import argparse
import glob
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
import system_tests  # noqa: E402
import fstests  # noqa: E402
import sysinit_tests  # noqa: E402
import e2e  # noqa: E402
import tutorial_test  # noqa: E402

RESULT = re.compile(r"^\[(PASS|FAIL)\] ([A-Z][A-Z0-9]*_\d{4})(?:: (.*))?$")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
IDLE_TICKS = 25         # 50 ms of idle after the fault, then the kernel stops QEMU
CRASH_TIMEOUT = 60
SUITE_TIMEOUT = 300
UART_TIMEOUT = 90       # the whole boot
UART_STEP_TIMEOUT = 30  # each wait inside it (ready line, echo, connect)
LATENCY_TIMEOUT = 300
ICOUNT = ["-icount", "shift=0,sleep=off"]
# make test's fuzzing: (name, seeds, ops per seed, extra kernel options).
FUZZ_RUNS = [
    ("FUZZ_0001", "1 2", 30000, ""),
    ("FUZZ_0002", "3 4", 30000, "preempt=stress preempt_units=3"),
]
UART_LINE = b"arca uart echo test: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ ~!@#$%^&*()\n"

HEX = r"0x[0-9a-f]+"


def report(thread, what):
    return (rf"^arca: thread '{re.escape(thread)}' \(tcb {HEX}\): {what}; "
            r"no fault handler, thread suspended$")


# name, scenario, the kernel line expected (regex)
CRASHES = [
    ("CRASH_0001", "null", report("crash-null", rf"VMFault at ip {HEX}: read from unmapped address 0 \(user, fsr 0x4\)")),
    ("CRASH_0002", "ud2", report("crash-ud2", rf"UserException at ip {HEX}: vector 6 \(#UD invalid opcode\), code 0")),
    ("CRASH_0003", "syscall", report("crash-syscall", rf"UnknownSyscall at ip {HEX}: number 12345 \(0x3039\)")),
    # The #GP error code for `int N` names IDT entry N: N*8+2 on hardware
    # (0x402); QEMU's TCG computes N*16+2 (0x802). The kernel passes it on.
    ("CRASH_0004", "int80", report("crash-int80", rf"UserException at ip {HEX}: vector 13 \(#GP general protection\), code 0x(402|802)")),
    ("CRASH_0005", "hlt", report("crash-hlt", rf"UserException at ip {HEX}: vector 13 \(#GP general protection\), code 0")),
    ("CRASH_0006", "kernel-read", report("crash-kernel-read", rf"VMFault at ip {HEX}: read from protected address 0xffffffff80108000 \(user, fsr 0x5\)")),
    ("CRASH_0007", "kernel-write", report("crash-kernel-write", rf"VMFault at ip {HEX}: write to protected address 0xffffff8000100000 \(user, fsr 0x7\)")),
    ("CRASH_0008", "nx", report("crash-nx", r"VMFault at ip (0x[0-9a-f]+): instruction fetch from protected address \1 \(user, fsr 0x15\)")),
    ("CRASH_0009", "capfault", report("crash-capfault", rf"CapFault at ip {HEX}: cptr 0x10000000000 \(send phase\), guard mismatch, 64 bits left")),
    ("CRASH_0010", "softint", report("crash-softint", rf"UnknownSyscall at ip {HEX}: number \d+ \(0xc8000123\)")),
    ("CRASH_0011", "div0", report("crash-div0", rf"UserException at ip {HEX}: vector 0 \(#DE divide error\), code 0")),
    ("CRASH_0013", "flags", report("crash-flags", rf"UnknownSyscall at ip {HEX}: number 12345 \(0x3039\)")),
    ("CRASH_0012", "recv", report("crash-recv", rf"CapFault at ip {HEX}: cptr 0x1 \(receive phase\), missing capability, 0 bits left")),
]


# Kernel-mode failures on purpose (kernel command line selftest=...): the
# report must be complete and QEMU must exit with the panic status.
SELFTESTS = [
    ("KERNEL_0001", "kernel-fault", [
        r"^\*\*\* KERNEL EXCEPTION: vector 14 \(#PF page fault\), error code 0x0$",
        r"^RIP ffffffff8[0-9a-f]+  CS 0008  RFLAGS [0-9a-f]{16}$",
        r"^RSP [0-9a-f]{16}  SS [0-9a-f]{4}  CR2 ffff800000000000  CR3 [0-9a-f]{16}$",
        r"^RAX [0-9a-f]{16}  RBX [0-9a-f]{16}  RCX [0-9a-f]{16}  RDX [0-9a-f]{16}$",
        r"^R13 [0-9a-f]{16}  R14 [0-9a-f]{16}  R15 [0-9a-f]{16}  CR0 [0-9a-f]{16}  CR4 [0-9a-f]{16}$",
        r"^current thread: 'idle' ",
        r"^\*\*\* ARCA KERNEL PANIC: unrecoverable exception in kernel mode$"]),
    ("KERNEL_0002", "assert", [
        r"^\*\*\* ARCA KERNEL PANIC: assertion failed: selftest\[0\] == '\\0' at kernel/core/boot\.c:\d+$"]),
]


class Results:
    def __init__(self):
        self.lines = []

    def add(self, name, ok, reason=""):
        self.lines.append(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}")

    def add_line(self, line):
        self.lines.append(line)

    def counts(self):
        passed = sum(1 for line in self.lines if line.startswith("[PASS]"))
        return passed, len(self.lines) - passed


def test_lines(lines):
    """The [PASS]/[FAIL] lines of a log, and its summary counts if present."""
    found, summary = [], None
    for line in lines:
        if RESULT.match(line):
            found.append(line)
        m = SUMMARY.match(line)
        if m:
            summary = (int(m.group(1)), int(m.group(2)))
    return found, summary


def run_host_tests(build, results):
    binary = os.path.join(build, "host", "host-tests")
    log = os.path.join(build, "logs", "host-tests.log")
    proc = subprocess.run([binary], capture_output=True, text=True, timeout=600)
    with open(log, "w") as f:
        f.write(proc.stdout + proc.stderr)
    found, summary = test_lines(proc.stdout.splitlines())
    for line in found:
        results.add_line(line)
    if summary is None or proc.returncode not in (0, 1) or summary[0] + summary[1] != len(found):
        results.add("HOST_SUITE", False, f"host tests did not finish cleanly "
                    f"(exit {proc.returncode}); log: {log}")


def run_qemu_suite(build, kernel, results):
    log = os.path.join(build, "logs", "kernel-tests.log")
    # The suite provokes many invocation errors on purpose: keep the log quiet.
    r = qemu.boot(kernel, os.path.join(build, "tests", "kernel-tests.elf"),
                  append="print_errors=0 invariants=1009",
                  timeout=qemu.timeout_seconds(None) if os.environ.get("ARCA_QEMU_TIMEOUT")
                  else SUITE_TIMEOUT, log=log)
    found, summary = test_lines(r.lines)
    for line in found:
        results.add_line(line)
    problems = []
    if r.status != "halt":
        problems.append(f"kernel stopped with {r.describe()}")
    if summary is None:
        problems.append("no summary line")
    elif summary[0] + summary[1] != len(found):
        problems.append(f"summary says {summary[0] + summary[1]} tests, saw {len(found)}")
    if problems:
        results.add("QEMU_SUITE", False, "; ".join(problems) + f"; log: {log}")
    return r


def run_slowpath_suite(build, kernel, results):
    """The whole suite again with the IPC fastpath off (both paths must agree)
    and the kernel invariant checker on (every 101st kernel exit)."""
    log = os.path.join(build, "logs", "kernel-tests-slowpath.log")
    r = qemu.boot(kernel, os.path.join(build, "tests", "kernel-tests.elf"),
                  append="print_errors=0 fastpath=0 invariants=101", timeout=SUITE_TIMEOUT,
                  log=log)
    found, summary = test_lines(r.lines)
    failed = [line.split()[1].rstrip(":") for line in found if line.startswith("[FAIL]")]
    if r.status != "halt" or summary is None:
        results.add("SLOWPATH_0001", False, f"suite did not finish (an invariant violation "
                    f"panics the kernel): {r.describe()}; log: {log}")
    elif failed:
        results.add("SLOWPATH_0001", False, f"{len(failed)} tests fail with fastpath=0: "
                    f"{', '.join(failed[:8])}; log: {log}")
    else:
        results.add("SLOWPATH_0001", True)


def run_stress_suite(build, kernel, results):
    """The whole suite with every preemptible operation stopped and restarted
    every 3 work units (preempt=stress) and the invariants checked at every
    31st kernel exit: every restart path, consistent at every stop."""
    log = os.path.join(build, "logs", "kernel-tests-stress.log")
    r = qemu.boot(kernel, os.path.join(build, "tests", "kernel-tests.elf"),
                  append="print_errors=0 invariants=31 preempt=stress preempt_units=3",
                  timeout=SUITE_TIMEOUT, log=log)
    found, summary = test_lines(r.lines)
    failed = [line.split()[1].rstrip(":") for line in found if line.startswith("[FAIL]")]
    if r.status != "halt" or summary is None:
        results.add("STRESS_0001", False, f"suite did not finish (an invariant violation "
                    f"panics the kernel): {r.describe()}; log: {log}")
    elif failed:
        results.add("STRESS_0001", False, f"{len(failed)} tests fail with preempt=stress: "
                    f"{', '.join(failed[:8])}; log: {log}")
    else:
        results.add("STRESS_0001", True)


def run_latency(build, kernel):
    """LATENCY_0001 as the latency boot reports it, then LATENCY_0002: the
    same boot with preempt=0 must fail it (the test sees unbounded entries)."""
    out = []
    root = os.path.join(build, "tests", "latency.elf")
    for name, extra in (("LATENCY_0001", ""), ("LATENCY_0002", " preempt=0")):
        log = os.path.join(build, "logs", f"latency{extra.strip().replace('=', '')}.log")
        r = qemu.boot(kernel, root, append="print_errors=0" + extra, timeout=LATENCY_TIMEOUT,
                      log=log, extra_args=ICOUNT)
        found, summary = test_lines(r.lines)
        figure = next((line for line in r.lines if line.startswith("latency: ")), None)
        if r.status != "halt" or summary is None or figure is None:
            out.append((name, False, f"latency boot did not finish: {r.describe()}; log: {log}"))
            continue
        passed = any(line == "[PASS] LATENCY_0001" for line in found)
        if name == "LATENCY_0001":
            out.append((name, passed, "" if passed else
                        f"{next((x for x in found if x.startswith('[FAIL]')), '?')}; log: {log}"))
        else:
            unbounded = any("ran unbounded" in line for line in found)
            out.append((name, unbounded, "" if unbounded else
                        f"with preempt=0 the latency test did not see an unbounded entry "
                        f"({figure}); log: {log}"))
    return out


def run_fuzz(build):
    """The syscall fuzzer from fixed seeds (tools/fuzz.py builds and judges)."""
    out = []
    here = os.path.dirname(os.path.abspath(__file__))
    for name, seeds, ops, append in FUZZ_RUNS:
        log = os.path.join(build, "logs", f"{name.lower()}.log")
        cmd = [sys.executable, os.path.join(here, "fuzz.py"), "--build", build, "--seeds", seeds,
               "--ops", str(ops), "--trace", "0", "--invariants", "100"]
        if append:
            cmd += ["--append", append]
        with open(log, "w") as f:
            proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=1800)
        with open(log) as f:
            lines = f.read().splitlines()
        fails = [line for line in lines if line.startswith("[FAIL]")]
        if proc.returncode == 0:
            out.append((name, True, ""))
        else:
            why = fails[0] if fails else f"tools/fuzz.py exit {proc.returncode}"
            out.append((name, False, f"{why} (seeds {seeds}, {ops} ops each"
                        + (f", {append}" if append else "") + f"); log: {log}"))
    return out


# The host fuzz targets without libFuzzer (tests/fuzz/replay.c, built with gcc,
# ASan and UBSan): each over its seed corpus, its kept findings and this many
# seeded random mutations of them.
FUZZ_REPLAY = [("FUZZHOST_0001", "cspace"), ("FUZZHOST_0002", "cdt"), ("FUZZHOST_0003", "elf"),
               ("FUZZHOST_0004", "mmap"), ("FUZZHOST_0005", "acpi"), ("FUZZHOST_0006", "msginfo"),
               ("FUZZHOST_0007", "fscore")]
FUZZ_REPLAY_MUTATIONS = 20000


def run_fuzz_replay(build):
    out = []
    rdir = os.path.join(build, "fuzz-replay")
    for name, target in FUZZ_REPLAY:
        log = os.path.join(build, "logs", f"fuzzhost-{target}.log")
        findings = sorted(glob.glob(os.path.join("tests", "fuzz", "findings", target + "-*")))
        cmd = [os.path.join(rdir, f"replay_{target}"), target, str(FUZZ_REPLAY_MUTATIONS), "1",
               os.path.join("tests", "fuzz", "corpus", target)] + findings
        env = dict(os.environ, REPLAY_CRASH_DIR=rdir)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
            text, code = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired:
            text, code = "timeout after 600 s\n", None
        with open(log, "w") as f:
            f.write(text)
        if code == 0:
            out.append((name, True, ""))
        else:
            checks = [l for l in text.splitlines() if "fuzz check failed" in l or "ERROR:" in l]
            why = checks[0].strip("= ") if checks else f"exit {code}"
            out.append((name, False, f"{target}: {why}; log: {log}"))
    return out


def run_domain_suite(build, results):
    """The multi-domain suite on a kernel built with DOMAINS=4."""
    log = os.path.join(build, "logs", "domain-tests.log")
    dbuild = os.path.join(build, "domains")
    r = qemu.boot(os.path.join(dbuild, "kernel32.elf"),
                  os.path.join(dbuild, "tests", "domains.elf"),
                  append="print_errors=0 invariants=101", timeout=SUITE_TIMEOUT, log=log,
                  # DOMAIN_0101 tells a domain window from a stray run by how
                  # long the root was away; on a loaded host QEMU delivers
                  # late timer ticks in bursts that squeeze a window below
                  # its threshold. With icount virtual time follows the
                  # instructions, so windows keep their length.
                  extra_args=ICOUNT)
    found, summary = test_lines(r.lines)
    for line in found:
        results.add_line(line)
    if r.status != "halt" or summary is None or summary[0] + summary[1] != len(found):
        results.add("DOMAIN_SUITE", False, f"multi-domain suite did not finish cleanly: "
                    f"{r.describe()}; log: {log}")


def run_crash(build, kernel, name, scenario, expected):
    log = os.path.join(build, "logs", f"crash-{scenario}.log")
    r = qemu.boot(kernel, os.path.join(build, "tests", f"crash-{scenario}.elf"),
                  append=f"halt_when_idle={IDLE_TICKS} invariants=1", timeout=CRASH_TIMEOUT,
                  log=log)
    pattern = re.compile(expected)
    if not any(line == f"crash: {scenario}: about to fault" for line in r.lines):
        return name, False, f"the crash task never started ({r.describe()}); log: {log}"
    if any("SURVIVED" in line for line in r.lines):
        return name, False, f"the faulting thread kept running; log: {log}"
    if not any(pattern.search(line) for line in r.lines):
        return name, False, f"no matching fault report from the kernel; log: {log}"
    if r.status != "idle":
        return name, False, f"kernel did not keep running after the fault: {r.describe()}; log: {log}"
    return name, True, ""


def run_selftest(build, kernel, name, selftest, expected):
    log = os.path.join(build, "logs", f"selftest-{selftest}.log")
    r = qemu.boot(kernel, os.path.join(build, "user", "root.elf"),
                  append=f"selftest={selftest}", timeout=CRASH_TIMEOUT, log=log)
    for pattern in expected:
        if not any(re.search(pattern, line) for line in r.lines):
            return name, False, f"missing report line /{pattern}/; log: {log}"
    if r.status != "panic":
        return name, False, f"expected the panic exit status, got {r.describe()}; log: {log}"
    return name, True, ""


def uart_exchange(path, message, timeout):
    """Connects to the COM2 socket, sends message, returns what came back
    (stops at len(message) bytes or after timeout seconds)."""
    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        while True:
            try:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
        sock.sendall(message)
        got = b""
        while len(got) < len(message):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        return got
    finally:
        sock.close()


def run_uart(build, kernel, name="UART_0001"):
    """Boots the COM2 driver with COM2 on a UNIX socket; after "uart: ready"
    sends UART_LINE, expects it echoed byte for byte, then "uart: done N
    bytes" and the DebugHalt exit status."""
    log = os.path.join(build, "logs", "uart.log")
    root = os.path.join(build, "tests", "uart.elf")
    tmpdir = tempfile.mkdtemp(prefix="arca-uart-")
    path = os.path.join(tmpdir, "com2.sock")
    ready, abort = threading.Event(), threading.Event()
    holder, errors = [], []

    def on_line(line):
        if line.startswith("uart: error"):
            errors.append(line)
            ready.set()
        elif line.startswith("uart: ready"):
            ready.set()

    def run():
        try:
            holder.append(qemu.boot(kernel, root, append="invariants=101",
                                    timeout=UART_TIMEOUT, log=log,
                                    com2=f"unix:{path}", on_line=on_line, abort=abort))
        except Exception as e:      # noqa: BLE001 - reported as the test's failure
            errors.append(f"runner: {e!r}")
        ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    problem, echo = None, b""
    try:
        if not ready.wait(UART_STEP_TIMEOUT):
            problem = f"no 'uart: ready' within {UART_STEP_TIMEOUT} s"
        elif errors:
            problem = errors[0]
        elif holder:
            problem = "the driver stopped before it was ready"
        else:
            try:
                echo = uart_exchange(path, UART_LINE, UART_STEP_TIMEOUT)
            except OSError as e:
                problem = f"COM2 socket: {e}"
            if problem is None and echo != UART_LINE:
                problem = (f"echo mismatch: sent {len(UART_LINE)} bytes, got {len(echo)}: "
                           f"{echo[:80]!r}")
        if problem is not None:
            abort.set()
        thread.join(UART_TIMEOUT + 30)
    finally:
        abort.set()
        shutil.rmtree(tmpdir, ignore_errors=True)
    if thread.is_alive() or not holder:
        return name, False, f"{problem or (errors[0] if errors else 'QEMU did not stop')}; log: {log}"
    r = holder[0]
    if problem is not None:
        return name, False, f"{problem} ({r.describe()}); log: {log}"
    if errors:
        return name, False, f"{errors[0]}; log: {log}"
    done = re.compile(rf"^uart: done {len(UART_LINE)} bytes\b")
    if not any(done.search(line) for line in r.lines):
        return name, False, f"no 'uart: done {len(UART_LINE)} bytes' line; log: {log}"
    if r.status != "halt":
        return name, False, f"expected the DebugHalt exit status, got {r.describe()}; log: {log}"
    return name, True, ""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    args = p.parse_args()
    os.makedirs(os.path.join(args.build, "logs"), exist_ok=True)
    kernel = os.path.join(args.build, "kernel32.elf")
    results = Results()

    run_host_tests(args.build, results)
    for name, ok, reason in system_tests.run(args.build):
        results.add(name, ok, reason)
    suite = run_qemu_suite(args.build, kernel, results)
    run_slowpath_suite(args.build, kernel, results)
    run_stress_suite(args.build, kernel, results)
    run_domain_suite(args.build, results)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        # The fuzzer rebuilds its image per seed: its runs go one after another.
        fuzz = pool.submit(run_fuzz, args.build)
        replay = pool.submit(run_fuzz_replay, args.build)
        jobs = [pool.submit(run_crash, args.build, kernel, *c) for c in CRASHES]
        jobs += [pool.submit(run_selftest, args.build, kernel, *t) for t in SELFTESTS]
        jobs.append(pool.submit(run_uart, args.build, kernel))
        latency = pool.submit(run_latency, args.build, kernel)
        sysinit_job = pool.submit(sysinit_tests.run, args.build)
        fs_job = pool.submit(fstests.run, args.build)
        for job in jobs:
            results.add(*job.result())
        for name, ok, reason in sysinit_job.result():
            results.add(name, ok, reason)
        for name, ok, reason in fs_job.result():
            results.add(name, ok, reason)
        for job in (latency, fuzz, replay):
            for res in job.result():
                results.add(*res)
    e2e_boot_s = e2e.run_e2e(args.build, kernel, results.add)
    for name, ok, reason in tutorial_test.run(args.build):
        results.add(name, ok, reason)

    for line in results.lines:
        print(line)
    if suite.first_user_line_s is not None:
        print(f"(boot: QEMU start to the root task's first line {suite.first_user_line_s:.3f} s; "
              f"logs in {os.path.join(args.build, 'logs')})")
    if e2e_boot_s is not None:
        print(f"(default system: QEMU start to the shell prompt {e2e_boot_s:.3f} s)")
    passed, failed = results.counts()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
