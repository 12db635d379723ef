#!/usr/bin/env bash
# make fuzz: libFuzzer targets for the inputs kws reads from strangers, each run for a bounded time.
#   Reliability/fuzz/run.sh [SECONDS per target] [TARGET ...]     (default 120 s; all targets)
#   FUZZ_RUNS=N also stops each target after N executions (whichever comes first), e.g. FUZZ_RUNS=10000000.
# Builds the library targets with -sanitize=fuzzer,address into .build/fuzz, links one binary per harness
# (Reliability/fuzz/<target>.swift), seeds a corpus from the committed fixtures, and runs it; a crash or leak stops that
# target and leaves its input in Reliability/fuzz/crashes/<target>/ (git-ignored): fix the bug, add a unit test,
# and move the input to Reliability/fuzz/regressions/<target>/, which seeds every later run. Prints executions
# and corpus size per target. Not part of `make test`.
# The library is built as it ships (release: optimised, preconditions kept, Swift `assert`s compiled out), which
# runs each input several times faster than a debug build; FUZZ_CONFIG=debug fuzzes the debug build with its
# assertions instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-120}
shift || true
TARGETS=${*:-"wav_file wav_stream pcm model read_wav"}
BUILD=.build/fuzz
CONFIG=${FUZZ_CONFIG:-release}
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)

swift build -c "$CONFIG" --build-path "$BUILD" --target CKWS "${FLAGS[@]}" >/dev/null
OBJ="$BUILD/$CONFIG"
# The objects of today's sources only: one left in the build folder by a file since moved or deleted would be
# linked twice.
OBJECTS=$(for module in KWSCore KWSAudio KWSRuntime KWS CKWS CKWSKernels; do
    find "Sources/$module" \( -name '*.swift' -o -name '*.c' \) -printf "$OBJ/$module.build/%f.o\n"
done)
mkdir -p "$BUILD/bin" "$BUILD/corpus"

seed() {  # target -> seed files
    case "$1" in
        wav_file|wav_stream|read_wav) ls Tests/KWSAudioTests/Fixtures/wav/valid/*.wav Tests/KWSAudioTests/Fixtures/wav/malformed/*.wav Samples/yes.wav ;;
        pcm) ls Tests/KWSAudioTests/Fixtures/wav/valid/*.wav | head -5 ;;
        model) ls Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors Models/tc-resnet8-int8.safetensors ;;
    esac
}

for target in $TARGETS; do
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
        -I "$OBJ/Modules" -I include \
        -Xcc -fmodule-map-file=Sources/CFFTW/module.modulemap -Xcc -fmodule-map-file=include/module.modulemap \
        -Xcc -fmodule-map-file="$OBJ/CKWSKernels.build/module.modulemap" -Xcc -I -Xcc Sources/CKWSKernels/include \
        "Reliability/fuzz/$target.swift" $OBJECTS -lfftw3f -o "$BUILD/bin/$target" 2>&1 \
        | { grep -v "Cannot export local symbol '__asan" || true; }   # gold's noise about ASan's own symbols
    corpus="$BUILD/corpus/$target"
    mkdir -p "$corpus" "Reliability/fuzz/crashes/$target"
    for file in $(seed "$target") $(ls Reliability/fuzz/regressions/"$target"/* 2>/dev/null); do cp -n "$file" "$corpus/" 2>/dev/null || true; done
    echo "== $target: ${SECONDS_PER_TARGET} s"
    "$BUILD/bin/$target" -max_total_time="$SECONDS_PER_TARGET" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="Reliability/fuzz/crashes/$target/" "$corpus" 2>&1 \
        | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Done [0-9]+ runs" || true
    echo "   corpus: $(ls "$corpus" | wc -l) inputs; crashes: $(ls "Reliability/fuzz/crashes/$target" | wc -l)"
done
