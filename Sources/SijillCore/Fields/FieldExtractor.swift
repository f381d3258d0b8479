import Foundation

/// Reads transaction fields from a record's page texts (OCR text in logical order), line by
/// line: reference numbers after their labels, dates (numeric in either digit script and order,
/// written with Levantine, Egyptian/Gulf, Maghrebi or Hijri month names, Hijri with هـ), parties
/// after their role labels, and amounts with a currency word. Rules, not fixture matches: a
/// number counts as a reference only after a label that names one (an ID card or telephone
/// number does not), a year alone only after التاريخ, a name only after a role label.
///
/// Bump ``version`` whenever a rule changes: records extracted with an older version are listed
/// by `sijill reextract`.
public enum FieldExtractor {
    /// 2: a reference has one letter group at most, and none that starts a word (ال…).
    /// 3: a name ends at verbs and descriptions (سدد، المقيم …), a one- or two-letter word before
    /// them is dropped, and lineage links (بن) and compound names' first words (عبد) do not
    /// count toward its six words; its value has words split after a non-joining letter rejoined.
    /// 4: a ء ending a name word after a letter other than ا is a comma OCR misread (بلقاسمء
    /// كريم): it ends the name, and a list goes on after it.
    /// 5: رقم read with its ق as ف (رفم) is a number's label; a month name of four letters or
    /// more is matched with any dots on its letters (نشرين for تشرين).
    /// 6: a label's noun may have an adjective right before the number (رقم السجل العقاري 7781);
    /// a month named twice (آذار (مارس) 1982) is a written date; a slash after a party's label
    /// is a colon (المستدعي/ أحمد); an amount may be bracketed, grouped with full stops
    /// (1.500.000) and have the accusative's alif (750 ديناراً عراقياً); العدد at a line's start
    /// labels a number as الرقم does; Levantine months without the article (كانون ثاني) and
    /// Hijri months with their epithet (رمضان المبارك) are month names; a title before a name
    /// (السيد، الحاج …) is not part of it; رقم الصك / الوثيقة / الرخصة / المحضر label references.
    /// 7: a line's first word that is a one-word party label with its dots moved or one letter
    /// lost, as OCR reads them (المنوفى، المتوى، الوكل:), labels a party at lower confidence; a
    /// currency word of four letters or more matches with any dots (لبرة is ليرة).
    public static let version = 7

    /// The fields of a record whose pages (1-based number, text) are given.
    public static func extract(pages: [(page: Int, text: String)]) -> TransactionFields {
        var fields = TransactionFields()
        for (page, text) in pages {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let folded = FieldText(String(line))
                guard !folded.folded.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                let references = self.references(folded, page: page, line: index + 1)
                fields.references += references.map(\.field)
                fields.dates += dates(folded, page: page, line: index + 1, masked: references.map(\.range))
                fields.parties += parties(folded, page: page, line: index + 1)
                fields.amounts += amounts(folded, page: page, line: index + 1)
            }
        }
        // The same reference, date, party or amount on several pages is one field (its first).
        func unique(_ list: [TransactionFields.Field]) -> [TransactionFields.Field] {
            var seen = Set<[String?]>()
            return list.filter { seen.insert([$0.value, $0.calendar, $0.role, $0.currency]).inserted }
        }
        fields.references = unique(fields.references)
        fields.dates = unique(fields.dates)
        fields.parties = unique(fields.parties)
        fields.amounts = unique(fields.amounts)
        chooseMainDate(&fields)
        return fields
    }

    /// A reference as `ref:` queries and stored values compare it: folded, no spaces.
    public static func referenceValue(_ text: String) -> String {
        FieldText.fold(text).filter { !$0.isWhitespace }
    }

    // MARK: - Patterns (on folded text)

    static let letter = "\\x{0621}-\\x{064A}"
    static let notLetterBefore = "(?<![\\x{0621}-\\x{064A}A-Za-z])"
    static let notLetterAfter = "(?![\\x{0621}-\\x{064A}A-Za-z])"

    static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: [])
    }

    /// Reference labels and what they name (folded here as lines are: write them as printed).
    static let referenceLabels: [(String, String)] = [
        ("المعامله", "transaction"), ("معامله", "transaction"), ("القيد", "register"), ("قيد", "register"),
        ("السجل", "register"), ("سجل", "register"), ("الملف", "file"), ("ملف", "file"), ("الاضباره", "file"),
        ("اضباره", "file"), ("الطلب", "application"), ("طلب", "application"), ("الصادر", "outgoing"),
        ("صادر", "outgoing"), ("الوارد", "incoming"), ("وارد", "incoming"), ("العقد", "contract"), ("عقد", "contract"),
        ("الدعوي", "case"), ("الدعوه", "case"), ("القضيه", "case"), ("الاساس", "case"), ("القرار", "decision"),
        ("قرار", "decision"), ("الحكم", "decision"), ("الكتاب", "letter"), ("المرجع", "reference"),
        ("الإيصال", "receipt"), ("إيصال", "receipt"), ("الوصل", "receipt"), ("السند", "receipt"), ("الفاتورة", "invoice"),
        ("الصك", "deed"), ("صك", "deed"), ("الوثيقة", "document"), ("وثيقة", "document"), ("الرخصة", "licence"),
        ("رخصة", "licence"), ("المحضر", "minutes"), ("محضر", "minutes"), ("الضبط", "minutes"),
    ].map { (FieldText.fold($0.0), $0.1) }

    static let referencePattern: NSRegularExpression = {
        let labels = referenceLabels.map(\.0).sorted { $0.count > $1.count }.joined(separator: "|")
        // The token after the label, as OCR may give it: separators doubled, moved to the ends
        // or read as brackets, a letter glued to the digits (/812م for 812/م), a letter part
        // after a space (866 ص); ``referenceToken(_:)`` decides what it says.
        let chars = "[\\d\(letter)A-Za-z/\\-().]"
        let value = "[/(]?[\\d\(letter)A-Za-z]\(chars)*(?:\\s?[/\\-]\\s?\(chars)+)*(?:\\s[\(letter)](?![\(letter)]))?"
        // رقم المعاملة / رقم معاملة / الرقم / رقم / المرجع / العدد (an outgoing letter's number in
        // Iraq and the Gulf), then a colon (or dash, or nothing).
        // The label's noun may have a word after it before a colon (رقم الطلب المقدم:), or an
        // adjective right before the number (رقم السجل العقاري 7781, رقم القيد المدني ١٢٣).
        // (رقم with its ق read as ف, one dot lost: "رفم الطلب:"; no Arabic word is spelt رفم.)
        return regex(
            "\(notLetterBefore)(?:(?:ر[قف]م|الر[قف]م|بر[قف]م)\\s+(\(labels))(?:\\s+[\(letter)]+(?=\\s*:)|\\s+ال[\(letter)]+(?=\\s*[:\\-–.]?\\s*[/(]?\\d))?|(الر[قف]م|ر[قف]م|المرجع|العدد))\(notLetterAfter)\\s*[:\\-–.]?\\s*(\(value))")
    }()

    static func references(_ line: FieldText, page: Int, line number: Int) -> [(field: TransactionFields.Field, range: NSRange)] {
        let text = line.folded as NSString
        return referencePattern.matches(in: line.folded, range: NSRange(location: 0, length: text.length)).compactMap { m in
            var valueRange = m.range(at: 3)
            // No trailing separator ("81559/" then the line ends, "1982." at a sentence's end).
            while valueRange.length > 0, let last = text.substring(with: NSRange(location: valueRange.location + valueRange.length - 1, length: 1)).unicodeScalars.first,
                !CharacterSet.alphanumerics.contains(last)
            {
                valueRange.length -= 1
            }
            guard let (folded, clean) = referenceToken(text.substring(with: valueRange)) else { return nil }
            let specific = m.range(at: 1).location != NSNotFound
            // A bare رقم / الرقم / المرجع is a label only where labels stand: at the start of
            // the line (بموجب الهوية رقم … is an ID card's number).
            if !specific, text.substring(to: m.range.location).contains(where: { !$0.isWhitespace }) { return nil }
            let labelRange = specific ? NSRange(location: m.range.location, length: m.range(at: 1).upperBound - m.range.location) : m.range(at: 2)
            let role = specific ? referenceLabels.first { $0.0 == text.substring(with: m.range(at: 1)) }?.1 ?? "number" : (text.substring(with: m.range(at: 2)) == "المرجع" ? "reference" : "number")
            let field = TransactionFields.Field(
                kind: .reference, text: line.printed(valueRange), value: folded, page: page, line: number,
                confidence: (specific ? 0.95 : 0.85) - (clean ? 0 : 0.2), role: role, label: line.printed(labelRange))
            return (field, valueRange)
        }
    }

    static let cleanReference: NSRegularExpression = {
        let part = "(?:\\d+|[\(letter)A-Za-z]{1,3})"
        return regex("^(?:[\(letter)A-Za-z]{1,3}\\s?[/\\-]\\s?)?\\d+(?:\\s?[/\\-]\\s?\(part))*$")
    }()
    static let referenceRun = regex("\\d+|[\(letter)A-Za-z]+")

    /// A reference token's value (folded, no spaces) and whether it was written cleanly
    /// (`81559/1982`, `123/ب/2005`, `2005-123`, `م/552`). A token OCR garbled in a known way
    /// (/812م, /3550م1975/, 866 ص) is rebuilt from its runs of digits and letters joined by `/`;
    /// anything else (a word, a run of more than three letters, no digit) is not a reference.
    static func referenceToken(_ token: String) -> (value: String, clean: Bool)? {
        let compact = token.filter { !$0.isWhitespace }
        let whole = NSRange(location: 0, length: (token as NSString).length)
        let runs = referenceRun.matches(in: token, range: whole).map { (token as NSString).substring(with: $0.range) }
        // A reference has one series letter group at most (١٢٣/ب/٢٠٠٥, ج/239), and a group is
        // not a word's start: "127/و/ا" and "1/الم" are digits and letters misread.
        let letterRuns = runs.filter { !$0.first!.isNumber }
        guard letterRuns.count <= 1, !letterRuns.contains(where: { $0.hasPrefix("ال") }) else { return nil }
        if cleanReference.firstMatch(in: token, range: whole) != nil, compact.contains(where: \.isNumber) {
            return (referenceValue(compact), true)
        }
        guard (2...4).contains(runs.count), runs.contains(where: { $0.first!.isNumber }),
            runs.allSatisfy({ $0.first!.isNumber || $0.count <= 3 })
        else { return nil }
        return (referenceValue(runs.joined(separator: "/")), false)
    }

    // MARK: Dates

    /// d/m/y or y/m/d with one separator kind, in either digit script (folded to 0–9).
    static let numericDate = regex("(?<![\\d.,/\\-])(\\d{1,4})\\s?([/\\-.])\\s?(\\d{1,2})\\s?\\2\\s?(\\d{1,4})(?![\\d]|[.,/\\-]\\d)")
    /// Letters that differ only by their dots: OCR often loses or adds one (تشرين read as
    /// "نشرين", أكتوبر as "أكتوير"). No two month names share their dotless form.
    static let dotGroups = ["بتثني", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق"]

    /// A folded word with each letter replaced by the first of its dot group.
    static func dotless(_ text: String) -> String {
        String(text.map { c in dotGroups.first { $0.contains(c) }?.first ?? c })
    }

    /// A month or currency name as a pattern: names of four letters or more match with any dots
    /// (a short name, آب or صفر, would match common words so).
    static func anyDotsPattern(_ name: String) -> String {
        guard name.filter({ $0 != " " }).count >= 4 else {
            return NSRegularExpression.escapedPattern(for: name).replacingOccurrences(of: " ", with: "\\s+")
        }
        return name.map { c in
            c == " " ? "\\s+" : dotGroups.first { $0.contains(c) }.map { "[\($0)]" } ?? NSRegularExpression.escapedPattern(for: String(c))
        }.joined()
    }

    /// The month a name matched by ``anyDotsPattern(_:)`` stands for: itself, else the one with
    /// its dotless form.
    static func month(named name: String) -> (name: String, month: Int, system: ArabicCalendar.System)? {
        ArabicCalendar.months.first { $0.name == name }
            ?? (name.filter { $0 != " " }.count >= 4 ? ArabicCalendar.months.first { dotless($0.name) == dotless(name) } : nil)
    }

    static let hijriEpithets = ["الحرام", "الخير", "الأنور", "الفرد", "المعظم", "المبارك", "المكرم"].map(FieldText.fold)

    static let writtenDate: NSRegularExpression = {
        let names = ArabicCalendar.months.map { anyDotsPattern($0.name) }
        // (The month may be named twice, in two sets: آذار (مارس)، شباط/فبراير، كانون الثاني - يناير.)
        let alias = "(?:\\s*[(/\\-–]\\s*(?:\(names.joined(separator: "|")))\(notLetterAfter)\\s*\\)?)?"
        // (A Hijri month's epithet: محرم الحرام، صفر الخير، ربيع الأول الأنور، رجب الفرد، شعبان
        // المعظم، رمضان المبارك.)
        let epithet = "(?:\\s+(?:\(hijriEpithets.joined(separator: "|")))\(notLetterAfter))?"
        return regex(
            "(?<![\\d.,/])(?:(\\d{1,2})\\s*(?:من\\s+)?(?:شهر\\s+)?)?\(notLetterBefore)(\(names.joined(separator: "|")))\(notLetterAfter)\(epithet)\(alias)\\s*(?:[،,]\\s*)?(?:سنه\\s+|عام\\s+|لعام\\s+)?(?:[.]|0(?=\\d{4}(?!\\d)))?(\\d{4})(?!\\d)")
    }()
    /// After a date: هـ (Hijri) or م (Gregorian).
    static let eraSuffix = regex("^\\s*(?:(ه)|(م))\(notLetterAfter)")
    /// التاريخ (or تاريخ) then a year alone.
    static let labelledYear = regex("\(notLetterBefore)(?:ال)?تاريخ\(notLetterAfter)\\s*[:\\-]?\\s*(\\d{4})(?![\\d]|\\s?[/\\-.]\\s?\\d)")
    static let dateLabel = regex("(?:ال|ب)?تاريخ\(notLetterAfter)[^\\d]{0,30}$")

    static func era(after range: NSRange, in text: NSString) -> ArabicCalendar.System? {
        let rest = text.substring(from: range.upperBound)
        guard let m = eraSuffix.firstMatch(in: rest, range: NSRange(location: 0, length: (rest as NSString).length)) else { return nil }
        return m.range(at: 1).location != NSNotFound ? .hijri : .gregorian
    }

    static func dates(_ line: FieldText, page: Int, line number: Int, masked: [NSRange]) -> [TransactionFields.Field] {
        let text = line.folded as NSString
        let all = NSRange(location: 0, length: text.length)
        var found: [(NSRange, TransactionFields.Field)] = []
        func free(_ r: NSRange) -> Bool {
            !masked.contains { NSIntersectionRange($0, r).length > 0 } && !found.contains { NSIntersectionRange($0.0, r).length > 0 }
        }
        func add(_ range: NSRange, year: Int, month: Int?, day: Int?, system: ArabicCalendar.System, confidence: Double) {
            guard free(range), let resolved = ArabicCalendar.resolve(year: year, month: month, day: day, system: system) else { return }
            let suffix = era(after: range, in: text) != nil
                ? (eraSuffix.firstMatch(in: text.substring(from: range.upperBound), range: NSRange(location: 0, length: text.length - range.upperBound))?.range.length ?? 0) : 0
            let printedRange = NSRange(location: range.location, length: range.length + suffix)
            let labelled = dateLabel.firstMatch(in: text.substring(to: range.location), range: NSRange(location: 0, length: range.location)) != nil
            // The document's own date: the line's label is التاريخ itself (not تاريخ القيد).
            let own = text.substring(to: range.location).trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ":-–"))) == "التاريخ"
            found.append((range, TransactionFields.Field(
                kind: .date, text: line.printed(printedRange), value: resolved.value, page: page, line: number,
                confidence: min(1, confidence + (labelled ? 0.05 : 0)), calendar: system.rawValue, dayFrom: resolved.from,
                dayTo: resolved.to, main: false, label: own ? "التاريخ" : labelled ? "تاريخ" : nil)))
        }
        for m in writtenDate.matches(in: line.folded, range: all) {
            let name = text.substring(with: m.range(at: 2)).replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
            guard let month = month(named: name), let year = Int(text.substring(with: m.range(at: 3))) else { continue }
            let day = m.range(at: 1).location != NSNotFound ? Int(text.substring(with: m.range(at: 1))) : nil
            let system = month.system
            // A Gregorian month with هـ, a Hijri year past 1600 or a Gregorian one before 1800:
            // not a date as written (or misread).
            if system == .gregorian, era(after: m.range, in: text) == .hijri { continue }
            if system == .hijri ? year > 1600 : year < 1800 { continue }
            add(m.range, year: year, month: month.month, day: day, system: system, confidence: day == nil ? 0.8 : 0.9)
        }
        for m in numericDate.matches(in: line.folded, range: all) {
            let a = text.substring(with: m.range(at: 1)), b = text.substring(with: m.range(at: 3)), c = text.substring(with: m.range(at: 4))
            guard let x = Int(a), let month = Int(b), let z = Int(c) else { continue }
            let (year, day): (Int, Int)
            if a.count == 4, c.count <= 2 { (year, day) = (x, z) } else if c.count == 4, a.count <= 2 { (year, day) = (z, x) } else { continue }
            let suffix = era(after: m.range, in: text)
            let system: ArabicCalendar.System = suffix ?? (year < 1600 ? .hijri : .gregorian)
            guard system == .hijri ? (1300...1600).contains(year) : (1800...2200).contains(year) else { continue }
            add(m.range, year: year, month: month, day: day, system: system, confidence: 0.9)
        }
        for m in labelledYear.matches(in: line.folded, range: all) {
            guard let year = Int(text.substring(with: m.range(at: 1))) else { continue }
            let system = era(after: m.range(at: 1), in: text) ?? (year < 1600 ? .hijri : .gregorian)
            guard system == .hijri ? (1300...1600).contains(year) : (1800...2200).contains(year) else { continue }
            add(m.range(at: 1), year: year, month: nil, day: nil, system: system, confidence: 0.75)
        }
        return found.sorted { $0.0.location < $1.0.location }.map(\.1)
    }

    /// The main date: the first whose line is labelled التاريخ, else the first after any تاريخ
    /// label (تاريخ القيد، بتاريخ), else the first date.
    static func chooseMainDate(_ fields: inout TransactionFields) {
        guard !fields.dates.isEmpty else { return }
        let index = fields.dates.firstIndex { $0.label == "التاريخ" } ?? fields.dates.firstIndex { $0.label != nil } ?? 0
        fields.dates[index].main = true
    }

    // MARK: Parties

    static let partyLabels: [(String, String)] = [
        ("اسم مقدم الطلب", "applicant"), ("مقدم الطلب", "applicant"), ("مقدمه الطلب", "applicant"), ("اسم المستدعي", "applicant"),
        ("المستدعي", "applicant"), ("المستدعيه", "applicant"), ("اسم الطالب", "applicant"), ("الطالب", "applicant"),
        ("الطالبه", "applicant"), ("البائع", "seller"), ("البائعه", "seller"), ("الفريق الاول", "seller"), ("المشتري", "buyer"),
        ("المشتريه", "buyer"), ("الفريق الثاني", "buyer"), ("اسم المالك", "owner"), ("المالك", "owner"), ("المالكه", "owner"),
        ("الوكيل", "agent"), ("الوكيله", "agent"), ("الموكل", "principal"), ("الورثه", "heir"), ("الوارث", "heir"),
        ("الوريث", "heir"), ("المدعي عليه", "defendant"), ("المدعي", "plaintiff"), ("المستاجر", "tenant"), ("المؤجر", "landlord"),
        ("المكلف", "payer"), ("اسم المكلف", "payer"), ("المستفيد", "beneficiary"), ("المستفيده", "beneficiary"),
        ("اسم المستفيد", "beneficiary"), ("اسم المستفيده", "beneficiary"), ("الشاهد", "witness"), ("الشاهد الاول", "witness"),
        ("الشاهد الثاني", "witness"), ("الواهب", "donor"), ("الموهوب له", "donee"), ("المتوفي", "deceased"), ("اسم المتوفي", "deceased"),
    ].map { (FieldText.fold($0.0), $0.1) }
    static let partyPattern: NSRegularExpression = {
        let labels = partyLabels.map(\.0).sorted { $0.count > $1.count }.map { $0.replacingOccurrences(of: " ", with: "\\s+") }.joined(separator: "|")
        // Any "اسم <role>:" (اسم المعلمة: …) names a party too, with a colon.
        // (A slash after the label is a colon too: المستدعي/ أحمد …, as forms print it.)
        return regex("\(notLetterBefore)(\(labels)|اسم\\s+[\(letter)]+(?=\\s*:))\(notLetterAfter)\\s*(:|\\-|–|/)?\\s*")
    }()
    /// Words that end a name: what follows it on a line.
    static let nameStops: Set<String> = Set([
        "رقم", "المولود", "مواليد", "تولد", "المولوده", "بموجب", "الساكن", "المقيم", "الساكنه", "المقيمه", "بصفته", "بصفتها",
        "الجنسيه", "هويه", "عن", "في", "من", "الي", "علي", "تاريخ", "بتاريخ", "التاريخ", "والدته", "والده", "امه", "وذلك",
        "المبلغ", "بمبلغ", "العنوان", "عنوانه", "هاتف", "الهاتف", "ص", "قيد", "محل", "مكان", "سنه", "عام", "وهو", "وهي",
    ].map(FieldText.fold))

    /// What "اسم <word>:" names when it is not a person party to the transaction.
    static let notPartyNames: Set<String> = Set([
        "الاب", "الام", "الجد", "العائله", "الشهره", "الشارع", "الحي", "المنطقه", "المدينه", "القريه", "البلد", "المشروع",
        "الشركه", "المؤسسه", "المحل", "البنك", "المصرف", "الدائره", "الجهه", "المدرسه", "الزوج", "الزوجه", "الموظف", "المحرر",
    ].map(FieldText.fold))

    /// Words of prose that end a name (or show there was none: المستدعي المذكور أعلاه).
    static let proseWords: Set<String> = Set([
        "المذكور", "المذكوره", "المشار", "اليه", "اليها", "اعلاه", "المبين", "المبينه", "نفسه", "نفسها", "المعني", "المعنيه",
        "المرفق", "بالطلب", "الطلب", "هو", "هي", "قد", "لم", "لا", "كان", "يرغب", "يطلب", "بان", "ان", "بانه", "بانها",
        "انه", "انها", "قرر", "وقرر", "الذي", "التي", "حيث", "وكل", "يقر", "اقر", "المحترم", "المحترمه",
        // verbs and descriptions that follow a name in a sentence (… قد سدد، … المقيم في …)
        "سدد", "دفع", "استلم", "تسلم", "قبض", "باع", "اشترى", "تنازل", "يملك", "يسكن", "المقيم", "المقيمه", "الساكن",
        "الساكنه", "المولود", "المولوده", "مواليد", "تولد", "حامل", "الحامل", "الجنسيه", "والمقيم", "والساكن",
    ].map(FieldText.fold))

    /// Words that do not count toward a name's length: the links of a lineage (بن، ابن، بنت) and
    /// the first word of a compound name (عبد الله، أبو بكر).
    static let nameLinks: Set<String> = Set(["بن", "ابن", "بنت", "عبد", "ابو", "ابي", "ام"].map(FieldText.fold))

    static func parties(_ line: FieldText, page: Int, line number: Int) -> [TransactionFields.Field] {
        let text = line.folded as NSString
        let all = NSRange(location: 0, length: text.length)
        let matches = partyPattern.matches(in: line.folded, range: all)
        guard !matches.isEmpty else {
            // No label as printed: a line may open with one that OCR misread (``misreadLabel(_:)``).
            guard let near = misreadLabel(line) else { return [] }
            return parties(
                line, label: near.range, canonical: near.label, after: near.after, colon: near.colon, page: page, line: number,
                confidence: near.colon ? 0.6 : 0.5)
        }
        return matches.flatMap { m -> [TransactionFields.Field] in
            let colon = m.range(at: 2).location != NSNotFound
            // With a colon, or opening the line (البائع أحمد …) or after a verb of appearing
            // (حضر المستدعي …): surer than a label met in prose (العائدة إلى مقدم الطلب …).
            let before = text.substring(to: m.range.location).split(whereSeparator: \.isWhitespace).last.map(String.init)
            let opens = before == nil || ["حضر", "تقدم", "قدم", "حضرت", "تقدمت", "وحضر", "ويقر", "يقر", "اقر"].contains(before!)
            let label = text.substring(with: m.range(at: 1)).replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
            // اسم الأب / اسم الشركة / اسم الحي …: not a party to the transaction.
            if label.hasPrefix("اسم "), notPartyNames.contains(String(label.dropFirst(4))) { return [] }
            return parties(
                line, label: m.range(at: 1), canonical: label, after: m.range.upperBound, colon: colon, page: page, line: number,
                confidence: colon ? 0.85 : opens ? 0.7 : 0.6)
        }
    }

    /// The names after a label (folded `canonical`, at `label` in the line) from `after` on:
    /// Arabic words up to punctuation, a digit, a stop word or another label; a list (الورثة:
    /// أ، ب و ج) gives one party per name.
    private static func parties(
        _ line: FieldText, label: NSRange, canonical: String, after: Int, colon: Bool, page: Int, line number: Int,
        confidence: Double
    ) -> [TransactionFields.Field] {
        let text = line.folded as NSString
        var names: [NSRange] = []
        var at = after
        while let name = self.name(line, from: at) {
            names.append(name)
            guard let comma = listSeparator.firstMatch(in: line.folded, options: .anchored, range: NSRange(location: name.upperBound, length: text.length - name.upperBound)) else { break }
            at = comma.range.upperBound
        }
        return names.map { range in
            TransactionFields.Field(
                kind: .party, text: line.printed(range), value: rejoined(line.printed(range)), page: page, line: number,
                confidence: confidence, role: partyLabels.first { $0.0 == canonical }?.1 ?? "party", label: line.printed(label))
        }
    }

    /// A line's first word that is a one-word party label as OCR misread it: a letter's dots
    /// lost or moved (المتوفى read "المنوفى": the same letters without their dots), or one
    /// letter lost (الوكيل: read "الوكل:", المتوفى read "المتوى"), which for a six-letter label
    /// counts only before a colon. Only at the line's start, where a form prints its labels, and
    /// never for a word of its own (the Arabic words of those shapes in hunspell-ar's word list
    /// that a line may start with: التابع, الطلب, المال, الملك, البيع …), prose or a name stop.
    /// A letter read as another of a different shape (الوكيل read "الوحيل") is not taken: the
    /// word list holds hundreds of words one such change from a label (المملكة from المالكة).
    static func misreadLabel(_ line: FieldText) -> (range: NSRange, label: String, after: Int, colon: Bool)? {
        let text = line.folded as NSString
        guard let first = firstLabelWord.firstMatch(in: line.folded, range: NSRange(location: 0, length: text.length)) else { return nil }
        let word = text.substring(with: first.range(at: 1))
        let colon = first.range(at: 2).location != NSNotFound
        guard word.count >= 5, !wordsNearLabels.contains(word), !nameStops.contains(word), !proseWords.contains(word),
            !partyLabels.contains(where: { $0.0 == word })
        else { return nil }
        let label = oneWordLabels.first { label in
            (label.count >= 6 && dotless(label) == dotless(word)) || ((label.count >= 7 || colon) && oneLetterLost(from: label, in: word))
        }
        return label.map { (first.range(at: 1), $0, first.range.upperBound, colon) }
    }

    /// The first word of a line, and the colon (or dash or slash) after it.
    static let firstLabelWord = regex("^\\s*([\(letter)]+)\(notLetterAfter)\\s*(:|\\-|–|/)?\\s*")
    static let oneWordLabels = partyLabels.map(\.0).filter { !$0.contains(" ") && $0.count >= 6 }
    /// Words of their own one lost letter or the dots away from a party label (found by
    /// checking hunspell-ar's word list with ال), that a line may start with.
    static let wordsNearLabels: Set<String> = Set([
        "التابع", "التابعة", "الطلب", "الطلبة", "المال", "المالة", "الملك", "الملكة", "البيع", "البيعة", "الباعة", "الملف",
        "المدى", "المعي", "الشهد", "الشاه", "الإرث", "الأجر", "المجر", "المار", "الورث", "المول", "المتاجر", "المساجر",
        "الويل", "الكيل", "الوار", "الوهب", "الموفي", "التوفي", "الكلف", "الوارد", "الواهي",
    ].map(FieldText.fold))

    /// Whether `word` is `label` with one letter left out.
    static func oneLetterLost(from label: String, in word: String) -> Bool {
        let l = Array(label), w = Array(word)
        guard l.count == w.count + 1 else { return false }
        var i = 0
        while i < w.count, l[i] == w[i] { i += 1 }
        return l[(i + 1)...] == w[i...]
    }

    /// A name with the words OCR split after a letter that does not join the next one put back
    /// together (الروسان read as "الرو سان", جاسم as "جا سم", الفاسي as "الفا سي"): a piece that is
    /// two letters, or ال and two letters, ending in ا د ذ ر ز و, is joined to the next word
    /// unless that one starts with ال (عز الدين). No name word has such a shape.
    static func rejoined(_ name: String) -> String {
        var words = name.split(separator: " ").map(String.init)
        var i = 0
        while i + 1 < words.count {
            let folded = FieldText.fold(words[i])
            let core = folded.hasPrefix("ال") ? String(folded.dropFirst(2)) : folded
            let nonJoining = folded.last.map { "ادذرزو".contains($0) } ?? false
            if nonJoining, core.count == 2, !FieldText.fold(words[i + 1]).hasPrefix("ال") {
                words[i] += words.remove(at: i + 1)
            } else {
                i += 1
            }
        }
        return words.joined(separator: " ")
    }

    static let word = regex("\\s*([\(letter)]+)")
    /// Titles written before a name.
    static let honorifics: Set<String> = Set([
        "السيد", "السيده", "الساده", "الحاج", "الحاجه", "المواطن", "المواطنه", "الاستاذ", "الاستاذه", "الدكتور", "الدكتوره",
        "المهندس", "المهندسه", "الشيخ", "الشيخه", "المرحوم", "المرحومه", "السيدات",
    ].map(FieldText.fold))
    /// What may follow a title: السيد/ة، السيد/ …
    static let titleMark = regex("\\s*/\\s*(?:ه(?![\(letter)]))?")
    static let listSeparator = regex("\\s*(?:[،,ء]\\s*|و\\s+|و(?=[\(letter)]))")

    /// The name that starts at `at` (two to six words, lineage links and the first word of a
    /// compound name not counted: عبد الرحمن بن عبد الله راشد الكعبي is four), or nil.
    static func name(_ line: FieldText, from start: Int) -> NSRange? {
        let text = line.folded as NSString
        var words: [NSRange] = []
        var units = 0
        var at = start
        var stoppedByProse = false
        // A title before the name is not part of it (مقدم الطلب: السيد محمود الحلبي; السيد/ …).
        while let w = word.firstMatch(in: line.folded, options: .anchored, range: NSRange(location: at, length: text.length - at)),
            honorifics.contains(text.substring(with: w.range(at: 1)))
        {
            at = w.range.upperBound
            if let mark = titleMark.firstMatch(in: line.folded, options: .anchored, range: NSRange(location: at, length: text.length - at)) {
                at = mark.range.upperBound
            }
        }
        while units < 6, let w = word.firstMatch(in: line.folded, options: .anchored, range: NSRange(location: at, length: text.length - at)) {
            var wordRange = w.range(at: 1)
            // A comma OCR read as a hamza joined to the word ("بلقاسم، كريم" read as "بلقاسمء
            // كريم"): no name ends in ء but after ا (علاء، وفاء), so such a ء ends the name
            // and ``listSeparator`` takes it as the comma it was.
            let comma = wordRange.length > 2 && text.substring(with: NSRange(location: wordRange.upperBound - 1, length: 1)) == "ء"
                && text.substring(with: NSRange(location: wordRange.upperBound - 2, length: 1)) != "ا"
            if comma { wordRange.length -= 1 }
            let found = text.substring(with: wordRange)
            // على and إلى fold to names (علي); the printed ى tells them apart.
            // (OCR often ends a name with ى: after بن / ابن / بنت it is the name علي.)
            let afterBin = words.last.map { ["بن", "ابن", "بنت"].contains(text.substring(with: $0)) } ?? false
            let preposition = (found == "علي" || found == "الي") && !afterBin && line.printed(w.range(at: 1)).hasSuffix("ى")
            let stop = nameStops.contains(found) && found != "علي" && found != "الي"
            let label = partyLabels.contains { $0.0.split(separator: " ").first.map(String.init) == found && found.count > 3 }
            if preposition || stop || proseWords.contains(found) || label {
                stoppedByProse = proseWords.contains(found)
                break
            }
            words.append(wordRange)
            if !nameLinks.contains(found) { units += 1 }
            at = w.range.upperBound
            if comma { break }
        }
        // A word of one or two letters just before the prose is a particle OCR misread (قد
        // read as "قل" before سدد), not the end of a name.
        if stoppedByProse, words.count > 2, let last = words.last, last.length <= 2 { words.removeLast() }
        // A one-word "name" is more often a word of prose than a person.
        guard words.count >= 2, let first = words.first, let last = words.last else { return nil }
        return NSRange(location: first.location, length: last.upperBound - first.location)
    }

    // MARK: Amounts

    /// Currency words as printed; ``currencies`` folded.
    static let currencyNames = [
        "ل.س", "ل.ل", "ليرة", "ليرات", "دينار", "دنانير", "ريال", "ريالات", "درهم", "دراهم", "جنيه", "جنيهات", "دولار", "دولارات",
        "يورو", "فرنك", "قرش", "فلس", "أوقية",
    ]
    static let currencies = currencyNames.map(FieldText.fold)

    /// The currency word as printed, or, when OCR moved its dots (لبرة), the currency it is.
    static func currency(printed: String, folded: String) -> String {
        if currencies.contains(folded) { return printed }
        return currencies.firstIndex { dotless($0) == dotless(folded) }.map { currencyNames[$0] } ?? printed
    }
    static let amountPattern: NSRegularExpression = {
        // (Names of four letters or more with any dots: OCR read ليرة as "لبرة" on three pages of
        // the field sets.)
        let names = currencies.sorted { $0.count > $1.count }.map(anyDotsPattern).joined(separator: "|")
        // The number may stand in brackets (مبلغ وقدره (5000) ل.س) and be grouped with commas or,
        // in two or more groups, full stops (1.500.000: one full stop is a decimal point, as in
        // 1.250 دينار); the currency and its country may carry the accusative's alif
        // (750 ديناراً عراقياً).
        return regex("(?<![\\d.,/\\-])\\(?(\\d{1,3}(?:,\\d{3})+|\\d{1,3}(?:\\.\\d{3}){2,}|\\d+)(?:\\.(\\d{1,3}))?(?![\\d/\\-])\\)?\\s*(\(names))ا?(?:\\s+([\(letter)]+ي(?:ه|ا)?))?\(notLetterAfter)")
    }()
    /// Words that may follow a currency as its country.
    static let currencyCountries: Set<String> = Set([
        "سوريه", "سوري", "لبنانيه", "لبناني", "اردني", "اردنيه", "عراقي", "كويتي", "بحريني", "سعودي", "قطري", "عماني", "يمني",
        "اماراتي", "مغربي", "جزائري", "تونسي", "ليبي", "مصري", "سوداني", "امريكي", "اميركي", "تركيه", "تركي",
    ].map(FieldText.fold))

    /// A country adjective without the accusative's alif (عراقيا → عراقي).
    static func withoutAccusative(_ word: String) -> String {
        word.hasSuffix("يا") ? String(word.dropLast()) : word
    }

    static func amounts(_ line: FieldText, page: Int, line number: Int) -> [TransactionFields.Field] {
        let text = line.folded as NSString
        return amountPattern.matches(in: line.folded, range: NSRange(location: 0, length: text.length)).map { m in
            var range = m.range
            if m.range(at: 4).location != NSNotFound, !currencyCountries.contains(Self.withoutAccusative(text.substring(with: m.range(at: 4)))) {
                // (the currency's own accusative alif stays in the printed text)
                let end = m.range(at: 3).upperBound < text.length && text.substring(with: NSRange(location: m.range(at: 3).upperBound, length: 1)) == "ا"
                    ? m.range(at: 3).upperBound + 1 : m.range(at: 3).upperBound
                range = NSRange(location: m.range.location, length: end - m.range.location)
            }
            // (an opening bracket without its closing one is the sentence's: (5000 ل.س))
            if text.substring(with: range).hasPrefix("("), !text.substring(with: range).contains(")") {
                range = NSRange(location: range.location + 1, length: range.length - 1)
            }
            let printedNumber = text.substring(with: m.range(at: 1))
            var value = printedNumber.replacingOccurrences(of: printedNumber.contains(",") ? "," : ".", with: "")
            while value.count > 1, value.hasPrefix("0") { value.removeFirst() }
            if m.range(at: 2).location != NSNotFound { value += "." + text.substring(with: m.range(at: 2)) }
            return TransactionFields.Field(
                kind: .amount, text: line.printed(range), value: value, page: page, line: number, confidence: 0.9,
                currency: Self.currency(printed: line.printed(m.range(at: 3)), folded: text.substring(with: m.range(at: 3))))
        }
    }
}

extension FieldExtractor {
    /// Gives each field the box (`x0 y0 x1 y1`, page pixels) of the hOCR words it was read
    /// from: the first run of words on its page whose folded text holds the field's; its
    /// confidence becomes the rule's times the words' mean OCR confidence (a number Tesseract
    /// was unsure of is a field to check).
    /// `hocr` is each page's hOCR by page number; a page without one leaves its fields unboxed.
    public static func locate(_ fields: inout TransactionFields, hocr: [Int: String]) {
        var words: [Int: [(text: String, box: [Int], confidence: Double?)]] = [:]
        func place(_ field: inout TransactionFields.Field) {
            if words[field.page] == nil { words[field.page] = hocr[field.page].map(HOCRWords.parse) ?? [] }
            let list = words[field.page]!
            let target = FieldText.fold(field.text).filter { !$0.isWhitespace }
            guard !target.isEmpty else { return }
            for start in list.indices {
                var joined = ""
                var end = start
                while end < list.count, joined.count < target.count + 2 {
                    joined += list[end].text
                    if joined.contains(target) {
                        // The fewest words: drop leading ones (a label read with the value).
                        var first = start
                        while first < end, list[(first + 1)...end].map(\.text).joined().contains(target) { first += 1 }
                        let boxes = list[first...end].map(\.box)
                        field.box = [boxes.map { $0[0] }.min()!, boxes.map { $0[1] }.min()!, boxes.map { $0[2] }.max()!, boxes.map { $0[3] }.max()!]
                        let read = list[first...end].compactMap(\.confidence)
                        if !read.isEmpty {
                            let mean = min(100, max(0, read.reduce(0, +) / Double(read.count))) / 100
                            field.confidence = (field.confidence * mean * 100).rounded() / 100
                        }
                        return
                    }
                    end += 1
                }
            }
        }
        for i in fields.references.indices { place(&fields.references[i]) }
        for i in fields.dates.indices { place(&fields.dates[i]) }
        for i in fields.parties.indices { place(&fields.parties[i]) }
        for i in fields.amounts.indices { place(&fields.amounts[i]) }
    }
}

/// The words of an hOCR page with their boxes, folded for matching.
enum HOCRWords {
    static let pattern = try! NSRegularExpression(
        pattern: "<span[^>]*class=['\"]ocrx_word['\"][^>]*title=['\"]bbox (\\d+) (\\d+) (\\d+) (\\d+)[^'\"]*['\"][^>]*>(.*?)</span>",
        options: [.dotMatchesLineSeparators])

    static let confidence = try! NSRegularExpression(pattern: "x_wconf (\\d+(?:\\.\\d+)?)")

    static func parse(_ hocr: String) -> [(text: String, box: [Int], confidence: Double?)] {
        let text = hocr as NSString
        return pattern.matches(in: hocr, range: NSRange(location: 0, length: text.length)).compactMap { m in
            let box = (1...4).compactMap { Int(text.substring(with: m.range(at: $0))) }
            guard box.count == 4 else { return nil }
            var word = text.substring(with: m.range(at: 5)).replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
                word = word.replacingOccurrences(of: entity, with: character)
            }
            let tag = text.substring(with: NSRange(location: m.range.location, length: m.range(at: 5).location - m.range.location))
            let conf = confidence.firstMatch(in: tag, range: NSRange(location: 0, length: (tag as NSString).length))
                .flatMap { Double((tag as NSString).substring(with: $0.range(at: 1))) }
            return (FieldText.fold(word).filter { !$0.isWhitespace }, box, conf)
        }
    }
}
