"""The held-out streaming benchmark: long recordings a detector must stay quiet on, and one with planted keywords.

Everything here comes from material no shipped model trained on: the BENCH parts of the negative corpus
(negatives.py: held-out TTS voices and words, held-out asterisk prompts, held-out hedgewars voice packs and
music track) and the TEST split's speakers (keywords, `_unknown_` words, `_silence_` noise).

| file | what |
|---|---|
| `negative.wav` | >= 1 h: held-out speech, voice lines, music and the test split's `_unknown_` words, over test-split noise at 10-30 dB SNR |
| `positive.wav` + `positive.txt` | every test-split keyword clip (444) once, half right next to held-out speech (50-400 ms gap), half between pauses, over the same noise; the truth file has one `LABEL START END` line per keyword (its voiced part, seconds) |
| `reversed.wav` | every test-split keyword clip played backwards, 0.3-1.0 s apart, over noise |
| `nearmiss.wav` | held-out voices saying near-miss and containing words ("yesterday", "upstairs", "online", ...), alone |
| `dev_positive.wav` + `.txt` | 40 renderings of each keyword by the held-out TTS voices, planted like positive.wav in DEV speech: recipe decisions (which model, cascade or not) look at this and dev_negative.wav, never at test speakers |
| `dev_negative.wav` | the DEV part (3 h of held-out voices and words, other sentences; 0.28 h of real Spanish, French, Italian and Russian prompts) in 10-40 s pieces over test-split noise: the calibration stream operating_points.py chooses thresholds on; never reported as a result |

Written to `cache/bench/` (git-ignored), deterministic for a given seed and corpus. Score them with
`kws eval --stream cache/bench/positive.wav --truth cache/bench/positive.txt --negative cache/bench/negative.wav`.

Usage: python bench_streams.py [--seed 99]
"""
from __future__ import annotations

import argparse
import json
import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .common import CACHE_DIR, DATA_DIR, KEYWORDS, SAMPLE_RATE, label_of, read_split, read_wav, write_wav
from .negatives import NEAR_MISS_WORDS, load_part, render_tts

BENCH_DIR = CACHE_DIR / "bench"
FRAME = 160


def voiced(x: np.ndarray) -> tuple[int, int]:
    n = len(x) // FRAME
    e = np.sqrt((x[: n * FRAME].reshape(n, FRAME) ** 2).mean(axis=1))
    loud = np.nonzero(e > 0.1 * max(e.max(), 1e-6))[0]
    return (loud[0] * FRAME, (loud[-1] + 1) * FRAME) if len(loud) else (0, len(x))


def noise_bed(length: int, noises: list[np.ndarray], speech_rms: float, rng: np.random.Generator) -> np.ndarray:
    """Test-split noise clips end to end, each at its own SNR of 10-30 dB against `speech_rms`."""
    out = np.zeros(length, dtype=np.float32)
    pos = 0
    while pos < length:
        clip = noises[rng.integers(len(noises))]
        clip = clip / max(np.sqrt((clip ** 2).mean()), 1e-6)
        take = min(len(clip), length - pos)
        out[pos: pos + take] = clip[:take] * speech_rms * 10 ** (-rng.uniform(10, 30) / 20)
        pos += take
    return out


def speech_rms(x: np.ndarray) -> float:
    loud = x[np.abs(x) > 1e-3]
    return float(np.sqrt((loud ** 2).mean())) if len(loud) else 0.05


def segments(audio: np.ndarray, rng: np.random.Generator, lo: float, hi: float) -> list[np.ndarray]:
    out, pos = [], 0
    while pos < len(audio):
        n = int(rng.uniform(lo, hi) * SAMPLE_RATE)
        out.append(audio[pos: pos + n])
        pos += n
    return out


def plant(keywords: list[tuple[str, np.ndarray]], context: list[np.ndarray],
          rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """Each keyword clip's voiced part (+-50 ms) once, in random order: half right after a context segment
    (50-400 ms gap, -5..+5 dB against it), half between 0.8-2 s pauses. Returns the audio and truth lines."""
    out, truth, pos = [], [], 0
    for i in rng.permutation(len(keywords)):
        label, clip = keywords[i]
        va, vb = voiced(clip)
        a, b = max(0, va - 800), min(len(clip), vb + 800)
        word = clip[a:b]
        near_speech = rng.random() < 0.5
        before = context[rng.integers(len(context))] if near_speech else np.zeros(0, np.float32)
        gap = (rng.uniform(0.05, 0.4) if near_speech else rng.uniform(0.8, 2.0))
        level = speech_rms(word) / max(speech_rms(before), 1e-6) * 10 ** (rng.uniform(-5, 5) / 20) if len(before) else 1
        parts = [before * level, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
        start = pos + sum(len(p) for p in parts)
        truth.append(f"{label}\t{(start + va - a) / SAMPLE_RATE:.3f}\t{(start + vb - a) / SAMPLE_RATE:.3f}")
        after_gap = rng.uniform(0.05, 0.4) if near_speech else rng.uniform(0.8, 2.0)
        parts += [word, np.zeros(int(after_gap * SAMPLE_RATE), np.float32)]
        out += parts
        pos += sum(len(p) for p in parts)
    return np.concatenate(out).astype(np.float32), truth


def write_truth(name: str, truth: list[str], what: str) -> None:
    (BENCH_DIR / name).write_text(f"# label\tstart_s\tend_s (voiced part of each planted {what})\n" + "\n".join(truth) + "\n")


def over_noise(x: np.ndarray, noises: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """`x` over a noise bed (noise_bed), scaled down where needed to peak at 0.95: how every stream is finished."""
    x = x + noise_bed(len(x), noises, speech_rms(x), rng)
    return x * min(1.0, 0.95 / max(np.abs(x).max(), 1e-6))


def write(name: str, x: np.ndarray, noises: list[np.ndarray], rng: np.random.Generator) -> float:
    x = over_noise(x, noises, rng)
    write_wav(BENCH_DIR / name, x)
    return round(len(x) / SAMPLE_RATE / 3600, 4)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=99)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    test = read_split("test")
    keywords = [(label_of(p), read_wav(DATA_DIR / p)) for p in test if label_of(p) in KEYWORDS]
    unknowns = [read_wav(DATA_DIR / p) for p in test if label_of(p) == "_unknown_"]
    noises = [read_wav(DATA_DIR / p) for p in test if label_of(p) == "_silence_"]
    sources = {s: load_part(f"bench_{s}") for s in ("tts", "asterisk", "hedgewars", "music")}
    summary = {}

    # Negative stream: 10-40 s pieces of every held-out source, shuffled, test `_unknown_` words in between.
    pieces = [seg for audio in sources.values() for seg in segments(audio, rng, 10, 40)]
    pieces += [np.concatenate([u, np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)]) for u in unknowns]
    order = rng.permutation(len(pieces))
    summary["negative.wav"] = write("negative.wav", np.concatenate([pieces[i] for i in order]), noises, rng)

    # Positive stream: each keyword's voiced part (+-50 ms), next to held-out speech or between pauses.
    context = segments(np.concatenate([sources["tts"], sources["asterisk"]]), rng, 1.0, 4.0)
    audio, truth = plant(keywords, context, rng)
    summary["positive.wav"] = write("positive.wav", audio, noises, rng)
    write_truth("positive.txt", truth, "test-split keyword")

    rev = [np.concatenate([c[::-1], np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)]) for _, c in keywords]
    summary["reversed.wav"] = write("reversed.wav", np.concatenate(rev), noises, rng)

    r = random.Random(args.seed)
    jobs = [(r.getrandbits(32), True, w) for w in NEAR_MISS_WORDS for _ in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        said = [x for x in pool.map(render_tts, jobs) if x is not None]
    near = [np.concatenate([x, np.zeros(int(rng.uniform(0.4, 1.2) * SAMPLE_RATE), np.float32)]) for x in said]
    summary["nearmiss.wav"] = write("nearmiss.wav", np.concatenate(near), noises, rng)
    summary["positive_events"] = len(truth)
    # DEV negative stream: the DEV speech (held-out TTS, and real speech in other languages) in 10-40 s pieces.
    dev_speech = load_part("dev_tts")
    dev_pieces = [seg for audio in (dev_speech, load_part("dev_foreign")) for seg in segments(audio, rng, 10, 40)]
    dev_order = rng.permutation(len(dev_pieces))
    summary["dev_negative.wav"] = write("dev_negative.wav", np.concatenate([dev_pieces[i] for i in dev_order]),
                                        noises, rng)

    # DEV positive stream, for recipe decisions that must not look at test speakers: 40 renderings of each
    # keyword by the held-out voices (festival ked, the held-out espeak variants, flite), planted in DEV speech.
    jobs = [(r.getrandbits(32), True, kw) for kw in KEYWORDS for _ in range(40)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = [(job[2], x) for job, x in zip(jobs, pool.map(render_tts, jobs)) if x is not None]
    dev_context = segments(dev_speech[: 1800 * SAMPLE_RATE], rng, 1.0, 4.0)
    audio, dev_truth = plant(rendered, dev_context, rng)
    summary["dev_positive.wav"] = write("dev_positive.wav", audio, noises, rng)
    summary["dev_positive_events"] = len(dev_truth)
    write_truth("dev_positive.txt", dev_truth, "held-out-voice TTS keyword")
    (BENCH_DIR / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"bench_streams: hours {json.dumps(summary)}")
    return 0
