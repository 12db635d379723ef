"""Trains one TC-ResNet variant, tests it once and exports it.

Default: train on the train split, pick the best-validation epoch.
--final: train on train + validation for a fixed number of epochs, average the weights of the last
--swa-epochs epochs (SWA) and recompute BN statistics; no selection of any kind.
--cv-fold K: the --final procedure on the other CV folds of train + validation (folds.py), scored on fold
K; writes cv/<tag>/fold-K.json (every held-out prediction) and nothing else: no test, no export. cv.py
runs all folds of a recipe and summarises them.

Usage: python train.py --model tc-resnet8 [--epochs 150] [--seed 7] [--threads 2] [--final [--swa-epochs N]]
                       [--cv-fold K --tag NAME] [--specaug] [--mixup A] [--snr LO HI] [--rir P] [--pseudo P]
Writes Models/<model>.safetensors, Models/training/<model>.json and Training/runs/<model>[-final].pt.
See README.md for the recipe and how it differs from SPEC.md §1.6.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import sys
import time

# glibc returns every large (>128 KiB) tensor buffer to the kernel and faults it back in on the next
# step, which cost more system time than the training itself here; keeping freed memory in the heap
# makes a step ~3-6x faster on 2 cores. The variables only act at process start, hence the re-exec.
_MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "4000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000",
               "MALLOC_TOP_PAD_": "536870912"}
if __name__ == "__main__" and any(os.environ.get(k) != v for k, v in _MALLOC_ENV.items()):
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **_MALLOC_ENV})

import numpy as np
import torch
import torch.nn.functional as F

from augment import SNR_DB, Augmentation, augment_speech, make_silence, room_impulse_responses, spec_augment
from common import (CACHE_DIR, DATA_DIR, LABELS, MODELS_DIR, RUNS_DIR, SPLITS_DIR, git_commit,
                    label_of, read_split, read_wav)
from export import export_model
from features import MFCC
from cv import CV_DIR
from folds import DEFAULT_FOLDS, fold_lists, speaker_of
from model import MODEL_SPECS, build
from pseudo import load_pseudo
from voices import load_voices

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
    from teacher import SOFT_PATH
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


def seed_all(seed: int, threads: int) -> torch.Generator:
    """Seeds torch, random and numpy and sets torch's thread count (both fix the weights); returns the
    generator that draws the data."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    return torch.Generator().manual_seed(seed)


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


def evaluate(model, feats: torch.Tensor, labels: torch.Tensor) -> tuple[float, float, torch.Tensor]:
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(feats[i: i + 256]) for i in range(0, len(feats), 256)])
    loss = F.cross_entropy(logits, labels).item()
    probs = logits.softmax(dim=1)
    acc = (probs.argmax(dim=1) == labels).float().mean().item()
    return acc, loss, probs


def lr_at(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return peak * 0.5 * (1.0 + math.cos(math.pi * t))


class WeightAverage:
    """Equal-weight running mean of the parameters (not the BN buffers, which are recomputed afterwards)."""

    def __init__(self):
        self.mean, self.count = None, 0

    def add(self, model: torch.nn.Module) -> None:
        params = {n: p.detach() for n, p in model.named_parameters()}
        self.count += 1
        if self.mean is None:
            self.mean = {n: p.clone() for n, p in params.items()}
        else:
            for n, p in params.items():
                self.mean[n] += (p - self.mean[n]) / self.count

    def load_into(self, model: torch.nn.Module) -> None:
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(self.mean[n])


def recalibrate_bn(model: torch.nn.Module, batches) -> int:
    """Replaces BN running statistics with their plain average over `batches` (train-mode forward, no
    gradient): the averaged weights never produced the running statistics the last step left behind."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
    model.train()
    n = 0
    with torch.no_grad():
        for feats in batches:
            model(feats)
            n += 1
    for m, momentum in zip(bns, saved):
        m.momentum = momentum
    return n


def confusion(labels: torch.Tensor, preds: torch.Tensor) -> list[list[int]]:
    m = torch.zeros(len(LABELS), len(LABELS), dtype=torch.long)
    for t, p in zip(labels.tolist(), preds.tolist()):
        m[t, p] += 1
    return m.tolist()


def test_report(name: str, paths: list[str], labels: torch.Tensor, probs: torch.Tensor, loss: float,
                training: dict, **extra) -> dict:
    """Models/training/<name>.json for one evaluation of the test split: accuracy, per-class recall, the
    confusion matrix and every prediction; `extra` (history, ...) goes before the training record."""
    pred = probs.argmax(dim=1)
    recall = {LABELS[l]: round((pred[labels == l] == l).float().mean().item(), 4) if bool((labels == l).any()) else None
              for l in range(len(LABELS))}
    return {"name": name, "labels": LABELS, "test_accuracy": round((pred == labels).float().mean().item(), 4),
            "test_loss": round(loss, 4), "test_recall": recall,
            "test_confusion": {"rows": "true label", "cols": "predicted label", "matrix": confusion(labels, pred)},
            "test_predictions": [[p, LABELS[int(k)], round(float(probs[i, k]), 4)] for i, (p, k) in enumerate(zip(paths, pred))],
            **extra, "training": training}


def save_run(name: str, report: dict, state: dict, run_name: str | None = None) -> None:
    """Writes the report and the weights (Training/runs/<run_name>.pt), then says so."""
    (MODELS_DIR / "training").mkdir(parents=True, exist_ok=True)
    (MODELS_DIR / "training" / f"{name}.json").write_text(json.dumps(report, separators=(",", ":")) + "\n")
    RUNS_DIR.mkdir(parents=True, exist_ok=True)
    torch.save(state, RUNS_DIR / f"{run_name or name}.pt")
    print(f"wrote Models/{name}.safetensors (test {report['test_accuracy']:.4f})", flush=True)


def carried_selection_run(report_path) -> dict | None:
    """The validation-selected run's record from an existing report (its own, or one already carried)."""
    if not report_path.exists():
        return None
    old = json.loads(report_path.read_text())
    if "validation_selected_run" in old:
        return old["validation_selected_run"]
    if "validation_posteriors" not in old:
        return None
    return {"note": "validation-selected run of the same recipe on the train split only (not the shipped "
                    "weights); its validation posteriors are kept for threshold/ROC work",
            "validation_accuracy": old.get("validation_accuracy"), "test_accuracy": old.get("test_accuracy"),
            "best_epoch": old["training"].get("best_epoch"), "epochs": old["training"].get("epochs"),
            "training": old["training"], "validation_posteriors": old["validation_posteriors"]}


def recipe_flags(args) -> dict:
    """The optional recipe parts (train.py flags) as recorded in metadata and CV reports."""
    return {"specaug": args.specaug, "mixup_alpha": args.mixup, "snr_db": list(args.snr),
            "rir_prob": args.rir, "pseudo_speaker_prob": args.pseudo, "synthetic": not args.no_synth,
            "voices": args.voices,
            "distill": args.distill and {"weight": args.distill, "temperature": args.kd_temperature,
                                         "teacher": "openWakeWord speech-embedding head (teacher.py)"},
            "label_smoothing": args.label_smoothing, "epochs": args.epochs, "model": args.model}


def derived_sources(args) -> list[str]:
    """What else shaped the weights, with its licence (Training/README.md "Sources and licences")."""
    out = []
    if args.pseudo > 0:
        out.append("pseudo-speaker conversions of the training clips (Training/pseudo.py; Praat 'Change gender' "
                   "via praat-parselmouth, GPL-3.0 tool; the converted audio derives from the CC BY 4.0 clips)")
    if args.distill > 0:
        out.append("soft labels of a head on openWakeWord's speech embeddings (Training/teacher.py; "
                   "pyopen-wakeword 1.1.0 with Google's speech-embedding graphs, Apache-2.0)")
    if args.rir > 0:
        out.append("synthetic room impulse responses (pyroomacoustics 0.10.1, MIT)")
    if args.voices:
        out.append("TTS renderings (Training/voices.py, commercially usable voices only): festival kal_diphone and "
                   "cmu_us_slt_arctic_hts (free, BSD-style / CMU), SVOX Pico en-US/en-GB (Apache-2.0, Debian "
                   "non-free), RHVoice alan/bdl/clb/slt (LGPL-2.1+, Debian non-free)")
    return out


def write_fold(args, flags: dict, model, feats: torch.Tensor, labels: torch.Tensor, paths: list[str],
               wall: float) -> None:
    """cv/<tag>/fold-<k>.json: the held-out fold's accuracy and every prediction with its speaker."""
    acc, loss, probs = evaluate(model, feats, labels)
    pred = probs.argmax(dim=1)
    out = CV_DIR / (args.tag or args.model)
    out.mkdir(parents=True, exist_ok=True)
    report = {"tag": args.tag or args.model, "fold": args.cv_fold, "folds": args.folds, "accuracy": round(acc, 4),
              "loss": round(loss, 4), "recipe": flags, "seed": args.seed, "wall_time_s": round(wall),
              "git_commit": git_commit(),
              "predictions": [[p, speaker_of(p), LABELS[int(t)], LABELS[int(k)], round(float(probs[i, k]), 4)]
                              for i, (p, t, k) in enumerate(zip(paths, labels, pred))]}
    (out / f"fold-{args.cv_fold}.json").write_text(json.dumps(report, separators=(",", ":")) + "\n")
    # The fold's weights (git-ignored) let lowbit_cv.py measure quantization under the same folds.
    export_model(out / f"fold-{args.cv_fold}.safetensors", model, args.model,
                 {"recipe": flags, "cv_fold": args.cv_fold, "folds": args.folds, "seed": args.seed,
                  "note": "cross-validation fold model (cv.py), not shipped"}, acc)
    print(f"cv {report['tag']} fold {args.cv_fold}: accuracy {acc:.4f} ({len(paths)} clips) wall {wall:.0f}s", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=sorted(MODEL_SPECS))
    ap.add_argument("--epochs", type=int, default=150)
    ap.add_argument("--per-class", type=int, default=300, help="examples per label per epoch")
    ap.add_argument("--real-fraction", type=float, default=0.65)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-synth", action="store_true", help="train on real clips only")
    ap.add_argument("--explore", action="store_true",
                    help="recipe exploration: report validation only; no test evaluation, no export")
    ap.add_argument("--final", action="store_true",
                    help="train on train + validation, fixed epochs, SWA of the last epochs, no selection")
    ap.add_argument("--swa-epochs", type=int, default=None,
                    help="with --final or --cv-fold: average the weights at the end of the last N epochs "
                         "(default: round(0.15 * epochs))")
    ap.add_argument("--cv-fold", type=int, default=None,
                    help="train as --final on the other folds of train + validation, score this fold, write "
                         "cv/<tag>/fold-K.json; no test, no export")
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--tag", default=None, help="recipe name for --cv-fold output (default: the model name)")
    ap.add_argument("--specaug", action="store_true", help="SpecAugment: 2 time masks <= 10 frames, 2 "
                                                          "coefficient masks <= 4")
    ap.add_argument("--mixup", type=float, default=0.0, help="mixup of waveforms with weight ~ Beta(A, A)")
    ap.add_argument("--snr", type=float, nargs=2, default=list(SNR_DB), metavar=("LO", "HI"),
                    help="SNR range in dB of the SNR-scaled half of the background noise")
    ap.add_argument("--rir", type=float, default=0.0, help="probability of a synthetic room response")
    ap.add_argument("--voices", action="store_true",
                    help="add voices.py's commercially usable voices to the synthetic pool")
    ap.add_argument("--distill", type=float, default=0.0,
                    help="weight of the teacher's soft labels (teacher.py) in the loss; needs --final or --cv-fold")
    ap.add_argument("--kd-temperature", type=float, default=2.0)
    ap.add_argument("--pseudo", type=float, default=0.0,
                    help="probability that a real clip is replaced by a pseudo-speaker conversion (pseudo.py)")
    args = ap.parse_args()
    cv = args.cv_fold is not None
    fixed = args.final or cv  # fixed epochs + SWA, no selection
    if fixed and args.explore:
        ap.error("--final and --cv-fold have no validation set to explore with")
    if args.final and cv:
        ap.error("--final trains on every fold; --cv-fold holds one out")
    if args.distill > 0 and args.voices:
        ap.error("--distill has no teacher soft labels for voices.py's clips yet")
    if args.distill > 0 and not fixed:
        ap.error("--distill: the teacher's soft labels exist for --final and --cv-fold runs")
    if cv and not 0 <= args.cv_fold < args.folds:
        ap.error(f"--cv-fold must lie in 0...{args.folds - 1}")
    swa_epochs = (args.swa_epochs if args.swa_epochs is not None else round(0.15 * args.epochs)) if fixed else 0
    if fixed and not 1 <= swa_epochs <= args.epochs:
        ap.error(f"--swa-epochs {swa_epochs} must lie in 1...{args.epochs}")
    aug = Augmentation(snr_db=tuple(args.snr), rir_prob=args.rir,
                       rir_bank=room_impulse_responses() if args.rir > 0 else None)

    t_start = time.time()
    gen = seed_all(args.seed, args.threads)

    splits = {s: read_split(s) for s in ("train", "validation", "test")}
    train_splits = ["train", "validation"] if fixed else ["train"]
    train_paths = [p for s in train_splits for p in splits[s]]
    if cv:
        train_paths, held_out = fold_lists(args.cv_fold, args.folds)
        splits["held_out"] = held_out
    real = clips_by_label(train_paths, DATA_DIR)
    pseudo = pseudo_by_label(train_paths) if args.pseudo > 0 else None
    noise_bank = real[SILENCE]
    synth_paths = [] if args.no_synth else load_synthetic()
    voice_paths = load_voices() if args.voices else []
    if args.voices and not voice_paths:
        raise SystemExit("--voices needs the voices cache: run `python voices.py` first")
    synth = synthetic_by_label(synth_paths, voice_paths)
    counts = {"train_voices": len(voice_paths), "train_real": len(train_paths), "train_splits": train_splits, "train_synthetic": len(synth_paths),
              "validation": len(splits["validation"]), "test": len(splits["test"]),
              "train_synthetic_per_label": {LABELS[l]: len(t) for l, t in synth.items()}}
    print(f"data: {counts}", flush=True)

    frontend = MFCC(torch.float32)

    def features(waves: torch.Tensor) -> torch.Tensor:
        return frontend(waves).transpose(1, 2).contiguous()  # [N, 40, 98]

    def eval_set(name: str):
        waves = load_clips(splits[name], DATA_DIR)
        labels = torch.tensor([LABELS.index(label_of(p)) for p in splits[name]])
        return features(waves), labels

    val_x, val_y = (None, None) if fixed else eval_set("validation")

    model = build(args.model)
    decay = [p for n, p in model.named_parameters() if ".bn" not in n and not n.startswith("stem.bn")]
    no_decay = [p for n, p in model.named_parameters() if ".bn" in n or n.startswith("stem.bn")]
    assert len(decay) + len(no_decay) == len(list(model.parameters()))
    opt = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay},
                           {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, momentum=0.9, nesterov=True)
    soft = (teacher_by_label("final" if args.final else f"fold-{args.cv_fold}", train_paths, synth_paths)
            if args.distill > 0 else None)
    builder = EpochBuilder(real, synth, noise_bank, args.per_class, args.real_fraction, gen, pseudo, args.pseudo,
                           soft)

    def training_waves(xb: torch.Tensor, sb: torch.Tensor) -> torch.Tensor:
        waves = augment_speech(xb, noise_bank, gen, aug)
        if bool(sb.any()):
            waves[sb] = make_silence(int(sb.sum()), noise_bank, gen)
        return waves

    steps_per_epoch = (args.per_class * len(LABELS)) // args.batch
    total_steps = steps_per_epoch * args.epochs
    warmup = max(1, int(0.05 * total_steps))
    best = (-1.0, 0.0, -1, None)  # (val acc, -val loss, epoch, state)
    swa = WeightAverage()
    history = []
    step = 0
    for epoch in range(args.epochs):
        model.train()
        x, y, is_silence, teacher = builder.epoch_with_teacher()
        t0, running = time.time(), 0.0
        for b in range(steps_per_epoch):
            sl = slice(b * args.batch, (b + 1) * args.batch)
            yb = y[sl]
            waves = training_waves(x[sl], is_silence[sl])
            lam, partner = 1.0, None
            if args.mixup > 0:
                lam = float(np.random.beta(args.mixup, args.mixup))
                partner = torch.randperm(len(yb), generator=gen)
                waves = lam * waves + (1.0 - lam) * waves[partner]
            feats = features(waves)
            if args.specaug:
                feats = spec_augment(feats, gen)
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total_steps, args.lr, warmup)
            logits = model(feats)
            loss = lam * F.cross_entropy(logits, yb, label_smoothing=args.label_smoothing)
            if partner is not None:
                loss = loss + (1.0 - lam) * F.cross_entropy(logits, yb[partner], label_smoothing=args.label_smoothing)
            if soft is not None:
                target = (teacher[sl] / args.kd_temperature).softmax(dim=1)
                if partner is not None:
                    target = lam * target + (1.0 - lam) * target[partner]
                kd = F.kl_div((logits / args.kd_temperature).log_softmax(dim=1), target, reduction="batchmean")
                loss = (1.0 - args.distill) * loss + args.distill * args.kd_temperature ** 2 * kd
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            running += loss.item()
            step += 1
        if fixed:
            if epoch >= args.epochs - swa_epochs:
                swa.add(model)
            history.append({"epoch": epoch + 1, "train_loss": round(running / steps_per_epoch, 4)})
            print(f"epoch {epoch + 1:3d}/{args.epochs} loss {running / steps_per_epoch:.4f} "
                  f"swa {swa.count} lr {opt.param_groups[0]['lr']:.5f} {time.time() - t0:.1f}s", flush=True)
            continue
        val_acc, val_loss, _ = evaluate(model, val_x, val_y)
        history.append({"epoch": epoch + 1, "train_loss": round(running / steps_per_epoch, 4),
                        "val_acc": round(val_acc, 4), "val_loss": round(val_loss, 4)})
        if (val_acc, -val_loss) > best[:2]:
            best = (val_acc, -val_loss, epoch + 1, copy.deepcopy(model.state_dict()))
        print(f"epoch {epoch + 1:3d}/{args.epochs} loss {running / steps_per_epoch:.4f} val_acc {val_acc:.4f} "
              f"val_loss {val_loss:.4f} best {best[0]:.4f}@{best[2]} lr {opt.param_groups[0]['lr']:.4f} "
              f"{time.time() - t0:.1f}s", flush=True)

    if fixed:
        swa.load_into(model)
        x, y, is_silence = builder.epoch()

        def augmented_batches():
            for b in range(steps_per_epoch):
                sl = slice(b * args.batch, (b + 1) * args.batch)
                yield features(training_waves(x[sl], is_silence[sl]))

        bn_batches = recalibrate_bn(model, augmented_batches())
        print(f"SWA of {swa.count} epochs ({args.epochs - swa_epochs + 1}-{args.epochs}); BN statistics "
              f"recomputed over {bn_batches} augmented batches", flush=True)
        final_state = copy.deepcopy(model.state_dict())
    else:
        model.load_state_dict(best[3])
        final_state = best[3]
        val_acc, val_loss, val_probs = evaluate(model, val_x, val_y)
    if args.explore:
        print(f"explore: best epoch {best[2]} val_acc {val_acc:.4f} wall {time.time() - t_start:.0f}s")
        return 0
    if cv:
        write_fold(args, recipe_flags(args), model, *eval_set("held_out"), splits["held_out"], time.time() - t_start)
        return 0
    test_x, test_y = eval_set("test")
    test_acc, test_loss, test_probs = evaluate(model, test_x, test_y)
    wall = time.time() - t_start
    if args.final:
        print(f"final (SWA {swa.count} epochs): TEST acc {test_acc:.4f}  wall {wall:.0f}s", flush=True)
    else:
        print(f"best epoch {best[2]}: val_acc {val_acc:.4f}  TEST acc {test_acc:.4f}  wall {wall:.0f}s", flush=True)

    split_sums = (SPLITS_DIR / "SHA256SUMS").read_text().split()
    training = {
        "data": "Speech Commands v0.02 (Warden 2018, arXiv:1804.03209), CC BY 4.0; subset of its test package "
                "in shared/data/speech_commands, speaker-disjoint split by Training/split.py",
        "split_sha256": {split_sums[i + 1]: split_sums[i] for i in range(0, len(split_sums), 2)},
        "counts": counts,
        "synthetic": "espeak-ng + flite renderings (Training/synth.py), training split only",
        "derived_sources": derived_sources(args),
        "recipe": {"optimizer": "SGD momentum 0.9 nesterov", "lr_peak": args.lr,
                   "schedule": "5% linear warm-up then cosine to 0, per step", "batch": args.batch,
                   "weight_decay_non_bn": args.weight_decay, "label_smoothing": args.label_smoothing,
                   "per_class_per_epoch": args.per_class, "real_fraction": args.real_fraction,
                   "bn_momentum_pytorch": 0.01,
                   "augmentation": "speed 0.9-1.1 (p .6), gain -12..+6 dB, shift +-100 ms, train _silence_ "
                                   "noise p .8 (vol U[0,.1) or SNR U[5,25] dB), silence = train noise at "
                                   "random gain or digital near-silence",
                   **recipe_flags(args),
                   "selection": "best validation accuracy (tie: lower validation loss)"},
        "epochs": args.epochs, "steps": total_steps, "seed": args.seed,
        "threads": args.threads, "git_commit": git_commit(), "wall_time_s": round(wall),
    }
    if args.final:
        training["recipe"]["selection"] = f"none: fixed epochs on train+validation, SWA last {swa_epochs} epochs"
        training["train_splits"] = train_splits
        training["swa"] = {"epochs_averaged": swa.count, "first_epoch": args.epochs - swa_epochs + 1,
                           "last_epoch": args.epochs, "averaged": "parameters at the end of each epoch, equal weights",
                           "bn_recalibration": f"running statistics reset, then the cumulative average over "
                                               f"{bn_batches} augmented training batches of {args.batch} "
                                               f"(one epoch of the class-balanced mix, train mode, no gradient)"}
    else:
        training["best_epoch"] = best[2]
        training["validation_accuracy"] = round(val_acc, 4)
    name = args.model
    MODELS_DIR.mkdir(exist_ok=True)
    export_model(MODELS_DIR / f"{name}.safetensors", model, name, training, test_acc)
    report = test_report(name, splits["test"], test_y, test_probs, test_loss, training, history=history)
    report_path = MODELS_DIR / "training" / f"{name}.json"
    if args.final:
        # The final model trained on validation, so it has no validation posteriors of its own; the ones
        # threshold/ROC work used come from the earlier validation-selected run and are carried over.
        previous = carried_selection_run(report_path)
        if previous is not None:
            report["validation_selected_run"] = previous
    else:
        report["validation_accuracy"] = round(val_acc, 4)
        report["validation_posteriors"] = {"files": splits["validation"], "labels": val_y.tolist(),
                                           "probs": [[round(float(v), 4) for v in row] for row in val_probs]}
    save_run(name, report, final_state, f"{name}{'-final' if args.final else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
