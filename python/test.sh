#!/usr/bin/env bash
# Runs the Python package's tests (python/tests) against the libkws and kws binary of a build tree
# ($KWS_BUILD_DIR, default .build/debug): `make test-python`, and `make test` after the XCTest suite.
#
# The package is pip-installed into python/.venv (numpy and pytest from PyPI, or from the system's Python
# when the venv cannot be made or reach an index), so the tests also prove `pip install ./python` works.
# Without python3 the tests are skipped with one line saying so (exit status 0).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
export KWS_BUILD_DIR=${KWS_BUILD_DIR:-$root/.build/debug}
python=${PYTHON:-python3}
venv=$here/.venv

if ! command -v "$python" >/dev/null 2>&1; then
    echo "python tests: skipped: no $python (install python3 and python3-venv to run them)"
    exit 0
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import numpy, pytest' 2>/dev/null; then
    echo "python tests: making $venv (numpy, pytest)"
    rm -rf "$venv"
    if ! { "$python" -m venv "$venv" && "$venv/bin/pip" install -q numpy pytest; }; then
        # No venv module or no package index: the system's numpy and pytest, if it has them.
        rm -rf "$venv"
        "$python" -m venv --system-site-packages "$venv" 2>/dev/null || true
        if ! "$venv/bin/python" -c 'import numpy, pytest' 2>/dev/null; then
            echo "python tests: skipped: cannot make a venv with numpy and pytest (install python3-venv, or numpy and pytest)"
            exit 0
        fi
    fi
fi
# The package itself, as a user installs it (no build isolation: setuptools comes with the venv or the system).
if ! "$venv/bin/pip" install -q --no-deps --force-reinstall --no-build-isolation "$here" 2>/dev/null; then
    "$venv/bin/pip" install -q setuptools wheel >/dev/null 2>&1
    "$venv/bin/pip" install -q --no-deps --force-reinstall --no-build-isolation "$here" || exit 1
fi
# From the checkout root, so `import kws` is the installed package, not python/kws.
cd "$root" && exec "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
