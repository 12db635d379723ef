"""TC-ResNet8 / TC-ResNet14 with width multiplier (SPEC.md §1.3), PyTorch names as Models/FORMAT.md.

Input [N, 40, 98] (MFCCs as channels, time as length). Convs have no bias and pad k//2 on both sides
(`padding: symmetric`), BN eps 1e-3, ReLU on the projection shortcut, dropout 0.5 before a bias-free FC.
"""
from __future__ import annotations

import torch
from torch import nn

BASE_CHANNELS = {
    "tc-resnet8": [16, 24, 32, 48],
    "tc-resnet14": [16, 24, 24, 32, 32, 48, 48],
}
BN_EPS = 1e-3
# TF's decay 0.997 is momentum 0.003 in PyTorch terms; with only a few thousand steps here the running
# statistics would lag the weights, so a faster 0.01 is used (see README).
BN_MOMENTUM = 0.01


def channels(architecture: str, width: float) -> list[int]:
    return [int(c * width) for c in BASE_CHANNELS[architecture]]


def bn(c: int) -> nn.BatchNorm1d:
    return nn.BatchNorm1d(c, eps=BN_EPS, momentum=BN_MOMENTUM)


class Stem(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 3, padding=1, bias=False)
        self.bn = bn(c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(x)))


class Shortcut(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 1, stride=2, bias=False)
        self.bn = bn(c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(x)))


class Block(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        stride = 2 if c_in != c_out else 1
        self.conv1 = nn.Conv1d(c_in, c_out, 9, stride=stride, padding=4, bias=False)
        self.bn1 = bn(c_out)
        self.conv2 = nn.Conv1d(c_out, c_out, 9, padding=4, bias=False)
        self.bn2 = bn(c_out)
        self.shortcut = Shortcut(c_in, c_out) if c_in != c_out else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = self.shortcut(x) if self.shortcut is not None else x
        return torch.relu(y + s)


class TCResNet(nn.Module):
    def __init__(self, architecture: str, width: float, num_labels: int = 12, num_mfcc: int = 40):
        super().__init__()
        self.architecture, self.width = architecture, width
        ch = channels(architecture, width)
        self.stem = Stem(num_mfcc, ch[0])
        self.blocks = nn.ModuleList(Block(a, b) for a, b in zip(ch[:-1], ch[1:]))
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(ch[-1], num_labels, bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.fc(self.dropout(x.mean(dim=2)))


MODEL_SPECS = {
    "tc-resnet8": ("tc-resnet8", 1.0),
    "tc-resnet8-1.5": ("tc-resnet8", 1.5),
    "tc-resnet14": ("tc-resnet14", 1.0),
    "tc-resnet14-1.5": ("tc-resnet14", 1.5),
}


def build(name: str, num_labels: int = 12) -> TCResNet:
    architecture, width = MODEL_SPECS[name]
    return TCResNet(architecture, width, num_labels)
