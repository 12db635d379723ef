#!/usr/bin/env bash
# `make bench-onnx`: a venv with onnx + onnxruntime from PyPI (once), then the side-by-side benchmark.
# BUILD (default .build/release) must hold release builds of kws and kws-bench. BENCH_SCRIPT=bench_table.py
# runs make bench's summary table instead.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
fi
exec "$here/.venv/bin/python" "$here/${BENCH_SCRIPT:-bench_ort.py}" --build "${BUILD:-$(cd "$here/../.." && pwd)/.build/release}" "$@"
