"""Pseudo-speakers: every real training clip re-spoken by K other "voices" (Praat's Change gender).

Each spoken clip of the train and validation lists (never test) gets K conversions with Praat's
"Change gender" through praat-parselmouth (PSOLA resynthesis): formant shift ratio U[0.85, 1.2], new
median pitch U[90, 300] Hz, pitch range factor 1, duration factor U[0.85, 1.15]. The result is placed
back in one second around its energy centre and brought to the source clip's RMS level. A converted
clip keeps its source's label, speaker and CV fold (train.py draws it in place of its source).
Deterministic for a given seed (one random.Random per clip); ~7 ms per conversion.

Writes cache/pseudo/clips.npy (int16 [N, K, 16000]) and cache/pseudo/index.json (the source entries in
order, K, seed, parameters); an existing cache with the same entries, K and seed is reused.

Usage: python pseudo.py [--per-clip 6] [--seed 99]
"""
from __future__ import annotations

import argparse
import json
import random
import time

import numpy as np
import parselmouth
from parselmouth.praat import call

from .common import CACHE_DIR, CLIP_SAMPLES, DATA_DIR, SAMPLE_RATE, read_split, read_wav

PSEUDO_DIR = CACHE_DIR / "pseudo"
FORMANT_RATIO = (0.85, 1.2)
PITCH_MEDIAN_HZ = (90.0, 300.0)
DURATION = (0.85, 1.15)


def spoken_entries() -> list[str]:
    return [e for s in ("train", "validation") for e in read_split(s) if not e.startswith("_silence_/")]


def place_in_second(y: np.ndarray, length: int = CLIP_SAMPLES) -> np.ndarray:
    """Crops or pads `y` to `length` (one second) so that its energy centre lands where it was (the middle
    when the clip is longer)."""
    energy = y.astype(np.float64) ** 2
    total = energy.sum()
    centre = int((energy * np.arange(len(y))).sum() / total) if total > 0 else len(y) // 2
    start = min(max(0, centre - length // 2), max(0, len(y) - length))
    seg = y[start: start + length]
    out = np.zeros(length)
    offset = max(0, length // 2 - (centre - start)) if len(seg) < length else 0
    offset = min(offset, length - len(seg))
    out[offset: offset + len(seg)] = seg
    return out


def convert(x: np.ndarray, rng: random.Random, length: int = CLIP_SAMPLES) -> np.ndarray:
    formant = rng.uniform(*FORMANT_RATIO)
    pitch = rng.uniform(*PITCH_MEDIAN_HZ)
    duration = rng.uniform(*DURATION)
    try:
        sound = parselmouth.Sound(x.astype(np.float64), sampling_frequency=SAMPLE_RATE)
        y = call(sound, "Change gender", 75, 600, formant, pitch, 1.0, duration).values[0]
    except parselmouth.PraatError:
        return x  # nothing voiced to convert: keep the source
    y = place_in_second(y, length)
    src_rms, out_rms = np.sqrt(np.mean(x.astype(np.float64) ** 2)), np.sqrt(np.mean(y ** 2))
    if out_rms > 0:
        y *= src_rms / out_rms
    return np.clip(y, -1.0, 1.0)


def load_pseudo() -> tuple[list[str], np.ndarray] | None:
    """(source entries, int16 conversions [N, K, 16000]) from the cache, or None when absent."""
    index = PSEUDO_DIR / "index.json"
    if not index.exists():
        return None
    meta = json.loads(index.read_text())
    return meta["entries"], np.load(PSEUDO_DIR / "clips.npy", mmap_mode="r")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-clip", type=int, default=6)
    ap.add_argument("--seed", type=int, default=99)
    args = ap.parse_args()
    entries = spoken_entries()
    meta = {"entries": entries, "per_clip": args.per_clip, "seed": args.seed,
            "tool": f"praat-parselmouth {parselmouth.__version__} Change gender (75, 600, formant, pitch, 1.0, duration)",
            "formant_ratio": FORMANT_RATIO, "pitch_median_hz": PITCH_MEDIAN_HZ, "duration": DURATION}
    index = PSEUDO_DIR / "index.json"
    if index.exists() and (PSEUDO_DIR / "clips.npy").exists():
        old = json.loads(index.read_text())
        if all(old.get(k) == meta[k] for k in ("entries", "per_clip", "seed")):
            print(f"pseudo: cache up to date ({len(entries)} clips x {args.per_clip})")
            return 0
    PSEUDO_DIR.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(entries), args.per_clip, CLIP_SAMPLES), dtype=np.int16)
    t0 = time.time()
    for i, entry in enumerate(entries):
        rng = random.Random(args.seed * 1_000_003 + i)
        x = read_wav(DATA_DIR / entry)
        for k in range(args.per_clip):
            out[i, k] = np.round(convert(x, rng) * 32767.0).astype(np.int16)
        if i % 500 == 0:
            print(f"pseudo: {i}/{len(entries)} {time.time() - t0:.0f}s", flush=True)
    np.save(PSEUDO_DIR / "clips.npy", out)
    index.write_text(json.dumps(meta) + "\n")
    print(f"pseudo: {len(entries)} clips x {args.per_clip} in {time.time() - t0:.0f}s -> {PSEUDO_DIR}")
    return 0
