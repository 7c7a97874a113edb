#!/usr/bin/env python3
"""Arca's system tool: checks a Microkit-style .system file and packs the
compact system spec (user/include/arca/sysspec.h) the system initialiser
builds the system from.

Usage:
  tools/system.py check FILE.system [--search-path DIR]...
      Validate only.  Prints `FILE: ok ...` on success.
  tools/system.py build FILE.system --search-path DIR... -o OUT/sysspec.bin
                        [--report OUT/report.txt] [--depfile OUT/sysspec.d]
      Validate and write the blob (and a human-readable report, and a make
      dependency file naming the .system file and every program image).
  tools/system.py images FILE.system
      Print each distinct program_image path as written (for Makefiles).

program_image paths are looked up in each --search-path in turn (default:
the .system file's directory).  Errors are one line, `FILE:LINE: what is
wrong`, on stderr with exit status 1; warnings (`FILE:LINE: warning: ...`)
do not fail the run.

From make: `$(BUILD)/system/NAME/sysspec.bin` is built from
`user/systems/NAME.system` with the search path `$(BUILD)/pds` (see the
Makefile's "systems" section).  The format, the supported elements and the
error list are in docs/system.md, "The .system file".

Where each PD's IPC buffer and stack go: above its program image.  The
image covers [lo, hi) (its PT_LOAD segments, rounded out to pages); the IPC
buffer is the page at hi + 0x1000 (one unmapped guard page between), or at
the image's symbol __sel4_ipc_buffer_obj if it defines one (Microkit's
linker script does); the stack follows after another guard page:
[ipc + 0x2000, ipc + 0x2000 + stack_size), with a guard page above it.
<map> elements must stay clear of all of that.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elf64  # noqa: E402
import sdf  # noqa: E402
import sysspec  # noqa: E402
from sdf import SdfError  # noqa: E402

PAGE = 0x1000
USER_TOP = 0x800000000000       # x86_64: user addresses are below 2^47
IPC_SYMBOL = "__sel4_ipc_buffer_obj"


def first_dup(items, key, what):
    """Raises on the second item whose key() an earlier item has."""
    seen = {}
    for it in items:
        k = key(it)
        if k in seen:
            raise SdfError(it.line, what(it, seen[k]))
        seen[k] = it


def overlap(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


# --- whole-description checks -------------------------------------------------

def check_names(system):
    if not system.pds:
        raise SdfError(1, "no <protection_domain> in the system")
    if len(system.pds) > sysspec.MAX_PDS:
        raise SdfError(system.pds[sysspec.MAX_PDS].line,
                       f"too many PDs: {len(system.pds)} (at most {sysspec.MAX_PDS})")
    first_dup(system.pds, lambda p: p.name,
              lambda p, q: f"duplicate PD name '{p.name}' (first on line {q.line})")
    first_dup(system.regions, lambda r: r.name,
              lambda r, q: f"duplicate memory region name '{r.name}' (first on line {q.line})")
    for pd in system.pds:
        first_dup(pd.children, lambda c: c.child_id,
                  lambda c, q: f"child id {c.child_id} reused in PD '{pd.name}' "
                               f"(first by '{q.name}' on line {q.line})")
    fixed = [r for r in system.regions if r.phys_addr is not None]
    for i, r in enumerate(fixed):
        for q in fixed[:i]:
            if overlap(r.phys_addr, r.phys_addr + r.size, q.phys_addr, q.phys_addr + q.size):
                raise SdfError(r.line, f"region '{r.name}' at phys_addr 0x{r.phys_addr:x} "
                                       f"overlaps region '{q.name}' (line {q.line})")


def check_channels(system):
    by_name = {pd.name: pd for pd in system.pds}
    # Channel ids and IRQ ids share one space per PD (both are notification
    # bits).  The id on a monitor end is not used (the monitor tells its
    # callers apart by PD index), so it may repeat.
    used = {pd.name: {} for pd in system.pds}
    for pd in system.pds:
        for irq in pd.irqs:
            if irq.id in used[pd.name]:
                raise SdfError(irq.line, f"channel id {irq.id} reused in PD '{pd.name}' "
                                         f"(first on line {used[pd.name][irq.id]})")
            used[pd.name][irq.id] = irq.line
    for ch in system.channels:
        for end in (ch.a, ch.b):
            if end.pd == sdf.MONITOR:
                end.index = sysspec.MONITOR
                if end.pp:
                    raise SdfError(end.line, "pp=\"true\" on the monitor's end: the monitor "
                                             "never ppcalls a PD")
                if end.setvar_id is not None:
                    raise SdfError(end.line, "setvar_id on the monitor's end (it has no image)")
            elif end.pd in by_name:
                end.index = by_name[end.pd].index
            else:
                raise SdfError(end.line, f"unknown PD '{end.pd}' in channel end")
        if ch.a.pd == sdf.MONITOR and ch.b.pd == sdf.MONITOR:
            raise SdfError(ch.line, "both ends of the channel are the monitor")
        if sdf.MONITOR in (ch.a.pd, ch.b.pd):
            # The monitor takes ppcalls only: it has no notification to
            # signal and signals nobody, so neither end gets a notify cap.
            ch.a.notify = ch.b.notify = False
        for end in (ch.a, ch.b):
            if end.pd == sdf.MONITOR:
                continue
            ids = used[end.pd]
            if end.id in ids:
                raise SdfError(end.line, f"channel id {end.id} reused in PD '{end.pd}' "
                                         f"(first on line {ids[end.id]})")
            ids[end.id] = end.line
        for caller, callee in ((ch.a, ch.b), (ch.b, ch.a)):
            if caller.pp and callee.pd != sdf.MONITOR:
                p, q = by_name[caller.pd], by_name[callee.pd]
                if q.priority <= p.priority:
                    raise SdfError(caller.line,
                                   f"PD '{p.name}' (priority {p.priority}) may not ppcall "
                                   f"PD '{q.name}' (priority {q.priority}): the callee "
                                   "must have a strictly higher priority")
                q.protected = True


def check_irqs_ioports(system):
    pins, vectors, ports = {}, {}, []
    for pd in system.pds:
        for irq in pd.irqs:
            if irq.kind == "ioapic":
                key = (irq.ioapic, irq.pin)
                if key in pins:
                    q, line = pins[key]
                    raise SdfError(irq.line, f"IRQ ioapic {irq.ioapic} pin {irq.pin} claimed "
                                             f"twice (first by PD '{q.name}' on line {line})")
                pins[key] = (pd, irq.line)
            if irq.vector in vectors:
                q, line = vectors[irq.vector]
                raise SdfError(irq.line, f"IRQ vector {irq.vector} claimed twice (first by "
                                         f"PD '{q.name}' on line {line})")
            vectors[irq.vector] = (pd, irq.line)
        first_dup(pd.ioports, lambda p: p.id,
                  lambda p, q: f"I/O port id {p.id} reused in PD '{pd.name}' "
                               f"(first on line {q.line})")
        for port in pd.ioports:
            end = port.addr + port.size
            for q, other in ports:
                if overlap(port.addr, end, other.addr, other.addr + other.size):
                    raise SdfError(port.line, f"I/O ports 0x{port.addr:x}..0x{end - 1:x} of PD "
                                              f"'{pd.name}' overlap 0x{other.addr:x}.."
                                              f"0x{other.addr + other.size - 1:x} of PD "
                                              f"'{q.name}' (line {other.line})")
            ports.append((pd, port))


def check_maps(system):
    regions = {r.name: r for r in system.regions}
    for pd in system.pds:
        done = []
        for m in pd.maps:
            r = regions.get(m.mr)
            if r is None:
                raise SdfError(m.line, f"map of unknown memory region '{m.mr}'")
            m.region = r
            if m.vaddr % r.page_size:
                raise SdfError(m.line, f"vaddr 0x{m.vaddr:x} of map '{m.mr}' is not aligned to "
                                       f"the region's page size 0x{r.page_size:x}")
            m.end = m.vaddr + r.size
            if m.end > USER_TOP:
                raise SdfError(m.line, f"map '{m.mr}' at 0x{m.vaddr:x}..0x{m.end:x} reaches into "
                                       f"the kernel half (user addresses end at 0x{USER_TOP:x})")
            for q in done:
                if overlap(m.vaddr, m.end, q.vaddr, q.end):
                    raise SdfError(m.line, f"map '{m.mr}' at 0x{m.vaddr:x}..0x{m.end:x} overlaps "
                                           f"map '{q.mr}' at 0x{q.vaddr:x}..0x{q.end:x} in PD "
                                           f"'{pd.name}' (line {q.line})")
            done.append(m)
    mapped = {m.mr for pd in system.pds for m in pd.maps}
    for r in system.regions:
        if r.name not in mapped:
            system.warnings.append((r.line, f"warning: memory region '{r.name}' is not mapped "
                                            "by any PD"))


# --- program images -----------------------------------------------------------

def find_image(pd, search):
    for d in search:
        path = os.path.join(d, pd.image)
        if os.path.isfile(path):
            return path
    raise SdfError(pd.image_line, f"program image '{pd.image}' of PD '{pd.name}' not found "
                                  f"(searched {', '.join(search)})")


def load_images(system, search):
    cache = {}
    for pd in system.pds:
        path = find_image(pd, search)
        key = os.path.realpath(path)
        if key not in cache:
            try:
                cache[key] = elf64.read(path)
            except (OSError, elf64.ElfError) as e:
                raise SdfError(pd.image_line, f"program image '{pd.image}' of PD '{pd.name}': "
                                              f"{e.strerror if isinstance(e, OSError) else e}")
        pd.elf, pd.image_key, pd.elf_path = cache[key], key, path


def place(pd):
    """Chooses the IPC buffer and stack addresses (see the top of this file)
    and checks that the maps stay clear of them and of the image."""
    elf = pd.elf
    lo, hi = elf.extent()
    if hi > USER_TOP:
        raise SdfError(pd.image_line, f"program image '{pd.image}' of PD '{pd.name}' reaches "
                                      "into the kernel half")
    if not any(s.vaddr <= elf.entry < s.end and s.flags & elf64.PF_X for s in elf.segments):
        raise SdfError(pd.image_line, f"entry point 0x{elf.entry:x} of '{pd.image}' is not in "
                                      "an executable segment")
    sym = elf.symbols.get(IPC_SYMBOL)
    if sym is not None:
        pd.ipc = sym.value
        if pd.ipc % PAGE or any(overlap(pd.ipc, pd.ipc + PAGE, s.vaddr, s.end)
                                for s in elf.segments):
            raise SdfError(pd.image_line, f"{IPC_SYMBOL} (0x{pd.ipc:x}) in '{pd.image}' must be "
                                          "a page-aligned address outside the loaded segments")
    else:
        pd.ipc = hi + PAGE
    pd.stack_bottom = pd.ipc + 2 * PAGE
    pd.stack_top = pd.stack_bottom + pd.stack_size
    if pd.stack_top + PAGE > USER_TOP:
        raise SdfError(pd.line, f"the stack of PD '{pd.name}' would reach the kernel half")
    areas = [("program image", lo, hi),
             ("guard page below the IPC buffer", pd.ipc - PAGE, pd.ipc),
             ("IPC buffer", pd.ipc, pd.ipc + PAGE),
             ("guard page below the stack", pd.ipc + PAGE, pd.stack_bottom),
             ("stack", pd.stack_bottom, pd.stack_top),
             ("guard page above the stack", pd.stack_top, pd.stack_top + PAGE)]
    if sym is not None:
        del areas[1]    # the image's own layout decides what is below its IPC buffer
    for m in pd.maps:
        for what, a0, a1 in areas:
            if overlap(m.vaddr, m.end, a0, a1):
                raise SdfError(m.line, f"map '{m.mr}' at 0x{m.vaddr:x}..0x{m.end:x} overlaps the "
                                       f"{what} of PD '{pd.name}' (0x{a0:x}..0x{a1:x})")


# --- patches ------------------------------------------------------------------

def u64(v):
    return v.to_bytes(8, "little")


def symbol_for(pd, name, line, need_size=None, optional=False):
    sym = pd.elf.symbols.get(name)
    if sym is None:
        if optional:
            return None
        raise SdfError(line, f"symbol '{name}' not found in program image '{pd.image}' "
                             f"of PD '{pd.name}'")
    if need_size is not None and sym.size != need_size:
        raise SdfError(line, f"symbol '{name}' in '{pd.image}' is {sym.size} bytes; "
                             f"it must be a {need_size}-byte variable")
    if sym.size == 0 or pd.elf.segment_containing(sym.value, sym.size) is None:
        raise SdfError(line, f"symbol '{name}' in '{pd.image}' is not a variable inside a "
                             "loaded segment")
    return sym


def make_patches(system, pd):
    """Microkit's per-PD variables (only when the image defines them), then
    the description's setvars."""
    patches = []

    def add(sym, value):
        patches.append({"pd": pd.index, "kind": sysspec.PATCH_BYTES, "vaddr": sym.value,
                        "size": len(value), "arg": value})

    sym = symbol_for(pd, "microkit_name", pd.line, optional=True)
    if sym is not None:
        name = pd.name.encode()[:max(sym.size - 1, 0)]
        add(sym, name + b"\0" * (min(sym.size, sysspec.NAME_MAX) - len(name)))
    sym = symbol_for(pd, "microkit_passive", pd.line, optional=True)
    if sym is not None:
        add(sym, b"\0")     # passive needs MCS: the PD runs as an ordinary one
    notify = pps = 0
    for ch in system.channels:
        for end in (ch.a, ch.b):
            if end.pd == pd.name:
                notify |= end.notify << end.id
                pps |= end.pp << end.id
    masks = (("microkit_irqs", sum(1 << i.id for i in pd.irqs)),
             ("microkit_notifications", notify), ("microkit_pps", pps),
             ("microkit_ioports", sum(1 << p.id for p in pd.ioports)))
    for name, mask in masks:
        sym = symbol_for(pd, name, pd.line, need_size=8, optional=True)
        if sym is not None:
            add(sym, u64(mask))

    regions = {r.name: i for i, r in enumerate(system.regions)}
    setvars = list(pd.setvars)
    for ch in system.channels:
        for end in (ch.a, ch.b):
            if end.pd == pd.name and end.setvar_id is not None:
                for sv in setvars:
                    if sv.symbol == end.setvar_id:
                        raise SdfError(end.line, f"setvar on symbol '{sv.symbol}' already given "
                                                 f"in PD '{pd.name}' (line {sv.line})")
                setvars.append(sdf.Obj(end.line, symbol=end.setvar_id, kind="id", value=end.id))
    for sv in setvars:
        if sv.kind == "paddr" and sv.value not in regions:
            raise SdfError(sv.line, f"setvar '{sv.symbol}' names unknown memory region "
                                    f"'{sv.value}'")
        sym = symbol_for(pd, sv.symbol, sv.line, need_size=8)
        if sv.kind == "paddr":
            patches.append({"pd": pd.index, "kind": sysspec.PATCH_REGION_PADDR,
                            "vaddr": sym.value, "size": 8, "arg": regions[sv.value]})
        elif sv.kind == "size":
            add(sym, u64(next(r.size for r in system.regions if r.name == sv.value)))
        else:
            add(sym, u64(sv.value))
    return patches


# --- driver -------------------------------------------------------------------

def load(path, search):
    """Parses and validates; returns the System with every PD placed and
    patched.  Raises SdfError or OSError."""
    with open(path, "rb") as f:
        data = f.read()
    system = sdf.parse(data)
    for pd in system.pds:
        pd.protected = False
    check_names(system)
    check_channels(system)
    check_irqs_ioports(system)
    check_maps(system)
    load_images(system, search)
    for pd in system.pds:
        place(pd)
    for pd in system.pds:
        pd.patches = make_patches(system, pd)
    system.name = os.path.basename(path)
    if system.name.endswith(".system"):
        system.name = system.name[:-len(".system")]
    return system


def tables(system):
    """The spec's tables as record dicts (sysspec.pack's input), and the
    distinct images."""
    images, image_index = [], {}
    t = {name: [] for name, _ in sysspec.TABLES}
    regions = {r.name: i for i, r in enumerate(system.regions)}
    for pd in system.pds:
        if pd.image_key not in image_index:
            image_index[pd.image_key] = len(images)
            images.append(pd.elf.data)
        flags = ((sysspec.PD_RESTART_ON_FAULT if pd.restart else 0) |
                 (sysspec.PD_HAS_PROTECTED if pd.protected else 0) |
                 (sysspec.PD_PASSIVE if pd.passive else 0))
        rec = {"name_off": pd.name, "flags": flags, "image_off": image_index[pd.image_key],
               "image_size": len(pd.elf.data), "stack_size": pd.stack_size,
               "ipc_buffer_vaddr": pd.ipc, "stack_top_vaddr": pd.stack_top,
               "parent": sysspec.NO_PARENT if pd.parent is None else pd.parent.index,
               "child_id": 0 if pd.child_id is None else pd.child_id,
               "priority": pd.priority, "reserved": b"\0" * 3}
        for what, table, rows in (("map", "maps", [
                {"pd": pd.index, "region": regions[m.mr], "vaddr": m.vaddr, "perms": m.perms,
                 "cached": int(m.cached)} for m in pd.maps]),
                ("irq", "irqs", [
                {"pd": pd.index, "id": i.id,
                 "kind": sysspec.IRQ_IOAPIC if i.kind == "ioapic" else sysspec.IRQ_MSI,
                 "vector": i.vector, "ioapic": i.ioapic, "pin": i.pin, "level": i.level,
                 "polarity": i.polarity, "pci_bus": i.pci_bus, "pci_dev": i.pci_dev,
                 "pci_func": i.pci_func, "handle": i.handle} for i in pd.irqs]),
                ("ioport", "ioports", [
                {"pd": pd.index, "id": p.id, "base": p.addr, "size": p.size}
                for p in pd.ioports]),
                ("patch", "patches", pd.patches)):
            rec[f"first_{what}"] = len(t[table])
            rec["n_patches" if what == "patch" else f"n_{what}s"] = len(rows)
            t[table] += rows
        t["pds"].append(rec)
    for r in system.regions:
        t["regions"].append({"name_off": r.name,
                             "flags": sysspec.REGION_FIXED_PADDR if r.phys_addr is not None else 0,
                             "size": r.size, "page_size": r.page_size,
                             "phys_addr": r.phys_addr or 0})
    for ch in system.channels:
        t["channels"].append({"pd_a": ch.a.index, "pd_b": ch.b.index, "id_a": ch.a.id,
                              "id_b": ch.b.id, "pp_a": int(ch.a.pp), "pp_b": int(ch.b.pp),
                              "notify_a": int(ch.a.notify), "notify_b": int(ch.b.notify),
                              "reserved": b"\0" * 6})
    return t, images


# A PD's CSpace slots, as the PD runtime and the initialiser lay them out
# (user/microkit/include/microkit.h; tools/system_tests.py checks these).
SLOT_INPUT = 1
SLOT_FAULT_EP = 2
SLOT_NOTIFY = 10
SLOT_PPCALL = 74
SLOT_IRQ = 138
SLOT_CHILD_TCB = 202
SLOT_IOPORT = 394


def pd_caps(system, pd):
    """(slot, description) of every cap the PD's CSpace holds."""
    caps = []
    if pd.protected or pd.children:
        why = " and ".join(w for w, on in (("ppcalls", pd.protected),
                                           ("children's faults", pd.children)) if on)
        caps.append((SLOT_INPUT, f"input: endpoint ({why}), notification bound"))
    else:
        caps.append((SLOT_INPUT, "input: notification"))
    caps.append((SLOT_FAULT_EP, "fault endpoint: " + (f"parent '{pd.parent.name}'" if pd.parent
                                                      else "the monitor")))
    for ch in system.channels:
        for me, other in ((ch.a, ch.b), (ch.b, ch.a)):
            if me.pd != pd.name:
                continue
            who = "the monitor" if other.pd == sdf.MONITOR else f"'{other.pd}'"
            if me.notify:
                caps.append((SLOT_NOTIFY + me.id, f"channel {me.id}: notify {who} "
                                                  f"(its channel {other.id})"))
            if me.pp:
                caps.append((SLOT_PPCALL + me.id, f"channel {me.id}: ppcall {who} "
                                                  f"(its channel {other.id})"))
    for i in pd.irqs:
        src = (f"ioapic {i.ioapic} pin {i.pin}" if i.kind == "ioapic"
               else f"MSI {i.pci_bus:02x}:{i.pci_dev:02x}.{i.pci_func} handle {i.handle}")
        caps.append((SLOT_IRQ + i.id, f"IRQ handler, channel {i.id}: {src}, vector {i.vector}"))
    for c in pd.children:
        caps.append((SLOT_CHILD_TCB + c.child_id, f"TCB of child {c.child_id} '{c.name}'"))
    for p in pd.ioports:
        caps.append((SLOT_IOPORT + p.id, f"I/O ports {p.id}: 0x{p.addr:x}..0x"
                                         f"{p.addr + p.size - 1:x}"))
    return sorted(caps)


def report(system):
    """A human-readable summary: PDs, the caps each one gets, mappings."""
    out = [f"system '{system.name}': {len(system.pds)} PDs, {len(system.regions)} memory "
           f"regions, {len(system.channels)} channels", ""]
    for r in system.regions:
        where = f"phys 0x{r.phys_addr:x}" if r.phys_addr is not None else "allocated"
        users = [f"'{pd.name}'" for pd in system.pds if any(m.mr == r.name for m in pd.maps)]
        out.append(f"region {r.name}: 0x{r.size:x} bytes, pages of 0x{r.page_size:x}, {where}; "
                   f"mapped by {', '.join(users) or 'nobody'}")
    for pd in system.pds:
        lo, hi = pd.elf.extent()
        parent = f", child {pd.child_id} of '{pd.parent.name}'" if pd.parent else ""
        out += ["", f"PD {pd.index} '{pd.name}': priority {pd.priority}, on fault "
                    f"{'restart' if pd.restart else 'stop'}{parent}",
                "  address space:",
                f"    0x{lo:x}..0x{hi:x} image {pd.image} (entry 0x{pd.elf.entry:x})",
                f"    0x{pd.ipc:x}..0x{pd.ipc + PAGE:x} IPC buffer",
                f"    0x{pd.stack_bottom:x}..0x{pd.stack_top:x} stack"]
        for m in sorted(pd.maps, key=lambda m: m.vaddr):
            perms = "".join(c for c, b in (("r", 1), ("w", 2), ("x", 4)) if m.perms & b)
            out.append(f"    0x{m.vaddr:x}..0x{m.end:x} region {m.mr}, {perms}"
                       f"{'' if m.cached else ', uncached'}")
        out.append("  caps (CSpace slot: cap):")
        out += [f"    {slot:3}: {what}" for slot, what in pd_caps(system, pd)]
        if pd.patches:
            out.append("  patches (address, bytes: value):")
        for p in pd.patches:
            what = ("physical address of region " + system.regions[p["arg"]].name
                    if p["kind"] == sysspec.PATCH_REGION_PADDR else p["arg"].hex())
            sym = next((n for n, v in pd.elf.symbols.items() if v.value == p["vaddr"] and v.size),
                       None)
            out.append(f"    0x{p['vaddr']:x} {sym or ''}, {p['size']}: {what}")
    return "\n".join(out) + "\n"


def write_file(path, data):
    """Writes through a temporary file, so make never sees half a blob;
    "-" and anything that is not a regular file (a pipe, /dev/stdout) are
    written directly."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "wb") as f:
            f.write(data)
        return
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def images_command(path):
    with open(path, "rb") as f:
        system = sdf.parse(f.read())
    seen = []
    for pd in system.pds:
        if pd.image not in seen:
            seen.append(pd.image)
            print(pd.image)


def main(argv=None):
    p = argparse.ArgumentParser(description="Check and pack Microkit-style .system files.")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("check", "build"):
        s = sub.add_parser(name)
        s.add_argument("file")
        s.add_argument("--search-path", action="append", default=[])
        if name == "build":
            s.add_argument("-o", "--output", required=True)
            s.add_argument("--report")
            s.add_argument("--depfile")
    s = sub.add_parser("images")
    s.add_argument("file")
    args = p.parse_args(argv)
    try:
        if args.command == "images":
            images_command(args.file)
            return 0
        search = args.search_path or [os.path.dirname(args.file) or "."]
        system = load(args.file, search)
    except SdfError as e:
        print(f"{args.file}:{e.line}: {e.message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{args.file}: {e.strerror}", file=sys.stderr)
        return 1
    for line, msg in sorted(system.warnings):
        print(f"{args.file}:{line}: {msg}", file=sys.stderr)
    if args.command == "check":
        print(f"{args.file}: ok: {len(system.pds)} PDs, {len(system.regions)} memory regions, "
              f"{len(system.channels)} channels")
        return 0
    t, images = tables(system)
    write_file(args.output, sysspec.pack(system.name, t, images))
    if args.report:
        write_file(args.report, report(system).encode())
    if args.depfile:
        deps = [args.file] + sorted({pd.elf_path for pd in system.pds})
        text = f"{args.output}: {' '.join(deps)}\n" + "".join(f"{d}:\n" for d in deps[1:])
        write_file(args.depfile, text.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
