"""What every entry script in Training/ runs: `python <name>.py ARGS` calls kws_training.<name>.main().

The training recipes first re-execute themselves with glibc's malloc tuned: glibc returns every large
(>128 KiB) tensor buffer to the kernel and faults it back in on the next step, which cost more system time
than the training itself here; keeping freed memory in the heap makes a step ~3-6x faster on 2 cores. The
variables only act at process start, hence the re-exec, before torch is imported.
"""
from __future__ import annotations

import importlib
import os
import sys

MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "4000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000",
              "MALLOC_TOP_PAD_": "536870912"}
TRAINING_RECIPES = {"train", "alwayson", "prune", "qat", "custom_keyword"}


def run(name: str) -> int:
    if name in TRAINING_RECIPES and any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **MALLOC_ENV})
    return importlib.import_module(f"kws_training.{name}").main() or 0
