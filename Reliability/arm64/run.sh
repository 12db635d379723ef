#!/usr/bin/env bash
# make test-arm64 (README "ARM64"): builds the kernel harness (kernel_harness.c) with every C kernel natively and
# for aarch64 (Debian's gcc-aarch64-linux-gnu, static), runs it natively and under qemu-aarch64 with -cpu max
# (NEON + dot product + i8mm), -cpu cortex-a76 (dot product, no i8mm: the Pi 5) and -cpu cortex-a72 (Armv8.0 NEON
# only), and requires each run to pass (every variant equal to the scalar reference) and the per-operation
# checksum lines of all runs to be identical.
# When clang (Swift's C compiler) is on PATH, a fourth run: the harness built by clang for aarch64 under -cpu max,
# whose checksums must match too. Installs nothing.
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
rm -f "$out"/*.log
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
run "qemu-aarch64 -cpu cortex-a76 (the Raspberry Pi 5's core: asimd, asimddp)" qemu-a76 \
    qemu-aarch64 -cpu cortex-a76 "$out/harness-aarch64"
run "qemu-aarch64 -cpu cortex-a72 (Armv8.0: asimd only)" qemu-a72 qemu-aarch64 -cpu cortex-a72 "$out/harness-aarch64"

if command -v clang >/dev/null && [ -d /usr/aarch64-linux-gnu/include ]; then
    # The package's own compiler on an aarch64 host (the target attributes and intrinsics must suit clang too):
    # the same harness with every file compiled by clang, linked by the cross GCC, run under -cpu max.
    mkdir -p "$out/clang"
    printf '%s\n' "${sources[@]}" | xargs -P 2 -I{} sh -c 'clang --target=aarch64-linux-gnu \
        -isystem /usr/aarch64-linux-gnu/include "$@" -c {} -o '"$out"'/clang/$(basename {} .c).o' _ "${flags[@]}" \
        || status=1
    if aarch64-linux-gnu-gcc -static "$out"/clang/*.o -lm -lpthread -o "$out/harness-aarch64-clang"; then
        run "qemu-aarch64 -cpu max, kernels built by clang (Swift's C compiler)" qemu-max-clang \
            qemu-aarch64 -cpu max "$out/harness-aarch64-clang"
    else
        status=1
    fi
fi

sums() { grep '^checksum ' "$out/$1.log" | awk '{print $2, $3}'; }
runs=(native qemu-max qemu-a76 qemu-a72)
[ -f "$out/qemu-max-clang.log" ] && runs+=(qemu-max-clang)
same=1
for r in "${runs[@]}"; do diff <(sums native) <(sums "$r") > /dev/null || same=0; done
if [ $same -eq 1 ] && [ -n "$(sums native)" ]; then
    echo "== checksums of $(sums native | wc -l) operations identical in all ${#runs[@]} runs (${runs[*]})"
else
    echo "== checksums DIFFER between runs (${runs[*]}):"
    for r in "${runs[@]}"; do echo "-- $r"; sums "$r"; done
    status=1
fi
echo "== test-arm64 $([ $status -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
exit $status
