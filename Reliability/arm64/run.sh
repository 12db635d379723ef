#!/usr/bin/env bash
# make test-arm64 (README "ARM64"): builds the kernel harness (kernel_harness.c) with every C kernel natively and
# for aarch64 (Debian's gcc-aarch64-linux-gnu, static), runs it natively and under qemu-aarch64 with -cpu max
# (NEON + dot product + i8mm) and -cpu cortex-a72 (Armv8.0 NEON only), and requires each run to pass (every
# variant equal to the scalar reference) and the per-operation checksum lines of all three runs to be identical.
# Also compiles the kernels for aarch64 with clang, Swift's C compiler, when it is on PATH. Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
if [ ${#missing[@]} -gt 0 ]; then
    echo "make test-arm64 needs aarch64-linux-gnu-gcc and qemu-aarch64: apt-get install ${missing[*]}" >&2
    exit 1
fi
native_cc=${CC_NATIVE:-$(command -v gcc || command -v clang || echo cc)}

out=.build/arm64
mkdir -p "$out"
start=$(date +%s)
sources=(Reliability/arm64/kernel_harness.c Sources/CKWSKernels/*.c)
# -ffp-contract=off: GCC ignores the scalar float reference's `#pragma STDC FP_CONTRACT OFF` and would fuse its
# multiply-adds on aarch64 (FMA is baseline there), so the float reference would differ between architectures.
flags=(-O2 -std=gnu11 -ffp-contract=off -Wall -Wextra -Wno-unknown-pragmas -ISources/CKWSKernels/include
       -ISources/CKWSKernels)
"$native_cc" "${flags[@]}" "${sources[@]}" -lm -lpthread -o "$out/harness-native" &
native_build=$!
aarch64-linux-gnu-gcc "${flags[@]}" -static "${sources[@]}" -lm -lpthread -o "$out/harness-aarch64"
wait $native_build

status=0
run() { # label, command...
    local label=$1 log="$out/$2.log"
    shift 2
    echo "== $label"
    if ! "$@" > "$log" 2>&1; then status=1; fi
    cat "$log"
}
run "$(uname -m) native ($(basename "$native_cc"))" native "$out/harness-native"
run "qemu-aarch64 -cpu max (asimd, asimddp, i8mm)" qemu-max qemu-aarch64 -cpu max "$out/harness-aarch64"
run "qemu-aarch64 -cpu cortex-a72 (Armv8.0: asimd only)" qemu-a72 qemu-aarch64 -cpu cortex-a72 "$out/harness-aarch64"

if command -v clang >/dev/null && [ -d /usr/aarch64-linux-gnu/include ]; then
    # The package's own compiler on an aarch64 host: the target attributes and intrinsics must suit clang too.
    for f in Sources/CKWSKernels/*.c; do
        clang --target=aarch64-linux-gnu -isystem /usr/aarch64-linux-gnu/include -O2 -std=gnu11 -Wall \
            -ISources/CKWSKernels/include -ISources/CKWSKernels -c "$f" -o "$out/clang-aarch64.o" || status=1
    done
    echo "== clang --target=aarch64-linux-gnu: $(ls Sources/CKWSKernels/*.c | wc -l) kernel files compiled"
fi

sums() { grep '^checksum ' "$out/$1.log" | awk '{print $2, $3}'; }
if diff <(sums native) <(sums qemu-max) > /dev/null && diff <(sums native) <(sums qemu-a72) > /dev/null \
    && [ -n "$(sums native)" ]; then
    echo "== checksums of $(sums native | wc -l) operations identical on $(uname -m), qemu -cpu max and -cpu cortex-a72"
else
    echo "== checksums DIFFER between runs:"
    paste <(sums native) <(sums qemu-max) <(sums qemu-a72)
    status=1
fi
echo "== test-arm64 $([ $status -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
exit $status
