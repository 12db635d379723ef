import Glibc

extension String {
    /// `printf`-style formatting through the C library's `vsnprintf` (C locale: "." decimal point), for the
    /// modules that import only FoundationEssentials, which has no `String(format:)`. Foundation's
    /// `String(format:)` formats numbers with the same C conversions, so "%.3f", "%g", "%+5.1f%%", "%d"
    /// (with `Int`) and "%04x" give the same text; there is no "%@" (pass Swift strings by interpolation).
    /// `package`, not `public`: a client that imports Foundation and KWS would otherwise see two initialisers.
    package init(cFormat format: String, _ arguments: CVarArg...) {
        self.init(cFormat: format, arguments)
    }

    /// ``init(cFormat:_:)`` with the arguments in an array.
    package init(cFormat format: String, _ arguments: [CVarArg]) {
        var capacity = 256
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = withVaList(arguments) { list in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, list) }
            }
            precondition(needed >= 0, "vsnprintf failed for format \(format)")
            if Int(needed) < capacity {
                self = String(decoding: buffer[0..<Int(needed)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                return
            }
            capacity = Int(needed) + 1
        }
    }
}

extension String {
    /// `value` in decimal with "," between groups of three digits ("1,234,567", "-1,024"): what
    /// `NumberFormatter.localizedString(from:number: .decimal)` printed, which FoundationEssentials lacks.
    /// A static function, not an `init`: `ints.map(String.init)` would pick an unlabeled-looking init of this
    /// exact type over the standard library's generic one.
    package static func groupingThousands(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
