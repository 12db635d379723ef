"""The accuracy tables of Models/README.md's "Precision highway" section: test-split top-1 of fp32, int8, hw4, hw2 (each from
`kws eval` on the held-out speaker split, with the engine that runs the file) and of the no-highway runs
(fake-quantized PyTorch network, Models/training/<model>-nohw<k>.json: they have no engine file), plus
model bytes and the fake-quant / numpy-integer / engine agreement of the shipped files.

Usage: python highway_table.py [--kws PATH] [--data DIR] [--write]   (--write replaces the text between the
`<!-- highway:begin -->` and `<!-- highway:end -->` markers of Models/README.md; otherwise prints it)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

from . import highway_int
from .common import MODELS_DIR, REPO_ROOT

BEGIN, END = "<!-- highway:begin -->", "<!-- highway:end -->"
MODELS = [("tc-resnet8", "TC-ResNet8"), ("tc-resnet14-1.5", "TC-ResNet14-1.5")]


def kws_accuracy(kws: str, data: str, model: str, engine: str) -> float:
    out = subprocess.run([kws, "eval", "--list", "Training/splits/test.txt", data, "--model", model, "--engine", engine,
                          "--json"], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout
    return float(json.loads(out.splitlines()[0])["accuracy"])


def tensor_bytes(path, prefix: str) -> int:
    tensors, _ = highway_int.read_file(path)
    return int(sum(v.nbytes for k, v in tensors.items() if k.startswith(prefix)))


def cell(acc: float | None, ref: float) -> str:
    if acc is None:
        return "—"
    d = (acc - ref) * 100
    sign = "+" if d > 0.005 else "−" if d < -0.005 else "±"
    return f"{acc * 100:.2f}% ({sign}{abs(d):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    ap.add_argument("--data", default="../shared/data/speech_commands")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    rows, detail, bytes_rows, gains, fp32_of = [], [], [], [], {}
    for name, display in MODELS:
        fp32 = kws_accuracy(args.kws, args.data, name, "float")
        int8 = kws_accuracy(args.kws, args.data, f"{name}-int8", "int8")
        hw, nohw = {}, {}
        for k in (4, 2):
            path = MODELS_DIR / f"{name}-hw{k}.safetensors"
            if path.exists():
                report = json.loads((MODELS_DIR / "training" / f"{name}-hw{k}.json").read_text())
                engine = kws_accuracy(args.kws, args.data, f"{name}-hw{k}", "highway")
                hw[k] = engine
                agreement = report["integer_vs_fake_quant"]
                detail.append(f"| {display} hw{k} | {report['fake_quant_test_accuracy'] * 100:.2f}% | "
                              f"{report['integer_test_accuracy'] * 100:.2f}% | {engine * 100:.2f}% | "
                              f"{agreement['top1_agreement'] * 100:.1f}% | {agreement['max_abs_logit_difference']:.3f} |")
                bytes_rows.append((display, k, tensor_bytes(path, "hw.")))
            nohw_path = MODELS_DIR / "training" / f"{name}-nohw{k}.json"
            if nohw_path.exists():
                nohw[k] = json.loads(nohw_path.read_text())["fake_quant_test_accuracy"]
            if k in hw and k in nohw:
                gain = (hw[k] - nohw[k]) * 100
                gains.append(f"{display} {k}-bit {'−' if gain < -0.005 else '+'}{abs(gain):.2f} pp")
        rows.append(f"| {display} | {fp32 * 100:.2f}% | {cell(int8, fp32)} | {cell(hw.get(4), fp32)} | "
                    f"{cell(hw.get(2), fp32)} | {cell(nohw.get(4), fp32)} | {cell(nohw.get(2), fp32)} |")
        int8_bytes = tensor_bytes(MODELS_DIR / f"{name}-int8.safetensors", "quant.")
        fp32_bytes = tensor_bytes(MODELS_DIR / f"{name}.safetensors", "")
        bytes_rows.append((display, 8, int8_bytes))
        bytes_rows.append((display, 32, fp32_bytes))
        fp32_of[display] = fp32_bytes

    lines = [BEGIN, "Top-1 on the held-out speaker test split (520 clips; one clip is 0.19 pp), difference from fp32 in pp. "
             "fp32, int8, hw4 and hw2 are `kws eval --list Training/splits/test.txt ../shared/data/speech_commands` "
             "with the engine that runs each file (`--engine float`, `int8`, `highway`). The no-highway runs have no "
             "engine file; their numbers are the fake-quantized PyTorch network on the same clips (for the shipped "
             "hw files that number is in the second table, next to the engine's). `Training/highway_table.py --write` "
             "regenerates these tables.", "",
             "| model | fp32 | int8 | hw4 (highway) | hw2 (highway) | 4-bit, no highway | 2-bit, no highway |",
             "|---|---|---|---|---|---|---|"] + rows + [
             "", "What the highway buys (highway minus no highway, same bits, same recipe): " + "; ".join(gains) + ".",
             "", "Shipped files: the fake-quantized PyTorch network, the independent numpy integer network "
             "(`Training/highway_int.py`, reads the file) and the engine (`kws eval`, kws's own front end):", "",
             "| file | fake-quant | numpy integer | engine (`kws eval`) | integer vs fake-quant top-1 agreement | "
             "max \\|Δlogit\\| |", "|---|---|---|---|---|---|"] + detail + [
             "", "Model bytes (what each engine reads: packed k-bit branch weights, s8 stem / shortcuts / classifier, "
             "per-channel s32 vectors; int8: the `quant.` tensors; fp32: the float tensors), share of fp32:", "",
             "| model | fp32 | int8 | hw4 | hw2 |", "|---|---|---|---|---|"] + [
             f"| {display} | " + " | ".join(
                 next((f"{b:,} ({b / fp32_of[display]:.1%})" if k != 32 else f"{b:,}" for d, k2, b in bytes_rows
                       if d == display and k2 == k), "—") for k in (32, 8, 4, 2)) + " |"
             for _, display in MODELS] + [END]
    section = "\n".join(lines) + "\n"
    if not args.write:
        print(section)
        return 0
    readme = MODELS_DIR / "README.md"
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        print(f"highway_table.py: no {BEGIN} ... {END} markers in {readme}", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    readme.write_text(head + section.rstrip("\n") + rest.split(END, 1)[1])
    print(f"wrote the highway tables of {readme.relative_to(REPO_ROOT)}")
    return 0
