import Foundation

/// Normalises and checks entry names. Nothing is ever written to disk under an entry's name
/// (objects are stored by content ID), but names are also trusted in reports and manifests, so
/// absolute paths, `..`, NUL and undecodable names are refused outright.
public enum EntryPath {
    /// Why a name was refused.
    public struct Unsafe: Error, Sendable, Equatable {
        public var message: String
    }

    /// The canonical relative form: `/`-separated, no `.` or empty components, no trailing
    /// slash, Unicode NFC.
    public static func normalize(_ raw: String, validUTF8: Bool = true) -> Result<String, Unsafe> {
        guard validUTF8 else { return .failure(Unsafe(message: "name is not valid UTF-8")) }
        guard !raw.unicodeScalars.contains(where: { $0.value == 0 || $0.value < 0x20 }) else {
            return .failure(Unsafe(message: "name contains NUL or control characters"))
        }
        let unified = raw.replacingOccurrences(of: "\\", with: "/")
        if unified.hasPrefix("/") {
            return .failure(Unsafe(message: "absolute path"))
        }
        if unified.count >= 2, unified.dropFirst().first == ":", unified.first?.isLetter == true {
            return .failure(Unsafe(message: "absolute path (drive letter)"))
        }
        var parts: [Substring] = []
        for part in unified.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return .failure(Unsafe(message: "path leaves the box ('..')")) }
            parts.append(part)
        }
        guard !parts.isEmpty else { return .failure(Unsafe(message: "empty name")) }
        return .success(parts.joined(separator: "/").precomposedStringWithCanonicalMapping)
    }

    /// Files that operating systems leave in folders and zips; not part of the archive.
    public static func isSystemJunk(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        if components.contains(where: { $0 == "__MACOSX" || $0 == ".git" }) { return true }
        guard let last = components.last else { return false }
        return last == ".DS_Store" || last == "Thumbs.db" || last == "desktop.ini" || last.hasPrefix("._")
    }

    /// Orders page files the way a person numbers them: `page-2` before `page-10`.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let result = a.compare(b, options: [.numeric])
        return result == .orderedSame ? a < b : result == .orderedAscending
    }
}
