"""Per-batch waveform augmentation for training (never applied to validation or test).

Order per example: speed/pitch perturbation (resampling by 0.9-1.1), gain, +-100 ms shift, background
noise from TRAIN-split `_silence_` clips (p = 0.8; half of those at TF's volume U[0, 0.1), half at an SNR
of U[5, 25] dB against the speech), clip to [-1, 1]. Silence-class examples are built separately.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from common import CLIP_SAMPLES

SHIFT = 1600
NOISE_PROB = 0.8
NOISE_MAX_VOLUME = 0.1
SNR_DB = (5.0, 25.0)
SPEED = (0.9, 1.1)
SPEED_PROB = 0.6
GAIN_DB = (-12.0, 6.0)


def speed_perturb(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Resamples each clip by its own factor (tempo and pitch together), re-centred to 16000 samples."""
    out = x.clone()
    apply = torch.rand(len(x), generator=gen) < SPEED_PROB
    factors = torch.empty(len(x)).uniform_(*SPEED, generator=gen)
    for i in torch.nonzero(apply).flatten().tolist():
        n = int(round(CLIP_SAMPLES / factors[i].item()))
        y = F.interpolate(x[i].view(1, 1, -1), size=n, mode="linear", align_corners=False).view(-1)
        if n >= CLIP_SAMPLES:
            start = (n - CLIP_SAMPLES) // 2
            out[i] = y[start: start + CLIP_SAMPLES]
        else:
            pad = CLIP_SAMPLES - n
            out[i] = F.pad(y, (pad // 2, pad - pad // 2))
    return out


def time_shift(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shifts each clip by an integer in [-1600, 1600) samples with zero fill (TC-ResNet's rule)."""
    n = x.shape[1]
    shifts = torch.randint(-SHIFT, SHIFT, (len(x),), generator=gen)
    idx = torch.arange(n).unsqueeze(0) - shifts.unsqueeze(1)
    valid = (idx >= 0) & (idx < n)
    return torch.where(valid, torch.gather(x, 1, idx.clamp(0, n - 1)), torch.zeros(()))


def random_crops(noise_bank: torch.Tensor, count: int, gen: torch.Generator) -> torch.Tensor:
    """`count` noise clips: random bank entries, circularly rotated by a random offset."""
    pick = torch.randint(0, len(noise_bank), (count,), generator=gen)
    offset = torch.randint(0, noise_bank.shape[1], (count,), generator=gen)
    idx = (torch.arange(noise_bank.shape[1]).unsqueeze(0) + offset.unsqueeze(1)) % noise_bank.shape[1]
    return torch.gather(noise_bank[pick], 1, idx)


def rms(x: torch.Tensor) -> torch.Tensor:
    return x.square().mean(dim=1, keepdim=True).sqrt().clamp_min(1e-8)


def add_noise(x: torch.Tensor, noise_bank: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    noise = random_crops(noise_bank, len(x), gen)
    noise = noise / noise.abs().amax(dim=1, keepdim=True).clamp_min(1e-6)  # peak-normalised noise
    apply = (torch.rand(len(x), 1, generator=gen) < NOISE_PROB).float()
    volume = torch.rand(len(x), 1, generator=gen) * NOISE_MAX_VOLUME
    snr = torch.empty(len(x), 1).uniform_(*SNR_DB, generator=gen)
    snr_scale = rms(x) / rms(noise) * torch.pow(10.0, -snr / 20.0)
    use_snr = (torch.rand(len(x), 1, generator=gen) < 0.5).float()
    scale = apply * (use_snr * snr_scale + (1 - use_snr) * volume)
    return x + scale * noise


def augment_speech(x: torch.Tensor, noise_bank: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    x = speed_perturb(x, gen)
    gain_db = torch.empty(len(x), 1).uniform_(*GAIN_DB, generator=gen)
    x = x * torch.pow(10.0, gain_db / 20.0)
    x = time_shift(x, gen)
    x = add_noise(x, noise_bank, gen)
    return x.clamp(-1.0, 1.0)


def make_silence(count: int, noise_bank: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Silence examples: train `_silence_` noise at a random gain (log-uniform 0.01-1.5, sometimes two
    clips mixed), or digital near-silence (zeros or faint white noise)."""
    noise = random_crops(noise_bank, count, gen)
    second = random_crops(noise_bank, count, gen) * (torch.rand(count, 1, generator=gen) < 0.3).float()
    gain = torch.pow(10.0, torch.empty(count, 1).uniform_(-2.0, 0.18, generator=gen))
    x = (noise + 0.5 * second) * gain
    digital = (torch.rand(count, 1, generator=gen) < 0.15).float()
    faint = torch.randn(count, noise_bank.shape[1], generator=gen) * torch.rand(count, 1, generator=gen) * 1e-3
    return (digital * faint + (1 - digital) * x).clamp(-1.0, 1.0)
