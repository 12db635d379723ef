"""Speaker-disjoint train/validation/test split of the shared Speech Commands subset.

The rule is TensorFlow's `which_set` (SPEC.md §1.5): speaker id = the 8 hex digits before `_nohash_`,
h = int(sha1(id)) mod 2^27, p = h * 100 / (2^27 - 1).

Adaptation: the shared data is a subset of the canonical *test* package, which TF built with exactly
this hash at 10% / 10%, so every speaker here has 10 <= p < 20 (checked below). The rule is therefore
applied to the rescaled value q = (p - 10) * 10, which is uniform on [0, 100) over these speakers:
validation if q < 15, test if q < 30, else train. The data holds only ~3,000 clips, so validation and
test get 15% each (instead of 10%) to keep their accuracy estimates usable (~450 clips each).
`_silence_` clips have no speaker; they are split by q = p of the sha1 of their file name.

Usage: python split.py          # writes splits/{train,validation,test}.txt and splits/SHA256SUMS
       python split.py --check  # verifies the committed lists against the data and the rule
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys

from .common import DATA_DIR, LABELS, SPLITS_DIR

MAX_NUM_WAVS_PER_CLASS = 2**27 - 1
VALIDATION_PERCENT = 15.0
TEST_PERCENT = 15.0
TF_TEST_BAND = (10.0, 20.0)
SPLITS = ("train", "validation", "test")
_SPEAKER = re.compile(r"([0-9a-f]{8})_nohash_")


def hash_key(label: str, file_name: str) -> str:
    """The string that decides a file's split: its speaker id, or the file name for noise clips."""
    if label == "_silence_":
        return file_name
    m = _SPEAKER.search(file_name)
    if m is None:
        raise ValueError(f"{label}/{file_name}: no speaker id before _nohash_")
    return m.group(1)


def hash_percent(key: str) -> float:
    """TF's `which_set` percentage p in [0, 100]."""
    h = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % (MAX_NUM_WAVS_PER_CLASS + 1)
    return h * (100.0 / MAX_NUM_WAVS_PER_CLASS)


def which_set(key: str, is_speaker: bool) -> str:
    p = hash_percent(key)
    if is_speaker:
        # Speakers of TF's testing partition (10 <= p < 20): stretch that band to [0, 100).
        if not TF_TEST_BAND[0] <= p < TF_TEST_BAND[1]:
            raise ValueError(f"speaker {key}: p = {p:.3f} is outside TF's test band {TF_TEST_BAND}; "
                             "the data is not the canonical test package this rule assumes")
        p = (p - TF_TEST_BAND[0]) * 100.0 / (TF_TEST_BAND[1] - TF_TEST_BAND[0])
    if p < VALIDATION_PERCENT:
        return "validation"
    if p < VALIDATION_PERCENT + TEST_PERCENT:
        return "test"
    return "train"


def compute_splits() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {s: [] for s in SPLITS}
    speaker_side: dict[str, str] = {}
    for label in LABELS:
        for path in sorted((DATA_DIR / label).glob("*.wav")):
            key = hash_key(label, path.name)
            side = which_set(key, is_speaker=label != "_silence_")
            if label != "_silence_":
                previous = speaker_side.setdefault(key, side)
                assert previous == side, f"speaker {key} in both {previous} and {side}"
            out[side].append(f"{label}/{path.name}")
    return out


def list_text(entries: list[str]) -> str:
    return "".join(e + "\n" for e in entries)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def speakers(entries: list[str]) -> set[str]:
    return {hash_key(e.split("/")[0], e.split("/")[1]) for e in entries if not e.startswith("_silence_/")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify the committed lists instead of writing")
    args = ap.parse_args()
    splits = compute_splits()
    for a in SPLITS:
        for b in SPLITS:
            if a < b:
                common = speakers(splits[a]) & speakers(splits[b])
                assert not common, f"speakers in both {a} and {b}: {sorted(common)[:5]}"
    sums = "".join(f"{sha256_text(list_text(splits[s]))}  {s}.txt\n" for s in SPLITS)
    if args.check:
        ok = True
        for s in SPLITS:
            committed = (SPLITS_DIR / f"{s}.txt").read_text()
            if committed != list_text(splits[s]):
                print(f"split.py --check: splits/{s}.txt differs from the data + rule", file=sys.stderr)
                ok = False
        if (SPLITS_DIR / "SHA256SUMS").read_text() != sums:
            print("split.py --check: splits/SHA256SUMS is stale", file=sys.stderr)
            ok = False
        if not ok:
            return 1
    else:
        SPLITS_DIR.mkdir(parents=True, exist_ok=True)
        for s in SPLITS:
            (SPLITS_DIR / f"{s}.txt").write_text(list_text(splits[s]))
        (SPLITS_DIR / "SHA256SUMS").write_text(sums)
    for s in SPLITS:
        by_label = {l: sum(1 for e in splits[s] if e.startswith(l + "/")) for l in LABELS}
        print(f"{s:10s} {len(splits[s]):5d} clips, {len(speakers(splits[s])):4d} speakers  "
              + " ".join(f"{l}:{n}" for l, n in by_label.items()))
    print(sums, end="")
    return 0
