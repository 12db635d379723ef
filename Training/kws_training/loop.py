"""The training loop's parts every recipe shares: seeding, the warm-up + cosine learning rate, weight
averaging (SWA), BatchNorm recalibration and evaluation."""
from __future__ import annotations

import math
import random

import numpy as np
import torch
import torch.nn.functional as F



def seed_all(seed: int, threads: int) -> torch.Generator:
    """Seeds torch, random and numpy and sets torch's thread count (both fix the weights); returns the
    generator that draws the data."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    return torch.Generator().manual_seed(seed)


def evaluate(model, feats: torch.Tensor, labels: torch.Tensor) -> tuple[float, float, torch.Tensor]:
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(feats[i: i + 256]) for i in range(0, len(feats), 256)])
    loss = F.cross_entropy(logits, labels).item()
    probs = logits.softmax(dim=1)
    acc = (probs.argmax(dim=1) == labels).float().mean().item()
    return acc, loss, probs


def lr_at(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return peak * 0.5 * (1.0 + math.cos(math.pi * t))


class WeightAverage:
    """Equal-weight running mean of the parameters (not the BN buffers, which are recomputed afterwards)."""

    def __init__(self):
        self.mean, self.count = None, 0

    def add(self, model: torch.nn.Module) -> None:
        params = {n: p.detach() for n, p in model.named_parameters()}
        self.count += 1
        if self.mean is None:
            self.mean = {n: p.clone() for n, p in params.items()}
        else:
            for n, p in params.items():
                self.mean[n] += (p - self.mean[n]) / self.count

    def load_into(self, model: torch.nn.Module) -> None:
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(self.mean[n])


def recalibrate_bn(model: torch.nn.Module, batches) -> int:
    """Replaces BN running statistics with their plain average over `batches` (train-mode forward, no
    gradient): the averaged weights never produced the running statistics the last step left behind."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
    model.train()
    n = 0
    with torch.no_grad():
        for feats in batches:
            model(feats)
            n += 1
    for m, momentum in zip(bns, saved):
        m.momentum = momentum
    return n
