import CKWSHeader

/// The version `kws --version` prints: the library's `KWS_VERSION_STRING` (include/kws.h), the one place the
/// version is defined (the Makefile and kws.pc read it; a test holds `kws_version()` to it).
enum Version {
    static let text = "kws \(KWS_VERSION_STRING)"
}
