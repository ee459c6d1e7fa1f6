#include "shared_keys.h"

namespace hoist {

StoreResult<std::string> SharedKeys::get(PostgresDatabase& db, const std::string& name,
                                         const std::string& candidate) {
    auto stored = db.exec("INSERT INTO shared_keys (name, secret) VALUES ($1, $2) "
                          "ON CONFLICT (name) DO NOTHING",
                          {PostgresParam::text(name), PostgresParam::bytes(candidate)});
    if (!stored)
        return tl::unexpected(stored.error());
    auto read =
        db.exec("SELECT secret FROM shared_keys WHERE name = $1", {PostgresParam::text(name)});
    if (!read)
        return tl::unexpected(read.error());
    if (read->rows() != 1)
        return tl::unexpected(
            StoreError{StoreError::Kind::Fatal, "shared key " + name + " vanished"});
    return read->blob(0, 0);
}

} // namespace hoist
