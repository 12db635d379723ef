#!/usr/bin/env bash
# The outlier-aware 4-bit tables of Models/README.md: for each model named, top-1 on the test split for fp32
# (--engine float), int8 (the shipped <model>-int8 file, --engine int8) and the ol4 scheme at r = 0, 0.5, 1, 2
# and 3.5% (--engine outlier), no fine-tuning; then the model bytes of each. The ol4 files are quantized into a
# temporary folder with the shipped files' settings (10 calibration batches of 100 train-split clips), so the
# 0.5% and 3.5% cells are the shipped Models/<model>-ol4-{0.5,3.5} files. Prints markdown rows.
# Usage: Training/outlier_table.sh tc-resnet8 [tc-resnet14-1.5 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
kws=${KWS:-.build/release/kws}
data=${DATA:-../shared/data/speech_commands}
ratios=${RATIOS:-"0 0.5 1 2 3.5"}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
accuracy() { "$kws" eval --list Training/splits/test.txt "$data" --json "$@" |
             python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])'; }
cell() { python3 -c "a, f = $1, $2; d = (a - f) * 100
print(f'{a*100:.2f}% ({\"+\" if d > 0.005 else \"−\" if d < -0.005 else \"±\"}{abs(d):.2f})')"; }
# "model bytes   38,420 (...); int8 62,000, fp32 weights 258,048" -> the three numbers.
bytes() { "$kws" info "$1" | python3 -c '
import itertools, re, sys
lines = sys.stdin.read().split("\n")
i = next(i for i, l in enumerate(lines) if l.startswith("model bytes"))
line = lines[i] + "".join(" " + l.strip() for l in itertools.takewhile(lambda l: l.startswith(" "), lines[i + 1:]))  # info wraps
n = [int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", line)]
print(n[0], re.search(r"int8 ([\d,]+)", line).group(1).replace(",", ""), re.search(r"fp32 weights ([\d,]+)", line).group(1).replace(",", ""))'; }
accuracy_rows=(); bytes_rows=()
for model in "$@"; do
    fp32=$(accuracy --model "$model" --engine float)
    row="| $model | $(python3 -c "print(f'{$fp32*100:.2f}%')") | $(cell "$(accuracy --model "$model-int8" --engine int8)" "$fp32") |"
    sizes=""
    for r in $ratios; do
        out="$tmp/$model-ol4-$r.safetensors"
        "$kws" quantize "$model" --scheme outlier --outlier-ratio "$r%" --calibration "$data" \
            --calibration-list Training/splits/train.txt --out "$out" >/dev/null
        row+=" $(cell "$(accuracy --model "$out" --engine outlier)" "$fp32") |"
        read -r ol4 int8 fp32bytes < <(bytes "$out")
        sizes+=" $ol4 ($(python3 -c "print(f'{$ol4/$int8*100:.0f}')")% of int8) |"
    done
    accuracy_rows+=("$row")
    bytes_rows+=("| $model | $fp32bytes | $int8 |$sizes")
done
echo "| model | fp32 | int8 | $(for r in $ratios; do printf '4-bit, r = %s%% | ' "$r"; done)"
echo "|---|---|---|$(for r in $ratios; do printf -- '---|'; done)"
printf '%s\n' "${accuracy_rows[@]}"
echo
echo "| model | fp32 weight bytes | int8 bytes | $(for r in $ratios; do printf 'ol4 r = %s%% | ' "$r"; done)"
echo "|---|---|---|$(for r in $ratios; do printf -- '---|'; done)"
printf '%s\n' "${bytes_rows[@]}"
