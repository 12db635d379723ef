"""Where the package finds libkws: the installed prefix's lib directory, then $KWS_LIBRARY, then the build tree."""
from __future__ import annotations

import pytest

import kws
from kws import _library


def test_lookup_order(monkeypatch, tmp_path):
    installed = tmp_path / "prefix" / "lib" / "libkws.so.1"
    env = tmp_path / "env" / "libkws.so"
    build = tmp_path / "build" / "libKWSCAPI.so"
    for path in (installed, env, build):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"")
    monkeypatch.setattr(_library, "_explicit", None)
    monkeypatch.setattr(_library, "_installed_candidates", lambda: [installed])
    monkeypatch.setattr(_library, "_build_tree_candidates", lambda: [build])
    monkeypatch.setenv("KWS_LIBRARY", str(env))
    assert kws.library_path() == str(installed)
    installed.unlink()
    assert kws.library_path() == str(env)
    monkeypatch.delenv("KWS_LIBRARY")
    assert kws.library_path() == str(build)
    build.unlink()
    with pytest.raises(kws.KWSError) as missing:
        kws.library_path()
    assert "make install" in missing.value.message and str(installed) in missing.value.message


def test_an_installed_kws_command_names_its_prefix(monkeypatch, tmp_path):
    command = tmp_path / "bin" / "kws"
    command.parent.mkdir()
    command.write_text("#!/bin/sh\n")
    command.chmod(0o755)
    monkeypatch.setenv("PATH", str(command.parent))
    assert tmp_path / "lib" / "libkws.so.1" in _library._installed_candidates()
