"""What a spotter returns: detections, clip classifications and input warnings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

#: The kws_input_warning bits of include/kws.h, by the names `kws stream` and the Swift API use.
INPUT_WARNING_BITS: Dict[str, int] = {
    "rate_too_low": 1 << 0, "rate_too_high": 1 << 1, "interleaved_channels": 1 << 2, "float_as_integer": 1 << 3,
    "integer_as_float": 1 << 4, "digital_silence": 1 << 5, "clipping": 1 << 6, "dc_offset": 1 << 7,
}


@dataclass(frozen=True)
class Detection:
    """A keyword heard in a stream; times are seconds from the stream's first sample (16 kHz time base)."""

    label: str
    #: Peak smoothed posterior of the event, 0…1.
    score: float
    #: Start and end of the 1 s window at the peak, in seconds.
    start: float
    end: float
    #: The same in 16 kHz samples.
    start_sample: int
    end_sample: int
    #: The threshold the keyword had to reach.
    threshold: float
    #: Evaluated windows of the event that reached it.
    windows_above: int


@dataclass(frozen=True)
class Classification:
    """The model's verdict on one clip: the top label, its posterior, and every label's posterior."""

    label: str
    score: float
    #: Posteriors in label order, as (label, posterior) pairs.
    posteriors: Tuple[Tuple[str, float], ...]

    def top(self, k: int) -> List[Tuple[str, float]]:
        """The k most probable labels, best first (ties in label order)."""
        ranked = sorted(enumerate(self.posteriors), key=lambda item: (-item[1][1], item[0]))
        return [pair for _, pair in ranked[:k]]


@dataclass(frozen=True)
class InputWarning:
    """Something the spotter heard wrong in the audio it was fed (README "Input health")."""

    #: One of INPUT_WARNING_BITS' names, e.g. "rate_too_low".
    kind: str
    #: One line with the numbers it was decided on.
    message: str
