"""Runs an exported model file with a from-scratch numpy forward pass written from Models/FORMAT.md
(not from model.py) and compares its posteriors with the trainer's test predictions in
Models/training/<name>.json. Catches export mistakes (names, layouts, padding, BN, shortcut ReLU).

Usage: python verify_export.py [names...]   (default: the four float models that exist)
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from .common import DATA_DIR, MODELS_DIR, read_wav
from .export import read_safetensors
from .features import MFCC
from .model import MODEL_SPECS


def conv1d(x: np.ndarray, w: np.ndarray, stride: int) -> np.ndarray:
    """x [C_in, T], w [C_out, C_in, K]; pads K//2 both sides; output length floor((T + 2p - K)/s) + 1."""
    k = w.shape[2]
    p = k // 2
    xp = np.pad(x, ((0, 0), (p, p)))
    t_out = (x.shape[1] + 2 * p - k) // stride + 1
    cols = np.stack([xp[:, i * stride: i * stride + k] for i in range(t_out)])  # [T_out, C_in, K]
    return np.einsum("tck,ock->ot", cols, w)


def bn(x: np.ndarray, t: dict, prefix: str, eps: float) -> np.ndarray:
    g, b = t[prefix + ".weight"], t[prefix + ".bias"]
    m, v = t[prefix + ".running_mean"], t[prefix + ".running_var"]
    return (x - m[:, None]) / np.sqrt(v[:, None] + eps) * g[:, None] + b[:, None]


def forward(t: dict, eps: float, mfcc: np.ndarray) -> np.ndarray:
    """mfcc [98, 40] time-major -> softmax [labels]."""
    relu = lambda a: np.maximum(a, 0.0)
    x = relu(bn(conv1d(mfcc.T.astype(np.float64), t["stem.conv.weight"], 1), t, "stem.bn", eps))
    i = 0
    while f"blocks.{i}.conv1.weight" in t:
        w1 = t[f"blocks.{i}.conv1.weight"]
        projection = w1.shape[0] != w1.shape[1]
        stride = 2 if projection else 1
        y = relu(bn(conv1d(x, w1, stride), t, f"blocks.{i}.bn1", eps))
        y = bn(conv1d(y, t[f"blocks.{i}.conv2.weight"], 1), t, f"blocks.{i}.bn2", eps)
        s = relu(bn(conv1d(x, t[f"blocks.{i}.shortcut.conv.weight"], 2), t, f"blocks.{i}.shortcut.bn", eps)) \
            if projection else x
        x = relu(y + s)
        i += 1
    logits = t["fc.weight"] @ x.mean(axis=1)
    e = np.exp(logits - logits.max())
    return e / e.sum()


def verify(name: str, count: int = 40) -> float:
    tensors, meta = read_safetensors(MODELS_DIR / f"{name}.safetensors")
    t = {k: v.astype(np.float64) for k, v in tensors.items()}
    labels = json.loads(meta["labels"])
    report = json.loads((MODELS_DIR / "training" / f"{name}.json").read_text())
    preds = report["test_predictions"][:: max(1, len(report["test_predictions"]) // count)][:count]
    front = MFCC(torch.float64)
    worst, agree = 0.0, 0
    for path, label, prob in preds:
        mfcc = front(torch.from_numpy(read_wav(DATA_DIR / path)).unsqueeze(0))[0].numpy()
        p = forward(t, float(meta["bn_epsilon"]), mfcc)
        agree += labels[int(p.argmax())] == label
        worst = max(worst, abs(float(p.max()) - prob))
    print(f"{name}: {len(preds)} test clips, numpy forward agrees on the top label for {agree}, "
          f"max |p_top numpy - p_top torch| = {worst:.2e} (torch posteriors stored to 4 decimals)")
    assert agree == len(preds), f"{name}: numpy and torch disagree on {len(preds) - agree} clips"
    return worst


def main() -> int:
    names = sys.argv[1:] or [n for n in MODEL_SPECS if (MODELS_DIR / f"{n}.safetensors").exists()]
    worst = max(verify(n) for n in names)
    return 0 if worst < 1e-3 else 1
