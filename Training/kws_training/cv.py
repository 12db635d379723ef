"""Speaker-disjoint cross-validation of a training recipe (the basis of every recipe decision).

Runs `train.py --cv-fold K` for every fold (folds.py: train + validation speakers only, never test), two
folds at a time with one thread each, then summarises: accuracy per fold, mean +- 95 % interval over
folds (Student t), pooled accuracy, accuracy per class and per speaker (so a regression names whom it
hurts). Writes cv/<tag>/summary.json and the table of every summarised recipe, cv/CV.md.

Usage: python cv.py --tag NAME [--jobs 2] [--folds 5] -- <train.py flags, e.g. --model tc-resnet8 --epochs 60 --specaug>
       python cv.py --table            # rewrite cv/CV.md from the summaries present
       python cv.py --tag NAME --record ../Models/X.safetensors ...   # CV figures into a model's metadata
"""
from __future__ import annotations

import argparse
import json
import math
import struct
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import LABELS, TRAINING_DIR
from .folds import DEFAULT_FOLDS

CV_DIR = TRAINING_DIR / "cv"
# Two-sided 97.5 % quantiles of Student's t for 1..10 degrees of freedom.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


def cv_record(tag: str) -> dict:
    """The CV figures of recipe `tag` (cv.py) as a model's metadata carries them."""
    path = CV_DIR / tag / "summary.json"
    if not path.exists():
        raise SystemExit(f"CV recipe {tag}: no {path}; run cv.py --tag {tag} first")
    s = json.loads(path.read_text())
    return {"tag": tag, "table": "Training/cv/CV.md", "folds": s["folds"], "mean_accuracy": s["mean"],
            "ci95": s["ci95"], "fold_accuracy": s["fold_accuracy"], "speaker_mean": s["speaker_mean"],
            "recipe": s["recipe"], "protocol": "speaker-disjoint folds over train + validation speakers "
                                               "(Training/folds.py); test speakers never used"}


def record_into(model_path: Path, tags: list[str]) -> None:
    """Writes the CV figures of `tags` into a model file's `training` metadata (key cross_validation),
    leaving the tensors, hence data_sha256, untouched, and into its Models/training/<name>.json report."""
    from .operating_points import rewrite_metadata
    blob = model_path.read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    training = json.loads(json.loads(blob[8: 8 + n])["__metadata__"]["training"])
    training["cross_validation"] = [cv_record(tag) for tag in tags]
    rewrite_metadata(model_path, "training", json.dumps(training, separators=(",", ":")))
    report_path = model_path.parent / "training" / f"{model_path.stem}.json"
    if report_path.exists():  # the test report train.py wrote beside the model carries the same record
        report = json.loads(report_path.read_text())
        report["training"]["cross_validation"] = training["cross_validation"]
        report_path.write_text(json.dumps(report, separators=(",", ":")) + "\n")


def run_fold(tag: str, fold: int, folds: int, flags: list[str]) -> int:
    log = CV_DIR / tag / f"fold-{fold}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(TRAINING_DIR / "train.py"), "--cv-fold", str(fold), "--folds", str(folds),
           "--tag", tag, "--threads", "1", *flags]
    with log.open("w") as f:
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=TRAINING_DIR).returncode


def interval(values: list[float]) -> float:
    """Half-width of the 95 % confidence interval of the mean of `values`."""
    n = len(values)
    if n < 2:
        return float("nan")
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return T975[min(n - 1, len(T975)) - 1] * sd / math.sqrt(n)


def summarise(tag: str, folds: int, baseline: str | None = None) -> dict:
    reports = [json.loads((CV_DIR / tag / f"fold-{k}.json").read_text()) for k in range(folds)]
    accs = [r["accuracy"] for r in reports]
    preds = [p for r in reports for p in r["predictions"]]
    per_speaker: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _path, speaker, truth, guess, _prob in preds:
        for table, key in ((per_speaker, speaker or "(noise)"), (per_class, truth)):
            table[key][0] += truth == guess
            table[key][1] += 1
    speakers = {s: round(c / n, 4) for s, (c, n) in sorted(per_speaker.items()) if s != "(noise)"}
    summary = {
        "tag": tag, "baseline": baseline, "folds": folds, "recipe": reports[0]["recipe"], "seed": reports[0]["seed"],
        "fold_accuracy": accs, "mean": round(sum(accs) / folds, 4), "ci95": round(interval(accs), 4),
        "pooled": round(sum(g == t for _, _, t, g, _ in preds) / len(preds), 4), "clips": len(preds),
        "speaker_mean": round(sum(speakers.values()) / len(speakers), 4),
        "class_recall": {l: round(per_class[l][0] / per_class[l][1], 4) for l in LABELS if per_class[l][1]},
        "speaker_accuracy": speakers,
        "wall_time_s": sum(r["wall_time_s"] for r in reports), "git_commit": reports[0]["git_commit"],
    }
    (CV_DIR / tag / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def paired_delta(summary: dict) -> str:
    """Mean ± 95 % interval of the per-fold accuracy difference to the summary's baseline recipe: the
    folds are the same, so this is far tighter than comparing the two intervals."""
    base_path = CV_DIR / str(summary.get("baseline")) / "summary.json"
    if not summary.get("baseline") or not base_path.exists():
        return ""
    base = json.loads(base_path.read_text())["fold_accuracy"]
    diffs = [a - b for a, b in zip(summary["fold_accuracy"], base)]
    return f"{100 * sum(diffs) / len(diffs):+.1f} ± {100 * interval(diffs):.1f} vs {summary['baseline']}"


def write_table() -> None:
    rows = []
    for path in sorted(CV_DIR.glob("*/summary.json"), key=lambda p: p.stat().st_mtime):
        s = json.loads(path.read_text())
        r = s["recipe"]
        extras = [k for k, on in (("specaug", r.get("specaug")), (f"mixup {r.get('mixup_alpha')}", r.get("mixup_alpha")),
                                  (f"rir {r.get('rir_prob')}", r.get("rir_prob")),
                                  (f"pseudo {r.get('pseudo_speaker_prob')}", r.get("pseudo_speaker_prob")),
                                  (f"snr {r.get('snr_db', [5, 25])[0]:g}-{r.get('snr_db', [5, 25])[1]:g}",
                                   r.get("snr_db", [5.0, 25.0]) != [5.0, 25.0]),
                                  ("no synth", r.get("synthetic") is False),
                                  (f"ls {r.get('label_smoothing')}", r.get("label_smoothing", 0.1) != 0.1),
                                  (f"distill {(r.get('distill') or {}).get('weight')}", r.get("distill")),
                                  ("teacher", r.get("teacher"))) if on]
        worst = sorted(s["speaker_accuracy"].items(), key=lambda kv: kv[1])[:3]
        rows.append(f"| {s['tag']} | {r['model']} | {r['epochs']} | {', '.join(extras) or 'baseline'} | "
                    f"**{100 * s['mean']:.1f} ± {100 * s['ci95']:.1f}** | {paired_delta(s)} | {100 * s['pooled']:.1f} | "
                    f"{100 * s['speaker_mean']:.1f} | {' '.join(f'{100 * a:.1f}' for a in s['fold_accuracy'])} | "
                    f"{', '.join(f'{k} {100 * v:.0f}' for k, v in worst)} | {s['wall_time_s']} |")
    head = ("# Cross-validation of training recipes (cv.py)\n\n"
            "Speaker-disjoint folds over the 131 train + validation speakers (folds.py); the test split is never "
            "used. Accuracy on held-out folds, all 12 classes. mean ± 95 % interval over folds (Student t); "
            "pooled = all held-out clips together; speakers = mean of per-speaker accuracy; worst = the three "
            "speakers it hears worst; paired Δ = mean ± 95 % interval of the per-fold difference to the named "
            "baseline (same folds, so it resolves smaller differences than the two intervals do); wall = CPU-thread "
            "seconds summed over folds.\n\n"
            "| tag | model | epochs | recipe | **CV accuracy %** | paired Δ (points) | pooled | speakers | folds | worst speakers | wall s |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n")
    (CV_DIR / "CV.md").write_text(head + "\n".join(rows) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag")
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--baseline", help="recipe tag to compare with fold by fold in the table")
    ap.add_argument("--summarise", action="store_true", help="summarise existing fold reports only")
    ap.add_argument("--record", nargs="+", type=Path, metavar="MODEL",
                    help="write the CV figures of --tag (comma-separated tags allowed) into these model files")
    ap.add_argument("flags", nargs=argparse.REMAINDER, help="train.py flags after --")
    args = ap.parse_args()
    if args.table:
        write_table()
        return 0
    if not args.tag:
        ap.error("--tag is required")
    if args.record:
        for path in args.record:
            record_into(path, args.tag.split(","))
            print(f"cv: recorded {args.tag} in {path}")
        return 0
    flags = args.flags[1:] if args.flags[:1] == ["--"] else args.flags
    t0 = time.time()
    if not args.summarise:
        with ThreadPoolExecutor(args.jobs) as pool:
            codes = list(pool.map(lambda k: run_fold(args.tag, k, args.folds, flags), range(args.folds)))
        if any(codes):
            print(f"cv {args.tag}: folds failed with {codes}; logs in {CV_DIR / args.tag}", file=sys.stderr)
            return 1
    s = summarise(args.tag, args.folds, args.baseline)
    write_table()
    print(f"cv {args.tag}: {100 * s['mean']:.2f} ± {100 * s['ci95']:.2f} % (pooled {100 * s['pooled']:.2f}, "
          f"speakers {100 * s['speaker_mean']:.2f}) folds {s['fold_accuracy']} wall {time.time() - t0:.0f}s")
    return 0
