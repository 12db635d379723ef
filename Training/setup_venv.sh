#!/usr/bin/env bash
# Creates Training/.venv with the pinned training dependencies. Idempotent: a venv that already
# imports the pinned versions is left alone. Called by the top-level `make train-deps`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" - <<'PY' 2>/dev/null
import torch, numpy, parselmouth, pyroomacoustics, pyopen_wakeword
assert parselmouth.__version__ == "0.4.7", parselmouth.__version__
assert torch.__version__.split("+")[0] == "2.13.0", torch.__version__
assert numpy.__version__ == "2.4.6", numpy.__version__
PY
then
    echo "Training/.venv is up to date"
    exit 0
fi

"$python" -m venv "$venv"
# torch's CPU wheel comes from a local wheel folder when one holds it (PIP_FIND_LINKS, /opt/wheels,
# /tmp/pipdl): it saves a 190 MB download and works where only PyPI is reachable. Otherwise it comes
# from PyTorch's CPU index (PyPI's own torch wheel pulls in CUDA libraries).
links=()
for d in ${PIP_FIND_LINKS:-} /opt/wheels /tmp/pipdl; do
    if ls "$d"/torch-2.13.0+cpu-*.whl >/dev/null 2>&1; then links+=(--find-links "$d"); fi
done
if [ ${#links[@]} -gt 0 ]; then
    "$venv/bin/pip" install --quiet "${links[@]}" -r "$here/requirements.txt"
else
    "$venv/bin/pip" install --quiet --index-url https://download.pytorch.org/whl/cpu \
        --extra-index-url https://pypi.org/simple -r "$here/requirements.txt"
fi
"$venv/bin/python" -c "import torch, numpy; print('torch', torch.__version__, 'numpy', numpy.__version__)"
