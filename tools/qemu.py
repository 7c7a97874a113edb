#!/usr/bin/env python3
"""Boot Arca (or any seL4 configuration-Q image) in QEMU.

QEMU runs the way seL4's own simulation does (../shared/abi/README.md,
"Arca's target"): TCG, Nehalem with the same feature flags, 3 GiB, the kernel
as a 32-bit Multiboot ELF and the root task as the first module. Added for
testing: isa-debug-exit (how the kernel reports how it stopped), no reboot,
and a timeout on every boot.

    qemu.py run   --kernel K --root R      interactive, serial on this terminal
    qemu.py debug --kernel K --root R --symbols ELF
    qemu.py boot  --kernel K --root R [--append ARGS] [--log FILE]
                  [--qemu-args "-icount shift=0,sleep=off"]
    qemu.py boottime --kernel K --root R [--runs N]

Any mode takes --disk PATH: a raw disk image as a virtio-blk PCI device
(transitional, so legacy virtio over its I/O BAR works) in slot 4 of the
i440fx bus, where SeaBIOS routes its INTA to IRQ 11 (docs/filesystem.md).
The image is written to in place.

Any mode takes --com2 unix:PATH or --com2 tcp:HOST:PORT: COM2 (I/O ports
0x2F8-0x2FF, IRQ 3) becomes a listening socket that QEMU does not wait for
(server=on,wait=off). COM1, the kernel console, stays on this terminal / the
log: QEMU gives the -serial options to COM1, COM2, ... in order.

Exit statuses of QEMU with isa-debug-exit are (code << 1) | 1; the kernel
uses 0x10 for seL4_DebugHalt, 0x11 for "idle with nothing to run" and 0x7F
for a panic.
"""
import argparse
import os
import re
import selectors
import shlex
import shutil
import subprocess
import sys
import time

CPU = "Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce"
MEMORY = "size=3G"
DEFAULT_TIMEOUT = 300

STATUS_BY_EXIT = {33: "halt", 35: "idle", 255: "panic"}

# The first line that user level prints (runtime or test framework).
USER_LINE = re.compile(r"^(rootserver|tests|crash|uart)[:\s]|^\[(PASS|FAIL)\]")


def qemu_binary():
    path = shutil.which("qemu-system-x86_64")
    if path is None:
        sys.exit("qemu-system-x86_64 not found: run tools/deps.sh (make does it for you)")
    return path


# Instruction counting (tools/bench.py): the guest's TSC advances by one per
# retired instruction and runs are repeatable (../shared/bench/README.md).
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off"]


def com2_chardev(spec):
    """QEMU -chardev options for COM2 from "unix:PATH" or "tcp:HOST:PORT"."""
    kind, _, where = spec.partition(":")
    if kind == "unix" and where:
        return f"socket,id=com2,path={where},server=on,wait=off"
    if kind == "tcp":
        host, _, port = where.rpartition(":")
        if host and port.isdigit():
            return f"socket,id=com2,host={host},port={port},server=on,wait=off"
    raise ValueError(f"bad COM2 socket {spec!r}: use unix:PATH or tcp:HOST:PORT")


def disk_args(path):
    """QEMU options attaching a raw image as virtio-blk-pci in slot 4."""
    if "," in path:
        raise ValueError(f"disk image path {path!r} must not contain a comma")
    return ["-drive", f"file={path},format=raw,if=none,id=disk0",
            "-device", "virtio-blk-pci,drive=disk0,addr=04.0"]


def qemu_command(kernel, root, append=None, interactive=False, gdb=False, extra_args=None,
                 com2=None, disk=None):
    """extra_args: more QEMU arguments (a list), e.g. ICOUNT_ARGS.
    com2: "unix:PATH" or "tcp:HOST:PORT" puts COM2 on a listening socket.
    disk: a raw image file attached as a virtio-blk PCI device."""
    cmd = [qemu_binary(), "-machine", "pc,accel=tcg", "-cpu", CPU, "-m", MEMORY,
           "-kernel", kernel, "-initrd", root,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]
    if extra_args:
        cmd += list(extra_args)
    if disk:
        cmd += disk_args(disk)
    if append:
        cmd += ["-append", append]
    if com2:
        cmd += ["-chardev", com2_chardev(com2)]
    if interactive:
        cmd += ["-nographic", "-serial", "mon:stdio"]
    else:
        cmd += ["-display", "none", "-monitor", "none", "-serial", "stdio"]
    if com2:
        cmd += ["-serial", "chardev:com2"]      # the second -serial is COM2
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


def timeout_seconds(value=None):
    if value is not None:
        return value
    return float(os.environ.get("ARCA_QEMU_TIMEOUT", DEFAULT_TIMEOUT))


class BootResult:
    def __init__(self):
        self.status = None          # halt | idle | panic | timeout | error
        self.exit_code = None
        self.lines = []
        self.first_user_line_s = None
        self.wall_s = None
        self.log = None

    def describe(self):
        return f"{self.status} (QEMU exit {self.exit_code}) after {self.wall_s:.2f} s"


def boot(kernel, root, append=None, timeout=None, log=None, echo=False, extra_args=None,
         com2=None, on_line=None, abort=None, disk=None):
    """Boots once, collecting the serial output; never raises on guest failure.
    extra_args: more QEMU arguments (a list), e.g. ICOUNT_ARGS.
    com2: "unix:PATH" / "tcp:HOST:PORT" puts COM2 on a listening socket.
    on_line(line) is called (in this thread) for every console line as it
    arrives; setting the threading.Event `abort` kills QEMU (status "aborted")."""
    timeout = timeout_seconds(timeout)
    result = BootResult()
    result.log = log
    start = time.monotonic()
    proc = subprocess.Popen(qemu_command(kernel, root, append, extra_args=extra_args, com2=com2,
                                         disk=disk),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    out = open(log, "w", encoding="utf-8", errors="replace") if log else None
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                proc.kill()
                result.status = "timeout"
                break
            if abort is not None and abort.is_set():
                proc.kill()
                result.status = "aborted"
                break
            if not sel.select(timeout=min(left, 1.0)):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                line = raw.decode("utf-8", errors="replace").rstrip("\r")
                # Strip terminal control sequences the firmware prints.
                line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)
                result.lines.append(line)
                if result.first_user_line_s is None and USER_LINE.search(line):
                    result.first_user_line_s = time.monotonic() - start
                if out:
                    out.write(line + "\n")
                    out.flush()
                if echo:
                    print(line, flush=True)
                if on_line is not None:
                    on_line(line)
        if pending:
            line = pending.decode("utf-8", errors="replace")
            result.lines.append(line)
            if out:
                out.write(line + "\n")
    finally:
        result.exit_code = proc.wait()
        result.wall_s = time.monotonic() - start
        if out:
            out.write(f"--- qemu: {result.exit_code}, {result.wall_s:.2f} s ---\n")
            out.close()
    if result.status is None:
        result.status = STATUS_BY_EXIT.get(result.exit_code, "error")
    return result


def cmd_run(args):
    timeout = timeout_seconds(args.timeout)
    print(f"qemu: booting {args.kernel} with root task {args.root} "
          f"(Ctrl-A X quits; timeout {timeout:.0f} s)", flush=True)
    cmd = qemu_command(args.kernel, args.root, args.append, interactive=True,
                       extra_args=args.qemu_args, com2=args.com2, disk=args.disk)
    try:
        code = subprocess.run(cmd, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        print(f"\nqemu: timed out after {timeout:.0f} s")
        return 1
    # Exit status 0 only comes from QEMU itself quitting (Ctrl-A X): with
    # isa-debug-exit the guest's exits are odd numbers.
    status = "quit" if code == 0 else STATUS_BY_EXIT.get(code, "error")
    print(f"\nqemu: exited with {code} ({status})")
    return 0 if status in ("halt", "idle", "quit") else 1


def cmd_debug(args):
    print("qemu: waiting for gdb on localhost:1234. In another terminal run:\n")
    print(f"  gdb {args.symbols} -ex 'target remote localhost:1234'\n", flush=True)
    print("  (then e.g. 'hbreak kernel_main' and 'continue'; QEMU starts halted)\n", flush=True)
    cmd = qemu_command(args.kernel, args.root, args.append, interactive=True, gdb=True,
                       extra_args=args.qemu_args, com2=args.com2, disk=args.disk)
    return subprocess.run(cmd).returncode


def cmd_boot(args):
    r = boot(args.kernel, args.root, args.append, args.timeout, args.log, echo=True,
             extra_args=args.qemu_args, com2=args.com2, disk=args.disk)
    print(f"qemu: {r.describe()}" + (f"; log {r.log}" if r.log else ""))
    return 0 if r.status in ("halt", "idle") else 1


def cmd_boottime(args):
    times = []
    for _ in range(args.runs):
        r = boot(args.kernel, args.root, args.append, args.timeout, extra_args=args.qemu_args,
                 com2=args.com2, disk=args.disk)
        if r.first_user_line_s is None:
            print(f"boottime: no user-level line ({r.describe()})")
            return 1
        times.append(r.first_user_line_s)
    times.sort()
    print(f"boottime: QEMU start to the root task's first line over {args.runs} runs: "
          f"min {times[0]:.3f} s, median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["run", "debug", "boot", "boottime"])
    p.add_argument("--kernel", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--symbols")
    p.add_argument("--append", help="kernel command line, e.g. halt_when_idle=50")
    p.add_argument("--timeout", type=float)
    p.add_argument("--qemu-args", type=shlex.split, default=None,
                   help='more QEMU arguments, e.g. "-icount shift=0,sleep=off"')
    p.add_argument("--log")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--com2", help="COM2 on a listening socket: unix:PATH or tcp:HOST:PORT")
    p.add_argument("--disk", help="raw disk image attached as virtio-blk-pci (slot 4, IRQ 11)")
    args = p.parse_args()
    handler = {"run": cmd_run, "debug": cmd_debug, "boot": cmd_boot, "boottime": cmd_boottime}
    return handler[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
