"""kws: on-device keyword spotting for Python, over libkws (the C API of the kws Swift package).

    import kws
    spotter = kws.Spotter()                        # the default model, tc-resnet14-1.5-ao-int8
    samples, rate = kws.read_wav("Samples/sequence.wav")
    for d in spotter.detect(samples, rate):
        print(d.label, f"{d.score:.3f}", f"{d.start:.2f}–{d.end:.2f} s")

libkws is found in the installed prefix's lib directory (`make install`), then at $KWS_LIBRARY, then in the
checkout's build tree; kws.use_library(path) picks one explicitly.
"""
from ._library import library_path, use_library
from ._structs import CLIP_MAX_SECONDS, SAMPLE_RATE
from .errors import KWSError
from .spotter import Spotter, read_wav, version
from .types import INPUT_WARNING_BITS, Classification, Detection, InputWarning

__all__ = ["Spotter", "Detection", "Classification", "InputWarning", "KWSError", "read_wav", "version",
           "use_library", "library_path", "SAMPLE_RATE", "CLIP_MAX_SECONDS", "INPUT_WARNING_BITS"]
__version__ = "0.3.0"
