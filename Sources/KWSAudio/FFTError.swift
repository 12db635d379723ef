/// Why an FFTW transform could not be set up.
public enum FFTError: Error, CustomStringConvertible, Equatable {
    /// FFTW returned no plan for a real-to-complex transform of this length.
    case planFailed(length: Int)
    /// `fftwf_malloc` could not provide an aligned buffer of this many bytes.
    case allocationFailed(bytes: Int)

    /// What went wrong and with which value, for logs and CLI messages.
    public var description: String {
        switch self {
        case .planFailed(let length):
            return "FFT: FFTW could not plan a real-to-complex transform of length \(length)"
        case .allocationFailed(let bytes):
            return "FFT: fftwf_malloc could not allocate \(bytes) aligned bytes"
        }
    }
}
