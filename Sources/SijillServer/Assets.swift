import CSijillAssets

/// Files compiled into the binary (see `Sources/CSijillAssets`).
enum Assets {
    static func bytes(_ name: String) -> [UInt8] {
        var size = 0
        guard let pointer = sijill_asset(name, &size) else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: size))
    }

    static func string(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }
}
