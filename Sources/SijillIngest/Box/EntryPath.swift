import Foundation

/// Normalises and checks entry names. Nothing is ever written to disk under an entry's name
/// (objects are stored by content ID), but names are also trusted in reports and manifests, so
/// absolute paths, `..`, NUL and undecodable names are refused outright.
public enum EntryPath {
    /// Why a name was refused.
    public struct Unsafe: Error, Sendable, Equatable {
        public var message: String
    }

    /// Longest accepted name, in UTF-8 bytes (file systems allow 4096; no scan needs more).
    public static let maxNameBytes = 1024

    /// The canonical relative form: `/`-separated, no `.` or empty components, no trailing
    /// slash, Unicode NFC.
    public static func normalize(_ raw: String, validUTF8: Bool = true) -> Result<String, Unsafe> {
        guard validUTF8 else { return .failure(Unsafe(message: "name is not valid UTF-8")) }
        guard !raw.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            return .failure(Unsafe(message: "name contains NUL or control characters"))
        }
        // Embedding, override and isolate controls make a name display as something else
        // ("gnp.exe" shown as "exe.png") in reports and listings; marks (LRM, RLM, ALM) are fine.
        guard !raw.unicodeScalars.contains(where: { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        else {
            return .failure(Unsafe(message: "name contains bidirectional override characters"))
        }
        guard raw.utf8.count <= maxNameBytes else {
            return .failure(Unsafe(message: "name is longer than \(maxNameBytes) bytes"))
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
            if part.utf8.count > 255 { return .failure(Unsafe(message: "a name component is longer than 255 bytes")) }
            parts.append(part)
        }
        guard !parts.isEmpty else { return .failure(Unsafe(message: "empty name")) }
        return .success(parts.joined(separator: "/").precomposedStringWithCanonicalMapping)
    }

    /// `.`, `./`, `./.`: the top of the box, as `tar -C folder .` writes it.
    public static func isBoxRoot(_ raw: String) -> Bool {
        raw.split(separator: "/").allSatisfy { $0 == "." } && raw.hasPrefix(".")
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
