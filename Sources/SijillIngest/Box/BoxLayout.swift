/// Where the boxes are inside a delivery, decided from its listing before anything is stored.
///
/// People deliver a box as its own contents (manifest at the root), as a zipped folder (every
/// entry under one top folder, manifest inside it), or several box folders in one archive, each
/// with its own manifest. A zipped folder and the folder itself form the same records: paths are
/// read relative to the box folder.
struct BoxLayout {
    /// One box inside the delivery.
    struct Section {
        /// The box folder's name; nil when the delivery itself is the box.
        var folder: String?
        /// `folder/`, or empty.
        var prefix: String
        /// The entry that is this box's `manifest.csv`, if any.
        var manifestOrdinal: Int?
        /// Every entry of this box (the manifest among them), in box order.
        var ordinals: [Int]
    }

    /// The boxes. An entry in none of them (clutter beside a box folder, an unsafe name, a loose
    /// file beside several box folders) is reported by the plan.
    var sections: [Section]

    /// The names a manifest is found by, the first preferred where a box holds both (the CSV, or
    /// the Excel workbook it was kept in).
    static let manifestNames = ["manifest.csv", "manifest.xlsx", "manifest.ods"]

    /// Where `name` (a file name, any case) stands in ``manifestNames``, if it is one.
    static func manifestRank(_ name: String) -> Int? { manifestNames.firstIndex(of: name.lowercased()) }

    /// A manifest saved in a spreadsheet format Sijill does not read (Excel 97–2003, Numbers).
    static let spreadsheetManifestNames: Set<String> = ["manifest.xls", "manifest.numbers"]

    /// The entry at `section`'s root that is a manifest in a spreadsheet's own format, if any.
    func spreadsheetManifest(in section: Section, entries: [BoxEntry]) -> Int? {
        section.ordinals.first { i in
            guard entries[i].kind == .file, let path = entries[i].path, path.hasPrefix(section.prefix) else { return false }
            return Self.spreadsheetManifestNames.contains(String(path.dropFirst(section.prefix.count)).lowercased())
        }
    }

    /// `manifestGivenApart`: the manifest comes from outside the box (`--manifest`); it then
    /// describes the one box, and a manifest.csv inside is an entry like any other.
    init(entries: [BoxEntry], manifestGivenApart: Bool) {
        // Entries that say something about the layout: named safely, not clutter, not `./`.
        var tops: [String: [Int]] = [:]
        var rootFiles: [Int] = []
        var manifests: [String: Int] = [:]  // "" for the root, else the top folder
        var ranks: [String: Int] = [:]
        // (a CSV wins over a workbook beside it, whatever their order in the box)
        func found(_ folder: String, _ i: Int, _ name: Substring) {
            guard let rank = Self.manifestRank(String(name)), rank < ranks[folder, default: Int.max] else { return }
            manifests[folder] = i
            ranks[folder] = rank
        }
        for (i, entry) in entries.enumerated() {
            guard let path = entry.path, !EntryPath.isSystemJunk(path) else { continue }
            let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 1 {
                if entry.kind == .directory {
                    tops[parts[0], default: []].append(i)
                } else {
                    rootFiles.append(i)
                    if entry.kind == .file { found("", i, Substring(path)) }
                }
            } else {
                tops[parts[0], default: []].append(i)
                if entry.kind == .file { found(parts[0], i, Substring(parts[1])) }
            }
        }
        let all = Array(entries.indices)
        if !manifestGivenApart, manifests[""] == nil, let (base, manifest) = Self.nestedManifest(entries) {
            // A box folder zipped inside a folder of the same kind (BOX.zip → BOX/BOX/manifest.csv,
            // as "extract all" then "compress" leaves it): the manifest's folder is the box.
            let folder = String(base.dropLast().split(separator: "/").last ?? "")
            sections = [Section(
                folder: folder, prefix: base, manifestOrdinal: manifest,
                ordinals: all.filter { entries[$0].path.map { $0.hasPrefix(base) || base.hasPrefix($0 + "/") } ?? false })]
            return
        }
        let foldersWithManifest = tops.keys.filter { manifests[$0] != nil }.sorted(by: EntryPath.naturalOrder)
        if manifests[""] != nil || (manifestGivenApart && !(rootFiles.isEmpty && tops.count == 1)) {
            // The delivery is the box (the historical layout).
            sections = [Section(folder: nil, prefix: "", manifestOrdinal: manifestGivenApart ? nil : manifests[""], ordinals: all)]
        } else if rootFiles.isEmpty, tops.count == 1, let (top, members) = tops.first,
            manifests[top] != nil || manifestGivenApart || members.contains(where: { Self.isNested(entries[$0], under: top) })
        {
            // A zipped box folder: everything sits under one folder, which holds the manifest or
            // dossier folders; paths are relative to it. (One folder of loose pages and no
            // manifest is a zipped dossier: one record, as before.)
            sections = [Section(
                folder: top, prefix: top + "/", manifestOrdinal: manifestGivenApart ? nil : manifests[top],
                ordinals: all.filter { Self.isInside(entries[$0], top) })]
        } else if !foldersWithManifest.isEmpty {
            // Several boxes, each a folder with its own manifest; anything else belongs to none.
            sections = foldersWithManifest.map { top in
                Section(
                    folder: top, prefix: top + "/", manifestOrdinal: manifests[top],
                    ordinals: all.filter { Self.isInside(entries[$0], top) })
            }
        } else {
            sections = [Section(folder: nil, prefix: "", manifestOrdinal: nil, ordinals: all)]
        }
    }

    /// The manifest at the end of a chain of at least two lone folders (each holding nothing but
    /// the next), and the chain as a path prefix; nil when there is no such chain.
    static func nestedManifest(_ entries: [BoxEntry]) -> (String, Int)? {
        var base = ""
        var depth = 0
        while true {
            var folders: Set<String> = []
            var files = 0
            for entry in entries {
                guard let path = entry.path, !EntryPath.isSystemJunk(path), path.hasPrefix(base), path.count > base.count else {
                    continue
                }
                let rest = path.dropFirst(base.count).split(separator: "/", maxSplits: 1)
                if rest.count == 2 || entry.kind == .directory { folders.insert(String(rest[0])) } else { files += 1 }
            }
            guard files == 0, folders.count == 1, let only = folders.first, depth < 8 else { break }
            base += only + "/"
            depth += 1
        }
        guard depth >= 2 else { return nil }
        for name in manifestNames {
            if let ordinal = entries.indices.first(where: {
                entries[$0].kind == .file && entries[$0].path.map { $0.lowercased() == (base + name).lowercased() } == true
            }) {
                return (base, ordinal)
            }
        }
        return nil
    }

    /// Whether `entry` is a folder inside `top`, or a file in one.
    private static func isNested(_ entry: BoxEntry, under top: String) -> Bool {
        guard let path = entry.path, path.hasPrefix(top + "/") else { return false }
        return entry.kind == .directory || path.dropFirst(top.count + 1).contains("/")
    }

    /// Whether `entry` lies inside top folder `top` (the folder's own entry included).
    private static func isInside(_ entry: BoxEntry, _ top: String) -> Bool {
        guard let path = entry.path else { return false }
        return path == top || path.hasPrefix(top + "/")
    }

    /// `entry` as seen from inside `section`: its path relative to the box folder (the report
    /// keeps the name as the archive gives it). The box folder's own entry has no path left.
    static func rebase(_ entry: BoxEntry, in section: Section) -> BoxEntry {
        guard !section.prefix.isEmpty, let path = entry.path else { return entry }
        var rebased = entry
        rebased.path = path + "/" == section.prefix ? nil : String(path.dropFirst(section.prefix.count))
        return rebased
    }
}
