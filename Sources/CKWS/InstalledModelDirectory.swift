import CKWSHeader
import FoundationEssentials
import Glibc

/// `<prefix>/share/kws/models` of the installation this library was loaded from.
///
/// A C program can live anywhere, so the models are found from the library's own file: `dladdr` on one of
/// its functions gives `<prefix>/lib/libkws.so.1`. Glibc's Swift module hides `dladdr` (a GNU extension,
/// declared only under `_GNU_SOURCE`), so it is looked up with `dlsym` and called through its C type;
/// `Dl_info` is four pointers, of which the first is the file name.
enum InstalledModelDirectory {
    static let url: URL? = {
        typealias DLAddr = @convention(c) (UnsafeRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int32
        guard let symbol = dlsym(nil, "dladdr") else { return nil }
        let dladdr = unsafeBitCast(symbol, to: DLAddr.self)
        // Any code of this library will do: a C-convention closure compiles to a function in its text.
        let probe: @convention(c) () -> Void = {}
        var info = [UnsafeRawPointer?](repeating: nil, count: 4)
        let found = info.withUnsafeMutableBufferPointer { dladdr(unsafeBitCast(probe, to: UnsafeRawPointer.self), $0.baseAddress) }
        guard found != 0, let name = info[0] else { return nil }
        let library = URL(fileURLWithPath: String(cString: name.assumingMemoryBound(to: CChar.self))).resolvingSymlinksInPath()
        return library.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/kws/models")
    }()
}
