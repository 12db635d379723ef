"""Training data in memory: real clips by label, synthetic and pseudo-speaker clips, teacher logits, and the
balanced, augmented epochs train.py draws from them."""
from __future__ import annotations

import json

import numpy as np
import torch
import torch.nn.functional as F

from .common import CACHE_DIR, LABELS, label_of, read_wav
from .pseudo import load_pseudo


SILENCE, UNKNOWN = 0, 1


def load_clips(paths: list, root) -> torch.Tensor:
    return torch.from_numpy(np.stack([read_wav(root / p) for p in paths])) if paths else torch.zeros(0, 16000)


def clips_by_label(paths: list[str], root) -> dict[int, torch.Tensor]:
    """The clips of `paths` (split-list entries under `root`) grouped by label index, every label present."""
    return {l: load_clips([p for p in paths if label_of(p) == LABELS[l]], root) for l in range(len(LABELS))}


def synthetic_by_label(paths: list[str], voices: list[str] = ()) -> dict[int, torch.Tensor]:
    """The synthetic clips of `paths` (load_synthetic()) and of `voices` (voices.load_voices()) by label
    index, only labels that have some."""
    synth = clips_by_label(paths, CACHE_DIR / "synth")
    more = clips_by_label(list(voices), CACHE_DIR / "voices")
    return {l: torch.cat([synth[l], more[l]]) for l in synth if l != SILENCE and len(synth[l]) + len(more[l])}


def cache_rows(entries: list[str], paths: list[str], what: str, rerun: str) -> dict[int, list[int]]:
    """Rows of `paths` in a cache indexed by `entries`, by label, in the order clips_by_label() loads them;
    exits naming the cache (`what`) and its script (`rerun`) when one is missing."""
    row = {e: i for i, e in enumerate(entries)}
    missing = [p for p in paths if p not in row]
    if missing:
        raise SystemExit(f"{what} lacks {len(missing)} clips (e.g. {missing[0]}): rerun {rerun}")
    return {l: [row[p] for p in paths if label_of(p) == LABELS[l]] for l in range(len(LABELS))}


def pseudo_by_label(paths: list[str]) -> dict[int, torch.Tensor]:
    """int16 pseudo-speaker conversions [n, K, 16000] (pseudo.py) of the clips of `paths`, by label, rows
    in the order clips_by_label() loads them; raises if the cache lacks one of them."""
    cached = load_pseudo()
    if cached is None:
        raise SystemExit("--pseudo needs the pseudo-speaker cache: run `python pseudo.py` first")
    entries, clips = cached
    spoken = [p for p in paths if label_of(p) != LABELS[SILENCE]]
    rows = cache_rows(entries, spoken, "pseudo-speaker cache", "pseudo.py")
    return {l: torch.from_numpy(np.ascontiguousarray(clips[r])) for l, r in rows.items() if r}


def teacher_by_label(target: str, paths: list[str], synth_paths: list[str]) -> dict:
    """The teacher's logits (teacher.py) for `target` ("final" or "fold-k"), by label, rows in the order
    clips_by_label() and synthetic_by_label() load `paths` and `synth_paths`."""
    from .teacher import SOFT_PATH
    if not SOFT_PATH.exists():
        raise SystemExit("--distill needs the teacher's soft labels: run `python embeddings.py && python teacher.py`")
    soft = np.load(SOFT_PATH)
    entries = json.loads((SOFT_PATH.parent / "entries.json").read_text())
    out = {}
    for part, mine in (("real", paths), ("synth", synth_paths)):
        rows = cache_rows(entries[part], mine, f"teacher soft labels ({part})", "teacher.py")
        logits = soft[f"{target}/{part}"]  # an npz member is read from disk at each access: once here
        out[part] = {l: torch.from_numpy(logits[r]) for l, r in rows.items()}
    return out


def load_synthetic() -> list[str]:
    index = CACHE_DIR / "synth" / "index.txt"
    if not index.exists():
        return []
    return [line.split("\t")[0] for line in index.read_text().splitlines() if line.strip()]


class EpochBuilder:
    """Class-balanced epochs: `per_class` examples of every label, speech drawn from real clips with
    probability `real_fraction` (else synthetic), silence generated from train `_silence_` noise. With
    `pseudo` (pseudo_by_label), a real draw is replaced by one of its pseudo-speaker conversions with
    probability `pseudo_prob`. With `soft` ({"real": by label, "synth": by label} of teacher logits, rows
    as in `real`/`synth`), every example also carries its source clip's teacher logits (a pseudo-speaker
    conversion its source's), and silence a one-hot silence target."""

    def __init__(self, real: dict, synth: dict, noise_bank: torch.Tensor, per_class: int,
                 real_fraction: float, gen: torch.Generator, pseudo: dict | None = None, pseudo_prob: float = 0.0,
                 soft: dict | None = None):
        self.real, self.synth, self.noise_bank = real, synth, noise_bank
        self.per_class, self.real_fraction, self.gen = per_class, real_fraction, gen
        self.pseudo, self.pseudo_prob = pseudo or {}, pseudo_prob
        self.soft = soft

    def draw(self, label: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        real, synth = self.real[label], self.synth.get(label)
        from_real = torch.rand(count, generator=self.gen) < self.real_fraction
        if synth is None or len(synth) == 0:
            from_real[:] = True
        ri = torch.randint(0, len(real), (count,), generator=self.gen)
        out = real[ri]
        soft = self.soft["real"][label][ri] if self.soft else torch.zeros(count, len(LABELS))
        if label in self.pseudo and self.pseudo_prob > 0:
            swap = torch.nonzero(torch.rand(count, generator=self.gen) < self.pseudo_prob).flatten()
            k = torch.randint(0, self.pseudo[label].shape[1], (len(swap),), generator=self.gen)
            out[swap] = self.pseudo[label][ri[swap], k].float() / 32768.0
        if not bool(from_real.all()):
            si = torch.randint(0, len(synth), (count,), generator=self.gen)
            out = torch.where(from_real.unsqueeze(1), out, synth[si])
            if self.soft:
                soft = torch.where(from_real.unsqueeze(1), soft, self.soft["synth"][label][si])
        return out, soft

    def epoch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns clean waveforms, labels and an is-silence mask, shuffled."""
        return self.epoch_with_teacher()[:3]

    def epoch_with_teacher(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """epoch() plus the examples' teacher logits (zeros without a teacher)."""
        waves, labels, softs = [], [], []
        for label in range(len(LABELS)):
            if label == SILENCE:
                waves.append(torch.zeros(self.per_class, 16000))
                softs.append(F.one_hot(torch.full((self.per_class,), SILENCE), len(LABELS)).float() * 20.0)
            else:
                w, t = self.draw(label, self.per_class)
                waves.append(w)
                softs.append(t)
            labels.append(torch.full((self.per_class,), label))
        x, y, t = torch.cat(waves), torch.cat(labels), torch.cat(softs)
        order = torch.randperm(len(y), generator=self.gen)
        return x[order], y[order], y[order] == SILENCE, t[order]
