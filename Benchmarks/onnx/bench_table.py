"""`make bench`'s summary: one table, every number measured in this run on this machine.

- per inference (median µs, one 98×40 window, 1 thread) for the four architectures' dense models: kws int8
  with the AVX-512 VNNI kernels and with the AVX2-only ones (`KWS_ISA=avx2`, what an AVX2 machine runs), kws
  float on both, ONNX Runtime fp32 and int8 on the same weights (bench_ort.py; ORT picks its own kernels for
  this CPU, so its AVX2-only figure is not measured here), and the VNNI compute bound (MACs ÷ the peak
  `vpdpbusd` rate measured in this run);
- the MFCC front end per audio-second (streaming, 10 ms chunks) against the FFTW-only floor (`kws-bench audio`);
- `kws stream` as a whole process with the default model on `--stream-seconds` of speech (Samples/sequence.wav
  repeated): CPU (user + system) per audio-second at 10, 50 and 100 ms hop, on both ISAs, and peak RSS;
  time from start to the first output line on a 1 s clip.

Usage: python bench_table.py [--build .build/release] [--runs 2000] [--stream-seconds 1800]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import wave

import bench_ort

ROOT = bench_ort.ROOT
ARCHITECTURES = ["tc-resnet8", "tc-resnet8-1.5", "tc-resnet14", "tc-resnet14-1.5"]
HOPS = [10, 50, 100]


def audio_costs(build):
    """(MFCC streaming µs per audio-second, FFTW floor µs per audio-second) from `kws-bench audio`."""
    output = subprocess.run([os.path.join(build, "kws-bench"), "audio"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout
    print(output.rstrip())

    def per_second(label):
        match = re.search(re.escape(label) + r".*?([\d.]+) µs per audio second", output)
        return float(match.group(1)) if match else float("nan")
    return per_second("MFCC streaming"), per_second("FFTW floor")


def long_wav(path, seconds):
    """Samples/sequence.wav (16 kHz mono speech with keywords) repeated to `seconds`."""
    with wave.open(os.path.join(ROOT, "Samples", "sequence.wav"), "rb") as source:
        assert source.getframerate() == 16000 and source.getnchannels() == 1 and source.getsampwidth() == 2
        frames = source.readframes(source.getnframes())
    with wave.open(path, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16000)
        written = 0
        while written < seconds * 16000:
            chunk = frames[: 2 * (seconds * 16000 - written)]
            out.writeframes(chunk)
            written += len(chunk) // 2


def stream_process(kws, wav, hop, isa):
    """(CPU seconds, peak RSS KiB) of `kws stream --hop-ms hop < wav` as a whole process, measured by GNU time
    (a child forked from this Python process would count the parent's pages in its peak RSS)."""
    env = dict(os.environ, **({"KWS_ISA": isa} if isa else {}))
    with open(wav, "rb") as audio:
        result = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", kws, "stream", "--hop-ms", str(hop), "--quiet"],
                                stdin=audio, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"bench_table: kws stream --hop-ms {hop} exited with status {result.returncode}: {result.stderr}")
    user, system, rss = result.stderr.split()[-3:]
    return float(user) + float(system), int(rss)


def first_output_ms(kws):
    """Milliseconds from starting `kws stream` on Samples/yes.wav to its first output line (best of 5)."""
    best = float("inf")
    for _ in range(5):
        with open(os.path.join(ROOT, "Samples", "yes.wav"), "rb") as clip:
            start = time.perf_counter()
            process = subprocess.Popen([kws, "stream"], stdin=clip, stdout=subprocess.PIPE, text=True)
            process.stdout.readline()
            best = min(best, (time.perf_counter() - start) * 1000)
            process.communicate()
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--stream-seconds", type=int, default=1800)
    args = parser.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("bench_table: needs GNU time (/usr/bin/time; Debian package `time`)")
    kws = os.path.join(args.build, "kws")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    flags = open("/proc/cpuinfo").read()
    vnni = "avx512_vnni" in flags

    ort = bench_ort.ort_timings(kws, ARCHITECTURES, args.runs, args.warmup)
    int8_models = [name + "-int8" for name in ARCHITECTURES]
    best, bounds, peak = bench_ort.kws_bench(args.build, models=int8_models)
    avx2, _, _ = bench_ort.kws_bench(args.build, isa="avx2", models=int8_models)
    mfcc, fftw = audio_costs(args.build)
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "speech.wav")
        long_wav(wav, args.stream_seconds)
        streams = {(isa, hop): stream_process(kws, wav, hop, isa) for isa in (None, "avx2") for hop in HOPS}
    first = first_output_ms(kws)

    print(f"\n== make bench: {cpu}, {os.cpu_count()} cores, AVX-512 VNNI {'yes' if vnni else 'no'}; 1 thread, "
          f"medians; peak vpdpbusd rate {peak / 1e9:.1f} G MAC/s" if peak else "")
    print(f"{'model':<17}{'int8 VNNI':>10}{'int8 AVX2':>10}{'float':>8}{'float AVX2':>11}{'ORT int8':>9}"
          f"{'ORT fp32':>9}{'VNNI bound':>11}{'ORT/int8 VNNI':>14}{'ORT/int8 AVX2':>14}{'float/int8':>11}")
    for name in ARCHITECTURES:
        k, a = best.get(name, {}), avx2.get(name, {})
        int8_vnni = k.get("int8 avx512vnni", float("nan"))
        int8_avx2 = k.get("int8 avx2", float("nan"))
        float_best = next((v for key, v in k.items() if key.startswith("float")), float("nan"))
        float_avx2 = a.get("float avx2", float("nan"))
        ort_int8, ort_fp32 = ort[name]["int8"][0], ort[name]["fp32"][0]
        print(f"{name:<17}{int8_vnni:>10.2f}{int8_avx2:>10.2f}{float_best:>8.2f}{float_avx2:>11.2f}{ort_int8:>9.2f}"
              f"{ort_fp32:>9.2f}{bounds.get(name, float('nan')):>11.2f}{ort_int8 / int8_vnni:>13.2f}×"
              f"{ort_int8 / int8_avx2:>13.2f}×  {float_best / int8_vnni:.2f}× / {float_avx2 / int8_avx2:.2f}×")
    print("(µs per inference; ORT/int8 AVX2 divides ORT's time on this CPU by kws's AVX2-only time; float/int8 is "
          "best ISA / AVX2)")
    print(f"MFCC front end: {mfcc:.1f} µs per audio-second (streaming, 10 ms chunks); FFTW r2c alone {fftw:.1f} µs "
          f"({mfcc / fftw:.2f}× the floor)")
    print(f"kws stream, whole process, default model, {args.stream_seconds} s of speech (CPU ms per audio-second; "
          "peak RSS):")
    for isa in (None, "avx2"):
        cells = "  ".join(f"hop {hop:>3} ms {streams[(isa, hop)][0] / args.stream_seconds * 1000:.3f}" for hop in HOPS)
        rss = max(streams[(isa, hop)][1] for hop in HOPS) / 1024
        print(f"  {'best ISA' if isa is None else 'KWS_ISA=avx2':<12} {cells}  peak RSS {rss:.1f} MiB")
    print(f"first output on a 1 s clip: {first:.1f} ms after start (best of 5)")


if __name__ == "__main__":
    main()
