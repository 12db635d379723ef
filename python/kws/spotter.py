"""A keyword spotter over libkws: numpy arrays in, detections out."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_float, c_int16, c_size_t, c_uint32, c_void_p
from typing import Dict, List, Optional, Tuple, Union

import numpy as np

from ._library import library
from ._structs import KWS_NO_DETECTION, KWS_OK, SAMPLE_RATE, Classification as CClassification
from ._structs import Detection as CDetection, Options
from .errors import KWSError
from .types import INPUT_WARNING_BITS, Classification, Detection, InputWarning

Samples = Union[np.ndarray, "list[float]"]


def _check(status: int) -> int:
    if status < 0:
        raise KWSError(status, library().kws_last_error().decode("utf-8", "replace"))
    return status


def _frames(samples: Samples) -> Tuple[np.ndarray, int, bool]:
    """C-contiguous interleaved samples, the channel count, and whether they are int16.

    A 1-D array is mono; a 2-D array is (frames, channels). int16 stays int16 (s16 PCM); anything else is
    float32 in -1…1."""
    array = np.asarray(samples)
    if array.ndim == 1:
        channels = 1
    elif array.ndim == 2:
        channels = array.shape[1]
    else:
        raise ValueError(f"samples must be 1-D (mono) or 2-D (frames, channels), not {array.ndim}-D")
    if array.dtype == np.int16:
        return np.ascontiguousarray(array), channels, True
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"samples must be int16 or floating point, not {array.dtype}")
    if np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"integer samples must be int16 (s16 PCM), not {array.dtype}; convert to float in -1…1")
    return np.ascontiguousarray(array, dtype=np.float32), channels, False


class Spotter:
    """Hears keywords in audio fed as numpy arrays, through libkws's streaming detector.

    >>> spotter = kws.Spotter("tc-resnet8-int8")
    >>> for chunk in chunks:                      # np.int16 or float arrays, mono or (frames, channels)
    ...     for d in spotter.feed(chunk, sample_rate=48000):
    ...         print(d.label, d.start)
    >>> spotter.finish()

    Each keyword's threshold comes from `thresholds` (per keyword), then `threshold`, then
    `false_alarms_per_hour` (the model's operating points), then the model's own default. One thread at a
    time per spotter; close() (or a `with` block) frees it.
    """

    def __init__(self, model: Optional[str] = None, *, engine: Optional[str] = None, threshold: Optional[float] = None,
                 thresholds: Optional[Dict[str, float]] = None, false_alarms_per_hour: Optional[float] = None,
                 hop_ms: int = 100, smoothing_ms: int = 300, refractory_ms: int = 500) -> None:
        lib = library()
        options: Options = lib.kws_default_options()
        options.engine = engine.encode() if engine else None
        options.threshold = threshold or 0.0
        options.false_alarms_per_hour = false_alarms_per_hour or 0.0
        options.hop_ms, options.smoothing_ms, options.refractory_ms = hop_ms, smoothing_ms, refractory_ms
        handle = c_void_p()
        _check(lib.kws_spotter_create(model.encode() if model else None, byref(options), byref(handle)))
        self._lib = lib
        self._handle: Optional[c_void_p] = handle
        #: The model's labels, in posterior order.
        self.labels: List[str] = [lib.kws_label(handle, i).decode() for i in range(lib.kws_label_count(handle))]
        #: The keywords (labels other than _silence_ and _unknown_).
        self.keywords: List[str] = [label for label in self.labels if not label.startswith("_")]
        self._rate: Optional[int] = None
        for label, value in (thresholds or {}).items():
            self.set_threshold(label, value)

    # -- lifetime -------------------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the spotter; using it afterwards raises ValueError."""
        if self._handle is not None:
            self._lib.kws_spotter_free(self._handle)
            self._handle = None

    def __enter__(self) -> "Spotter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    @property
    def _spotter(self) -> c_void_p:
        if self._handle is None:
            raise ValueError("the spotter is closed")
        return self._handle

    # -- thresholds -----------------------------------------------------------------------------------

    def threshold(self, label: str) -> float:
        """The threshold keyword `label` fires at."""
        value = c_float()
        _check(self._lib.kws_spotter_threshold(self._spotter, label.encode(), byref(value)))
        return value.value

    @property
    def thresholds(self) -> Dict[str, float]:
        """Every keyword's threshold."""
        return {label: self.threshold(label) for label in self.keywords}

    def set_threshold(self, label: Optional[str], value: float) -> None:
        """Sets one keyword's threshold (label None: every keyword's); between streams only."""
        _check(self._lib.kws_spotter_set_threshold(self._spotter, label.encode() if label else None, value))

    def set_false_alarms_per_hour(self, budget: float) -> None:
        """Chooses every threshold from a false-alarm budget (0: the model's default); between streams only."""
        _check(self._lib.kws_spotter_set_false_alarms_per_hour(self._spotter, budget))

    # -- streaming ------------------------------------------------------------------------------------

    def feed(self, samples: Samples, sample_rate: int = SAMPLE_RATE) -> List[Detection]:
        """Feeds audio (1-D mono or 2-D (frames, channels); int16, or float in -1…1) and returns the detections
        decided so far. A stream keeps the rate of its first feed until finish() or reset()."""
        array, channels, is_int16 = _frames(samples)
        frames, sample_rate = int(array.shape[0]), int(sample_rate)
        if frames:
            if is_int16:
                _check(self._lib.kws_feed_s16(self._spotter, array.ctypes.data_as(POINTER(c_int16)), frames, sample_rate, channels))
            else:
                _check(self._lib.kws_feed_f32(self._spotter, array.ctypes.data_as(POINTER(c_float)), frames, sample_rate, channels))
        return self._drain()

    def finish(self) -> List[Detection]:
        """Ends the stream and returns its last detections; the next feed starts a new stream at time 0."""
        _check(self._lib.kws_finish(self._spotter))
        return self._drain()

    def reset(self) -> None:
        """Forgets the stream, its queued detections and its input warnings."""
        _check(self._lib.kws_reset(self._spotter))

    def detect(self, samples: Samples, sample_rate: int = SAMPLE_RATE) -> List[Detection]:
        """Every detection in a whole recording: feed() then finish()."""
        return self.feed(samples, sample_rate) + self.finish()

    def _drain(self) -> List[Detection]:
        found: List[Detection] = []
        record = CDetection()
        while _check(self._lib.kws_next_detection(self._spotter, byref(record))) != KWS_NO_DETECTION:
            found.append(Detection(label=record.label.decode(), score=record.score, start=record.start_seconds,
                                   end=record.end_seconds, start_sample=record.start_sample,
                                   end_sample=record.end_sample, threshold=record.threshold,
                                   windows_above=record.windows_above))
        return found

    # -- clips ----------------------------------------------------------------------------------------

    def classify(self, samples: Samples, sample_rate: int = SAMPLE_RATE) -> Classification:
        """Classifies one clip (at most 1.5 s is looked at whole) as one 1 s window."""
        array, channels, is_int16 = _frames(samples)
        sample_rate = int(sample_rate)
        result = CClassification()
        if is_int16:
            _check(self._lib.kws_classify_s16(self._spotter, array.ctypes.data_as(POINTER(c_int16)), array.shape[0],
                                              sample_rate, channels, byref(result)))
        else:
            _check(self._lib.kws_classify_f32(self._spotter, array.ctypes.data_as(POINTER(c_float)), array.shape[0],
                                              sample_rate, channels, byref(result)))
        posteriors = tuple((self.labels[i], float(result.posteriors[i])) for i in range(result.label_count))
        return Classification(label=result.label.decode(), score=result.score, posteriors=posteriors)

    # -- input health ---------------------------------------------------------------------------------

    def input_warnings(self) -> List[InputWarning]:
        """What the spotter heard wrong in the current stream (or the one finish() just ended): a wrong rate,
        channel count or sample format, digital silence, clipping, DC offset."""
        mask = c_uint32()
        _check(self._lib.kws_input_warnings(self._spotter, byref(mask)))
        found: List[InputWarning] = []
        for kind, bit in INPUT_WARNING_BITS.items():
            if mask.value & bit:
                message = c_char_p()
                _check(self._lib.kws_input_warning_message(self._spotter, bit, byref(message)))
                found.append(InputWarning(kind=kind, message=(message.value or b"").decode()))
        return found


def read_wav(path: str) -> Tuple[np.ndarray, int]:
    """Decodes a WAV file with kws's own decoder: (mono float32 samples, sample rate)."""
    lib = library()
    samples = POINTER(c_float)()
    count = c_size_t()
    rate = ctypes.c_int()
    _check(lib.kws_read_wav(str(path).encode(), byref(samples), byref(count), byref(rate)))
    try:
        return np.ctypeslib.as_array(samples, shape=(count.value,)).copy(), rate.value
    finally:
        lib.kws_free_samples(samples)


def version() -> str:
    """The version of the loaded libkws."""
    return library().kws_version().decode()
