"""The integer side of the precision-highway scheme: QAT model → integer parameters → model file, and an
independent numpy simulation of the integer network that reads the file (Models/FORMAT.md, "Precision
highway models"). The simulation follows the format's arithmetic, not the Swift code: the engine
(`--engine highway`) must reproduce its u8 activations and logits exactly.

Integer arithmetic (all per output channel `o`, codes are integers):
    acc   = bias[o] + Σ_q x[t·s + q] · W[q][o]                      (s32, exact)
    acc  += rescale(skip[t][o], residual_m[o], residual_n[o])         (a block's conv2)
    y     = clamp(rescale(acc, m[o], n[o]), 0, out_max)               (out_max 255, or 2^k − 1 for conv1)
    rescale(v, m, n) = floor((v · m + 2^(n−1)) / 2^n)
    branch code = min(2^k − 1, floor((u8 · bm + 2^(bn−1)) / 2^bn))   (bn = 0: no rounding term)
    logit[l] = float32(Σ_c fc[l][c] · Σ_t y[t][c]) · fc_scale[l]     (float32 product)
"""
from __future__ import annotations

import hashlib
import json
import math
import struct
from pathlib import Path

import numpy as np
import torch

from .common import LABELS
from .export import FORMAT_VERSION, write_layout
from .features import FRONTEND
from .model import BN_EPS

DTYPES = {"F32": "<f4", "I8": "i1", "U8": "u1", "I32": "<i4"}


# Fixed-point multipliers -----------------------------------------------------------------------------------

def fixed_point(real: float) -> tuple[int, int]:
    """`real ≈ m · 2^-n` with m in [2^30, 2^31) and n in 1...62 (the kernels' requantization form)."""
    if not (math.isfinite(real) and 0 <= real < 2 ** 30):
        raise ValueError(f"multiplier {real} outside [0, 2^30)")
    if real == 0:
        return 0, 1
    f, e = math.frexp(real)  # real = f · 2^e, f in [0.5, 1)
    m, n = math.floor(f * 2 ** 31 + 0.5), 31 - e
    if m == 2 ** 31:
        m, n = m // 2, n - 1
    if n > 62:
        m, n = math.floor(real * 2 ** 62 + 0.5), 62
    if n < 1:
        raise ValueError(f"multiplier {real} needs shift {n} < 1")
    return m, n


def branch_fixed_point(real: float) -> tuple[int, int]:
    """`real ≈ m · 2^-n` with m < 2^23 and n in 0...31: u8 × m + 2^30 stays below 2^32, so the branch
    requantization runs in unsigned 32-bit lanes."""
    if not (math.isfinite(real) and real > 0):
        raise ValueError(f"branch multiplier {real} must be finite and positive")
    f, e = math.frexp(real)
    m, n = math.floor(f * 2 ** 23 + 0.5), 23 - e
    if m == 2 ** 23:
        m, n = m // 2, n - 1
    if n > 31:
        m, n = math.floor(real * 2 ** 31 + 0.5), 31
    if n < 0:
        raise ValueError(f"branch multiplier {real} ≥ 2^23")
    return m, n


def rescale(v: np.ndarray, m, n) -> np.ndarray:
    """floor((v · m + 2^(n−1)) / 2^n) on int64 (exact for |v| < 2^31, m < 2^31)."""
    v = np.asarray(v, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    return (v * m + (np.int64(1) << (n - 1))) >> n


# k-bit packing ---------------------------------------------------------------------------------------------

def pack_codes(codes: np.ndarray, bits: int) -> np.ndarray:
    """Signed `bits`-bit codes (flattened in order) into bytes, code i at bit (i·bits mod 8) of byte
    i·bits/8, two's complement; unused high bits of the last byte are 0."""
    flat = codes.astype(np.int64).reshape(-1)
    q = symmetric(bits)
    assert flat.min(initial=0) >= -q and flat.max(initial=0) <= q, "code outside the symmetric range"
    per = 8 // bits
    out = np.zeros((len(flat) + per - 1) // per, dtype=np.uint8)
    raw = (flat & ((1 << bits) - 1)).astype(np.uint8)
    for i in range(per):
        part = raw[i::per]
        out[: len(part)] |= part << (i * bits)
    return out


def unpack_codes(packed: np.ndarray, bits: int, count: int) -> np.ndarray:
    per = 8 // bits
    mask = (1 << bits) - 1
    raw = np.stack([(packed >> (i * bits)) & mask for i in range(per)], axis=1).reshape(-1)[:count].astype(np.int64)
    return np.where(raw >= 1 << (bits - 1), raw - (1 << bits), raw).astype(np.int8)


def symmetric(bits: int) -> int:
    return 2 ** (bits - 1) - 1


# Model file IO (mixed dtypes) ------------------------------------------------------------------------------

def write_file(path: Path, tensors: dict[str, tuple[str, np.ndarray]], metadata: dict[str, str]) -> None:
    header: dict[str, object] = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, (dtype, array) in tensors.items():
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    write_layout(path, header, blobs)


def read_file(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    blob = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8: 8 + n])
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return tensors, metadata


# QAT model → integers ---------------------------------------------------------------------------------------

def f64(t: torch.Tensor) -> np.ndarray:
    return t.detach().double().numpy()


@torch.no_grad()
def integer_tensors(model) -> tuple[dict[str, tuple[str, np.ndarray]], dict[str, float]]:
    """The `hw.` tensors of a trained QATTCResNet (highway variant), and every activation step by name."""
    assert model.highway, "only the highway variant has an engine"
    k = model.bits
    out: dict[str, tuple[str, np.ndarray]] = {}
    steps = {name: float(q.step) for name, q in model.activation_quantizers()}
    scale = model.input_scale
    zero = model.input_zero_point
    out["hw.input.scale"] = ("F32", scale.numpy().astype(np.float32))
    out["hw.input.zero_point"] = ("U8", zero.numpy().astype(np.uint8))

    def conv(name: str, qconv, input_step: torch.Tensor, output_step: float, zero_points=None):
        codes = qconv.wq.codes(qconv.weight).to(torch.int64)
        unit = qconv.weight_step() * input_step  # float32, as the forward pass computes it
        bias = torch.round(qconv.bias / unit).to(torch.int64).numpy()
        if zero_points is not None:  # stem: padding and inputs carry the zero point
            bias = bias - np.einsum("ocj,c->o", codes.numpy(), zero_points.to(torch.int64).numpy())
        if np.abs(bias).max(initial=0) >= 2 ** 31:
            raise ValueError(f"{name}: bias outside s32")
        mult = [fixed_point(float(u) / output_step) for u in f64(unit)]
        prefix = f"hw.{name}"
        if qconv.bits == 8:
            out[f"{prefix}.weight"] = ("I8", codes.numpy().astype(np.int8))
        else:
            out[f"{prefix}.weight"] = ("U8", pack_codes(codes.numpy(), qconv.bits))
        out[f"{prefix}.bias"] = ("I32", bias.astype(np.int32))
        out[f"{prefix}.multiplier"] = ("I32", np.array([m for m, _ in mult], dtype=np.int32))
        out[f"{prefix}.shift"] = ("I32", np.array([n for _, n in mult], dtype=np.int32))
        return unit

    one = torch.ones(())
    conv("stem.conv", model.stem, one, steps["stem"], zero_points=zero)
    t_step = steps["stem"]
    for i, m in enumerate(model.blocks):
        b_step = steps[f"blocks.{i}.branch"]
        bm, bn = branch_fixed_point(t_step / b_step)
        out[f"hw.blocks.{i}.branch.multiplier"] = ("I32", np.array([bm], dtype=np.int32))
        out[f"hw.blocks.{i}.branch.shift"] = ("I32", np.array([bn], dtype=np.int32))
        if m.shortcut is not None:
            conv(f"blocks.{i}.shortcut.conv", m.shortcut, torch.tensor(t_step), steps[f"blocks.{i}.shortcut"])
            skip_step = steps[f"blocks.{i}.shortcut"]
        else:
            skip_step = t_step
        conv(f"blocks.{i}.conv1", m.conv1, torch.tensor(b_step), steps[f"blocks.{i}.conv1"])
        unit = conv(f"blocks.{i}.conv2", m.conv2, torch.tensor(steps[f"blocks.{i}.conv1"]), steps[f"blocks.{i}.out"])
        res = [fixed_point(skip_step / float(u)) for u in f64(unit)]
        out[f"hw.blocks.{i}.residual.multiplier"] = ("I32", np.array([r for r, _ in res], dtype=np.int32))
        out[f"hw.blocks.{i}.residual.shift"] = ("I32", np.array([n for _, n in res], dtype=np.int32))
        t_step = steps[f"blocks.{i}.out"]
    fc_codes = model.fc_wq.codes(model.fc_weight).numpy().astype(np.int8)
    frames = last_length(model)
    fc_steps = f64(model.fc_wq.step).reshape(-1)
    out["hw.fc.weight"] = ("I8", fc_codes)
    out["hw.fc.scale"] = ("F32", (fc_steps * t_step / frames).astype(np.float32))
    return out, steps


def last_length(model) -> int:
    t = 98
    for m in model.blocks:
        s = m.conv1.stride
        t = (t + 2 * 4 - 9) // s + 1
    return t


@torch.no_grad()
def float_tensors(model, hw: dict[str, tuple[str, np.ndarray]]) -> dict[str, tuple[str, np.ndarray]]:
    """FORMAT.md float tensors of the same network with dequantized weights and identity batch norms that
    carry the rounded biases, so `--engine float` runs the k-bit weights with float activations."""
    out = {}
    scale = model.input_scale.double().numpy()
    eps = np.float32(BN_EPS)

    def put(conv_name: str, bn_name: str, qconv, input_step: float, real_scale=None):
        codes = qconv.wq.codes(qconv.weight).double().numpy()
        w = codes * f64(qconv.weight_step())[:, None, None]
        unit = f64(qconv.weight_step()) * input_step
        bias = hw_bias_real(hw, conv_name, codes, unit, model if real_scale is not None else None)
        if real_scale is not None:
            w = w / real_scale[None, :, None]
        c = w.shape[0]
        out[f"{conv_name}.weight"] = ("F32", w.astype(np.float32))
        out[f"{bn_name}.weight"] = ("F32", np.ones(c, dtype=np.float32))
        out[f"{bn_name}.bias"] = ("F32", bias.astype(np.float32))
        out[f"{bn_name}.running_mean"] = ("F32", np.zeros(c, dtype=np.float32))
        out[f"{bn_name}.running_var"] = ("F32", np.full(c, np.float32(1) - eps, dtype=np.float32))

    steps = {name: float(q.step) for name, q in model.activation_quantizers()}
    put("stem.conv", "stem.bn", model.stem, 1.0, real_scale=scale)
    t_step = steps["stem"]
    for i, m in enumerate(model.blocks):
        put(f"blocks.{i}.conv1", f"blocks.{i}.bn1", m.conv1, steps[f"blocks.{i}.branch"])
        put(f"blocks.{i}.conv2", f"blocks.{i}.bn2", m.conv2, steps[f"blocks.{i}.conv1"])
        if m.shortcut is not None:
            put(f"blocks.{i}.shortcut.conv", f"blocks.{i}.shortcut.bn", m.shortcut, t_step)
        t_step = steps[f"blocks.{i}.out"]
    codes = model.fc_wq.codes(model.fc_weight).double().numpy()
    out["fc.weight"] = ("F32", (codes * f64(model.fc_wq.step).reshape(-1, 1)).astype(np.float32))
    return out


def hw_bias_real(hw, conv_name: str, codes: np.ndarray, unit: np.ndarray, stem_model) -> np.ndarray:
    """The real-valued bias the integer bias stands for (the stem's zero-point term taken back out)."""
    bias = hw[f"hw.{conv_name}.bias"][1].astype(np.float64)
    if stem_model is not None:
        zero = stem_model.input_zero_point.double().numpy()
        bias = bias + np.einsum("ocj,c->o", codes, zero)
    return bias * unit


def float_tensor_order(model) -> list[str]:
    names = ["stem.conv.weight"] + [f"stem.bn.{p}" for p in ("weight", "bias", "running_mean", "running_var")]
    for i, m in enumerate(model.blocks):
        names.append(f"blocks.{i}.conv1.weight")
        names += [f"blocks.{i}.bn1.{p}" for p in ("weight", "bias", "running_mean", "running_var")]
        names.append(f"blocks.{i}.conv2.weight")
        names += [f"blocks.{i}.bn2.{p}" for p in ("weight", "bias", "running_mean", "running_var")]
        if m.shortcut is not None:
            names.append(f"blocks.{i}.shortcut.conv.weight")
            names += [f"blocks.{i}.shortcut.bn.{p}" for p in ("weight", "bias", "running_mean", "running_var")]
    return names + ["fc.weight"]


def high_precision_parts() -> list[str]:
    return ["input MFCCs: per-coefficient asymmetric u8",
            "stem conv: s8 per-output-channel weights, u8 output",
            "trunk (stem output and every block output): u8",
            "projection shortcuts: s8 weights, u8 output; identity shortcuts: the u8 trunk itself",
            "residual adds: the skip tensor rescaled into conv2's s32 accumulator, one requantization to u8",
            "classifier: s8 per-row weights over the time-summed u8 trunk"]


def export(path: Path, model, name: str, training: dict, test_accuracy: float, extra_info: dict) -> dict:
    """Writes Models/<name>.safetensors; returns the `highway` metadata object."""
    hw, steps = integer_tensors(model)
    floats = float_tensors(model, hw)
    tensors = {n: floats[n] for n in float_tensor_order(model)} | {"fc.weight": floats["fc.weight"]} | hw
    info = {"scheme": "highway", "weight_bits": model.bits, "activation_bits": model.bits, "highway_bits": 8,
            "high_precision": high_precision_parts(),
            "low_precision": [f"every conv of the residual branch (conv1, conv2): {model.bits}-bit symmetric "
                              f"per-output-channel weights", f"branch activations (conv1 input, conv2 input): "
                              f"{model.bits}-bit unsigned, one learned step per tensor"],
            "activation_steps": {k: float(np.float32(v)) for k, v in steps.items()}} | extra_info
    metadata = {
        "format_version": FORMAT_VERSION, "architecture": model.architecture, "width_multiplier": f"{model.width:.1f}",
        "labels": json.dumps(LABELS), "frontend": json.dumps(FRONTEND, separators=(",", ":")), "padding": "symmetric",
        "bn_epsilon": "0.001", "name": name, "training": json.dumps(training, separators=(",", ":")),
        "test_accuracy": f"{test_accuracy:.4f}", "highway": json.dumps(info, separators=(",", ":"), sort_keys=True),
    }
    write_file(path, tensors, metadata)
    back, _ = read_file(path)
    for key, (_, value) in tensors.items():
        assert np.array_equal(back[key], np.asarray(value).astype(back[key].dtype)), f"{path}: {key} changed on read-back"
    return info


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# The integer network, from the file ------------------------------------------------------------------------

class IntegerNetwork:
    """Runs a highway model file with numpy integers (float64 matmuls of integers below 2^53 are exact)."""

    def __init__(self, path: Path):
        self.t, self.meta = read_file(path)
        self.info = json.loads(self.meta["highway"])
        self.bits = int(self.info["weight_bits"])
        self.act_max = 2 ** int(self.info["activation_bits"]) - 1
        arch = self.meta["architecture"]
        width = float(self.meta["width_multiplier"])
        base = {"tc-resnet8": [16, 24, 32, 48], "tc-resnet14": [16, 24, 24, 32, 32, 48, 48]}[arch]
        self.channels = [int(c * width) for c in base]

    def weights(self, name: str, shape: tuple[int, int, int]) -> np.ndarray:
        """[K·C_in, C_out] in the input span's order (tap-major, then channel) for an im2col matmul."""
        raw = self.t[f"hw.{name}.weight"]
        codes = raw if raw.dtype == np.int8 else unpack_codes(raw, self.bits, int(np.prod(shape)))
        w = codes.astype(np.float64).reshape(shape)  # [C_out, C_in, K]
        return w.transpose(2, 1, 0).reshape(-1, shape[0])

    def conv(self, name: str, x: np.ndarray, c_out: int, k: int, stride: int, pad_value: np.ndarray,
             skip: np.ndarray | None, residual: str | None, out_max: int) -> np.ndarray:
        """x [N, T, C_in] integer codes → [N, T_out, C_out] codes."""
        n, length, c_in = x.shape
        p = k // 2
        pad = np.broadcast_to(pad_value.astype(np.int64), (n, p, c_in))
        xp = np.concatenate([pad, x.astype(np.int64), pad], axis=1)
        t_out = (length + 2 * p - k) // stride + 1
        cols = np.stack([xp[:, t * stride: t * stride + k, :].reshape(n, -1) for t in range(t_out)], axis=1)
        acc = (cols.astype(np.float64) @ self.weights(name, (c_out, c_in, k))).astype(np.int64)
        acc += self.t[f"hw.{name}.bias"].astype(np.int64)
        if skip is not None:
            acc += rescale(skip, self.t[f"hw.{residual}.residual.multiplier"], self.t[f"hw.{residual}.residual.shift"])
        y = rescale(acc, self.t[f"hw.{name}.multiplier"], self.t[f"hw.{name}.shift"])
        return np.clip(y, 0, out_max)

    def branch(self, i: int, trunk: np.ndarray) -> np.ndarray:
        m = int(self.t[f"hw.blocks.{i}.branch.multiplier"][0])
        s = int(self.t[f"hw.blocks.{i}.branch.shift"][0])
        rounding = (1 << (s - 1)) if s > 0 else 0
        return np.minimum(self.act_max, (trunk.astype(np.int64) * m + rounding) >> s)

    def input_codes(self, features: np.ndarray) -> np.ndarray:
        """[N, T, 40] float32 → u8 codes as kws_quantize_f32_u8."""
        inverse = (np.float32(1) / self.t["hw.input.scale"]).astype(np.float32)
        v = (features.astype(np.float32) * inverse).astype(np.float32)
        v = np.where(np.isnan(v), np.float32(-256), v)
        v = np.clip(v, np.float32(-256), np.float32(256))
        return np.clip(np.rint(v).astype(np.int64) + self.t["hw.input.zero_point"].astype(np.int64), 0, 255)

    def run(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """[N, T, 40] float32 → (logits float32 [N, L], time sums int64 [N, C], layer codes by name)."""
        trace = {}
        x = self.input_codes(features)
        trace["input"] = x
        zero = self.t["hw.input.zero_point"]
        ch = self.channels
        x = self.conv("stem.conv", x, ch[0], 3, 1, zero, None, None, 255)
        trace["stem"] = x
        for i, (c_in, c_out) in enumerate(zip(ch[:-1], ch[1:])):
            stride = 2 if c_in != c_out else 1
            b = self.branch(i, x)
            trace[f"blocks.{i}.branch"] = b
            if c_in != c_out:
                skip = self.conv(f"blocks.{i}.shortcut.conv", x, c_out, 1, 2, np.zeros(c_in), None, None, 255)
                trace[f"blocks.{i}.shortcut"] = skip
            else:
                skip = x
            h = self.conv(f"blocks.{i}.conv1", b, c_out, 9, stride, np.zeros(c_in), None, None, self.act_max)
            trace[f"blocks.{i}.conv1"] = h
            x = self.conv(f"blocks.{i}.conv2", h, c_out, 9, 1, np.zeros(c_out), skip, f"blocks.{i}", 255)
            trace[f"blocks.{i}.out"] = x
        sums = x.sum(axis=1)
        dots = sums @ self.t["hw.fc.weight"].astype(np.int64).T
        logits = dots.astype(np.float32) * self.t["hw.fc.scale"].astype(np.float32)
        return logits.astype(np.float32), sums, trace
