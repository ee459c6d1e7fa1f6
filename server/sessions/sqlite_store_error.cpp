#include "sqlite_store_error.h"

namespace hoist {

StoreError sqliteStoreError(SqliteDatabase& db, const std::string& what) {
    const int code = sqlite3_errcode(db.handle()) & 0xff;
    const bool transient = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    return StoreError{transient ? StoreError::Kind::Unavailable : StoreError::Kind::Fatal,
                      what + ": " + db.lastError()};
}

} // namespace hoist
