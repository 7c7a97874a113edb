"""Parser for Microkit's system description format (.system XML files).

parse(path) reads the file with expat (so every element keeps the line its
start tag is on) and returns a System: the protection domains flattened
parent-first (a PD, then its children's subtrees, as Microkit orders them),
the memory regions and the channels, every attribute checked for syntax and
range.  Checks that need the whole description (names, ids, overlaps) are in
tools/system.py.  Every problem raises SdfError(line, message).

The element and attribute set is Microkit's for x86_64; see docs/system.md
"The .system file" for the list and for Arca's extensions (on_fault, and
channel ends with pd="monitor").
"""
import xml.parsers.expat

# Microkit's limits (tool/microkit/src/sdf.rs).
PD_MAX_ID = 61              # channel/irq/ioport/child ids: bits 62, 63 mark faults, ppcalls
PD_MAX_PRIORITY = 254
STACK_MIN, STACK_MAX = 0x1000, 16 << 20
STACK_DEFAULT = 0x1000      # sysspec.h's default
PAGE_SIZES = (0x1000, 0x200000)
MONITOR = "monitor"         # reserved PD name: the system initialiser
IRQ_MAX_VECTOR = 107        # seL4 x86: IOAPIC/MSI "vector" argument 0..107


class SdfError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line, self.message = line, message


class Node:
    def __init__(self, tag, attrs, line):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children = []
        self.text = ""


def read_xml(data):
    """The root Node of an XML document, keeping line numbers."""
    parser = xml.parsers.expat.ParserCreate()
    parser.ordered_attributes = True
    stack, root = [], []

    def start(tag, attr_list):
        attrs = dict(zip(attr_list[0::2], attr_list[1::2]))
        attrs["\0order"] = attr_list[0::2]
        node = Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag):
        stack.pop()

    def text(data):
        if stack:
            stack[-1].text += data
            if data.strip() and not getattr(stack[-1], "text_line", None):
                stack[-1].text_line = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise SdfError(e.lineno, f"XML syntax error: {xml.parsers.expat.ErrorString(e.code)}")
    return root[0]


# --- attribute helpers --------------------------------------------------------

def check_attrs(node, allowed, required=()):
    for name in node.attrs["\0order"]:
        if name not in allowed:
            raise SdfError(node.line, f"unknown attribute '{name}' on <{node.tag}>")
    for name in required:
        if name not in node.attrs:
            raise SdfError(node.line, f"<{node.tag}> needs the attribute '{name}'")


def number(node, name, default=None, lo=0, hi=(1 << 64) - 1):
    """Microkit's number syntax: decimal or 0x hex, '_' allowed as separator."""
    if name not in node.attrs:
        if default is None:
            raise SdfError(node.line, f"<{node.tag}> needs the attribute '{name}'")
        return default
    text = node.attrs[name]
    s = text.replace("_", "")
    try:
        if s.startswith("0x") or s.startswith("0X"):
            if not s[2:] or not all(c in "0123456789abcdefABCDEF" for c in s[2:]):
                raise ValueError
            value = int(s[2:], 16)
        else:
            if not s or not s.isascii() or not s.isdigit():
                raise ValueError
            value = int(s, 10)
    except ValueError:
        raise SdfError(node.line, f"malformed number '{text}' for {name} on <{node.tag}>")
    if not lo <= value <= hi:
        raise SdfError(node.line, f"{name} {text} on <{node.tag}> out of range "
                                  f"({lo}..{hi if hi < 1 << 32 else hex(hi)})")
    return value


def boolean(node, name, default):
    if name not in node.attrs:
        return default
    v = node.attrs[name]
    if v not in ("true", "false"):
        raise SdfError(node.line, f"{name} on <{node.tag}> must be 'true' or 'false', not '{v}'")
    return v == "true"


def choice(node, name, options, default):
    if name not in node.attrs:
        return default
    v = node.attrs[name]
    if v not in options:
        opts = " or ".join(f"'{o}'" for o in options)
        raise SdfError(node.line, f"{name} on <{node.tag}> must be {opts}, not '{v}'")
    return options[v]


def name_attr(node, name):
    v = node.attrs.get(name)
    if v is None:
        raise SdfError(node.line, f"<{node.tag}> needs the attribute '{name}'")
    if not v or len(v.encode()) > 63 or any(ord(c) < 0x20 for c in v):
        raise SdfError(node.line, f"{name} '{v}' on <{node.tag}> must be 1..63 printable bytes")
    return v


def no_text(node):
    if node.text.strip():
        raise SdfError(getattr(node, "text_line", node.line), f"unexpected text inside <{node.tag}>")


# --- the model ----------------------------------------------------------------

class Obj:
    """A plain record with a line number."""

    def __init__(self, line, **kw):
        self.line = line
        self.__dict__.update(kw)


class System:
    def __init__(self):
        self.pds, self.regions, self.channels, self.warnings = [], [], [], []


def add_setvar(pd, node, symbol_attr, kind, value):
    symbol = node.attrs.get(symbol_attr)
    if symbol is None:
        return
    for sv in pd.setvars:
        if sv.symbol == symbol:
            raise SdfError(node.line, f"setvar on symbol '{symbol}' already given in PD "
                                      f"'{pd.name}' (line {sv.line})")
    pd.setvars.append(Obj(node.line, symbol=symbol, kind=kind, value=value))


def parse_map(pd, node):
    check_attrs(node, ("mr", "vaddr", "perms", "cached", "setvar_vaddr", "setvar_size"),
                ("mr", "vaddr"))
    vaddr = number(node, "vaddr")
    perms_text = node.attrs.get("perms", "rw")
    perms = 0
    for c in perms_text:
        bit = {"r": 1, "w": 2, "x": 4}.get(c)
        if bit is None or perms & bit:
            raise SdfError(node.line, f"perms '{perms_text}' on <map> must combine 'r', 'w' "
                                      "and 'x', each at most once")
        perms |= bit
    if perms == 0:
        raise SdfError(node.line, "perms on <map> must not be empty")
    if perms & 1 == 0:
        # x86 page tables cannot express write- or execute-only mappings.
        raise SdfError(node.line, f"perms '{perms_text}' on <map> without 'r': "
                                  "x86_64 mappings are always readable")
    m = Obj(node.line, mr=node.attrs["mr"], vaddr=vaddr, perms=perms,
            cached=boolean(node, "cached", True))
    add_setvar(pd, node, "setvar_vaddr", "vaddr", vaddr)
    add_setvar(pd, node, "setvar_size", "size", m.mr)
    pd.maps.append(m)


def parse_irq(pd, node):
    id_ = number(node, "id", lo=0, hi=PD_MAX_ID)
    common = ("id", "setvar_id", "vector")
    if "pin" in node.attrs:
        check_attrs(node, common + ("ioapic", "pin", "trigger", "polarity"), ("vector",))
        irq = Obj(node.line, id=id_, kind="ioapic",
                  ioapic=number(node, "ioapic", 0, hi=0xFFFFFFFF),
                  pin=number(node, "pin", hi=0xFFFFFFFF),
                  level=choice(node, "trigger", {"level": 1, "edge": 0}, 1),
                  polarity=choice(node, "polarity", {"high": 0, "low": 1}, 0),
                  vector=number(node, "vector", hi=IRQ_MAX_VECTOR),
                  pci_bus=0, pci_dev=0, pci_func=0, handle=0)
    elif "pcidev" in node.attrs:
        check_attrs(node, common + ("pcidev", "handle"), ("vector", "handle"))
        text = node.attrs["pcidev"]
        parts = text.replace(".", ":").split(":")
        try:
            if len(parts) != 3:
                raise ValueError
            bus, dev, func = (int(p.strip(), 16) for p in parts)
        except ValueError:
            raise SdfError(node.line, f"pcidev '{text}' on <irq> must be BUS:DEV.FUNC in hex")
        if bus > 255 or dev > 31 or func > 7:
            raise SdfError(node.line, f"pcidev '{text}' on <irq> out of range "
                                      "(bus <= ff, device <= 1f, function <= 7)")
        irq = Obj(node.line, id=id_, kind="msi", ioapic=0, pin=0, level=0, polarity=0,
                  vector=number(node, "vector", hi=IRQ_MAX_VECTOR),
                  pci_bus=bus, pci_dev=dev, pci_func=func,
                  handle=number(node, "handle", hi=0xFFFFFFFF))
    else:
        if "irq" in node.attrs:
            raise SdfError(node.line, "<irq irq=...> is the ARM/RISC-V form; on x86_64 give "
                                      "pin= (IOAPIC) or pcidev= (MSI)")
        raise SdfError(node.line, "<irq> needs 'pin' (IOAPIC) or 'pcidev' (MSI)")
    add_setvar(pd, node, "setvar_id", "id", id_)
    pd.irqs.append(irq)


def parse_ioport(pd, node):
    check_attrs(node, ("id", "setvar_id", "setvar_addr", "addr", "size"), ("id", "addr", "size"))
    port = Obj(node.line, id=number(node, "id", hi=PD_MAX_ID),
               addr=number(node, "addr", hi=0xFFFF),
               size=number(node, "size", lo=1, hi=0x10000))
    if port.addr + port.size > 0x10000:
        raise SdfError(node.line, f"I/O ports 0x{port.addr:x}+{port.size} go past 0xffff")
    add_setvar(pd, node, "setvar_id", "id", port.id)
    add_setvar(pd, node, "setvar_addr", "ioaddr", port.addr)
    pd.ioports.append(port)


def parse_pd(system, node, parent):
    allowed = ["name", "priority", "budget", "period", "passive", "stack_size", "smc",
               "cpu", "on_fault"]
    if parent is not None:
        allowed += ["id", "setvar_id"]
    elif "id" in node.attrs:
        raise SdfError(node.line, "id on a top-level <protection_domain>: only child PDs "
                                  "(nested in another PD) have one")
    check_attrs(node, allowed, ("name",))
    pd = Obj(node.line, name=name_attr(node, "name"),
             priority=number(node, "priority", 0, hi=PD_MAX_PRIORITY),
             stack_size=number(node, "stack_size", STACK_DEFAULT),
             passive=boolean(node, "passive", False),
             restart=choice(node, "on_fault", {"restart": True, "stop": False}, False),
             parent=parent, child_id=None, image=None, image_line=None,
             maps=[], irqs=[], ioports=[], setvars=[], children=[],
             index=len(system.pds))
    if pd.name == MONITOR:
        raise SdfError(node.line, f"'{MONITOR}' is reserved (the system initialiser's "
                                  "channel end); pick another PD name")
    if not STACK_MIN <= pd.stack_size <= STACK_MAX or pd.stack_size % 0x1000:
        raise SdfError(node.line, f"stack_size 0x{pd.stack_size:x} must be a multiple of "
                                  f"0x1000 between 0x{STACK_MIN:x} and 0x{STACK_MAX:x}")
    for attr in ("budget", "period", "passive"):
        if attr in node.attrs:
            if attr != "passive":
                number(node, attr)
            system.warnings.append((node.line, f"warning: {attr} on PD '{pd.name}' "
                                               "not yet supported (needs MCS); ignored"))
    if "smc" in node.attrs and boolean(node, "smc", False):
        raise SdfError(node.line, "smc is only available on ARM")
    if number(node, "cpu", 0) != 0:
        raise SdfError(node.line, "cpu: Arca runs every PD on core 0")
    if parent is not None:
        pd.child_id = number(node, "id", hi=PD_MAX_ID)
    system.pds.append(pd)
    no_text(node)
    for child in node.children:
        if child.tag == "program_image":
            check_attrs(child, ("path",), ("path",))
            if pd.image is not None:
                raise SdfError(child.line, f"second <program_image> in PD '{pd.name}' "
                                           f"(first on line {pd.image_line})")
            if not child.attrs["path"]:
                raise SdfError(child.line, "empty path on <program_image>")
            pd.image, pd.image_line = child.attrs["path"], child.line
        elif child.tag == "map":
            parse_map(pd, child)
        elif child.tag == "irq":
            parse_irq(pd, child)
        elif child.tag == "ioport":
            parse_ioport(pd, child)
        elif child.tag == "setvar":
            check_attrs(child, ("symbol", "region_paddr"), ("symbol", "region_paddr"))
            add_setvar(pd, child, "symbol", "paddr", child.attrs["region_paddr"])
        elif child.tag == "protection_domain":
            kid = parse_pd(system, child, pd)
            pd.children.append(kid)
            if "setvar_id" in child.attrs:
                add_setvar(pd, child, "setvar_id", "id", kid.child_id)
        else:
            raise SdfError(child.line, f"unknown element <{child.tag}> in <protection_domain>")
        no_text(child)
        if child.tag != "protection_domain" and child.children:
            raise SdfError(child.children[0].line,
                           f"unknown element <{child.children[0].tag}> in <{child.tag}>")
    if pd.image is None:
        raise SdfError(node.line, f"PD '{pd.name}' has no <program_image>")
    return pd


def parse_region(system, node):
    check_attrs(node, ("name", "size", "page_size", "phys_addr"), ("name", "size"))
    r = Obj(node.line, name=name_attr(node, "name"), size=number(node, "size", lo=1),
            page_size=number(node, "page_size", PAGE_SIZES[0]),
            phys_addr=number(node, "phys_addr", -1) if "phys_addr" in node.attrs else None)
    if r.page_size not in PAGE_SIZES:
        raise SdfError(node.line, f"page_size 0x{r.page_size:x} of region '{r.name}' not "
                                  "supported (0x1000 or 0x200000)")
    if r.size % r.page_size:
        raise SdfError(node.line, f"size 0x{r.size:x} of region '{r.name}' is not a multiple "
                                  f"of its page size 0x{r.page_size:x}")
    if r.phys_addr is not None and r.phys_addr % r.page_size:
        raise SdfError(node.line, f"phys_addr 0x{r.phys_addr:x} of region '{r.name}' is not "
                                  f"aligned to its page size 0x{r.page_size:x}")
    if r.phys_addr is not None and r.phys_addr + r.size > 1 << 52:
        raise SdfError(node.line, f"region '{r.name}' ends past the 52-bit physical "
                                  "address space")
    no_text(node)
    if node.children:
        raise SdfError(node.children[0].line,
                       f"unknown element <{node.children[0].tag}> in <memory_region>")
    system.regions.append(r)


def parse_channel(system, node):
    check_attrs(node, ())
    no_text(node)
    ends = []
    for child in node.children:
        if child.tag != "end":
            raise SdfError(child.line, f"unknown element <{child.tag}> in <channel>")
        check_attrs(child, ("pd", "id", "pp", "notify", "setvar_id"), ("pd", "id"))
        no_text(child)
        if child.children:
            raise SdfError(child.children[0].line,
                           f"unknown element <{child.children[0].tag}> in <end>")
        ends.append(Obj(child.line, pd=child.attrs["pd"], id=number(child, "id", hi=PD_MAX_ID),
                        pp=boolean(child, "pp", False), notify=boolean(child, "notify", True),
                        setvar_id=child.attrs.get("setvar_id")))
    if len(ends) != 2:
        raise SdfError(node.line, f"<channel> needs exactly two <end> elements, has {len(ends)}")
    if ends[0].pp and ends[1].pp:
        raise SdfError(node.line, "pp=\"true\" on both ends of a channel (a ppcall goes one way)")
    system.channels.append(Obj(node.line, a=ends[0], b=ends[1]))


def parse(data):
    root = read_xml(data)
    if root.tag != "system":
        raise SdfError(root.line, f"the top element must be <system>, not <{root.tag}>")
    check_attrs(root, ())
    no_text(root)
    system = System()
    for node in root.children:
        if node.tag == "protection_domain":
            parse_pd(system, node, None)
        elif node.tag == "memory_region":
            parse_region(system, node)
        elif node.tag == "channel":
            parse_channel(system, node)
        else:
            raise SdfError(node.line, f"unknown element <{node.tag}> in <system>")
    return system
