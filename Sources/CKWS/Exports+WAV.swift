import CKWSHeader
import FoundationEssentials
import Glibc
import KWSAudio

// The WAV decoder for C callers, so they need no audio library of their own.

/// Decodes a WAV file to mono float samples at its own rate into a malloc'd buffer (see kws.h).
@_cdecl("kws_read_wav")
public func kwsReadWAV(_ path: UnsafePointer<CChar>?, _ samples: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>?,
                       _ count: UnsafeMutablePointer<Int>?, _ sampleRate: UnsafeMutablePointer<Int32>?) -> kws_status {
    samples?.pointee = nil
    count?.pointee = 0
    sampleRate?.pointee = 0
    return reportingStatus {
        guard let path else { throw CAPIError.invalidArgument("kws_read_wav: path is NULL") }
        guard let samples, let count, let sampleRate else {
            throw CAPIError.invalidArgument("kws_read_wav: samples, count and sample_rate must not be NULL")
        }
        let name = String(cString: path)
        let audio = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: name))
        guard !audio.samples.isEmpty else { throw CAPIError.audio("\(name): the file holds no samples") }
        let bytes = audio.samples.count * MemoryLayout<Float>.stride
        guard let buffer = malloc(bytes)?.bindMemory(to: Float.self, capacity: audio.samples.count) else {
            throw CAPIError.outOfMemory(bytes: bytes)
        }
        _ = UnsafeMutableBufferPointer(start: buffer, count: audio.samples.count).initialize(from: audio.samples)
        samples.pointee = buffer
        count.pointee = audio.samples.count
        sampleRate.pointee = Int32(clamping: audio.sampleRate)
    }
}

/// Frees a `kws_read_wav` buffer; NULL is a no-op.
@_cdecl("kws_free_samples")
public func kwsFreeSamples(_ samples: UnsafeMutablePointer<Float>?) {
    free(samples)
}
