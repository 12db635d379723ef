#!/usr/bin/env python3
"""Keyword spotting from Python through libkws with ctypes only; prints what `kws detect FILE` prints.

    detect.py [--model NAME|PATH] [--engine NAME] [--threshold X] [--false-alarms-per-hour X] FILE.wav...
    detect.py [options] -        raw s16le 16 kHz mono PCM on stdin, printed like `kws stream`

A file of at most 1.5 s is classified as one clip ("FILE: label 0.987"); a longer one is streamed through
the detector and each detection is printed ("FILE: label 0.912 at 1.23–2.23 s").

The library is found through $KWS_LIBRARY (a path), else `pkg-config --variable=libdir kws`, else the
loader's default path (libkws.so.1).
"""
from __future__ import annotations

import array
import ctypes
import os
import subprocess
import sys
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_int16, c_int32, c_int64, c_size_t, c_void_p

# Constants and structures of include/kws.h.
KWS_OK = 0
KWS_SAMPLE_RATE = 16000
KWS_CLIP_MAX_SECONDS = 1.5
EN_DASH = "\u2013".encode()


class Options(ctypes.Structure):
    _fields_ = [("engine", c_char_p), ("threshold", c_float), ("hop_ms", c_int), ("smoothing_ms", c_int),
                ("refractory_ms", c_int), ("false_alarms_per_hour", c_float)]


class Detection(ctypes.Structure):
    _fields_ = [("label", c_char_p), ("score", c_float), ("start_sample", c_int64), ("end_sample", c_int64),
                ("start_seconds", c_double), ("end_seconds", c_double), ("threshold", c_float), ("windows_above", c_int32)]


class Classification(ctypes.Structure):
    _fields_ = [("index", c_int), ("label", c_char_p), ("score", c_float), ("label_count", c_size_t),
                ("posteriors", POINTER(c_float))]


DetectionCallback = ctypes.CFUNCTYPE(None, POINTER(Detection), c_void_p)


def load_library() -> ctypes.CDLL:
    path = os.environ.get("KWS_LIBRARY")
    if not path:
        try:
            libdir = subprocess.run(["pkg-config", "--variable=libdir", "kws"], capture_output=True, text=True,
                                    check=True).stdout.strip()
            path = os.path.join(libdir, "libkws.so.1")
        except (OSError, subprocess.CalledProcessError):
            path = "libkws.so.1"
    lib = ctypes.CDLL(path)
    status = ctypes.c_int
    lib.kws_last_error.restype = c_char_p
    lib.kws_default_options.restype = Options
    lib.kws_spotter_create.argtypes = [c_char_p, POINTER(Options), POINTER(c_void_p)]
    lib.kws_spotter_create.restype = status
    lib.kws_spotter_free.argtypes = [c_void_p]
    lib.kws_spotter_free.restype = None
    lib.kws_read_wav.argtypes = [c_char_p, POINTER(POINTER(c_float)), POINTER(c_size_t), POINTER(c_int)]
    lib.kws_read_wav.restype = status
    lib.kws_free_samples.argtypes = [POINTER(c_float)]
    lib.kws_free_samples.restype = None
    lib.kws_classify_f32.argtypes = [c_void_p, POINTER(c_float), c_size_t, c_int, c_int, POINTER(Classification)]
    lib.kws_classify_f32.restype = status
    lib.kws_feed_f32.argtypes = [c_void_p, POINTER(c_float), c_size_t, c_int, c_int]
    lib.kws_feed_f32.restype = status
    lib.kws_feed_s16.argtypes = [c_void_p, POINTER(c_int16), c_size_t, c_int, c_int]
    lib.kws_feed_s16.restype = status
    lib.kws_finish.argtypes = [c_void_p]
    lib.kws_finish.restype = status
    lib.kws_reset.argtypes = [c_void_p]
    lib.kws_reset.restype = status
    lib.kws_next_detection.argtypes = [c_void_p, POINTER(Detection)]
    lib.kws_next_detection.restype = status
    lib.kws_set_detection_callback.argtypes = [c_void_p, DetectionCallback, c_void_p]
    lib.kws_set_detection_callback.restype = status
    return lib


class KWSFailure(Exception):
    pass


class Detector:
    def __init__(self, lib: ctypes.CDLL, model: str | None, options: Options):
        self.lib = lib
        self.spotter = c_void_p()
        self.check(lib.kws_spotter_create(model.encode() if model else None, ctypes.byref(options),
                                          ctypes.byref(self.spotter)), "cannot start")

    def check(self, status: int, what: str) -> None:
        if status != KWS_OK:
            raise KWSFailure(f"{what}: {self.lib.kws_last_error().decode(errors='replace')}")

    def close(self) -> None:
        self.lib.kws_spotter_free(self.spotter)

    def detect_file(self, path: str) -> None:
        samples, count, rate = POINTER(c_float)(), c_size_t(), c_int()
        self.check(self.lib.kws_read_wav(os.fsencode(path), ctypes.byref(samples), ctypes.byref(count),
                                         ctypes.byref(rate)), path)
        try:
            # `kws detect` decides on the length at 16 kHz: ceil(count * 16000 / rate) samples.
            resampled = (count.value * KWS_SAMPLE_RATE + rate.value - 1) // rate.value
            if resampled / KWS_SAMPLE_RATE <= KWS_CLIP_MAX_SECONDS:
                result = Classification()
                self.check(self.lib.kws_classify_f32(self.spotter, samples, count, rate, 1, ctypes.byref(result)), path)
                write(os.fsencode(path) + b": " + result.label + b" %.3f\n" % result.score)
            else:
                try:
                    self.check(self.lib.kws_feed_f32(self.spotter, samples, count, rate, 1), path)
                    self.check(self.lib.kws_finish(self.spotter), path)
                except KWSFailure:
                    self.lib.kws_reset(self.spotter)
                    raise
                detection = Detection()
                while self.lib.kws_next_detection(self.spotter, ctypes.byref(detection)) == KWS_OK:
                    write(os.fsencode(path) + b": " + detection_text(detection))
        finally:
            self.lib.kws_free_samples(samples)

    def detect_stdin(self) -> None:
        # Each detection is printed the moment it is decided, from inside kws_feed_s16 / kws_finish.
        callback = DetectionCallback(lambda detection, _: write(detection_text(detection.contents)))
        self.check(self.lib.kws_set_detection_callback(self.spotter, callback, None), "stdin")
        pending = b""
        while chunk := sys.stdin.buffer.read(4096):
            data, pending = pending + chunk, b""
            if len(data) % 2:
                data, pending = data[:-1], data[-1:]
            pcm = array.array("h", data)
            if sys.byteorder == "big":
                pcm.byteswap()
            if len(pcm):
                buffer = (c_int16 * len(pcm)).from_buffer(pcm)
                self.check(self.lib.kws_feed_s16(self.spotter, buffer, len(pcm), KWS_SAMPLE_RATE, 1), "stdin")
        self.check(self.lib.kws_finish(self.spotter), "stdin")
        self.lib.kws_set_detection_callback(self.spotter, DetectionCallback(), None)


def detection_text(d: Detection) -> bytes:
    return d.label + b" %.3f at %.2f" % (d.score, d.start_seconds) + EN_DASH + b"%.2f s\n" % d.end_seconds


def write(line: bytes) -> None:
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()


def main(argv: list[str]) -> int:
    lib = load_library()
    options = lib.kws_default_options()
    model = None
    args = argv[1:]
    while args and args[0].startswith("--"):
        if len(args) < 2 or args[0] not in ("--model", "--engine", "--threshold", "--false-alarms-per-hour"):
            return usage()
        flag, value, args = args[0], args[1], args[2:]
        if flag == "--model":
            model = value
        elif flag == "--engine":
            options.engine = value.encode()
        elif flag == "--threshold":
            options.threshold = float(value)
        else:
            options.false_alarms_per_hour = float(value)
    if not args:
        return usage()
    try:
        detector = Detector(lib, model, options)
    except KWSFailure as failure:
        print(f"detect.py: {failure}", file=sys.stderr)
        return 1
    failures = 0
    for path in args:
        try:
            detector.detect_stdin() if path == "-" else detector.detect_file(path)
        except KWSFailure as failure:
            print(f"detect.py: {failure}", file=sys.stderr)
            failures += 1
    detector.close()
    return 1 if failures else 0


def usage() -> int:
    print("usage: detect.py [--model NAME|PATH] [--engine NAME] [--threshold X] [--false-alarms-per-hour X] FILE.wav... | -", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
