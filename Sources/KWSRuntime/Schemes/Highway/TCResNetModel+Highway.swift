extension TCResNetModel {
    /// The precision-highway network of a `-hw<k>` model file (`Training/qat.py`), or nil.
    public var highway: HighwayTCResNet? { network(of: HighwayScheme()) }
}
