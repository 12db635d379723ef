/// A WAV file whose header ended before its sample data began.
public struct AudioFileStreamError: Error, CustomStringConvertible {
    /// The decoder's one-line description.
    public let message: String
    public var description: String { message }

    /// An error with its one-line message.
    public init(message: String) {
        self.message = message
    }
}
