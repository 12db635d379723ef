#!/usr/bin/env python3
"""make soak HOURS=24: streams generated audio with keywords at known times through `kws stream` at full
speed, samples the process's RSS, and checks that every planted keyword is detected once at its time, that
nothing else is detected, that RSS stays flat after warm-up, and (--summary) that exactly the samples sent
were fed to the detector. make soak-capi HOURS=24 does the same
through the C API: the C sample (Samples/c/detect.c, built against the installed libkws) reading stdin,
which feeds libkws 4 KB at a time and prints each detection from the library's callback.

    Reliability/soak.py --hours 24 [--binary .build/release/kws] [--block-seconds 10]
    Reliability/soak.py --hours 24 --capi PATH/TO/detect

The stream is 16 kHz s16le mono: blocks of silence (with a little deterministic noise) holding one keyword
clip from Samples/ in the middle; only clips that `kws stream` detects once, at their time, in a block of their own are used, so
the run measures the streaming path (memory, time base, no lost or extra events), not the model's recall; for
the same reason it runs at a fixed threshold (0.7) rather than the default model's strict operating point.
Exit status 0 when everything held, 1 otherwise. Standard library only.
"""
import argparse
import json
import os
import random
import re
import struct
import subprocess
import sys
import threading
import time
import wave

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
RATE = 16000


def clip_pcm(path):
    with wave.open(path, "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return w.readframes(w.getnframes())


def make_block(pcm, block, noise):
    """`block` samples of noise with `pcm` in the middle; returns the bytes and the clip's first sample."""
    start = (block - len(pcm) // 2) // 2
    return noise[:2 * start] + pcm + noise[2 * start + len(pcm):], start


# The C sample prints a stream detection as "label 0.912 at 1.23–2.23 s" (as `kws stream` without --json).
C_DETECTION = re.compile(r"^(\S+) ([0-9.]+) at ([0-9.]+)\u2013([0-9.]+) s$")


def parse_detection(line, capi):
    """One output line as {"label", "start"}: kws stream's JSON Lines, or the C sample's text."""
    if not capi:
        return json.loads(line)
    match = C_DETECTION.match(line.strip())
    if match is None:
        raise ValueError(f"unexpected line from the C sample: {line!r}")
    return {"label": match.group(1), "start": float(match.group(3))}


def recognised_clips(command, capi, root, block, noise):
    """The Samples/ keyword clips that the stream command detects exactly once, at their time, in one block."""
    clips = {k: clip_pcm(os.path.join(root, "Samples", f"{k}.wav")) for k in KEYWORDS}
    keep = {}
    for label, pcm in clips.items():
        data, start = make_block(pcm, block, noise)
        out = subprocess.run(command, input=data, capture_output=True, check=True).stdout
        found = [parse_detection(line, capi) for line in out.decode().splitlines()]
        if len(found) == 1 and found[0]["label"] == label and abs(found[0]["start"] - start / RATE) <= 1.0:
            keep[label] = pcm
    return keep


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument("--binary", default=".build/release/kws")
    parser.add_argument("--capi", metavar="DETECT", help="the C sample (Samples/c/detect.c) to soak instead of kws stream")
    # A fixed threshold, not the model's strict default operating point: the soak tests the streaming path,
    # and needs most Samples/ clips to be heard alone.
    parser.add_argument("--threshold", default="0.7")
    parser.add_argument("--block-seconds", type=int, default=10)
    parser.add_argument("--warmup-fraction", type=float, default=0.1)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    block = args.block_seconds * RATE
    rng = random.Random(20241203)
    noise = struct.pack(f"<{block}h", *[rng.randint(-40, 40) for _ in range(block)])
    capi = args.capi is not None
    command = ([args.capi, "--threshold", args.threshold, "-"] if capi
               else [args.binary, "stream", "--json", "--threshold", args.threshold])
    clips = recognised_clips(command, capi, root, block, noise)
    if len(clips) < 5:
        sys.exit(f"only {len(clips)} sample clips are detected on their own; cannot soak")
    labels = sorted(clips)
    blocks = {label: make_block(clips[label], block, noise) for label in labels}
    total_blocks = int(args.hours * 3600 / args.block_seconds)

    # Both report at the end how many samples they read and the library fed to the detector (--summary:
    # kws stream's samples_fed, the C sample's kws_stream_samples), which must be every sample sent.
    run = command[:1] + ["--summary"] + command[1:] if capi else command + ["--summary"]
    process = subprocess.Popen(run, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=False)
    detections, samples_rss = [], []
    reader = threading.Thread(target=lambda: detections.extend(parse_detection(l.decode(), capi) for l in process.stdout),
                              daemon=True)
    reader.start()
    # stderr is drained while the audio goes in, so warnings can never fill the pipe and stall the stream.
    stderr_lines = []
    stderr_reader = threading.Thread(target=lambda: stderr_lines.extend(process.stderr), daemon=True)
    stderr_reader.start()
    done = threading.Event()

    def sample():
        while not done.wait(5):
            try:
                samples_rss.append((time.time(), rss_kb(process.pid)))
            except OSError:
                return
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    planted = []
    started = time.time()
    for index in range(total_blocks):
        label = labels[index % len(labels)]
        data, start = blocks[label]
        planted.append((label, (index * block + start) / RATE))
        process.stdin.write(data)
    process.stdin.close()
    status = process.wait()
    done.set()
    reader.join()
    stderr_reader.join()
    stderr = b"".join(stderr_lines)
    elapsed = time.time() - started

    # Match: the detection of the planted label whose start is within 1 s of the clip's start.
    unmatched = list(detections)
    missing = 0
    for label, at in planted:
        hit = next((d for d in unmatched if d["label"] == label and abs(d["start"] - at) <= 1.0), None)
        if hit is None:
            missing += 1
        else:
            unmatched.remove(hit)
    warm = [kb for t, kb in samples_rss if t - started >= args.warmup_fraction * elapsed]
    spread = (max(warm) - min(warm)) / 1024 if warm else 0
    audio_hours = total_blocks * args.block_seconds / 3600
    sent = total_blocks * block
    if capi:
        fed = re.search(r"detect: stdin: (\d+) frames read, (\d+) fed", stderr.decode())
        counted = int(fed.group(2)) if fed else None
    else:
        summary = next((json.loads(line) for line in stderr.decode().splitlines() if '"type":"summary"' in line), None)
        counted = None if summary is None else summary["samples_fed"]
    print(f"soak{' (C API)' if capi else ''}: {audio_hours:.2f} h of audio in {elapsed / 60:.1f} min, {len(planted)} keywords planted, "
          f"{missing} missing, {len(unmatched)} extra; RSS after warm-up {min(warm) / 1024 if warm else 0:.1f}–"
          f"{max(warm) / 1024 if warm else 0:.1f} MB ({len(warm)} samples); exit status {status}"
          + f"; samples sent {sent}, fed to the detector {counted}")
    ok = status == 0 and missing == 0 and not unmatched and spread <= 2.0 and counted == sent
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
