"""A small reader for the static x86_64 ELF files PDs are built as.

Only what tools/system.py needs: the loadable segments (to know where a
program image lies in its address space) and the symbol table (to find the
variables the system initialiser patches).  Everything read from the file is
checked against the file's size, so a damaged or foreign file gives an
ElfError with a reason, never an exception from struct or an index.
"""
import struct

PT_LOAD = 1
PF_X = 1
SHT_SYMTAB = 2
SHN_UNDEF = 0
EM_X86_64 = 62
ET_EXEC = 2
PAGE = 0x1000


class ElfError(Exception):
    pass


class Segment:
    def __init__(self, vaddr, memsz, filesz, offset, flags):
        self.vaddr, self.memsz, self.filesz = vaddr, memsz, filesz
        self.offset, self.flags = offset, flags

    @property
    def end(self):
        return self.vaddr + self.memsz


class Symbol:
    def __init__(self, name, value, size):
        self.name, self.value, self.size = name, value, size


class Elf:
    """A parsed ELF64 file: .data (the bytes), .entry, .segments (PT_LOAD
    only, by address), .symbols (name -> Symbol, defined ones only)."""

    def __init__(self, data):
        self.data = data
        self._parse_header()
        self.segments = self._parse_segments()
        self.symbols = self._parse_symbols()

    def _unpack(self, fmt, offset, what):
        size = struct.calcsize(fmt)
        if offset < 0 or offset + size > len(self.data):
            raise ElfError(f"truncated {what}")
        return struct.unpack_from(fmt, self.data, offset)

    def _parse_header(self):
        if len(self.data) < 64 or self.data[:4] != b"\x7fELF":
            raise ElfError("not an ELF file")
        if self.data[4] != 2 or self.data[5] != 1:
            raise ElfError("not a 64-bit little-endian ELF file")
        (e_type, e_machine, _version, self.entry, self.phoff, self.shoff, _flags,
         _ehsize, self.phentsize, self.phnum, self.shentsize, self.shnum,
         _shstrndx) = self._unpack("<HHIQQQIHHHHHH", 16, "ELF header")
        if e_machine != EM_X86_64:
            raise ElfError(f"not an x86_64 ELF file (machine {e_machine})")
        if e_type != ET_EXEC:
            raise ElfError("not a static executable (ELF type is not EXEC)")
        if self.phnum and self.phentsize < 56:
            raise ElfError("bad program header size")
        if self.shnum and self.shentsize < 64:
            raise ElfError("bad section header size")

    def _parse_segments(self):
        segments = []
        for i in range(self.phnum):
            (p_type, p_flags, p_offset, p_vaddr, _paddr, p_filesz, p_memsz,
             _align) = self._unpack("<IIQQQQQQ", self.phoff + i * self.phentsize,
                                    "program header table")
            if p_type != PT_LOAD:
                continue
            if p_filesz > p_memsz:
                raise ElfError(f"segment at 0x{p_vaddr:x} has more file bytes than memory bytes")
            if p_offset + p_filesz > len(self.data):
                raise ElfError(f"segment at 0x{p_vaddr:x} extends past the end of the file")
            if p_vaddr + p_memsz > 1 << 64:
                raise ElfError(f"segment at 0x{p_vaddr:x} wraps around the address space")
            segments.append(Segment(p_vaddr, p_memsz, p_filesz, p_offset, p_flags))
        if not segments:
            raise ElfError("no loadable segments")
        segments.sort(key=lambda s: s.vaddr)
        for a, b in zip(segments, segments[1:]):
            if a.end > b.vaddr:
                raise ElfError(f"loadable segments at 0x{a.vaddr:x} and 0x{b.vaddr:x} overlap")
        return segments

    def _section(self, index):
        return self._unpack("<IIQQQQIIQQ", self.shoff + index * self.shentsize,
                            "section header table")

    def _parse_symbols(self):
        symbols = {}
        for i in range(self.shnum):
            (_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, _info,
             _align, sh_entsize) = self._section(i)
            if sh_type != SHT_SYMTAB:
                continue
            if sh_entsize < 24 or sh_link >= self.shnum:
                raise ElfError("malformed symbol table")
            str_off, str_size = self._section(sh_link)[4:6]
            if sh_offset + sh_size > len(self.data) or str_off + str_size > len(self.data):
                raise ElfError("symbol table extends past the end of the file")
            strings = self.data[str_off:str_off + str_size]
            for j in range(sh_size // sh_entsize):
                st_name, _info, _other, st_shndx, st_value, st_size = self._unpack(
                    "<IBBHQQ", sh_offset + j * sh_entsize, "symbol table")
                if st_shndx == SHN_UNDEF or st_name == 0 or st_name >= len(strings):
                    continue
                end = strings.find(b"\0", st_name)
                if end < 0:
                    raise ElfError("symbol name runs past its string table")
                name = strings[st_name:end].decode("utf-8", "replace")
                # A global definition wins over a local one of the same name.
                if name not in symbols or (_info >> 4) != 0:
                    symbols[name] = Symbol(name, st_value, st_size)
        return symbols

    def extent(self):
        """[lowest, highest) page-aligned addresses the loadable segments cover."""
        lo = min(s.vaddr for s in self.segments) & ~(PAGE - 1)
        hi = (max(s.end for s in self.segments) + PAGE - 1) & ~(PAGE - 1)
        return lo, hi

    def segment_containing(self, vaddr, size):
        for s in self.segments:
            if s.vaddr <= vaddr and vaddr + size <= s.end:
                return s
        return None


def read(path):
    with open(path, "rb") as f:
        return Elf(f.read())
