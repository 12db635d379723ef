"""Fake-quantized TC-ResNet for quantization-aware training of the precision-highway scheme (SPEC.md §3.3).

The network is the float TC-ResNet of model.py with every batch norm folded into its convolution (weights
and a bias, both trained; no batch statistics during fine-tuning) and a quantizer at every place the integer
engine (`--engine highway`, Sources/KWSRuntime/Schemes/Highway) rounds:

- input MFCCs: fixed per-coefficient asymmetric u8 (as the int8 scheme), calibrated once, not learned;
- stem: 8-bit per-output-channel weights over the input codes (the per-coefficient input scales are folded
  into its weights first, so the stem works in the code domain like the int8 engine), 8-bit output;
- every block: with the highway (`highway=True`) the trunk tensor (stem output, block outputs) and the
  projection shortcut (8-bit weights, 8-bit output) stay 8-bit; the residual branch requantizes the trunk to
  k bits at its input, conv1 and conv2 have k-bit weights, conv1's output is k-bit; conv2's accumulator
  takes the skip tensor (rounded to the accumulator's unit, as the engine adds it) and the sum is requantized
  once to the 8-bit trunk. Without the highway every stored activation (trunk, shortcut output, hidden) is
  k-bit and the shortcut's weights are k-bit too;
- classifier: 8-bit per-row weights over the time average of the last trunk tensor.

Biases are rounded to their accumulator's unit (input step × weight step). Quantizers are uniform with a
learned step (LSQ, Esser et al. 2020: straight-through rounding, step gradient scaled by 1/sqrt(N·Q)), i.e. a
learned clip `step · Q`; steps start from the MSE-optimal clip on calibration data (activations, in network
order with the earlier quantizers on) or on the weights themselves (per output channel).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .model import TCResNet


def round_ste(x: torch.Tensor) -> torch.Tensor:
    """Round half to even forward, identity backward (straight-through estimator)."""
    return (torch.round(x) - x).detach() + x


def scale_grad(x: torch.Tensor, factor: float) -> torch.Tensor:
    """`x` forward; gradient multiplied by `factor`."""
    return (x - x * factor).detach() + x * factor


def symmetric_max(bits: int) -> int:
    """Largest |code| of a symmetric signed `bits`-bit weight: 1 (ternary) at 2 bits, 7 at 4, 127 at 8."""
    return 2 ** (bits - 1) - 1


class LSQ(nn.Module):
    """Uniform quantizer onto codes lo..hi with a learned positive step (per channel when `channels`).

    forward(x) = step · clamp(round(x / step), lo, hi): the dequantized value. `codes(x)` gives the integers.
    The step is stored as its logarithm, so an update can never make it zero or negative, and the LSQ
    gradient scale 1/sqrt(N·Q) is applied to it. With `learned=False` the step follows max |x| / hi (per
    channel), recomputed every call, with no gradient (the max-abs clip used for 8-bit weights).
    Disabled (`enabled = False`), it passes x through and, when `capture` is a list, appends x to it.
    """

    def __init__(self, lo: int, hi: int, channels: int | None = None, axis_dims: int = 3, learned: bool = True):
        super().__init__()
        self.lo, self.hi, self.learned = lo, hi, learned
        shape = [] if channels is None else [channels] + [1] * (axis_dims - 1)
        self.log_step = nn.Parameter(torch.zeros(shape), requires_grad=learned)
        self.enabled = True
        self.capture: list | None = None

    MIN_STEP = 1e-6

    @property
    def step(self) -> torch.Tensor:
        return self.log_step.exp().clamp_min(self.MIN_STEP)

    def current_step(self, x: torch.Tensor) -> torch.Tensor:
        if not self.learned:
            with torch.no_grad():
                dims = tuple(range(1, x.dim())) if self.log_step.dim() > 0 else tuple(range(x.dim()))
                peak = x.detach().abs().amax(dim=dims, keepdim=self.log_step.dim() > 0).reshape(self.log_step.shape)
                self.log_step.copy_(torch.log((peak / self.hi).clamp_min(self.MIN_STEP)))
            return self.step.detach()
        per_step = x.numel() / max(1, self.log_step.numel())
        return scale_grad(self.log_step, 1.0 / math.sqrt(per_step * max(1, self.hi))).exp().clamp_min(self.MIN_STEP)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.enabled:
            if self.capture is not None:
                self.capture.append(x.detach())
            return x
        s = self.current_step(x)
        return round_ste(torch.clamp(x / s, self.lo, self.hi)) * s

    @torch.no_grad()
    def codes(self, x: torch.Tensor) -> torch.Tensor:
        """The integer codes of x (a max-abs step is brought up to date with x first, as forward does)."""
        return torch.clamp(torch.round(x / self.current_step(x).detach()), self.lo, self.hi)

    @torch.no_grad()
    def init_mse(self, x: torch.Tensor, candidates: int = 100) -> None:
        """Sets the step to the clip (a fraction of max |x|, per channel if per-channel) with the least
        squared quantization error on `x` (weights, or a sample of activations); max |x| when not learned."""
        per_channel = self.log_step.dim() > 0
        flat = x.reshape(x.shape[0], -1) if per_channel else x.reshape(1, -1)
        peak = flat.abs().amax(dim=1, keepdim=True).clamp_min(self.MIN_STEP * self.hi)
        best_err = torch.full_like(peak, float("inf"))
        best = peak / self.hi
        for i in range(1, candidates + 1) if self.learned else ():
            step = peak * (i / candidates) / self.hi
            q = torch.clamp(torch.round(flat / step), self.lo, self.hi) * step
            err = (q - flat).square().mean(dim=1, keepdim=True)
            better = err < best_err
            best_err = torch.where(better, err, best_err)
            best = torch.where(better, step, best)
        self.log_step.copy_(torch.log(best).reshape(self.log_step.shape))


def fold(conv: nn.Conv1d, bn: nn.BatchNorm1d) -> tuple[torch.Tensor, torch.Tensor]:
    """BN(conv(x)) = conv'(x) + b with running statistics: the folded weight and bias."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return (conv.weight * scale[:, None, None]).detach().clone(), (bn.bias - bn.running_mean * scale).detach().clone()


class QConv(nn.Module):
    """A folded convolution with a learned per-output-channel weight quantizer and a rounded bias."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int, bits: int):
        super().__init__()
        self.weight = nn.Parameter(weight)
        self.bias = nn.Parameter(bias)
        self.stride, self.padding, self.bits = stride, padding, bits
        q = symmetric_max(bits)
        # 8-bit weights keep the max-abs clip (plenty of levels); k-bit ones learn theirs.
        self.wq = LSQ(-q, q, channels=weight.shape[0], learned=bits < 8)

    def weight_step(self) -> torch.Tensor:
        return self.wq.step.reshape(-1)

    def forward(self, x: torch.Tensor, input_step: torch.Tensor | float) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns (output, accumulator unit per channel). `input_step` is the step of x's codes."""
        w = self.wq(self.weight)  # (updates a max-abs step first, so the unit below is current)
        unit = (self.weight_step() * input_step).detach() if self.wq.enabled else None
        b = self.bias if unit is None else round_ste(self.bias / unit) * unit
        return F.conv1d(x, w, b, stride=self.stride, padding=self.padding), unit


class QATTCResNet(nn.Module):
    """The fake-quantized network described in the module docstring. `bits` is k; `highway` picks the
    variant. `input_scale`/`input_zero_point` are the fixed per-coefficient u8 input parameters."""

    def __init__(self, source: TCResNet, bits: int, highway: bool, input_scale: torch.Tensor,
                 input_zero_point: torch.Tensor):
        super().__init__()
        self.architecture, self.width = source.architecture, source.width
        self.bits, self.highway = bits, highway
        self.register_buffer("input_scale", input_scale.to(torch.float32).clone())
        self.register_buffer("input_zero_point", input_zero_point.to(torch.float32).clone())
        k_max = 2 ** bits - 1
        trunk_max = 255 if highway else k_max
        w, b = fold(source.stem.conv, source.stem.bn)
        # Code domain: the stem sees (code − zero point), so its weights absorb the input scales.
        self.stem = QConv(w * self.input_scale[None, :, None], b, 1, 1, 8)
        self.stem_out = LSQ(0, trunk_max)
        self.blocks = nn.ModuleList()
        for block in source.blocks:
            m = nn.Module()
            stride = block.conv1.stride[0]
            m.conv1 = QConv(*fold(block.conv1, block.bn1), stride, 4, bits)
            m.conv2 = QConv(*fold(block.conv2, block.bn2), 1, 4, bits)
            m.branch_in = LSQ(0, k_max) if highway else None
            m.hidden = LSQ(0, k_max)
            if block.shortcut is not None:
                m.shortcut = QConv(*fold(block.shortcut.conv, block.shortcut.bn), 2, 0, 8 if highway else bits)
                m.shortcut_out = LSQ(0, trunk_max)
            else:
                m.shortcut, m.shortcut_out = None, None
            m.out = LSQ(0, trunk_max)
            self.blocks.append(m)
        self.dropout = nn.Dropout(0.5)
        self.fc_weight = nn.Parameter(source.fc.weight.detach().clone())
        self.fc_wq = LSQ(-127, 127, channels=self.fc_weight.shape[0], axis_dims=2, learned=False)

    # Quantizer bookkeeping ------------------------------------------------------------------------------

    def activation_quantizers(self) -> list[tuple[str, LSQ]]:
        """In execution order, with the names the model file's metadata uses."""
        out = [("stem", self.stem_out)]
        for i, m in enumerate(self.blocks):
            if m.branch_in is not None:
                out.append((f"blocks.{i}.branch", m.branch_in))
            out.append((f"blocks.{i}.conv1", m.hidden))
            if m.shortcut_out is not None:
                out.append((f"blocks.{i}.shortcut", m.shortcut_out))
            out.append((f"blocks.{i}.out", m.out))
        return out

    def convolutions(self) -> list[tuple[str, QConv]]:
        out = [("stem.conv", self.stem)]
        for i, m in enumerate(self.blocks):
            if m.shortcut is not None:
                out.append((f"blocks.{i}.shortcut.conv", m.shortcut))
            out += [(f"blocks.{i}.conv1", m.conv1), (f"blocks.{i}.conv2", m.conv2)]
        return out

    def quantizers(self) -> list[LSQ]:
        return [q for _, q in self.activation_quantizers()] + [c.wq for _, c in self.convolutions()] + [self.fc_wq]

    def set_quantization(self, enabled: bool) -> None:
        for q in self.quantizers():
            q.enabled = enabled

    # Forward --------------------------------------------------------------------------------------------

    def input_codes(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 40, T] MFCCs → u8 codes minus zero point, as the engine's kws_quantize_f32_u8 (round half even
        of x · (1/scale) clamped to ±256, NaN → −256)."""
        inverse = (1.0 / self.input_scale)[None, :, None]
        v = torch.nan_to_num(x * inverse, nan=-256.0).clamp(-256.0, 256.0)
        z = self.input_zero_point[None, :, None]
        return torch.clamp(torch.round(v) + z, 0, 255) - z

    def step(self, q: LSQ | None) -> torch.Tensor:
        return q.step.detach() if q is not None and q.enabled else torch.ones(())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, _ = self.stem(self.input_codes(x), 1.0)
        t = self.stem_out(torch.relu(h))
        t_step = self.step(self.stem_out)
        for m in self.blocks:
            if m.branch_in is not None:
                b, b_step = m.branch_in(t), self.step(m.branch_in)
            else:
                b, b_step = t, t_step
            h, _ = m.conv1(b, b_step)
            h = m.hidden(torch.relu(h))
            z, unit = m.conv2(h, self.step(m.hidden))
            if m.shortcut is not None:
                s, _ = m.shortcut(t, t_step)
                s = m.shortcut_out(torch.relu(s))
            else:
                s = t
            if unit is not None and m.out.enabled:
                # The engine adds the skip tensor to conv2's accumulator in that accumulator's unit.
                u = unit[None, :, None]
                s = round_ste(s / u) * u
            t = m.out(torch.relu(z + s))
            t_step = self.step(m.out)
        pooled = self.dropout(t.mean(dim=2))
        return pooled @ self.fc_wq(self.fc_weight).t()

    # Initialisation -------------------------------------------------------------------------------------

    @torch.no_grad()
    def initialise(self, calibration: torch.Tensor, sample: int = 1_000_000) -> None:
        """Weight steps from the weights; then each activation step, in network order, from its input on
        `calibration` features with every quantizer before it already on."""
        for _, conv in self.convolutions():
            conv.wq.init_mse(conv.weight)
        self.fc_wq.init_mse(self.fc_weight)
        was_training = self.training
        self.eval()
        acts = self.activation_quantizers()
        for _, q in acts:
            q.enabled = False
        for _, conv in self.convolutions():
            conv.wq.enabled = True
        self.fc_wq.enabled = True
        gen = torch.Generator().manual_seed(0)
        for _, q in acts:
            q.capture = []
            self(calibration)
            values = torch.cat([c.flatten() for c in q.capture])
            q.capture = None
            values = values[values > 0] if bool((values > 0).any()) else values
            if values.numel() > sample:
                values = values[torch.randperm(values.numel(), generator=gen)[:sample]]
            q.init_mse(values)
            q.enabled = True
        self.train(was_training)


def input_quantization(features: torch.Tensor, lower_q: float = 0.0001) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-coefficient asymmetric u8 parameters from [N, 40, T] features: the 0.01/99.99 percentiles
    (the int8 scheme's percentile estimator), widened to include 0, zero point rounded."""
    flat = features.transpose(0, 1).reshape(features.shape[1], -1).double()
    lo = torch.quantile(flat, lower_q, dim=1).clamp(max=0.0)
    hi = torch.quantile(flat, 1.0 - lower_q, dim=1).clamp(min=0.0)
    scale = ((hi - lo) / 255.0).clamp_min(1e-6)
    zero = torch.clamp(torch.round(-lo / scale), 0, 255)
    return scale.float(), zero.float()

