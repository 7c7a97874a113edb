#!/usr/bin/env bash
# Compile-check Arca's libsel4 headers with gcc and clang (freestanding,
# -Wall -Wextra -Werror), run hosted tests of the pure-C helpers and of the
# invocation stubs, and show the disassembly of the seL4_Call / seL4_Send
# stubs and of seL4_CNode_Copy.  Run from the repository root:
# libsel4/check.sh
set -euo pipefail

cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

gcc_include=$(gcc -print-file-name=include)
warn=(-Wall -Wextra -Werror -Wno-unused-function)
freestanding=(-std=gnu11 -ffreestanding -nostdinc -isystem "$gcc_include" -Ilibsel4/include)

for cc in gcc clang; do
    if ! command -v "$cc" >/dev/null; then
        echo "check.sh: $cc not found" >&2
        exit 1
    fi
    for opt in -O2 -O0; do
        for src in libsel4/test/compile_check.c libsel4/test/client_check.c \
                   libsel4/src/ipcbuffer.c; do
            obj="$out/$cc$opt-$(basename "$src" .c).o"
            "$cc" "${freestanding[@]}" "$opt" "${warn[@]}" -c "$src" -o "$obj"
        done
        echo "ok: $cc $opt freestanding compile"
    done
done

# Overriding a configuration value must still satisfy the layout asserts.
gcc "${freestanding[@]}" -O2 "${warn[@]}" -DCONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS=50 \
    -c libsel4/test/compile_check.c -o "$out/override.o"
echo "ok: gcc with CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS=50"

# The headers should also be usable from C++.
if command -v g++ >/dev/null; then
    for src in libsel4/test/compile_check.c libsel4/test/client_check.c; do
        g++ -std=c++11 -x c++ -fsyntax-only -ffreestanding -Wall -Wextra -Werror \
            -Wno-unused-function -Ilibsel4/include "$src"
    done
    echo "ok: g++ -std=c++11 syntax check"
fi

# Hosted run-time test of encodings and IPC-buffer helpers.
gcc -std=gnu11 -O2 "${warn[@]}" -Ilibsel4/include \
    libsel4/test/host_check.c libsel4/src/ipcbuffer.c -o "$out/host_check"
"$out/host_check"

# Hosted run-time test of every invocation stub against a stand-in kernel
# (registers, message info, IPC buffer, results).  -mno-red-zone: the
# stand-in is reached with a `call` from inside the stubs' asm.
for cc in gcc clang; do
    for opt in -O0 -O2; do
        "$cc" -std=gnu11 "$opt" -mno-red-zone "${warn[@]}" -Ilibsel4/include \
            libsel4/test/client_host_check.c libsel4/src/ipcbuffer.c \
            -o "$out/client_host_check"
        printf '%s %s: ' "$cc" "$opt"
        "$out/client_host_check"
    done
done

# Disassembly of the Call and Send stubs (gcc -O2).
obj="$out/gcc-O2-compile_check.o"
# (awk reads to the end: exiting early could kill objdump with SIGPIPE.)
disasm() { objdump -d --no-show-raw-insn "$obj" | awk -v f="<$1>:" '$2 == f {p=1} p && /^$/ {p=0} p'; }
disasm check_call | tee "$out/call.s"
disasm check_send | tee "$out/send.s"

# Minimal automatic checks on the instruction sequences.
expect() {   # file, extended regex, description
    if ! grep -Eq "$2" "$1"; then
        echo "check.sh: $3 not found in $(basename "$1")" >&2
        exit 1
    fi
}
for f in "$out/call.s" "$out/send.s"; do
    expect "$f" 'mov +%rsp,%rbx' "mov %rsp,%rbx"
    expect "$f" 'syscall' "syscall"
    expect "$f" 'mov +%rbx,%rsp' "mov %rbx,%rsp"
    expect "$f" '%r10' "MR0 in r10"
    expect "$f" '%r8' "MR1 in r8"
    expect "$f" '%r9' "MR2 in r9"
    expect "$f" '%r15' "MR3 in r15"
done
expect "$out/call.s" 'mov +\$0xffffffffffffffff,%rdx' "RDX = -1 (Call)"
expect "$out/send.s" 'mov +\$0xfffffffffffffffd,%rdx' "RDX = -3 (Send)"

# seL4_CNode_Copy(2, 100, 64, 2, 1, 64, seL4_AllRights) must be the worked
# example of syscalls.md section 5.1: RDX = -1, RDI = 2, RSI = 0x14085,
# R10 = 100, R8 = 64, R9 = 1, R15 = 64, msg[4] (byte 0x28) = 0xF,
# caps_or_badges[0] (byte 0x3d0) = 2.
for cc in gcc clang; do
    obj="$out/$cc-O2-client_check.o"
    disasm check_cnode_copy_example | tee "$out/copy-$cc.s"
    f="$out/copy-$cc.s"
    expect "$f" 'mov +\$0xffffffffffffffff,%rdx' "RDX = -1 (Call)"
    expect "$f" 'mov +\$0x2,%(edi|rdi)' "RDI = 2 (invoked CNode)"
    expect "$f" 'mov +\$0x14085,%(esi|rsi)' "RSI = 0x14085 (label 20, 1 cap, length 5)"
    expect "$f" 'mov +\$0x64,%(r10d|r10)$' "R10 = dest_index 100"
    expect "$f" 'mov +\$0x40,%(r8d|r8)$' "R8 = dest_depth 64"
    expect "$f" 'mov +\$0x1,%(r9d|r9)$' "R9 = src_index 1"
    expect "$f" 'mov +\$0x40,%(r15d|r15)$' "R15 = src_depth 64"
    expect "$f" 'movq +\$0xf,0x28\(%r[a-z0-9]+\)' "msg[4] = rights 0xF"
    expect "$f" 'movq +\$0x2,0x3d0\(%r[a-z0-9]+\)' "caps_or_badges[0] = src_root 2"
    expect "$f" 'syscall' "syscall"
done
echo "ok: disassembly checks"
echo "libsel4 check passed"
