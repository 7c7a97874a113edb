#!/usr/bin/env python3
"""Writes the seed corpora of the host fuzz targets (tests/fuzz/corpus/<target>/).

The seeds are small, well-formed inputs that get each target past its
input's structure quickly; libFuzzer mutates from there. The files are
committed; rerun this script after changing an input layout:

    python3 tests/fuzz/gen_corpus.py
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(data))


def u8(*v):
    return bytes(x & 0xFF for x in v)


def u16(v):
    return struct.pack("<H", v)


def u64(v):
    return struct.pack("<Q", v & (2**64 - 1))


def cspace():
    # 3 CNodes: radix 4, 2, 8; root guard 60 bits of 0 (depth 64 in one level).
    s = u8(1, 3, 1, 7) + u8(0x80 | 60) + u64(0)
    # Caps: CNode 0 slot 3 -> CNode 1 (guard 4 bits 0xA), CNode 1 slot 2 -> CNode 2
    # (no guard), CNode 2 slot 5 -> CNode 0 (cycle), an endpoint in CNode 0 slot 9.
    s += u8(4)
    s += u8(0) + u16(3) + u8(0) + u8(1) + u8(0x44) + u64(0xA)
    s += u8(1) + u16(2) + u8(0) + u8(2) + u8(0) + u64(0)
    s += u8(2) + u16(5) + u8(0) + u8(0) + u8(0x80 | 20) + u64(0)
    s += u8(0) + u16(9) + u8(3)
    # Lookups: guided at depth 64, guided at depth 20, raw, from another cap.
    s += u8(0x81, 0) + u8(3, 2, 5, 1) + u64(0x123456789)
    s += u8(0x01, 20, 0) + u8(3, 2, 5) + u64(0)
    s += u8(0x80, 0) + u64(9)
    s += u8(0xE1, 64, 1) + u8(1, 2, 3) + u64(0)
    write("cspace", "seed-3cnodes", s)
    write("cspace", "seed-small", u8(0, 0, 0, 0, 0, 0x81, 0, 1))


def cdt():
    rng = random.Random(1)
    boot = u8(0, 1, 2, 3, 4, 5)                     # boot caps in pool slots 0-5
    write("cdt", "seed-boot", boot)
    # Retype a few objects, copy, mint, issue, delete, revoke.
    ops = boot
    ops += u8(13, 0, 40, 0) + u8(13, 0, 41, 1) + u8(13, 0, 42, 17)    # retypes
    ops += u8(12, 4, 43, 0) + u8(12, 5, 47, 1) + u8(0, 43, 48, 0xF)   # issue, copy
    ops += u8(0, 40, 44, 0xF) + u8(2, 40, 45, 0xF, 2) + u8(2, 45, 46, 0xF, 1)
    ops += u8(7, 0, 40) + u8(9, 1, 0) + u8(5, 41, 42, 0, 0)
    write("cdt", "seed-ops", ops)
    write("cdt", "seed-random", u8(*[rng.randrange(256) for _ in range(3000)]))


def elf_file(segments, entry, extra=b""):
    phoff = 64
    eh = b"\x7fELF" + u8(2, 1, 1, 0) + bytes(8)
    eh += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64, 56,
                      len(segments), 64, 0, 0)
    data_off = phoff + 56 * len(segments)
    ph = b""
    blobs = b""
    for (ptype, vaddr, content, memsz) in segments:
        off = data_off + len(blobs)
        ph += struct.pack("<IIQQQQQQ", ptype, 5, off, vaddr, vaddr, len(content), memsz,
                          4096)
        blobs += content
    return eh + ph + blobs + extra


def elf():
    write("elf", "seed-one-segment",
          elf_file([(1, 0x400000, b"\x90" * 32, 0x2000)], 0x400010))
    write("elf", "seed-two-segments",
          elf_file([(1, 0x400000, b"code" * 8, 0x1000),
                    (1, 0x401000, b"data" * 4, 0x3000),
                    (7, 0x401008, b"", 0x10)], 0x400000))
    write("elf", "seed-overlap",
          elf_file([(1, 0x400000, b"A" * 40, 0x100),
                    (1, 0x400010, b"B" * 8, 0x8)], 0x400000))


def mmap_entry(base, length, typ, size=20):
    return struct.pack("<IQQI", size, base, length, typ)


def mmap():
    qemu = (mmap_entry(0, 0x9FC00, 1) + mmap_entry(0x9FC00, 0x400, 2) +
            mmap_entry(0xF0000, 0x10000, 2) + mmap_entry(0x100000, 0x7EE0000, 1) +
            mmap_entry(0x7FE0000, 0x20000, 2) + mmap_entry(0xFFFC0000, 0x40000, 2) +
            mmap_entry(0x100000000, 0x40000000, 1))
    write("mmap", "seed-qemu", u8(1) + u64(0) + u64(2**64 - 1) + qemu)
    odd = (mmap_entry(0x1800, 0x2000, 1) + mmap_entry(0xFFFFFFFFFFFFE000, 0x4000, 1) +
           mmap_entry(0x5000, 0x1000, 1, size=28) + bytes(8) + mmap_entry(0x4000, 0x1000, 1))
    write("mmap", "seed-odd", u8(0) + u64(0x1000) + u64(2**46) + odd)
    many = b"".join(mmap_entry(0x200000 * i, 0x1000, 1) for i in range(40))
    write("mmap", "seed-many", u8(1) + u64(0) + u64(0) + many)


def checksum_fix(buf, start, length, at):
    buf[at] = 0
    buf[at] = (-sum(buf[start:start + length])) & 0xFF


def sdt(sig, payload):
    t = bytearray(sig + struct.pack("<I", 36 + len(payload)) + u8(1, 0) + b"ARCA  " +
                  bytes(8) + bytes(4) + bytes(8) + payload)
    checksum_fix(t, 0, len(t), 9)
    return t


def acpi():
    image = bytearray(0x400)
    # RSDP (revision 2) at 0, RSDT at 0x40, XSDT at 0x80, MADT at 0x100, FACP at 0x200.
    rsdp = bytearray(b"RSD PTR " + u8(0) + b"ARCA  " + u8(2) + struct.pack("<I", 0x40) +
                     struct.pack("<I", 36) + u64(0x80) + u8(0, 0, 0, 0))
    checksum_fix(rsdp, 0, 20, 8)
    checksum_fix(rsdp, 0, 36, 32)
    image[0:36] = rsdp
    madt_body = struct.pack("<II", 0xFEE00000, 1)
    madt_body += u8(0, 8, 0, 0) + struct.pack("<I", 1)                      # LAPIC
    madt_body += u8(0, 8, 1, 1) + struct.pack("<I", 0)                      # disabled
    madt_body += u8(1, 12, 0, 0) + struct.pack("<II", 0xFEC00000, 0)        # IOAPIC
    madt_body += u8(5, 12, 0, 0) + u64(0xFEE01000)                          # override
    madt = sdt(b"APIC", madt_body)
    image[0x100:0x100 + len(madt)] = madt
    facp = sdt(b"FACP", b"facp")
    image[0x200:0x200 + len(facp)] = facp
    rsdt = sdt(b"RSDT", struct.pack("<II", 0x200, 0x100))
    image[0x40:0x40 + len(rsdt)] = rsdt
    xsdt = sdt(b"XSDT", u64(0x200) + u64(0x100))
    image[0x80:0x80 + len(xsdt)] = xsdt
    head = u8(0) + u16(0x40) + b"FACP" + u16(0)
    write("acpi", "seed-rsdp2", head + image)
    # Revision 0 RSDP: the RSDT only; checksums fixed by the harness (flag 1).
    image0 = bytearray(image)
    image0[15] = 0
    write("acpi", "seed-rsdp0", u8(1) + u16(0x40) + b"APIC" + u16(0) + image0)
    # A MADT parsed directly from the image's start.
    write("acpi", "seed-madt", u8(0) + u16(0) + b"APIC" + u16(len(madt)) + madt)


def msginfo():
    words = b"".join(u64(x) for x in (0x14085, 0, 2**64 - 1, 20, 0, 1, 5, 3, 0xABC, 1))
    write("msginfo", "seed-fields", u8(0) + words + u8(2, 1) + u64(0x1234) + u8(60, 4))
    # Transfer: all flags off (buffers present, grant, endpoint 0), a few caps.
    t = u8(1) + u8(0) + u8(0) + u64(0xB00B)
    t += u8(4)                                      # four sender caps
    t += u8(1) + u8(0, 1, 0, 0xF) + u8(0x81)        # slot 1: endpoint on ep, copy in 1?
    t += u8(2) + u8(3, 2, 1, 0xF) + u8(0x83)        # slot 2: other endpoint, copy in 3
    t += u8(4) + u8(6, 0, 0) + u8(0)                # slot 4: untyped
    t += u8(5) + u8(7, 0, 0, 3) + u8(0)             # slot 5: frame
    t += u8(0x0F) + bytes(8)                        # receiver slots 0-3 full
    t += u8(0x82) + u8(0) + u64(0)                  # rcn[2]: CNode cap to rcn2
    t += u64((5 << 12) | (3 << 7) | 6)              # info: label 5, 3 caps, length 6
    t += u8(1, 2, 4)                                # cap pointers (slots)
    t += u8(0) + u8(2) + u8(5)                      # receive CNode at rcn[2], index 5
    write("msginfo", "seed-transfer", t)


if __name__ == "__main__":
    cspace()
    cdt()
    elf()
    mmap()
    acpi()
    msginfo()
