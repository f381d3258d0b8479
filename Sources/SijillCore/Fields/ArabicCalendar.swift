import Foundation

/// Month names as Arab archives print them, and Hijri (Umm al-Qura) to Gregorian conversion.
public enum ArabicCalendar {
    public enum System: String, Sendable {
        case gregorian, hijri
    }

    /// Month names, folded (``FieldText/fold(_:)``: أإآ→ا, ة→ه, ى→ي, no harakat), with their
    /// number and calendar. Longer names first where one is a prefix of another.
    public static let months: [(name: String, month: Int, system: System)] = {
        var list: [(String, Int, System)] = []
        func add(_ names: [String], _ system: System) {
            for (i, name) in names.enumerated() {
                for variant in name.split(separator: "|") { list.append((FieldText.fold(String(variant)), i + 1, system)) }
            }
        }
        // Syriac / Levantine (Syria, Lebanon, Jordan, Palestine, Iraq).
        // (without the article too, as often written: كانون ثاني، تشرين أول)
        add([
            "كانون الثاني|كانون ثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول|تشرين أول",
            "تشرين الثاني|تشرين ثاني", "كانون الأول|كانون أول",
        ], .gregorian)
        // Egypt and the Gulf.
        add(["يناير", "فبراير", "مارس", "أبريل|إبريل", "مايو", "يونيو|يونية", "يوليو|يولية", "أغسطس|اغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"], .gregorian)
        // Maghreb: Algeria and Tunisia (French), Morocco.
        add(["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية|جويليه", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"], .gregorian)
        add(["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"], .gregorian)
        // Hijri months, with their usual spellings.
        add([
            "محرم|المحرم", "صفر", "ربيع الأول|ربيع أول", "ربيع الآخر|ربيع الثاني|ربيع ثاني", "جمادى الأولى|جمادى الأول|جمادى أولى",
            "جمادى الآخرة|جمادى الثانية|جمادى الآخر|جمادى الثاني", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة|ذي القعدة",
            "ذو الحجة|ذي الحجة",
        ], .hijri)
        var seen = Set<String>()
        return list.filter { seen.insert($0.0).inserted }.sorted { $0.0.count > $1.0.count }.map { (name: $0.0, month: $0.1, system: $0.2) }
    }()

    private static let ummAlQura: Calendar = {
        var c = Calendar(identifier: .islamicUmmAlQura)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    private static let gregorian: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// The Gregorian day of a Hijri date (Umm al-Qura), or nil when the date does not exist
    /// (day 30 of a 29-day month) or is outside the tables.
    public static func gregorian(hijriYear year: Int, month: Int, day: Int) -> (year: Int, month: Int, day: Int)? {
        guard (1300...1600).contains(year), (1...12).contains(month), (1...30).contains(day) else { return nil }
        guard let date = ummAlQura.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        let back = ummAlQura.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        let g = gregorian.dateComponents([.year, .month, .day], from: date)
        return (g.year!, g.month!, g.day!)
    }

    /// The Hijri (Umm al-Qura) date of a Gregorian day.
    public static func hijri(year: Int, month: Int, day: Int) -> (year: Int, month: Int, day: Int)? {
        guard let date = gregorian.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        let h = ummAlQura.dateComponents([.year, .month, .day], from: date)
        guard let y = h.year, let m = h.month, let d = h.day else { return nil }
        return (y, m, d)
    }

    /// Whether a Gregorian day exists.
    public static func isValidGregorian(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1, let date = gregorian.date(from: DateComponents(year: year, month: month, day: day)) else { return false }
        return gregorian.component(.day, from: date) == day
    }

    /// Days in a Hijri month (29 or 30), nil outside the tables.
    public static func hijriMonthLength(year: Int, month: Int) -> Int? {
        gregorian(hijriYear: year, month: month, day: 30) != nil ? 30 : (gregorian(hijriYear: year, month: month, day: 29) != nil ? 29 : nil)
    }

    /// Hijri month names as printed on documents and shown to clerks.
    public static let hijriMonthNames = [
        "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
    ]

    /// An ISO Gregorian day (`YYYY-MM-DD`) as the Hijri date clerks read: `20 رجب 1402 هـ`;
    /// nil for a partial or invalid date.
    public static func hijriText(_ iso: String) -> String? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let h = hijri(year: parts[0], month: parts[1], day: parts[2]), (1...12).contains(h.month) else { return nil }
        return "\(h.day) \(hijriMonthNames[h.month - 1]) \(h.year) هـ"
    }

    static func iso(_ y: Int, _ m: Int, _ d: Int) -> String { String(format: "%04d-%02d-%02d", y, m, d) }

    /// A date's value and the Gregorian days it covers: `day` and `month` may be nil (partial).
    /// Nil when the date does not exist.
    public static func resolve(
        year: Int, month: Int?, day: Int?, system: System
    ) -> (value: String, from: String, to: String)? {
        switch system {
        case .gregorian:
            guard (1000...2999).contains(year) else { return nil }
            guard let month else { return (String(format: "%04d", year), iso(year, 1, 1), iso(year, 12, 31)) }
            guard (1...12).contains(month) else { return nil }
            let last = (28...31).last { isValidGregorian(year: year, month: month, day: $0) } ?? 28
            guard let day else { return (String(format: "%04d-%02d", year, month), iso(year, month, 1), iso(year, month, last)) }
            guard isValidGregorian(year: year, month: month, day: day) else { return nil }
            let v = iso(year, month, day)
            return (v, v, v)
        case .hijri:
            if let month, let day {
                guard let g = gregorian(hijriYear: year, month: month, day: day) else { return nil }
                let v = iso(g.year, g.month, g.day)
                return (v, v, v)
            }
            // A Hijri month or year is not a Gregorian one: the value is the Gregorian month
            // (or year) it starts in, the range its exact days.
            let firstMonth = month ?? 1, lastMonth = month ?? 12
            guard let start = gregorian(hijriYear: year, month: firstMonth, day: 1),
                let length = hijriMonthLength(year: year, month: lastMonth),
                let end = gregorian(hijriYear: year, month: lastMonth, day: length)
            else { return nil }
            let value = month == nil ? String(format: "%04d", start.year) : String(format: "%04d-%02d", start.year, start.month)
            return (value, iso(start.year, start.month, start.day), iso(end.year, end.month, end.day))
        }
    }
}
