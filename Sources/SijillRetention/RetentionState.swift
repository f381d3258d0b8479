/// Where a record stands in its retention life.
public enum RetentionState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Scheduled, not yet due (or waiting for its trigger: a `closed` cut-off, a date).
    case active
    /// Its period has ended: it awaits its disposition action.
    case due
    /// A legal hold covers it: it can be neither destroyed nor transferred.
    case onHold = "on-hold"
    case destroyed
    case transferred
    /// Kept for ever (action `permanent`).
    case permanent
    /// Its series has no schedule (reported, never kept silently or destroyed).
    case unscheduled

    /// For reports shown to auditors.
    public var arabic: String {
        switch self {
        case .active: "سارٍ"
        case .due: "مستحق للإجراء"
        case .onHold: "محجوز قانونيًا"
        case .destroyed: "أُتلف"
        case .transferred: "نُقل"
        case .permanent: "حفظ دائم"
        case .unscheduled: "بلا جدول حفظ"
        }
    }
}
