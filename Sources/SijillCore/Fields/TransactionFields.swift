import Foundation

/// What a transaction's pages say about it, read from their text: reference numbers, dates,
/// parties and amounts (``FieldExtractor``). Each field keeps the text as printed, a normalised
/// value, the page and line it came from and a confidence in 0…1.
public struct TransactionFields: Sendable, Hashable, Codable {
    public var references: [Field] = []
    public var dates: [Field] = []
    public var parties: [Field] = []
    public var amounts: [Field] = []

    public init(references: [Field] = [], dates: [Field] = [], parties: [Field] = [], amounts: [Field] = []) {
        self.references = references
        self.dates = dates
        self.parties = parties
        self.amounts = amounts
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case reference, date, party, amount
    }

    public struct Field: Sendable, Hashable, Codable {
        public var kind: Kind
        /// As printed (original digits, separators and spelling).
        public var text: String
        /// Normalised: references with Western digits and no spaces; dates as ISO Gregorian
        /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (partial dates stay partial); a party's name as
        /// printed; amounts as a decimal number with Western digits and no grouping.
        public var value: String
        /// 1-based page number within the record.
        public var page: Int
        /// 1-based line of the page's text.
        public var line: Int
        public var confidence: Double
        /// Dates: `gregorian` or `hijri` (the calendar it was written in).
        public var calendar: String?
        /// Dates: the first and last Gregorian day the value covers (a partial date covers its
        /// month or year; a Hijri month is not a Gregorian one).
        public var dayFrom: String?
        public var dayTo: String?
        /// Dates: the record's main date (one per record).
        public var main: Bool?
        /// Parties: `applicant`, `seller`, `buyer`, `owner`, …; references: what the label names
        /// (`transaction`, `register`, `file`, …).
        public var role: String?
        /// Parties and references: the label as printed.
        public var label: String?
        /// Amounts: the currency word as printed (ليرة، دينار، …).
        public var currency: String?
        /// Where on the page it was read: `[x0, y0, x1, y1]` in page pixels (the hOCR words').
        public var box: [Int]?

        public init(
            kind: Kind, text: String, value: String, page: Int, line: Int, confidence: Double, calendar: String? = nil,
            dayFrom: String? = nil, dayTo: String? = nil, main: Bool? = nil, role: String? = nil, label: String? = nil,
            currency: String? = nil, box: [Int]? = nil
        ) {
            self.box = box
            self.kind = kind
            self.text = text
            self.value = value
            self.page = page
            self.line = line
            self.confidence = confidence
            self.calendar = calendar
            self.dayFrom = dayFrom
            self.dayTo = dayTo
            self.main = main
            self.role = role
            self.label = label
            self.currency = currency
        }

        enum CodingKeys: String, CodingKey {
            case kind, text, value, page, line, confidence, calendar, main, role, label, currency, box
            case dayFrom = "day_from", dayTo = "day_to"
        }
    }

    public var all: [Field] { references + dates + parties + amounts }

    /// The record's main date, if any.
    public var mainDate: Field? { dates.first { $0.main == true } }

    public var isEmpty: Bool { all.isEmpty }

    /// Fields back into their groups, in page and line order.
    public init(_ fields: [Field]) {
        for field in fields.sorted(by: { ($0.page, $0.line) < ($1.page, $1.line) }) {
            switch field.kind {
            case .reference: references.append(field)
            case .date: dates.append(field)
            case .party: parties.append(field)
            case .amount: amounts.append(field)
            }
        }
    }
}
