"""The structures of include/kws.h, field for field."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_int32, c_int64, c_size_t, c_void_p


class Options(ctypes.Structure):
    """kws_options."""

    _fields_ = [("engine", c_char_p), ("threshold", c_float), ("hop_ms", c_int), ("smoothing_ms", c_int),
                ("refractory_ms", c_int), ("false_alarms_per_hour", c_float)]


class Detection(ctypes.Structure):
    """kws_detection."""

    _fields_ = [("label", c_char_p), ("score", c_float), ("start_sample", c_int64), ("end_sample", c_int64),
                ("start_seconds", c_double), ("end_seconds", c_double), ("threshold", c_float),
                ("windows_above", c_int32)]


class Classification(ctypes.Structure):
    """kws_classification."""

    _fields_ = [("index", c_int), ("label", c_char_p), ("score", c_float), ("label_count", c_size_t),
                ("posteriors", POINTER(c_float))]


DetectionCallback = ctypes.CFUNCTYPE(None, POINTER(Detection), c_void_p)

#: kws_status values.
KWS_OK = 0
KWS_NO_DETECTION = 1
#: include/kws.h constants.
SAMPLE_RATE = 16000
CLIP_MAX_SECONDS = 1.5
