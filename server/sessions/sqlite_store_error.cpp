#include "sqlite_store_error.h"

namespace hoist {

StoreError sqliteStoreError(SqliteDatabase& db, const std::string& what) {
    auto kind = StoreError::Kind::Fatal;
    switch (sqlite3_errcode(db.handle()) & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        kind = StoreError::Kind::Unavailable;
        break;
    case SQLITE_CONSTRAINT:
        kind = StoreError::Kind::Conflict;
        break;
    default:
        break;
    }
    return StoreError{kind, what + ": " + db.lastError()};
}

} // namespace hoist
