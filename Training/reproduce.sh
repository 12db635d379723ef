#!/usr/bin/env bash
# Rebuilds every shipped float model from a clean checkout (the top-level `make models` calls this after
# `make train-deps`). Needs shared/data/speech_commands beside the repository (or KWS_DATA), espeak-ng and
# flite. About 25 min on 2 idle cores for the dense models (~55 min here, sharing them with Swift builds) plus
# ~15 min for the pruned ones, see README.md. Writes Models/*.safetensors and Models/training/*.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="$here/.venv/bin/python"
cd "$here"
[ -x "$py" ] || { echo "reproduce.sh: no Training/.venv; run Training/setup_venv.sh (make train-deps)" >&2; exit 1; }
for tool in espeak-ng flite text2wave ffmpeg; do
    command -v "$tool" >/dev/null || { echo "reproduce.sh: $tool is missing (Training/install_audio_deps.sh)" >&2; exit 1; }
done
mkdir -p runs

echo "== split: the committed lists must match the data and the sha1 rule"
"$py" split.py --check

echo "== synthetic speech (cached in Training/cache/synth)"
"$py" synth.py

echo "== front-end parity (golden fixtures and, when built, the kws binary)"
"$py" check_features.py || echo "reproduce.sh: feature parity check did not pass; see above" >&2

# Two trainings at a time, one thread each: small convs do not scale past one core, so this halves the
# wall time on a 2-core machine. The default model first, since everything else tests against it.
# --threads 1 is part of the recipe: float reduction order, hence the exact weights, depend on it.
# As shipped (README.md "Final models"):
#   tc-resnet8, tc-resnet14-1.5: --final, train + validation speakers, fixed epochs (the epoch their
#     validation-selected run picked, rounded: 159 -> 160, 190 -> 190), SWA of the last 15 %, no selection.
#     The report keeps the validation-selected run's record (validation posteriors) from the committed
#     Models/training/<name>.json under `validation_selected_run`; this script does not rerun that run.
#   tc-resnet8-1.5 (200 epochs), tc-resnet14 (120, time budget of the first release): train split,
#     best-validation epoch.
train() { "$py" train.py --model "$1" --epochs "$2" --threads 1 "${@:3}" > "runs/$1${3:+-final}.log" 2>&1
          tail -n 2 "runs/$1${3:+-final}.log"; }
# The accuracy recipe (README.md "Cross-validation and distillation"): pseudo-speakers (used by the teacher),
# openWakeWord speech embeddings, the teacher's cross-fitted soft labels, then the CV runs that chose the
# recipe (tc-resnet8 baseline and distilled, tc-resnet14-1.5 distilled; ~75 min on 2 cores) and the
# final models distilled from the teacher. KWS_SKIP_CV=1 skips the CV runs and keeps the committed summaries.
"$py" pseudo.py
"$py" embeddings.py
"$py" teacher.py
"$py" cv.py --tag teacher --summarise --baseline r8-base
if [ "${KWS_SKIP_CV:-0}" != 1 ]; then
    "$py" cv.py --tag r8-base -- --model tc-resnet8 --epochs 60
    "$py" cv.py --tag r8-distill --baseline r8-base -- --model tc-resnet8 --epochs 60 --distill 0.5
    "$py" cv.py --tag r14-base --baseline r8-base -- --model tc-resnet14-1.5 --epochs 60
    "$py" cv.py --tag r14-distill --baseline r8-distill -- --model tc-resnet14-1.5 --epochs 60 --distill 0.5
fi
train tc-resnet8 160 --final --distill 0.5 & a=$!
train tc-resnet14-1.5 190 --final --distill 0.5 & b=$!
wait $a; wait $b
"$py" cv.py --tag r8-base,r8-distill --record ../Models/tc-resnet8.safetensors
"$py" cv.py --tag r14-distill,r14-base,r8-distill --record ../Models/tc-resnet14-1.5.safetensors
train tc-resnet8-1.5 200 & a=$!
train tc-resnet14 120 & b=$!
wait $a; wait $b
"$py" verify_export.py

# Pruned models (README.md "Pruned models"): gradual magnitude pruning + fine-tuning of the two final dense
# models above to 50/70/85 % zero conv weights, 60 epochs each, one thread, two runs at a time (longest
# first: about 15 min on 2 idle cores). Each run is seeded, so the lane a run lands in does not matter.
prune() { "$py" prune.py --model "$1" --sparsity "$2" --epochs 60 --threads 1 > "runs/$1-sparse${2#0.}.log" 2>&1
          tail -n 1 "runs/$1-sparse${2#0.}.log"; }
( prune tc-resnet14-1.5 0.85; prune tc-resnet14-1.5 0.50; prune tc-resnet8 0.50 ) & a=$!
( prune tc-resnet14-1.5 0.70; prune tc-resnet8 0.85; prune tc-resnet8 0.70 ) & b=$!
wait $a; wait $b
"$py" verify_export.py tc-resnet8-sparse50 tc-resnet8-sparse70 tc-resnet8-sparse85 \
    tc-resnet14-1.5-sparse50 tc-resnet14-1.5-sparse70 tc-resnet14-1.5-sparse85

# Always-on models (README.md "Always-on training"): the negative corpus and the held-out streams, then
# streaming-like training with three hard-negative mining rounds, int8 quantization with the final models' rule,
# and the operating points measured by the engine itself (needs a release build of kws).
"$py" negatives.py
"$py" bench_streams.py
ao() { "$py" alwayson.py --model "$1" --threads 1 > "runs/$1-ao.log" 2>&1; tail -n 2 "runs/$1-ao.log"; }
ao tc-resnet8 & a=$!
ao tc-resnet14-1.5 & b=$!
wait $a; wait $b
kws="$here/../.build/release/kws"
for m in tc-resnet8-ao tc-resnet14-1.5-ao; do
    "$kws" quantize "$here/../Models/$m.safetensors" \
        --calibration "${KWS_DATA:-$here/../../shared/data/speech_commands}" --calibration-list splits/train.txt \
        --calibration-batches 50 --out "$here/../Models/$m-int8.safetensors"
    "$py" operating_points.py "../Models/$m.safetensors" "../Models/$m-int8.safetensors" --kws "$kws"
    "$kws" stamp "$here/../Models/$m.safetensors" "$here/../Models/$m-int8.safetensors"
    "$here/own_accuracy.sh" "$kws" "$here/../Models/$m-int8.safetensors"
done

# The distilled dense models' int8 files (Models/README.md "int8": percentile, 50 batches), their own test
# figure (the float one moves to float_test_accuracy) and the CV figures of their recipe.
data="${KWS_DATA:-$here/../../shared/data/speech_commands}"
for m in tc-resnet8:r8-base,r8-distill tc-resnet14-1.5:r14-distill,r14-base,r8-distill; do
    name=${m%%:*}; out="$here/../Models/$name-int8.safetensors"
    "$kws" lab quantize "$here/../Models/$name.safetensors" --calibration "$data" \
        --calibration-list splits/train.txt --calibration-batches 50 --out "$out"
    "$here/own_accuracy.sh" "$kws" "$out"
    "$py" cv.py --tag "${m#*:}" --record "$out"
done

# Outlier-aware 4-bit (Models/README.md "Outlier-aware 4-bit"): post-training, from the final dense models, with
# the scheme's default calibration (10 batches of 100 train-split clips), and each file's own test figure.
for name in tc-resnet8 tc-resnet14-1.5; do
    for r in 0.5 3.5; do
        out="$here/../Models/$name-ol4-$r.safetensors"
        "$kws" quantize "$here/../Models/$name.safetensors" --scheme outlier --outlier-ratio "$r%" --calibration "$data" \
            --calibration-list splits/train.txt --out "$out"
        "$here/own_accuracy.sh" "$kws" "$out"
    done
done
# What quantization costs under the CV folds (Training/README.md "Low-bit models under cross-validation"):
# int8 and ol4 of every fold model of the distilled tc-resnet8 and tc-resnet14-1.5 recipes, scored on its held-out fold.
[ "${KWS_SKIP_CV:-0}" = 1 ] || { "$py" lowbit_cv.py --tag r8-distill --kws "$kws" && "$py" lowbit_cv.py --tag r14-distill --kws "$kws"; }

# Precision highway (Models/README.md "Precision highway"): quantization-aware fine-tuning of the two final
# dense models at 4 and 2 bits, with the highway (shipped Models/<name>-hw<k>.safetensors) and without it
# (accuracy only), 30 epochs each, one thread, two runs at a time (~25 min on 2 idle cores); then the engine
# fixture. Training/highway_table.py regenerates the README table from them (needs a built kws).
"$here/qat_runs.sh"
"$kws" stamp "$here"/../Models/tc-resnet8-hw[24].safetensors "$here"/../Models/tc-resnet14-1.5-hw[24].safetensors
"$py" summarize.py
echo "== done: Models/*.safetensors, Models/training/*.json, logs in Training/runs/"
