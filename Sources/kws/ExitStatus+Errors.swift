import ArgumentParser
import KWS
import KWSAnalysis
import KWSAudio
import KWSCore
import KWSRuntime

extension ExitStatus {
    /// The status an error ends kws with: the one place that decides it. Errors of the same kind of mistake get
    /// the same status however they are found (while parsing the command line or while running).
    init(for error: Error) {
        switch error {
        case let code as ExitCode: self = ExitStatus(rawValue: code.rawValue) ?? .software
        case is UsageError, is ValidationError: self = .usage
        case let error as InputFileError: self = error.missing ? .noInput : .dataError
        case let error as OutputFileError: self = error.isStdout ? .ioError : .cannotCreate
        case let error as DirectoryError: self = Self.status(error)
        case let error as KWSError: self = Self.status(error)
        case let error as WAVError: self = Self.status(error)
        case is FileContents.ReadError: self = .noInput
        case let error as ModelError: self = Self.status(error)
        case let error as QuantizedModelError:
            if case .notQuantized = error { self = .usage } else { self = .dataError }
        case let error as OutlierModelError:
            if case .notOutlierQuantized = error { self = .usage } else { self = .dataError }
        case let error as HighwayModelError:
            if case .notHighway = error { self = .usage } else { self = .dataError }
        case is OperatingPointBudgetError, is PEArrayConfigurationError, is KeywordPhraseError: self = .usage
        case let error as KeywordRecordingsError: self = error.missing ? .noInput : .dataError
        case is TrainingSetupError, is ChildProcessError: self = .unavailable
        case let error as TruthFileError: self = error.line == 0 && error.reason.hasPrefix("cannot open") ? .noInput : .dataError
        case let error as SparsityCommandError: self = Self.status(error)
        case is AudioSourceReadError: self = .ioError
        case is AudioFileStreamError, is PCMError, is ResamplerError, is QuantizationError, is FrontEndConfigError: self = .dataError
        default: self = .software
        }
    }

    private static func status(_ error: DirectoryError) -> ExitStatus {
        switch error {
        case .missing, .notADirectory, .unreadable, .noWAVFiles: return .noInput
        }
    }

    private static func status(_ error: KWSError) -> ExitStatus {
        switch error {
        case .invalidConfiguration: return .usage
        case let .modelNotFound(name, _): return ModelCatalog.isPath(name) ? .noInput : .usage
        case .unsupportedSampleRate, .noAudio, .unusableLabels: return .dataError
        }
    }

    private static func status(_ error: WAVError) -> ExitStatus {
        // Opening failed: the file is missing or unreadable. Failing later, mid-file, is an I/O error.
        if case let .unreadableFile(_, offset, _) = error { return offset == 0 ? .noInput : .ioError }
        return .dataError
    }

    private static func status(_ error: ModelError) -> ExitStatus {
        if case .unreadable = error { return .noInput }
        return .dataError
    }

    private static func status(_ error: SparsityCommandError) -> ExitStatus {
        switch error {
        case .missingAudio, .badCount, .array, .notQuantized: return .usage
        case .noDirectory, .unreadableList, .noClips: return .noInput
        case .noReadableClips: return .dataError
        }
    }
}
