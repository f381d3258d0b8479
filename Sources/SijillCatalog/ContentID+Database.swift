import GRDB
import SijillCore

extension ContentID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { hex.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ContentID? {
        String.fromDatabaseValue(dbValue).flatMap(ContentID.init(hex:))
    }
}
