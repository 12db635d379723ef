"""Quantization under cross-validation: what int8 and outlier-aware 4-bit cost, measured on ~2,550 held-out
clips of 131 speakers instead of the 520 test clips (where one clip is 0.19 points and the noise hides it).

For every fold model of a CV recipe (cv/<tag>/fold-K.safetensors, written by `train.py --cv-fold K`), the kws
binary quantizes it exactly as the shipped files are made, calibrating on that fold's own training clips:
  int8:     kws lab quantize --calibration-batches 50             (Models/README.md "int8")
  ol4-R:    kws quantize --scheme outlier --outlier-ratio R%      (Models/README.md "Outlier-aware 4-bit")
and scores float and every quantized file with `kws eval --list <held-out fold>`, each with the engine that
runs it. Reports per fold, the mean, and the paired difference to float (mean +- 95 % interval over folds,
Student t), and writes cv/<tag>/lowbit.json. No test clip is touched.

Usage: python lowbit_cv.py --tag r8-distill [--ratios 0 0.5 3.5] [--kws ../.build/release/kws]
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
from pathlib import Path

from .common import DATA_DIR, TRAINING_DIR
from .cv import CV_DIR, T975
from .folds import DEFAULT_FOLDS, fold_lists


def accuracy(kws: str, model: Path, engine: str, held_list: Path) -> tuple[float, int]:
    out = subprocess.run([kws, "eval", "--json", "--model", str(model), "--engine", engine, "--list",
                          str(held_list), str(DATA_DIR)], check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    return report["accuracy"], report["count"]


def interval(deltas: list[float]) -> tuple[float, float]:
    n = len(deltas)
    mean = sum(deltas) / n
    if n < 2:
        return mean, float("nan")
    sd = math.sqrt(sum((d - mean) ** 2 for d in deltas) / (n - 1))
    return mean, T975[n - 2] * sd / math.sqrt(n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag", required=True, help="CV recipe whose fold models to quantize (cv/<tag>/)")
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--ratios", type=float, nargs="*", default=[0.0, 0.5, 3.5],
                    help="outlier ratios in percent (default: 0 0.5 3.5)")
    ap.add_argument("--only", type=int, nargs="*", default=None, metavar="K",
                    help="only these folds (a quick look while the others train; the summary is then partial)")
    ap.add_argument("--kws", default=str(TRAINING_DIR.parent / ".build" / "release" / "kws"))
    args = ap.parse_args()
    tag_dir = CV_DIR / args.tag
    schemes = ["float", "int8"] + [f"ol4-{r:g}" for r in args.ratios]
    per_fold: dict[str, list[float]] = {s: [] for s in schemes}
    counts = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for k in (args.only if args.only is not None else range(args.folds)):
            model = tag_dir / f"fold-{k}.safetensors"
            if not model.exists():
                raise SystemExit(f"lowbit_cv: no {model}; run cv.py --tag {args.tag} (train.py --cv-fold writes it)")
            train, held = fold_lists(k, args.folds)
            train_list, held_list = tmp / f"train-{k}.txt", tmp / f"held-{k}.txt"
            train_list.write_text("\n".join(train) + "\n")
            held_list.write_text("\n".join(held) + "\n")
            calibration = ["--calibration", str(DATA_DIR), "--calibration-list", str(train_list)]
            acc, n = accuracy(args.kws, model, "float", held_list)
            per_fold["float"].append(acc)
            counts.append(n)
            int8 = tmp / f"fold-{k}-int8.safetensors"
            subprocess.run([args.kws, "lab", "quantize", str(model), *calibration, "--calibration-batches", "50",
                            "--out", str(int8)], check=True, capture_output=True)
            per_fold["int8"].append(accuracy(args.kws, int8, "int8", held_list)[0])
            for r in args.ratios:
                ol4 = tmp / f"fold-{k}-ol4-{r:g}.safetensors"
                subprocess.run([args.kws, "quantize", str(model), "--scheme", "outlier", "--outlier-ratio", f"{r:g}%",
                                *calibration, "--out", str(ol4)], check=True, capture_output=True)
                per_fold[f"ol4-{r:g}"].append(accuracy(args.kws, ol4, "outlier", held_list)[0])
            print(f"fold {k} ({n} clips): " + ", ".join(f"{s} {per_fold[s][-1] * 100:.2f}%" for s in schemes),
                  flush=True)
    summary = {"tag": args.tag, "folds": args.folds, "folds_measured": len(counts), "clips": sum(counts),
               "kws": subprocess.run([args.kws, "--version"], capture_output=True, text=True).stdout.strip(), "schemes": {}}
    print(f"\n| {args.tag} ({sum(counts)} held-out clips, {len(counts)} of {args.folds} folds) | mean accuracy | "
          f"paired Δ vs float (95 % interval) | per fold |\n|---|---|---|---|")
    for s in schemes:
        mean, _ = interval(per_fold[s])
        delta, half = interval([a - f for a, f in zip(per_fold[s], per_fold["float"])])
        summary["schemes"][s] = {"fold_accuracy": [round(a, 4) for a in per_fold[s]], "mean": round(mean, 4),
                                 "delta_vs_float": round(delta, 4), "delta_ci95": round(half, 4)}
        paired = "" if s == "float" else f"{delta * 100:+.2f} ± {half * 100:.2f}"
        print(f"| {s} | {mean * 100:.2f} % | {paired} | {' '.join(f'{a * 100:.1f}' for a in per_fold[s])} |")
    if args.only is None:
        (tag_dir / "lowbit.json").write_text(json.dumps(summary, indent=1) + "\n")
    return 0
