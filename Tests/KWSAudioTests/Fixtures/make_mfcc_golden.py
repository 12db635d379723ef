#!/usr/bin/env python3
"""Golden MFCC vectors for KWSAudio, computed in float64 with numpy only.

Written from SPEC.md (section 1.2 for the tf.signal path, section 2 for audio_ops),
not from the Swift code. Run from anywhere:

    python3 Tests/KWSAudioTests/Fixtures/make_mfcc_golden.py

Writes into Tests/KWSAudioTests/Fixtures/mfcc/:
  <case>.input.f32          the input signal, raw little-endian float32 (16 kHz)
  <case>.tf-signal.f32      expected features, frames x 40, row-major float32
  <case>.audio-ops.f32      the same for the audio_ops variant
  mel.tf-signal.f32         the 257 x 64 mel weight matrix (bins x mels) applied to power
  mel.audio-ops.f32         the 257 x 64 matrix audio_ops applies to magnitude
  manifest.json             shapes and file names

The Swift side reads the float32 input, so the reference is computed from the
float32-rounded samples too: both sides start from identical numbers.
"""
import json
import os
import wave

import numpy as np

SAMPLE_RATE = 16000
WINDOW = 480
HOP = 160
FFT = 512
MEL_BINS = 64
LOWER_HZ = 80.0
UPPER_HZ = 7600.0
LOG_OFFSET = 1e-6
AUDIO_OPS_FLOOR = 1e-12
COEFFICIENTS = 40
BINS = FFT // 2 + 1

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "mfcc")
SPEECH_CLIP = "/work/shared/data/speech_commands/yes/03401e93_nohash_0.wav"


def hz_to_mel(f):
    """HTK mel scale with the natural log (SPEC 2.2 step 1)."""
    return 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def frames_of(x):
    """No padding: the trailing partial window is dropped (SPEC 2.1)."""
    count = 0 if len(x) < WINDOW else 1 + (len(x) - WINDOW) // HOP
    return np.stack([x[t * HOP: t * HOP + WINDOW] for t in range(count)]) if count else np.zeros((0, WINDOW))


def power_spectrum(x):
    n = np.arange(WINDOW, dtype=np.float64)
    hann = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / WINDOW)   # periodic Hann
    spectrum = np.fft.rfft(frames_of(x) * hann, n=FFT, axis=1)  # zero-padded to 512
    return spectrum.real ** 2 + spectrum.imag ** 2             # no 1/N scaling


def tf_signal_mel_matrix():
    """linear_to_mel_weight_matrix: bins x mels, triangles on linspace'd mel edges, DC row zero."""
    bin_hz = np.linspace(0.0, SAMPLE_RATE / 2.0, BINS)
    bin_mel = hz_to_mel(bin_hz)[:, None]
    edges = np.linspace(hz_to_mel(LOWER_HZ), hz_to_mel(UPPER_HZ), MEL_BINS + 2)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    rising = (bin_mel - lower) / (center - lower)
    falling = (upper - bin_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0, :] = 0.0
    return weights


def audio_ops_mel_matrix():
    """TF MfccMelFilterbank as a dense bins x channels matrix (SPEC 2.2 steps 2-6)."""
    mel_lo, mel_hi = hz_to_mel(LOWER_HZ), hz_to_mel(UPPER_HZ)
    spacing = (mel_hi - mel_lo) / (MEL_BINS + 1)
    centres = mel_lo + spacing * np.arange(1, MEL_BINS + 2)   # C + 1 points, the last is mel_hi
    hz_per_bin = (SAMPLE_RATE / 2.0) / (BINS - 1)
    start = int(np.floor(1.5 + LOWER_HZ / hz_per_bin))
    end = int(np.floor(UPPER_HZ / hz_per_bin))
    weights = np.zeros((BINS, MEL_BINS))
    for k in range(start, end + 1):
        m = hz_to_mel(k * hz_per_bin)
        j = int(np.sum(centres[:MEL_BINS] < m)) - 1
        if j >= 0:
            w = (centres[j + 1] - m) / (centres[j + 1] - centres[j])
            weights[k, j] += w
        else:
            w = (centres[0] - m) / (centres[0] - mel_lo)
        if j + 1 < MEL_BINS:
            weights[k, j + 1] += 1.0 - w
    return weights


def tf_signal_mfcc(x):
    log_mel = np.log(power_spectrum(x) @ tf_signal_mel_matrix() + LOG_OFFSET)
    n = np.arange(MEL_BINS)
    k = np.arange(COEFFICIENTS)[:, None]
    dct2 = 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2.0 * MEL_BINS))  # unnormalised DCT-II
    return (log_mel @ dct2.T) / np.sqrt(2.0 * MEL_BINS)


def audio_ops_mfcc(x):
    magnitude = np.sqrt(power_spectrum(x))
    log_mel = np.log(np.maximum(magnitude @ audio_ops_mel_matrix(), AUDIO_OPS_FLOOR))
    i = np.arange(MEL_BINS)
    n = np.arange(COEFFICIENTS)[:, None]
    dct = np.sqrt(2.0 / MEL_BINS) * np.cos(np.pi * n * (i + 0.5) / MEL_BINS)
    return log_mel @ dct.T


def read_speech_clip():
    with wave.open(SPEECH_CLIP, "rb") as clip:
        assert clip.getnchannels() == 1 and clip.getsampwidth() == 2 and clip.getframerate() == SAMPLE_RATE
        pcm = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
    return pcm.astype(np.float64) / 32768.0


def make_inputs():
    rng = np.random.default_rng(20240611)
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    long_t = np.arange(int(1.37 * SAMPLE_RATE)) / SAMPLE_RATE
    # A 100 Hz -> 7 kHz linear chirp over 1.37 s with a little noise: every mel band sees energy.
    chirp_phase = 2.0 * np.pi * (100.0 * long_t + 0.5 * (6900.0 / 1.37) * long_t ** 2)
    return {
        "speech_yes": read_speech_clip(),
        "tones_1k_3k": 0.5 * np.sin(2.0 * np.pi * 1000.0 * t) + 0.25 * np.sin(2.0 * np.pi * 3000.0 * t),
        "noise_low": 1e-3 * rng.standard_normal(SAMPLE_RATE),
        "zeros": np.zeros(SAMPLE_RATE),
        "chirp_1_37s": 0.3 * np.sin(chirp_phase) + 0.01 * rng.standard_normal(len(long_t)),
    }


def write_f32(name, array):
    np.asarray(array, dtype="<f4").tofile(os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_f32("mel.tf-signal.f32", tf_signal_mel_matrix())
    write_f32("mel.audio-ops.f32", audio_ops_mel_matrix())
    manifest = {
        "description": "Golden MFCCs from make_mfcc_golden.py (numpy float64, SPEC.md 1.2 and 2.2)",
        "sample_rate": SAMPLE_RATE,
        "coefficients": COEFFICIENTS,
        "mel_matrices": {
            "tf-signal": {"file": "mel.tf-signal.f32", "rows": BINS, "columns": MEL_BINS},
            "audio-ops": {"file": "mel.audio-ops.f32", "rows": BINS, "columns": MEL_BINS},
        },
        "cases": [],
    }
    for name, signal in make_inputs().items():
        samples = np.asarray(signal, dtype=np.float32).astype(np.float64)  # what Swift reads
        write_f32(f"{name}.input.f32", samples)
        features = {"tf-signal": tf_signal_mfcc(samples), "audio-ops": audio_ops_mfcc(samples)}
        for variant, values in features.items():
            write_f32(f"{name}.{variant}.f32", values)
        manifest["cases"].append({
            "name": name,
            "samples": len(samples),
            "frames": int(features["tf-signal"].shape[0]),
            "input": f"{name}.input.f32",
            "features": {variant: f"{name}.{variant}.f32" for variant in features},
        })
    with open(os.path.join(OUT, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
