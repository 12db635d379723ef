"""Builds Samples/: one TEST-split clip per keyword, one `_unknown_`, one `_silence_`, and a ~30 s
sequence of other TEST-split words over low background noise, with its truth in Samples/sequence.txt.

Clip choice (deterministic): per label, test clips sorted by name, keeping those in the louder half
(RMS), and - when Models/training/tc-resnet8.json exists - those tc-resnet8 classifies correctly, so
the demo shows the engine working; the model's honest accuracy is the test-split number, not these.
"""
from __future__ import annotations

import json
import random
import shutil

import numpy as np

from .common import DATA_DIR, KEYWORDS, MODELS_DIR, REPO_ROOT, SAMPLE_RATE, label_of, read_split, read_wav, write_wav

SAMPLES = REPO_ROOT / "Samples"
SEED = 2018


def voiced_span(x: np.ndarray) -> tuple[float, float]:
    """Start/end (s) of the part of a clip whose 10 ms RMS exceeds 10% of its maximum."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    e = np.sqrt((frames ** 2).mean(axis=1))
    on = np.nonzero(e > 0.1 * e.max())[0]
    return on[0] * 0.01, (on[-1] + 1) * 0.01


def candidates(test: list[str], label: str, correct: set[str] | None) -> list[str]:
    files = sorted(p for p in test if label_of(p) == label)
    loud = sorted(files, key=lambda p: -float(np.sqrt((read_wav(DATA_DIR / p) ** 2).mean())))[: max(1, len(files) // 2)]
    keep = [p for p in files if p in set(loud) and (correct is None or p in correct)]
    return keep or files


def main() -> int:
    test = read_split("test")
    report = MODELS_DIR / "training" / "tc-resnet8.json"
    correct = None
    if report.exists():
        preds = json.loads(report.read_text())["test_predictions"]
        correct = {p for p, label, _ in preds if label == label_of(p)}
    SAMPLES.mkdir(exist_ok=True)
    provenance = []
    used = set()
    for kw in KEYWORDS:
        src = candidates(test, kw, correct)[0]
        shutil.copyfile(DATA_DIR / src, SAMPLES / f"{kw}.wav")
        provenance.append((f"{kw}.wav", src))
        used.add(src)
    unk = candidates(test, "_unknown_", correct)[0]
    unk_name = f"unknown_{unk.split('/')[1].split('_')[0]}.wav"
    shutil.copyfile(DATA_DIR / unk, SAMPLES / unk_name)
    provenance.append((unk_name, unk))
    used.add(unk)
    sil = candidates(test, "_silence_", correct)[0]
    shutil.copyfile(DATA_DIR / sil, SAMPLES / "silence.wav")
    provenance.append(("silence.wav", sil))
    used.add(sil)

    # The sequence: every keyword once (other clips than above) and two unknown words, shuffled.
    rng = random.Random(SEED)
    words = []
    for label in KEYWORDS + ["_unknown_", "_unknown_"]:
        pool = [p for p in candidates(test, label, correct) if p not in used]
        pick = pool[rng.randrange(len(pool))]
        used.add(pick)
        words.append(pick)
    rng.shuffle(words)
    pauses = [rng.uniform(1.0, 2.0) for _ in range(len(words) + 1)]
    total = int(SAMPLE_RATE * (sum(pauses) + len(words)))
    noise_clips = [p for p in test if label_of(p) == "_silence_" and p not in used]
    noise_src = rng.sample(noise_clips, 3)
    noise = np.concatenate([read_wav(DATA_DIR / p) for p in noise_src])
    noise = noise / max(1e-6, float(np.abs(noise).max())) * 0.01  # about -40 dBFS peak
    bed = np.resize(noise, total).astype(np.float64)
    lines, t = [], pauses[0]
    for word, pause in zip(words, pauses[1:]):
        x = read_wav(DATA_DIR / word).astype(np.float64)
        start = int(round(t * SAMPLE_RATE))
        bed[start: start + len(x)] += x
        on, off = voiced_span(x)
        if label_of(word) != "_unknown_":
            lines.append(f"{label_of(word)} {start / SAMPLE_RATE + on:.2f} {start / SAMPLE_RATE + off:.2f}")
        provenance.append((f"sequence.wav @ {start / SAMPLE_RATE:.2f} s", word))
        t += 1.0 + pause
    for p in noise_src:
        provenance.append(("sequence.wav background (looped, ~-40 dBFS)", p))
    write_wav(SAMPLES / "sequence.wav", np.clip(bed, -1.0, 1.0))
    (SAMPLES / "sequence.txt").write_text("".join(l + "\n" for l in lines))
    rows = "".join(f"| `{name}` | `{src}` |\n" for name, src in provenance)
    (SAMPLES / "LICENSE.md").write_text(f"""# Licence of the audio in Samples/

Every recording here comes from the **Speech Commands dataset v0.02** (Pete Warden, 2018,
"Speech Commands: A Dataset for Limited-Vocabulary Speech Recognition", arXiv:1804.03209), published by
Google under the **Creative Commons Attribution 4.0 International licence (CC BY 4.0)**,
https://creativecommons.org/licenses/by/4.0/. The clips are unmodified copies, except `sequence.wav`,
which is a mix (concatenation with pauses over looped low-level background noise) of the clips listed
for it; that mix is likewise CC BY 4.0. All source clips are from the TEST split of
`Training/splits/test.txt` (paths relative to the dataset root), so no shipped model trained on them.

| file in Samples/ | source clip |
|---|---|
{rows}""")
    print(f"Samples: {len(KEYWORDS) + 2} clips + sequence.wav ({total / SAMPLE_RATE:.1f} s, {len(lines)} keywords)")
    return 0
