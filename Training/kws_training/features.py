"""The engine's MFCC front end (SPEC.md §1.2, tf.signal path) in batched PyTorch.

waveform [N, 16000] in [-1, 1] -> frames of 480 (hop 160, 98 frames) -> periodic Hann -> rfft 512 ->
power -> 64 tf.signal mel triangles 80-7600 Hz (HTK mel, DC bin zeroed) -> ln(x + 1e-6) ->
DCT-II x 2 / sqrt(2 * 64), first 40 -> [N, 98, 40].
"""
from __future__ import annotations

import math

import torch

FRONTEND = {
    "variant": "tf-signal", "sample_rate": 16000, "window_length": 480, "hop_length": 160,
    "fft_length": 512, "mel_bins": 64, "lower_hz": 80, "upper_hz": 7600, "log_offset": 1e-06,
    "coefficients": 40,
}


def hz_to_mel(f: torch.Tensor) -> torch.Tensor:
    """HTK mel scale, as tf.signal: 1127 * ln(1 + f / 700)."""
    return 1127.0 * torch.log1p(f / 700.0)


def mel_matrix(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """tf.signal.linear_to_mel_weight_matrix(64, 257, 16000, 80, 7600): [257, 64], row 0 (DC) zero."""
    bins = FRONTEND["fft_length"] // 2 + 1
    mels = FRONTEND["mel_bins"]
    freqs = torch.linspace(0.0, FRONTEND["sample_rate"] / 2, bins, dtype=torch.float64)[1:]
    spec_mel = hz_to_mel(freqs).unsqueeze(1)
    edges = torch.linspace(hz_to_mel(torch.tensor(float(FRONTEND["lower_hz"]), dtype=torch.float64)).item(),
                           hz_to_mel(torch.tensor(float(FRONTEND["upper_hz"]), dtype=torch.float64)).item(),
                           mels + 2, dtype=torch.float64)
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (spec_mel - lower) / (centre - lower)
    falling = (upper - spec_mel) / (upper - centre)
    weights = torch.clamp(torch.minimum(rising, falling), min=0.0)
    return torch.cat([torch.zeros(1, mels, dtype=torch.float64), weights], dim=0).to(dtype)


def dct_matrix(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Unnormalised DCT-II (2 * sum x_n cos(pi k (2n+1) / 2N)) times 1/sqrt(2N): [64, 40]."""
    n_mel, n_out = FRONTEND["mel_bins"], FRONTEND["coefficients"]
    n = torch.arange(n_mel, dtype=torch.float64).unsqueeze(1)
    k = torch.arange(n_out, dtype=torch.float64).unsqueeze(0)
    basis = 2.0 * torch.cos(math.pi * k * (2.0 * n + 1.0) / (2.0 * n_mel))
    return (basis / math.sqrt(2.0 * n_mel)).to(dtype)


def periodic_hann(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    length = FRONTEND["window_length"]
    n = torch.arange(length, dtype=torch.float64)
    return (0.5 - 0.5 * torch.cos(2.0 * math.pi * n / length)).to(dtype)


class MFCC(torch.nn.Module):
    """Batched front end with its constant matrices precomputed (no trainable parameters)."""

    def __init__(self, dtype: torch.dtype = torch.float32):
        super().__init__()
        self.register_buffer("window", periodic_hann(dtype), persistent=False)
        self.register_buffer("mel", mel_matrix(dtype), persistent=False)
        self.register_buffer("dct", dct_matrix(dtype), persistent=False)

    def forward(self, wave: torch.Tensor) -> torch.Tensor:
        frames = wave.to(self.window.dtype).unfold(-1, FRONTEND["window_length"], FRONTEND["hop_length"])
        spec = torch.fft.rfft(frames * self.window, n=FRONTEND["fft_length"])
        power = spec.real.square() + spec.imag.square()
        log_mel = torch.log(power @ self.mel + FRONTEND["log_offset"])
        return log_mel @ self.dct


def mfcc(wave: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """One-off helper: [N, 16000] (or [16000]) -> [N, 98, 40] (or [98, 40])."""
    return MFCC(dtype)(wave)
