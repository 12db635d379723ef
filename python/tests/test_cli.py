"""`kws-py` prints what `kws detect` prints, text and JSON Lines, on the same files."""
from __future__ import annotations

import subprocess

from kws import cli


def run_cli(binary, *arguments):
    done = subprocess.run([str(binary), "detect", *arguments], capture_output=True, text=True)
    return done.returncode, done.stdout


def test_text_and_json_like_kws_detect(kws_binary, root, capsys):
    files = [str(root / "Samples" / name) for name in ("yes.wav", "unknown_bird.wav", "sequence.wav")]
    for flags in ([], ["--json"], ["--top", "3"], ["--json", "--top", "2"], ["-t", "stop=0.99", "-t", "0.8"]):
        arguments = ["-m", "tc-resnet8-int8", *flags, *files]
        assert cli.main(arguments) == 0
        status, expected = run_cli(kws_binary, *arguments)
        assert status == 0
        assert capsys.readouterr().out == expected, flags


def test_a_bad_file_is_one_line_and_the_others_still_run(root, capsys):
    status = cli.main(["-m", "tc-resnet8-int8", "/nonexistent/x.wav", str(root / "Samples" / "yes.wav")])
    captured = capsys.readouterr()
    assert status == 66
    assert captured.out.startswith(str(root / "Samples" / "yes.wav") + ": yes ")
    assert len(captured.err.splitlines()) == 1 and "x.wav" in captured.err


def test_the_console_entry_point(kws_binary, root):
    """`pip install ./python` puts a kws-py command beside the interpreter."""
    import shutil
    import sys
    from pathlib import Path

    command = Path(sys.executable).parent / "kws-py"
    if not command.exists():
        command = Path(shutil.which("kws-py") or "")
    if not command.is_file():
        import pytest
        pytest.skip("kws-py is not installed (run through python/test.sh)")
    import os
    environment = dict(os.environ, KWS_LIBRARY=str(kws_binary.parent / "libKWSCAPI.so"))
    done = subprocess.run([str(command), "-m", "tc-resnet8-int8", str(root / "Samples" / "no.wav")], capture_output=True, text=True,
                          env=environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout == run_cli(kws_binary, "-m", "tc-resnet8-int8", str(root / "Samples" / "no.wav"))[1]
