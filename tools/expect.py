#!/usr/bin/env python3
"""Expect-style control of a QEMU boot over the serial console (COM1).

QEMU runs with COM1 on its stdin/stdout (-serial stdio); a reader thread
collects everything the guest prints (kernel and user level alike), and the
caller waits for patterns and types input:

    with Session(qemu.qemu_command(kernel, root, extra_args=...), log) as s:
        s.expect(r"arca> ", timeout=30)
        s.send("echo hi\\r")
        m = s.expect(r"echo hi\\n(.*?)arca> ")

Output is matched as text with carriage returns and terminal escape
sequences removed.  expect() searches from where the previous match ended,
so a pattern cannot match output that an earlier step already consumed.
Everything received goes to the log file as it arrives.
"""
import re
import subprocess
import threading
import time

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Timeout(Exception):
    pass


class Session:
    def __init__(self, cmd, log=None):
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.text = ""          # everything received, cleaned
        self.pos = 0            # where the next expect() starts looking
        self.eof = False
        self.cond = threading.Condition()
        self.log = open(log, "w", encoding="utf-8", errors="replace") if log else None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        pending = b""
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            pending += chunk
            # Decode only whole UTF-8 sequences; keep a split one for later.
            try:
                text = pending.decode("utf-8")
                pending = b""
            except UnicodeDecodeError as e:
                if e.start >= len(pending) - 3:
                    text = pending[:e.start].decode("utf-8", errors="replace")
                    pending = pending[e.start:]
                else:
                    text = pending.decode("utf-8", errors="replace")
                    pending = b""
            self._add(text)
        if pending:
            self._add(pending.decode("utf-8", errors="replace"))
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def _add(self, text):
        if self.log:
            self.log.write(text)
            self.log.flush()
        with self.cond:
            # An escape sequence split across reads is rare and only
            # affects matching of that sequence itself; strip per chunk.
            self.text += ESCAPES.sub("", text.replace("\r", ""))
            self.cond.notify_all()

    def elapsed(self):
        return time.monotonic() - self.start

    def expect(self, pattern, timeout=30.0):
        """Waits for `pattern` (a regex, DOTALL) in the output not yet
        consumed; returns the match and consumes up to its end.  Raises
        Timeout with the unconsumed tail if it does not come in time or
        QEMU exits first."""
        regex = re.compile(pattern, re.DOTALL)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = regex.search(self.text, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if self.eof or left <= 0:
                    tail = self.text[self.pos:][-300:]
                    why = "QEMU exited" if self.eof else f"no match within {timeout:.0f} s"
                    raise Timeout(f"{why} waiting for /{pattern}/; got {tail!r}")
                self.cond.wait(min(left, 0.5))

    def send(self, text):
        if self.log:
            self.log.write(f"\n[sent {text!r}]\n")
            self.log.flush()
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def close(self, timeout=10.0):
        """Stops QEMU (if still running) and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            code = self.proc.wait(timeout)
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.reader.join(timeout)
            if self.log:
                self.log.write(f"\n--- qemu: {self.proc.returncode}, {self.elapsed():.2f} s ---\n")
                self.log.close()
                self.log = None
        return code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
