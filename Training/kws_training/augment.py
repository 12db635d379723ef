"""Per-batch waveform augmentation for training (never applied to validation or test).

Order per example: speed/pitch perturbation (resampling by 0.9-1.1), gain, +-100 ms shift, optionally a
synthetic room (Augmentation.rir_prob), background noise from TRAIN-split `_silence_` clips (p = 0.8; half
of those at TF's volume U[0, 0.1), half at an SNR of U[5, 25] dB, or Augmentation.snr_db, against the
speech), clip to [-1, 1]. Silence-class examples are built separately. `spec_augment` masks the features.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .common import CACHE_DIR, SAMPLE_RATE

SHIFT = 1600
NOISE_PROB = 0.8
NOISE_MAX_VOLUME = 0.1
SNR_DB = (5.0, 25.0)
SPEED = (0.9, 1.1)
RIR_COUNT = 400
RIR_SEED = 31
RIR_SAMPLES = 8000  # 0.5 s of tail is enough for RT60 up to ~0.9 s at the -40 dB point
SPEED_PROB = 0.6
GAIN_DB = (-12.0, 6.0)


def speed_perturb(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Resamples each clip by its own factor (tempo and pitch together), re-centred to its length."""
    out, length = x.clone(), x.shape[1]
    apply = torch.rand(len(x), generator=gen) < SPEED_PROB
    factors = torch.empty(len(x)).uniform_(*SPEED, generator=gen)
    for i in torch.nonzero(apply).flatten().tolist():
        n = int(round(length / factors[i].item()))
        y = F.interpolate(x[i].view(1, 1, -1), size=n, mode="linear", align_corners=False).view(-1)
        if n >= length:
            start = (n - length) // 2
            out[i] = y[start: start + length]
        else:
            pad = length - n
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


@dataclass(frozen=True)
class Augmentation:
    """The optional parts of the recipe (train.py flags); the defaults are the shipped recipe."""
    snr_db: tuple[float, float] = SNR_DB
    rir_prob: float = 0.0
    rir_bank: torch.Tensor | None = None


def room_impulse_responses() -> torch.Tensor:
    """RIR_COUNT impulse responses of random shoebox rooms (pyroomacoustics image source method), each
    starting at its direct path and scaled to unit energy; cached in cache/rir.npy."""
    path = CACHE_DIR / "rir.npy"
    if path.exists():
        return torch.from_numpy(np.load(path))
    import pyroomacoustics as pra
    rng = np.random.default_rng(RIR_SEED)
    bank = np.zeros((RIR_COUNT, RIR_SAMPLES), dtype=np.float32)
    for i in range(RIR_COUNT):
        dims = rng.uniform([3.0, 3.0, 2.4], [10.0, 8.0, 4.0])
        rt60 = rng.uniform(0.15, 0.9)
        absorption, order = pra.inverse_sabine(rt60, dims)
        room = pra.ShoeBox(dims, fs=SAMPLE_RATE, materials=pra.Material(absorption), max_order=min(order, 17))
        src = rng.uniform(0.5, dims - 0.5)
        mic = rng.uniform(0.5, dims - 0.5)
        room.add_source(src)
        room.add_microphone(mic)
        room.compute_rir()
        h = np.asarray(room.rir[0][0], dtype=np.float64)
        h = h[int(np.argmax(np.abs(h))):][:RIR_SAMPLES]
        bank[i, :len(h)] = h / np.sqrt((h ** 2).sum())
    CACHE_DIR.mkdir(exist_ok=True)
    np.save(path, bank)
    return torch.from_numpy(bank)


def reverberate(x: torch.Tensor, bank: torch.Tensor, prob: float, gen: torch.Generator) -> torch.Tensor:
    """Convolves a `prob` share of the clips with random bank responses (FFT, truncated to the clip),
    keeping each clip's RMS level."""
    apply = torch.nonzero(torch.rand(len(x), generator=gen) < prob).flatten()
    if len(apply) == 0:
        return x
    h = bank[torch.randint(0, len(bank), (len(apply),), generator=gen)]
    n = x.shape[1] + h.shape[1]
    wet = torch.fft.irfft(torch.fft.rfft(x[apply], n) * torch.fft.rfft(h, n), n)[:, : x.shape[1]]
    out = x.clone()
    out[apply] = wet * (rms(x[apply]) / rms(wet))
    return out


def spec_augment(feats: torch.Tensor, gen: torch.Generator, time_masks: int = 2, time_width: int = 10,
                 freq_masks: int = 2, freq_width: int = 4) -> torch.Tensor:
    """SpecAugment (Park et al. 2019) on [N, coefficients, frames] features: masks of up to `time_width`
    frames and `freq_width` coefficients, filled with the example's mean of each coefficient (an MFCC of
    zero is not "nothing": coefficient 0 sits far below it)."""
    n, c, t = feats.shape
    mean = feats.mean(dim=2, keepdim=True).expand(n, c, t)
    mask = torch.zeros(n, c, t, dtype=torch.bool)
    frames, coeffs = torch.arange(t), torch.arange(c)
    for _ in range(time_masks):
        w = torch.randint(0, time_width + 1, (n, 1), generator=gen)
        s = (torch.rand(n, 1, generator=gen) * (t - w + 1)).long()
        mask |= ((frames >= s) & (frames < s + w)).unsqueeze(1)
    for _ in range(freq_masks):
        w = torch.randint(0, freq_width + 1, (n, 1), generator=gen)
        s = (torch.rand(n, 1, generator=gen) * (c - w + 1)).long()
        mask |= ((coeffs >= s) & (coeffs < s + w)).unsqueeze(2)
    return torch.where(mask, mean, feats)


def add_noise(x: torch.Tensor, noise_bank: torch.Tensor, gen: torch.Generator,
              snr_db: tuple[float, float] = SNR_DB) -> torch.Tensor:
    noise = random_crops(noise_bank, len(x), gen)
    noise = noise / noise.abs().amax(dim=1, keepdim=True).clamp_min(1e-6)  # peak-normalised noise
    apply = (torch.rand(len(x), 1, generator=gen) < NOISE_PROB).float()
    volume = torch.rand(len(x), 1, generator=gen) * NOISE_MAX_VOLUME
    snr = torch.empty(len(x), 1).uniform_(*snr_db, generator=gen)
    snr_scale = rms(x) / rms(noise) * torch.pow(10.0, -snr / 20.0)
    use_snr = (torch.rand(len(x), 1, generator=gen) < 0.5).float()
    scale = apply * (use_snr * snr_scale + (1 - use_snr) * volume)
    return x + scale * noise


def augment_speech(x: torch.Tensor, noise_bank: torch.Tensor, gen: torch.Generator,
                   aug: Augmentation = Augmentation()) -> torch.Tensor:
    x = speed_perturb(x, gen)
    gain_db = torch.empty(len(x), 1).uniform_(*GAIN_DB, generator=gen)
    x = x * torch.pow(10.0, gain_db / 20.0)
    x = time_shift(x, gen)
    if aug.rir_prob > 0 and aug.rir_bank is not None:
        x = reverberate(x, aug.rir_bank, aug.rir_prob, gen)
    x = add_noise(x, noise_bank, gen, aug.snr_db)
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


def augment_batch(clips: torch.Tensor, is_silence: torch.Tensor, noise_bank: torch.Tensor, gen: torch.Generator,
                  aug: Augmentation = Augmentation()) -> torch.Tensor:
    """One training batch: every clip through augment_speech, then the `_silence_` rows replaced by make_silence,
    drawing from `gen` in that order (the recipes' exact weights depend on it)."""
    waves = augment_speech(clips, noise_bank, gen, aug)
    if bool(is_silence.any()):
        waves[is_silence] = make_silence(int(is_silence.sum()), noise_bank, gen)
    return waves
