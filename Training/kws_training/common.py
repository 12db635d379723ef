"""Paths, labels and small helpers shared by the training scripts."""
from __future__ import annotations

import os
import subprocess
import wave
from pathlib import Path

import numpy as np

TRAINING_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = TRAINING_DIR.parent
DATA_DIR = Path(os.environ.get("KWS_DATA", REPO_ROOT.parent / "shared" / "data" / "speech_commands"))
SPLITS_DIR = TRAINING_DIR / "splits"
CACHE_DIR = TRAINING_DIR / "cache"
# KWS_TRAINING_OUT sends a trial run's model files and weights elsewhere (<dir>/Models, <dir>/runs), so that
# variants of a recipe can run side by side without touching the shipped files.
_TRIAL_OUT = os.environ.get("KWS_TRAINING_OUT")
RUNS_DIR = Path(_TRIAL_OUT) / "runs" if _TRIAL_OUT else TRAINING_DIR / "runs"
MODELS_DIR = Path(_TRIAL_OUT) / "Models" if _TRIAL_OUT else REPO_ROOT / "Models"

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
LABELS = ["_silence_", "_unknown_"] + KEYWORDS
# Words that sound like a keyword: a clip of one is a keyword clip by sound, so no negative may contain them.
# English homophones, and the foreign words of the negative corpus (negatives.py) that say a keyword's sound.
KEYWORD_SOUNDALIKES = {"know", "noh", "write", "rite", "wright", "non", "но", "он", "стоп"}
SAMPLE_RATE = 16000
CLIP_SAMPLES = 16000


def read_wav(path: Path, length: int = CLIP_SAMPLES) -> np.ndarray:
    """Reads a 16-bit mono WAV as float32 in [-1, 1], cropped or zero-padded to `length` (one second)."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1 or w.getframerate() != SAMPLE_RATE:
            raise ValueError(f"{path}: expected 16 kHz mono s16, got {w.getframerate()} Hz, "
                             f"{w.getnchannels()} ch, {8 * w.getsampwidth()} bit")
        raw = w.readframes(w.getnframes())
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    return fit_length(x, length)


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    """Crops or zero-pads at the end, like TF decode_wav(desired_samples=n)."""
    if len(x) >= n:
        return x[:n]
    return np.concatenate([x, np.zeros(n - len(x), dtype=x.dtype)])


def write_wav(path: Path, x: np.ndarray) -> None:
    """Writes float samples in [-1, 1] as 16 kHz mono s16."""
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def label_of(rel_path: str) -> str:
    """The class of a split-list entry such as `yes/0bac8a71_nohash_0.wav`."""
    return rel_path.split("/", 1)[0]


def read_split(name: str) -> list[str]:
    return [line.strip() for line in (SPLITS_DIR / f"{name}.txt").read_text().splitlines() if line.strip()]


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "Training"],
                               check=True, capture_output=True, text=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
