import GRDB

/// A WHERE clause assembled from optional filters, with its arguments in order.
struct SQLConditions {
    private(set) var clauses: [String] = []
    private(set) var arguments: [any SQLValueConvertible] = []

    init(_ clause: String? = nil, _ value: (any SQLValueConvertible)? = nil) {
        if let clause { add(clause, value) }
    }

    /// Adds `clause` (with one `?`) when `value` is present; a clause without `?` takes no value.
    mutating func add(_ clause: String, _ value: (any SQLValueConvertible)?) {
        guard let value else { return }
        clauses.append(clause)
        arguments.append(value)
    }

    /// Adds `clause` with as many `?` as `values`.
    mutating func add(_ clause: String, values: [any SQLValueConvertible]) {
        clauses.append(clause)
        arguments += values
    }

    var isEmpty: Bool { clauses.isEmpty }
    var sql: String { clauses.joined(separator: " AND ") }
    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + sql }

    /// The arguments followed by `extra` (LIMIT, OFFSET…).
    func values(_ extra: [any SQLValueConvertible] = []) -> [any SQLValueConvertible] { arguments + extra }

    /// The same, for a GRDB statement (the FTS5 search).
    func statementArguments(_ extra: [any SQLValueConvertible] = []) -> StatementArguments {
        GRDBDatabase.Connection.arguments(arguments + extra)
    }
}
