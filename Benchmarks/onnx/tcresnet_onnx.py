"""Builds an ONNX graph of a kws TC-ResNet from its safetensors file, with numpy and onnx.helper only.

Batch norm is folded into each convolution in float64 (as kws does at load time), so ONNX Runtime runs the
same network as the kws float engine: stem conv+ReLU, residual blocks, global average pool over time and
the bias-free classifier. The graph input is the MFCC window as `[1, 40, T]` (channels first, as ONNX Conv
wants); the script transposes kws's time-major `[T, 40]` features before feeding them.

`forward_numpy` is an independent float64 reference of the same network, used to check the export.
"""
import json
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DTYPES = {"F32": np.float32, "I8": np.int8, "U8": np.uint8, "I32": np.int32}


def read_safetensors(path):
    """(metadata, {name: array}) for the tensor dtypes kws files use."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start + begin : start + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return header.get("__metadata__", {}), tensors


def channels(metadata):
    base = {"tc-resnet8": [16, 24, 32, 48], "tc-resnet14": [16, 24, 24, 32, 32, 48, 48]}[metadata["architecture"]]
    width = float(metadata["width_multiplier"])
    return [int(c * width) for c in base]


def folded_layers(metadata, tensors):
    """[(name, weight [C_out, C_in, K] float32, bias float32, stride)] in execution order, and the fc weight."""
    eps = float(metadata.get("bn_epsilon", "0.001"))

    def fold(conv, bn, stride):
        w = tensors[f"{conv}.weight"].astype(np.float64)
        scale = tensors[f"{bn}.weight"] / np.sqrt(tensors[f"{bn}.running_var"].astype(np.float64) + eps)
        bias = tensors[f"{bn}.bias"] - tensors[f"{bn}.running_mean"] * scale
        return (conv, (w * scale[:, None, None]).astype(np.float32), bias.astype(np.float32), stride)

    ch = channels(metadata)
    layers = [fold("stem.conv", "stem.bn", 1)]
    blocks = []
    for i in range(len(ch) - 1):
        projection = ch[i] != ch[i + 1]
        stride = 2 if projection else 1
        shortcut = fold(f"blocks.{i}.shortcut.conv", f"blocks.{i}.shortcut.bn", 2) if projection else None
        blocks.append((fold(f"blocks.{i}.conv1", f"blocks.{i}.bn1", stride), fold(f"blocks.{i}.conv2", f"blocks.{i}.bn2", 1), shortcut))
    return layers[0], blocks, tensors["fc.weight"].astype(np.float32)


def build_model(path, frames=98):
    metadata, tensors = read_safetensors(path)
    stem, blocks, fc = folded_layers(metadata, tensors)
    coefficients = json.loads(metadata["frontend"])["coefficients"]
    nodes, initializers = [], []

    def conv(layer, x, relu=True):
        name, w, b, stride = layer
        k = w.shape[2]
        initializers.extend([numpy_helper.from_array(w, f"{name}.w"), numpy_helper.from_array(b, f"{name}.b")])
        out = f"{name}.out"
        nodes.append(helper.make_node("Conv", [x, f"{name}.w", f"{name}.b"], [out], kernel_shape=[k],
                                      pads=[k // 2, k // 2], strides=[stride]))
        if relu:
            nodes.append(helper.make_node("Relu", [out], [f"{name}.relu"]))
            return f"{name}.relu"
        return out

    x = conv(stem, "features")
    for i, (conv1, conv2, shortcut) in enumerate(blocks):
        residual = conv(shortcut, x) if shortcut is not None else x
        hidden = conv(conv1, x)
        y = conv(conv2, hidden, relu=False)
        nodes.append(helper.make_node("Add", [y, residual], [f"blocks.{i}.sum"]))
        nodes.append(helper.make_node("Relu", [f"blocks.{i}.sum"], [f"blocks.{i}.out"]))
        x = f"blocks.{i}.out"
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["pooled"]))
    nodes.append(helper.make_node("Flatten", ["pooled"], ["flat"], axis=1))
    initializers.append(numpy_helper.from_array(fc, "fc.w"))
    nodes.append(helper.make_node("Gemm", ["flat", "fc.w"], ["logits"], transB=1))
    graph = helper.make_graph(nodes, metadata.get("name", "tc-resnet"),
                              [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, coefficients, frames])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, fc.shape[0]])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model, metadata


def forward_numpy(path, features):
    """float64 reference logits for one `[T, C]` window."""
    metadata, tensors = read_safetensors(path)
    stem, blocks, fc = folded_layers(metadata, tensors)

    def conv(layer, x, relu=True):
        _, w, b, stride = layer
        k = w.shape[2]
        padded = np.pad(x, ((k // 2, k // 2), (0, 0)))
        length = (padded.shape[0] - k) // stride + 1
        out = np.stack([np.einsum("ki,oik->o", padded[t * stride : t * stride + k], w.astype(np.float64)) for t in range(length)]) + b
        return np.maximum(out, 0) if relu else out

    x = conv(stem, features.astype(np.float64))
    for conv1, conv2, shortcut in blocks:
        residual = conv(shortcut, x) if shortcut is not None else x
        x = np.maximum(conv(conv2, conv(conv1, x), relu=False) + residual, 0)
    return fc.astype(np.float64) @ x.mean(axis=0)
