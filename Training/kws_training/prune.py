"""Gradual magnitude pruning with fine-tuning of a shipped dense model (Zhu & Gupta 2017, arXiv:1710.01878).

Starts from Models/<model>.safetensors (the dense final model), prunes every conv layer to a target share of
zero weights with the cubic schedule s(e) = s_layer · (1 − (1 − e/P)³), one mask update per epoch over the
first P ≈ 2/3 of the epochs, then fine-tunes with the masks fixed while the learning rate decays to 0.
Masks are per layer and unstructured (the smallest |w| of the whole layer): output channels end up with
different nonzero counts, which is the load imbalance a zero-skipping engine has to deal with.

What is pruned (decided before any pruned model was tested):
- blocks.*.conv1 / conv2 / shortcut.conv: the full target (50 %, 70 % or 85 %);
- stem.conv: half the target. It reads the 40 MFCC channels directly (no ReLU sparsity in its input),
  holds 3 % / 1 % of the weights but 12 % / 4 % of the MACs (tc-resnet8 / tc-resnet14-1.5), and the first layer
  is the one most sensitive to pruning in the literature; half the target keeps most of its MAC saving;
- fc: not pruned. 576–864 weights, < 0.1 % of the MACs, and it maps straight onto the 12 decisions.

Data and recipe are the dense `train.py --final` ones (train + validation speakers, class-balanced epochs
of 3,600 augmented examples with the synthetic clips, SGD Nesterov, weight decay 1e-3, label smoothing 0.1;
the data, augmentation and SWA/BN code is imported from train.py), except the learning rate: a fine-tune
peak of 0.02 (1 epoch linear warm-up, constant while pruning, cosine to 0 over the fixed-mask epochs).
Gradients of pruned weights are zeroed before and the weights re-masked after every optimizer step. SWA
averages the last round(0.15 · epochs) epochs (all with the final mask, so zeros stay exact zeros), then
the BN statistics are recomputed. No selection: the test split is evaluated once at the end.

Usage: python prune.py --model tc-resnet8 --sparsity 0.7 [--epochs 60] [--seed 7] [--threads 1]
Writes Models/<model>-sparse<NN>.safetensors, Models/training/<model>-sparse<NN>.json, Training/runs/<...>.pt/.log.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import time

import torch
import torch.nn.functional as F

from .augment import augment_batch
from .common import DATA_DIR, LABELS, MODELS_DIR, SPLITS_DIR, git_commit, label_of, read_split
from .export import export_model, read_safetensors
from .features import MFCC
from .model import MODEL_SPECS, build
from .data import SILENCE, EpochBuilder, clips_by_label, load_clips, load_synthetic, synthetic_by_label
from .loop import WeightAverage, evaluate, recalibrate_bn, seed_all
from .reports import save_run, test_report

STEM_FACTOR = 0.5  # the stem's target is this fraction of the model's target (see the docstring)


def layer_targets(model: torch.nn.Module, sparsity: float) -> dict[str, float]:
    """Target share of zero weights per prunable tensor; the FC head is left dense."""
    targets = {}
    for name, p in model.named_parameters():
        if not name.endswith(("conv.weight", "conv1.weight", "conv2.weight")):
            continue
        targets[name] = sparsity * STEM_FACTOR if name.startswith("stem.") else sparsity
    return targets


def cubic(target: float, epoch: int, pruning_epochs: int) -> float:
    """Zhu & Gupta's schedule from s_i = 0 at epoch 0 to `target` at `pruning_epochs`."""
    t = min(1.0, epoch / pruning_epochs)
    return target * (1.0 - (1.0 - t) ** 3)


def magnitude_mask(w: torch.Tensor, sparsity: float) -> torch.Tensor:
    """Keeps all but the round(sparsity · n) smallest |w| of the whole tensor. Already-pruned weights are 0,
    so they sort first and the masks only ever grow (ties broken by index, deterministic)."""
    n = w.numel()
    k = int(round(sparsity * n))
    mask = torch.ones(n, dtype=w.dtype)
    if k > 0:
        order = torch.sort(w.detach().abs().flatten(), stable=True).indices
        mask[order[:k]] = 0
    return mask.view_as(w)


def sparsity_report(model: torch.nn.Module, targets: dict[str, float]) -> dict[str, dict]:
    """Per layer: target, achieved zero share, and the spread of nonzeros per output channel."""
    params = dict(model.named_parameters())
    out = {}
    for name in list(targets) + ["fc.weight"]:
        w = params[name].detach()
        per_channel = (w != 0).flatten(1).sum(dim=1)
        out[name] = {"shape": list(w.shape), "target": round(targets.get(name, 0.0), 4),
                     "zeros": int((w == 0).sum()), "weights": w.numel(),
                     "achieved": round(float((w == 0).sum()) / w.numel(), 4),
                     "nonzeros_per_output_channel": {"min": int(per_channel.min()), "max": int(per_channel.max()),
                                                     "mean": round(float(per_channel.float().mean()), 2),
                                                     "of": w[0].numel()}}
    return out


def load_dense(model: torch.nn.Module, name: str) -> tuple[str, dict]:
    """Loads the shipped dense float weights (BN statistics included) into `model`."""
    path = MODELS_DIR / f"{name}.safetensors"
    tensors, meta = read_safetensors(path)
    state = model.state_dict()
    missing = [k for k in state if not k.endswith("num_batches_tracked") and k not in tensors]
    if missing:
        raise SystemExit(f"prune.py: {path} lacks {missing}")
    with torch.no_grad():
        for k, v in state.items():
            if k in tensors:
                v.copy_(torch.from_numpy(tensors[k].copy()))
    return hashlib.sha256(path.read_bytes()).hexdigest(), meta


def lr_at(step: int, steps_per_epoch: int, pruning_epochs: int, epochs: int, peak: float) -> float:
    """1 epoch linear warm-up, constant to the end of pruning, then cosine to 0 over the fixed-mask epochs."""
    if step < steps_per_epoch:
        return peak * (step + 1) / steps_per_epoch
    start, total = pruning_epochs * steps_per_epoch, epochs * steps_per_epoch
    if step < start:
        return peak
    return peak * 0.5 * (1.0 + math.cos(math.pi * (step - start) / max(1, total - start)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=sorted(MODEL_SPECS))
    ap.add_argument("--sparsity", type=float, required=True, help="target share of zero weights per conv layer")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--pruning-fraction", type=float, default=2 / 3,
                    help="share of the epochs over which the cubic schedule runs (mask updated once per epoch)")
    ap.add_argument("--lr", type=float, default=0.02, help="fine-tuning peak learning rate")
    ap.add_argument("--per-class", type=int, default=300)
    ap.add_argument("--real-fraction", type=float, default=0.65)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--swa-epochs", type=int, default=None, help="default round(0.15 · epochs)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    if not 0.0 < args.sparsity < 1.0:
        ap.error("--sparsity must lie in (0, 1)")
    pruning_epochs = max(1, round(args.pruning_fraction * args.epochs))
    swa_epochs = args.swa_epochs if args.swa_epochs is not None else round(0.15 * args.epochs)
    if not 1 <= swa_epochs <= args.epochs - pruning_epochs:
        ap.error(f"--swa-epochs {swa_epochs} must lie in 1...{args.epochs - pruning_epochs} (fixed-mask epochs)")
    name = f"{args.model}-sparse{round(args.sparsity * 100)}"

    t_start = time.time()
    gen = seed_all(args.seed, args.threads)

    # The data of `train.py --final`: train + validation speakers, their `_silence_` clips as noise bank.
    splits = {s: read_split(s) for s in ("train", "validation", "test")}
    train_splits = ["train", "validation"]
    train_paths = [p for s in train_splits for p in splits[s]]
    real = clips_by_label(train_paths, DATA_DIR)
    noise_bank = real[SILENCE]
    synth_paths = load_synthetic()
    synth = synthetic_by_label(synth_paths)
    counts = {"train_real": len(train_paths), "train_splits": train_splits, "train_synthetic": len(synth_paths),
              "test": len(splits["test"])}
    print(f"{name}: data {counts}", flush=True)
    frontend = MFCC(torch.float32)

    def features(waves: torch.Tensor) -> torch.Tensor:
        return frontend(waves).transpose(1, 2).contiguous()

    model = build(args.model)
    base_sha, base_meta = load_dense(model, args.model)
    targets = layer_targets(model, args.sparsity)
    params = dict(model.named_parameters())
    masks = {n: torch.ones_like(params[n]) for n in targets}
    decay = [p for n, p in model.named_parameters() if ".bn" not in n and not n.startswith("stem.bn")]
    no_decay = [p for n, p in model.named_parameters() if ".bn" in n or n.startswith("stem.bn")]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay},
                           {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, momentum=0.9, nesterov=True)

    def update_masks(epoch: int) -> None:
        with torch.no_grad():
            for n, target in targets.items():
                masks[n] = magnitude_mask(params[n], cubic(target, epoch, pruning_epochs))
                params[n].mul_(masks[n])
                buf = opt.state.get(params[n], {}).get("momentum_buffer")
                if buf is not None:
                    buf.mul_(masks[n])  # no stale momentum pushing a pruned weight

    builder = EpochBuilder(real, synth, noise_bank, args.per_class, args.real_fraction, gen)
    steps_per_epoch = (args.per_class * len(LABELS)) // args.batch
    swa, history, step = WeightAverage(), [], 0
    for epoch in range(args.epochs):
        if 1 <= epoch <= pruning_epochs:
            update_masks(epoch)
        model.train()
        x, y, is_silence = builder.epoch()
        t0, running = time.time(), 0.0
        for b in range(steps_per_epoch):
            sl = slice(b * args.batch, (b + 1) * args.batch)
            xb, yb, sb = x[sl], y[sl], is_silence[sl]
            waves = augment_batch(xb, sb, noise_bank, gen)
            for group in opt.param_groups:
                group["lr"] = lr_at(step, steps_per_epoch, pruning_epochs, args.epochs, args.lr)
            loss = F.cross_entropy(model(features(waves)), yb, label_smoothing=args.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():
                for n, m in masks.items():
                    params[n].grad.mul_(m)
            opt.step()
            with torch.no_grad():
                for n, m in masks.items():
                    params[n].mul_(m)
            running += loss.item()
            step += 1
        if epoch >= args.epochs - swa_epochs:
            swa.add(model)
        zeros = sum(int((params[n] == 0).sum()) for n in targets) / sum(params[n].numel() for n in targets)
        history.append({"epoch": epoch + 1, "train_loss": round(running / steps_per_epoch, 4),
                        "conv_sparsity": round(zeros, 4)})
        print(f"{name} epoch {epoch + 1:3d}/{args.epochs} loss {running / steps_per_epoch:.4f} conv zeros "
              f"{zeros:.3f} swa {swa.count} lr {opt.param_groups[0]['lr']:.5f} {time.time() - t0:.1f}s", flush=True)

    swa.load_into(model)
    x, y, is_silence = builder.epoch()

    def augmented_batches():
        for b in range(steps_per_epoch):
            sl = slice(b * args.batch, (b + 1) * args.batch)
            yield features(augment_batch(x[sl], is_silence[sl], noise_bank, gen))

    bn_batches = recalibrate_bn(model, augmented_batches())
    layers = sparsity_report(model, targets)
    for n, t in targets.items():  # the average of masked weights must keep every pruned zero
        assert layers[n]["zeros"] >= int(round(t * layers[n]["weights"])), f"{n}: {layers[n]}"

    test_paths = splits["test"]
    test_x = features(load_clips(test_paths, DATA_DIR))
    test_y = torch.tensor([LABELS.index(label_of(p)) for p in test_paths])
    test_acc, test_loss, test_probs = evaluate(model, test_x, test_y)
    wall = time.time() - t_start
    print(f"{name}: TEST acc {test_acc:.4f} (dense base {base_meta.get('test_accuracy')})  wall {wall:.0f}s", flush=True)
    for n, r in layers.items():
        c = r["nonzeros_per_output_channel"]
        print(f"  {n:28s} target {r['target']:.3f} achieved {r['achieved']:.4f}  nonzeros/out-channel "
              f"{c['min']}-{c['max']} of {c['of']}", flush=True)

    conv = [n for n in targets]
    split_sums = (SPLITS_DIR / "SHA256SUMS").read_text().split()
    base_training = json.loads(base_meta.get("training", "{}"))
    training = {
        "data": base_training.get("data"), "split_sha256": {split_sums[i + 1]: split_sums[i]
                                                            for i in range(0, len(split_sums), 2)},
        "counts": counts, "synthetic": base_training.get("synthetic"), "train_splits": train_splits,
        "recipe": {"optimizer": "SGD momentum 0.9 nesterov", "lr_peak": args.lr,
                   "schedule": "1 epoch linear warm-up, constant while pruning, cosine to 0 over the fixed-mask "
                               "epochs, per step", "batch": args.batch, "weight_decay_non_bn": args.weight_decay,
                   "label_smoothing": args.label_smoothing, "per_class_per_epoch": args.per_class,
                   "real_fraction": args.real_fraction, "bn_momentum_pytorch": 0.01,
                   "augmentation": "as the dense model (train.py)",
                   "selection": f"none: fixed epochs on train+validation, SWA last {swa_epochs} epochs"},
        "epochs": args.epochs, "steps": steps_per_epoch * args.epochs, "seed": args.seed, "threads": args.threads,
        "git_commit": git_commit(), "wall_time_s": round(wall),
        "swa": {"epochs_averaged": swa.count, "first_epoch": args.epochs - swa_epochs + 1, "last_epoch": args.epochs,
                "bn_recalibration": f"running statistics reset, then the cumulative average over {bn_batches} "
                                    f"augmented training batches of {args.batch}"},
        "pruning": {
            "method": "gradual magnitude pruning with fine-tuning (Zhu & Gupta 2017), unstructured, per layer "
                      "(smallest |w| of the whole layer tensor; output channels not balanced)",
            "base_model": f"{args.model}.safetensors", "base_sha256": base_sha,
            "base_test_accuracy": base_meta.get("test_accuracy"),
            "target": args.sparsity,
            "schedule": f"s(e) = target_layer * (1 - (1 - e/{pruning_epochs})^3), mask updated at the start of "
                        f"epochs 1..{pruning_epochs}, fixed for epochs {pruning_epochs + 1}..{args.epochs}",
            "pruning_epochs": pruning_epochs, "fixed_mask_epochs": args.epochs - pruning_epochs,
            "rule": f"blocks' conv1/conv2/shortcut at the target, stem at {STEM_FACTOR} x target, fc dense",
            "mask_enforcement": "gradients masked before and weights masked after every optimizer step",
            "conv_sparsity": round(sum(layers[n]["zeros"] for n in conv) / sum(layers[n]["weights"] for n in conv), 4),
            "layers": layers},
    }
    MODELS_DIR.mkdir(exist_ok=True)
    export_model(MODELS_DIR / f"{name}.safetensors", model, name, training, test_acc)
    save_run(name, test_report(name, test_paths, test_y, test_probs, test_loss, training, history=history),
             copy.deepcopy(model.state_dict()))
    return 0
