/// Buffers a packed layer hands the C kernels as plain pointers, allocated while it is packed and freed
/// together when the layer goes: the pointers in its kernel parameters stay valid exactly as long.
final class KernelBuffers {
    private var buffers = [UnsafeMutableRawPointer]()

    /// `count` elements (at least one, so a pointer always exists), each `fill`. Plain values only
    /// (`BitwiseCopyable`): the buffers are freed without deinitializing them.
    func allocate<T: AdditiveArithmetic & BitwiseCopyable>(_ type: T.Type, _ count: Int, fill: T = .zero) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
        pointer.initialize(repeating: fill, count: Swift.max(count, 1))
        buffers.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// `values` followed by `fill` up to `count` elements.
    func copy<T: AdditiveArithmetic & BitwiseCopyable>(_ values: [T], count: Int, fill: T = .zero) -> UnsafeMutablePointer<T> {
        let pointer = allocate(T.self, Swift.max(count, values.count), fill: fill)
        for (index, value) in values.enumerated() { pointer[index] = value }
        return pointer
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
