extension ModelCatalog {
    /// Whether `nameOrPath` names a file (it holds a `/` or ends in `.safetensors`) rather than a shipped
    /// model to look up in ``searchDirectories``.
    public static func isPath(_ nameOrPath: String) -> Bool {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".safetensors")
    }
}
