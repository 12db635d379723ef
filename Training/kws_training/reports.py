"""What a finished run leaves behind: the test report (accuracy, confusion, per-speaker figures) and the run's
weights under runs/."""
from __future__ import annotations

import json

import torch

from .common import LABELS, MODELS_DIR, RUNS_DIR


def confusion(labels: torch.Tensor, preds: torch.Tensor) -> list[list[int]]:
    m = torch.zeros(len(LABELS), len(LABELS), dtype=torch.long)
    for t, p in zip(labels.tolist(), preds.tolist()):
        m[t, p] += 1
    return m.tolist()


def test_report(name: str, paths: list[str], labels: torch.Tensor, probs: torch.Tensor, loss: float,
                training: dict, **extra) -> dict:
    """Models/training/<name>.json for one evaluation of the test split: accuracy, per-class recall, the
    confusion matrix and every prediction; `extra` (history, ...) goes before the training record."""
    pred = probs.argmax(dim=1)
    recall = {LABELS[l]: round((pred[labels == l] == l).float().mean().item(), 4) if bool((labels == l).any()) else None
              for l in range(len(LABELS))}
    return {"name": name, "labels": LABELS, "test_accuracy": round((pred == labels).float().mean().item(), 4),
            "test_loss": round(loss, 4), "test_recall": recall,
            "test_confusion": {"rows": "true label", "cols": "predicted label", "matrix": confusion(labels, pred)},
            "test_predictions": [[p, LABELS[int(k)], round(float(probs[i, k]), 4)] for i, (p, k) in enumerate(zip(paths, pred))],
            **extra, "training": training}


def save_run(name: str, report: dict, state: dict, run_name: str | None = None) -> None:
    """Writes the report and the weights (Training/runs/<run_name>.pt), then says so."""
    (MODELS_DIR / "training").mkdir(parents=True, exist_ok=True)
    (MODELS_DIR / "training" / f"{name}.json").write_text(json.dumps(report, separators=(",", ":")) + "\n")
    RUNS_DIR.mkdir(parents=True, exist_ok=True)
    torch.save(state, RUNS_DIR / f"{run_name or name}.pt")
    print(f"wrote Models/{name}.safetensors (test {report['test_accuracy']:.4f})", flush=True)


def carried_selection_run(report_path) -> dict | None:
    """The validation-selected run's record from an existing report (its own, or one already carried)."""
    if not report_path.exists():
        return None
    old = json.loads(report_path.read_text())
    if "validation_selected_run" in old:
        return old["validation_selected_run"]
    if "validation_posteriors" not in old:
        return None
    return {"note": "validation-selected run of the same recipe on the train split only (not the shipped "
                    "weights); its validation posteriors are kept for threshold/ROC work",
            "validation_accuracy": old.get("validation_accuracy"), "test_accuracy": old.get("test_accuracy"),
            "best_epoch": old["training"].get("best_epoch"), "epochs": old["training"].get("epochs"),
            "training": old["training"], "validation_posteriors": old["validation_posteriors"]}
