#!/usr/bin/env python3
"""Tests of the system tool (tools/system.py), as SYSDESC_NNNN:

  SYSDESC_0001  tools/sysspec.py's struct layouts and constants equal what
                gcc computes for user/include/arca/sysspec.h.
  SYSDESC_0090  the CSpace slots and limits the tool assumes equal the PD
                runtime's (user/microkit/include/microkit.h).
  tests/system/invalid/NNNN-*.system
                must be rejected by `system.py check` with exactly the
                message on their first line, `<!-- expect: LINE: text -->`
                (printed as FILE:LINE: text, exit status 1).
  tests/system/valid/NNNN-*.system
                must build; the blob decodes (tools/sysspec.py) back to what
                the tool meant to write, the C reader (sysspec-dump, through
                the header) prints the same as the Python decoder, every
                image is the ELF file itself, and the warnings printed are
                exactly the `<!-- expect-warning: LINE: text -->` lines.
                `<!-- expect-patch: PD SYMBOL HEX|region:NAME -->` lines name
                patches that must be in the blob with that value, and
                `<!-- expect-pd: PD field=value... -->` lines PD record fields.

PD images come from build/tests/system/pds (built by make from
tests/system/pds/*.c), tests/system/data (non-ELF files) and build/pds (the
real PDs, linked with the PD runtime: their microkit_* variables must be
what the tool patches).
Run alone: make system-tests.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sysspec  # noqa: E402
import sdf  # noqa: E402
import system  # noqa: E402

ROOT = os.path.dirname(HERE)
TESTS = os.path.join("tests", "system")
TOOL = os.path.join("tools", "system.py")


def search_args(build):
    return ["--search-path", os.path.join(build, "tests", "system", "pds"),
            "--search-path", os.path.join(ROOT, TESTS, "data"),
            "--search-path", os.path.join(build, "pds")]


def run_tool(args):
    return subprocess.run([sys.executable, TOOL] + args, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_layout(build):
    """Compiles a program printing gcc's view of the header and compares."""
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <arca/sysspec.h>",
             "int main(void)", "{"]
    for sname, fields in sysspec.STRUCTS.items():
        c = f"struct sysspec_{sname}"
        lines.append(f'    printf("{sname} size %zu\\n", sizeof({c}));')
        for field, _ in fields:
            lines.append(f'    printf("{sname} {field} %zu\\n", offsetof({c}, {field}));')
    for name in sysspec.CONSTANTS:
        lines.append(f'    printf("{name} %llu\\n", (unsigned long long)({name}));')
    lines += ["    return 0;", "}"]
    d = tempfile.mkdtemp(prefix="arca-sysspec-")
    try:
        src, exe = os.path.join(d, "layout.c"), os.path.join(d, "layout")
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        cc = subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I",
                             os.path.join(ROOT, "user", "include"), src, "-o", exe],
                            capture_output=True, text=True)
        if cc.returncode:
            return f"gcc failed: {cc.stderr.strip()[:300]}"
        out = subprocess.run([exe], capture_output=True, text=True).stdout.splitlines()
    finally:
        shutil.rmtree(d, ignore_errors=True)
    want = []
    for sname, fields in sysspec.STRUCTS.items():
        want.append(f"{sname} size {sysspec.size(sname)}")
        want += [f"{sname} {field} {off}" for field, off in sysspec.offsets(sname).items()]
    want += [f"{name} {value}" for name, value in sysspec.CONSTANTS.items()]
    for w, g in zip(want, out):
        if w != g:
            return f"header says '{g}', tools/sysspec.py says '{w}'"
    if len(want) != len(out):
        return f"{len(out)} lines from the C program, {len(want)} expected"
    return None


def test_runtime_constants():
    """The CSpace slots the report names and the limits the tool enforces
    must be the PD runtime's (user/microkit/include/microkit.h)."""
    header = os.path.join(ROOT, "user", "microkit", "include", "microkit.h")
    with open(header) as f:
        defines = dict(re.findall(r"^#define\s+(\w+)\s+(\d+)\b", f.read(), re.M))
    want = {"INPUT_CAP": system.SLOT_INPUT, "FAULT_EP_CAP": system.SLOT_FAULT_EP,
            "BASE_OUTPUT_NOTIFICATION_CAP": system.SLOT_NOTIFY,
            "BASE_ENDPOINT_CAP": system.SLOT_PPCALL, "BASE_IRQ_CAP": system.SLOT_IRQ,
            "BASE_TCB_CAP": system.SLOT_CHILD_TCB, "BASE_IOPORT_CAP": system.SLOT_IOPORT,
            "MICROKIT_PD_NAME_LENGTH": sysspec.NAME_MAX,
            "MICROKIT_MAX_CHANNELS": sdf.PD_MAX_ID + 1}
    for name, value in want.items():
        if name not in defines:
            return f"{name} not defined as a number in {header}"
        if int(defines[name]) != value:
            return f"{name} is {defines[name]} in microkit.h, {value} in the tool"
    return None


def comments(path, key):
    """The values of `<!-- KEY: value -->` comments in the file."""
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    return [m.strip() for m in re.findall(rf"<!--\s*{key}:(.*?)-->", text)]


def test_invalid(build, path):
    expect = comments(path, "expect")
    if len(expect) != 1:
        return "the file needs exactly one <!-- expect: LINE: text --> comment"
    r = run_tool(["check", path] + search_args(build))
    # SEARCH stands for the search path, which depends on where the tree is.
    want = f"{path}:{expect[0]}".replace("SEARCH", ", ".join(search_args(build)[1::2]))
    got = r.stderr.rstrip("\n")
    if r.returncode != 1:
        return f"exit status {r.returncode}, expected 1 (stderr: {got!r})"
    if got != want:
        return f"got {got!r}, expected {want!r}"
    return None


def py_dump(d):
    """The same text tests/system/dump.c prints."""
    out = [f"system {d['name']}"]
    for i, p in enumerate(d["pds"]):
        out.append(f"pd {i} {p['name']} flags={p['flags']} image={p['image_size']} "
                   f"stack=0x{p['stack_size']:x} ipc=0x{p['ipc_buffer_vaddr']:x} "
                   f"top=0x{p['stack_top_vaddr']:x} parent={p['parent']} "
                   f"child={p['child_id']} prio={p['priority']} "
                   f"maps={p['first_map']}+{p['n_maps']} irqs={p['first_irq']}+{p['n_irqs']} "
                   f"ioports={p['first_ioport']}+{p['n_ioports']} "
                   f"patches={p['first_patch']}+{p['n_patches']} elf={p['image'][:4].hex()}")
    for i, r in enumerate(d["regions"]):
        out.append(f"region {i} {r['name']} flags={r['flags']} size=0x{r['size']:x} "
                   f"page=0x{r['page_size']:x} phys=0x{r['phys_addr']:x}")
    for i, m in enumerate(d["maps"]):
        out.append(f"map {i} pd={m['pd']} region={m['region']} vaddr=0x{m['vaddr']:x} "
                   f"perms={m['perms']} cached={m['cached']}")
    for i, c in enumerate(d["channels"]):
        out.append(f"channel {i} {c['pd_a']}:{c['id_a']} pp={c['pp_a']} notify={c['notify_a']}"
                   f" - {c['pd_b']}:{c['id_b']} pp={c['pp_b']} notify={c['notify_b']}")
    for i, q in enumerate(d["irqs"]):
        out.append(f"irq {i} pd={q['pd']} id={q['id']} kind={q['kind']} vector={q['vector']} "
                   f"ioapic={q['ioapic']} pin={q['pin']} level={q['level']} "
                   f"polarity={q['polarity']} pci={q['pci_bus']}:{q['pci_dev']}."
                   f"{q['pci_func']} handle={q['handle']}")
    for i, p in enumerate(d["ioports"]):
        out.append(f"ioport {i} pd={p['pd']} id={p['id']} base=0x{p['base']:x} size={p['size']}")
    for i, t in enumerate(d["patches"]):
        what = (f"value={t['value'].hex()}" if t["kind"] == sysspec.PATCH_BYTES
                else f"region={t['arg']}")
        out.append(f"patch {i} pd={t['pd']} kind={t['kind']} vaddr=0x{t['vaddr']:x} "
                   f"size={t['size']} {what}")
    return "\n".join(out) + "\n"


def compare(decoded, sysobj):
    """The decoded blob against the records the tool built."""
    t, images = system.tables(sysobj)
    if decoded["name"] != sysobj.name:
        return f"system name {decoded['name']!r}, expected {sysobj.name!r}"
    for table, _ in sysspec.TABLES:
        if len(decoded[table]) != len(t[table]):
            return f"{len(decoded[table])} {table} decoded, {len(t[table])} written"
        for i, (got, want) in enumerate(zip(decoded[table], t[table])):
            for field, value in want.items():
                g = got[field]
                if field == "name_off":
                    g, value = got["name"], value
                elif table == "pds" and field == "image_off":
                    g, value = got["image"], images[value]
                elif table == "patches" and field == "arg" and want["kind"] == 0:
                    g = got["value"]
                if g != value:
                    return f"{table}[{i}].{field}: decoded {g!r}, written {value!r}"
    for p, pd in zip(decoded["pds"], sysobj.pds):
        with open(pd.elf_path, "rb") as f:
            if p["image"] != f.read():
                return f"image of PD '{pd.name}' differs from {pd.elf_path}"
    return None


def check_patches(path, sysobj, decoded):
    for spec in comments(path, "expect-patch"):
        pd_name, symbol, value = spec.split()
        pd = next((p for p in sysobj.pds if p.name == pd_name), None)
        if pd is None or symbol not in pd.elf.symbols:
            return f"expect-patch names unknown PD or symbol: {spec}"
        vaddr = pd.elf.symbols[symbol].value
        found = [t for t in decoded["patches"] if t["pd"] == pd.index and t["vaddr"] == vaddr]
        if len(found) != 1:
            return f"{len(found)} patches of {symbol} in PD '{pd_name}', expected 1"
        t = found[0]
        if value.startswith("region:"):
            want_region = [r.name for r in sysobj.regions].index(value[7:])
            if t["kind"] != sysspec.PATCH_REGION_PADDR or t["arg"] != want_region:
                return f"patch of {symbol} in '{pd_name}' is not the paddr of {value[7:]}"
        elif t["kind"] != sysspec.PATCH_BYTES or t["value"].hex() != value:
            got = t["value"].hex() if t["kind"] == sysspec.PATCH_BYTES else "a region paddr"
            return f"patch of {symbol} in '{pd_name}' is {got}, expected {value}"
    return None


def check_pds(path, decoded):
    """`<!-- expect-pd: NAME field=value ... -->`: fields of the decoded PD
    record (numbers in any Python int syntax, parent as a PD name)."""
    names = [p["name"] for p in decoded["pds"]]
    for spec in comments(path, "expect-pd"):
        name, *fields = spec.split()
        if name not in names:
            return f"expect-pd: no PD '{name}' in the blob"
        pd = decoded["pds"][names.index(name)]
        for f in fields:
            key, value = f.split("=")
            if key == "parent":
                want = names.index(value) if value != "none" else sysspec.NO_PARENT
            else:
                want = int(value, 0)
            if pd[key] != want:
                return f"PD '{name}' {key} is {pd[key]:#x}, expected {want:#x}"
    return None


def test_valid(build, path):
    out = tempfile.mkdtemp(prefix="arca-system-")
    try:
        blob_path = os.path.join(out, "sysspec.bin")
        report_path = os.path.join(out, "report.txt")
        r = run_tool(["build", path] + search_args(build) + ["-o", blob_path,
                                                              "--report", report_path])
        if r.returncode != 0:
            return f"build failed: {r.stderr.strip()}"
        warnings = [f"{path}:{w}" for w in comments(path, "expect-warning")]
        if r.stderr.splitlines() != warnings:
            return f"warnings {r.stderr.splitlines()!r}, expected {warnings!r}"
        with open(blob_path, "rb") as f:
            blob = f.read()
        decoded = sysspec.decode(blob)
        sysobj = system.load(os.path.join(ROOT, path), search_args(build)[1::2])
        problem = (compare(decoded, sysobj) or check_patches(path, sysobj, decoded) or
                   check_pds(path, decoded))
        if problem:
            return problem
        c = subprocess.run([os.path.join(build, "tests", "system", "sysspec-dump"), blob_path],
                           capture_output=True, text=True)
        if c.returncode != 0:
            return f"sysspec-dump: {c.stderr.strip()}"
        want = py_dump(decoded)
        if c.stdout != want:
            for g, w in zip(c.stdout.splitlines(), want.splitlines()):
                if g != w:
                    return f"C reader says {g!r}, Python decoder {w!r}"
            return "C reader and Python decoder print different numbers of lines"
        with open(report_path) as f:
            text = f.read()
        missing = [pd.name for pd in sysobj.pds if f"'{pd.name}'" not in text]
        if missing:
            return f"report does not mention PD(s) {missing}"
    except sysspec.DecodeError as e:
        return f"blob does not decode: {e}"
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return None


def run(build):
    """[(name, ok, reason)] for every tool test."""
    build = os.path.abspath(build)
    results = []
    problem = test_layout(build)
    results.append(("SYSDESC_0001", problem is None, problem or ""))
    problem = test_runtime_constants()
    results.append(("SYSDESC_0090", problem is None, problem or ""))
    for kind, fn in (("invalid", test_invalid), ("valid", test_valid)):
        d = os.path.join(ROOT, TESTS, kind)
        for name in sorted(os.listdir(d)):
            m = re.match(r"^(\d{4})-.*\.system$", name)
            if not m:
                continue
            path = os.path.join(TESTS, kind, name)
            try:
                problem = fn(build, path)
            except Exception as e:      # noqa: BLE001 - a crash is the test's failure
                problem = f"{path}: {type(e).__name__}: {e}"
            results.append((f"SYSDESC_{m.group(1)}", problem is None,
                            f"{path}: {problem}" if problem else ""))
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    args = p.parse_args()
    results = run(args.build)
    for name, ok, reason in results:
        print(f"[PASS] {name}" if ok else f"[FAIL] {name}: {reason}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
