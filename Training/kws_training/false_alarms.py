"""False alarms per hour of the streaming detector on real non-keyword audio.

Builds a long recording from the held-out splits' `_unknown_` words and `_silence_` noise (by default
validation + test; `--splits test` for the *final* models, which trained on validation), then runs `kws detect` on it at the default threshold and
counts detections: every one is a false alarm. There are only ~140 such clips (~2.3 min), so the
recording reuses each clip several times in different orders, gains, pauses and noise mixes; say so
when quoting the number.

    python3 Training/false_alarms.py [--minutes 12] [--model tc-resnet8] [--engine float] [--splits test]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import wave

import numpy as np

from .common import CACHE_DIR, DATA_DIR, MODELS_DIR, REPO_ROOT, SAMPLE_RATE, SPLITS_DIR, read_wav


def clips(label: str, splits: list[str]) -> list[np.ndarray]:
    paths = []
    for split in splits:
        paths += [line for line in (SPLITS_DIR / f"{split}.txt").read_text().split() if line.startswith(label + "/")]
    return [read_wav(DATA_DIR / p) for p in sorted(paths)]


def build(minutes: float, seed: int, splits: list[str]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    words, noises = clips("_unknown_", splits), clips("_silence_", splits)
    pieces, total = [], 0
    while total < minutes * 60 * SAMPLE_RATE:
        noise = noises[rng.integers(len(noises))] * rng.uniform(0.05, 0.5)
        if rng.random() < 0.6:
            # An unknown word at 0–20 dB SNR over background noise.
            word = words[rng.integers(len(words))]
            gain = rng.uniform(0.3, 1.5)
            piece = np.clip(word * gain + noise * rng.uniform(0.0, 0.3), -1, 1)
        else:
            piece = noise
        pause = noises[rng.integers(len(noises))][: int(rng.uniform(0.2, 1.5) * SAMPLE_RATE)] * 0.05
        pieces += [piece, pause]
        total += len(piece) + len(pause)
    return np.concatenate(pieces).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=12)
    parser.add_argument("--model", default="tc-resnet8")
    parser.add_argument("--engine", default="float")
    parser.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--splits", default="validation,test",
                        help="comma-separated held-out splits whose clips make the recording")
    args = parser.parse_args()
    splits = args.splits.split(",")

    audio = build(args.minutes, args.seed, splits)
    path = CACHE_DIR / "nonkeyword.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((audio * 32767).astype("<i2").tobytes())
    hours = len(audio) / SAMPLE_RATE / 3600
    out = subprocess.run([args.kws, "detect", "--json", "--model", args.model, "--engine", args.engine, str(path)],
                         check=True, capture_output=True, text=True).stdout
    detections = [json.loads(line) for line in out.splitlines() if line.strip()]
    result = {"model": args.model, "engine": args.engine, "minutes": round(hours * 60, 2),
              "false_alarms": len(detections), "per_hour": round(len(detections) / hours, 2),
              "by_label": {d["label"]: sum(1 for e in detections if e["label"] == d["label"]) for d in detections},
              "words": len(clips("_unknown_", splits)), "noise_clips": len(clips("_silence_", splits)),
              "source": f"{'+'.join(splits)} _unknown_ and _silence_ clips, reused with random gain, noise and pauses"}
    print(json.dumps(result))
    (MODELS_DIR / "training").mkdir(exist_ok=True)
    (MODELS_DIR / "training" / f"false-alarms-{args.model}-{args.engine}.json").write_text(json.dumps(result, indent=1) + "\n")
