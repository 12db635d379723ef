"""The distillation teacher: a small head on openWakeWord's speech embeddings (embeddings.py).

The embedding network heard far more people than our 131 training speakers, so a head on top of it can
generalise to new voices better than a TC-ResNet trained from scratch; its soft labels then train the
students (train.py --distill). Head: LayerNorm over the 9 x 96 embedding, Linear 864 -> 256, ReLU,
dropout 0.3, Linear 256 -> 12; AdamW lr 2e-3, weight decay 1e-2, 40 epochs of batch 128, seeded. Its
training data: the real clips of its folds, their first two pseudo-speaker conversions (pseudo.py) and
the synthetic clips (synth.py), each synthetic clip dealt to a group i mod 5 that acts as its fold.

Heads are trained per excluded set of folds E, on everything outside E:
- E = {k}: the teacher of CV fold k, scored on fold k (cv/teacher/fold-k.json, the CV table row), and the
  soft labels of fold k's clips for the final students (each clip labelled by a head that never saw its
  speaker);
- E = {j, k}: soft labels of fold j's clips for the CV student of fold k (cross-fitted, so a student's
  targets never come from a head that trained on the same clip, and fold k stays unseen).
Writes cache/teacher/soft.npz: for every target ("final", "fold-0".."fold-4") the teacher logits of every
train + validation entry and every synthetic clip (rows in real.json / synth.json order). The test split
is scored once by the E = {} head trained on all folds, for the report only.

Usage: python teacher.py
"""
from __future__ import annotations

import json
import time
from itertools import combinations

import numpy as np
import torch
import torch.nn.functional as F

from .common import CACHE_DIR, LABELS, label_of, read_split
from .cv import CV_DIR
from .embeddings import EMB, WINDOWS, load_embeddings
from .folds import DEFAULT_FOLDS, cv_folds, speaker_of

SOFT_PATH = CACHE_DIR / "teacher" / "soft.npz"
SEED, EPOCHS, BATCH = 5, 40, 128


class Head(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.LayerNorm(WINDOWS * EMB),
                                       torch.nn.Linear(WINDOWS * EMB, 256), torch.nn.ReLU(),
                                       torch.nn.Dropout(0.3), torch.nn.Linear(256, len(LABELS)))

    def forward(self, x):
        return self.net(x)


def train_head(x: np.ndarray, y: np.ndarray, seed: int) -> Head:
    torch.manual_seed(seed)
    head = Head()
    opt = torch.optim.AdamW(head.parameters(), lr=2e-3, weight_decay=1e-2)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    steps = EPOCHS * ((len(xt) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    head.train()
    for _ in range(EPOCHS):
        order = torch.randperm(len(xt), generator=gen)
        for b in range(0, len(order), BATCH):
            idx = order[b: b + BATCH]
            loss = F.cross_entropy(head(xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    head.eval()
    return head


def logits_of(head: Head, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return torch.cat([head(torch.from_numpy(x[i: i + 1024])) for i in range(0, len(x), 1024)]).numpy()


def main() -> int:
    torch.set_num_threads(1)
    t0 = time.time()
    real_entries, real = load_embeddings("real")
    synth_entries, synth = load_embeddings("synth")
    pseudo_entries, pseudo = load_embeddings("pseudo")
    fold_of = cv_folds(DEFAULT_FOLDS)
    label = lambda e: LABELS.index(label_of(e))  # noqa: E731
    cv_rows = [i for i, e in enumerate(real_entries) if e in fold_of]
    real_fold = np.array([fold_of.get(e, -1) for e in real_entries])
    real_y = np.array([label(e) for e in real_entries])
    synth_fold = np.arange(len(synth_entries)) % DEFAULT_FOLDS
    synth_y = np.array([label(e) for e in synth_entries])
    pseudo_fold = np.array([fold_of[e.split("#")[0]] for e in pseudo_entries])
    pseudo_y = np.array([label(e) for e in pseudo_entries])

    def head_without(excluded: set[int], seed: int) -> Head:
        keep_r = (real_fold >= 0) & ~np.isin(real_fold, list(excluded))
        keep_s = ~np.isin(synth_fold, list(excluded))
        keep_p = ~np.isin(pseudo_fold, list(excluded))
        x = np.concatenate([real[keep_r], synth[keep_s], pseudo[keep_p]])
        y = np.concatenate([real_y[keep_r], synth_y[keep_s], pseudo_y[keep_p]])
        return train_head(x, y, seed)

    folds = range(DEFAULT_FOLDS)
    heads = {frozenset([k]): head_without({k}, SEED + k) for k in folds}
    heads.update({frozenset(p): head_without(set(p), SEED + 10 + 10 * p[0] + p[1]) for p in combinations(folds, 2)})
    print(f"teacher: {len(heads)} heads in {time.time() - t0:.0f}s", flush=True)

    real_logits = {E: logits_of(h, real) for E, h in heads.items()}
    synth_logits = {E: logits_of(h, synth) for E, h in heads.items()}

    # CV rows of the teacher itself: fold k scored by the head that excluded only k.
    CV_DIR.joinpath("teacher").mkdir(parents=True, exist_ok=True)
    for k in folds:
        rows = [i for i in cv_rows if real_fold[i] == k]
        probs = torch.from_numpy(real_logits[frozenset([k])][rows]).softmax(dim=1)
        pred = probs.argmax(dim=1).numpy()
        acc = float((pred == real_y[rows]).mean())
        report = {"tag": "teacher", "fold": k, "folds": DEFAULT_FOLDS, "accuracy": round(acc, 4), "loss": None,
                  "recipe": {"model": "oww-embedding head", "epochs": EPOCHS, "teacher": True}, "seed": SEED,
                  "wall_time_s": 0, "git_commit": "",
                  "predictions": [[real_entries[i], speaker_of(real_entries[i]), LABELS[real_y[i]], LABELS[pred[j]],
                                   round(float(probs[j, pred[j]]), 4)] for j, i in enumerate(rows)]}
        (CV_DIR / "teacher" / f"fold-{k}.json").write_text(json.dumps(report) + "\n")
        print(f"teacher fold {k}: {acc:.4f}", flush=True)

    # Soft labels: target "fold-k" (CV student k) and "final" (students trained on every fold).
    soft = {}
    for target in ["final", *(f"fold-{k}" for k in folds)]:
        k = None if target == "final" else int(target.split("-")[1])
        r = np.zeros((len(real_entries), len(LABELS)), dtype=np.float32)
        s = np.zeros((len(synth_entries), len(LABELS)), dtype=np.float32)
        for j in folds:
            E = frozenset([j] if k is None or j == k else [j, k])
            r[real_fold == j] = real_logits[E][real_fold == j]
            s[synth_fold == j] = synth_logits[E][synth_fold == j]
        soft[f"{target}/real"], soft[f"{target}/synth"] = r, s
    SOFT_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez(SOFT_PATH, **soft)
    (SOFT_PATH.parent / "entries.json").write_text(json.dumps({"real": real_entries, "synth": synth_entries}) + "\n")

    full = head_without(set(), SEED + 99)
    test = [i for i, e in enumerate(real_entries) if e in set(read_split("test"))]
    acc = float((logits_of(full, real[test]).argmax(axis=1) == real_y[test]).mean())
    print(f"teacher (all folds) test accuracy {acc:.4f} on {len(test)} clips; soft labels -> {SOFT_PATH}; "
          f"{time.time() - t0:.0f}s")
    return 0
