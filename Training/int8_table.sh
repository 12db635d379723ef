#!/usr/bin/env bash
# The int8 accuracy table of Models/README.md: for each model named, fp32 and int8 top-1 on the test
# split for the minmax and percentile estimators at 5, 10 and 50 calibration batches of train clips.
# Prints markdown rows; the quantized files go to a temporary folder (the shipped -int8 files are made
# separately with the chosen settings). Usage: Training/int8_table.sh tc-resnet8 [tc-resnet14-1.5 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
kws=${KWS:-.build/release/kws}
data=${DATA:-../shared/data/speech_commands}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
accuracy() { "$kws" eval --list Training/splits/test.txt "$data" --json "$@" |
             python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])'; }
cell() { python3 -c "a, f = $1, $2; d = (a - f) * 100
print(f'{a*100:.2f}% ({\"+\" if d > 0.005 else \"−\" if d < -0.005 else \"±\"}{abs(d):.2f})')"; }
for model in "$@"; do
    fp32=$(accuracy --model "$model" --engine float)
    for estimator in minmax percentile; do
        row="| $model | $estimator | $(python3 -c "print(f'{$fp32*100:.2f}%')") |"
        for batches in 5 10 50; do
            out="$tmp/$model-$estimator-$batches.safetensors"
            "$kws" quantize "$model" --calibration "$data" --calibration-list Training/splits/train.txt \
                --estimator "$estimator" --calibration-batches "$batches" --out "$out" >/dev/null
            row+=" $(cell "$(accuracy --model "$out" --engine int8)" "$fp32") |"
        done
        echo "$row"
    done
done
