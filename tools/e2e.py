#!/usr/bin/env python3
"""The end-to-end test of Arca's default system (E2E_*), run by
tools/testrun.py: it boots user/systems/default.system in QEMU with a fresh
disk image and types at the shell over COM1 (tools/expect.py), one test
name per checked step:

  E2E_0001  the shell prompt appears (and how long it took)
  E2E_0002  write /hello ...            no error
  E2E_0003  cat /hello                  prints the text back
  E2E_0004  ls /                        lists hello with its size
  E2E_0005  crash fs during cat /hello   fs dies in the middle of the read:
                                        the shell prints an error
  E2E_0006  cat /hello                  works after the restart (remounted disk)
  E2E_0007  crash console; echo ...     output resumes through the restarted driver
  E2E_0008  ps                          console and fs restarted once each
  E2E_0009  cat /nonexistent            one line starting with "error:"
  E2E_0010  crash blk; cat /hello         the driver restarts, the file reads
  E2E_0011  crash shell                 a fresh shell prompts, and works
  E2E_0012  a second boot on the same disk image: cat /hello still works
  E2E_0013  the first boot reached the prompt within 2 s of QEMU's start
  E2E_0014  `make run` on a terminal (a pty): creates the disk image, gives
            the prompt, runs a command, and Ctrl-A X quits
  E2E_0015  mkdir, a file inside, ls DIR, rm of a non-empty directory
            refused, rm of the file and the directory (run before E2E_0012)

A plain `crash PD` lands between requests: the monitor makes the PD fault
at once, and the restarted server is back before the lower-priority shell
asks again.  `crash PD during CMD` hands the crash to the chaos PD, which
has the lowest priority and so acts only while everyone else waits -- in
E2E_0005 while the file server waits for the disk in the middle of the
shell's read.

Run alone:  python3 tools/e2e.py --build build
"""
import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect  # noqa: E402
import qemu  # noqa: E402

PROMPT = "arca> "
BOOT_TIMEOUT = 60       # QEMU start to the first prompt before giving up
BOOT_LIMIT = 2.0        # ... and what E2E_0011 accepts (issue 9: a shell within 2 s)
STEP_TIMEOUT = 30       # one command to its next prompt
TEXT = "hello from arca e2e"
CRASH_TRIES = 5         # E2E_0005: attempts to hit a read in progress
DISK_SIZE = "16M"
# A whole line printed through the kernel's debug console by the monitor
# or a PD that does not use the console driver.
DEBUG_LINE = re.compile(r"(?:monitor|fs|blk|sysinit): [^\n]*\n")


def system_root(build):
    return os.path.join(build, "sysinit", "default", "sysinit.elf")


def make_disk(path):
    """A fresh, empty file system image (tools/mkfs.py)."""
    if os.path.exists(path):
        os.remove(path)
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mkfs.py")
    subprocess.run([sys.executable, tool, path, "--size", DISK_SIZE], check=True,
                   capture_output=True, text=True)


class Failed(Exception):
    pass


class Shell:
    """One boot of the system with the shell driven over COM1."""

    def __init__(self, build, kernel, disk, log):
        cmd = qemu.qemu_command(kernel, system_root(build), disk=disk)
        self.session = expect.Session(cmd, log)
        self.log = log
        self.debug_lines = []

    def wait_prompt(self, timeout=BOOT_TIMEOUT):
        try:
            self.session.expect(re.escape(PROMPT), timeout)
        except expect.Timeout as e:
            raise Failed(f"no prompt: {e}; log: {self.log}") from None
        return self.session.elapsed()

    def run(self, line, timeout=STEP_TIMEOUT):
        """Types `line` and Enter; returns what was printed before the
        next prompt (the echoed line, output, and any kernel messages)."""
        self.session.send(line + "\r")
        try:
            m = self.session.expect(r"(.*?)" + re.escape(PROMPT), timeout)
        except expect.Timeout as e:
            raise Failed(f"'{line}': {e}; log: {self.log}") from None
        # Lines that other PDs and the monitor print through the kernel's
        # debug console can land anywhere, even inside the echoed line.
        out = DEBUG_LINE.sub("", m.group(1))
        self.debug_lines += DEBUG_LINE.findall(m.group(1))
        if line not in out:
            raise Failed(f"'{line}' was not echoed; got {out[-200:]!r}; log: {self.log}")
        # What the command printed: everything after the echoed line.
        return out[out.index(line) + len(line):].lstrip("\n")

    def close(self):
        self.session.close()


def error_lines(out):
    return [l for l in out.splitlines() if l.startswith("error:")]


def check_no_error(out, what):
    errs = error_lines(out)
    if errs:
        raise Failed(f"{what}: {errs[0]}")


def make_run(build, disk, log):
    """`make run` in a pseudo-terminal, as a person would start it, with
    the disk image at `disk` (which must not exist yet)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp("make", ["make", "--no-print-directory", "-C", root,
                               f"BUILD={os.path.abspath(build)}", f"DISK_IMG={disk}",
                               "RUN_TIMEOUT=120", "run"])
        finally:
            os._exit(127)
    out = b""

    def read_until(pattern, timeout):
        nonlocal out
        deadline = time.monotonic() + timeout
        while not re.search(pattern, out):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return False
                if not chunk:
                    return False
                out += chunk
        return True

    try:
        if not read_until(re.escape(PROMPT.encode()), BOOT_TIMEOUT):
            raise Failed(f"make run gave no prompt; got {out[-300:]!r}")
        os.write(fd, b"echo make run works\r")
        if not read_until(rb"\nmake run works\r*\n", STEP_TIMEOUT):
            raise Failed(f"make run: echo gave no output; got {out[-300:]!r}")
        os.write(fd, b"\x01x")         # QEMU's Ctrl-A X: quit
        if not read_until(rb"qemu: exited with 0 \(quit\)", STEP_TIMEOUT):
            raise Failed(f"make run: Ctrl-A X did not quit QEMU cleanly; got {out[-300:]!r}")
        if not os.path.exists(disk):
            raise Failed(f"make run did not create the disk image {disk}")
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = None
                if os.waitstatus_to_exitcode(status) != 0:
                    raise Failed(f"make run exited with status "
                                 f"{os.waitstatus_to_exitcode(status)} after Ctrl-A X")
                break
            read_until(rb"\Z.", 0.2)        # keep the pty drained
            time.sleep(0.05)
        else:
            raise Failed("make run did not exit after QEMU quit")
    finally:
        with open(log, "wb") as f:
            f.write(out)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        os.close(fd)


def run_e2e(build, kernel, add):
    """Runs every step, calling add(name, ok, reason) once per E2E_ test."""
    logdir = os.path.join(build, "logs")
    os.makedirs(logdir, exist_ok=True)
    disk = os.path.join(logdir, "e2e-disk.img")
    steps = []

    def step(name, fn):
        steps.append((name, fn))

    state = {"fs_crashes": 0}

    def boot1():
        state["shell"] = Shell(build, kernel, disk, os.path.join(logdir, "e2e-boot1.log"))
        state["boot_s"] = state["shell"].wait_prompt()

    def write_file():
        check_no_error(state["shell"].run(f"write /hello {TEXT}"), "write")

    def cat_file(sh=None):
        out = (sh or state["shell"]).run("cat /hello")
        check_no_error(out, "cat")
        if TEXT not in out:
            raise Failed(f"cat /hello printed {out!r}, not the text written")

    def ls_root():
        out = state["shell"].run("ls /")
        check_no_error(out, "ls")
        if not re.search(rf"^\s*{len(TEXT)}\s+hello$", out, re.M):
            raise Failed(f"ls / does not list 'hello' with size {len(TEXT)}: {out!r}")

    def crash_fs():
        # The fault injector (the chaos PD) crashes fs once everything
        # waits, normally while fs waits for the disk in the middle of the
        # shell's read: then the shell must report the restart.  Now and
        # then the disk answers at once, nothing ever waits, and the crash
        # lands only after the read: then wait for it and try again.
        sh = state["shell"]
        fault = re.compile(r"PD 'fs' faulted: .*restarting")
        for _ in range(CRASH_TRIES):
            seen = len(sh.debug_lines)
            out = sh.run("crash fs during cat /hello")
            state["fs_crashes"] += 1
            if any(fault.search(l) for l in sh.debug_lines[seen:]):
                errs = error_lines(out)
                if len(errs) != 1 or "restarted" not in errs[0] or TEXT in out:
                    raise Failed(f"fs crashed during the read, but the shell printed {out!r}")
                return
            if TEXT not in out or error_lines(out):
                raise Failed(f"no crash during the read, yet it failed: {out!r}")
            # Let the crash come and fs mount again, so that the next try
            # does not queue behind a file server that is still starting.
            try:
                sh.session.expect(fault.pattern + r".*?fs: mounted", STEP_TIMEOUT)
            except expect.Timeout as e:
                raise Failed(f"the armed crash of fs (and the remount) never came: {e}") \
                    from None
        raise Failed(f"in {CRASH_TRIES} tries the crash never hit a read in progress")

    def after_restart():
        cat_file()

    def crash_console():
        sh = state["shell"]
        out = sh.run("crash console")
        check_no_error(out, "crash console")
        if not any(re.search(r"PD 'console' faulted: .*restarting", l)
                   for l in sh.debug_lines):
            raise Failed(f"no fault report for console from the monitor: {sh.debug_lines!r}")
        # Printed through the restarted driver.
        if "crashed console" not in out:
            raise Failed(f"no output from the shell after the console restart: {out!r}")
        out = sh.run("echo console is back")
        if "console is back" not in out.replace(PROMPT, ""):
            raise Failed(f"no output after the console restart: {out!r}")

    def ps():
        out = state["shell"].run("ps")
        check_no_error(out, "ps")
        for pd, n in (("console", 1), ("fs", state["fs_crashes"])):
            m = re.search(rf"^{pd}\s+running\s+(\d+)\s+(\d+)$", out, re.M)
            if not m:
                raise Failed(f"ps has no running '{pd}' line: {out!r}")
            if int(m.group(1)) != n or int(m.group(2)) != n:
                raise Failed(f"ps says {pd} restarted {m.group(1)} times after "
                             f"{m.group(2)} faults, expected {n}")
        for pd in ("blk", "shell", "chaos"):
            if not re.search(rf"^{pd}\s+running\s+0\s+0$", out, re.M):
                raise Failed(f"ps: '{pd}' should be running, never restarted: {out!r}")

    def missing_file():
        out = state["shell"].run("cat /nonexistent")
        errs = error_lines(out)
        if len(errs) != 1 or len([l for l in out.splitlines() if l.strip()]) != 1:
            raise Failed(f"expected exactly one error line: {out!r}")

    def crash_blk():
        sh = state["shell"]
        out = sh.run("crash blk")
        check_no_error(out, "crash blk")
        if not any(re.search(r"PD 'blk' faulted: .*restarting", l) for l in sh.debug_lines):
            raise Failed(f"no fault report for blk from the monitor: {sh.debug_lines!r}")
        cat_file()

    def crash_shell():
        sh = state["shell"]
        out = sh.run("crash shell")
        if "Arca shell" not in out:
            raise Failed(f"no fresh shell after crash shell: {out!r}")
        out = sh.run("echo new shell")
        if "new shell" not in out:
            raise Failed(f"the restarted shell does not run commands: {out!r}")

    def directories():
        sh = state["shell"]
        for cmd in ("mkdir /docs", "write /docs/note two words"):
            check_no_error(sh.run(cmd), cmd)
        out = sh.run("ls /docs")
        check_no_error(out, "ls /docs")
        if not re.search(r"^\s*9\s+note$", out, re.M):
            raise Failed(f"ls /docs does not list 'note' with size 9: {out!r}")
        if not re.search(r"^\s*-\s+docs/$", sh.run("ls"), re.M):
            raise Failed("ls / does not list docs/ as a directory")
        out = sh.run("rm /docs")
        if len(error_lines(out)) != 1:
            raise Failed(f"rm of a non-empty directory did not fail with one line: {out!r}")
        for cmd in ("rm /docs/note", "rm /docs"):
            check_no_error(sh.run(cmd), cmd)
        out = sh.run("ls")
        if "docs" in out:
            raise Failed(f"docs still listed after rm: {out!r}")

    def boot_time():
        if state.get("boot_s") is None or state["boot_s"] > BOOT_LIMIT:
            raise Failed(f"QEMU start to the first prompt took {state.get('boot_s')} s "
                         f"(limit {BOOT_LIMIT} s)")

    def reboot():
        state["shell"].close()
        sh = Shell(build, kernel, disk, os.path.join(logdir, "e2e-boot2.log"))
        state["shell"] = sh
        sh.wait_prompt()
        cat_file(sh)

    step("E2E_0001", boot1)
    step("E2E_0002", write_file)
    step("E2E_0003", cat_file)
    step("E2E_0004", ls_root)
    step("E2E_0005", crash_fs)
    step("E2E_0006", after_restart)
    step("E2E_0007", crash_console)
    step("E2E_0008", ps)
    step("E2E_0009", missing_file)
    step("E2E_0010", crash_blk)
    step("E2E_0011", crash_shell)
    step("E2E_0015", directories)
    step("E2E_0012", reboot)
    step("E2E_0013", boot_time)

    def run_target():
        state["shell"].close()
        run_disk = os.path.join(logdir, "e2e-run-disk.img")
        if os.path.exists(run_disk):
            os.remove(run_disk)
        make_run(build, run_disk, os.path.join(logdir, "e2e-make-run.log"))

    step("E2E_0014", run_target)

    broken = None
    try:
        make_disk(disk)
    except (OSError, subprocess.CalledProcessError) as e:
        broken = f"tools/mkfs.py failed: {getattr(e, 'stderr', '') or e}"
    try:
        for name, fn in steps:
            if broken is not None:
                add(name, False, f"not run: {broken}")
                continue
            try:
                fn()
                add(name, True, "")
            except Failed as e:
                add(name, False, str(e))
                # A boot that failed leaves nothing to drive.
                if name in ("E2E_0001", "E2E_0012") or "no prompt" in str(e) \
                        or "QEMU exited" in str(e):
                    broken = f"{name} failed"
    finally:
        if "shell" in state:
            state["shell"].close()
    return state.get("boot_s")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    args = p.parse_args()
    failed = 0

    def add(name, ok, reason):
        nonlocal failed
        failed += not ok
        print(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}", flush=True)

    boot_s = run_e2e(args.build, os.path.join(args.build, "kernel32.elf"), add)
    if boot_s is not None:
        print(f"(QEMU start to the first prompt: {boot_s:.2f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
