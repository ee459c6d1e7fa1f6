#include "schema_migrator.h"

#include "postgres_database.h"
#include "sqlite_database.h"

#include <iterator>

namespace hoist {

namespace {

// One step of the schema, for each engine. Steps are only ever appended: a released
// step is never edited, because databases out there already carry it.
struct Migration {
    int version;
    const char* sqlite;
    const char* postgres;
};

// Ids are compared byte by byte on every engine (COLLATE "C" on PostgreSQL, whatever
// the database's locale), so pages by (expiresAt, id) follow the same order everywhere.
// Version 1 on SQLite is the schema hoistd created before migrations existed, with
// IF NOT EXISTS, so such a database adopts version 1 as it is.
constexpr Migration kMigrations[] = {
    {1,
     R"(
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  claimed_fingerprint TEXT NOT NULL,
  size INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  uploaded_bytes INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  staging_key TEXT NOT NULL,
  upload_id TEXT NOT NULL,
  hash_state BLOB NOT NULL,
  head BLOB NOT NULL,
  fingerprint TEXT NOT NULL,
  detected_mime_type TEXT NOT NULL,
  file_id TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  finalize_attempts INTEGER NOT NULL,
  next_finalize_at INTEGER NOT NULL
);
DROP INDEX IF EXISTS sessions_expiry;
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions(expires_at, id);
CREATE INDEX IF NOT EXISTS sessions_by_state_due ON sessions(state, next_finalize_at);
CREATE INDEX IF NOT EXISTS sessions_by_user_state ON sessions(user_id, state, size);
CREATE INDEX IF NOT EXISTS sessions_by_staging ON sessions(staging_key, upload_id);
CREATE TABLE IF NOT EXISTS chunk_receipts (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  etag TEXT NOT NULL,
  PRIMARY KEY (session_id, chunk_index)
);
CREATE TABLE IF NOT EXISTS files (
  file_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  detected_mime_type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  session_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_user ON files(user_id, created_at);
CREATE INDEX IF NOT EXISTS files_by_fingerprint ON files(user_id, fingerprint, size);
CREATE INDEX IF NOT EXISTS files_size_by_user ON files(user_id, size);
)",
     R"(
CREATE TABLE sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  claimed_fingerprint TEXT NOT NULL,
  size BIGINT NOT NULL,
  chunk_size BIGINT NOT NULL,
  uploaded_bytes BIGINT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  staging_key TEXT NOT NULL,
  upload_id TEXT NOT NULL,
  hash_state BYTEA NOT NULL,
  head BYTEA NOT NULL,
  fingerprint TEXT NOT NULL,
  detected_mime_type TEXT NOT NULL,
  file_id TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  finalize_attempts INTEGER NOT NULL,
  next_finalize_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at, id);
CREATE INDEX sessions_by_state_due ON sessions(state, next_finalize_at);
CREATE INDEX sessions_by_user_state ON sessions(user_id, state, size);
CREATE INDEX sessions_by_staging ON sessions(staging_key, upload_id);
CREATE TABLE chunk_receipts (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  chunk_index BIGINT NOT NULL,
  etag TEXT NOT NULL,
  PRIMARY KEY (session_id, chunk_index)
);
CREATE TABLE files (
  file_id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  size BIGINT NOT NULL,
  fingerprint TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  detected_mime_type TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  storage_key TEXT NOT NULL,
  session_id TEXT NOT NULL
);
CREATE INDEX files_by_user ON files(user_id, created_at);
CREATE INDEX files_by_fingerprint ON files(user_id, fingerprint, size);
CREATE INDEX files_size_by_user ON files(user_id, size);
CREATE TABLE session_leases (
  session_id TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE shared_keys (
  name TEXT PRIMARY KEY,
  secret BYTEA NOT NULL
);
)"},
    // A tus append's durable tail (docs/protocol.md, "tus 1.0.0 in hoistd"), and share
    // links (docs/protocol.md, "Share links").
    {2,
     R"(
ALTER TABLE sessions ADD COLUMN tail_key TEXT NOT NULL DEFAULT '';
CREATE TABLE share_links (
  link_id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX share_links_by_file ON share_links(user_id, file_id, expires_at);
CREATE INDEX share_links_by_expiry ON share_links(expires_at);
)",
     R"(
ALTER TABLE sessions ADD COLUMN tail_key TEXT NOT NULL DEFAULT '';
CREATE TABLE share_links (
  link_id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX share_links_by_file ON share_links(user_id, file_id, expires_at);
CREATE INDEX share_links_by_expiry ON share_links(expires_at);
)"},
    // Parallel chunks (docs/protocol.md, "Parallel chunks"): the window granted at init
    // and how far the in-order whole-file hash has got behind the prefix.
    {3,
     R"(
ALTER TABLE sessions ADD COLUMN parallel_chunks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN hashed_bytes INTEGER NOT NULL DEFAULT 0;
)",
     R"(
ALTER TABLE sessions ADD COLUMN parallel_chunks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN hashed_bytes BIGINT NOT NULL DEFAULT 0;
)"},
    // tus concatenation (docs/protocol.md, "tus 1.0.0 in hoistd"): partial uploads, and
    // the partials a final upload was made of.
    {4,
     R"(
ALTER TABLE sessions ADD COLUMN is_partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN concatenated_from TEXT NOT NULL DEFAULT '';
)",
     R"(
ALTER TABLE sessions ADD COLUMN is_partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN concatenated_from TEXT NOT NULL DEFAULT '';
)"},
    // tus creation-defer-length (docs/protocol.md, "tus 1.0.0 in hoistd"): an upload
    // whose length is not known yet. The user's open usage counts such a session's
    // received bytes instead of its bound, so the index that answers it names the flag.
    {5,
     R"(
ALTER TABLE sessions ADD COLUMN length_deferred INTEGER NOT NULL DEFAULT 0;
DROP INDEX sessions_by_user_state;
CREATE INDEX sessions_by_user_state ON sessions(user_id, state, length_deferred, size);
)",
     R"(
ALTER TABLE sessions ADD COLUMN length_deferred INTEGER NOT NULL DEFAULT 0;
DROP INDEX sessions_by_user_state;
CREATE INDEX sessions_by_user_state ON sessions(user_id, state, length_deferred, size);
)"},
};

// Any constant: the key of the advisory lock nodes take turns on while migrating.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(4838400001)";

SchemaError failed(const std::string& message) {
    return SchemaError{SchemaError::Kind::Failed, "cannot migrate the schema: " + message};
}

tl::expected<void, SchemaError> checkNotTooNew(int current) {
    if (current <= SchemaMigrator::latestVersion())
        return {};
    return tl::unexpected(SchemaError{
        SchemaError::Kind::TooNew, "the database schema is version " + std::to_string(current) +
                                       ", newer than this hoistd knows (" +
                                       std::to_string(SchemaMigrator::latestVersion()) +
                                       "): a newer hoistd has used it; run that version or newer"});
}

} // namespace

int SchemaMigrator::latestVersion() {
    return std::prev(std::end(kMigrations))->version;
}

tl::expected<void, SchemaError> SchemaMigrator::migrate(SqliteDatabase& db) {
    auto lock = db.lock();
    // BEGIN IMMEDIATE: two processes opening one file take turns.
    Transaction tx(db);
    if (!tx.begun())
        return tl::unexpected(failed(db.lastError()));
    int current = 0;
    {
        // Finished before the steps run: a statement still open locks the schema
        // against DROP (SQLITE_LOCKED).
        Statement version(db, "PRAGMA user_version");
        if (version.step() != SQLITE_ROW)
            return tl::unexpected(failed(db.lastError()));
        current = static_cast<int>(version.integer(0));
    }
    if (auto fresh = checkNotTooNew(current); !fresh)
        return fresh;
    if (current == latestVersion())
        return {};
    for (const Migration& step : kMigrations) {
        if (step.version <= current)
            continue;
        if (auto ok = db.exec(step.sqlite); !ok)
            return tl::unexpected(failed(ok.error()));
    }
    if (auto ok = db.exec("PRAGMA user_version = " + std::to_string(latestVersion())); !ok)
        return tl::unexpected(failed(ok.error()));
    if (auto ok = tx.commit(); !ok)
        return tl::unexpected(failed(ok.error()));
    return {};
}

tl::expected<void, SchemaError> SchemaMigrator::migrate(PostgresDatabase& db) {
    auto connection = db.acquire();
    if (!connection)
        return tl::unexpected(failed(connection.error().message));
    auto run = [&](const char* sql) -> tl::expected<PostgresResult, SchemaError> {
        auto result = connection->exec(sql);
        if (!result)
            return tl::unexpected(failed(result.error().message));
        return std::move(*result);
    };
    if (auto begun = connection->begin(); !begun)
        return tl::unexpected(failed(begun.error().message));
    for (const char* setUp :
         {kMigrationLock, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"}) {
        if (auto ok = run(setUp); !ok)
            return tl::unexpected(ok.error());
    }
    auto version = run("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!version)
        return tl::unexpected(version.error());
    const int current = static_cast<int>(version->integer(0, 0));
    if (auto fresh = checkNotTooNew(current); !fresh)
        return fresh;
    for (const Migration& step : kMigrations) {
        if (step.version <= current)
            continue;
        if (auto ok = connection->script(step.postgres); !ok)
            return tl::unexpected(failed(ok.error().message));
    }
    const std::string record = "DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                               std::to_string(latestVersion()) + ")";
    if (current < latestVersion()) {
        if (auto ok = connection->script(record.c_str()); !ok)
            return tl::unexpected(failed(ok.error().message));
    }
    if (auto ok = connection->commit(); !ok)
        return tl::unexpected(failed(ok.error().message));
    return {};
}

} // namespace hoist
