#!/usr/bin/env python3
"""Reference TC-ResNet models and logits for the KWSRuntime tests (numpy only; independent of Swift).

Writes, next to this script:
  <name>.safetensors     random-weight models in the exact format of Models/FORMAT.md
  reference_inputs.f32   feature windows, float32 little-endian, [window][98][40]
  reference_logits.json  the logits of every model on every window, computed below in float64 by a
                         direct transcription of SPEC.md §1.3 (convolutions, then eval-mode batch norm
                         with its running statistics: nothing folded)

The batch-norm statistics are not trivial: they are the batch statistics of the freshly initialised
network on random inputs, perturbed, so every channel is scaled and shifted differently while the
activations stay in a moderate range. Run `python3 make_reference_models.py` to regenerate (seeded,
deterministic).
"""
from __future__ import annotations

import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
BASE_CHANNELS = {"tc-resnet8": [16, 24, 32, 48], "tc-resnet14": [16, 24, 24, 32, 32, 48, 48]}
FRAMES, COEFFICIENTS = 98, 40
BN_EPSILON = 1e-3
LABELS_12 = ["_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
FRONTEND = {"variant": "tf-signal", "sample_rate": 16000, "window_length": 480, "hop_length": 160,
            "fft_length": 512, "mel_bins": 64, "lower_hz": 80.0, "upper_hz": 7600.0, "log_offset": 1e-6,
            "coefficients": COEFFICIENTS}

# (file stem, architecture, width multiplier, labels): widths chosen so channel counts are not all
# multiples of 8 or 16 (k = 0.5 gives 8/12/16/24, k = 0.75 gives 12/18/24/36) while the files stay small.
MODELS = [
    ("tc-resnet8-ref", "tc-resnet8", 1.0, LABELS_12),
    ("tc-resnet14-0.5-ref", "tc-resnet14", 0.5, LABELS_12),
    ("tc-resnet8-0.75-ref", "tc-resnet8", 0.75, ["_silence_", "_unknown_", "yes", "no", "stop"]),
]


def channels(architecture: str, width: float) -> list[int]:
    return [int(c * width) for c in BASE_CHANNELS[architecture]]


# ---------------------------------------------------------------------------------------------------
# The network, straight from SPEC.md §1.3. x is [T, C] (time-major); weights are PyTorch [C_out, C_in, K].

def conv1d(x: np.ndarray, w: np.ndarray, stride: int) -> np.ndarray:
    """`Conv1d(padding=K//2, stride, bias=False)` on a [T, C_in] input, returning [T_out, C_out]."""
    c_out, c_in, k = w.shape
    pad = k // 2
    t_in = x.shape[0]
    padded = np.zeros((t_in + 2 * pad, c_in))
    padded[pad:pad + t_in] = x
    t_out = (t_in + 2 * pad - k) // stride + 1
    y = np.zeros((t_out, c_out))
    for t in range(t_out):
        window = padded[t * stride:t * stride + k]          # [K, C_in]
        y[t] = np.einsum("kc,ock->o", window, w)
    return y


def batch_norm(x: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    return (x - p["running_mean"]) / np.sqrt(p["running_var"] + BN_EPSILON) * p["weight"] + p["bias"]


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def forward(tensors: dict[str, np.ndarray], chans: list[int], features: np.ndarray,
            observe=None) -> np.ndarray:
    """Logits for one [98, 40] window. `observe(prefix, pre_bn)` lets the generator collect statistics."""
    f64 = {k: v.astype(np.float64) for k, v in tensors.items()}

    def conv_bn(x, conv, bn, stride):
        y = conv1d(x, f64[conv + ".weight"], stride)
        if observe is not None:
            observe(bn, y)
        return batch_norm(y, {s: f64[f"{bn}.{s}"] for s in ("weight", "bias", "running_mean", "running_var")})

    x = relu(conv_bn(features.astype(np.float64), "stem.conv", "stem.bn", 1))
    for i, (c_in, c_out) in enumerate(zip(chans[:-1], chans[1:])):
        stride = 2 if c_in != c_out else 1
        y = relu(conv_bn(x, f"blocks.{i}.conv1", f"blocks.{i}.bn1", stride))
        y = conv_bn(y, f"blocks.{i}.conv2", f"blocks.{i}.bn2", 1)
        s = relu(conv_bn(x, f"blocks.{i}.shortcut.conv", f"blocks.{i}.shortcut.bn", 2)) if c_in != c_out else x
        x = relu(y + s)
    pooled = x.mean(axis=0)
    return f64["fc.weight"] @ pooled


# ---------------------------------------------------------------------------------------------------
# Random models.

def tensor_shapes(chans: list[int], labels: int) -> list[tuple[str, tuple[int, ...]]]:
    shapes = [("stem.conv.weight", (chans[0], COEFFICIENTS, 3))]
    shapes += [(f"stem.bn.{s}", (chans[0],)) for s in ("weight", "bias", "running_mean", "running_var")]
    for i, (c_in, c_out) in enumerate(zip(chans[:-1], chans[1:])):
        shapes.append((f"blocks.{i}.conv1.weight", (c_out, c_in, 9)))
        shapes += [(f"blocks.{i}.bn1.{s}", (c_out,)) for s in ("weight", "bias", "running_mean", "running_var")]
        shapes.append((f"blocks.{i}.conv2.weight", (c_out, c_out, 9)))
        shapes += [(f"blocks.{i}.bn2.{s}", (c_out,)) for s in ("weight", "bias", "running_mean", "running_var")]
        if c_in != c_out:
            shapes.append((f"blocks.{i}.shortcut.conv.weight", (c_out, c_in, 1)))
            shapes += [(f"blocks.{i}.shortcut.bn.{s}", (c_out,))
                       for s in ("weight", "bias", "running_mean", "running_var")]
    shapes.append(("fc.weight", (labels, chans[-1])))
    return shapes


def random_model(rng: np.random.Generator, chans: list[int], labels: int) -> dict[str, np.ndarray]:
    tensors: dict[str, np.ndarray] = {}
    for name, shape in tensor_shapes(chans, labels):
        if name.endswith("conv.weight") or ".conv" in name or name == "fc.weight":
            fan_in = int(np.prod(shape[1:]))
            fan_out = shape[0] * (shape[2] if len(shape) == 3 else 1)
            limit = np.sqrt(6.0 / (fan_in + fan_out))                       # Glorot uniform
            tensors[name] = rng.uniform(-limit, limit, shape)
        elif name.endswith(".weight"):
            tensors[name] = rng.uniform(0.5, 1.5, shape)                   # gamma
        elif name.endswith(".bias"):
            tensors[name] = rng.normal(0.0, 0.2, shape)                    # beta
        elif name.endswith("running_mean"):
            tensors[name] = np.zeros(shape)
        else:
            tensors[name] = np.ones(shape)
    # Running statistics: batch statistics over random windows, measured layer by layer (each BN's
    # statistics are set before the layers after it see its output), then perturbed.
    calibration = [random_window(rng) for _ in range(8)]
    bn_names = [n[:-len(".running_mean")] for n, _ in tensor_shapes(chans, labels) if n.endswith("running_mean")]
    for bn in bn_names:
        seen: list[np.ndarray] = []

        def observe(name, pre_bn, bn=bn, seen=seen):
            if name == bn:
                seen.append(pre_bn)
        for window in calibration:
            forward(tensors, chans, window, observe)
        values = np.concatenate(seen, axis=0)
        mean, var = values.mean(axis=0), values.var(axis=0)
        tensors[bn + ".running_mean"] = mean + rng.normal(0.0, 0.1, mean.shape) * np.sqrt(var)
        tensors[bn + ".running_var"] = var * rng.uniform(0.7, 1.3, var.shape)
    return {k: v.astype(np.float32) for k, v in tensors.items()}


def random_window(rng: np.random.Generator) -> np.ndarray:
    return (rng.normal(0.0, 10.0, (FRAMES, COEFFICIENTS))).astype(np.float32)


def mfcc_like_window(rng: np.random.Generator) -> np.ndarray:
    """The range of real tf-signal MFCCs (log(mel + 1e-6), HTK DCT): c0 from about -80 (digital
    silence) to about +20 (loud speech) following a word-shaped envelope, higher coefficients shrinking."""
    t = np.arange(FRAMES)
    envelope = np.exp(-0.5 * ((t - 50) / 12.0) ** 2)
    c0 = -75.0 + 90.0 * envelope + rng.normal(0.0, 2.0, FRAMES)
    scale = 12.0 / (1.0 + np.arange(1, COEFFICIENTS) / 3.0)
    rest = rng.normal(0.0, 1.0, (FRAMES, COEFFICIENTS - 1)) * scale * (0.3 + envelope[:, None])
    return np.concatenate([c0[:, None], rest], axis=1).astype(np.float32)


# ---------------------------------------------------------------------------------------------------
# safetensors writer: 8-byte little-endian header length, JSON header padded with spaces to a multiple
# of 8, then the tensors back to back in the order given.

def write_safetensors(path: pathlib.Path, tensors: list[tuple[str, np.ndarray]], metadata: dict[str, str]):
    header: dict[str, object] = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, array in tensors:
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(len(text).to_bytes(8, "little") + text + b"".join(blobs))


def main():
    rng = np.random.default_rng(20240611)
    windows = [
        random_window(rng),
        mfcc_like_window(rng),
        (rng.normal(0.0, 1.0, (FRAMES, COEFFICIENTS))).astype(np.float32),
        np.zeros((FRAMES, COEFFICIENTS), dtype=np.float32),
    ]
    np.stack(windows).astype("<f4").tofile(HERE / "reference_inputs.f32")
    result = {"inputs": "reference_inputs.f32", "windows": len(windows), "frames": FRAMES,
              "coefficients": COEFFICIENTS, "models": {}}
    for stem, architecture, width, labels in MODELS:
        chans = channels(architecture, width)
        tensors = random_model(rng, chans, len(labels))
        metadata = {
            "format_version": "1",
            "architecture": architecture,
            "width_multiplier": repr(width),
            "labels": json.dumps(labels),
            "frontend": json.dumps(FRONTEND),
            "padding": "symmetric",
            "bn_epsilon": repr(BN_EPSILON),
            "name": stem,
            "training": json.dumps({"recipe": "random weights for KWSRuntime tests", "seed": 20240611,
                                    "script": "Tests/KWSRuntimeTests/Fixtures/make_reference_models.py"}),
        }
        if stem == "tc-resnet8-ref":
            metadata["test_accuracy"] = "0.0833"
        ordered = [(name, tensors[name]) for name, _ in tensor_shapes(chans, len(labels))]
        write_safetensors(HERE / f"{stem}.safetensors", ordered, metadata)
        logits = [forward(tensors, chans, w).tolist() for w in windows]
        result["models"][f"{stem}.safetensors"] = {"labels": labels, "channels": chans, "logits": logits}
        print(stem, chans, "max |logit|", max(abs(v) for row in logits for v in row))
    (HERE / "reference_logits.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
