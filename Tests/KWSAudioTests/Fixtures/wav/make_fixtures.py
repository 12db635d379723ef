#!/usr/bin/env python3
"""Writes the WAV fixtures for KWSAudioTests and their expected decodes (expected.json).

Independent of the Swift decoder: files are assembled byte by byte from the RIFF/WAVE layout, and the
expected mono samples are computed by numpy from the raw sample bytes this script wrote, following the
conversion rules (s16/32768, s24/8388608, s32/2147483648 after rounding to float32, u8 (x-128)/128,
floats as-is narrowed to float32; channels summed in float32 in channel order, then divided by the
channel count).

valid/      files the decoder must decode (some with warnings), each checked against expected.json
malformed/  one file per malformation, each with the error case and byte offset the decoder must report

Run from anywhere:  python3 Tests/KWSAudioTests/Fixtures/wav/make_fixtures.py
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240611)

PCM, FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
GUID_TAIL = bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])

# encoding name (as the Swift enum case) -> (bytes per sample, is float)
ENCODINGS = {
    "unsignedInt8": 1, "signedInt16": 2, "signedInt24": 3,
    "signedInt32": 4, "float32": 4, "float64": 8,
}


# ---------------------------------------------------------------- RIFF assembly

def chunk(cid, body, size=None):
    """A RIFF chunk; `size` overrides the declared size. Odd bodies get their pad byte."""
    declared = len(body) if size is None else size
    pad = b"\0" if len(body) % 2 else b""
    return cid + struct.pack("<I", declared) + body + pad


def riff(chunks, riff_size=None, tag=b"RIFF", form=b"WAVE"):
    body = form + b"".join(chunks)
    size = len(body) if riff_size is None else riff_size
    return tag + struct.pack("<I", size) + body


def fmt_body(tag, channels, rate, bits, block_align=None, byte_rate=None, container_bytes=None):
    container_bytes = container_bytes if container_bytes is not None else (bits + 7) // 8
    block_align = channels * container_bytes if block_align is None else block_align
    byte_rate = rate * block_align if byte_rate is None else byte_rate
    return struct.pack("<HHIIHH", tag, channels, rate, byte_rate, block_align, bits)


def fmt_extensible(sub_tag, channels, rate, bits, valid_bits, mask=0, guid=None):
    base = fmt_body(EXTENSIBLE, channels, rate, bits)
    guid = guid if guid is not None else struct.pack("<H", sub_tag) + GUID_TAIL
    return base + struct.pack("<HHI", 22, valid_bits, mask) + guid


# ---------------------------------------------------------------- sample generation and reference decode

def random_samples(encoding, frames, channels, valid_bits=None):
    """Interleaved raw sample bytes with extremes mixed in."""
    n = frames * channels
    if encoding == "unsignedInt8":
        values = np.concatenate([np.arange(256, dtype=np.uint8), RNG.integers(0, 256, max(0, n - 256), dtype=np.uint8)])[:n]
        return values.astype(np.uint8).tobytes()
    if encoding == "signedInt16":
        v = RNG.integers(-32768, 32768, n, dtype=np.int64)
        v[:4] = [-32768, 32767, 0, -1][: min(4, n)]
        if valid_bits:  # left-justified: the unused low bits are zero
            v &= ~((1 << (16 - valid_bits)) - 1)
        return v.astype("<i2").tobytes()
    if encoding == "signedInt24":
        v = RNG.integers(-(1 << 23), 1 << 23, n, dtype=np.int64)
        v[:4] = [-(1 << 23), (1 << 23) - 1, 0, -1][: min(4, n)]
        if valid_bits:
            v &= ~((1 << (24 - valid_bits)) - 1)
        u = (v & 0xFFFFFF).astype(np.uint32)
        out = np.empty((n, 3), dtype=np.uint8)
        out[:, 0], out[:, 1], out[:, 2] = u & 0xFF, (u >> 8) & 0xFF, (u >> 16) & 0xFF
        return out.tobytes()
    if encoding == "signedInt32":
        v = RNG.integers(-(1 << 31), 1 << 31, n, dtype=np.int64)
        v[:6] = [-(1 << 31), (1 << 31) - 1, 0, -1, (1 << 24) + 1, (1 << 30) + 65] [: min(6, n)]
        return v.astype("<i4").tobytes()
    if encoding == "float32":
        v = RNG.uniform(-1, 1, n).astype(np.float32)
        v[:3] = [-1.0, 1.0, 0.0][: min(3, n)]
        return v.astype("<f4").tobytes()
    if encoding == "float64":
        v = RNG.uniform(-1, 1, n)  # full float64 precision, so narrowing rounds
        v[:3] = [-1.0, 1.0, 1e-40][: min(3, n)]
        return v.astype("<f8").tobytes()
    raise ValueError(encoding)


def reference_mono(raw, encoding, channels):
    """numpy decode of interleaved raw bytes (whole frames only) to mono float32."""
    size = ENCODINGS[encoding]
    whole = len(raw) // (size * channels) * size * channels
    raw = raw[:whole]
    if encoding == "unsignedInt8":
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - np.float32(128)) / np.float32(128)
    elif encoding == "signedInt16":
        x = np.frombuffer(raw, "<i2").astype(np.float32) / np.float32(32768)
    elif encoding == "signedInt24":
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int64)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = v.astype(np.float32) / np.float32(8388608)
    elif encoding == "signedInt32":
        x = np.frombuffer(raw, "<i4").astype(np.float32) / np.float32(2147483648)
    elif encoding == "float32":
        x = np.frombuffer(raw, "<f4").astype(np.float32)
    else:
        x = np.frombuffer(raw, "<f8").astype(np.float32)
    frames = x.reshape(-1, channels)
    acc = frames[:, 0].copy()
    for c in range(1, channels):
        acc = (acc + frames[:, c]).astype(np.float32)
    if channels > 1:
        acc = (acc / np.float32(channels)).astype(np.float32)
    return acc


def fnv1a64(samples):
    """FNV-1a 64 over the little-endian float32 bit patterns (the Swift test computes the same)."""
    h = 0xCBF29CE484222325
    for byte in samples.astype("<f4").tobytes():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def expectation(samples, encoding, channels, rate, warnings=()):
    block = ENCODINGS[encoding] * channels
    return {
        "encoding": encoding, "channels": channels, "sample_rate": rate, "block_align": block,
        "sample_count": int(len(samples)), "fnv1a64": fnv1a64(samples),
        # float32 values as JSON doubles: exact, and readable when a test fails
        "first": [float(v) for v in samples[:8]], "last": [float(v) for v in samples[-8:]],
        "warning_substrings": list(warnings),
    }


# ---------------------------------------------------------------- fixtures

def valid_fixtures():
    """name -> (file bytes, expectation)."""
    out = {}

    def plain(name, encoding, channels, rate, frames, before=(), after=(), tag=None, bits=None, fmt=None,
              data_size=None, riff_size=None, valid_bits=None, cut=0, warnings=()):
        raw = random_samples(encoding, frames, channels, valid_bits)
        if tag is None:
            tag = FLOAT if encoding.startswith("float") else PCM
        if bits is None:
            bits = ENCODINGS[encoding] * 8
        fmt = fmt if fmt is not None else fmt_body(tag, channels, rate, bits, container_bytes=ENCODINGS[encoding])
        data = chunk(b"data", raw, size=data_size)
        data = data[: len(data) - cut] if cut else data
        wav = riff([chunk(b"fmt ", fmt), *before, data, *after], riff_size=riff_size)
        present = raw[: max(0, len(raw) - cut)]
        out[name] = (wav, expectation(reference_mono(present, encoding, channels), encoding, channels, rate, warnings))

    plain("u8_mono_8k.wav", "unsignedInt8", 1, 8000, 300)
    plain("s16_mono_16k.wav", "signedInt16", 1, 16000, 240)
    plain("s16_stereo_44k.wav", "signedInt16", 2, 44100, 160)
    plain("s16_3ch_16k.wav", "signedInt16", 3, 16000, 120)
    plain("s24_mono_48k.wav", "signedInt24", 1, 48000, 160)
    plain("s24_stereo_16k.wav", "signedInt24", 2, 16000, 120)
    plain("s32_mono_16k.wav", "signedInt32", 1, 16000, 120)
    plain("s32_stereo_8k.wav", "signedInt32", 2, 8000, 80)
    plain("f32_mono_16k_fact.wav", "float32", 1, 16000, 160,
          before=[chunk(b"fact", struct.pack("<I", 160))])
    plain("f32_stereo_44k.wav", "float32", 2, 44100, 100)
    plain("f64_mono_16k.wav", "float64", 1, 16000, 100)
    plain("f64_3ch_16k.wav", "float64", 3, 16000, 40)
    # 12 significant bits stored left-justified in 16-bit containers (plain PCM, not extensible).
    plain("s12_in_16_mono_16k.wav", "signedInt16", 1, 16000, 100, bits=12, valid_bits=12)
    plain("ext_s16_mono_16k.wav", "signedInt16", 1, 16000, 120,
          fmt=fmt_extensible(PCM, 1, 16000, 16, 16, mask=0x4))
    plain("ext_s24_in_24_valid20_stereo_48k.wav", "signedInt24", 2, 48000, 100,
          fmt=fmt_extensible(PCM, 2, 48000, 24, 20, mask=0x3), valid_bits=20)
    plain("ext_f32_6ch_48k.wav", "float32", 6, 48000, 40,
          fmt=fmt_extensible(FLOAT, 6, 48000, 32, 32, mask=0x3F), before=[chunk(b"fact", struct.pack("<I", 40))])
    plain("ext_u8_mono_8k_valid0.wav", "unsignedInt8", 1, 8000, 100,
          fmt=fmt_extensible(PCM, 1, 8000, 8, 0))
    plain("odd_list_before_data_s16_16k.wav", "signedInt16", 1, 16000, 120,
          before=[chunk(b"LIST", b"INFOISFT" + struct.pack("<I", 5) + b"kws1\0"),  # 17 bytes: odd size, padded
                  chunk(b"JUNK", b"\0" * 7), chunk(b"cue ", struct.pack("<I", 0))])
    plain("trailing_list_after_data_s16_16k.wav", "signedInt16", 2, 16000, 60,
          after=[chunk(b"LIST", b"INFOICMT" + struct.pack("<I", 9) + b"trailing\0")])
    plain("streamed_ffffffff_s16_16k.wav", "signedInt16", 1, 16000, 200,
          data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF)
    plain("streamed_zero_sizes_s16_stereo_16k.wav", "signedInt16", 2, 16000, 100, data_size=0, riff_size=0)
    plain("riff_size_beyond_file_s16_16k.wav", "signedInt16", 1, 16000, 64, riff_size=1_000_000)
    # data size not a whole number of 4-byte frames: 2 trailing bytes (plus the pad byte? no: even size)
    raw = random_samples("signedInt16", 51, 1, None)  # 102 bytes = 25 stereo frames + 2 bytes
    wav = riff([chunk(b"fmt ", fmt_body(PCM, 2, 16000, 16)), chunk(b"data", raw)])
    out["data_not_whole_frames_s16_stereo.wav"] = (wav, expectation(
        reference_mono(raw, "signedInt16", 2), "signedInt16", 2, 16000, ["not a whole number of 4-byte frames", "last 2 bytes"]))
    # The file ends inside the sample data: decoded whole frames plus a warning (data chunk size lies).
    plain("truncated_data_s16_stereo_16k.wav", "signedInt16", 2, 16000, 100, cut=103,
          warnings=["declares 400 bytes at offset 36", "only 297 are present", "decoded 74 whole frames"])
    plain("streamed_partial_frame_s24_stereo.wav", "signedInt24", 2, 16000, 50, data_size=0xFFFFFFFF, cut=4,
          warnings=["partial frame", "2 bytes after 49 whole 6-byte frames"])
    return out


def malformed_fixtures():
    """name -> (file bytes, error case name, byte offset)."""
    s16 = fmt_body(PCM, 1, 16000, 16)
    data = chunk(b"data", random_samples("signedInt16", 16, 1))
    good_head = riff([chunk(b"fmt ", s16)])  # RIFF....WAVE + fmt (36 bytes)

    def with_fmt(fmt):
        return riff([chunk(b"fmt ", fmt), data])

    out = {
        "empty.wav": (b"", "emptyFile", 0),
        "not_riff_ogg.wav": (b"OggS\0\x02" + bytes(40), "notRIFF", 0),
        "not_riff_two_bytes.wav": (b"ID", "notRIFF", 0),
        "rifx_big_endian.wav": (riff([chunk(b"fmt ", s16), data], tag=b"RIFX"), "notRIFF", 0),
        "rf64.wav": (riff([chunk(b"ds64", bytes(28)), chunk(b"fmt ", s16), data], tag=b"RF64", riff_size=0xFFFFFFFF),
                     "unsupportedRF64", 0),
        "not_wave_avi.wav": (riff([chunk(b"avih", bytes(56))], form=b"AVI "), "notWAVE", 8),
        "truncated_in_riff_header.wav": (b"RIFF\x24\x00\x00\x00WA", "truncatedHeader", 0),
        "truncated_in_fmt.wav": (good_head[:30], "truncatedHeader", 12),
        "truncated_in_chunk_header.wav": (good_head + b"data", "truncatedHeader", 36),
        "truncated_in_list_chunk.wav": ((good_head + chunk(b"LIST", bytes(100)))[:60], "truncatedHeader", 36),
        "missing_fmt.wav": (riff([data, chunk(b"fmt ", s16)]), "missingFormatChunk", 12),
        "missing_data.wav": (riff([chunk(b"fmt ", s16), chunk(b"LIST", b"INFO")]), "missingDataChunk", 48),
        "fmt_too_short.wav": (with_fmt(s16[:14]), "formatChunkTooShort", 12),
        "ext_fmt_too_short.wav": (with_fmt(fmt_body(EXTENSIBLE, 1, 16000, 16) + struct.pack("<H", 0)),
                                  "formatChunkTooShort", 12),
        "unknown_tag_0x1234.wav": (with_fmt(fmt_body(0x1234, 1, 16000, 16)), "unsupportedFormatTag", 20),
        "alaw.wav": (with_fmt(fmt_body(0x0006, 1, 8000, 8) + struct.pack("<H", 0)), "unsupportedFormatTag", 20),
        "mulaw.wav": (with_fmt(fmt_body(0x0007, 1, 8000, 8) + struct.pack("<H", 0)), "unsupportedFormatTag", 20),
        "ms_adpcm.wav": (with_fmt(fmt_body(0x0002, 1, 8000, 4, block_align=256, byte_rate=4096)
                                  + struct.pack("<HH", 32, 500) + bytes(30)), "unsupportedFormatTag", 20),
        "ima_adpcm.wav": (with_fmt(fmt_body(0x0011, 1, 8000, 4, block_align=256, byte_rate=4055)
                                   + struct.pack("<HH", 2, 505)), "unsupportedFormatTag", 20),
        "mp3.wav": (with_fmt(fmt_body(0x0055, 2, 44100, 0, block_align=1, byte_rate=16000)
                             + struct.pack("<HHIHHH", 12, 1, 2, 417, 1, 1393)), "unsupportedFormatTag", 20),
        "ext_alaw_subformat.wav": (with_fmt(fmt_extensible(0x0006, 1, 8000, 8, 8)), "unsupportedFormatTag", 44),
        "ext_unknown_guid.wav": (with_fmt(fmt_extensible(0, 1, 16000, 16, 16, guid=bytes(range(16)))),
                                 "unsupportedSubformat", 44),
        "ext_valid_bits_above_container.wav": (with_fmt(fmt_extensible(PCM, 1, 16000, 16, 20)),
                                               "invalidValidBitsPerSample", 38),
        "pcm_64bit.wav": (with_fmt(fmt_body(PCM, 1, 16000, 64)), "unsupportedBitsPerSample", 34),
        "float_16bit.wav": (with_fmt(fmt_body(FLOAT, 1, 16000, 16)), "unsupportedBitsPerSample", 34),
        "pcm_0bit.wav": (with_fmt(fmt_body(PCM, 1, 16000, 0, block_align=2)), "unsupportedBitsPerSample", 34),
        "zero_channels.wav": (with_fmt(fmt_body(PCM, 0, 16000, 16, block_align=0)), "zeroChannels", 22),
        # nChannels is 16 bits, so 2^31 channels cannot be stored; 65535 is the largest lie a header can tell.
        "absurd_channels_65535.wav": (with_fmt(fmt_body(PCM, 65535, 16000, 16, block_align=2, byte_rate=32000)),
                                      "absurdChannelCount", 22),
        "zero_rate.wav": (with_fmt(fmt_body(PCM, 1, 0, 16)), "invalidSampleRate", 24),
        "absurd_rate_2e31.wav": (with_fmt(fmt_body(PCM, 1, 1 << 31, 16, byte_rate=0)), "invalidSampleRate", 24),
        # Below InputAudio.minimumSampleRate: a 1 Hz header once made a 16 KB file take 1 GB to upsample.
        "rate_1hz.wav": (with_fmt(fmt_body(PCM, 1, 1, 16)), "invalidSampleRate", 24),
        "rate_3999hz.wav": (with_fmt(fmt_body(PCM, 1, 3999, 16)), "invalidSampleRate", 24),
        "block_align_lie.wav": (with_fmt(fmt_body(PCM, 2, 16000, 16, block_align=3)), "blockAlignMismatch", 32),
        "byte_rate_lie.wav": (with_fmt(fmt_body(PCM, 1, 16000, 16, byte_rate=44100)), "byteRateMismatch", 28),
    }
    return out


def main():
    valid_dir, malformed_dir = os.path.join(HERE, "valid"), os.path.join(HERE, "malformed")
    for d in (valid_dir, malformed_dir):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith(".wav"):
                os.remove(os.path.join(d, f))
    expected = {"valid": {}, "malformed": {}}
    for name, (wav, exp) in sorted(valid_fixtures().items()):
        with open(os.path.join(valid_dir, name), "wb") as f:
            f.write(wav)
        expected["valid"][name] = exp
    for name, (wav, case, offset) in sorted(malformed_fixtures().items()):
        with open(os.path.join(malformed_dir, name), "wb") as f:
            f.write(wav)
        expected["malformed"][name] = {"error": case, "offset": offset}
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(expected['valid'])} valid and {len(expected['malformed'])} malformed fixtures")


if __name__ == "__main__":
    main()
