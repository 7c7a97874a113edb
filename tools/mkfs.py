#!/usr/bin/env python3
"""Makes an Arca file system image (format: docs/filesystem.md).

    tools/mkfs.py OUT.img --size 4M [--inodes N] [--add HOSTFILE:/path ...]

--size takes bytes with an optional K, M or G suffix (a multiple of 4 KiB,
from 32 KiB to 256 MiB).  Each --add copies a host file into the image at
an absolute path; missing parent directories are created.  The image is
written whole (OUT.img is replaced).  Errors print one line starting with
"mkfs.py: error:" and exit with status 1.

The layout written here is the one user/components/fs/fscore.c formats and
checks; tools/fsck (make) checks images from this tool in make test.
"""
import argparse
import struct
import sys
import zlib

BLOCK = 4096
MAGIC = b"ARCA-FS\0"
VERSION = 1
INODE_SIZE = 64
INODES_PER_BLOCK = BLOCK // INODE_SIZE
DIRENT_SIZE = 64
NAME_MAX = 59
PATH_MAX = 255
NDIRECT = 12
PTRS_PER_BLOCK = BLOCK // 4
MAX_FILE_SIZE = (NDIRECT + PTRS_PER_BLOCK) * BLOCK
MAX_DIR_ENTRIES = NDIRECT * BLOCK // DIRENT_SIZE
MIN_BLOCKS = 8
MAX_BLOCKS = 65536
MAX_INODES = 8192
BITS_PER_BLOCK = BLOCK * 8
ROOT_INODE = 1
TYPE_FILE, TYPE_DIR = 1, 2


class MkfsError(Exception):
    pass


def parse_size(text):
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper()
    if t.endswith("B"):
        t = t[:-1]
    suffix = t[-1] if t and t[-1] in "KMG" else ""
    number = t[:-1] if suffix else t
    if not number.isdigit():
        raise MkfsError(f"bad size {text!r}: use bytes or a number with K, M or G")
    size = int(number) * units[suffix]
    if size % BLOCK:
        raise MkfsError(f"size {text} is not a multiple of {BLOCK} bytes")
    blocks = size // BLOCK
    if not MIN_BLOCKS <= blocks <= MAX_BLOCKS:
        raise MkfsError(f"size {text} is out of range ({MIN_BLOCKS * BLOCK // 1024} KiB "
                        f"to {MAX_BLOCKS * BLOCK >> 20} MiB)")
    return blocks


def split_path(path):
    """Components of an absolute image path, validated as fscore does."""
    if not path.startswith("/") or len(path.encode()) > PATH_MAX:
        raise MkfsError(f"bad image path {path!r}: must be absolute, at most {PATH_MAX} bytes")
    parts = path.rstrip("/").split("/")[1:] if path != "/" else []
    for p in parts:
        raw = p.encode()
        if not raw or len(raw) > NAME_MAX or p in (".", "..") or b"\0" in raw:
            raise MkfsError(f"bad image path {path!r}: component {p!r} is not a valid name "
                            f"(1..{NAME_MAX} bytes, not . or ..)")
    return parts


class Node:
    def __init__(self, is_dir, data=b""):
        self.is_dir = is_dir
        self.data = data
        self.children = {}      # name -> Node, in insertion order
        self.ino = 0
        self.blocks = []
        self.indirect = 0


def build_tree(adds):
    root = Node(True)
    for spec in adds:
        host, sep, target = spec.rpartition(":")
        if not sep or not host:
            raise MkfsError(f"bad --add {spec!r}: use HOSTFILE:/path")
        parts = split_path(target)
        if not parts:
            raise MkfsError(f"bad --add {spec!r}: the target cannot be /")
        try:
            with open(host, "rb") as f:
                data = f.read()
        except OSError as e:
            raise MkfsError(f"cannot read {host}: {e.strerror}") from None
        if len(data) > MAX_FILE_SIZE:
            raise MkfsError(f"{host} is {len(data)} bytes; a file holds at most {MAX_FILE_SIZE}")
        node = root
        for i, name in enumerate(parts[:-1]):
            child = node.children.get(name)
            if child is None:
                child = node.children[name] = Node(True)
            elif not child.is_dir:
                raise MkfsError(f"--add {target}: /{'/'.join(parts[:i + 1])} is a file")
            node = child
        existing = node.children.get(parts[-1])
        if existing is not None and existing.is_dir:
            raise MkfsError(f"--add {target}: it is a directory")
        node.children[parts[-1]] = Node(False, data)
    return root


def walk(root):
    """Every node, breadth first (the root first)."""
    order, i = [root], 0
    while i < len(order):
        order.extend(order[i].children.values())
        i += 1
    return order


def dir_bytes(node):
    if len(node.children) > MAX_DIR_ENTRIES:
        raise MkfsError(f"a directory holds at most {MAX_DIR_ENTRIES} entries")
    out = bytearray()
    for name, child in node.children.items():
        out += struct.pack("<I", child.ino) + name.encode().ljust(DIRENT_SIZE - 4, b"\0")
    return bytes(out)


def make_image(total, inodes, root):
    if inodes == 0:
        inodes = total // 8
    inodes = max(INODES_PER_BLOCK, -(-inodes // INODES_PER_BLOCK) * INODES_PER_BLOCK)
    if inodes > MAX_INODES:
        raise MkfsError(f"at most {MAX_INODES} inodes")
    bitmap_blocks = -(-total // BITS_PER_BLOCK)
    inode_start = 1 + bitmap_blocks
    inode_blocks = inodes // INODES_PER_BLOCK
    data_start = inode_start + inode_blocks
    if data_start >= total:
        raise MkfsError("the image is too small for its inode table")

    nodes = walk(root)
    if len(nodes) + 1 > inodes:
        raise MkfsError(f"{len(nodes) - 1} files and directories need more than {inodes} inodes")
    for ino, node in enumerate(nodes, start=ROOT_INODE):
        node.ino = ino
    image = bytearray(total * BLOCK)
    next_block = data_start

    def alloc():
        nonlocal next_block
        if next_block >= total:
            raise MkfsError(f"the files do not fit in {total * BLOCK} bytes")
        next_block += 1
        return next_block - 1

    for node in nodes:
        data = dir_bytes(node) if node.is_dir else node.data
        node.size = len(data)
        count = -(-len(data) // BLOCK)
        if count > NDIRECT:
            node.indirect = alloc()
        for i in range(count):
            b = alloc()
            node.blocks.append(b)
            image[b * BLOCK:b * BLOCK + len(data[i * BLOCK:(i + 1) * BLOCK])] = \
                data[i * BLOCK:(i + 1) * BLOCK]
        if node.indirect:
            ptrs = struct.pack(f"<{count - NDIRECT}I", *node.blocks[NDIRECT:])
            image[node.indirect * BLOCK:node.indirect * BLOCK + len(ptrs)] = ptrs
        direct = node.blocks[:NDIRECT] + [0] * (NDIRECT - min(count, NDIRECT))
        raw = struct.pack("<HHI12II4x", TYPE_DIR if node.is_dir else TYPE_FILE, 0,
                          node.size, *direct, node.indirect)
        at = inode_start * BLOCK + node.ino * INODE_SIZE
        image[at:at + INODE_SIZE] = raw

    # Bitmap: metadata and every allocated data block (a contiguous prefix).
    for b in range(next_block):
        image[BLOCK + b // 8] |= 1 << (b % 8)

    sb = MAGIC + struct.pack("<10I", VERSION, BLOCK, total, 1, bitmap_blocks, inode_start,
                             inode_blocks, inodes, data_start, ROOT_INODE)
    sb += struct.pack("<I", zlib.crc32(sb) & 0xffffffff)
    image[0:len(sb)] = sb
    return image


def main(argv=None):
    p = argparse.ArgumentParser(description="Make an Arca file system image.")
    p.add_argument("out", help="image file to write")
    p.add_argument("--size", required=True, help="image size: bytes, or with K, M, G")
    p.add_argument("--inodes", type=int, default=0, help="inode count (default: one per 8 blocks)")
    p.add_argument("--add", action="append", default=[], metavar="HOSTFILE:/path",
                   help="copy a host file into the image (repeatable)")
    args = p.parse_args(argv)
    try:
        if args.inodes < 0:
            raise MkfsError("--inodes must not be negative")
        image = make_image(parse_size(args.size), args.inodes, build_tree(args.add))
        with open(args.out, "wb") as f:
            f.write(image)
    except MkfsError as e:
        print(f"mkfs.py: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"mkfs.py: error: cannot write {args.out}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
