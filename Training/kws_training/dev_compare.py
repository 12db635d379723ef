"""Compares always-on recipes the way their decisions are taken: on the DEV streams only.

For each model file, `kws eval --stream … --sweep --json` on the DEV streams (float engine, default detector
settings), then two tables of DEV recall at a few false-alarm budgets:
- one threshold for every keyword, the best within each budget (the sweep's `total` rows; false alarms per
  hour of both DEV streams together);
- `--operating-points`: the thresholds the runtime would pick for each budget (OperatingPoints+Budget.swift:
  the budget split evenly over the keywords, each keyword's lowest threshold from whose row on its false
  alarms on dev_negative.wav stay within its share), and the mean DEV recall over keywords at them.
No test speaker and no benchmark stream is read.

Usage: python dev_compare.py MODEL.safetensors... [--operating-points] [--kws ../.build/release/kws]
"""
from __future__ import annotations

import argparse

from .bench_streams import BENCH_DIR
from .common import REPO_ROOT
from .common import KEYWORDS
from .operating_points import kws_eval

BUDGETS = [1, 2, 5, 10, 20, 50]
OPERATING_BUDGETS = [0.5, 1, 2, 5, 10, 20]


def dev_recall(kws: str, model: str) -> list[tuple[float, float] | None]:
    """(recall, threshold) of the best uniform threshold within each budget, None where none is."""
    sweep = kws_eval(kws, model, "--engine", "float", "--stream", str(BENCH_DIR / "dev_positive.wav"),
                     "--truth", str(BENCH_DIR / "dev_positive.txt"), "--negative", str(BENCH_DIR / "dev_negative.wav"),
                     "--sweep")["total"]
    out = []
    for budget in BUDGETS:
        within = [(recall, threshold) for threshold, recall, per_hour in sweep if per_hour <= budget]
        out.append(max(within) if within else None)
    return out


def dev_operating_points(kws: str, model: str) -> list[tuple[float, float]]:
    """(mean DEV recall, DEV-negative false alarms per hour) at the runtime's per-keyword thresholds per budget."""
    neg = kws_eval(kws, model, "--engine", "float", "--stream", str(BENCH_DIR / "dev_negative.wav"), "--sweep")
    pos = kws_eval(kws, model, "--engine", "float", "--stream", str(BENCH_DIR / "dev_positive.wav"),
                   "--truth", str(BENCH_DIR / "dev_positive.txt"), "--sweep")
    out = []
    for budget in OPERATING_BUDGETS:
        share, recalls, false_alarms = budget / len(KEYWORDS), [], 0.0
        for kw in KEYWORDS:
            rows = neg["keywords"][kw]
            recall_at = {round(r[0], 4): r[1] for r in pos["keywords"][kw]}
            first_within = max((i for i, r in enumerate(rows) if r[2] > share), default=-1) + 1
            if first_within >= len(rows):
                recalls.append(0.0)      # the table does not reach this share: the keyword never fires
                continue
            threshold, _, per_hour = rows[first_within]
            recalls.append(recall_at[round(threshold, 4)])
            false_alarms += per_hour
        out.append((sum(recalls) / len(recalls), false_alarms))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    ap.add_argument("--operating-points", action="store_true",
                    help="recall at the runtime's per-keyword thresholds instead of one threshold for all")
    args = ap.parse_args()
    if args.operating_points:
        print("| model | " + " | ".join(f"{b}/h" for b in OPERATING_BUDGETS) + " |")
        print("|---|" + "---|" * len(OPERATING_BUDGETS))
        for model in args.models:
            cells = [f"{recall * 100:.1f} % ({per_hour:.2f}/h)" for recall, per_hour in dev_operating_points(args.kws, model)]
            print(f"| {model} | " + " | ".join(cells) + " |", flush=True)
        return 0
    print("| model | " + " | ".join(f"≤ {b}/h" for b in BUDGETS) + " |")
    print("|---|" + "---|" * len(BUDGETS))
    for model in args.models:
        cells = [f"{c[0] * 100:.1f} % ({c[1]})" if c else "—" for c in dev_recall(args.kws, model)]
        print(f"| {model} | " + " | ".join(cells) + " |", flush=True)
    return 0
