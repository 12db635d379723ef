"""Markdown tables of the streaming benchmark for Models/README.md, from operating_points.py's reports.

Usage: python stream_table.py NAME...   (reads Models/training/NAME-stream.json)
"""
from __future__ import annotations

import json
import sys

from .common import MODELS_DIR


def row(name: str, budget: str, run: dict) -> str:
    bench = run["benchmark"]
    negative = next(f for f in bench["files"] if f["file"].endswith("negative.wav"))
    return (f"| {name} | {budget} | {bench['recall'] * 100:.1f}% ({bench['hits']}/{bench['events']}) "
            f"| {negative['false_alarms_per_hour']:.2f} ({negative['false_alarms']}) "
            f"| {bench['false_alarms_per_hour']:.2f} | {run['reversed']['false_alarms_per_hour']:.1f} "
            f"| {run['nearmiss']['false_alarms_per_hour']:.1f} "
            f"| {bench['timing_error_mean_s'] if bench['timing_error_mean_s'] is not None else '–'} |")


def main() -> int:
    print("| model | budget (FA/h, dev) | recall, planted test keywords | FA/h held-out negative (count) "
          "| FA/h both streams | FA/h reversed | FA/h near-miss | mean timing error (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sys.argv[1:]:
        report = json.loads((MODELS_DIR / "training" / f"{name}-stream.json").read_text())
        default = report["operating_points"]["default_false_alarms_per_hour"]
        print(row(name, f"**{default} (default)**", report["default"]))
        for budget, run in report["budgets"].items():
            if float(budget) != default:
                print(row(name, budget, run))
    return 0
