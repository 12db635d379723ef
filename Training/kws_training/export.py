"""Writes and reads kws model files (safetensors, Models/FORMAT.md) without the safetensors package."""
from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np
import torch

from .features import FRONTEND
from .common import LABELS

FORMAT_VERSION = "1"


def model_tensors(model: torch.nn.Module) -> dict[str, np.ndarray]:
    """The float tensors FORMAT.md names: the state dict minus `num_batches_tracked`, as F32."""
    out = {}
    for name, value in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            continue
        out[name] = value.detach().to(torch.float32).contiguous().numpy()
    return out


def write_safetensors(path: Path, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
    header: dict[str, object] = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    # FORMAT.md: SHA-256 of the data section (everything after the header), checked by kws at load.
    metadata["data_sha256"] = hashlib.sha256(b"".join(blobs)).hexdigest()
    write_layout(path, header, blobs)


def write_layout(path: Path, header: dict[str, object], blobs: list[bytes]) -> None:
    """FORMAT.md's layout: the header's length (u64 LE), the compact JSON header padded with spaces to 8 bytes,
    the tensor data; written to a temporary file and renamed, so a reader never sees half a file."""
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # keep the data section 8-byte aligned, as the reference writer does
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for blob in blobs:
            f.write(blob)
    tmp.replace(path)


def read_safetensors(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    blob = path.read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8: 8 + n])
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors, covered = {}, 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        if begin != covered:
            raise ValueError(f"{path}: tensor {name} starts at {begin}, expected {covered}")
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
        covered = end
    if covered != len(data):
        raise ValueError(f"{path}: tensors cover {covered} of {len(data)} data bytes")
    return tensors, metadata


def metadata_for(name: str, architecture: str, width: float, training: dict, test_accuracy: float | None,
                 labels: list[str] = LABELS, clip_samples: int = 16000) -> dict[str, str]:
    # `clip_samples` is written only for a window other than one second (FORMAT.md), as the runtime does.
    frontend = FRONTEND if clip_samples == 16000 else {**FRONTEND, "clip_samples": clip_samples}
    return {
        "format_version": FORMAT_VERSION,
        "architecture": architecture,
        "width_multiplier": f"{width:.1f}",
        "labels": json.dumps(labels),
        "frontend": json.dumps(frontend, separators=(",", ":")),
        "padding": "symmetric",
        "bn_epsilon": "0.001",
        "name": name,
        "training": json.dumps(training, separators=(",", ":")),
    } | ({} if test_accuracy is None else {"test_accuracy": f"{test_accuracy:.4f}"})


def export_model(path: Path, model: torch.nn.Module, name: str, training: dict, test_accuracy: float | None,
                 labels: list[str] = LABELS, clip_samples: int = 16000) -> None:
    """Writes the model file and reads it back to check every tensor round-trips bit-exactly."""
    tensors = model_tensors(model)
    write_safetensors(path, tensors, metadata_for(name, model.architecture, model.width, training, test_accuracy,
                                                  labels, clip_samples))
    back, _ = read_safetensors(path)
    assert back.keys() == tensors.keys(), f"{path}: tensor names changed on read-back"
    for key, value in tensors.items():
        assert np.array_equal(back[key], value), f"{path}: tensor {key} changed on read-back"
