import Foundation

/// Takes a valid safetensors file apart into its header JSON and data section so tests can corrupt one
/// thing at a time, and puts it back together. Independent of the loader under test.
public struct SafetensorsSurgery {
    public var header: [String: Any]
    public var data: [UInt8]

    public init(bytes: [UInt8]) throws {
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
        data = Array(bytes[(8 + length)...])
    }

    public var metadata: [String: String] {
        get { header["__metadata__"] as! [String: String] }
        set { header["__metadata__"] = newValue }
    }

    public func entry(_ tensor: String) -> [String: Any] { header[tensor] as! [String: Any] }

    public func offsets(_ tensor: String) -> [Int] { entry(tensor)["data_offsets"] as! [Int] }

    public mutating func setField(_ tensor: String, _ key: String, _ value: Any) {
        var entry = self.entry(tensor)
        entry[key] = value
        header[tensor] = entry
    }

    /// Overwrites element `index` of an F32 tensor.
    public mutating func setFloat(_ tensor: String, index: Int, _ value: Float) {
        let at = offsets(tensor)[0] + index * 4
        let bits = value.bitPattern
        for byte in 0..<4 { data[at + byte] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(byte))) }
    }

    /// Removes a tensor and its bytes, shifting the later tensors' offsets down.
    public mutating func remove(_ tensor: String) {
        let range = offsets(tensor)
        let size = range[1] - range[0]
        data.removeSubrange(range[0]..<range[1])
        header[tensor] = nil
        for (name, value) in header where name != "__metadata__" {
            let other = (value as! [String: Any])["data_offsets"] as! [Int]
            if other[0] >= range[1] { setField(name, "data_offsets", [other[0] - size, other[1] - size]) }
        }
    }

    /// Appends a tensor at the end of the data section.
    public mutating func append(_ tensor: String, dtype: String, shape: [Int], bytes: [UInt8]) {
        header[tensor] = ["dtype": dtype, "shape": shape, "data_offsets": [data.count, data.count + bytes.count]]
        data += bytes
    }

    /// The file again: header padded to a multiple of 8 with spaces.
    public func bytes() -> [UInt8] {
        var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
        return Self.assemble(header: json, data: data)
    }

    /// 8-byte little-endian length, then `header` verbatim, then `data`.
    public static func assemble(header: [UInt8], data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let length = declaredLength ?? UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + header + data
    }
}
