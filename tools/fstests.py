#!/usr/bin/env python3
"""File system tests run by tools/testrun.py.

FS_005x: tools/mkfs.py writes images in Python; build/host/fsck checks
them with the file server's C code (user/components/fs/fscore.c), so the
two implementations of docs/filesystem.md are checked against each other.

FS_01xx: the storage stack booted (tests/fs/fs.system: virtio-blk driver,
file server, test PD) on a mkfs.py image attached with qemu.py's disk
option; twice, the second boot reading what the first wrote, the image
checked with fsck after each; then on corrupted images, where the file
server must report the problem in one line.

    tools/fstests.py --build build      runs them alone
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MKFS = os.path.join(HERE, "mkfs.py")
sys.path.insert(0, HERE)
import qemu  # noqa: E402

BOOT_TIMEOUT = 90
# The kernel stops QEMU after this many idle ticks: long enough for a disk
# write on a busy host, which leaves every thread blocked meanwhile.
IDLE = "halt_when_idle=1000"
HELLO = b"hello from mkfs\n"        # tests/fs/fstest.c expects it as /hello.txt
NOTE = b"written by the first boot\n"
FIRST_BOOT = ["FS_0101", "FS_0102", "FS_0103", "FS_0104", "FS_0105", "FS_0106",
              "FS_0107", "FS_0108", "FS_0114"]
RESULT = re.compile(r"^\[(PASS|FAIL)\] (FS_\d{4})(?:: (.*))?$")


def mkfs(*args):
    return subprocess.run([sys.executable, MKFS, *args], capture_output=True, text=True,
                          timeout=120)


def fsck(build, *args, text=True):
    return subprocess.run([os.path.join(build, "host", "fsck"), *args], capture_output=True,
                          text=text, timeout=120)


def check_empty(build, tmp):
    """Empty images of several sizes (one and more bitmap blocks) check clean."""
    for size, blocks in (("32K", 8), ("4M", 1024), ("132M", 33792)):
        img = os.path.join(tmp, f"empty-{size}.img")
        r = mkfs(img, "--size", size)
        if r.returncode != 0:
            return f"mkfs --size {size}: {r.stderr.strip()}"
        if os.path.getsize(img) != blocks * 4096:
            return f"--size {size}: image is {os.path.getsize(img)} bytes"
        r = fsck(build, img)
        if r.returncode != 0 or f"of {blocks} blocks free" not in r.stdout:
            return f"fsck of the empty {size} image: {r.stdout.strip() or r.stderr.strip()}"
        r = fsck(build, img, "ls", "/")
        if r.returncode != 0 or r.stdout != "":
            return f"empty {size} image lists {r.stdout!r} {r.stderr.strip()}"
    return None


def check_files(build, tmp):
    """Files added from the host read back byte for byte through fscore."""
    files = {
        "/etc/motd": b"welcome to arca\n",
        "/empty": b"",
        "/data/deep/er/big.bin": bytes((i * 7 + (i >> 9)) & 0xff for i in range(300000)),
        "/data/exact": b"x" * (12 * 4096),
        "/top": b"replaced",
    }
    args = []
    for i, (path, data) in enumerate(files.items()):
        host = os.path.join(tmp, f"in{i}")
        with open(host, "wb") as f:
            f.write(data)
        args += ["--add", f"{host}:{path}"]
    first = os.path.join(tmp, "first")
    with open(first, "wb") as f:
        f.write(b"the first version, replaced by a later --add")
    img = os.path.join(tmp, "files.img")
    r = mkfs(img, "--size", "4M", "--add", f"{first}:/top", *args)
    if r.returncode != 0:
        return f"mkfs: {r.stderr.strip()}"
    r = fsck(build, img)
    if r.returncode != 0:
        return f"fsck: {r.stdout.strip() or r.stderr.strip()}"
    for path, data in files.items():
        r = fsck(build, img, "cat", path, text=False)
        if r.returncode != 0 or r.stdout != data:
            return f"{path}: read {len(r.stdout)} bytes, wanted {len(data)}"
    listings = {
        "/": "f 8 top\nd 64 etc\nf 0 empty\nd 128 data\n",   # /top keeps its first place
        "/data": "d 64 deep\nf 49152 exact\n",
        "/data/deep/er": "f 300000 big.bin\n",
    }
    for path, want in listings.items():
        r = fsck(build, img, "ls", path)
        if r.stdout != want:
            return f"ls {path}: {r.stdout!r}, wanted {want!r}"
    return None


def check_errors(build, tmp):
    """mkfs refuses bad input with one error line and status 1."""
    small = os.path.join(tmp, "small")
    with open(small, "wb") as f:
        f.write(b"s")
    big = os.path.join(tmp, "toobig")
    with open(big, "wb") as f:
        f.truncate((12 + 1024) * 4096 + 1)
    img = os.path.join(tmp, "bad.img")
    cases = [
        (["--size", "4100"], "size 4100 is not a multiple of 4096 bytes"),
        (["--size", "16K"], "size 16K is out of range"),
        (["--size", "1G"], "size 1G is out of range"),
        (["--size", "4Q"], "bad size '4Q'"),
        (["--size", "4M", "--add", f"{small}:relative"], "bad image path 'relative'"),
        (["--size", "4M", "--add", f"{small}:/a/../b"], "component '..' is not a valid name"),
        (["--size", "4M", "--add", f"{small}:/" + "n" * 60], "is not a valid name"),
        (["--size", "4M", "--add", f"{small}:/"], "the target cannot be /"),
        (["--size", "4M", "--add", f"{big}:/big"], "a file holds at most 4243456"),
        (["--size", "4M", "--add", f"{tmp}/missing:/m"], "cannot read"),
        (["--size", "4M", "--add", f"{small}:/f", "--add", f"{small}:/f/g"], "/f is a file"),
        (["--size", "32K", "--add", f"{small}:/a", "--add", f"{small}:/b", "--add",
          f"{small}:/c", "--add", f"{small}:/d", "--add", f"{small}:/e"], "do not fit"),
        (["--size", "4M", "--inodes", "9000"], "at most 8192 inodes"),
    ]
    for args, want in cases:
        r = mkfs(img, *args)
        lines = r.stderr.strip().splitlines()
        if r.returncode != 1 or len(lines) != 1 or not lines[0].startswith("mkfs.py: error:") \
                or want not in lines[0]:
            return f"mkfs {' '.join(args)}: status {r.returncode}, {r.stderr.strip()!r}, " \
                   f"wanted an error with {want!r}"
    return None


def check_corrupt(build, tmp):
    """A damaged image: fsck (the mount check) names the problem."""
    src = os.path.join(tmp, "c")
    with open(src, "wb") as f:
        f.write(b"content")
    img = os.path.join(tmp, "corrupt.img")
    r = mkfs(img, "--size", "1M", "--add", f"{src}:/f")
    if r.returncode != 0:
        return f"mkfs: {r.stderr.strip()}"
    with open(img, "r+b") as f:
        # Layout of a 1 MiB image: superblock, bitmap (block 1), inode
        # table (block 2), root directory (block 3), /f's data (block 4).
        f.seek(4096)
        bits = bytearray(f.read(1))
        bits[0] &= ~(1 << 4)
        f.seek(4096)
        f.write(bits)
    r = fsck(build, img)
    want = f"{img}: inconsistent (read-only): block 4 of inode 2 is free in the bitmap"
    if r.returncode != 1 or r.stdout.strip() != want:
        return f"fsck said {r.stdout.strip()!r} (status {r.returncode}), wanted {want!r}"
    with open(img, "r+b") as f:
        f.write(b"X")
    r = fsck(build, img)
    if r.returncode != 2 or "refused: bad superblock: no ARCA-FS magic" not in r.stdout:
        return f"fsck of a bad magic said {r.stdout.strip()!r} (status {r.returncode})"
    return None


def boot(build, disk, name, system="fstest"):
    log = os.path.join(build, "logs", f"fs-{name}.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    r = qemu.boot(os.path.join(build, "kernel32.elf"),
                  os.path.join(build, "sysinit", system, "sysinit.elf"),
                  append=IDLE, timeout=BOOT_TIMEOUT, log=log, disk=disk)
    return r, log


def pd_results(lines, names, log):
    """The test PD's own lines for `names`: [(name, ok, reason)]."""
    seen = {}
    for line in lines:
        m = RESULT.match(line)
        if m:
            seen.setdefault(m.group(2), []).append((m.group(1) == "PASS", m.group(3) or ""))
    out = []
    for name in names:
        got = seen.get(name, [])
        if len(got) != 1:
            out.append((name, False, f"reported {len(got)} times; log: {log}"))
        else:
            out.append((name, got[0][0], got[0][1] + (f"; log: {log}" if not got[0][0] else "")))
    return out


def fsck_problem(build, img, checks):
    """None if the image checks clean and each (path, bytes) reads back."""
    r = fsck(build, img)
    if r.returncode != 0:
        return f"fsck: {r.stdout.strip() or r.stderr.strip()}"
    for path, data in checks:
        r = fsck(build, img, "cat", path, text=False)
        if r.returncode != 0 or r.stdout != data:
            return f"{path} holds {r.stdout[:40]!r}, wanted {data[:40]!r}"
    return None


def boot_result(r, log, done_line):
    if done_line not in r.lines:
        return f"no '{done_line}' line ({r.describe()}); log: {log}"
    if r.status != "idle":
        return f"the system did not go idle: {r.describe()}; log: {log}"
    return None


def run_system(build, tmp):
    """FS_0100-0115: two boots on one disk, corrupted disks, a moved BAR."""
    out = []
    hello = os.path.join(tmp, "hello.txt")
    with open(hello, "wb") as f:
        f.write(HELLO)
    img = os.path.join(tmp, "system.img")
    r = mkfs(img, "--size", "4M", "--add", f"{hello}:/hello.txt")
    if r.returncode != 0:
        return [("FS_0100", False, f"mkfs: {r.stderr.strip()}")]

    r, log = boot(build, img, "boot1")
    problem = boot_result(r, log, "fstest: first boot done")
    if problem is None and not any(line.startswith("fs: mounted, ") for line in r.lines):
        problem = f"no 'fs: mounted' line; log: {log}"
    out.append(("FS_0100", problem is None, problem or ""))
    out += pd_results(r.lines, FIRST_BOOT, log)
    problem = fsck_problem(build, img, [("/persist/note", NOTE), ("/hello.txt", HELLO),
                                        ("/after-crash", b"blk")])
    out.append(("FS_0109", problem is None, problem or ""))

    r, log = boot(build, img, "boot2")
    problem = boot_result(r, log, "fstest: second boot done")
    out += pd_results(r.lines, ["FS_0110"], log) if problem is None else \
        [("FS_0110", False, problem)]
    problem = fsck_problem(build, img, [("/persist/note", NOTE)])
    out.append(("FS_0111", problem is None, problem or ""))

    # Corrupted copies: the server's one line, read-only or refused.
    with open(img, "rb") as f:
        good = bytearray(f.read())
    cases = [
        # A 4 MiB image: superblock, bitmap, 2 inode blocks; block 4 is the
        # root directory's first block (mkfs.py lays the root out first).
        ("FS_0112", "bitmap", lambda d: d.__setitem__(4096, d[4096] & ~(1 << 4)),
         r"^fs: error: block 4 of inode 1 is free in the bitmap; mounted read-only$"),
        ("FS_0113", "magic", lambda d: d.__setitem__(0, ord("X")),
         r"^fs: error: bad superblock: no ARCA-FS magic in block 0; not mounted$"),
    ]
    for name, what, damage, want in cases:
        bad = bytearray(good)
        damage(bad)
        path = os.path.join(tmp, f"{what}.img")
        with open(path, "wb") as f:
            f.write(bad)
        r, log = boot(build, path, what)
        lines = [line for line in r.lines if line.startswith("fs: ")]
        ok = bool(lines) and re.match(want, lines[0]) is not None and r.status == "idle"
        out.append((name, ok, "" if ok else f"server said {lines[:1]}, wanted /{want}/ "
                                            f"({r.describe()}); log: {log}"))

    # The driver's BAR granted at 0xd000 (tests/fs/fs-movedbar.system): it
    # moves the BAR there, and the whole first-boot run works through it.
    path = os.path.join(tmp, "movedbar.img")
    r = mkfs(path, "--size", "4M", "--add", f"{hello}:/hello.txt")
    problem = f"mkfs: {r.stderr.strip()}" if r.returncode != 0 else None
    if problem is None:
        r, log = boot(build, path, "movedbar", system="fsbar")
        failed = [line for line in r.lines if line.startswith("[FAIL]")]
        if "blk: moving BAR0 from 0xc000 to the granted 0xd000" not in r.lines:
            problem = f"no line about moving the BAR; log: {log}"
        elif not any(line.startswith("blk: virtio-blk at 00:04.0, I/O 0xd000,")
                     for line in r.lines):
            problem = f"the driver did not start at 0xd000; log: {log}"
        elif failed:
            problem = f"{failed[0]}; log: {log}"
        else:
            problem = boot_result(r, log, "fstest: first boot done")
    out.append(("FS_0115", problem is None, problem or ""))
    return out


TESTS = [
    ("FS_0050", check_empty),
    ("FS_0051", check_files),
    ("FS_0052", check_errors),
    ("FS_0053", check_corrupt),
]


def run(build, system=True):
    """[(name, ok, reason)] for every test (system=False: no boots)."""
    out = []
    with tempfile.TemporaryDirectory(prefix="arca-fs-") as tmp:
        for name, fn in TESTS:
            try:
                problem = fn(build, tmp)
            except (OSError, subprocess.SubprocessError) as e:
                problem = f"runner: {e!r}"
            out.append((name, problem is None, problem or ""))
        if system:
            try:
                out += run_system(build, tmp)
            except (OSError, subprocess.SubprocessError, ValueError) as e:
                out.append(("FS_0100", False, f"runner: {e!r}"))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    p.add_argument("--no-system", action="store_true", help="only the tool tests (no QEMU)")
    args = p.parse_args()
    results = run(args.build, system=not args.no_system)
    for name, ok, reason in results:
        print(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
