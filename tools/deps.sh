#!/usr/bin/env bash
# Installs the Debian packages Arca's build and tests need, if missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

# command -> Debian package that provides it
declare -A need=(
    [qemu-system-x86_64]=qemu-system-x86
    [gcc]=gcc
    [make]=make
    [ld]=binutils
    [objcopy]=binutils
    [python3]=python3
)

missing=()
for cmd in "${!need[@]}"; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
        pkg=${need[$cmd]}
        [[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
    fi
done

# ASan/UBSan runtimes for the host tests come with gcc's libasan/libubsan.
if command -v gcc >/dev/null 2>&1; then
    for lib in libasan.so libubsan.so; do
        if [ "$(gcc -print-file-name=$lib)" = "$lib" ]; then
            [[ " ${missing[*]-} " == *" gcc "* ]] || missing+=(gcc)
        fi
    done
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "Arca needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "deps: installing ${missing[*]} (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/arca-apt.log 2>&1; then
    apt-get update >>/tmp/arca-apt.log 2>&1
    if ! apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/arca-apt.log 2>&1; then
        cat /tmp/arca-apt.log >&2
        echo "deps: apt-get failed (log above)" >&2
        exit 1
    fi
fi
echo "deps: installed ${missing[*]}" >&2
