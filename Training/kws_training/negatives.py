"""Keyword-free audio at scale: the negative corpus for training and its held-out benchmark part.

Every source is split once, by a fixed rule, into a TRAIN part (training and hard-negative mining) and a
BENCH part (only the benchmark streams of bench_streams.py); nothing of a BENCH part is ever trained on.
A DEV part (`dev_tts`: the held-out voices and words, other sentences; `dev_foreign`) is the calibration stream on which
operating_points.py measures false alarms to choose thresholds, so that no threshold is chosen on the
benchmark it is then scored on.

| source | what | licence | split |
|---|---|---|---|
| tts | sentences of 3-14 words (function words + /usr/share/dict/words, wamerican; keywords and their homophones removed) and near-miss words, spoken by espeak-ng (8 accents x 36 variants), flite (5 voices), festival (kal, ked, slt-hts), random rate/pitch | espeak-ng GPL-3, flite/festival voices BSD-like (free) | content words 80/20 by sha1; festival `ked` and espeak variants in BENCH_VARIANTS speak BENCH only |
| asterisk | asterisk-core-sounds-en-g722 prompts whose transcript has no keyword (one speaker) | CC-BY-SA 3.0 | 80/20 by sha1 of the prompt name |
| foreign | asterisk-core-sounds-{es,fr,it,ru}-g722 prompts (one speaker each) whose transcript has no keyword or sound-alike ("no", "non", "но", "он", ...) | CC-BY-SA 3.0 | TRAIN/DEV 80/20 by sha1 of the prompt name; never BENCH |
| hedgewars | hedgewars-data English voice lines without keyword-like lines (Nooo, Yessir, Ooff, Enemydown, Comeonthen) | GFDL 1.2+ | voice packs: BENCH_PACKS held out |
| music | asterisk-moh-opsound-g722 music on hold | CC-BY-SA 3.0 | last track held out |

Output (git-ignored, deterministic for a given seed and tool versions, reused when present):
`cache/negatives/{train,bench}_{tts,asterisk,hedgewars,music}.npy`, `{train,dev}_foreign.npy` and `dev_tts.npy`: int16 16 kHz mono, utterances joined with
0.1-0.8 s of digital silence (noise is added where the audio is used), plus `index.json` with durations.

Usage: python negatives.py [--tts-hours 5.0] [--bench-tts-hours 0.8] [--dev-tts-hours 3.0] [--seed 4242] [--jobs 2]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .common import CACHE_DIR, KEYWORD_SOUNDALIKES, KEYWORDS, SAMPLE_RATE
from .synth import ESPEAK_VARIANTS, ESPEAK_VOICES, FLITE_VOICES, UNKNOWN_WORDS, read_any_wav, resample

NEG_DIR = CACHE_DIR / "negatives"
ASTERISK_ROOT = Path("/usr/share/asterisk/sounds")
# Real speech in other languages (one professional speaker each): speech sounds that are not English words.
# TRAIN and DEV only, so the benchmark stays English.
FOREIGN_LANGUAGES = ("es", "fr", "it", "ru")
HEDGEWARS_DIR = Path("/usr/share/games/hedgewars/Data/Sounds/voices")
MOH_DIR = Path("/usr/share/asterisk/moh")
WORDS_FILE = Path("/usr/share/dict/words")

FUNCTION_WORDS = ("the a an of and to in is it that was for with as his her they at be this from have or by "
                  "one had not but what all were when we there can said which do their if will each about how "
                  "out them then she many some so these would other into has more two like him see time could "
                  "way my than first been call who its now find long day did get come made may part over new "
                  "after just where most take me back give only little very much before through think "
                  "also around another came three want well large must big even such because turn here why ask "
                  "went men read need land different home us move try kind hand picture again change play "
                  "spell air away animal house point page letter mother answer found study still learn should "
                  "world high every near add food between own below country plant last school father keep tree "
                  "never start city earth eye light thought head under story saw far sea draw late run while "
                  "press close night real life few north open seem together next white children begin got walk "
                  "example ease paper group always music those both mark often until mile river car feet care "
                  "second book carry took science eat room friend began idea fish mountain once base hear horse "
                  "cut sure watch color face wood main enough plain girl usual young ready above ever red list "
                  "though feel talk bird soon body dog family direct pose leave song measure door product black "
                  "short numeral class wind question happen complete ship area half rock order fire south "
                  "problem piece told knew pass since top whole king space heard best hour better true during "
                  "hundred five remember step early hold west ground interest reach fast verb sing listen six "
                  "table travel less morning ten simple several vowel toward war lay against pattern slow center "
                  "love person money serve appear road map rain rule govern pull cold notice voice unit power "
                  "town fine certain fly fall lead cry dark machine note wait plan figure star box noun field "
                  "rest correct able pound done beauty drive stood contain front teach week final gave green "
                  "quick develop ocean warm free minute strong special mind behind clear tail produce fact "
                  "street inch multiply nothing course stay wheel full force blue object decide surface deep "
                  "moon island foot system busy test record boat common gold possible plane stead dry wonder "
                  "laugh thousand ago ran check game shape equate hot miss brought heat snow tire bring distant "
                  "fill east paint language among").split()

# Hard negatives: words that contain a keyword's sound or come close to it. They are spoken alone and inside
# sentences; they must never fire. (synth.py's near-misses are joined in.)
NEAR_MISS_WORDS = sorted(set(
    "yesterday yes-man yeast yet yell yellow stopwatch stopper stopped stops stoplight nonstop doorstop online "
    "onion honest only ongoing office offer offset often coffee upstairs upset update uphold upper puppy cup "
    "download downtown downstairs sundown gown brown noun town nowhere nose snow note noble nope "
    "leftover lefty lift loft theft alright bright fright rice gopher goat gold golf going goes ago "
    "cargo ego also fungo bingo left-handed rightly frighten unknown".split()) | {w for w in UNKNOWN_WORDS if " " not in w})

# Held out of training: these espeak variants, festival's `ked` voice, and 20 % of the content words.
BENCH_VARIANTS = {"+m7", "+f5", "+Gene", "+Lee", "+max", "+zac", "+klatt3"}
BENCH_PACKS = {"Pirate", "Surfer"}
HEDGEWARS_EXCLUDE = re.compile(r"^(Nooo|Yessir|Ooff\d*|Enemydown|Comeonthen)\.ogg$", re.IGNORECASE)
FESTIVAL_VOICES = {"kal": "voice_kal_diphone", "ked": "voice_ked_diphone", "slt": "voice_cmu_us_slt_arctic_hts"}
ENGLISH_PACKS = ["British", "Classic", "Default", "HillBilly", "Mobster", "Pirate", "Robot", "Singer", "Surfer"]


def held_out(name: str, percent: int = 20) -> bool:
    """A fixed, content-independent 80/20 rule: sha1 of the name."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 100 < percent


def has_keyword(text: str) -> bool:
    """Whether a transcript says a keyword or a word that sounds like one (any script)."""
    return any(w in KEYWORDS or w in KEYWORD_SOUNDALIKES for w in re.findall(r"\w+", text.lower()))


def content_words() -> tuple[list[str], list[str]]:
    words = [w.strip() for w in WORDS_FILE.read_text(encoding="latin-1").splitlines()]
    words = sorted({w for w in words if re.fullmatch(r"[a-z]{2,12}", w) and not has_keyword(w)})
    return [w for w in words if not held_out(w)], [w for w in words if held_out(w)]


def sentence(rng: random.Random, content: list[str]) -> str:
    n = rng.randint(3, 14)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            out.append(rng.choice(FUNCTION_WORDS))
        elif r < 0.9:
            out.append(rng.choice(content))
        else:
            out.append(rng.choice(NEAR_MISS_WORDS))
    return " ".join(out)


def tts_command(rng: random.Random, bench: bool, out: Path, text: str) -> list[str]:
    r = rng.random()
    if r < 0.12 or (bench and r < 0.3):
        voice = "ked" if bench else rng.choice(["kal", "kal", "slt"])
        stretch = rng.uniform(0.8, 1.3)
        return ["text2wave", "-eval", f"({FESTIVAL_VOICES[voice]})", "-eval",
                f"(Parameter.set 'Duration_Stretch {stretch:.2f})", "-o", str(out), "-"]
    if r < 0.35:
        voice, f0 = rng.choice(FLITE_VOICES), rng.randint(80, 220)
        return ["flite", "-voice", voice, "--setf", f"duration_stretch={rng.uniform(0.75, 1.35):.3f}",
                "--setf", f"int_f0_target_mean={f0}", "-t", text, "-o", str(out)]
    variants = sorted(BENCH_VARIANTS) if bench else [v for v in ESPEAK_VARIANTS if v not in BENCH_VARIANTS]
    voice = rng.choice(ESPEAK_VOICES) + rng.choice(variants)
    return ["espeak-ng", "-v", voice, "-s", str(rng.randint(120, 230)), "-p", str(rng.randint(20, 80)),
            "-w", str(out), text]


def render_tts(job: tuple[int, bool, str]) -> np.ndarray | None:
    seed, bench, text = job
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "u.wav"
        cmd = tts_command(rng, bench, out, text)
        try:
            subprocess.run(cmd, input=text if cmd[0] == "text2wave" else None, text=True, check=True,
                           capture_output=True, timeout=120)
            x, rate = read_any_wav(out)
        except (subprocess.SubprocessError, OSError, ValueError, EOFError) as err:
            print(f"negatives: {cmd[0]} failed on '{text[:40]}': {err}", file=sys.stderr)
            return None
    x = resample(x, rate)
    peak = np.abs(x).max() if len(x) else 0.0
    return (x / peak * rng.uniform(0.2, 0.9)).astype(np.float32) if peak > 0 else None


def decode(path: Path) -> np.ndarray:
    """Any file ffmpeg reads, as 16 kHz mono float32."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(SAMPLE_RATE),
                          "-f", "s16le", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def join(pieces: list[np.ndarray], rng: random.Random) -> np.ndarray:
    out = []
    for p in pieces:
        out += [p, np.zeros(int(rng.uniform(0.1, 0.8) * SAMPLE_RATE), dtype=np.float32)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def asterisk_prompts(language: str = "en", held_out_part: str = "bench") -> dict[str, list[Path]]:
    """One language's Asterisk prompts, split 80/20 by name into "train" and `held_out_part`."""
    text = {}
    for line in gzip.open(asterisk_text(language), "rt", encoding="utf-8", errors="replace"):
        if ":" in line and not line.startswith(";"):
            name, said = line.split(":", 1)
            text[name.strip()] = said.strip()
    parts: dict[str, list[Path]] = {"train": [], held_out_part: []}
    for path in sorted((ASTERISK_ROOT / language).rglob("*.g722")):
        name = str(path.relative_to(ASTERISK_ROOT / language).with_suffix(""))
        said = text.get(name)
        # Unlisted prompts, tones and prompts that say a keyword (digits say "one", letters "o", ...) are left out.
        if said is None or said.startswith("[") or has_keyword(said) or name.split("/")[0] in ("letters", "phonetic"):
            continue
        parts[held_out_part if held_out(name) else "train"].append(path)
    return parts


def asterisk_text(language: str) -> Path:
    return Path(f"/usr/share/doc/asterisk-core-sounds-{language}/core-sounds-{language}.txt.gz")


def hedgewars_lines() -> dict[str, list[Path]]:
    parts: dict[str, list[Path]] = {"train": [], "bench": []}
    for pack in ENGLISH_PACKS:
        for path in sorted((HEDGEWARS_DIR / pack).glob("*.ogg")):
            if not HEDGEWARS_EXCLUDE.match(path.name):
                parts["bench" if pack in BENCH_PACKS else "train"].append(path)
    return parts


def save(name: str, x: np.ndarray, index: dict) -> None:
    np.save(NEG_DIR / f"{name}.npy", np.clip(np.round(x * 32767), -32768, 32767).astype("<i2"))
    index[name] = round(len(x) / SAMPLE_RATE / 3600, 3)
    print(f"negatives: {name}: {index[name]:.3f} h", flush=True)


def load_part(name: str) -> np.ndarray:
    """A saved part (`save`) back as float32 in [-1, 1)."""
    return np.load(NEG_DIR / f"{name}.npy").astype(np.float32) / 32768.0


def build_tts(hours: float, bench: bool, seed: int, jobs: int, words: list[str]) -> np.ndarray:
    rng = random.Random(seed)
    target = hours * 3600 * SAMPLE_RATE
    pieces, total, batch = [], 0, 64
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        while total < target:
            work = []
            for _ in range(batch):
                # One utterance in eight is a single near-miss word alone.
                text = rng.choice(NEAR_MISS_WORDS) if rng.random() < 0.125 else sentence(rng, words)
                work.append((rng.getrandbits(32), bench, text))
            for x in pool.map(render_tts, work):
                if x is not None:
                    pieces.append(x)
                    total += len(x) + 0.45 * SAMPLE_RATE
            if sys.stderr.isatty():
                print(f"\rnegatives: tts {'held-out' if bench else 'train'} {total / SAMPLE_RATE / 60:.0f} of "
                      f"{hours * 60:.0f} min", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return join(pieces, rng)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tts-hours", type=float, default=5.0)
    ap.add_argument("--bench-tts-hours", type=float, default=0.8)
    ap.add_argument("--dev-tts-hours", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    for tool in ("espeak-ng", "flite", "text2wave", "ffmpeg"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            sys.exit(f"negatives: {tool} is missing (Training/install_audio_deps.sh installs it)")
    for path in (HEDGEWARS_DIR, MOH_DIR, WORDS_FILE, *(ASTERISK_ROOT / lang for lang in ("en", *FOREIGN_LANGUAGES)),
                 *(asterisk_text(lang) for lang in ("en", *FOREIGN_LANGUAGES))):
        if not path.exists():
            sys.exit(f"negatives: {path} is missing (Training/install_audio_deps.sh installs it)")
    NEG_DIR.mkdir(parents=True, exist_ok=True)
    index_path = NEG_DIR / "index.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    train_words, bench_words = content_words()
    rng = random.Random(args.seed)
    todo = {
        "train_tts": lambda: build_tts(args.tts_hours, False, args.seed, args.jobs, train_words),
        "bench_tts": lambda: build_tts(args.bench_tts_hours, True, args.seed + 1, args.jobs, bench_words),
        "dev_tts": lambda: build_tts(args.dev_tts_hours, True, args.seed + 2, args.jobs, bench_words),
    }
    for part, paths in asterisk_prompts().items():
        todo[f"{part}_asterisk"] = lambda paths=paths: join([decode(p) for p in paths], rng)
    foreign = [asterisk_prompts(lang, "dev") for lang in FOREIGN_LANGUAGES]
    for part in ("train", "dev"):
        todo[f"{part}_foreign"] = lambda part=part: join([decode(p) for f in foreign for p in f[part]], rng)
    for part, paths in hedgewars_lines().items():
        todo[f"{part}_hedgewars"] = lambda paths=paths: join([decode(p) for p in paths], rng)
    moh = sorted(MOH_DIR.glob("*.g722"))
    todo["train_music"] = lambda: np.concatenate([decode(p) for p in moh[:-1]])
    todo["bench_music"] = lambda: decode(moh[-1])
    for name, make in todo.items():
        if name in index and (NEG_DIR / f"{name}.npy").exists():
            continue
        save(name, make(), index)
        index_path.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    print(f"negatives: {json.dumps(index, sort_keys=True)}")
    return 0
