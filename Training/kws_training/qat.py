"""Quantization-aware fine-tuning for the precision highway (SPEC.md §3.3), with or without the highway.

Starts from a shipped dense float model (Models/<model>.safetensors, the `train.py --final` weights), folds
its batch norms and fine-tunes the fake-quantized network of qat_model.py: k-bit weights and activations in
every convolution of the residual branch; with the highway the trunk, the projection shortcuts and the
residual adds stay 8-bit, without it (`--no-highway`) they are k-bit too. The stem, the input and the
classifier stay 8-bit in both. Data, augmentation and epoch construction are train.py's, on the final
models' data (train + validation speakers): fixed epochs, no selection, the test split evaluated once.
Loss: label-smoothed cross-entropy mixed with distillation from the float model (`--kd`, temperature
`--temperature`).

Usage: python qat.py --model tc-resnet8 --bits 2 [--no-highway] [--epochs 30] [--threads 1]
       python qat.py --model tc-resnet8 --bits 2 --export-only   (re-export from Training/runs/<run>.pt)
Writes Training/runs/<run>.pt and Models/training/<run>.json, and with the highway Models/<run>.safetensors,
where <run> is <model>-hw<k> or <model>-nohw<k>.
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import highway_int
from .augment import augment_batch
from .common import DATA_DIR, LABELS, MODELS_DIR, RUNS_DIR, SPLITS_DIR, git_commit, label_of, read_split
from .export import read_safetensors
from .features import MFCC
from .model import MODEL_SPECS, build
from .qat_model import QATTCResNet, input_quantization
from .data import SILENCE, EpochBuilder, clips_by_label, load_clips, load_synthetic, synthetic_by_label
from .loop import lr_at, seed_all
from .reports import confusion


def run_name(model: str, bits: int, highway: bool) -> str:
    return f"{model}-{'hw' if highway else 'nohw'}{bits}"


def load_float(name: str) -> torch.nn.Module:
    tensors, _ = read_safetensors(MODELS_DIR / f"{name}.safetensors")
    model = build(name)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}, strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    return model.eval()


def predict(model, feats: torch.Tensor) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return torch.cat([model(feats[i: i + 256]) for i in range(0, len(feats), 256)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=sorted(MODEL_SPECS))
    ap.add_argument("--bits", type=int, required=True, choices=[2, 3, 4])
    ap.add_argument("--no-highway", action="store_true", help="quantize the trunk and shortcuts at k bits too")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--per-class", type=int, default=300)
    ap.add_argument("--real-fraction", type=float, default=0.65)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--weight-decay", type=float, default=0.0, help="decoupled (AdamW) decay of the weights")
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--kd", type=float, default=0.5, help="weight of the distillation term (0: none)")
    ap.add_argument("--temperature", type=float, default=2.0)
    ap.add_argument("--calibration-clips", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--export-only", action="store_true", help="skip training: load Training/runs/<run>.pt")
    ap.add_argument("--explore", action="store_true",
                    help="recipe check: print the accuracy on the clean calibration (training) clips after each "
                         "epoch; no test evaluation, nothing written")
    args = ap.parse_args()
    highway = not args.no_highway
    if args.bits == 3 and highway:
        ap.error("the engine packs 2- and 4-bit weights only; --bits 3 is for --no-highway/accuracy runs")
    name = run_name(args.model, args.bits, highway)

    t_start = time.time()
    gen = seed_all(args.seed, args.threads)

    frontend = MFCC(torch.float32)

    def features(waves: torch.Tensor) -> torch.Tensor:
        return frontend(waves).transpose(1, 2).contiguous()  # [N, 40, 98]

    splits = {s: read_split(s) for s in ("train", "validation", "test")}
    train_paths = splits["train"] + splits["validation"]
    teacher = load_float(args.model)
    source_file = MODELS_DIR / f"{args.model}.safetensors"
    run_path = RUNS_DIR / f"{name}.pt"

    if args.export_only:
        saved = torch.load(run_path, weights_only=False)
        student = QATTCResNet(teacher, args.bits, highway, saved["input_scale"], saved["input_zero_point"])
        student.load_state_dict(saved["state"])
        training = saved["training"]
    else:
        real = clips_by_label(train_paths, DATA_DIR)
        noise_bank = real[SILENCE]
        synth_paths = load_synthetic()
        synth = synthetic_by_label(synth_paths)

        # Calibration (input quantization and the initial clips): clean train + validation clips, seeded pick.
        pick = torch.randperm(len(train_paths), generator=gen)[: args.calibration_clips].tolist()
        cal = features(load_clips([train_paths[i] for i in pick], DATA_DIR))
        scale, zero = input_quantization(cal)
        student = QATTCResNet(teacher, args.bits, highway, scale, zero)
        student.initialise(cal)
        cal_y = torch.tensor([LABELS.index(label_of(train_paths[i])) for i in pick])
        if args.explore:
            print(f"start: clean training-clip accuracy {(predict(student, cal).argmax(1) == cal_y).float().mean():.4f}")

        weights = [p for n, p in student.named_parameters() if n.endswith("weight")]
        others = [p for n, p in student.named_parameters() if not n.endswith("weight")]
        # Adam, not train.py's SGD: with batch norm folded away the layers are no longer scale-invariant, and
        # the stem, which sees raw MFCC codes of magnitude ~100, took SGD steps that wrecked it at once.
        opt = torch.optim.AdamW([{"params": weights, "weight_decay": args.weight_decay},
                                 {"params": others, "weight_decay": 0.0}], lr=args.lr)
        builder = EpochBuilder(real, synth, noise_bank, args.per_class, args.real_fraction, gen)
        steps_per_epoch = (args.per_class * len(LABELS)) // args.batch
        total = steps_per_epoch * args.epochs
        warmup = max(1, int(0.05 * total))
        history, step = [], 0
        for epoch in range(args.epochs):
            student.train()
            x, y, is_silence = builder.epoch()
            t0, running = time.time(), 0.0
            for b in range(steps_per_epoch):
                sl = slice(b * args.batch, (b + 1) * args.batch)
                xb, yb, sb = x[sl], y[sl], is_silence[sl]
                waves = augment_batch(xb, sb, noise_bank, gen)
                for group in opt.param_groups:
                    group["lr"] = lr_at(step, total, args.lr, warmup)
                feats = features(waves)
                logits = student(feats)
                loss = F.cross_entropy(logits, yb, label_smoothing=args.label_smoothing)
                if args.kd > 0:
                    with torch.no_grad():
                        soft = F.softmax(teacher(feats) / args.temperature, dim=1)
                    kd = F.kl_div(F.log_softmax(logits / args.temperature, dim=1), soft, reduction="batchmean")
                    loss = (1 - args.kd) * loss + args.kd * args.temperature ** 2 * kd
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                running += loss.item()
                step += 1
            history.append({"epoch": epoch + 1, "train_loss": round(running / steps_per_epoch, 4)})
            seen = f" train-clip acc {(predict(student, cal).argmax(1) == cal_y).float().mean():.4f}" if args.explore else ""
            print(f"{name} epoch {epoch + 1:3d}/{args.epochs} loss {running / steps_per_epoch:.4f} "
                  f"lr {opt.param_groups[0]['lr']:.5f} {time.time() - t0:.1f}s{seen}", flush=True)
        if args.explore:
            return 0
        split_sums = (SPLITS_DIR / "SHA256SUMS").read_text().split()
        training = {
            "kind": "quantization-aware fine-tuning (Training/qat.py) of the shipped float model",
            "source_model": f"Models/{args.model}.safetensors",
            "source_sha256": highway_int.sha256(source_file),
            "data": "train + validation speakers (as the final float models), class-balanced augmented epochs "
                    "of train.py; calibration: clean clips of the same lists",
            "split_sha256": {split_sums[i + 1]: split_sums[i] for i in range(0, len(split_sums), 2)},
            "highway": highway, "bits": args.bits,
            "quantizer": "uniform, learned step per tensor / per output channel (LSQ: straight-through rounding, "
                         "step gradient scaled by 1/sqrt(N*Q)), steps initialised to the MSE-optimal clip",
            "batch_norm": "folded into the convolutions (running statistics) before fine-tuning",
            "recipe": {"optimizer": "AdamW (betas 0.9, 0.999)", "lr_peak": args.lr,
                       "schedule": "5% linear warm-up then cosine to 0, per step", "batch": args.batch,
                       "decoupled_weight_decay_weights": args.weight_decay, "label_smoothing": args.label_smoothing,
                       "distillation": {"weight": args.kd, "temperature": args.temperature,
                                        "teacher": f"Models/{args.model}.safetensors"},
                       "per_class_per_epoch": args.per_class, "real_fraction": args.real_fraction,
                       "calibration_clips": args.calibration_clips,
                       "selection": "none: fixed epochs, the last weights"},
            "epochs": args.epochs, "steps": total, "seed": args.seed, "threads": args.threads,
            "git_commit": git_commit(), "train_wall_time_s": round(time.time() - t_start), "history": history,
        }
        RUNS_DIR.mkdir(exist_ok=True)
        torch.save({"state": student.state_dict(), "input_scale": student.input_scale,
                    "input_zero_point": student.input_zero_point, "training": training}, run_path)

    # The test split, once.
    test_waves = load_clips(splits["test"], DATA_DIR)
    test_x = features(test_waves)
    test_y = torch.tensor([LABELS.index(label_of(p)) for p in splits["test"]])
    fq_logits = predict(student, test_x)
    fq_pred = fq_logits.argmax(dim=1)
    fq_acc = (fq_pred == test_y).float().mean().item()
    float_acc = (predict(teacher, test_x).argmax(dim=1) == test_y).float().mean().item()
    report = {"name": name, "labels": LABELS, "model": args.model, "bits": args.bits, "highway": highway,
              "float_test_accuracy": round(float_acc, 4), "fake_quant_test_accuracy": round(fq_acc, 4),
              "training": training}
    line = f"{name}: float {float_acc:.4f}  fake-quant {fq_acc:.4f}"
    if highway:
        out = MODELS_DIR / f"{name}.safetensors"
        # Write once to get the integers, run them, then write again with the integer accuracy recorded.
        highway_int.export(out, student, name, training, fq_acc, {})
        net = highway_int.IntegerNetwork(out)
        int_logits, _, _ = net.run(test_x.transpose(1, 2).contiguous().numpy())
        int_pred = torch.from_numpy(int_logits).argmax(dim=1)
        int_acc = (int_pred == test_y).float().mean().item()
        diff = np.abs(int_logits - fq_logits.numpy())
        agreement = (int_pred == fq_pred).float().mean().item()
        extra = {"fake_quant_test_accuracy": round(fq_acc, 4), "integer_test_accuracy": round(int_acc, 4),
                 "float_source_test_accuracy": round(float_acc, 4),
                 "integer_vs_fake_quant": {"top1_agreement": round(agreement, 4),
                                           "max_abs_logit_difference": round(float(diff.max()), 4),
                                           "mean_abs_logit_difference": round(float(diff.mean()), 5)}}
        highway_int.export(out, student, name, training, int_acc, extra)
        report |= extra
        report["test_accuracy"] = round(int_acc, 4)
        report["model_bytes"] = model_bytes(out)
        pred, probs = int_pred, torch.from_numpy(int_logits).softmax(dim=1)
        line += f"  integer {int_acc:.4f} (agreement {agreement:.4f}, max |dlogit| {diff.max():.3f})"
    else:
        report["test_accuracy"] = round(fq_acc, 4)
        pred, probs = fq_pred, fq_logits.softmax(dim=1)
    report["test_recall"] = {LABELS[l]: round((pred[test_y == l] == l).float().mean().item(), 4)
                             for l in range(len(LABELS)) if bool((test_y == l).any())}
    report["test_confusion"] = {"rows": "true label", "cols": "predicted label", "matrix": confusion(test_y, pred)}
    report["test_predictions"] = [[p, LABELS[int(k)], round(float(probs[i, k]), 4)]
                                  for i, (p, k) in enumerate(zip(splits["test"], pred))]
    report["wall_time_s"] = round(time.time() - t_start)
    (MODELS_DIR / "training").mkdir(exist_ok=True)
    (MODELS_DIR / "training" / f"{name}.json").write_text(json.dumps(report, separators=(",", ":")) + "\n")
    print(line + f"  wall {time.time() - t_start:.0f}s", flush=True)
    return 0


def model_bytes(path) -> int:
    """Bytes of the integer tensors the highway engine reads (`hw.`), packed weights included."""
    tensors, _ = highway_int.read_file(path)
    return int(sum(v.nbytes for k, v in tensors.items() if k.startswith("hw.")))
