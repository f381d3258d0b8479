import Foundation
import SijillCore
import Testing

/// ``FieldExtractor`` on lines written the ways Arab archives print them.
@Suite struct FieldExtractorTests {
    func fields(_ text: String) -> TransactionFields { FieldExtractor.extract(pages: [(1, text)]) }

    @Test("references after their labels, both digit scripts and layouts; ID and telephone numbers are not references")
    func references() {
        let f = fields("""
            رقم المعاملة: 81559/1982
            الرقم: ١٢٣/ب/٢٠٠٥
            رقم القيد 2005-123
            رقم الملف: م/552
            رقم الهوية: 9054642
            هاتف: 011-2233445
            صندوق بريد 123
            """)
        #expect(f.references.map(\.value) == ["81559/1982", "123/ب/2005", "2005-123", "م/552"])
        #expect(f.references.map(\.text) == ["81559/1982", "١٢٣/ب/٢٠٠٥", "2005-123", "م/552"])
        #expect(f.references.map(\.role) == ["transaction", "number", "register", "file"])
        #expect(f.dates.isEmpty && f.amounts.isEmpty)
        // Digits misread as letters: two letter groups, or a group that starts a word, is no reference.
        let misread = fields("""
            رقم الوارد: ١٢٧/و/ا
            رقم الملف: ٢٠١٨ //./ا/ا
            رقم الملف ١/الم
            رقم الصادر: ك / ١٣
            """)
        #expect(misread.references.map(\.value) == ["ك/13"])
    }

    @Test("numeric and written dates in every month set, Hijri converted with Umm al-Qura, partial dates kept partial")
    func dates() {
        let f = fields("""
            التاريخ: 1976/05/10
            بتاريخ 14 آذار 1982
            حرر في ٢٠ رجب ١٤٠٢ هـ الموافق ١٤ أيار ١٩٨٢ م
            الجزائر في 5 جانفي 1990 و 3 أوت 1991
            القاهرة في 7 يناير 2001
            ١٤٠٢/٠٥/٢٠ هـ
            تشرين الأول 1965
            12.03.1999
            عام 1974
            """)
        let values = f.dates.map(\.value)
        #expect(values == ["1976-05-10", "1982-03-14", "1982-05-14", "1982-05-14", "1990-01-05", "1991-08-03", "2001-01-07", "1982-03-16", "1965-10", "1999-03-12"], "\(values)")
        #expect(f.dates.map(\.calendar) == ["gregorian", "gregorian", "hijri", "gregorian", "gregorian", "gregorian", "gregorian", "hijri", "gregorian", "gregorian"])
        #expect(f.mainDate?.value == "1976-05-10")
        #expect(f.dates[2].text == "٢٠ رجب ١٤٠٢ هـ")
        #expect(f.dates[8].dayFrom == "1965-10-01" && f.dates[8].dayTo == "1965-10-31")
    }

    @Test("parties after role labels; amounts with a currency word, grouping and decimals in both scripts")
    func partiesAndAmounts() {
        let f = fields("""
            اسم مقدم الطلب: زياد سامر الطرابلسي
            البائع: عبد الله محمود الحلبي المولود عام 1950
            المشتري: فاطمة الزهراء بن علي
            المبلغ المستحق: 10,000 ليرة سورية
            بمبلغ وقدره ١٢٥٠٫٥٠ دينار أردني
            رسوم الترخيص: 600 ريال
            المستدعي: سعيد حسن إلى دائرة النفوس
            رقم الهوية: 9054642
            """)
        #expect(f.parties.map(\.value) == ["زياد سامر الطرابلسي", "عبد الله محمود الحلبي", "فاطمة الزهراء بن علي", "سعيد حسن"])
        #expect(f.parties.map(\.role) == ["applicant", "seller", "buyer", "applicant"])
        #expect(f.amounts.map(\.value) == ["10000", "1250.50", "600"])
        #expect(f.amounts.map(\.currency) == ["ليرة", "دينار", "ريال"])
        #expect(f.amounts[1].text == "١٢٥٠٫٥٠ دينار أردني")
    }

    @Test("a name ends where the sentence goes on; lineage links and compound names do not count toward its length")
    func nameEnds() {
        let f = fields("""
            المستدعي صلاح حسن مرسي قل سدد الرسوم المستحقة
            المشتري: عبد الرحمن بن عبد الله بن راشد الكعبي
            البائع: سامر خليل عودة المقيم في عمان
            المستدعي أحمد قد سدد
            """)
        #expect(f.parties.map(\.value) == ["صلاح حسن مرسي", "عبد الرحمن بن عبد الله بن راشد الكعبي", "سامر خليل عودة"])
    }

    @Test("a name's words OCR split after a non-joining letter are joined; real name words are not")
    func splitNames() {
        let f = fields("""
            المستدعي: عبد الله وليد الرو سان
            البائع: جا سم محمد الفلاسي
            المشتري: سفيان رضا الفا سي
            مقدم الطلب: عز الدين خالد
            الوكيل: مراد علي داود
            المالك: ذو الفقار أبو بكر
            """)
        #expect(f.parties.map(\.value) == [
            "عبد الله وليد الروسان", "جاسم محمد الفلاسي", "سفيان رضا الفاسي", "عز الدين خالد", "مراد علي داود", "ذو الفقار أبو بكر",
        ])
        // The printed text is kept as read.
        #expect(f.parties.first?.text == "عبد الله وليد الرو سان")
    }

    @Test("a month name with a dot lost or added is still its month; short names are matched as spelt")
    func monthDots() {
        let f = fields("بتاريخ ٢٥ نشرين الثاني ٢٠١٢ م\nالتاريخ: 8 أكتوير 1979\nقال ان 1990 كان عاما")
        #expect(f.dates.map(\.value) == ["2012-11-25", "1979-10-08"])
    }

    @Test("رقم read with its ق as ف is still a number's label")
    func labelWithLostDot() {
        let f = fields("رفم الطلب: ٣٥٢١/ص\nبيع رفيق")
        #expect(f.references.map(\.value) == ["3521/ص"])
        #expect(f.references.first?.role == "application")
    }

    @Test("a label's noun may have an adjective before the number; a word after it is not a value")
    func labelWithAdjective() {
        let f = fields("""
            رقم السجل العقاري 7781 تاريخ 1999/12/30
            رقم القيد المدني: ١٢٣٤٥
            رقم الطلب المقدم من السيد أحمد
            رقم السجل العقاري
            """)
        #expect(f.references.map(\.value) == ["7781", "12345"])
        #expect(f.references.map(\.role) == ["register", "register"])
    }

    @Test("a month named in two sets is one written date; a slash after a party's label is a colon")
    func doubleMonthNamesAndSlashLabels() {
        let f = fields("""
            التاريخ: 8 آذار (مارس) 1982
            حرر في 3 شباط/فبراير 1990
            تاريخ الورود 1 كانون الثاني - يناير 2001
            المستدعي/ أحمد محمد الخطيب
            """)
        #expect(f.dates.map(\.value) == ["1982-03-08", "1990-02-03", "2001-01-01"])
        #expect(f.dates.first?.text == "8 آذار (مارس) 1982")
        #expect(f.parties.map(\.value) == ["أحمد محمد الخطيب"])
        #expect(f.parties.first?.role == "applicant")
    }

    @Test("amounts in brackets, grouped with full stops, or with the accusative's alif; العدد labels a number")
    func amountFormsAndOutgoingNumber() {
        let f = fields("""
            العدد: ١٢٣٤/ص
            مبلغ وقدره (5000) ل.س
            المبلغ: 1.500.000 ل.س
            دفع مبلغ 750 ديناراً عراقياً
            قيمة الرسوم 1.250 دينار أردني
            خمسة آلاف ليرة (4000 ل.س)
            العدد الإجمالي 45
            """)
        #expect(f.references.map(\.value) == ["1234/ص"])
        #expect(f.amounts.map(\.value) == ["5000", "1500000", "750", "1.250", "4000"])
        #expect(f.amounts.map(\.text) == ["(5000) ل.س", "1.500.000 ل.س", "750 ديناراً عراقياً", "1.250 دينار أردني", "4000 ل.س"])
    }

    @Test("Levantine months without the article and Hijri months with their epithet are month names")
    func colloquialMonthNames() {
        let f = fields("""
            15 كانون ثاني 1999
            16 تشرين أول 2000
            9 رمضان المبارك 1411 هـ
            10 محرم الحرام 1412 هـ
            """)
        #expect(f.dates.map(\.value) == ["1999-01-15", "2000-10-16", "1991-03-26", "1991-07-22"])
        #expect(f.dates.map(\.calendar) == ["gregorian", "gregorian", "hijri", "hijri"])
    }

    @Test("a title before a name is not part of it; a family name that is a title stays")
    func titlesBeforeNames() {
        let f = fields("""
            مقدم الطلب: السيد محمود خليل الحلبي
            البائع: الحاج أحمد سعيد
            المستدعي: السيد/ة ليلى حسن
            المشتري: عبد العزيز مجدي سامح السيد
            """)
        #expect(f.parties.map(\.value) == ["محمود خليل الحلبي", "أحمد سعيد", "ليلى حسن", "عبد العزيز مجدي سامح السيد"])
    }

    @Test("deeds, documents, licences and minutes are references by their labels")
    func moreReferenceLabels() {
        let f = fields("""
            رقم الصك: ٤٣٢١٠
            رقم الوثيقة: 123/2001
            رقم المحضر 77/ج/1999
            رقم الهاتف: 2233445
            """)
        #expect(f.references.map(\.value) == ["43210", "123/2001", "77/ج/1999"])
        #expect(f.references.map(\.role) == ["deed", "document", "minutes"])
    }

    @Test("a comma read as a hamza ends a name and separates a list; علاء keeps its hamza")
    func commaAsHamza() {
        let f = fields("""
            البائع: محمد العجمىء رقم الهوية: ٨٩٠٣٠٨٢
            الورثة: فتيحة منير بلقاسمء كريم منير بلقاسم
            المشتري: علاء حسن الدوري
            """)
        #expect(f.parties.map(\.value) == ["محمد العجمى", "فتيحة منير بلقاسم", "كريم منير بلقاسم", "علاء حسن الدوري"])
    }

    @Test("a label OCR misread at a line's start (dots moved, a letter lost) still names a party; words of those shapes do not")
    func misreadLabels() {
        // As OCR read held-out and fixture pages.
        let f = fields("""
            الوكل: عماد زياد الشبابي
            المتوى منير الطيب عمر بلقاسم
            المنوفى نبيل منير المرزوقي
            """)
        #expect(f.parties.map(\.value) == ["عماد زياد الشبابي", "منير الطيب عمر بلقاسم", "نبيل منير المرزوقي"])
        #expect(f.parties.map(\.role) == ["agent", "deceased", "deceased"])
        #expect(f.parties.allSatisfy { $0.confidence < 0.7 })
        // Headings and field lines that start with a real word one letter or the dots away from a
        // label; a six-letter label with a letter lost and no colon; a letter of another shape.
        let none = fields("""
            المملكة العربية السعودية
            التابع لمديرية المالية العامة
            الطلب: تجديد رخصة محمد أحمد
            الملك: أرض زراعية واسعة
            الوكل عماد زياد الشبابي
            الوحيل: حميد بوشناق
            """)
        #expect(none.parties.isEmpty, "\(none.parties.map(\.value))")
    }

    @Test("a currency word of four letters or more OCR read with its dots moved is still that currency, named as printed correctly")
    func currencyWithDotsMoved() {
        let f = fields("""
            المبلغ المستحق: ٣٠٬٧٠٠ لبرة سورية
            الثمن: ٢٩٨٠ ربال سعودي
            رسوم: ٥٠ ل.س
            """)
        #expect(f.amounts.map(\.value) == ["30700", "2980", "50"])
        #expect(f.amounts.map(\.currency) == ["ليرة", "ريال", "ل.س"])
        // A short name is matched as spelt: ل.ش is not ل.س.
        #expect(fields("المبلغ: ٥٠ ل.ش").amounts.isEmpty)
    }

    @Test("Umm al-Qura conversion agrees with published dates")
    func ummAlQura() {
        // 1 Ramadan 1445 = 11 March 2024; 1 Muharram 1400 = 21 November 1979.
        #expect(ArabicCalendar.gregorian(hijriYear: 1445, month: 9, day: 1).map { [$0.year, $0.month, $0.day] } == [2024, 3, 11])
        #expect(ArabicCalendar.gregorian(hijriYear: 1400, month: 1, day: 1).map { [$0.year, $0.month, $0.day] } == [1979, 11, 21])
        #expect(ArabicCalendar.gregorian(hijriYear: 1445, month: 9, day: 31) == nil)
    }
}
