/// One layout for every auditor and administrator page (`staff.mustache`): an introduction, a
/// message, a secret shown once (a new token, an access code with its printable slip), then
/// sections, each with forms and a table whose cells may hold a link or a one-button form.
/// Keys are distinct across levels: Mustache looks a missing key up in the enclosing contexts.
struct StaffPage {
    var chrome: PageChrome
    var intro: String?
    var notice: String?
    var problem: String?
    var secret: Secret?
    var sections: [Section] = []

    struct Secret {
        var secretTitle: String
        var secretValue: String
        var secretHelp: String
        var slip: Slip?
    }

    struct Slip {
        var slipArchive: String
        var slipRecord: String
        var slipExpires: String
        var slipURL: String
    }

    struct Section {
        var sectionID: String
        var sectionTitle: String
        var sectionNote: String?
        /// Set after the section is made (a stored flag: Mustache reads stored properties only).
        var links: [Link] = [] { didSet { hasLinks = !links.isEmpty } }
        var hasLinks = false
        var forms: [Form] = []
        var table: Table?
    }

    struct Link {
        var linkText: String
        var linkHref: String
    }

    struct Form {
        var formMethod = "post"
        var formAction: String
        var formCSRF: String?
        var formSubmit: String
        var hidden: [Hidden] = []
        var fields: [Field] = []
    }

    struct Hidden {
        var hiddenName: String
        var hiddenValue: String
    }

    struct Field {
        var fieldID: String
        var fieldLabel: String
        var fieldName: String
        var fieldType = "text"
        var fieldValue: String?
        var fieldRequired = false
        var fieldHelp: String?
        var fieldLTR = false
        var fieldOptions: Select?
    }

    struct Select {
        var choices: [Choice]
    }

    struct Choice {
        var optionValue: String
        var optionLabel: String
        var optionSelected = false
    }

    struct Table {
        var tableCaption: String
        var headers: [String]
        var rows: [Row]
        var tableEmpty: String?
    }

    struct Row {
        var cells: [Cell]
    }

    struct Cell {
        var cellText: String
        var cellHref: String?
        var cellLTR = false
        /// A count or a date: written in the office's digits.
        var cellNumeric = false
        var cellForm: Action?

        init(_ text: String?, href: String? = nil, ltr: Bool = false, numeric: Bool = false, action: Action? = nil) {
            cellText = text ?? "—"
            cellHref = href
            cellLTR = ltr
            cellNumeric = numeric
            cellForm = action
        }
    }

    /// A one-button form in a table cell (revoke, approve, release with a reason).
    struct Action {
        var actionURL: String
        var csrfValue: String
        var buttonText: String
        var extra: [Extra] = []
        var reasonLabel: String?
        var reasonID: String?
    }

    struct Extra {
        var extraName: String
        var extraValue: String
    }
}
