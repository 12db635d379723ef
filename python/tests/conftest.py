"""Points the package at the libkws and kws binary of a build tree: $KWS_BUILD_DIR (what `make test` sets),
else the checkout's .build/debug."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import kws

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD = Path(os.environ.get("KWS_BUILD_DIR", ROOT / ".build" / "debug"))


def pytest_configure(config: pytest.Config) -> None:
    library = BUILD / "libKWSCAPI.so"
    if library.is_file():
        kws.use_library(str(library))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kws_binary() -> Path:
    binary = BUILD / "kws"
    if not binary.is_file():
        pytest.skip(f"no kws binary in {BUILD}")
    return binary


@pytest.fixture(scope="session")
def sequence(root: Path):
    return kws.read_wav(str(root / "Samples" / "sequence.wav"))
