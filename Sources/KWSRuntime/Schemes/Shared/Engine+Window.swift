extension Engine {
    /// Every engine's first step: traps unless `features` fills `input` exactly (a whole window, the front
    /// end's only output), and sizes `logits` to the labels (allocating only when its size is wrong).
    func prepareWindow(_ features: [Float], input: ArenaRegion, logits: inout [Float]) {
        precondition(features.count == input.count,
                     "\(Self.self): expected \(input.length)×\(input.channels) features, got \(features.count)")
        let labelCount = model.labels.count
        if logits.count != labelCount { logits = [Float](repeating: 0, count: labelCount) }
    }
}
