#pragma once

#include "sqlite_database.h"
#include "store_error.h"

#include <string>

namespace hoist {

// The StoreError for the connection's last failure: a busy or locked database is
// transient (Unavailable), a broken constraint (a duplicate id) a Conflict, everything
// else Fatal. Caller holds db.lock().
StoreError sqliteStoreError(SqliteDatabase& db, const std::string& what);

} // namespace hoist
