"""Trains a model for always-on listening: streaming-like examples, then rounds of hard-negative mining.

Recipe (README.md "Always-on training"), decided before any benchmark number was seen:
- data: train + validation speakers (as train.py --final), the synthetic clips, the TRAIN parts of the
  negative corpus (negatives.py). Test speakers and the BENCH parts of the corpus are never used.
- epoch: 300 examples of every keyword, 300 `_silence_`, and `--unknown` `_unknown_` examples made of
  real/synthetic non-keyword clips (20 %), negative-corpus windows (50 %, or 25 % once mined windows
  exist), partial keywords (15 %: 40-70 % of the word outside the window) and reversed keywords (15 %),
  then 25 % mined windows from round 1 on. Keywords: moved to a uniformly random place where the whole
  word stays inside the window (a stream meets it at every offset), then 50 % placed in context (other
  speech around them).
- no label smoothing: with 0.1 over 12 classes the target of the true class is 0.908, so keyword and
  false-alarm scores both pile up just under 0.91 and the thresholds a low false-alarm rate needs (0.9 and
  up) separate nothing; the detector needs the top of the score range.
  Everything then goes through train.py's augmentation (speed, gain, shift, noise).
- round 0: `--epochs` from scratch, SGD Nesterov lr 0.1, warm-up + cosine, SWA of the last 15 %, BN
  statistics recomputed (train.py --final); rounds 1..R: score every window (hop 100 ms) of the TRAIN
  negative corpus with the current model, add the `--mine` highest-scoring windows whose top keyword
  posterior is >= 0.2 to the mined pool (the pool only grows), fine-tune `--round-epochs` at lr 0.02 with
  the same schedule/SWA/BN steps. Each round reports its false-alarm windows per hour of training negatives.
- test split evaluated once at the end (clip accuracy); the streaming benchmark is bench_streams.py + kws.

Usage: python alwayson.py --model tc-resnet8 [--epochs 120] [--rounds 3] [--round-epochs 30] [--threads 1]
Writes Models/<name>.safetensors (name: --out, default <model>-ao), Models/training/<name>.json, runs/<name>.pt.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import time

import torch
import torch.nn.functional as F

from .augment import augment_batch
from .common import (DATA_DIR, KEYWORDS, LABELS, MODELS_DIR, SPLITS_DIR, git_commit,
                    label_of, read_split)
from .export import export_model
from .features import MFCC
from .model import MODEL_SPECS, build
from .stream_data import NegativeCorpus, anywhere, in_context, partial, voiced_spans
from .data import SILENCE, UNKNOWN, clips_by_label, load_clips, load_synthetic, synthetic_by_label, teacher_by_label
from .loop import WeightAverage, evaluate, lr_at, recalibrate_bn, seed_all
from .reports import save_run, test_report

KEYWORD_IDS = [LABELS.index(k) for k in KEYWORDS]


class StreamEpochs:
    """One epoch of examples per call: clean waveforms [N, 16000], labels [N], is-silence mask [N] and the
    teacher's logits [N, 12] (NaN rows where the example has none). With `soft` (train.teacher_by_label),
    a keyword or `_unknown_` word carries its source clip's teacher logits wherever the window puts it;
    silence, corpus windows, partial and reversed keywords and mined windows have none."""

    def __init__(self, real: dict, synth: dict, corpus: NegativeCorpus, per_class: int, unknown: int,
                 real_fraction: float, gen: torch.Generator, soft: dict | None = None,
                 context_share: float = 0.5, context_db: tuple[float, float] = (-15.0, 0.0)):
        self.real, self.synth, self.corpus = real, synth, corpus
        self.context_share, self.context_db = context_share, context_db
        self.per_class, self.unknown, self.real_fraction, self.gen = per_class, unknown, real_fraction, gen
        self.soft = soft
        self.spans = {l: voiced_spans(real[l]) for l in KEYWORD_IDS}
        self.synth_spans = {l: voiced_spans(synth[l]) for l in KEYWORD_IDS if l in synth}
        self.mined = torch.zeros(0, 16000)

    def no_teacher(self, count: int) -> torch.Tensor:
        return torch.full((count, len(LABELS)), float("nan"))

    def keyword_clips(self, label: int, count: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Clips of `label`, their voiced spans and teacher logits."""
        real, synth = self.real[label], self.synth.get(label)
        ri = torch.randint(0, len(real), (count,), generator=self.gen)
        clips, spans = real[ri], self.spans[label][ri]
        teacher = self.soft["real"][label][ri] if self.soft else self.no_teacher(count)
        if synth is not None and len(synth):
            use_synth = torch.rand(count, generator=self.gen) >= self.real_fraction
            si = torch.randint(0, len(synth), (count,), generator=self.gen)
            clips = torch.where(use_synth.unsqueeze(1), synth[si], clips)
            spans = torch.where(use_synth.unsqueeze(1), self.synth_spans[label][si], spans)
            if self.soft:
                teacher = torch.where(use_synth.unsqueeze(1), self.soft["synth"][label][si], teacher)
        return clips, spans, teacher

    def any_keyword_clips(self, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        labels = torch.tensor(KEYWORD_IDS)[torch.randint(0, len(KEYWORD_IDS), (count,), generator=self.gen)]
        clips, spans = torch.empty(count, 16000), torch.empty(count, 2, dtype=torch.long)
        for l in KEYWORD_IDS:
            rows = torch.nonzero(labels == l).flatten()
            if len(rows):
                clips[rows], spans[rows], _ = self.keyword_clips(l, len(rows))
        return clips, spans

    def unknown_examples(self) -> tuple[torch.Tensor, torch.Tensor]:
        n = self.unknown
        n_mined = int(0.25 * n) if len(self.mined) else 0
        n_words, n_partial, n_reversed = int(0.2 * n), int(0.15 * n), int(0.15 * n)
        n_corpus = n - n_mined - n_words - n_partial - n_reversed
        parts = []
        has_synth = UNKNOWN in self.synth
        words = torch.cat([self.real[UNKNOWN]] + ([self.synth[UNKNOWN]] if has_synth else []))
        real_or_synth = torch.where(torch.rand(n_words, generator=self.gen) < self.real_fraction,
                                    torch.randint(0, len(self.real[UNKNOWN]), (n_words,), generator=self.gen),
                                    torch.randint(0, len(words), (n_words,), generator=self.gen))
        parts.append(words[real_or_synth])
        if self.soft:
            word_teacher = torch.cat([self.soft["real"][UNKNOWN]] + ([self.soft["synth"][UNKNOWN]] if has_synth else []))
            teacher = word_teacher[real_or_synth]
        else:
            teacher = self.no_teacher(n_words)
        parts.append(self.corpus.windows(n_corpus, self.gen))
        clips, spans = self.any_keyword_clips(n_partial)
        cut = partial(clips, spans, self.gen)
        with_context = torch.rand(n_partial, 1, generator=self.gen) < 0.5
        parts.append(torch.where(with_context, cut + 0.5 * self.corpus.windows(n_partial, self.gen), cut))
        clips, _ = self.any_keyword_clips(n_reversed)
        parts.append(clips.flip(1))
        if n_mined:
            parts.append(self.mined[torch.randint(0, len(self.mined), (n_mined,), generator=self.gen)])
        return torch.cat(parts), torch.cat([teacher, self.no_teacher(n - n_words)])

    def epoch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        waves, labels, teachers = [], [], []
        for label in range(len(LABELS)):
            if label == SILENCE:
                x, teacher = torch.zeros(self.per_class, 16000), self.no_teacher(self.per_class)
            elif label == UNKNOWN:
                x, teacher = self.unknown_examples()
            else:
                clips, spans, teacher = self.keyword_clips(label, self.per_class)
                clips, spans = anywhere(clips, spans, self.gen)
                ctx = torch.rand(self.per_class, generator=self.gen) < self.context_share
                if bool(ctx.any()):
                    rows = torch.nonzero(ctx).flatten()
                    clips[rows] = in_context(clips[rows], spans[rows], self.corpus.windows(len(rows), self.gen),
                                             self.gen, self.context_db)
                x = clips
            waves.append(x)
            labels.append(torch.full((len(x),), label))
            teachers.append(teacher)
        x, y, t = torch.cat(waves).clamp(-1, 1), torch.cat(labels), torch.cat(teachers)
        order = torch.randperm(len(y), generator=self.gen)
        return x[order], y[order], y[order] == SILENCE, t[order]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=sorted(MODEL_SPECS))
    ap.add_argument("--out", default=None, help="model name to write (default <model>-ao)")
    ap.add_argument("--epochs", type=int, default=120, help="round 0 epochs (0 with --init: no round 0)")
    ap.add_argument("--rounds", type=int, default=3, help="hard-negative mining rounds after round 0")
    ap.add_argument("--round-epochs", type=int, default=30)
    ap.add_argument("--mine", type=int, default=6000, help="windows added to the mined pool per round")
    ap.add_argument("--per-class", type=int, default=300)
    ap.add_argument("--unknown", type=int, default=1500, help="_unknown_ examples per epoch")
    ap.add_argument("--real-fraction", type=float, default=0.65)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--round-lr", type=float, default=0.02)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    ap.add_argument("--distill", type=float, default=0.0,
                    help="weight of the teacher's soft labels (teacher.py, final target) on keyword and word examples")
    ap.add_argument("--kd-temperature", type=float, default=2.0)
    ap.add_argument("--init", default=None, metavar="RUN",
                    help="start round 0 from these weights (a Training/runs/*.pt of the same model) instead of scratch")
    ap.add_argument("--context", type=float, default=0.5, help="share of keyword examples with other speech around them")
    ap.add_argument("--context-db", type=float, nargs=2, default=[-15.0, 0.0], metavar=("LOW", "HIGH"),
                    help="level of that speech relative to the keyword, uniform in dB")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    if args.epochs < 0 or (args.epochs == 0 and not args.init):
        ap.error("--epochs must be positive, or 0 with --init")
    name = args.out or f"{args.model}-ao"

    t_start = time.time()
    gen = seed_all(args.seed, args.threads)

    splits = {s: read_split(s) for s in ("train", "validation", "test")}
    train_paths = splits["train"] + splits["validation"]
    real = clips_by_label(train_paths, DATA_DIR)
    noise_bank = real[SILENCE]
    synth_paths = load_synthetic()
    synth = synthetic_by_label(synth_paths)
    corpus = NegativeCorpus("train")
    soft = teacher_by_label("final", train_paths, synth_paths) if args.distill > 0 else None
    print(f"data: {len(train_paths)} real clips, {len(synth_paths)} synthetic, negatives {corpus.hours} h", flush=True)

    frontend = MFCC(torch.float32)

    def features(waves: torch.Tensor) -> torch.Tensor:
        return frontend(waves).transpose(1, 2).contiguous()

    model = build(args.model)
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu"))
    decay = [p for n, p in model.named_parameters() if ".bn" not in n and not n.startswith("stem.bn")]
    no_decay = [p for n, p in model.named_parameters() if ".bn" in n or n.startswith("stem.bn")]
    builder = StreamEpochs(real, synth, corpus, args.per_class, args.unknown, args.real_fraction, gen, soft,
                           args.context, tuple(args.context_db))
    steps_per_epoch = (args.per_class * (len(LABELS) - 1) + args.unknown) // args.batch

    def augmented(x, is_silence, b):
        sl = slice(b * args.batch, (b + 1) * args.batch)
        return augment_batch(x[sl], is_silence[sl], noise_bank, gen)

    def example_losses(logits: torch.Tensor, y: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
        """Cross-entropy per example; where the example has teacher logits, mixed with the distillation
        term as in train.py: (1 - w) CE + w T² KL(teacher_T || student_T)."""
        ce = F.cross_entropy(logits, y, label_smoothing=args.label_smoothing, reduction="none")
        has = ~teacher.isnan().any(dim=1)
        if args.distill <= 0 or not bool(has.any()):
            return ce
        t = args.kd_temperature
        target = (teacher[has] / t).softmax(dim=1)
        kd = F.kl_div((logits[has] / t).log_softmax(dim=1), target, reduction="none").sum(dim=1)
        mixed = ce.clone()
        mixed[has] = (1.0 - args.distill) * ce[has] + args.distill * t * t * kd
        return mixed

    def run_round(round_no: int, epochs: int, peak: float) -> dict:
        opt = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay},
                               {"params": no_decay, "weight_decay": 0.0}], lr=peak, momentum=0.9, nesterov=True)
        total = steps_per_epoch * epochs
        warmup = max(1, int(0.05 * total))
        swa_epochs = max(1, round(0.15 * epochs))
        swa, step, losses = WeightAverage(), 0, []
        for epoch in range(epochs):
            model.train()
            x, y, is_silence, teacher = builder.epoch()
            t0, running = time.time(), 0.0
            for b in range(steps_per_epoch):
                for group in opt.param_groups:
                    group["lr"] = lr_at(step, total, peak, warmup)
                sl = slice(b * args.batch, (b + 1) * args.batch)
                loss = example_losses(model(features(augmented(x, is_silence, b))), y[sl], teacher[sl]).mean()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                running += loss.item()
                step += 1
            if epoch >= epochs - swa_epochs:
                swa.add(model)
            losses.append(round(running / steps_per_epoch, 4))
            print(f"round {round_no} epoch {epoch + 1:3d}/{epochs} loss {losses[-1]:.4f} swa {swa.count} "
                  f"{time.time() - t0:.1f}s", flush=True)
        swa.load_into(model)
        x, y, is_silence, _ = builder.epoch()
        recalibrate_bn(model, (features(augmented(x, is_silence, b)) for b in range(steps_per_epoch)))
        return {"round": round_no, "epochs": epochs, "lr_peak": peak, "swa_epochs": swa_epochs, "train_loss": losses}

    def mine(round_no: int) -> dict:
        """Scores every 100 ms window of the TRAIN negatives; the highest become training examples."""
        model.eval()
        scores, starts, sources = [], [], []
        with torch.no_grad():
            for source, s, windows in corpus.scan():
                probs = model(features(windows)).softmax(dim=1)[:, KEYWORD_IDS].amax(dim=1)
                scores.append(probs)
                starts.append(s)
                sources += [source] * len(s)
        scores, starts = torch.cat(scores), torch.cat(starts)
        hours = sum(corpus.hours.values())
        # Windows whose 3-window mean (the detector's 300 ms smoothing) reaches 0.7: a rough false-alarm rate.
        smooth = F.avg_pool1d(scores.view(1, 1, -1), 3, 1, padding=1).view(-1)
        fa_windows = int((smooth >= 0.7).sum())
        stats = {"round": round_no, "windows": len(scores), "hours": hours,
                 "windows_at_0.5_per_hour": round(float((scores >= 0.5).sum()) / hours, 1),
                 "smoothed_windows_at_0.7_per_hour": round(fa_windows / hours, 1)}
        top = torch.argsort(scores, descending=True)[: args.mine]
        top = top[scores[top] >= 0.2]
        picked = torch.stack([corpus.sources[sources[i]][starts[i]: starts[i] + 16000] for i in top.tolist()]) \
            if len(top) else torch.zeros(0, 16000)
        builder.mined = torch.cat([builder.mined, picked])
        stats["mined_added"], stats["mined_pool"] = len(picked), len(builder.mined)
        print(f"mining after round {round_no}: {json.dumps(stats)}", flush=True)
        return stats

    # --epochs 0 with --init keeps the initial model as round 0: more mining rounds on a finished model.
    rounds = [run_round(0, args.epochs, args.lr)] if args.epochs > 0 else []
    mining = []
    for r in range(1, args.rounds + 1):
        mining.append(mine(r - 1))
        rounds.append(run_round(r, args.round_epochs, args.round_lr))
    mining.append(mine(args.rounds))  # the final model's score on its own training negatives (not used)

    test_x = features(load_clips(splits["test"], DATA_DIR))
    test_y = torch.tensor([LABELS.index(label_of(p)) for p in splits["test"]])
    test_acc, test_loss, test_probs = evaluate(model, test_x, test_y)
    wall = time.time() - t_start
    print(f"final: TEST acc {test_acc:.4f} wall {wall:.0f}s", flush=True)

    split_sums = (SPLITS_DIR / "SHA256SUMS").read_text().split()
    training = {
        "data": "Speech Commands v0.02 (Warden 2018, arXiv:1804.03209), CC BY 4.0; subset of its test package "
                "in shared/data/speech_commands, train + validation speakers (Training/split.py)",
        "split_sha256": {split_sums[i + 1]: split_sums[i] for i in range(0, len(split_sums), 2)},
        "train_splits": ["train", "validation"],
        "synthetic": "espeak-ng + flite keyword and near-miss renderings (Training/synth.py)",
        "negatives": {"hours": corpus.hours, "recipe": "Training/negatives.py TRAIN parts",
                      "sources": "TTS sentences (espeak-ng GPL-3, flite and festival voices, free licences), "
                                 "asterisk-core-sounds-en, -es, -fr, -it, -ru (CC-BY-SA 3.0), hedgewars-data voices (GFDL 1.2+), "
                                 "asterisk-moh-opsound (CC-BY-SA 3.0)"},
        "recipe": {"script": "Training/alwayson.py", "per_class_per_epoch": args.per_class,
                   "unknown_per_epoch": args.unknown, "real_fraction": args.real_fraction, "batch": args.batch,
                   "optimizer": "SGD momentum 0.9 nesterov", "weight_decay_non_bn": args.weight_decay,
                   "label_smoothing": args.label_smoothing, "mine_per_round": args.mine,
                   "keywords_in_context": {"share": args.context, "level_db": args.context_db},
                   "distill": args.distill and {"weight": args.distill, "temperature": args.kd_temperature,
                                                "teacher": "openWakeWord speech-embedding head (teacher.py), "
                                                           "on keyword and _unknown_ word examples"},
                   "init": args.init and os.path.basename(args.init),
                   "selection": "none: fixed epochs and rounds, SWA per round, BN recomputed"},
        "rounds": rounds, "mining": mining, "epochs": args.epochs, "seed": args.seed, "threads": args.threads,
        "git_commit": git_commit(), "wall_time_s": round(wall),
    }
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    export_model(MODELS_DIR / f"{name}.safetensors", model, name, training, test_acc)
    save_run(name, test_report(name, splits["test"], test_y, test_probs, test_loss, training),
             copy.deepcopy(model.state_dict()))
    return 0
