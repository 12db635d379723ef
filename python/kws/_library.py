"""Finding and loading libkws, and declaring the prototypes of include/kws.h that the package calls."""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from ctypes import POINTER, c_char_p, c_float, c_int, c_int16, c_size_t, c_uint32, c_void_p
from pathlib import Path
from typing import List, Optional

from ._structs import Classification, Detection, DetectionCallback, Options

#: The soname `make install` gives the library.
SONAME = "libkws.so.1"
#: What SwiftPM calls the same library in a build tree.
BUILD_NAME = "libKWSCAPI.so"

_explicit: Optional[str] = None
_loaded: Optional[ctypes.CDLL] = None


def _installed_candidates() -> List[Path]:
    """The lib directories of an installation made by `make install PREFIX=...`, most specific first:
    pkg-config's kws.pc, the prefix of a `kws` command on PATH, then this Python's prefix, /usr/local and /usr."""
    found: List[Path] = []
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "kws"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        if libdir:
            found.append(Path(libdir) / SONAME)
    except (OSError, subprocess.SubprocessError):
        pass
    command = shutil.which("kws")
    if command:
        found.append(Path(command).resolve().parent.parent / "lib" / SONAME)
    found += [Path(sys.prefix) / "lib" / SONAME, Path("/usr/local/lib") / SONAME, Path("/usr/lib") / SONAME]
    return found


def _build_tree_candidates() -> List[Path]:
    """The library of a SwiftPM build in the checkout this package sits in (python/kws/ → the checkout)."""
    root = Path(__file__).resolve().parent.parent.parent
    return [root / ".build" / config / BUILD_NAME for config in ("release", "debug")]


def library_path() -> str:
    """The library the package loads: one given to use_library(), else the first that exists of the installed
    prefix's lib directory, $KWS_LIBRARY, and the checkout's build tree.

    Raises KWSError when none is found, naming every place looked at."""
    from .errors import KWSError

    if _explicit:
        return _explicit
    looked: List[str] = []
    for candidate in _installed_candidates():
        looked.append(str(candidate))
        if candidate.is_file():
            return str(candidate)
    env = os.environ.get("KWS_LIBRARY")
    if env:
        looked.append(f"$KWS_LIBRARY={env}")
        if Path(env).is_file():
            return env
    for candidate in _build_tree_candidates():
        looked.append(str(candidate))
        if candidate.is_file():
            return str(candidate)
    raise KWSError(-4, "libkws not found (looked in: " + ", ".join(looked)
                   + "); run `make install`, or set KWS_LIBRARY to the library's path")


def use_library(path: str) -> None:
    """Makes the package load libkws from `path` (before the first spotter is made)."""
    global _explicit
    if _loaded is not None and path != _explicit:
        raise RuntimeError("libkws is already loaded; call use_library() before making a Spotter")
    _explicit = path


def library() -> ctypes.CDLL:
    """The loaded library, with its prototypes declared (loaded on first use)."""
    global _loaded
    if _loaded is None:
        _loaded = _declare(ctypes.CDLL(library_path()))
    return _loaded


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    status = c_int
    signatures = {
        "kws_last_error": ([], c_char_p),
        "kws_version": ([], c_char_p),
        "kws_default_options": ([], Options),
        "kws_spotter_create": ([c_char_p, POINTER(Options), POINTER(c_void_p)], status),
        "kws_spotter_free": ([c_void_p], None),
        "kws_spotter_threshold": ([c_void_p, c_char_p, POINTER(c_float)], status),
        "kws_spotter_set_threshold": ([c_void_p, c_char_p, c_float], status),
        "kws_spotter_set_false_alarms_per_hour": ([c_void_p, c_float], status),
        "kws_label_count": ([c_void_p], c_int),
        "kws_label": ([c_void_p, c_int], c_char_p),
        "kws_set_detection_callback": ([c_void_p, DetectionCallback, c_void_p], status),
        "kws_feed_s16": ([c_void_p, POINTER(c_int16), c_size_t, c_int, c_int], status),
        "kws_feed_f32": ([c_void_p, POINTER(c_float), c_size_t, c_int, c_int], status),
        "kws_finish": ([c_void_p], status),
        "kws_next_detection": ([c_void_p, POINTER(Detection)], status),
        "kws_reset": ([c_void_p], status),
        "kws_classify_s16": ([c_void_p, POINTER(c_int16), c_size_t, c_int, c_int, POINTER(Classification)], status),
        "kws_classify_f32": ([c_void_p, POINTER(c_float), c_size_t, c_int, c_int, POINTER(Classification)], status),
        "kws_input_warnings": ([c_void_p, POINTER(c_uint32)], status),
        "kws_input_warning_message": ([c_void_p, c_uint32, POINTER(c_char_p)], status),
        "kws_read_wav": ([c_char_p, POINTER(POINTER(c_float)), POINTER(c_size_t), POINTER(c_int)], status),
        "kws_free_samples": ([POINTER(c_float)], None),
    }
    for name, (arguments, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result
    return lib
