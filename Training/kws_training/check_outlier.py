"""Independent numpy reference of an outlier-aware 4-bit (ol4) model file: parses the safetensors bytes itself,
rebuilds every weight code from the packed nibbles and the CSR outlier lists, and runs the integer network
(u8 MFCC input, 8-bit stem, 4-bit block convolutions on full activation codes, s8 classifier) exactly as
Models/README.md "Outlier-aware 4-bit" specifies. The Swift engine must produce the same float32 logits bit for
bit (OutlierNumpyReferenceTests runs this script).

Usage: python check_outlier.py MODEL.safetensors FEATURES.f32 COUNT LOGITS.f32
  FEATURES.f32: COUNT windows of frames x coefficients float32 (little-endian, time-major);
  LOGITS.f32:   written, COUNT x labels float32.
"""
from __future__ import annotations

import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "I32": np.int32, "I8": np.int8, "U8": np.uint8, "U16": np.uint16}


def read_safetensors(path):
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=DTYPES.get(entry["dtype"], np.uint8))
        tensors[name] = array.reshape(entry["shape"]) if entry["shape"] else array
    return metadata, tensors


def rescale(value, multiplier, shift):
    """floor((v * m + 2^(n-1)) / 2^n) in int64, per channel (last axis)."""
    value = np.asarray(value, dtype=np.int64)
    multiplier = multiplier.astype(np.int64)
    shift = shift.astype(np.int64)
    return (value * multiplier + (np.int64(1) << (shift - 1))) >> shift


def nibble_codes(packed, count):
    """Signed 4-bit codes, low nibble first, of each row of `packed`."""
    low = (packed & 0x0F).astype(np.int16)
    high = (packed >> 4).astype(np.int16)
    codes = np.stack([low, high], axis=-1).reshape(packed.shape[0], -1)[:, :count]
    return ((codes ^ 8) - 8).astype(np.int64)


def conv_weights(tensors, name, in_channels, taps):
    """[C_out, C_in, K] full codes of a 4-bit layer: dense nibbles, then each CSR outlier in its slot."""
    packed = tensors[f"ol4.{name}.weight4"]
    codes = nibble_codes(packed, in_channels * taps)
    offsets = tensors[f"ol4.{name}.outlier_offsets"].astype(np.int64)
    index = tensors[f"ol4.{name}.outlier_index"].astype(np.int64)
    value = tensors[f"ol4.{name}.outlier_value"].astype(np.int64)
    for o in range(codes.shape[0]):
        for e in range(offsets[o], offsets[o + 1]):
            assert codes[o, index[e]] == 0 and abs(value[e]) >= 8
            codes[o, index[e]] = value[e]
    return codes.reshape(codes.shape[0], in_channels, taps)


def convolve(x, weights, bias, multiplier, shift, stride, pad_value, code_max, residual=None, residual_rescale=None):
    """x: [T, C_in] full codes; weights [C_out, C_in, K]; symmetric padding of K // 2 rows of `pad_value`."""
    out_channels, in_channels, taps = weights.shape
    pad = taps // 2
    rows = np.concatenate([np.tile(pad_value, (pad, 1)), x, np.tile(pad_value, (pad, 1))]).astype(np.int64)
    length = (x.shape[0] + 2 * pad - taps) // stride + 1
    acc = np.tile(bias.astype(np.int64), (length, 1))
    for k in range(taps):
        acc += rows[k:k + stride * (length - 1) + 1:stride] @ weights[:, :, k].T
    if residual is not None:
        acc += rescale(residual, *residual_rescale)
    return np.clip(rescale(acc, multiplier, shift), 0, code_max)


def logits(metadata, tensors, features):
    info = json.loads(metadata["outlier_quantization"])
    code_max = 15 if info["outlier_activation_bits"] == 0 else 65535
    scale = tensors["ol4.input.scale"]
    inverse = (np.float32(1) / scale).astype(np.float32)
    zero = tensors["ol4.input.zero_point"].astype(np.int64)
    v = (features.astype(np.float32) * inverse).astype(np.float32)
    v = np.where(v > -256, v, np.float32(-256))  # NaN → -256, as the kernels do
    v = np.where(v < 256, v, np.float32(256))
    x = np.clip(np.rint(v).astype(np.int64) + zero, 0, 255)

    def params(name):
        return (tensors[f"ol4.{name}.bias"], tensors[f"ol4.{name}.multiplier"], tensors[f"ol4.{name}.shift"])

    stem = tensors["ol4.stem.conv.weight"].astype(np.int64)
    x = convolve(x, stem, *params("stem.conv"), 1, zero, code_max)
    block = 0
    while f"ol4.blocks.{block}.conv1.weight4" in tensors:
        prefix = f"blocks.{block}"
        channels = x.shape[1]
        projection = f"ol4.{prefix}.shortcut.conv.weight4" in tensors
        stride = 2 if projection else 1
        zeros = np.zeros(channels, dtype=np.int64)
        residual = x
        if projection:
            w = conv_weights(tensors, f"{prefix}.shortcut.conv", channels, 1)
            residual = convolve(x, w, *params(f"{prefix}.shortcut.conv"), 2, zeros, code_max)
        w1 = conv_weights(tensors, f"{prefix}.conv1", channels, 9)
        hidden = convolve(x, w1, *params(f"{prefix}.conv1"), stride, zeros, code_max)
        w2 = conv_weights(tensors, f"{prefix}.conv2", hidden.shape[1], 9)
        rr = (tensors[f"ol4.{prefix}.residual.multiplier"], tensors[f"ol4.{prefix}.residual.shift"])
        x = convolve(hidden, w2, *params(f"{prefix}.conv2"), 1, np.zeros(hidden.shape[1], dtype=np.int64), code_max,
                     residual=residual, residual_rescale=rr)
        block += 1
    sums = x.sum(axis=0)
    fc = tensors["ol4.fc.weight"].astype(np.int64)
    return (fc @ sums).astype(np.float32) * tensors["ol4.fc.scale"]


def main() -> int:
    model, features_path, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    metadata, tensors = read_safetensors(model)
    coefficients = tensors["ol4.input.scale"].shape[0]
    windows = np.fromfile(features_path, dtype="<f4").reshape(count, -1, coefficients)
    result = np.stack([logits(metadata, tensors, window) for window in windows]).astype("<f4")
    result.tofile(out)
    print(f"{model}: {count} windows, logits {result.shape}")
    return 0
