"""Trains a model for your own keywords from synthetic voices and, optionally, a few recordings.

`kws train WORD...` runs this (it checks the arguments, converts the recordings and calls it through the
Training virtualenv); README "Your own keywords" is the user's guide, Training/README.md the recipe.

Stages (progress on stderr, each with its time):
1. words: label, pronunciation (espeak-ng), near-misses from the dictionary, warnings (too short, close to a
   common word, homophones);
2. voices: every word rendered by the training voices (keyword_voices.py) plus pseudo-speaker twins; its
   near-misses and, for a phrase, its parts ("hey", "kiwi" for "hey kiwi") rendered as negatives; the held-out
   voices render the word for the operating points;
3. negatives: the TRAIN parts of the shared negative corpus (negatives.py, built once), the real Speech
   Commands clips of the train and validation speakers whose word is not one of yours, the cached synthetic
   non-keyword clips;
4. training: as alwayson.py (keywords anywhere in the window, half in other speech; partial and reversed
   keywords, corpus windows and near-misses as `_unknown_`; SGD with warm-up and cosine, SWA, BN recomputed),
   then rounds of hard-negative mining over the corpus;
5. int8: `kws quantize` calibrated on training windows;
6. operating points: `kws eval --stream --sweep` on the held-out voices planted in held-out speech and on the
   held-out negative stream (negatives.py's DEV part: voices and words never trained on, real foreign
   prompts), written into the model file like the shipped models' tables;
7. report: the table, the default operating point and a DET plot (SVG) beside the model.

Usage: python custom_keyword.py WORD... --out FILE [--recordings DIR] [--arch tc-resnet8] [--window-ms 1000]
(DIR/<label>/*.wav: 16 kHz mono 16-bit, as `kws train` writes them)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .augment import Augmentation, augment_batch, room_impulse_responses, spec_augment
from .bench_streams import over_noise, plant, segments, voiced
from .common import CACHE_DIR, DATA_DIR, KEYWORD_SOUNDALIKES, REPO_ROOT, SAMPLE_RATE, git_commit, label_of, read_split, read_wav, write_wav
from .export import export_model
from .features import MFCC
from .custom_voices import held_out_voices, jobs_for, load, pseudo_twins, render, training_voices
from .custom_words import keyword_label, lexicon, near_misses, partial_phrases, pronounce, spoken, warnings
from .loop import WeightAverage, lr_at, recalibrate_bn, seed_all
from .model import MODEL_SPECS, build
from .negatives import NEG_DIR, load_part
from .operating_points import DEFAULT_BUDGET, det_rows, kws_eval, rewrite_metadata
from .stream_data import NegativeCorpus, anywhere, in_context, partial, voiced_spans

SILENCE, UNKNOWN = 0, 1
MIN_RECORDINGS = 3


class Progress:
    """One stderr line per step: `[stage/7] what (elapsed)`; the stage's own lines in between."""

    def __init__(self):
        self.t0 = time.time()

    def stage(self, number: int, what: str) -> None:
        print(f"[{number}/7] {what} ({self.elapsed()})", file=sys.stderr, flush=True)

    def note(self, what: str) -> None:
        print(f"      {what}", file=sys.stderr, flush=True)

    def elapsed(self) -> str:
        s = int(time.time() - self.t0)
        return f"{s // 60}:{s % 60:02d} elapsed"


def fit(clips: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """One-second clips placed at a random offset in a `length`-sample window (unchanged when equal)."""
    if clips.shape[1] == length:
        return clips
    out = np.zeros((len(clips), length), np.float32)
    for i, offset in enumerate(rng.integers(0, length - clips.shape[1] + 1, len(clips))):
        out[i, offset: offset + clips.shape[1]] = clips[i]
    return out


class KeywordEpochs:
    """Examples for one epoch: [N, window] waveforms, labels and an is-silence mask (alwayson.StreamEpochs'
    recipe for labels `_silence_`, `_unknown_`, then the user's words)."""

    def __init__(self, positives: list[torch.Tensor], recorded: list[torch.Tensor], negatives: dict[str, torch.Tensor],
                 corpus: NegativeCorpus, window: int, per_class: int, unknown: int, gen: torch.Generator,
                 real_share: float = 0.25):
        self.positives, self.recorded, self.negatives = positives, recorded, negatives
        self.corpus, self.window, self.per_class, self.unknown, self.gen = corpus, window, per_class, unknown, gen
        self.real_share = real_share
        self.spans = [voiced_spans(p) for p in positives]
        self.recorded_spans = [voiced_spans(r) if len(r) else None for r in recorded]
        self.mined = torch.zeros(0, window)

    def pick(self, pool: torch.Tensor, count: int) -> torch.Tensor:
        return pool[torch.randint(0, len(pool), (count,), generator=self.gen)]

    def keyword(self, k: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Renderings, and with recordings 40 % recordings (and their twins), with voiced spans."""
        rows = torch.randint(0, len(self.positives[k]), (count,), generator=self.gen)
        clips, spans = self.positives[k][rows], self.spans[k][rows]
        if len(self.recorded[k]):
            use = torch.rand(count, generator=self.gen) < 0.4
            r = torch.randint(0, len(self.recorded[k]), (count,), generator=self.gen)
            clips = torch.where(use.unsqueeze(1), self.recorded[k][r], clips)
            spans = torch.where(use.unsqueeze(1), self.recorded_spans[k][r], spans)
        return clips, spans

    def any_keyword(self, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        which = torch.randint(0, len(self.positives), (count,), generator=self.gen)
        clips, spans = torch.empty(count, self.window), torch.empty(count, 2, dtype=torch.long)
        for k in range(len(self.positives)):
            rows = torch.nonzero(which == k).flatten()
            if len(rows):
                clips[rows], spans[rows] = self.keyword(k, len(rows))
        return clips, spans

    def unknown_examples(self) -> torch.Tensor:
        n = self.unknown
        n_mined = n // 4 if len(self.mined) else 0
        n_words, n_near, n_partial, n_reversed = int(self.real_share * n), (15 * n) // 100, n // 10, n // 10
        parts = [self.pick(self.negatives["words"], n_words)]
        parts.append(self.pick(self.negatives["near"], n_near) if len(self.negatives["near"])
                     else self.corpus.windows(n_near, self.gen, self.window))
        clips, spans = self.any_keyword(n_partial)
        parts.append(partial(clips, spans, self.gen))
        parts.append(self.any_keyword(n_reversed)[0].flip(1))
        if n_mined:
            parts.append(self.pick(self.mined, n_mined))
        parts.append(self.corpus.windows(n - sum(len(p) for p in parts), self.gen, self.window))
        return torch.cat(parts)

    def epoch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        waves, labels = [torch.zeros(self.per_class, self.window), self.unknown_examples()], []
        for k in range(len(self.positives)):
            clips, spans = anywhere(*self.keyword(k, self.per_class), self.gen)
            ctx = torch.nonzero(torch.rand(self.per_class, generator=self.gen) < 0.5).flatten()
            if len(ctx):
                clips[ctx] = in_context(clips[ctx], spans[ctx], self.corpus.windows(len(ctx), self.gen, self.window),
                                        self.gen)
            waves.append(clips)
        labels = torch.cat([torch.full((len(w),), i) for i, w in enumerate(waves)])
        x = torch.cat(waves).clamp(-1, 1)
        order = torch.randperm(len(labels), generator=self.gen)
        return x[order], labels[order], labels[order] == SILENCE


def ensure_corpus(progress: Progress) -> None:
    """Builds the shared negative corpus (negatives.py) the first time; every custom model reuses it."""
    if (NEG_DIR / "index.json").exists():
        return
    progress.note("building the shared negative corpus (negatives.py: 9 h of speech, once, ~10 minutes)")
    subprocess.run([sys.executable, str(REPO_ROOT / "Training" / "negatives.py")], check=True, stdout=sys.stderr)


def real_negatives(labels: list[str], length: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(spoken clips of train + validation speakers whose word is not one of `labels` nor sounds like one,
    their `_silence_` noise), placed in the window."""
    sounds_like = {keyword_label(w) for w in KEYWORD_SOUNDALIKES} | set(labels)
    entries = [e for s in ("train", "validation") for e in read_split(s)]
    words = [e for e in entries if label_of(e) not in sounds_like and label_of(e) != "_silence_"]
    noise = [e for e in entries if label_of(e) == "_silence_"]
    read = lambda es: np.stack([read_wav(DATA_DIR / e) for e in es])
    synth_index = CACHE_DIR / "synth" / "index.txt"
    # synth.py's clips, `<label>/<engine>_<words>_<n>.wav`, minus those saying one of the user's words ("stop it").
    said = {w for l in labels for w in l.split("_")}
    rels = [line.split("\t")[0] for line in synth_index.read_text().splitlines() if line] if synth_index.exists() else []
    synth = [CACHE_DIR / "synth" / r for r in rels
             if r.split("/")[0] not in labels and not said & set(r.split("/")[1].split("_")[1].split("-"))]
    clips = read(words)
    if synth:
        clips = np.concatenate([clips, np.stack([read_wav(p) for p in synth])])
    bank = read(noise)
    if length > bank.shape[1]:  # a longer window: two noise clips end to end
        bank = np.concatenate([bank, np.roll(bank, 1, axis=0)], axis=1)[:, :length]
    return fit(clips, length, rng), bank


def held_out_streams(work: Path, words: dict[str, list[Path]], noise: np.ndarray, seed: int) -> tuple[Path, Path, Path]:
    """(positive stream, its truth file, negative stream): held-out renderings planted in held-out speech, and
    the held-out speech itself (negatives.py DEV parts), both over training-speaker noise."""
    rng = np.random.default_rng(seed)
    neg_path = CACHE_DIR / "keyword" / "dev_negative.wav"
    dev = np.concatenate([load_part("dev_tts"), load_part("dev_foreign")])
    pieces = segments(dev, rng, 10, 40)
    noises = list(noise[:, :SAMPLE_RATE])
    if not neg_path.exists():
        order = rng.permutation(len(pieces))
        write_wav(neg_path, over_noise(np.concatenate([pieces[i] for i in order]), noises, rng))

    def trimmed(path: Path) -> np.ndarray:  # the rendering up to the end of its voiced part
        x = read_wav(path, 10 * SAMPLE_RATE)
        return x[: max(voiced(x)[1], 1)]

    keywords = [(label, trimmed(p)) for label, paths in words.items() for p in paths]
    audio, truth = plant(keywords, segments(dev[: 600 * SAMPLE_RATE], rng, 1.0, 4.0), rng)
    pos_path, truth_path = work / "dev_positive.wav", work / "dev_positive.txt"
    write_wav(pos_path, over_noise(audio, noises, rng))
    truth_path.write_text("# label\tstart_s\tend_s (held-out voices)\n" + "\n".join(truth) + "\n")
    return pos_path, truth_path, neg_path


def operating_table(kws: str, model: Path, labels: list[str], pos: Path, truth: Path, neg: Path) -> dict:
    """The model's operating points (Models/FORMAT.md), as operating_points.table() makes the shipped ones."""
    dev = kws_eval(kws, model, "--stream", str(neg), "--sweep")
    positive = kws_eval(kws, model, "--stream", str(pos), "--truth", str(truth), "--sweep")
    rows = {kw: det_rows(positive, dev, kw) for kw in labels}
    return {"version": 1, "hop_ms": 100, "smoothing_ms": 300, "refractory_ms": 500,
            "negative_hours": round(dev["hours"], 4) if "hours" in dev else None,
            "positive_events": sum(1 for line in truth.read_text().splitlines() if line and not line.startswith("#")),
            "source": "false alarms: negatives.py DEV parts (held-out TTS voices and words, real foreign prompts); "
                      "recall: the held-out voices saying each keyword, planted in that speech; kws eval --stream --sweep",
            "default_false_alarms_per_hour": DEFAULT_BUDGET, "keywords": rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("words", nargs="+")
    ap.add_argument("--out", type=Path, required=True, help="model file to write (int8, with operating points)")
    ap.add_argument("--recordings", type=Path, help="DIR/<label>/*.wav, 16 kHz mono 16-bit")
    ap.add_argument("--arch", default="tc-resnet8", choices=sorted(MODEL_SPECS))
    ap.add_argument("--window-ms", type=int, default=1000, choices=[1000, 1500])
    ap.add_argument("--work", type=Path, default=CACHE_DIR / "keyword")
    ap.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    ap.add_argument("--renderings", type=int, default=600, help="training renderings per word")
    ap.add_argument("--held-out", type=int, default=60, help="held-out renderings per word (operating points)")
    ap.add_argument("--near", type=int, default=24, help="near-miss words per word")
    ap.add_argument("--epochs", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--round-epochs", type=int, default=20)
    ap.add_argument("--mine", type=int, default=3000)
    ap.add_argument("--per-class", type=int, default=300)
    ap.add_argument("--unknown", type=int, default=1500)
    ap.add_argument("--twins", type=float, default=0.5, help="pseudo-speaker conversions per rendering (may exceed 1)")
    ap.add_argument("--reverb", type=float, default=0.0, help="share of examples convolved with a synthetic room")
    ap.add_argument("--real-share", type=float, default=0.25, help="share of _unknown_ examples that are real spoken words")
    ap.add_argument("--specaug", action="store_true", help="SpecAugment masks on the training features (train.py's)")
    ap.add_argument("--non-commercial", action="store_true", help="also train on voices whose licence forbids selling")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    progress = Progress()
    window = args.window_ms * SAMPLE_RATE // 1000
    labels = [keyword_label(w) for w in args.words]
    if len(set(labels)) != len(labels):
        raise SystemExit(f"keyword: a word is given twice: {' '.join(labels)}")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    gen = seed_all(args.seed, args.threads)
    rng = np.random.default_rng(args.seed)

    progress.stage(1, "words: pronunciations and near-misses")
    table = lexicon()
    found_warnings, near_texts, word_info = [], {}, {}
    for label, ipa in zip(labels, pronounce([spoken(l) for l in labels])):
        if not ipa:
            raise SystemExit(f"keyword: '{spoken(label)}' has no phonemes")
        homophones, near = near_misses(label, table, args.near)
        near_texts[label] = [t for t in near + partial_phrases(label) if keyword_label(t) not in labels]
        found_warnings += warnings(label, ipa, homophones, near)
        word_info[label] = {"ipa": ipa, "homophones": homophones, "near_misses": near_texts[label]}
        progress.note(f"{label}: /{ipa}/, near-misses {', '.join(near_texts[label][:8])}"
                      + (" ..." if len(near_texts[label]) > 8 else ""))
    for w in found_warnings:
        print(f"warning: {w}", file=sys.stderr)

    progress.stage(2, "voices: rendering the words, their near-misses and the held-out voices")
    pool = training_voices(args.non_commercial)
    render_dir = work / "render" / f"w{window}"
    jobs = {l: jobs_for(l, spoken(l), args.renderings, pool, args.seed) for l in labels}
    near_jobs = [j for l in labels for t in near_texts[l] for j in jobs_for("_near_", t, 6, pool, args.seed)]
    held_jobs = {l: jobs_for(l, spoken(l), args.held_out, held_out_voices(), args.seed + 1) for l in labels}
    every = [j for js in jobs.values() for j in js] + near_jobs + [j for js in held_jobs.values() for j in js]
    report_render = lambda done, total, s: progress.note(f"{done}/{total} renderings, ~{s / done * (total - done):.0f} s left")
    render(every, render_dir, window, args.threads, report_render)
    positives, recorded, recording_counts = [], [], {}
    for i, l in enumerate(labels):
        clips = load([render_dir / j.rel for j in jobs[l] if (render_dir / j.rel).exists()], window)
        if len(clips) < 20:
            raise SystemExit(f"keyword: only {len(clips)} renderings of '{spoken(l)}' succeeded; is it a word the voices can say?")
        twins = np.concatenate([pseudo_twins(clips, min(1.0, args.twins - k), args.seed + i + 1000 * k)
                                for k in range(int(np.ceil(args.twins)))] or [clips[:0]])
        positives.append(torch.from_numpy(np.concatenate([clips, twins])))
        rec_paths = sorted((args.recordings / l).glob("*.wav")) if args.recordings else []
        rec = load(rec_paths, window)
        recording_counts[l] = len(rec)
        recorded.append(torch.from_numpy(np.concatenate([rec] + [pseudo_twins(rec, 1.0, args.seed + 100 * k + i) for k in range(6)]))
                        if len(rec) else torch.zeros(0, window))
        durations = [voiced(c)[1] - voiced(c)[0] for c in clips]
        median = float(np.median(durations)) / SAMPLE_RATE
        progress.note(f"{l}: {len(clips)} renderings + {len(twins)} pseudo-speakers, {len(rec)} recordings; "
                      f"median voiced {median:.2f} s")
        if median > 0.8 * args.window_ms / 1000:
            print(f"warning: '{spoken(l)}' lasts {median:.2f} s, close to the {args.window_ms} ms window: "
                  + ("use --window-ms 1500" if args.window_ms == 1000 else "a shorter phrase is safer"), file=sys.stderr)
    near = load([render_dir / j.rel for j in near_jobs if (render_dir / j.rel).exists()], window)

    progress.stage(3, "negatives: shared corpus, real non-keyword speech")
    ensure_corpus(progress)
    corpus = NegativeCorpus("train")
    words, bank = real_negatives(labels, window, rng)
    negatives = {"words": torch.from_numpy(words), "near": torch.from_numpy(near)}
    noise_bank = torch.from_numpy(bank)
    augmentation = Augmentation(rir_prob=args.reverb, rir_bank=room_impulse_responses() if args.reverb > 0 else None)
    progress.note(f"{sum(corpus.hours.values()):.1f} h corpus, {len(words)} non-keyword clips, {len(near)} near-miss renderings")

    progress.stage(4, f"training {args.arch}: {args.epochs} epochs, then {args.rounds} mining rounds of {args.round_epochs}")
    frontend = MFCC(torch.float32)
    features = lambda w: frontend(w).transpose(1, 2).contiguous()
    model = build(args.arch, num_labels=2 + len(labels))
    builder = KeywordEpochs(positives, recorded, negatives, corpus, window, args.per_class, args.unknown, gen, args.real_share)
    batch = 100
    steps = (args.per_class * (1 + len(labels)) + args.unknown) // batch
    decay = [p for n, p in model.named_parameters() if ".bn" not in n and not n.startswith("stem.bn")]
    no_decay = [p for n, p in model.named_parameters() if ".bn" in n or n.startswith("stem.bn")]
    total_epochs, epochs_done, t_train = args.epochs + args.rounds * args.round_epochs, 0, time.time()

    def augmented(x, is_silence, b):
        sl = slice(b * batch, (b + 1) * batch)
        return augment_batch(x[sl], is_silence[sl], noise_bank, gen, augmentation)

    def run_round(round_no: int, epochs: int, peak: float) -> None:
        nonlocal epochs_done
        opt = torch.optim.SGD([{"params": decay, "weight_decay": 1e-3}, {"params": no_decay, "weight_decay": 0.0}],
                              lr=peak, momentum=0.9, nesterov=True)
        total, swa = steps * epochs, WeightAverage()
        warmup, swa_epochs = max(1, total // 20), max(1, round(0.15 * epochs))
        for epoch in range(epochs):
            model.train()
            x, y, is_silence = builder.epoch()
            running = 0.0
            for b in range(steps):
                for group in opt.param_groups:
                    group["lr"] = lr_at(epoch * steps + b, total, peak, warmup)
                feats = features(augmented(x, is_silence, b))
                if args.specaug:
                    feats = spec_augment(feats, gen)
                loss = F.cross_entropy(model(feats), y[b * batch:(b + 1) * batch])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                running += loss.item()
            if epoch >= epochs - swa_epochs:
                swa.add(model)
            epochs_done += 1
            left = (time.time() - t_train) / epochs_done * (total_epochs - epochs_done)
            progress.note(f"round {round_no} epoch {epoch + 1}/{epochs} loss {running / steps:.3f}, ~{left / 60:.1f} min of training left")
        swa.load_into(model)
        x, y, is_silence = builder.epoch()
        recalibrate_bn(model, (features(augmented(x, is_silence, b)) for b in range(steps)))

    def mine() -> float:
        model.eval()
        scores, windows = [], []
        with torch.no_grad():
            for source, starts, w in corpus.scan(length=window):
                p = model(features(w)).softmax(dim=1)[:, 2:].amax(dim=1)
                scores.append(p)
                windows.append((source, starts))
        flat = torch.cat(scores)
        top = torch.argsort(flat, descending=True)[: args.mine]
        top = top[flat[top] >= 0.2]
        index = [(s, int(st)) for s, starts in windows for st in starts]
        picked = [corpus.sources[index[i][0]][index[i][1]: index[i][1] + window] for i in top.tolist()]
        if picked:
            builder.mined = torch.cat([builder.mined, torch.stack(picked)])
        rate = float((flat >= 0.5).sum()) / sum(corpus.hours.values())
        progress.note(f"mining: {len(picked)} windows added (pool {len(builder.mined)}); windows at 0.5: {rate:.1f} per hour")
        return rate

    run_round(0, args.epochs, 0.1)
    mining = []
    for r in range(1, args.rounds + 1):
        mining.append(mine())
        run_round(r, args.round_epochs, 0.02)

    progress.stage(5, "int8: exporting and quantizing")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    float_path = out.with_name(out.stem + "-float.safetensors")
    training = {
        "recipe": "Training/custom_keyword.py (kws train)", "words": word_info, "window_ms": args.window_ms,
        "voices": {e: sorted({v.voice for v in vs}) for e, vs in pool.items()},
        "voice_licences": sorted({v.licence for vs in pool.values() for v in vs}),
        "recordings": recording_counts,
        "negatives": "Training/negatives.py TRAIN parts; Speech Commands v0.02 (CC BY 4.0) train + validation "
                     "speakers' other words", "epochs": args.epochs, "rounds": args.rounds,
        "round_epochs": args.round_epochs, "renderings": args.renderings, "seed": args.seed,
        "pseudo_speaker_twins": args.twins, "reverb_share": args.reverb, "specaug": args.specaug,
        "real_word_share": args.real_share,
        "git_commit": git_commit(), "warnings": found_warnings,
    }
    all_labels = ["_silence_", "_unknown_"] + labels
    export_model(float_path, model, out.stem, training, None, labels=all_labels, clip_samples=window)
    calib = work / "calibration"
    for i, l in enumerate(all_labels):
        folder = calib / l
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.wav"):
            old.unlink()
    x, y, _ = builder.epoch()
    for n in range(min(len(y), 1000)):
        write_wav(calib / all_labels[int(y[n])] / f"{n:04d}.wav", x[n].numpy())
    run = subprocess.run([args.kws, "quantize", str(float_path), "--calibration", str(calib), "--output", str(out),
                          "--calibration-batches", "10"], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"keyword: kws quantize failed: {run.stderr.strip()}")

    progress.stage(6, "operating points: held-out voices and held-out speech")
    held = {l: [render_dir / j.rel for j in held_jobs[l] if (render_dir / j.rel).exists()] for l in labels}
    pos, truth, neg = held_out_streams(work, held, bank, args.seed)
    points = operating_table(args.kws, out, labels, pos, truth, neg)
    rewrite_metadata(out, "operating_points", json.dumps(points, separators=(",", ":")))

    progress.stage(7, "report")
    svg = out.with_name(out.stem + "-det.svg")
    result = kws_eval(args.kws, out, "--stream", str(pos), "--truth", str(truth), "--negative", str(neg), "--plot", str(svg))
    lines = [f"{out}: {', '.join(labels)} ({args.arch}, {args.window_ms} ms window, int8)",
             f"held-out check ({points['positive_events']} keywords by voices never trained on, "
             f"{points['negative_hours']:.2f} h of held-out speech):",
             f"  default operating point ({DEFAULT_BUDGET} false alarms per hour budget): recall {100 * result['recall']:.1f} %, "
             f"{result['false_alarms_per_hour']:.2f} false alarms per hour",
             "  per keyword, threshold -> recall, false alarms per hour:"]
    for l in labels:
        for threshold, recall, fa in points["keywords"][l][:: max(1, len(points["keywords"][l]) // 8)]:
            lines.append(f"    {l:16s} {threshold:.3f} -> {100 * recall:5.1f} %, {fa:6.2f}/h")
    lines += [f"  DET plot: {svg}", f"  float model: {float_path}"] + [f"warning: {w}" for w in found_warnings]
    lines.append("Synthetic voices are not people: the recall on real speakers is usually lower; "
                 "add --recordings of real people saying the words to close the gap.")
    report = out.with_name(out.stem + "-report.txt")
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines), file=sys.stderr)
    progress.note(f"done ({progress.elapsed()})")
    return 0
