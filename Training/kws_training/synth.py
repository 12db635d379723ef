"""Renders synthetic keyword and non-keyword clips with espeak-ng and flite (training data only).

Each clip is one word from one voice at a seeded random rate and pitch, resampled to 16 kHz mono,
trimmed to its voiced part and centred in one second. The result is cached as
`cache/synth/<label>/<engine>_<word>_<n>.wav` plus `cache/synth/index.txt`; rendering is deterministic
for a given seed and tool version, and an existing cache is reused. Synthetic clips are never put in
validation or test.

Usage: python synth.py [--per-keyword 150] [--per-unknown-word 28] [--seed 1234] [--jobs 2]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .common import CACHE_DIR, CLIP_SAMPLES, KEYWORDS, SAMPLE_RATE, write_wav

SYNTH_DIR = CACHE_DIR / "synth"

# Words of the real `_unknown_` class (Speech Commands' other 20 words + v0.02 extras) and near-misses
# of the keywords, so `_unknown_` learns to reject look-alikes. No homophone of a keyword belongs here:
# "know" (= "no") and "write" (= "right") were removed, since a clip of them is a keyword clip by sound.
UNKNOWN_WORDS = [
    "bed", "bird", "cat", "dog", "eight", "five", "follow", "forward", "four", "happy", "house", "learn",
    "marvin", "nine", "one", "seven", "sheila", "six", "three", "tree", "two", "visual", "wow", "zero",
    "backward",
    "yet", "nope", "upper", "dawn", "lift", "own", "of", "stock", "goat", "yesterday", "nose",
    "top", "toe", "gold", "light", "often", "yeah", "cup", "town", "laughed", "bright", "odd",
    "stop it", "going",
]

ESPEAK_VOICES = ["en", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
                 "en-029", "en-us-nyc"]
ESPEAK_VARIANTS = ["", "+m1", "+m2", "+m3", "+m4", "+m5", "+m6", "+m7", "+f1", "+f2", "+f3", "+f4",
                   "+f5", "+klatt", "+klatt2", "+klatt3", "+croak", "+whisper", "+Andy", "+Annie",
                   "+Denis", "+Gene", "+Jacky", "+Lee", "+Mario", "+Michael", "+Mr serious", "+Tweaky",
                   "+anika", "+iven", "+john", "+kaukovalta", "+max", "+steph", "+travis", "+zac"]
FLITE_VOICES = ["kal", "kal16", "awb", "rms", "slt"]


def read_any_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError(f"{path}: {8 * width}-bit samples, expected 16")
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    return x.reshape(-1, channels).mean(axis=1), rate


def resample(x: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling by zero-padding/truncating the spectrum (clips are short)."""
    if rate == target or len(x) == 0:
        return x
    n_out = int(round(len(x) * target / rate))
    spec = np.fft.rfft(x)
    out_bins = n_out // 2 + 1
    if out_bins <= len(spec):
        spec = spec[:out_bins]
    else:
        spec = np.concatenate([spec, np.zeros(out_bins - len(spec), dtype=spec.dtype)])
    return np.fft.irfft(spec, n_out) * (n_out / len(x))


def centre_in_second(x: np.ndarray, rng: random.Random, length: int = CLIP_SAMPLES) -> np.ndarray | None:
    """Trims leading/trailing near-silence and centres the rest (with a small random offset) in `length`
    samples (one second unless a longer window is asked for)."""
    frame = 160
    n = len(x) // frame
    if n == 0:
        return None
    energy = np.sqrt((x[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    voiced = np.nonzero(energy > 0.05 * energy.max())[0]
    if len(voiced) == 0:
        return None
    seg = x[voiced[0] * frame: (voiced[-1] + 1) * frame]
    if len(seg) > length:  # too long: keep the middle
        start = (len(seg) - length) // 2
        seg = seg[start: start + length]
    slack = length - len(seg)
    offset = slack // 2 + rng.randint(-slack // 4, slack // 4) if slack > 0 else 0
    out = np.zeros(length)
    out[offset: offset + len(seg)] = seg
    peak = np.abs(out).max()
    return out * (rng.uniform(0.3, 0.9) / peak) if peak > 0 else None


def espeak_job(word: str, rng: random.Random) -> tuple[list[str], str]:
    voice = rng.choice(ESPEAK_VOICES) + rng.choice(ESPEAK_VARIANTS)
    rate, pitch = rng.randint(110, 230), rng.randint(20, 80)
    cmd = ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w"]
    return cmd, f"espeak {voice} s{rate} p{pitch}"


def flite_job(word: str, rng: random.Random) -> tuple[list[str], str]:
    voice = rng.choice(FLITE_VOICES)
    stretch = rng.uniform(0.75, 1.35)
    f0 = rng.randint(80, 220)
    cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch:.3f}",
           "--setf", f"int_f0_target_mean={f0}", "-o"]
    return cmd, f"flite {voice} d{stretch:.2f} f{f0}"


def render(job: tuple[str, str, int, int]) -> str | None:
    label, word, index, seed = job
    rng = random.Random(seed)
    engine = "flite" if rng.random() < 0.3 else "espeak"
    cmd, desc = (flite_job if engine == "flite" else espeak_job)(word, rng)
    name = f"{engine}_{word.replace(' ', '-')}_{index:03d}.wav"
    out_path = SYNTH_DIR / label / name
    if out_path.exists():
        return f"{label}/{name}\t{desc}"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        if engine == "flite":
            full = cmd[:-1] + ["-t", word, "-o", str(raw)]
        else:
            full = cmd + [str(raw), word]
        try:
            subprocess.run(full, check=True, capture_output=True, timeout=30)
            if not raw.exists():
                raise OSError(f"{full[0]} wrote no audio")
            x, rate = read_any_wav(raw)
        except (subprocess.SubprocessError, OSError, ValueError, EOFError) as err:
            print(f"synth: {desc} '{word}' failed: {err}", file=sys.stderr)
            return None
    clip = centre_in_second(resample(x, rate), rng)
    if clip is None:
        return None
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(out_path, clip)
    return f"{label}/{name}\t{desc}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-keyword", type=int, default=150)
    ap.add_argument("--per-unknown-word", type=int, default=28)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    master = random.Random(args.seed)
    jobs = [(kw, kw, i, master.getrandbits(32)) for kw in KEYWORDS for i in range(args.per_keyword)]
    jobs += [("_unknown_", w, i, master.getrandbits(32)) for w in UNKNOWN_WORDS
             for i in range(args.per_unknown_word)]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        lines = [line for line in pool.map(render, jobs) if line is not None]
    SYNTH_DIR.mkdir(parents=True, exist_ok=True)
    (SYNTH_DIR / "index.txt").write_text("".join(l + "\n" for l in lines))
    counts: dict[str, int] = {}
    for line in lines:
        label = line.split("/", 1)[0]
        counts[label] = counts.get(label, 0) + 1
    print(f"synth: {len(lines)} clips of {len(jobs)} requested: {counts}")
    return 0
