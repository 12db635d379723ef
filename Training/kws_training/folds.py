"""Speaker-disjoint cross-validation folds over the train + validation speakers (never the test split).

Every recipe decision is made on these folds: a recipe is trained K times, each time on K-1 folds, and
scored on the held-out fold (cv.py). Speakers are dealt to folds greedily, largest first, to the fold
with the fewest clips so far (ties: lowest fold number), in an order fixed by sha1 of the speaker id, so
the folds are deterministic and about equal in clips even though one speaker may hold 50+ clips.
`_silence_` clips (no speaker) are dealt round-robin in sha1 order of their file names.

Usage: python folds.py [--folds 5]   # prints the folds' sizes and checks they are speaker-disjoint
"""
from __future__ import annotations

import argparse
import hashlib
from collections import Counter

from .common import read_split
from .split import hash_key

CV_SPLITS = ("train", "validation")
DEFAULT_FOLDS = 5


def _sha(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def speaker_of(entry: str) -> str | None:
    """The speaker id of a split-list entry, None for `_silence_` noise clips."""
    label, name = entry.split("/", 1)
    return None if label == "_silence_" else hash_key(label, name)


def cv_folds(folds: int = DEFAULT_FOLDS) -> dict[str, int]:
    """Fold index of every entry of the train and validation lists."""
    entries = [e for s in CV_SPLITS for e in read_split(s)]
    clips = Counter(speaker_of(e) for e in entries if speaker_of(e) is not None)
    sizes = [0] * folds
    fold_of_speaker: dict[str, int] = {}
    for spk in sorted(clips, key=lambda s: (-clips[s], _sha(s))):
        f = min(range(folds), key=lambda i: (sizes[i], i))
        fold_of_speaker[spk] = f
        sizes[f] += clips[spk]
    silence = sorted((e for e in entries if speaker_of(e) is None), key=_sha)
    out = {e: i % folds for i, e in enumerate(silence)}
    out.update({e: fold_of_speaker[speaker_of(e)] for e in entries if speaker_of(e) is not None})
    return out


def fold_lists(fold: int, folds: int = DEFAULT_FOLDS) -> tuple[list[str], list[str]]:
    """(training entries, held-out entries) for one fold."""
    assignment = cv_folds(folds)
    train = [e for e, f in assignment.items() if f != fold]
    held = [e for e, f in assignment.items() if f == fold]
    return train, held


def check(folds: int) -> None:
    assignment = cv_folds(folds)
    test_speakers = {speaker_of(e) for e in read_split("test")} - {None}
    owner: dict[str, int] = {}
    for e, f in assignment.items():
        spk = speaker_of(e)
        if spk is None:
            continue
        assert owner.setdefault(spk, f) == f, f"speaker {spk} in folds {owner[spk]} and {f}"
        assert spk not in test_speakers, f"test speaker {spk} in a CV fold"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    args = ap.parse_args()
    check(args.folds)
    assignment = cv_folds(args.folds)
    for f in range(args.folds):
        held = [e for e, g in assignment.items() if g == f]
        spk = {speaker_of(e) for e in held} - {None}
        print(f"fold {f}: {len(held):4d} clips, {len(spk):3d} speakers, "
              f"{sum(1 for e in held if e.startswith('_silence_/'))} _silence_")
    print("folds are speaker-disjoint and hold no test speaker")
    return 0
