#!/usr/bin/env bash
# own_accuracy.sh KWS FILE.safetensors: records a quantized file's own test-split accuracy (the engine that
# runs it by default, int8 or outlier, through `kws eval --list splits/test.txt`) as `test_accuracy`; `kws quantize` has moved the float model's figure to
# `float_test_accuracy` (Models/FORMAT.md). Metadata only: the stamped data checksum stays valid.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kws=$1 out=$2
py="$here/.venv/bin/python"
data="${KWS_DATA:-$here/../../shared/data/speech_commands}"
acc=$("$kws" eval --list "$here/splits/test.txt" "$data" --model "$out" --json |
      "$py" -c 'import json, sys; print(round(json.load(sys.stdin)["accuracy"], 4))')
(cd "$here" && "$py" -c "from kws_training.operating_points import rewrite_metadata; from pathlib import Path; rewrite_metadata(Path('$out'), 'test_accuracy', '$acc')")
echo "own_accuracy: $(basename "$out"): test_accuracy $acc"
