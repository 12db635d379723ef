"""The words of a custom keyword model: labels, pronunciations, near-misses and warnings (custom_keyword.py).

Pronunciations come from espeak-ng (`--ipa`, American English): the same engine that renders most of the
training voices, so "sounds like" here means what the voices will say. A word's near-misses are the
dictionary words (wamerican, `/usr/share/dict/words`) closest to it in phonemes (edit distance over IPA
symbols, stress and length marks ignored); homophones (distance 0) are never negatives, since a clip of one
is the keyword by sound, and they are reported instead. The dictionary's pronunciations are cached in
`cache/keyword/lexicon.tsv` (52k words, ~30 s once).
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from .common import CACHE_DIR

LEXICON = CACHE_DIR / "keyword" / "lexicon.tsv"
DICTIONARY = Path("/usr/share/dict/words")
IGNORED_MARKS = str.maketrans("", "", "ˈˌːˑ‿ \u0303")
# A word shorter than this many phonemes is easy to hear in ordinary speech: the report warns.
SHORT_PHONEMES = 4
# The most frequent English words: a keyword equal or next to one of these fires on ordinary speech.
COMMON = set("""the be to of and a in that have i it for not on with he as you do at this but his by from they we
say her she or an will my one all would there their what so up out if about who get which go me when make can
like time no just him know take people into year your good some could them see other than then now look only
come its over think also back after use two how our work first well way even new want because any these give
day most us is are was were has had did said yes stop okay hey hi hello right left off down""".split())


def keyword_label(phrase: str) -> str:
    """The model label of a phrase: lower case, words joined by `_` (a label has no spaces, so truth files
    and `LABEL=X` thresholds stay one token)."""
    return "_".join(phrase.lower().split())


def spoken(label: str) -> str:
    """The text the voices say for a label."""
    return label.replace("_", " ")


def pronounce(texts: list[str]) -> list[str]:
    """IPA of each text (one espeak-ng call for all, one line per text), marks removed."""
    if not texts:
        return []
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        # "." ends each entry, so espeak-ng prints one line per entry instead of joining them into clauses.
        f.write("".join(re.sub(r"[.!?\n]", " ", t) + ".\n" for t in texts))
        f.flush()
        out = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us", "-f", f.name], check=True,
                             capture_output=True, text=True, timeout=600).stdout
    lines = [line.strip().translate(IGNORED_MARKS) for line in out.splitlines() if line.strip()]
    if len(lines) != len(texts):
        raise SystemExit(f"keyword: espeak-ng gave {len(lines)} pronunciations for {len(texts)} texts")
    return lines


def lexicon() -> dict[str, str]:
    """word -> IPA for the dictionary's plain lower-case words (cached)."""
    if LEXICON.exists():
        return dict(line.split("\t") for line in LEXICON.read_text().splitlines() if "\t" in line)
    if not DICTIONARY.exists():
        raise SystemExit(f"keyword: {DICTIONARY} is missing (Debian package wamerican); needed for near-misses")
    words = sorted({w for w in DICTIONARY.read_text(errors="replace").split() if re.fullmatch(r"[a-z]{2,12}", w)})
    table = dict(zip(words, pronounce(words)))
    LEXICON.parent.mkdir(parents=True, exist_ok=True)
    LEXICON.write_text("".join(f"{w}\t{p}\n" for w, p in table.items()))
    return table


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between symbol strings, or `limit + 1` once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def neighbours(word: str, ipa: str, table: dict[str, str], count: int) -> tuple[list[str], list[str]]:
    """(homophones, the `count` nearest other words) of `word`: words of the lexicon within a quarter of its
    length in phoneme edits (at least 1), nearest first, ties by spelling."""
    limit = max(1, len(ipa) // 4)
    found = sorted((d, w) for w, p in table.items() if w != word and (d := distance(ipa, p, limit)) <= limit)
    return [w for d, w in found if d == 0], [w for d, w in found if d > 0][:count]


def near_misses(label: str, table: dict[str, str], count: int) -> tuple[list[str], list[str]]:
    """(homophones, near-miss texts) of a label. One word: its nearest dictionary words. A phrase: the phrase
    with one word swapped for one of that word's nearest words ("hey kiwi" -> "hay kiwi", "hey kiwis"), taken
    in turn from each word so every word gets its share."""
    words = label.split("_")
    ipas = pronounce(words)
    per_word = [neighbours(w, p, table, count) for w, p in zip(words, ipas)]
    if len(words) == 1:
        return per_word[0]
    homophones = [" ".join(words[:i] + [h] + words[i + 1:]) for i, (hs, _) in enumerate(per_word) for h in hs]
    swaps = [[" ".join(words[:i] + [n] + words[i + 1:]) for n in near] for i, (_, near) in enumerate(per_word)]
    texts = [t for rank in range(count) for options in swaps if rank < len(options) for t in [options[rank]]]
    return homophones, texts[:count]


def partial_phrases(label: str) -> list[str]:
    """For a phrase of several words, every shorter run of its words ("hey kiwi" -> "hey", "kiwi"): hearing part
    of a phrase is not hearing the phrase."""
    words = label.split("_")
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
            if j - i < len(words)]


def warnings(label: str, ipa: str, homophones: list[str], near: list[str]) -> list[str]:
    out = []
    if len(ipa) < SHORT_PHONEMES:
        out.append(f"'{spoken(label)}' is short ({len(ipa)} phonemes: /{ipa}/): short words fire more often on "
                   "ordinary speech; a longer word or a two-word phrase is easier to hear")
    common = [w for w in homophones + near[:3] if w in COMMON]
    if spoken(label) in COMMON or common:
        out.append(f"'{spoken(label)}' is or sounds close to a common word ({', '.join(common or [spoken(label)])}): "
                   "expect false alarms in conversation")
    if homophones:
        out.append(f"'{spoken(label)}' sounds like {', '.join(homophones[:5])}: those are heard as the keyword")
    return out
