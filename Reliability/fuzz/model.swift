import KWSRuntime

// The model loader: any bytes load as a model or throw a ModelError; a model that loads must run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let file = try? ModelFile(bytes: bytes, name: "fuzz.safetensors"),
          let model = try? TCResNetModel(file: file) else { return 0 }
    let engine = FloatEngine(model: model)
    var logits = [Float](repeating: 0, count: model.labels.count)
    engine.computeLogits([Float](repeating: 0.5, count: model.inputFrames * model.inputCoefficients), into: &logits)
    return 0
}
