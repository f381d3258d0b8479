import SijillCore

/// Decides, from the list of entries and the manifest, which files form which records and
/// which entries are refused before any byte is read.
struct IngestPlan {
    struct PlannedRecord {
        /// Manifest `file` value, folder name or image name.
        var source: String
        var metadata: RecordMetadata
        /// Ordinals of the entries that are its pages, in page order.
        var entryOrdinals: [Int]
        /// Set when the record cannot be formed at all.
        var rejection: String?
        /// Set for a re-scan: the catalogued page this file replaces.
        var replaces: Manifest.PageReference? = nil
        /// The box folder it came from, when the delivery holds box folders.
        var box: String? = nil
    }

    var records: [PlannedRecord] = []
    /// Items decided without reading data, by entry ordinal.
    var decided: [Int: ReconciliationReport.Item] = [:]
    /// Manifest row problems (reported after the entries).
    var rowItems: [ReconciliationReport.Item] = []
    /// Entries whose bytes pass 2 must read.
    var wanted: Set<Int> = []
    /// Paths relative to their box folder, where that differs from the entry's path.
    var boxPaths: [Int: String] = [:]

    /// Plans every box of a delivery (see ``BoxLayout``) as one: each box's entries are planned
    /// with paths relative to its folder, under its own manifest (`manifests` by section index).
    init(entries: [BoxEntry], layout: BoxLayout, manifests: [Int: Manifest]) {
        for (n, section) in layout.sections.enumerated() {
            let local = section.ordinals.map { BoxLayout.rebase(entries[$0], in: section) }
            let manifestOrdinal = section.manifestOrdinal.flatMap { section.ordinals.firstIndex(of: $0) }
            let plan = IngestPlan(entries: local, manifest: manifests[n], manifestOrdinal: manifestOrdinal)
            let global = { (o: Int) in section.ordinals[o] }
            for var record in plan.records {
                record.entryOrdinals = record.entryOrdinals.map(global)
                record.box = section.folder
                records.append(record)
            }
            for (o, item) in plan.decided { decided[global(o)] = item }
            if !section.prefix.isEmpty {
                for (o, entry) in local.enumerated() { if let path = entry.path { boxPaths[global(o)] = path } }
            }
            rowItems += plan.rowItems
            wanted.formUnion(plan.wanted.map(global))
        }
        // Entries in no box: clutter is ignored, unsafe names refused, anything else lies outside
        // the box folders.
        let covered = Set(layout.sections.flatMap(\.ordinals))
        let folders = layout.sections.compactMap(\.folder).map { "'\($0)/'" }.joined(separator: ", ")
        for (i, entry) in entries.enumerated() where !covered.contains(i) && entry.kind != .directory {
            if let path = entry.path, EntryPath.isSystemJunk(path) {
                decided[i] = .init(
                    name: entry.rawName, status: .ignored, reason: "operating-system file, not a scan", code: "system-file")
            } else if entry.path == nil {
                decided[i] = .init(
                    name: entry.rawName, status: .rejected, reason: "unsafe entry name: \(entry.unsafeReason ?? "invalid")",
                    code: "unsafe-path")
            } else {
                decided[i] = .init(
                    name: entry.rawName, status: .rejected,
                    reason: "not inside a box folder: this archive holds the box(es) \(folders), each with its own manifest.csv",
                    code: "outside-box")
            }
        }
    }

    /// `entries` in box order; `manifestOrdinal` is the entry that is the manifest, if any.
    init(entries: [BoxEntry], manifest: Manifest?, manifestOrdinal: Int?) {
        var candidates: [String: Int] = [:]
        var refusedPaths: [String: String] = [:]
        for (i, entry) in entries.enumerated() {
            // Folders are never created; `./` (tar -C dir .) is the box itself.
            if entry.kind == .directory, entry.unsafeReason == nil || EntryPath.isBoxRoot(entry.rawName) { continue }
            func reject(_ code: String, _ reason: String) {
                decided[i] = .init(name: entry.rawName, status: .rejected, reason: reason, code: code)
                if let path = entry.path { refusedPaths[path] = reason }
            }
            guard let path = entry.path else {
                reject("unsafe-path", "unsafe entry name: \(entry.unsafeReason ?? "invalid")")
                continue
            }
            if i == manifestOrdinal {
                decided[i] = .init(name: entry.rawName, status: .manifest)
                continue
            }
            if EntryPath.isSystemJunk(path) {
                decided[i] = .init(
                    name: entry.rawName, status: .ignored, reason: "operating-system file, not a scan", code: "system-file")
                continue
            }
            switch entry.kind {
            case .symlink:
                reject("link", "symbolic link\(entry.linkTarget.map { " to '\($0)'" } ?? ""); links are never followed")
                continue
            case .hardlink:
                reject("link", "hard link\(entry.linkTarget.map { " to '\($0)'" } ?? ""); links are never followed")
                continue
            case .other, .directory:
                reject("not-regular-file", "not a regular file (device, pipe or socket)")
                continue
            case .file:
                break
            }
            if candidates[path] != nil {
                reject("duplicate-name", "a second entry with the same name; the first one is used")
                continue
            }
            candidates[path] = i
        }

        if let manifest {
            var claimedBy: [Int: Int] = [:]  // ordinal → manifest line
            for row in manifest.entries {
                let ordinals: [Int]
                if let single = candidates[row.file] {
                    ordinals = [single]
                } else {
                    ordinals = candidates.filter { $0.key.hasPrefix(row.file + "/") }
                        .sorted { EntryPath.naturalOrder($0.key, $1.key) }.map(\.value)
                }
                if ordinals.isEmpty {
                    let hint = Self.didYouMean(row.file, among: candidates.keys).map { "; did you mean '\($0)'?" } ?? ""
                    let reason = refusedPaths[row.file].map { "'\(row.file)' was refused: \($0)" }
                        ?? "'\(row.file)' is not in the box\(hint)"
                    rowItems.append(.init(
                        name: "\(manifest.name):\(row.line) (\(row.file))", status: .rejected, reason: reason,
                        code: refusedPaths[row.file] == nil ? "missing-file" : "refused-file"))
                    records.append(PlannedRecord(source: row.file, metadata: row.metadata, entryOrdinals: [], rejection: reason))
                    continue
                }
                if let taken = ordinals.first(where: { claimedBy[$0] != nil }), let line = claimedBy[taken] {
                    let reason = "'\(entries[taken].rawName)' is already used by manifest line \(line)"
                    rowItems.append(.init(
                        name: "\(manifest.name):\(row.line) (\(row.file))", status: .rejected, reason: reason,
                        code: "manifest-row-reuse"))
                    continue
                }
                for o in ordinals { claimedBy[o] = row.line }
                records.append(PlannedRecord(
                    source: row.file, metadata: row.metadata, entryOrdinals: ordinals, replaces: row.replaces))
            }
            for problem in manifest.problems {
                rowItems.append(.init(
                    name: "\(manifest.name):\(problem.line)" + (problem.file.map { " (\($0))" } ?? ""), status: .rejected,
                    reason: problem.reason, code: problem.code))
            }
            for note in manifest.notes {
                rowItems.append(.init(
                    name: "\(manifest.name):\(note.line)" + (note.file.map { " (\($0))" } ?? ""), status: .manifest,
                    code: note.code, notes: [note.reason]))
            }
            for (path, ordinal) in candidates where claimedBy[ordinal] == nil {
                decided[ordinal] = .init(
                    name: entries[ordinal].rawName, status: .rejected,
                    reason: "'\(path)' is not listed in the manifest", code: "not-in-manifest")
            }
        } else {
            // No manifest: each top-level folder is a record, each loose file a one-page record.
            var groups: [String: [(String, Int)]] = [:]
            for (path, ordinal) in candidates {
                let top = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? path
                groups[top, default: []].append((path, ordinal))
            }
            for top in groups.keys.sorted(by: EntryPath.naturalOrder) {
                let members = groups[top]!.sorted { EntryPath.naturalOrder($0.0, $1.0) }
                records.append(PlannedRecord(source: top, metadata: RecordMetadata(), entryOrdinals: members.map(\.1)))
            }
        }
        wanted = Set(records.flatMap(\.entryOrdinals))
    }

    /// The one place elsewhere in the box that has `file`'s name (a file, or a folder of page
    /// files), offered as a hint; nil when there is none or more than one. Never used in its place.
    static func didYouMean(_ file: String, among paths: Dictionary<String, Int>.Keys) -> String? {
        guard let name = file.split(separator: "/").last.map(String.init) else { return nil }
        var places: Set<String> = []
        for path in paths {
            let parts = path.split(separator: "/").map(String.init)
            for (k, part) in parts.enumerated() where part == name {
                places.insert(parts[...k].joined(separator: "/"))
            }
        }
        places.remove(file)
        return places.count == 1 ? places.first : nil
    }
}
