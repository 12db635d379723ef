"""Measures a model's operating points with the real streaming detector and writes them into the model file.

For each model file:
1. `kws eval --stream cache/bench/dev_negative.wav --sweep --json`: false alarms per hour of every keyword
   at every threshold of the sweep grid, on the DEV stream (held-out voices and words, 3 h) only;
2. `kws eval --stream cache/bench/positive.wav --truth cache/bench/positive.txt --sweep --json`: recall of
   every keyword at every threshold, on the test split's speakers planted in held-out speech;
3. writes the table (rows [threshold, recall, dev false alarms per hour]) into the file's `operating_points`
   metadata (Models/FORMAT.md) with the default budget DEFAULT_BUDGET (fixed before any benchmark ran).
   Thresholds are picked from the FA column alone, so no threshold is chosen on test speakers or on the
   benchmark streams;
4. scores the benchmark at the default operating point and at a few other budgets with plain `kws eval --stream`
   (negative.wav, positive.wav, reversed.wav, nearmiss.wav) and writes Models/training/<name>-stream.json,
   and the DET plot Models/training/<name>-det.svg.

Usage: python operating_points.py MODEL.safetensors... [--kws .build/release/kws]
"""
from __future__ import annotations

import argparse
import json
import struct
import subprocess
from pathlib import Path

from .bench_streams import BENCH_DIR
from .common import KEYWORDS, MODELS_DIR, REPO_ROOT

DEFAULT_BUDGET = 0.5       # false alarms per hour, all keywords together
REPORT_BUDGETS = [0.5, 1.0, 5.0, 20.0, 50.0]


def kws_eval(kws: str, model: Path, *args: str) -> dict:
    cmd = [kws, "eval", "--model", str(model), "--json", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"operating_points: {' '.join(cmd)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def rewrite_metadata(path: Path, key: str, value: str) -> None:
    """Sets one `__metadata__` entry; the tensor data and their offsets are untouched."""
    blob = path.read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8: 8 + n])
    header.setdefault("__metadata__", {})[key] = value
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(struct.pack("<Q", len(raw)) + raw + blob[8 + n:])
    tmp.replace(path)


def det_rows(positive_sweep: dict, negative_sweep: dict, keyword: str) -> list[list[float]]:
    """Rows `[threshold, recall, false alarms per hour]` of one keyword: recall from the sweep of a stream
    with truth, false alarms from the sweep of a keyword-free stream (both `kws eval --sweep --json`)."""
    fa = {round(r[0], 4): r[2] for r in negative_sweep["keywords"][keyword]}
    return [[r[0], r[1], fa[round(r[0], 4)]] for r in positive_sweep["keywords"][keyword]]


def table(kws: str, model: Path) -> dict:
    dev = kws_eval(kws, model, "--stream", str(BENCH_DIR / "dev_negative.wav"), "--sweep")
    pos = kws_eval(kws, model, "--stream", str(BENCH_DIR / "positive.wav"), "--truth",
                   str(BENCH_DIR / "positive.txt"), "--sweep")
    rows = {kw: det_rows(pos, dev, kw) for kw in KEYWORDS}
    summary = json.loads((BENCH_DIR / "summary.json").read_text())
    return {"version": 1, "hop_ms": 100, "smoothing_ms": 300, "refractory_ms": 500,
            "negative_hours": summary["dev_negative.wav"], "positive_events": summary["positive_events"],
            "source": "false alarms: Training/bench_streams.py dev_negative.wav (held-out TTS voices and words, "
                      "3 h, test-split noise); recall: positive.wav (the 444 test-split keyword clips next to "
                      "held-out speech or pauses); kws eval --stream --sweep",
            "default_false_alarms_per_hour": DEFAULT_BUDGET, "keywords": rows}


def score(kws: str, model: Path, *flags: str) -> dict:
    pos = kws_eval(kws, model, "--stream", str(BENCH_DIR / "positive.wav"), "--truth", str(BENCH_DIR / "positive.txt"),
                   "--negative", str(BENCH_DIR / "negative.wav"), *flags)
    extra = {name: kws_eval(kws, model, "--stream", str(BENCH_DIR / f"{name}.wav"), *flags)
             for name in ("reversed", "nearmiss")}
    return {"flags": list(flags), "benchmark": pos, **extra}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    args = ap.parse_args()
    for model in args.models:
        points = table(args.kws, model)
        rewrite_metadata(model, "operating_points", json.dumps(points, separators=(",", ":")))
        report = {"model": model.name, "operating_points": points,
                  "default": score(args.kws, model),
                  "budgets": {str(b): score(args.kws, model, "--false-alarms-per-hour", str(b)) for b in REPORT_BUDGETS}}
        kws_eval(args.kws, model, "--stream", str(BENCH_DIR / "positive.wav"), "--truth", str(BENCH_DIR / "positive.txt"),
                 "--negative", str(BENCH_DIR / "negative.wav"), "--plot",
                 str(MODELS_DIR / "training" / f"{model.stem}-det.svg"))
        out = MODELS_DIR / "training" / f"{model.stem}-stream.json"
        out.write_text(json.dumps(report, indent=1) + "\n")
        bench = report["default"]["benchmark"]
        print(f"operating_points: {model.name}: default operating point: recall {bench['recall']:.4f}, "
              f"{bench['false_alarms_per_hour']:.2f} false alarms per hour (benchmark); reversed "
              f"{report['default']['reversed']['false_alarms_per_hour']:.2f}/h, near-miss "
              f"{report['default']['nearmiss']['false_alarms_per_hour']:.2f}/h; report {out.relative_to(REPO_ROOT)}")
    return 0
