"""kws int8 vs ONNX Runtime, side by side, on the same trained TC-ResNet weights.

For each float model in Models/ (default: those with a shipped -int8 sibling):
  1. export it to ONNX (tcresnet_onnx.py: numpy + onnx.helper, BN folded) and check ORT fp32 against a
     float64 numpy reference of the network;
  2. quantize it with ORT's static quantization (QDQ, per-channel s8 weights, u8 activations, MinMax
     calibration) on 100 train-split windows whose MFCCs come from `kws features`, so ORT sees exactly
     the features kws computes;
  3. time ORT fp32 and ORT int8 with one intra-op thread and IO binding (median/p90 of RUNS calls after
     WARMUP), and top-1 accuracy of both on the test split;
  4. run `kws-bench int8` and print kws's float and int8 (per ISA) latencies next to ORT's, with ratios.

Usage: python bench_ort.py [--build .build/release] [--models tc-resnet8 ...] [--runs 2000]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

import tcresnet_onnx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "speech_commands"))
CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache")


def one_second(path):
    """16 kHz mono s16 samples framed as `kws eval` frames a clip: padded at the end or the central second."""
    with wave.open(path, "rb") as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    out = np.zeros(16000, dtype=np.int16)
    offset = max(0, (len(samples) - 16000) // 2)
    count = min(16000, len(samples))
    out[:count] = samples[offset : offset + count]
    return out


def kws_features(kws, paths, cache_name):
    """`kws features` of each clip's 1 s window, [N, 98, 40] float32, cached."""
    os.makedirs(CACHE, exist_ok=True)
    cached = os.path.join(CACHE, cache_name)
    if os.path.exists(cached):
        return np.load(cached)
    windows = []
    with tempfile.TemporaryDirectory() as tmp:
        wav, npy = os.path.join(tmp, "clip.wav"), os.path.join(tmp, "clip.npy")
        for index, path in enumerate(paths):
            with wave.open(wav, "wb") as w:
                w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
                w.writeframes(one_second(os.path.join(DATA, path)).tobytes())
            subprocess.run([kws, "features", wav, "--out", npy], check=True)
            windows.append(np.load(npy))
            if sys.stderr.isatty():
                print(f"\rfeatures {index + 1}/{len(paths)}", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    result = np.stack(windows).astype(np.float32)
    np.save(cached, result)
    return result


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def time_session(sess, window, runs, warmup):
    """Median and p90 µs of `run_with_iobinding` on one pre-bound window (the Python call overhead, about a
    microsecond, is included)."""
    binding = sess.io_binding()
    x = np.ascontiguousarray(window.T[None, :, :])
    binding.bind_cpu_input("features", x)
    binding.bind_output("logits")
    for _ in range(warmup):
        sess.run_with_iobinding(binding)
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        sess.run_with_iobinding(binding)
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[min(runs - 1, runs * 9 // 10)]


def logits(sess, windows):
    return np.stack([sess.run(["logits"], {"features": np.ascontiguousarray(w.T[None])})[0][0] for w in windows])


class Reader(CalibrationDataReader):
    def __init__(self, windows):
        self.items = iter([{"features": np.ascontiguousarray(w.T[None])} for w in windows])

    def get_next(self):
        return next(self.items, None)


def kws_bench(build, isa=None, models=None):
    """`kws-bench int8` (with KWS_ISA=`isa`, only `models` if given): ({model name: {variant: median µs}},
    {model name: compute bound µs}, peak VNNI MAC/s or None)."""
    env = dict(os.environ, **({"KWS_ISA": isa} if isa else {}), **({"KWS_BENCH_MODELS": ",".join(models)} if models else {}))
    output = subprocess.run([os.path.join(build, "kws-bench"), "int8"], cwd=ROOT, check=True, capture_output=True,
                            text=True, env=env).stdout
    print(output.rstrip())
    results, bounds, model = {}, {}, None
    peak = re.search(r"rate .*?: ([\d.]+) G int8 MAC/s", output)
    for line in output.splitlines():
        header = re.match(r"\s+(\S+) \[Models/", line)
        if header:
            model = header.group(1).removesuffix("-int8")
            results[model] = {}
            bound = re.search(r"compute bound ([\d.]+) µs", line)
            if bound:
                bounds[model] = float(bound.group(1))
        timing = re.match(r"\s+(float \S+|int8(?:-acc16)? \S+)\s+median\s+([\d.]+) µs", line)
        if timing and model:
            results[model][timing.group(1)] = float(timing.group(2))
    return results, bounds, float(peak.group(1)) * 1e9 if peak else None


def split(name):
    with open(os.path.join(ROOT, "Training", "splits", name)) as f:
        return [line.strip() for line in f if line.strip()]


def ort_timings(kws, names, runs, warmup):
    """{model name: {"fp32": (median, p90), "int8": (median, p90)}} µs of ONNX Runtime (1 thread) on each float
    model's weights, fp32 checked against the numpy reference, int8 statically quantized on `kws features`."""
    models_dir = os.path.join(ROOT, "Models")
    train = split("train.txt")
    rng = np.random.default_rng(0)
    calibration = kws_features(kws, [train[i] for i in rng.permutation(len(train))[:100]], "train-100.npy")
    test_paths = split("test.txt")
    test = kws_features(kws, test_paths, "test.npy")
    print(f"ORT {ort.__version__}, 1 intra-op thread; features from `kws features`; "
          f"{len(calibration)} calibration windows, {len(test)} test windows")

    ort_results = {}
    for name in names:
        path = os.path.join(models_dir, name + ".safetensors")
        model, metadata = tcresnet_onnx.build_model(path)
        labels = __import__("json").loads(metadata["labels"])
        truth = np.array([labels.index(p.split("/")[0]) for p in test_paths])
        fp32_path = os.path.join(CACHE, name + ".onnx")
        int8_path = os.path.join(CACHE, name + "-int8.onnx")
        with open(fp32_path, "wb") as f:
            f.write(model.SerializeToString())
        quantize_static(fp32_path, int8_path, Reader(calibration), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        fp32, int8 = session(fp32_path), session(int8_path)
        reference = np.stack([tcresnet_onnx.forward_numpy(path, w) for w in test[:3]])
        error = np.abs(logits(fp32, test[:3]) - reference).max()
        accuracy = {kind: float((logits(s, test).argmax(1) == truth).mean()) for kind, s in (("fp32", fp32), ("int8", int8))}
        window = test[0]
        ort_results[name] = {"fp32": time_session(fp32, window, runs, warmup),
                             "int8": time_session(int8, window, runs, warmup)}
        print(f"  {name}: ORT fp32 vs numpy float64 reference max |Δlogit| {error:.2e}; test top-1 ORT fp32 "
              f"{accuracy['fp32'] * 100:.2f}%, ORT int8 {accuracy['int8'] * 100:.2f}%")
        for kind in ("fp32", "int8"):
            median, p90 = ort_results[name][kind]
            print(f"    ORT {kind}: median {median:8.2f} µs  p90 {p90:8.2f} µs")
    return ort_results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, ".build", "release"), help="folder with kws and kws-bench")
    parser.add_argument("--models", nargs="*", help="float model names (default: every Models/X.safetensors with X-int8)")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    kws = os.path.join(args.build, "kws")
    models_dir = os.path.join(ROOT, "Models")
    names = args.models or sorted(f[: -len(".safetensors")] for f in os.listdir(models_dir)
                                  if f.endswith(".safetensors") and not f.endswith("-int8.safetensors")
                                  and os.path.exists(os.path.join(models_dir, f.replace(".safetensors", "-int8.safetensors"))))

    ort_results = ort_timings(kws, names, args.runs, args.warmup)
    kws_results, _, _ = kws_bench(args.build)
    print("\nside by side (median µs per 98×40 window, 1 thread; ratio = ORT ÷ kws int8 best ISA):")
    print(f"{'model':<18}{'kws fp32':>10}{'kws int8':>10}{'ORT fp32':>10}{'ORT int8':>10}{'ORT fp32/kws':>14}{'ORT int8/kws':>14}")
    for name in names:
        k = kws_results.get(name, {})
        best_int8 = min((v for key, v in k.items() if key.startswith("int8 ")), default=float("nan"))
        kws_float = next((v for key, v in k.items() if key.startswith("float")), float("nan"))
        of, oi = ort_results[name]["fp32"][0], ort_results[name]["int8"][0]
        print(f"{name:<18}{kws_float:>10.2f}{best_int8:>10.2f}{of:>10.2f}{oi:>10.2f}{of / best_int8:>13.2f}×{oi / best_int8:>13.2f}×")


if __name__ == "__main__":
    main()
