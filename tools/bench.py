#!/usr/bin/env python3
"""Run Arca's benchmark root task (bench/) and compare with seL4 (make bench).

The root task is booted twice under QEMU TCG with instruction counting
(-icount shift=0,sleep=off: rdtsc counts retired instructions, so every
figure is an instruction count and runs are repeatable), the method and
seL4's figures being those of ../shared/bench/README.md:

  boot "fastpath"  kernel command line: print_errors=0
  boot "slowpath"  kernel command line: print_errors=0 fastpath=0

Every row comes from the first boot, except the Call/ReplyRecv rows with 0
and 4 message words, which are taken from both: *_fastpath_* from the first,
*_slowpath_* from the second (same code, fastpath switched off at run time).
The 10-word rows take the slow path in any case (too long for registers).

Besides -icount, QEMU gets `-rtc clock=vm` (the RTC interrupt row needs the
RTC on the virtual clock to be repeatable) and the usual CPU plus rdtscp
(the receiver's read is rdtscp; QEMU's Nehalem model lacks it).  The kernel
command line also has halt_when_idle=100, which only matters if the root
task dies (nothing is ever idle otherwise): the boot then stops at once.

Prints a table (min, median, max over the measured iterations, net of the
overhead; the overhead itself; seL4's figure; ratio Arca/seL4) and writes
--out as {"unit": "instructions", "rows": [{"name", "min", "median", "max",
"sel4", "ratio"}]}.  Exit status 1 if a boot did not halt cleanly, a row
failed or is missing, or --repeat boots disagree.

    bench.py --kernel K --root R [--out FILE] [--logdir DIR] [--repeat N]

--repeat N boots each configuration N times and requires identical output.
Without it, a run whose kernel and root task are byte-identical to those of
the previous run (recorded next to --out) must give the previous numbers.
"""
import argparse
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

BOOTS = [
    ("fastpath", "print_errors=0 halt_when_idle=100"),
    ("slowpath", "print_errors=0 fastpath=0 halt_when_idle=100"),
]

# QEMU: icount, the RTC on the virtual clock, rdtscp.
CPU = qemu.CPU.replace(",enforce", "") + ",+rdtscp,enforce"
QEMU_ARGS = qemu.ICOUNT_ARGS + ["-rtc", "clock=vm", "-cpu", CPU]

# seL4's figures (../shared/bench/README.md, non-MCS, instructions).
SEL4 = {
    "call_fp_same": 207, "rr_fp_same": 234, "call_fp_cross": 208, "rr_fp_cross": 235,
    "rt_fp_cross": 443, "send_slow": 719, "call_slow_10w": 821, "rr_slow_10w": 788,
    "call_nofp": 729, "rr_nofp": 694, "signal_higher": 687, "signal_higher_process": 688,
    "signal_lower": 364, "yield_equal": 279, "yield_none": 293, "setprio": 639,
    "map": 729, "protect": 577,
}

# (row, boot, name printed by the root task, seL4 figure or None, note).
# seL4 row names are those of the README's tables.
ROWS = [
    ("ipc_call_fastpath_cross_as", "fastpath", "ipc_call_cross_as", SEL4["call_fp_cross"],
     "seL4_Call, fastpath, one-way, 254/254, cross-VSpace, 0 words"),
    ("ipc_replyrecv_fastpath_cross_as", "fastpath", "ipc_replyrecv_cross_as",
     SEL4["rr_fp_cross"], "seL4_ReplyRecv, fastpath, one-way, cross-VSpace, 0 words"),
    ("ipc_rt_fastpath_cross_as", "fastpath", "ipc_rt_cross_as", SEL4["rt_fp_cross"],
     "round trip, cross-VSpace, fastpath (Call + ReplyRecv one-way)"),
    ("ipc_call_fastpath_same_as", "fastpath", "ipc_call_same_as", SEL4["call_fp_same"],
     "seL4_Call, fastpath, one-way client->server, same VSpace"),
    ("ipc_replyrecv_fastpath_same_as", "fastpath", "ipc_replyrecv_same_as",
     SEL4["rr_fp_same"], "seL4_ReplyRecv, fastpath, one-way server->client, same VSpace"),
    ("ipc_rt_fastpath_same_as", "fastpath", "ipc_rt_same_as",
     SEL4["call_fp_same"] + SEL4["rr_fp_same"], "sum of seL4's two same-VSpace rows"),
    ("ipc_call_fastpath_cross_as_4w", "fastpath", "ipc_call_cross_as_4w", None, None),
    ("ipc_replyrecv_fastpath_cross_as_4w", "fastpath", "ipc_replyrecv_cross_as_4w", None, None),
    ("ipc_rt_fastpath_cross_as_4w", "fastpath", "ipc_rt_cross_as_4w", None, None),
    ("ipc_call_fastpath_same_as_4w", "fastpath", "ipc_call_same_as_4w", None, None),
    ("ipc_replyrecv_fastpath_same_as_4w", "fastpath", "ipc_replyrecv_same_as_4w", None, None),
    ("ipc_rt_fastpath_same_as_4w", "fastpath", "ipc_rt_same_as_4w", None, None),
    ("ipc_call_slowpath_cross_as", "slowpath", "ipc_call_cross_as", SEL4["call_nofp"],
     "fastpath compiled out: Call, cross-VSpace (Arca: fastpath=0)"),
    ("ipc_replyrecv_slowpath_cross_as", "slowpath", "ipc_replyrecv_cross_as", SEL4["rr_nofp"],
     "fastpath compiled out: ReplyRecv, cross-VSpace (Arca: fastpath=0)"),
    ("ipc_rt_slowpath_cross_as", "slowpath", "ipc_rt_cross_as",
     SEL4["call_nofp"] + SEL4["rr_nofp"], "sum of the two rows above"),
    ("ipc_call_slowpath_same_as", "slowpath", "ipc_call_same_as", None, None),
    ("ipc_replyrecv_slowpath_same_as", "slowpath", "ipc_replyrecv_same_as", None, None),
    ("ipc_rt_slowpath_same_as", "slowpath", "ipc_rt_same_as", None, None),
    ("ipc_call_slowpath_cross_as_4w", "slowpath", "ipc_call_cross_as_4w", None, None),
    ("ipc_replyrecv_slowpath_cross_as_4w", "slowpath", "ipc_replyrecv_cross_as_4w", None, None),
    ("ipc_rt_slowpath_cross_as_4w", "slowpath", "ipc_rt_cross_as_4w", None, None),
    ("ipc_call_slowpath_same_as_4w", "slowpath", "ipc_call_same_as_4w", None, None),
    ("ipc_replyrecv_slowpath_same_as_4w", "slowpath", "ipc_replyrecv_same_as_4w", None, None),
    ("ipc_rt_slowpath_same_as_4w", "slowpath", "ipc_rt_same_as_4w", None, None),
    ("ipc_call_slowpath_cross_as_10w", "fastpath", "ipc_call_cross_as_10w",
     SEL4["call_slow_10w"], "seL4_Call, slowpath (10 words), cross-VSpace"),
    ("ipc_replyrecv_slowpath_cross_as_10w", "fastpath", "ipc_replyrecv_cross_as_10w",
     SEL4["rr_slow_10w"], "seL4_ReplyRecv, slowpath (10 words), cross-VSpace"),
    ("ipc_rt_slowpath_cross_as_10w", "fastpath", "ipc_rt_cross_as_10w",
     SEL4["call_slow_10w"] + SEL4["rr_slow_10w"], "sum of the two rows above"),
    ("ipc_send_cross_as", "fastpath", "ipc_send_cross_as", SEL4["send_slow"],
     "seL4_Send, slowpath, one-way, 253/254, cross-VSpace"),
    ("ipc_send_same_as", "fastpath", "ipc_send_same_as", None, None),
    ("signal_wake_higher", "fastpath", "signal_wake_higher", SEL4["signal_higher"],
     "Signal -> wake a higher-priority thread (Wait)"),
    ("signal_wake_higher_cross_as", "fastpath", "signal_wake_higher_cross_as",
     SEL4["signal_higher_process"], "Signal to a higher-priority process"),
    ("signal_lower", "fastpath", "signal_lower", SEL4["signal_lower"],
     "Signal to a lower-priority thread (seL4: compare minimums)"),
    ("yield_equal_prio", "fastpath", "yield_equal_prio", SEL4["yield_equal"],
     "Yield to a thread of equal priority"),
    ("yield_none_ready", "fastpath", "yield_none_ready", SEL4["yield_none"],
     "Yield, no other thread ready"),
    ("setprio_self_resched", "fastpath", "setprio_self_resched", SEL4["setprio"],
     "SetPriority on self causing a reschedule"),
    ("setprio_other_resched", "fastpath", "setprio_other_resched", None,
     "SetPriority raising another thread above self"),
    ("untyped_retype_tcb", "fastpath", "untyped_retype_tcb", None,
     "Untyped_Retype of one TCB (the untyped is reset and zeroed each time)"),
    ("cnode_delete_tcb", "fastpath", "cnode_delete_tcb", None,
     "CNode_Delete of that TCB's only cap"),
    ("page_map_4k", "fastpath", "page_map_4k", SEL4["map"],
     "Map one 4 KiB page (seL4: per page, 2048 pages in a row)"),
    ("page_remap_4k", "fastpath", "page_remap_4k", SEL4["protect"],
     "Protect (remap read-only) one 4 KiB page"),
    ("page_unmap_4k", "fastpath", "page_unmap_4k", None, "Unmap one 4 KiB page"),
    ("irq_rtc_to_user", "fastpath", "irq_rtc_to_user", None,
     "RTC interrupt (IOAPIC pin 8) to the handler's wake-up; no overhead subtracted, "
     "includes the 1-4 instructions between the spinner's last read and the interrupt"),
]

# The rows for which seL4's README says to compare minimums.
COMPARE_MIN = {"signal_lower"}

LINE = re.compile(r"^bench: (\S+) (.*)$")


def parse(lines):
    """Rows by name: dict(min, median, max, overhead, samples) | ("null"|"FAIL", why)."""
    rows, order, errors, done = {}, [], [], False
    for line in lines:
        m = LINE.match(line.strip())
        if not m:
            continue
        name, rest = m.group(1), m.group(2).split()
        if name in ("start", "note:"):
            continue
        if name == "done,":
            done = True
            continue
        if name == "FAIL":
            errors.append(" ".join(rest))
            continue
        if rest and rest[0] in ("null", "FAIL"):
            rows[name] = (rest[0], " ".join(rest[1:]))
        elif len(rest) == 5 and all(x.isdigit() for x in rest):
            lo, med, hi, ovh, n = map(int, rest)
            rows[name] = {"min": lo, "median": med, "max": hi, "overhead": ovh, "samples": n}
        else:
            errors.append(f"unparsable line: {line.strip()}")
            continue
        order.append(name)
    return rows, order, errors, done


def run_boot(args, config, append, attempt):
    suffix = f"-{attempt + 1}" if args.repeat > 1 else ""
    log = os.path.join(args.logdir, f"boot-{config}{suffix}.log") if args.logdir else None
    r = qemu.boot(args.kernel, args.root, append, args.timeout, log, extra_args=QEMU_ARGS)
    rows, order, errors, done = parse(r.lines)
    problems = list(errors)
    if r.status != "halt":
        problems.append(f"the guest did not halt cleanly: {r.describe()}")
    if not done:
        problems.append("no 'bench: done' line")
    print(f"bench: boot '{config}' ({append}): {r.describe()}" + (f", log {log}" if log else ""),
          flush=True)
    return rows, order, problems


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def fmt(v):
    return "-" if v is None else str(v)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", required=True)
    p.add_argument("--root", required=True, help="the benchmark root task (bench.elf)")
    p.add_argument("--out", help="results JSON file")
    p.add_argument("--logdir", help="where the boot logs go")
    p.add_argument("--timeout", type=float, default=240, help="seconds per boot")
    p.add_argument("--repeat", type=int, default=1,
                   help="boot each configuration N times; the results must be identical")
    args = p.parse_args()
    if args.logdir:
        os.makedirs(args.logdir, exist_ok=True)

    problems = []
    boots = {}          # config -> rows
    raw = {}            # config -> rows of every attempt (for the determinism checks)
    for config, append in BOOTS:
        first = None
        for attempt in range(max(1, args.repeat)):
            rows, order, probs = run_boot(args, config, append, attempt)
            problems += [f"{config}: {x}" for x in probs]
            if first is None:
                first = rows
                boots[config] = rows
                raw[config] = {k: v for k, v in rows.items()}
            elif rows != first:
                diff = sorted(k for k in set(rows) | set(first) if rows.get(k) != first.get(k))
                problems.append(f"{config}: boot {attempt + 1} differs from boot 1 in: "
                                + ", ".join(diff))

    # Build the table.
    table, out_rows, used = [], [], set()
    for name, config, guest, sel4, _note in ROWS:
        used.add((config, guest))
        r = boots.get(config, {}).get(guest)
        if r is None:
            problems.append(f"row {name}: missing (no '{guest}' line in boot '{config}')")
            out_rows.append({"name": name, "min": None, "median": None, "max": None,
                             "sel4": sel4, "ratio": None})
            table.append((name, None, None, None, None, None, sel4, None, "missing"))
            continue
        if isinstance(r, tuple):
            kind, why = r
            if kind == "FAIL":
                problems.append(f"row {name}: failed: {why}")
            out_rows.append({"name": name, "min": None, "median": None, "max": None,
                             "sel4": sel4, "ratio": None})
            table.append((name, None, None, None, None, None, sel4, None,
                          f"{'FAILED' if kind == 'FAIL' else 'not measured'}: {why}"))
            continue
        basis = r["min"] if name in COMPARE_MIN else r["median"]
        ratio = round(basis / sel4, 2) if sel4 else None
        out_rows.append({"name": name, "min": r["min"], "median": r["median"], "max": r["max"],
                         "sel4": sel4, "ratio": ratio})
        table.append((name, r["min"], r["median"], r["max"], r["overhead"], r["samples"],
                      sel4, ratio, ""))
    # Rows the root task printed that the table does not know (first boot only).
    for guest, r in boots.get("fastpath", {}).items():
        if ("fastpath", guest) in used or guest == "overhead":
            continue
        if isinstance(r, tuple):
            if r[0] == "FAIL":
                problems.append(f"row {guest}: failed: {r[1]}")
            continue
        out_rows.append({"name": guest, "min": r["min"], "median": r["median"],
                         "max": r["max"], "sel4": None, "ratio": None})
        table.append((guest, r["min"], r["median"], r["max"], r["overhead"], r["samples"],
                      None, None, ""))

    # Print it.
    heads = ("row", "min", "median", "max", "overhead", "samples", "seL4", "ratio")
    cells = [[fmt(c) if i else c for i, c in enumerate(row[:8])] for row in table]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    ovh = boots.get("fastpath", {}).get("overhead")
    print()
    print("Arca benchmarks: QEMU TCG -icount shift=0 (counts are instructions), "
          f"{table[0][5] if table and table[0][5] else '?'} measured iterations per row "
          "after warm-up; min/median/max net of the overhead")
    if isinstance(ovh, dict):
        print(f"overhead (same harness, syscall replaced by 66 90): min {ovh['min']}, "
              f"subtracted once per one-way read pair (twice for ipc_rt_*)")
    print("  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i])
                    for i, h in enumerate(heads)))
    for row, c in zip(table, cells):
        line = "  ".join(x.ljust(widths[i]) if i == 0 else x.rjust(widths[i])
                         for i, x in enumerate(c))
        print(line + (f"  {row[8]}" if row[8] else ""))
    print("ratio = Arca median / seL4 (min for " + ", ".join(sorted(COMPARE_MIN)) + "); "
          "seL4 figures from /work/shared/bench/README.md")

    # Hints.
    fp, sp = boots.get("fastpath", {}), boots.get("slowpath", {})
    same = [g for g in ("ipc_call_cross_as", "ipc_replyrecv_cross_as", "ipc_call_same_as")
            if isinstance(fp.get(g), dict) and fp.get(g) == sp.get(g)]
    if same:
        print("note: the fastpath rows equal the fastpath=0 rows: the fastpath did not run "
              "(missing, or rejected these calls)")

    # Determinism against the previous run of the same images.
    stamp = {"kernel_sha256": sha256(args.kernel), "root_sha256": sha256(args.root),
             "qemu_args": QEMU_ARGS, "boots": BOOTS, "raw": raw}
    if args.out:
        prev_path = os.path.splitext(args.out)[0] + "-raw.json"
        try:
            with open(prev_path, encoding="utf-8") as f:
                prev = json.load(f)
        except (OSError, ValueError):
            prev = None
        same_setup = prev is not None and all(
            prev.get(k) == json.loads(json.dumps(stamp[k]))
            for k in ("kernel_sha256", "root_sha256", "qemu_args", "boots"))
        if same_setup:
            cur = json.loads(json.dumps(raw))
            if prev.get("raw") == cur:
                print("determinism: identical to the previous run of the same kernel and root task")
            else:
                diff = sorted(f"{c}/{k}" for c in cur for k in cur[c]
                              if prev.get("raw", {}).get(c, {}).get(k) != cur[c][k])
                problems.append("the numbers differ from the previous run of the same images: "
                                + ", ".join(diff[:10]))
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"unit": "instructions", "rows": out_rows}, f, indent=1)
            f.write("\n")
        with open(prev_path, "w", encoding="utf-8") as f:
            json.dump(stamp, f, indent=1)
            f.write("\n")
        print(f"results: {args.out}")

    if problems:
        for x in problems:
            print(f"bench: ERROR: {x}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
