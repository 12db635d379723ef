"""`kws-py`: the CLI's `kws detect` on WAV files, in Python over libkws.

    kws-py Samples/yes.wav Samples/sequence.wav
    kws-py --json -m tc-resnet8-int8 -t yes=0.8 Samples/sequence.wav

Prints what `kws detect` prints: a file of at most 1.5 s is one clip ("FILE: label 0.987", --top K for
more); a longer one goes through the streaming detector, one line per detection ("FILE: label 0.912 at
1.23–2.23 s"). --json prints the same JSON Lines ("type":"clip" / "type":"detection"). A bad file is one
line on stderr and the others are still processed; the status is 66 for a missing file, 65 for one that
cannot be decoded, 64 for a usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Dict, List, Optional, Sequence

from ._structs import CLIP_MAX_SECONDS, SAMPLE_RATE
from .errors import KWSError
from .spotter import Spotter, read_wav
from .types import Classification, Detection

EX_USAGE, EX_DATAERR, EX_NOINPUT = 64, 65, 66


def _number(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}f}"


def _json(fields: List[tuple]) -> str:
    return "{" + ",".join(f"{json.dumps(key)}:{value}" for key, value in fields) + "}"


def _clip_line(path: str, result: Classification, duration: float, top: int, as_json: bool) -> str:
    if as_json:
        fields = [("type", '"clip"'), ("file", json.dumps(path)), ("label", json.dumps(result.label)),
                  ("score", _number(result.score)), ("start", _number(0, 3)), ("end", _number(duration, 3))]
        if top > 1:
            fields.append(("top", "[" + ",".join(_json([("label", json.dumps(label)), ("score", _number(score))])
                                                 for label, score in result.top(top)) + "]"))
        return _json(fields)
    return f"{path}: " + ", ".join(f"{label} {score:.3f}" for label, score in result.top(max(1, top)))


def _detection_line(path: str, d: Detection, as_json: bool) -> str:
    if as_json:
        return _json([("type", '"detection"'), ("file", json.dumps(path)), ("label", json.dumps(d.label)),
                      ("score", _number(d.score)), ("start", _number(d.start, 3)), ("end", _number(d.end, 3)),
                      ("threshold", _number(d.threshold)), ("windows_above", str(d.windows_above))])
    return f"{path}: {d.label} {d.score:.3f} at {d.start:.2f}\u2013{d.end:.2f} s"


def _thresholds(values: Sequence[str]) -> tuple:
    bare: Optional[float] = None
    per_keyword: Dict[str, float] = {}
    for value in values:
        label, equals, number = value.rpartition("=")
        try:
            parsed = float(number)
        except ValueError:
            raise SystemExit(f"kws-py: --threshold {value}: use X or LABEL=X with X in (0, 1]")
        if equals:
            per_keyword[label] = parsed
        else:
            bare = parsed
    return bare, per_keyword


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kws-py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="WAV files")
    parser.add_argument("-m", "--model", help="model name or .safetensors path (default: the library's default model)")
    parser.add_argument("--engine", help="float, int8, int8-acc16, zeroskip, outlier or highway (default: the file's own)")
    parser.add_argument("-t", "--threshold", action="append", default=[], metavar="X|LABEL=X",
                        help="threshold for every keyword, or LABEL=X for one (repeatable; default: the model's operating point)")
    parser.add_argument("--false-alarms-per-hour", type=float, metavar="X",
                        help="thresholds from a false-alarm budget for all keywords together (default: the model's)")
    parser.add_argument("--top", type=int, default=1, metavar="K", help="labels shown per clip (default: 1)")
    parser.add_argument("--json", action="store_true", help="JSON Lines, as kws detect --json (default: off)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    threshold, per_keyword = _thresholds(args.threshold)
    try:
        spotter = Spotter(args.model, engine=args.engine, threshold=threshold, thresholds=per_keyword,
                          false_alarms_per_hour=args.false_alarms_per_hour)
    except KWSError as error:
        print(f"kws-py: {error.message}", file=sys.stderr)
        return EX_USAGE if error.status == -1 else EX_NOINPUT
    first_failure = 0
    with spotter:
        for path in args.files:
            try:
                samples, rate = read_wav(path)
            except KWSError as error:
                print(f"kws-py: {error.message}", file=sys.stderr)
                status = EX_NOINPUT if not os.path.exists(path) else EX_DATAERR
                first_failure = first_failure or status
                continue
            duration = ((len(samples) * SAMPLE_RATE + rate - 1) // rate) / SAMPLE_RATE
            if duration <= CLIP_MAX_SECONDS:
                print(_clip_line(path, spotter.classify(samples, rate), duration, args.top, args.json), flush=True)
            else:
                for detection in spotter.detect(samples, rate):
                    print(_detection_line(path, detection, args.json), flush=True)
    return first_failure


if __name__ == "__main__":
    sys.exit(main())
