"""Writes the float-model section of Models/README.md from `kws eval` on the held-out test split.

Every number comes from the Swift engine (`kws eval --json --list Training/splits/test.txt`), so the README
is exactly what a user reproduces. The section sits between the markers below and is replaced in place.

    python3 Training/report_models.py [--kws .build/release/kws]
"""
from __future__ import annotations

import argparse
import json
import subprocess

from .common import DATA_DIR, MODELS_DIR, REPO_ROOT, SPLITS_DIR

BEGIN, END = "<!-- float-models:begin -->", "<!-- float-models:end -->"
FLOAT_MODELS = ["tc-resnet8", "tc-resnet8-1.5", "tc-resnet14", "tc-resnet14-1.5"]
PAPER = {"tc-resnet8": (96.1, 66, 3.0), "tc-resnet8-1.5": (96.2, 145, 6.6),
         "tc-resnet14": (96.2, 137, 6.1), "tc-resnet14-1.5": (96.6, 305, 13.4)}


def run(kws: str, *args: str) -> str:
    return subprocess.run([kws, *args], check=True, capture_output=True, text=True).stdout


def info(kws: str, name: str) -> dict[str, str]:
    fields = {}
    for line in run(kws, "info", name).splitlines():
        key, _, value = line.partition(" ")
        fields[key] = value.strip()
    return fields


def section(kws: str) -> str:
    lines = [BEGIN, "## Float models", "",
             "Top-1 on the held-out speaker test split (520 clips, 22 speakers never seen in training), measured by",
             "`kws eval --list Training/splits/test.txt ../shared/data/speech_commands --model NAME` (kws's own front",
             "end and float engine). The paper's numbers are on Speech Commands v0.01 with ~10× the training data",
             "and its (easier) all-zero silence test clips; they are the horizon, not a like-for-like comparison.",
             "How each model was trained and selected is in its `training` metadata and `Training/README.md`.", "",
             "| model | params (conv+FC) | MACs | test top-1 | paper top-1 | paper params / FLOPs |",
             "|---|---|---|---|---|---|"]
    details = []
    for name in FLOAT_MODELS:
        if not (MODELS_DIR / f"{name}.safetensors").exists():
            continue
        meta = info(kws, name)
        report = json.loads(run(kws, "eval", "--json", "--model", name, "--list", str(SPLITS_DIR / "test.txt"), str(DATA_DIR)))
        params = meta["parameters"].split()[0]
        macs = meta["MACs"].split()[0]
        paper = PAPER[name]
        lines.append(f"| {name} | {int(params):,} | {int(macs) / 1e6:.2f} M | **{report['accuracy'] * 100:.2f}%** | "
                     f"{paper[0]}% | {paper[1]}K / {paper[2]} M |")
        labels = report["labels"]
        recall = " | ".join(f"{report['per_class'][l] * 100:.0f}" if report['per_class'][l] is not None else "–" for l in labels)
        details += [f"### {name}", "", "Recall per class (%):", "",
                    "| " + " | ".join(labels) + " |", "|" + "---|" * len(labels), "| " + recall + " |", "",
                    "Confusion matrix (rows = truth, columns = prediction, same label order):", "", "```"]
        details += [f"{label:>10} " + " ".join(f"{n:4d}" for n in row) for label, row in zip(labels, report["confusion"])]
        details += ["```", ""]
    lines += [""] + details + [END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kws", default=str(REPO_ROOT / ".build" / "release" / "kws"))
    args = parser.parse_args()
    readme = MODELS_DIR / "README.md"
    text = readme.read_text() if readme.exists() else "# Shipped models\n"
    new = section(args.kws)
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + new + text[text.index(END) + len(END):]
    else:
        head, sep, rest = text.partition("\n## ")
        text = head.rstrip() + "\n\n" + new + "\n\n" + (sep.strip() + " " + rest if sep else "")
    readme.write_text(text.rstrip() + "\n")
    print(new)
