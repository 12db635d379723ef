"""Feature parity: Training/features.py (the training front end) against the engine.

1. Against `kws features FILE --out x.npy` (float32 98 x 40) on N real clips, when a built kws binary
   exists (.build/release/kws, .build/debug/kws, or --kws PATH).
2. Against the golden vectors in Tests/KWSAudioTests/Fixtures/mfcc/ (numpy float64 reference written
   from SPEC.md by another team member), when they exist.
Prints the max abs difference per source; exits 1 if one exceeds --tolerance.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

from .common import DATA_DIR, REPO_ROOT, read_split, read_wav
from .features import MFCC, mel_matrix


def find_kws(explicit: str | None) -> Path | None:
    candidates = [Path(explicit)] if explicit else [REPO_ROOT / ".build" / c / "kws" for c in ("release", "debug")]
    return next((p for p in candidates if p.is_file()), None)


def check_binary(kws: Path, count: int, frontend64: MFCC, frontend32: MFCC) -> tuple[float, float] | None:
    clips = read_split("test")[::max(1, len(read_split("test")) // count)][:count]
    worst64 = worst32 = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for rel in clips:
            out = Path(tmp) / "x.npy"
            run = subprocess.run([str(kws), "features", str(DATA_DIR / rel), "--out", str(out)],
                                 capture_output=True, text=True)
            if run.returncode != 0 or not out.exists():
                print(f"kws binary {kws}: `features` wrote no .npy for {rel} (rc {run.returncode}) {run.stderr.strip()}")
                return None
            swift = np.load(out).astype(np.float64)
            wave = torch.from_numpy(read_wav(DATA_DIR / rel)).unsqueeze(0)
            ours64 = frontend64(wave)[0].numpy()
            ours32 = frontend32(wave)[0].double().numpy()
            if swift.shape != ours64.shape:
                raise SystemExit(f"{rel}: kws gave shape {swift.shape}, training front end {ours64.shape}")
            worst64 = max(worst64, float(np.abs(swift - ours64).max()))
            worst32 = max(worst32, float(np.abs(swift - ours32).max()))
    print(f"kws binary {kws.relative_to(REPO_ROOT) if kws.is_relative_to(REPO_ROOT) else kws}: "
          f"{len(clips)} test clips, max |kws - torch64| = {worst64:.3e}, max |kws - torch32| = {worst32:.3e}")
    return worst64, worst32


def check_golden(folder: Path, frontend64: MFCC, frontend32: MFCC) -> tuple[float, float]:
    manifest = json.loads((folder / "manifest.json").read_text())
    mel = np.fromfile(folder / manifest["mel_matrices"]["tf-signal"]["file"], dtype="<f4").reshape(257, 64)
    mel_diff = float(np.abs(mel - mel_matrix(torch.float64).numpy()).max())
    worst64 = worst32 = 0.0
    for case in manifest["cases"]:
        x = torch.from_numpy(np.fromfile(folder / case["input"], dtype="<f4").copy()).unsqueeze(0)
        want = np.fromfile(folder / case["features"]["tf-signal"], dtype="<f4").astype(np.float64)
        want = want.reshape(case["frames"], -1)
        got64 = frontend64(x)[0].numpy()
        got32 = frontend32(x)[0].double().numpy()
        d64, d32 = float(np.abs(got64 - want).max()), float(np.abs(got32 - want).max())
        print(f"  golden {case['name']:14s} {case['frames']:4d} frames  max diff f64 {d64:.3e}  f32 {d32:.3e}")
        worst64, worst32 = max(worst64, d64), max(worst32, d32)
    print(f"golden fixtures: mel matrix max diff {mel_diff:.3e}; features max |golden - torch64| = {worst64:.3e}, "
          f"max |golden - torch32| = {worst32:.3e}")
    return worst64, worst32


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kws", help="path of the kws binary")
    ap.add_argument("--clips", type=int, default=20)
    ap.add_argument("--tolerance", type=float, default=1e-3, help="max abs diff allowed (float64 path)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    f64, f32 = MFCC(torch.float64), MFCC(torch.float32)
    worst, compared = 0.0, []
    kws = find_kws(args.kws)
    if kws is not None:
        result = check_binary(kws, args.clips, f64, f32)
        if result is not None:
            worst = max(worst, result[0])
            compared.append("kws binary")
    golden = REPO_ROOT / "Tests" / "KWSAudioTests" / "Fixtures" / "mfcc"
    if (golden / "manifest.json").exists():
        worst = max(worst, check_golden(golden, f64, f32)[0])
        compared.append("golden fixtures")
    if not compared:
        print("check_features: neither a kws binary nor golden fixtures found; nothing compared")
        return 1
    print(f"compared against: {', '.join(compared)}; worst {worst:.3e} (tolerance {args.tolerance:g})")
    return 0 if worst <= args.tolerance else 1
