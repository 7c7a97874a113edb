"""The compact system spec format (user/include/arca/sysspec.h), in Python.

Each C struct is mirrored as a list of (field, struct-format) pairs, little
endian with no implicit padding: the C header lays its fields out so that
natural alignment never inserts any, and tools/system_tests.py checks every
offset and size here against what gcc computes for the header.

pack() turns a list of records (dicts) per table into the blob; decode()
reads a blob back into the same shape, checking every offset and count, so
the tests can compare what went in with what comes out.
"""
import struct

MAGIC = 0x53435241
VERSION = 1
MAX_PDS = 63
NAME_MAX = 64
NO_PARENT = 0xFFFF
MONITOR = 0xFFFE

PD_RESTART_ON_FAULT = 0x1
PD_HAS_PROTECTED = 0x2
PD_PASSIVE = 0x4
REGION_FIXED_PADDR = 0x1
PERM_R, PERM_W, PERM_X = 0x1, 0x2, 0x4
IRQ_IOAPIC, IRQ_MSI = 0, 1
PATCH_BYTES, PATCH_REGION_PADDR = 0, 1

# The #defines tools/system_tests.py compares with the header.
CONSTANTS = {
    "SYSSPEC_MAGIC": MAGIC, "SYSSPEC_VERSION": VERSION, "SYSSPEC_MAX_PDS": MAX_PDS,
    "SYSSPEC_NAME_MAX": NAME_MAX, "SYSSPEC_NO_PARENT": NO_PARENT,
    "SYSSPEC_MONITOR": MONITOR, "SYSSPEC_PD_RESTART_ON_FAULT": PD_RESTART_ON_FAULT,
    "SYSSPEC_PD_HAS_PROTECTED": PD_HAS_PROTECTED, "SYSSPEC_PD_PASSIVE": PD_PASSIVE,
    "SYSSPEC_REGION_FIXED_PADDR": REGION_FIXED_PADDR, "SYSSPEC_PERM_R": PERM_R,
    "SYSSPEC_PERM_W": PERM_W, "SYSSPEC_PERM_X": PERM_X, "SYSSPEC_IRQ_IOAPIC": IRQ_IOAPIC,
    "SYSSPEC_IRQ_MSI": IRQ_MSI, "SYSSPEC_PATCH_BYTES": PATCH_BYTES,
    "SYSSPEC_PATCH_REGION_PADDR": PATCH_REGION_PADDR,
}

STRUCTS = {
    "header": [
        ("magic", "I"), ("version", "I"), ("total_size", "Q"),
        ("n_pds", "I"), ("pds_off", "I"),
        ("n_regions", "I"), ("regions_off", "I"),
        ("n_maps", "I"), ("maps_off", "I"),
        ("n_channels", "I"), ("channels_off", "I"),
        ("n_irqs", "I"), ("irqs_off", "I"),
        ("n_ioports", "I"), ("ioports_off", "I"),
        ("n_patches", "I"), ("patches_off", "I"),
        ("strings_off", "I"), ("strings_size", "I"),
        ("name_off", "I"), ("reserved", "I"),
    ],
    "pd": [
        ("name_off", "I"), ("flags", "I"),
        ("image_off", "Q"), ("image_size", "Q"),
        ("stack_size", "Q"), ("ipc_buffer_vaddr", "Q"), ("stack_top_vaddr", "Q"),
        ("parent", "H"), ("child_id", "H"), ("priority", "B"), ("reserved", "3s"),
        ("first_map", "I"), ("n_maps", "I"),
        ("first_irq", "I"), ("n_irqs", "I"),
        ("first_ioport", "I"), ("n_ioports", "I"),
        ("first_patch", "I"), ("n_patches", "I"),
    ],
    "region": [
        ("name_off", "I"), ("flags", "I"), ("size", "Q"), ("page_size", "Q"),
        ("phys_addr", "Q"),
    ],
    "map": [
        ("pd", "I"), ("region", "I"), ("vaddr", "Q"), ("perms", "I"), ("cached", "I"),
    ],
    "channel": [
        ("pd_a", "H"), ("pd_b", "H"), ("id_a", "B"), ("id_b", "B"), ("pp_a", "B"),
        ("pp_b", "B"), ("notify_a", "B"), ("notify_b", "B"), ("reserved", "6s"),
    ],
    "irq": [
        ("pd", "I"), ("id", "I"), ("kind", "I"), ("vector", "I"),
        ("ioapic", "I"), ("pin", "I"), ("level", "I"), ("polarity", "I"),
        ("pci_bus", "I"), ("pci_dev", "I"), ("pci_func", "I"), ("handle", "I"),
    ],
    "ioport": [("pd", "I"), ("id", "I"), ("base", "I"), ("size", "I")],
    "patch": [
        ("pd", "I"), ("kind", "I"), ("vaddr", "Q"), ("size", "I"), ("arg", "I"),
    ],
}

# Table name in the header -> struct name, in the order the tables are laid out.
TABLES = [("pds", "pd"), ("regions", "region"), ("maps", "map"), ("channels", "channel"),
          ("irqs", "irq"), ("ioports", "ioport"), ("patches", "patch")]


def fmt(name):
    return "<" + "".join(f for _, f in STRUCTS[name])


def size(name):
    return struct.calcsize(fmt(name))


def offsets(name):
    """field -> byte offset, as C's offsetof should give."""
    out, off = {}, 0
    for field, f in STRUCTS[name]:
        out[field] = off
        off += struct.calcsize("<" + f)
    return out


def pack_record(name, record):
    values = []
    for field, f in STRUCTS[name]:
        v = record.get(field, b"" if f.endswith("s") else 0)
        values.append(v)
    return struct.pack(fmt(name), *values)


def unpack_record(name, data, off):
    vals = struct.unpack_from(fmt(name), data, off)
    return {field: v for (field, _), v in zip(STRUCTS[name], vals)}


def align8(n):
    return (n + 7) & ~7


class Strings:
    """The string table: NUL-terminated, each distinct string stored once."""

    def __init__(self):
        self.data = bytearray()
        self.index = {}

    def add(self, s):
        if s not in self.index:
            self.index[s] = len(self.data)
            self.data += s.encode() + b"\0"
        return self.index[s]


def pack(system_name, tables, images):
    """tables: table name -> list of record dicts, in which every *name_off
    field holds a Python string and every image_off an index into images;
    patch records of kind BYTES hold their value (bytes) in 'arg'.  images:
    list of bytes.  Returns the blob."""
    strings = Strings()
    header = {"magic": MAGIC, "version": VERSION}
    off = size("header")
    for table, sname in TABLES:
        off = align8(off)
        header[f"n_{table}"] = len(tables[table])
        header[f"{table}_off"] = off
        off += size(sname) * len(tables[table])
    strings_off = align8(off)
    # Names first, so the string table's layout depends only on the names.
    header["name_off"] = strings.add(system_name)
    for table in ("pds", "regions"):
        for r in tables[table]:
            strings.add(r["name_off"])
    values_off = align8(strings_off + len(strings.data))
    values = bytearray()
    value_at = {}
    for r in tables["patches"]:
        if r["kind"] == PATCH_BYTES:
            v = bytes(r["arg"])
            if v not in value_at:
                value_at[v] = values_off + len(values)
                values += v
                values += b"\0" * (align8(len(values)) - len(values))
    image_at = []
    off = align8(values_off + len(values))
    for img in images:
        image_at.append(off)
        off = align8(off + len(img))
    total = off

    blob = bytearray(total)
    header["strings_off"] = strings_off
    header["strings_size"] = len(strings.data)
    header["name_off"] += strings_off
    header["total_size"] = total
    blob[0:size("header")] = pack_record("header", header)
    for table, sname in TABLES:
        base = header[f"{table}_off"]
        for i, r in enumerate(tables[table]):
            r = dict(r)
            if "name_off" in r:
                r["name_off"] = strings_off + strings.index[r["name_off"]]
            if table == "pds":
                r["image_off"] = image_at[r["image_off"]]
            if table == "patches" and r["kind"] == PATCH_BYTES:
                r["arg"] = value_at[bytes(r["arg"])]
            blob[base + i * size(sname):base + (i + 1) * size(sname)] = pack_record(sname, r)
    blob[strings_off:strings_off + len(strings.data)] = strings.data
    blob[values_off:values_off + len(values)] = values
    for at, img in zip(image_at, images):
        blob[at:at + len(img)] = img
    return bytes(blob)


class DecodeError(Exception):
    pass


def _string(blob, header, off):
    lo, hi = header["strings_off"], header["strings_off"] + header["strings_size"]
    if not lo <= off < hi:
        raise DecodeError(f"string offset {off} outside the string table")
    end = blob.find(b"\0", off, hi)
    if end < 0:
        raise DecodeError(f"string at {off} not terminated")
    return blob[off:end].decode()


def decode(blob):
    """The blob back as {'name', 'header', table: [records]}, with names
    resolved to strings, each PD's 'image' as bytes and each BYTES patch's
    'value' as bytes.  Raises DecodeError on anything inconsistent."""
    if len(blob) < size("header"):
        raise DecodeError("shorter than the header")
    h = unpack_record("header", blob, 0)
    if h["magic"] != MAGIC or h["version"] != VERSION:
        raise DecodeError("bad magic or version")
    if h["total_size"] != len(blob):
        raise DecodeError(f"total_size {h['total_size']} but the blob has {len(blob)} bytes")
    if h["strings_off"] + h["strings_size"] > len(blob):
        raise DecodeError("string table outside the blob")
    out = {"header": h, "name": _string(blob, h, h["name_off"])}
    for table, sname in TABLES:
        base, n = h[f"{table}_off"], h[f"n_{table}"]
        if base % 8 or base + n * size(sname) > len(blob):
            raise DecodeError(f"table {table} misaligned or outside the blob")
        out[table] = [unpack_record(sname, blob, base + i * size(sname)) for i in range(n)]
    for r in out["pds"] + out["regions"]:
        r["name"] = _string(blob, h, r["name_off"])
    for p in out["pds"]:
        if p["image_off"] % 8 or p["image_off"] + p["image_size"] > len(blob):
            raise DecodeError(f"image of PD '{p['name']}' outside the blob")
        p["image"] = blob[p["image_off"]:p["image_off"] + p["image_size"]]
        for what, table in (("map", "maps"), ("irq", "irqs"), ("ioport", "ioports"),
                            ("patch", "patches")):
            first, n = p[f"first_{what}"], p[f"n_{what}s" if what != "patch" else "n_patches"]
            if first + n > len(out[table]):
                raise DecodeError(f"PD '{p['name']}' {table} rows outside the table")
    for r in out["patches"]:
        if r["kind"] == PATCH_BYTES:
            if r["arg"] + r["size"] > len(blob):
                raise DecodeError("patch value outside the blob")
            r["value"] = blob[r["arg"]:r["arg"] + r["size"]]
    return out
