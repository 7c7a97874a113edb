#!/usr/bin/env python3
"""Runs the syscall fuzzer (fuzz/, `make fuzz`) under QEMU and judges each run.

    tools/fuzz.py --build build --seeds "1 2 3" --ops 20000 [--trace 1]
                  [--invariants N] [--timeout S] [--stop] [--no-build]

For every seed: builds the fuzzer root task with that seed and op count
(`make fuzz-images SEED=s OPS=n TRACE=t`, which recompiles only fuzz/root.c),
boots it with the kernel command line "print_errors=0 halt_when_idle=50
invariants=N" and a timeout that grows with the op count, and decides:

  PASS  the task printed "fuzz: seed S ops N done, ..." and the kernel
        halted normally (seL4_DebugHalt by the fuzzer's root thread);
  FAIL  anything else: kernel panic or exception, timeout (hang), the root
        task stopped (it faulted, so the system went idle), a "fuzz: FAIL"
        line (the fuzzer saw the kernel break a rule), or no done line.

On failure it prints the seed, the op count, the log path, how to replay,
and the last lines of the log (the per-call trace, or the fuzzer's dump of
its last operations, and the kernel's report). Exit status: 0 if every seed
passed, 1 if any failed, 2 if the build failed.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
import fuzzcov  # noqa: E402

DONE = re.compile(r"^fuzz: seed (\d+) ops (\d+) done, (\d+) errors returned, (\d+) threads faulted$")
PROGRESS = re.compile(r"^fuzz: op (\d+)/(\d+): ")
ROOT_NAME = "fuzz-root"
IDLE_TICKS = 50          # 100 ms with nothing runnable: the root task is gone
TAIL_LINES = 40
DEFAULT_INVARIANTS = 100  # the kernel checks its invariants at every 100th exit


def build(build_dir, seed, ops, trace, log):
    cmd = ["make", "--no-print-directory", f"BUILD={build_dir}", f"SEED={seed}",
           f"OPS={ops}", f"TRACE={trace}", "fuzz-images"]
    with open(log, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    return r.returncode == 0


def timeout_for(ops, trace, invariants):
    # ~1 ms per op without the trace on a slow host; the trace costs more,
    # and a frequent invariant check (small N) much more.
    per_op = 0.004 if trace else 0.002
    if invariants:
        per_op *= 1 + 40.0 / invariants
    return 120 + ops * per_op


def judge(r, ops):
    """(ok, reason) for one boot."""
    lines = r.lines
    done = [m for m in (DONE.match(line) for line in lines) if m]
    fails = [line for line in lines if line.startswith("fuzz: FAIL")]
    panic = [line for line in lines if "ARCA KERNEL PANIC" in line or "KERNEL EXCEPTION" in line]
    root_fault = [line for line in lines
                  if line.startswith(f"arca: thread '{ROOT_NAME}'") and "fault handler" in line]
    halted_by = [line for line in lines if line.startswith("arca: halted by thread")]
    if panic:
        return False, "kernel panic: " + "; ".join(p.strip() for p in panic[-2:])
    if fails:
        return False, fails[0]
    if root_fault:
        return False, "the fuzzer's root thread faulted: " + root_fault[0]
    if r.status == "timeout":
        progress = [line for line in lines if PROGRESS.match(line)]
        where = progress[-1] if progress else "no progress line"
        return False, f"timeout after {r.wall_s:.0f} s (hang?); last progress: {where}"
    if r.status == "idle":
        return False, "the system went idle: the root task stopped"
    if r.status != "halt":
        return False, f"kernel stopped with {r.describe()}"
    if halted_by and f"'{ROOT_NAME}'" not in halted_by[-1]:
        return False, "halted by another thread: " + halted_by[-1]
    if not done:
        return False, "no done line"
    if int(done[-1].group(2)) != ops:
        return False, f"done after {done[-1].group(2)} ops, expected {ops}"
    return True, done[-1].group(0)


def run_seed(args, seed, kernel, root, logdir, cov):
    log = os.path.join(logdir, f"seed-{seed}-ops-{args.ops}.log")
    append = f"print_errors=0 halt_when_idle={IDLE_TICKS}"
    if args.invariants:
        append += f" invariants={args.invariants}"
    if args.append:
        append += " " + args.append
    timeout = args.timeout or timeout_for(args.ops, args.trace, args.invariants)
    print(f"fuzz: seed {seed}, {args.ops} ops (timeout {timeout:.0f} s, log {log})", flush=True)
    r = qemu.boot(kernel, root, append=append, timeout=timeout, log=log)
    ok, reason = judge(r, args.ops)
    cov.add_log(r.lines)
    kernel_faults = sum(1 for line in r.lines if "no fault handler, thread suspended" in line)
    if ok:
        print(f"[PASS] seed {seed}: {reason} ({r.wall_s:.1f} s; kernel reported "
              f"{kernel_faults} thread faults without a handler)", flush=True)
        return True
    print(f"[FAIL] seed {seed} ops {args.ops}: {reason}")
    print(f"  log:    {log}")
    print(f"  replay: make fuzz SEED={seed} OPS={args.ops} TRACE={args.trace}"
          + (f" FUZZ_ARGS='--invariants {args.invariants}'"
             if args.invariants != DEFAULT_INVARIANTS else ""))
    print(f"  last {TAIL_LINES} lines of the log:")
    for line in r.lines[-TAIL_LINES:]:
        print("  | " + line)
    sys.stdout.flush()
    return False


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--seeds", default="1", help='one or more seeds, e.g. "1 2 3" or "1-10"')
    p.add_argument("--ops", type=int, default=20000)
    p.add_argument("--trace", type=int, default=1, choices=[0, 1])
    p.add_argument("--invariants", type=int, default=DEFAULT_INVARIANTS,
                   help="kernel invariant check at every Nth kernel exit (invariants=N on the "
                        "kernel command line; 0: not passed; ignored by kernels without it)")
    p.add_argument("--append", default="", help="more kernel command line options")
    p.add_argument("--timeout", type=float, help="seconds per boot (default scales with --ops)")
    p.add_argument("--coverage", action="store_true",
                   help="print the table of labels and error codes reached (always written to "
                        "BUILD/fuzzer/coverage.txt)")
    p.add_argument("--stop", action="store_true",
                   help="stop at the first failing seed (default: run them all)")
    p.add_argument("--no-build", action="store_true",
                   help="boot the images as they are (one seed: the one compiled in)")
    args = p.parse_args()

    seeds = []
    for part in args.seeds.replace(",", " ").split():
        if re.fullmatch(r"\d+-\d+", part):
            lo, hi = (int(x) for x in part.split("-"))
            seeds.extend(range(lo, hi + 1))
        else:
            seeds.append(int(part))
    if not seeds:
        p.error("no seeds")

    kernel = os.path.join(args.build, "kernel32.elf")
    root = os.path.join(args.build, "fuzzer", "fuzzer.elf")
    logdir = os.path.join(args.build, "fuzzer", "logs")
    os.makedirs(logdir, exist_ok=True)
    build_log = os.path.join(logdir, "build.log")

    passed, failed = [], []
    cov = fuzzcov.Coverage()
    start = time.monotonic()
    for seed in seeds:
        if not args.no_build and not build(args.build, seed, args.ops, args.trace, build_log):
            with open(build_log) as f:
                tail = f.read().splitlines()[-30:]
            print("\n".join(tail))
            print(f"fuzz: build failed; log: {build_log}")
            return 2
        if run_seed(args, seed, kernel, root, logdir, cov):
            passed.append(seed)
        else:
            failed.append(seed)
            if args.stop:
                break
    if not cov.empty():
        path = os.path.join(args.build, "fuzzer", "coverage.txt")
        with open(path, "w") as f:
            f.write(f"seeds {args.seeds}, {args.ops} ops each (the root's Calls)\n")
            f.write("\n".join(cov.table()) + "\n")
        print(f"fuzz: coverage: {cov.summary()}; table: {path}")
        if args.coverage:
            print("\n".join(cov.table()))
    print(f"fuzz: {len(passed)} seeds passed, {len(failed)} failed"
          + (f" (failed: {' '.join(map(str, failed))})" if failed else "")
          + f"; {time.monotonic() - start:.0f} s")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
