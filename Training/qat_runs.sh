#!/usr/bin/env bash
# The precision-highway QAT runs (qat.py), two at a time with one thread each: tc-resnet8 and
# tc-resnet14-1.5 at 4 and 2 bits, with the highway (shipped: Models/<model>-hw<k>.safetensors) and
# without it (accuracy only: Models/training/<model>-nohw<k>.json). Then the engine fixture.
# Usage: Training/qat_runs.sh [epochs]   (default 30, as shipped). Logs in Training/runs/<run>.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="$here/.venv/bin/python"
cd "$here"
epochs=${1:-30}
mkdir -p runs
run() { "$py" qat.py --model "$1" --bits "$2" ${3:+"$3"} --epochs "$epochs" --threads 1 \
            > "runs/$1-$([ -n "${3:-}" ] && echo nohw || echo hw)$2.log" 2>&1
        tail -n 1 "runs/$1-$([ -n "${3:-}" ] && echo nohw || echo hw)$2.log"; }
( run tc-resnet14-1.5 4; run tc-resnet14-1.5 2; run tc-resnet14-1.5 4 --no-highway ) & a=$!
( run tc-resnet8 4; run tc-resnet8 2; run tc-resnet8 4 --no-highway; run tc-resnet8 2 --no-highway
  run tc-resnet14-1.5 2 --no-highway ) & b=$!
wait $a; wait $b
"$py" highway_fixture.py
