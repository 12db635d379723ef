"""Training examples that look like what a streaming detector sees (alwayson.py).

A streaming detector classifies a 1 s window every hop, over ordinary speech most of the time. So:
- `NegativeCorpus`: random 1 s windows cut from hours of keyword-free audio (negatives.py, TRAIN parts);
- keywords in context: a keyword clip whose silent surround is filled with other speech or music,
  leaving a short gap, so the whole keyword lies inside the window with other words around it;
- partial keywords are negatives: a keyword clip shifted so that 40-70 % of its voiced part falls outside
  the window, or played backwards (same spectra, not the word);
- mined windows: the negative windows the previous round's model scored highest (hard-negative mining).
"""
from __future__ import annotations

import json

import torch

from .common import CLIP_SAMPLES, SAMPLE_RATE
from .negatives import NEG_DIR, load_part

# Share of corpus windows by source: mostly speech (synthetic English, real English and other languages),
# some music and acted voice lines.
SOURCE_WEIGHTS = {"tts": 0.45, "asterisk": 0.15, "foreign": 0.15, "hedgewars": 0.1, "music": 0.15}
FRAME = 160


def voiced_spans(clips: torch.Tensor) -> torch.Tensor:
    """[N, 2] first and one-past-last sample of the part of each clip above -20 dB of its loudest 10 ms frame."""
    n = clips.shape[1] // FRAME
    energy = clips[:, : n * FRAME].reshape(len(clips), n, FRAME).square().mean(dim=2).sqrt()
    loud = energy > 0.1 * energy.amax(dim=1, keepdim=True).clamp_min(1e-6)
    idx = torch.arange(n).expand_as(loud)
    first = torch.where(loud, idx, n).amin(dim=1)
    last = torch.where(loud, idx, -1).amax(dim=1)
    spans = torch.stack([first * FRAME, (last + 1) * FRAME], dim=1)
    return torch.where(spans[:, :1] < spans[:, 1:], spans, torch.tensor([[0, clips.shape[1]]]))


def shift_zero_fill(x: torch.Tensor, shifts: torch.Tensor) -> torch.Tensor:
    """out[i, t] = x[i, t - shifts[i]], zero outside."""
    n = x.shape[1]
    idx = torch.arange(n).unsqueeze(0) - shifts.unsqueeze(1)
    valid = (idx >= 0) & (idx < n)
    return torch.where(valid, torch.gather(x, 1, idx.clamp(0, n - 1)), torch.zeros(()))


class NegativeCorpus:
    """The TRAIN parts of the negative corpus, one long float tensor per source."""

    def __init__(self, part: str = "train"):
        index = json.loads((NEG_DIR / "index.json").read_text())
        self.sources = {}
        for source in SOURCE_WEIGHTS:
            name = f"{part}_{source}"
            if name not in index:
                raise SystemExit(f"stream_data: {NEG_DIR}/{name}.npy is missing; run negatives.py first")
            self.sources[source] = torch.from_numpy(load_part(name))
        self.hours = {s: round(len(a) / SAMPLE_RATE / 3600, 3) for s, a in self.sources.items()}

    def windows(self, count: int, gen: torch.Generator, length: int = CLIP_SAMPLES) -> torch.Tensor:
        names = list(SOURCE_WEIGHTS)
        weights = torch.tensor([SOURCE_WEIGHTS[s] for s in names])
        pick = torch.multinomial(weights, count, replacement=True, generator=gen)
        out = torch.empty(count, length)
        for k, name in enumerate(names):
            rows = torch.nonzero(pick == k).flatten()
            if len(rows) == 0:
                continue
            audio = self.sources[name]
            starts = torch.randint(0, len(audio) - length, (len(rows),), generator=gen)
            out[rows] = audio[starts.unsqueeze(1) + torch.arange(length)]
        return out

    def scan(self, hop: int = SAMPLE_RATE // 10, length: int = CLIP_SAMPLES):
        """Every window at `hop` over every source: yields (source, start samples [B], windows [B, length])."""
        for name, audio in self.sources.items():
            starts = torch.arange(0, len(audio) - length, hop)
            for i in range(0, len(starts), 2048):
                s = starts[i: i + 2048]
                yield name, s, audio[s.unsqueeze(1) + torch.arange(length)]


def rms(x: torch.Tensor) -> torch.Tensor:
    return x.square().mean(dim=1, keepdim=True).sqrt().clamp_min(1e-6)


def in_context(clips: torch.Tensor, spans: torch.Tensor, context: torch.Tensor, gen: torch.Generator,
               level_db: tuple[float, float] = (-15.0, 0.0)) -> torch.Tensor:
    """Fills the surround of each keyword with `context` (other speech), 50-300 ms away from the word, at
    `level_db` (uniform, relative to the word's voiced part), with 10 ms fades; the keyword itself stays whole
    and untouched."""
    n = len(clips)
    t = torch.arange(clips.shape[1]).unsqueeze(0)
    gap_before = (torch.rand(n, 1, generator=gen) * 0.25 + 0.05) * SAMPLE_RATE
    gap_after = (torch.rand(n, 1, generator=gen) * 0.25 + 0.05) * SAMPLE_RATE
    a = spans[:, :1].float() - gap_before
    b = spans[:, 1:].float() + gap_after
    fade = 160.0
    keep = torch.clamp((a - t) / fade, 0, 1) + torch.clamp((t - b) / fade, 0, 1)
    voiced = torch.stack([rms(clips[i: i + 1, spans[i, 0]: spans[i, 1]])[0] for i in range(n)])
    low, high = level_db
    # Counted down from `high`, so the default range draws exactly the levels it always drew.
    level = torch.pow(10.0, (high - torch.rand(n, 1, generator=gen) * (high - low)) / 20.0)
    context = context / rms(context) * voiced * level
    return clips + keep.clamp(0, 1) * context


def anywhere(clips: torch.Tensor, spans: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Moves each keyword to a uniformly random place where its whole voiced part stays inside the window
    (a streaming window meets the word at every offset, not only centred), with 50 ms to spare on each side
    for soft onsets and endings below the -20 dB voicing cut. Returns clips and new spans."""
    n, window = clips.shape
    spans = torch.stack([(spans[:, 0] - 800).clamp_min(0), (spans[:, 1] + 800).clamp_max(window)], dim=1)
    length = spans[:, 1] - spans[:, 0]
    room = (window - length).clamp_min(0)
    new_start = (torch.rand(n, generator=gen) * (room + 1).float()).floor().long()
    shifts = new_start - spans[:, 0]
    return shift_zero_fill(clips, shifts), spans + shifts.unsqueeze(1)


def partial(clips: torch.Tensor, spans: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shifts each keyword so that 40-70 % of its voiced part lies outside the window (left or right)."""
    n = len(clips)
    length = (spans[:, 1] - spans[:, 0]).float()
    cut = (torch.rand(n, generator=gen) * 0.3 + 0.4) * length
    left = torch.rand(n, generator=gen) < 0.5
    shift_left = -(spans[:, 0].float() + cut)                       # word starts at -cut
    shift_right = clips.shape[1] + cut - spans[:, 1].float()        # word ends at the window's end + cut
    shifts = torch.where(left, shift_left, shift_right).round().long()
    return shift_zero_fill(clips, shifts)
