"""Compares always-on recipes the way their decisions are taken: on the DEV streams only.

For each model file, `kws eval --stream dev_positive.wav --truth … --negative dev_negative.wav --sweep --json`
(float engine, default detector settings), then the best DEV recall at a few false-alarm budgets, one
threshold for every keyword (the sweep's `total` rows; false alarms per hour of both DEV streams together).
No test speaker and no benchmark stream is read.

Usage: python dev_compare.py MODEL.safetensors... [--kws ../.build/release/kws]
"""
from __future__ import annotations

import argparse
import sys

from bench_streams import BENCH_DIR
from common import REPO_ROOT
from operating_points import kws_eval

BUDGETS = [1, 2, 5, 10, 20, 50]


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    args = ap.parse_args()
    print("| model | " + " | ".join(f"≤ {b}/h" for b in BUDGETS) + " |")
    print("|---|" + "---|" * len(BUDGETS))
    for model in args.models:
        cells = [f"{c[0] * 100:.1f} % ({c[1]})" if c else "—" for c in dev_recall(args.kws, model)]
        print(f"| {model} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
