"""The engine fixture for the precision-highway models: for a few test-split clips, the MFCC windows
(features.py, float32) and, per shipped Models/<model>-hw<k>.safetensors, what the numpy integer network of
highway_int.py computes from the file (logits, time sums, every activation tensor of the first clip) and what
the fake-quantized PyTorch network of the training run computes (Training/runs/<run>.pt).
Writes Tests/KWSRuntimeTests/Fixtures/highway/{inputs.f32,expected.json}. Usage: python highway_fixture.py
"""
from __future__ import annotations

import base64
import json

import numpy as np
import torch

from . import highway_int
from .common import DATA_DIR, LABELS, MODELS_DIR, REPO_ROOT, RUNS_DIR, label_of, read_split
from .features import MFCC
from .qat import load_float
from .qat_model import QATTCResNet
from .data import load_clips

OUT = REPO_ROOT / "Tests" / "KWSRuntimeTests" / "Fixtures" / "highway"
CLIPS = 8


def main() -> int:
    torch.set_num_threads(1)
    test = read_split("test")
    # One clip of each of the first CLIPS labels, the first listed: a fixed, label-diverse choice.
    clips = [next(p for p in test if label_of(p) == label) for label in LABELS[:CLIPS]]
    feats = MFCC(torch.float32)(load_clips(clips, DATA_DIR))  # [N, 98, 40] time-major
    OUT.mkdir(parents=True, exist_ok=True)
    feats.numpy().astype("<f4").tofile(OUT / "inputs.f32")
    models = {}
    for path in sorted(MODELS_DIR.glob("*-hw[0-9].safetensors")):
        name = path.stem
        net = highway_int.IntegerNetwork(path)
        logits, sums, trace = net.run(feats.numpy())
        saved = torch.load(RUNS_DIR / f"{name}.pt", weights_only=False)
        base = name.rsplit("-hw", 1)[0]
        student = QATTCResNet(load_float(base), net.bits, True, saved["input_scale"], saved["input_zero_point"])
        student.load_state_dict(saved["state"])
        student.eval()
        with torch.no_grad():
            fake = student(feats.transpose(1, 2).contiguous()).numpy()
        models[name] = {
            "logits": [[float(v) for v in row] for row in logits.astype(np.float32)],
            "time_sums": sums.tolist(),
            "fake_quant_logits": [[round(float(v), 6) for v in row] for row in fake],
            "trace": {k: base64.b64encode(v[0].astype(np.uint8).tobytes()).decode() for k, v in trace.items()},
            "trace_shapes": {k: list(v[0].shape) for k, v in trace.items()},
        }
        print(f"{name}: max |integer - fake-quant| logit {np.abs(logits - fake).max():.4f}, "
              f"top-1 agreement {(logits.argmax(1) == fake.argmax(1)).mean():.3f}")
    index = {"inputs": "inputs.f32", "clips": clips, "windows": len(clips), "frames": int(feats.shape[1]),
             "coefficients": int(feats.shape[2]), "models": models}
    (OUT / "expected.json").write_text(json.dumps(index, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.relative_to(REPO_ROOT)}: {len(clips)} clips, {len(models)} models")
    return 0
