#!/usr/bin/env python3
"""Checks that docs/tutorial.md works as printed (TUTORIAL_*).

The files of the tutorial are read out of the page itself (each is a fenced
block right after a line **`NAME`**), written into an empty temporary
directory, built with the command the page gives (make APP=DIR app, run in
the checkout), and booted as `make app-run KERNEL_ARGS=halt_when_idle=50`
would; the console must show the page's **Output** block, line by line in
that order.

  TUTORIAL_0001  the page's files build into a bootable system
  TUTORIAL_0002  booting it prints the page's output, and the system goes idle

Run alone:  python3 tools/tutorial_test.py --build build
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "tutorial.md")
BLOCK = re.compile(r"^\*\*`?([\w.-]+)`?\*\*\n+```[\w-]*\n(.*?)^```", re.M | re.S)
# The commands the page tells the reader to run (checked to be there).
COMMANDS = ["make -C ~/arca APP=$PWD app\n",
            "make -C ~/arca APP=$PWD app-run KERNEL_ARGS=halt_when_idle=50\n"]
BOOT_TIMEOUT = 60


def page_blocks(text):
    return {name: body for name, body in BLOCK.findall(text)}


def run(build):
    """Returns [(name, ok, reason)]."""
    with open(PAGE, encoding="utf-8") as f:
        text = f.read()
    blocks = page_blocks(text)
    output = blocks.pop("Output", None)
    missing = [c.strip() for c in COMMANDS if c not in text]
    if output is None or not blocks or missing:
        why = ("no **Output** block" if output is None else "no file blocks" if not blocks
               else f"the page no longer says {missing[0]!r}")
        return [("TUTORIAL_0001", False, f"{PAGE}: {why}"),
                ("TUTORIAL_0002", False, "not run: TUTORIAL_0001 failed")]
    build = os.path.abspath(build)
    log = os.path.join(build, "logs", "tutorial-build.log")
    workdir = tempfile.mkdtemp(prefix="arca-tutorial-")
    try:
        for name, body in blocks.items():
            with open(os.path.join(workdir, name), "w", encoding="utf-8") as f:
                f.write(body)
        systems = [n for n in blocks if n.endswith(".system")]
        proc = subprocess.run(["make", "--no-print-directory", "-C", ROOT, f"APP={workdir}",
                               f"BUILD={build}", "app"], capture_output=True, text=True)
        with open(log, "w") as f:
            f.write(proc.stdout + proc.stderr)
        if proc.returncode != 0 or len(systems) != 1:
            reason = (f"make APP=DIR app failed (exit {proc.returncode}); log: {log}"
                      if proc.returncode else f"the page has {len(systems)} .system files")
            return [("TUTORIAL_0001", False, reason),
                    ("TUTORIAL_0002", False, "not run: TUTORIAL_0001 failed")]
        name = systems[0][:-len(".system")]
        root = os.path.join(build, "sysinit", f"app-{name}", "sysinit.elf")
        if not os.path.exists(root):
            return [("TUTORIAL_0001", False, f"no {root} after the build; log: {log}"),
                    ("TUTORIAL_0002", False, "not run: TUTORIAL_0001 failed")]
        results = [("TUTORIAL_0001", True, "")]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    boot_log = os.path.join(build, "logs", "tutorial-boot.log")
    r = qemu.boot(os.path.join(build, "kernel32.elf"), root, append="halt_when_idle=50",
                  timeout=BOOT_TIMEOUT, log=boot_log)
    want = [line for line in output.splitlines() if line.strip()]
    at = 0
    for line in r.lines:
        if at < len(want) and line == want[at]:
            at += 1
    if at < len(want):
        results.append(("TUTORIAL_0002", False, f"missing or out of order: {want[at]!r}; "
                        f"log: {boot_log}"))
    elif r.status != "idle":
        results.append(("TUTORIAL_0002", False, f"expected the system to go idle, got "
                        f"{r.describe()}; log: {boot_log}"))
    else:
        results.append(("TUTORIAL_0002", True, ""))
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    args = p.parse_args()
    failed = 0
    for name, ok, reason in run(args.build):
        failed += not ok
        print(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
