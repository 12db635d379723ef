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
import time

import numpy as np
import torch
import torch.nn.functional as F

from .augment import SNR_DB, Augmentation, augment_batch, room_impulse_responses, spec_augment
from .common import DATA_DIR, LABELS, MODELS_DIR, SPLITS_DIR, git_commit, label_of, read_split
from .export import export_model
from .features import MFCC
from .cv import CV_DIR
from .data import (SILENCE, EpochBuilder, clips_by_label, load_clips, load_synthetic, pseudo_by_label,
                   synthetic_by_label, teacher_by_label)
from .loop import WeightAverage, evaluate, lr_at, recalibrate_bn, seed_all
from .folds import DEFAULT_FOLDS, fold_lists, speaker_of
from .model import MODEL_SPECS, build
from .reports import carried_selection_run, save_run, test_report
from .voices import load_voices


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
        return augment_batch(xb, sb, noise_bank, gen, aug)

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
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
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
