import FoundationEssentials

extension TCResNetModel {
    /// Top-1 on the held-out test split of the network this file runs by default (``EngineKind/preferred(for:)``:
    /// its int8, outlier, highway or float network), if the file records it; nil when it does not.
    ///
    /// `test_accuracy` is the figure of the file's own network (Models/FORMAT.md), with one exception kept
    /// for files already shipped: an int8 file (a `quantization` key) without `float_test_accuracy` was
    /// written when `kws quantize` copied the float model's `test_accuracy` unchanged, so there that figure
    /// is the float network's and the int8 one is unknown. `kws quantize` now moves the float figure to
    /// `float_test_accuracy`, as the outlier writer always did.
    public var ownTestAccuracy: Double? {
        if metadata["quantization"] != nil, metadata["float_test_accuracy"] == nil { return nil }
        return testAccuracy
    }

    /// Top-1 on the test split of the float network this file holds or was made from, if recorded:
    /// `float_test_accuracy`, a highway file's `float_source_test_accuracy`, or, for a float file and an
    /// int8 file of the old kind (see ``ownTestAccuracy``), `test_accuracy`.
    public var floatTestAccuracy: Double? {
        if let value = metadata["float_test_accuracy"].flatMap(Double.init) { return value }
        if highway != nil {
            let info = metadata["highway"].flatMap { try? JSONTree.parse(Array($0.utf8)) as? [String: Any] }
            let value = info?["float_source_test_accuracy"]
            return (value as? Double) ?? (value as? Int).map(Double.init)
        }
        if outlier != nil { return nil }
        return testAccuracy
    }
}
