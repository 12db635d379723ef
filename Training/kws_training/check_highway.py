"""Checks of the precision-highway tooling that need no training: k-bit packing round trip, fixed-point
multipliers, and the integer conversion of a fake-quantized network (qat_model.py → highway_int.py file →
numpy integer network) against the fake-quantized network itself, on real test clips with the shipped
float tc-resnet8 as the starting point (no fine-tuning). Usage: python check_highway.py
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch

from . import highway_int as hi
from .common import DATA_DIR, LABELS, label_of, read_split
from .features import MFCC
from .qat import load_float
from .qat_model import LSQ, QATTCResNet, input_quantization
from .data import load_clips


def main() -> int:
    rng = np.random.default_rng(1)
    for bits in (2, 4):
        q = hi.symmetric(bits)
        for count in (1, 7, 64, 1001):
            codes = rng.integers(-q, q + 1, count).astype(np.int8)
            packed = hi.pack_codes(codes, bits)
            assert len(packed) == (count * bits + 7) // 8
            assert np.array_equal(hi.unpack_codes(packed, bits, count), codes), (bits, count)
        # Known layout: codes 1, -1, 0, 1 at 2 bits → 01 11 00 01 (LSB first) = 0b01001101.
    assert hi.pack_codes(np.array([1, -1, 0, 1]), 2).tolist() == [0b01001101]
    assert hi.pack_codes(np.array([3, -2]), 4).tolist() == [0xE3]
    for real in (1e-9, 0.0003, 0.49, 0.5, 0.999999, 1.0, 3.7, 1234.5):
        m, n = hi.fixed_point(real)
        assert abs(m / 2 ** n - real) <= real * 2 ** -30, real
        for v in (-70000, -1, 0, 1, 255, 99999):
            exact = v * real
            assert abs(int(hi.rescale(v, m, n)) - exact) <= 0.5 + abs(exact) * 2 ** -29, (real, v)
        bm, bn = hi.branch_fixed_point(real) if real < 2 ** 23 else (None, None)
        if bm is not None:
            assert bm < 2 ** 23 and 0 <= bn <= 31 and abs(bm / 2 ** bn - real) <= real * 2 ** -22 + 2 ** -31, real
    # LSQ codes and dequantized values agree, and the MSE init finds a clip inside (0, max].
    x = torch.randn(8, 5, 9)
    lsq = LSQ(-1, 1, channels=8)
    lsq.init_mse(x)
    assert torch.allclose(lsq(x), lsq.codes(x) * lsq.step), "LSQ forward vs codes"
    assert bool((lsq.step > 0).all()) and bool((lsq.step <= x.abs().amax(dim=(1, 2)).reshape(-1, 1, 1)).all())
    print("packing, fixed point, LSQ: ok")

    torch.set_num_threads(1)
    frontend = MFCC(torch.float32)
    test = read_split("test")[::13]
    feats = frontend(load_clips(test, DATA_DIR)).transpose(1, 2).contiguous()
    labels = torch.tensor([LABELS.index(label_of(p)) for p in test])
    cal = frontend(load_clips(read_split("train")[::5], DATA_DIR)).transpose(1, 2).contiguous()
    scale, zero = input_quantization(cal)
    teacher = load_float("tc-resnet8")
    for bits in (4, 2):
        student = QATTCResNet(teacher, bits, True, scale, zero)
        student.initialise(cal)
        student.eval()
        with torch.no_grad():
            fq = student(feats).numpy()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.safetensors"
            hi.export(path, student, "check", {}, 0.0, {})
            logits, _, trace = hi.IntegerNetwork(path).run(feats.transpose(1, 2).numpy())
        agree = (logits.argmax(1) == fq.argmax(1)).mean()
        diff = np.abs(logits - fq).max()
        acc_fq = (fq.argmax(1) == labels.numpy()).mean()
        acc_int = (logits.argmax(1) == labels.numpy()).mean()
        print(f"hw{bits} without fine-tuning on {len(test)} test clips: fake-quant {acc_fq:.3f}, integer "
              f"{acc_int:.3f}, top-1 agreement {agree:.3f}, max |dlogit| {diff:.4f}")
        assert agree >= 0.95 and diff < 0.5, "integer network drifted from the fake-quantized one"
        assert trace["blocks.0.conv1"].max() <= 2 ** bits - 1 and trace["blocks.0.branch"].max() <= 2 ** bits - 1
    print("integer conversion: ok")
    return 0
