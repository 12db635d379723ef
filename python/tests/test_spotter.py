"""The Spotter over libkws: numpy arrays in (int16 or float, mono or (frames, channels)), detections out,
the same detections as the C API and the CLI give."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

import kws

MODEL = "tc-resnet8-int8"


def cli_detections(binary, path, *flags):
    done = subprocess.run([str(binary), "detect", "--json", "-m", MODEL, *flags, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_detections_match_the_cli(kws_binary, root, sequence):
    samples, rate = sequence
    assert samples.dtype == np.float32 and rate == 16000
    with kws.Spotter(MODEL) as spotter:
        found = spotter.detect(samples, rate)
    expected = cli_detections(kws_binary, root / "Samples" / "sequence.wav")
    assert [(d.label, round(d.start, 3), round(d.end, 3)) for d in found] == [(e["label"], e["start"], e["end"]) for e in expected]
    assert all(isinstance(d, kws.Detection) and 0 < d.score <= 1 and d.windows_above >= 1 for d in found)


def test_int16_float_and_chunks_hear_the_same(sequence):
    samples, rate = sequence
    spotter = kws.Spotter(MODEL)
    whole = spotter.detect(samples, rate)
    as_int16 = np.clip(np.round(samples * 32768), -32768, 32767).astype(np.int16)
    assert [d.label for d in spotter.detect(as_int16, rate)] == [d.label for d in whole]
    chunked = []
    for start in range(0, len(samples), 3001):
        chunked += spotter.feed(samples[start:start + 3001].astype(np.float64), rate)
    chunked += spotter.finish()
    assert chunked == whole


def test_frames_by_channels_are_mixed_to_mono(sequence):
    samples, rate = sequence
    spotter = kws.Spotter(MODEL)
    stereo = np.stack([samples, samples * 0.5], axis=1)
    mixed = (samples + samples * 0.5) * 0.5
    assert spotter.detect(stereo, rate) == spotter.detect(mixed.astype(np.float32), rate)


def test_classify_a_clip(root):
    samples, rate = kws.read_wav(str(root / "Samples" / "yes.wav"))
    result = kws.Spotter(MODEL).classify(samples, np.int64(rate))   # numpy integers are rates too
    assert result.label == "yes" and result.score > 0.5
    assert len(result.posteriors) == 12 and abs(sum(p for _, p in result.posteriors) - 1) < 1e-4
    assert result.top(2)[0] == ("yes", result.score)


def test_thresholds_per_keyword_and_from_a_budget(sequence):
    spotter = kws.Spotter(MODEL, thresholds={"yes": 0.999})
    assert spotter.threshold("yes") == pytest.approx(0.999)
    others = {k: v for k, v in spotter.thresholds.items() if k != "yes"}
    assert others == {k: v for k, v in kws.Spotter(MODEL).thresholds.items() if k != "yes"}
    spotter.set_threshold(None, 0.5)
    assert set(spotter.thresholds.values()) == {0.5}
    with pytest.raises(kws.KWSError) as failure:
        spotter.set_threshold("_silence_", 0.5)
    assert failure.value.status_name == "KWS_ERROR_INVALID_ARGUMENT" and "not a keyword" in failure.value.message
    spotter.feed(sequence[0][:1600])
    with pytest.raises(kws.KWSError) as midstream:
        spotter.set_threshold("yes", 0.9)
    assert midstream.value.status_name == "KWS_ERROR_STATE"


def test_input_warnings(sequence):
    samples, _ = sequence
    spotter = kws.Spotter(MODEL)
    spotter.detect(samples, 16000)
    assert spotter.input_warnings() == []
    interleaved = np.repeat(samples, 2)            # stereo frames fed as mono
    spotter.detect(interleaved, 16000)
    warnings = spotter.input_warnings()
    assert [w.kind for w in warnings] == ["interleaved_channels"]
    assert "interleaved channels" in warnings[0].message
    spotter.reset()
    assert spotter.input_warnings() == []


def test_errors_say_what_went_wrong(root):
    with pytest.raises(kws.KWSError) as missing:
        kws.Spotter("no-such-model")
    assert missing.value.status_name == "KWS_ERROR_MODEL" and "no-such-model" in missing.value.message
    with pytest.raises(kws.KWSError) as io:
        kws.read_wav(str(root / "no-such.wav"))
    assert io.value.status_name == "KWS_ERROR_IO"
    spotter = kws.Spotter(MODEL)
    with pytest.raises(kws.KWSError):
        spotter.feed(np.zeros(10, dtype=np.float32), sample_rate=100)
    with pytest.raises(TypeError):
        spotter.feed(np.zeros(10, dtype=np.int32))
    spotter.close()
    with pytest.raises(ValueError):
        spotter.feed(np.zeros(10, dtype=np.float32))


def test_version_matches_the_header(root):
    header = (root / "include" / "kws.h").read_text()
    assert f'#define KWS_VERSION_STRING "{kws.version()}"' in header
