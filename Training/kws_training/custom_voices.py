"""Renders the words of a custom keyword model with every licensed offline voice (custom_keyword.py).

Training voices: espeak-ng (8 English accents x its variants), flite (5 voices), festival (kal, slt-hts),
Pico (en-US, en-GB) and RHVoice (alan, bdl, clb, slt); with `--non-commercial` also the mbrola voices, Piper's
joe and RHVoice's evgeniy-eng and lyubov (voices.py has each licence). Held out, for the operating points
only: the espeak-ng variants and festival voice that negatives.py keeps out of all training (BENCH_VARIANTS,
`ked`), so the recall a model reports is on voices it never heard.

A rendering is one text from one voice at a seeded random rate and pitch (voices.py's engines), centred in the
model's window; half of the training renderings get a pseudo-speaker twin (pseudo.py's Praat "Change gender").
Everything is cached under the work folder by name, so a rerun renders only what is new.
"""
from __future__ import annotations

import random
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .common import read_wav
from .negatives import BENCH_VARIANTS
from .synth import ESPEAK_VARIANTS, ESPEAK_VOICES, FLITE_VOICES
from .voices import VOICES, Job, Voice, existing, render_cli, render_festival, render_piper

FREE = "GPL-3.0 (espeak-ng; its output is unrestricted)"
FLITE = "BSD-style (flite and its voices)"
# Share of training renderings per engine (espeak-ng has by far the most voices, the others sound more human).
ENGINE_SHARE = {"espeak": 0.35, "flite": 0.15, "festival": 0.15, "pico": 0.1, "rhvoice": 0.15, "mbrola": 0.05,
                "piper": 0.05}


def training_voices(non_commercial: bool) -> dict[str, list[Voice]]:
    """engine -> voices a model may be trained on."""
    pool: dict[str, list[Voice]] = {
        "espeak": [Voice("espeak", a + v, FREE, True) for a in ESPEAK_VOICES for v in ESPEAK_VARIANTS
                   if v not in BENCH_VARIANTS],
        "flite": [Voice("flite", v, FLITE, True) for v in FLITE_VOICES],
    }
    for v in VOICES:
        if not v.held_out and (v.commercial_ok or non_commercial):
            pool.setdefault(v.engine, []).append(v)
    return pool


def held_out_voices() -> dict[str, list[Voice]]:
    return {"espeak": [Voice("espeak", a + v, FREE, True) for a in ESPEAK_VOICES for v in sorted(BENCH_VARIANTS)],
            "festival": [v for v in VOICES if v.held_out]}


def jobs_for(label: str, text: str, count: int, pool: dict[str, list[Voice]], seed: int) -> list[Job]:
    """`count` renderings of `text`, engines drawn by ENGINE_SHARE among those in `pool`, a voice uniformly."""
    rng = random.Random(f"{seed}:{label}:{text}")
    engines = [e for e in ENGINE_SHARE if e in pool]
    weights = [ENGINE_SHARE[e] for e in engines]
    jobs = []
    for i in range(count):
        engine = rng.choices(engines, weights)[0]
        jobs.append(Job(rng.choice(pool[engine]), label, text, i, seed))
    return jobs


def render(jobs: list[Job], out_dir: Path, length: int, threads: int, progress) -> list[Path]:
    """Renders what is not cached yet; returns the clips that exist afterwards (rejected renderings have none)."""
    todo = [j for j in jobs if not existing(j, out_dir)]
    festival = [j for j in todo if j.voice.engine == "festival"]
    piper = [j for j in todo if j.voice.engine == "piper"]
    cli = [j for j in todo if j.voice.engine not in ("festival", "piper")]
    t0, done = time.time(), 0

    def one(job: Job) -> None:
        nonlocal done
        try:
            render_cli(job, out_dir, length)
        except Exception as err:  # a voice that fails one text must not stop the others
            print(f"keyword: {job.voice.engine} {job.voice.voice} '{job.word}': {err}", file=sys.stderr)
        done += 1
        if done % max(50, len(todo) // 10) == 0:
            progress(done, len(todo), time.time() - t0)

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        list(pool.map(one, cli))
    for voice in {j.voice for j in festival}:
        render_festival([j for j in festival if j.voice == voice], out_dir, length)
    if piper:
        render_piper(piper, out_dir, piper[0].seed, length)
    return [out_dir / j.rel for j in jobs if (out_dir / j.rel).exists()]


def load(paths: list[Path], length: int) -> np.ndarray:
    """[N, length] float32 clips (16 kHz mono s16 files of at most `length` samples)."""
    if not paths:
        return np.zeros((0, length), np.float32)
    return np.stack([read_wav(p, length) for p in paths])


def pseudo_twins(clips: np.ndarray, share: float, seed: int) -> np.ndarray:
    """A pseudo-speaker conversion of a `share` of the clips (pseudo.py's ranges), at the same length."""
    from .pseudo import convert
    rng = random.Random(seed)
    rows = [i for i in range(len(clips)) if rng.random() < share]
    with warnings.catch_warnings():  # "no voiced segments" for an unvoiced rendering: convert() keeps it as it is
        warnings.simplefilter("ignore")
        twins = [convert(clips[i], rng, len(clips[i])) for i in rows]
    return np.stack(twins).astype(np.float32) if twins else np.zeros((0, clips.shape[1]), np.float32)
