#!/usr/bin/env bash
# Compile-check Arca's libsel4 headers with gcc and clang (freestanding,
# -Wall -Wextra -Werror), run a hosted test of the pure-C helpers, and show
# the disassembly of seL4_Call / seL4_Send stubs.  Run from the repository
# root: libsel4/check.sh
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
        for src in libsel4/test/compile_check.c libsel4/src/ipcbuffer.c; do
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
    g++ -std=c++11 -x c++ -fsyntax-only -ffreestanding -Wall -Wextra -Werror \
        -Wno-unused-function -Ilibsel4/include libsel4/test/compile_check.c
    echo "ok: g++ -std=c++11 syntax check"
fi

# Hosted run-time test of encodings and IPC-buffer helpers.
gcc -std=gnu11 -O2 "${warn[@]}" -Ilibsel4/include \
    libsel4/test/host_check.c libsel4/src/ipcbuffer.c -o "$out/host_check"
"$out/host_check"

# Disassembly of the Call and Send stubs (gcc -O2).
obj="$out/gcc-O2-compile_check.o"
disasm() { objdump -d --no-show-raw-insn "$obj" | awk -v f="<$1>:" '$2 == f {p=1} p && /^$/ {exit} p'; }
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
echo "ok: disassembly checks"
echo "libsel4 check passed"
