#include "sqlite_session_store.h"

namespace hoist {

namespace {
constexpr const char* kSchema = R"(
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
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
CREATE INDEX IF NOT EXISTS sessions_state_due ON sessions(state, next_finalize_at);
CREATE TABLE IF NOT EXISTS chunk_receipts (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  etag TEXT NOT NULL,
  PRIMARY KEY (session_id, chunk_index)
);
)";

constexpr const char* kColumns =
    "id, user_id, file_name, mime_type, claimed_fingerprint, size, chunk_size, uploaded_bytes, "
    "state, created_at, expires_at, staging_key, upload_id, hash_state, head, fingerprint, "
    "detected_mime_type, file_id, failure_reason, finalize_attempts, next_finalize_at";

Session readSession(const Statement& row) {
    Session s;
    s.id = row.text(0);
    s.userId = row.text(1);
    s.fileName = row.text(2);
    s.mimeType = row.text(3);
    s.claimedFingerprint = row.text(4);
    s.size = row.integer(5);
    s.chunkSize = row.integer(6);
    s.uploadedBytes = row.integer(7);
    s.state = sessionStateFromString(row.text(8)).value_or(SessionState::Failed);
    s.createdAt = row.integer(9);
    s.expiresAt = row.integer(10);
    s.staging.key = row.text(11);
    s.staging.uploadId = row.text(12);
    s.hashState = row.blob(13);
    s.head = row.blob(14);
    s.fingerprint = row.text(15);
    s.detectedMimeType = row.text(16);
    s.fileId = row.text(17);
    s.failureReason = row.text(18);
    s.finalizeAttempts = static_cast<int>(row.integer(19));
    s.nextFinalizeAt = row.integer(20);
    return s;
}

StoreResult<void> fail(SqliteDatabase& db, const char* what) {
    return tl::unexpected(std::string(what) + ": " + db.lastError());
}
} // namespace

StoreResult<std::unique_ptr<SqliteSessionStore>> SqliteSessionStore::open(SqliteDatabase& db) {
    auto lock = db.lock();
    if (auto ok = db.exec(kSchema); !ok)
        return tl::unexpected("cannot create the session tables: " + ok.error());
    return std::unique_ptr<SqliteSessionStore>(new SqliteSessionStore(db));
}

StoreResult<void> SqliteSessionStore::create(const Session& s) {
    auto lock = m_db.lock();
    Statement st(m_db, "INSERT INTO sessions (id, user_id, file_name, mime_type, "
                       "claimed_fingerprint, size, chunk_size, uploaded_bytes, state, created_at, "
                       "expires_at, staging_key, upload_id, hash_state, head, fingerprint, "
                       "detected_mime_type, file_id, failure_reason, finalize_attempts, "
                       "next_finalize_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, s.id).bind(2, s.userId).bind(3, s.fileName).bind(4, s.mimeType);
    st.bind(5, s.claimedFingerprint).bind(6, s.size).bind(7, s.chunkSize);
    st.bind(8, s.uploadedBytes).bind(9, std::string(toString(s.state)));
    st.bind(10, s.createdAt).bind(11, s.expiresAt).bind(12, s.staging.key);
    st.bind(13, s.staging.uploadId).bindBlob(14, s.hashState).bindBlob(15, s.head);
    st.bind(16, s.fingerprint).bind(17, s.detectedMimeType).bind(18, s.fileId);
    st.bind(19, s.failureReason).bind(20, std::int64_t{s.finalizeAttempts});
    st.bind(21, s.nextFinalizeAt);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot create session");
    return {};
}

StoreResult<std::optional<Session>> SqliteSessionStore::find(const std::string& id) {
    auto rows = select("id = ?2", 0, id);
    if (!rows)
        return tl::unexpected(rows.error());
    if (rows->empty())
        return std::optional<Session>{};
    return std::optional<Session>{std::move(rows->front())};
}

StoreResult<void> SqliteSessionStore::commitChunk(const Session& s, const ChunkReceipt& receipt) {
    auto lock = m_db.lock();
    Transaction tx(m_db);
    if (!tx.begun())
        return fail(m_db, "cannot begin chunk commit");
    Statement st(m_db, "UPDATE sessions SET uploaded_bytes = ?1, hash_state = ?2, head = ?3, "
                       "expires_at = ?4 WHERE id = ?5");
    st.bind(1, s.uploadedBytes).bindBlob(2, s.hashState).bindBlob(3, s.head);
    st.bind(4, s.expiresAt).bind(5, s.id);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot record chunk");
    if (!receipt.etag.empty()) {
        Statement ins(m_db, "INSERT OR REPLACE INTO chunk_receipts (session_id, chunk_index, etag) "
                            "VALUES (?1, ?2, ?3)");
        ins.bind(1, s.id).bind(2, receipt.index).bind(3, receipt.etag);
        if (ins.step() != SQLITE_DONE)
            return fail(m_db, "cannot record chunk receipt");
    }
    if (auto ok = tx.commit(); !ok)
        return tl::unexpected("cannot commit chunk: " + ok.error());
    return {};
}

StoreResult<void> SqliteSessionStore::update(const Session& s) {
    auto lock = m_db.lock();
    Statement st(m_db, "UPDATE sessions SET state = ?1, expires_at = ?2, staging_key = ?3, "
                       "upload_id = ?4, fingerprint = ?5, detected_mime_type = ?6, file_id = ?7, "
                       "failure_reason = ?8, finalize_attempts = ?9, next_finalize_at = ?10 "
                       "WHERE id = ?11");
    st.bind(1, std::string(toString(s.state))).bind(2, s.expiresAt).bind(3, s.staging.key);
    st.bind(4, s.staging.uploadId).bind(5, s.fingerprint).bind(6, s.detectedMimeType);
    st.bind(7, s.fileId).bind(8, s.failureReason).bind(9, std::int64_t{s.finalizeAttempts});
    st.bind(10, s.nextFinalizeAt).bind(11, s.id);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot update session");
    return {};
}

StoreResult<void> SqliteSessionStore::remove(const std::string& id) {
    auto lock = m_db.lock();
    Statement st(m_db, "DELETE FROM sessions WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot remove session");
    return {};
}

StoreResult<std::vector<ChunkReceipt>> SqliteSessionStore::receipts(const std::string& id) {
    auto lock = m_db.lock();
    Statement st(m_db, "SELECT chunk_index, etag FROM chunk_receipts WHERE session_id = ?1 "
                       "ORDER BY chunk_index");
    st.bind(1, id);
    std::vector<ChunkReceipt> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(ChunkReceipt{st.integer(0), st.text(1)});
    if (rc != SQLITE_DONE)
        return tl::unexpected("cannot read chunk receipts: " + m_db.lastError());
    return out;
}

StoreResult<std::vector<Session>> SqliteSessionStore::expiredBy(std::int64_t now) {
    return select("expires_at <= ?1", now, "");
}

StoreResult<std::vector<Session>> SqliteSessionStore::inState(SessionState state) {
    return select("state = ?2", 0, toString(state));
}

StoreResult<std::map<SessionState, std::int64_t>> SqliteSessionStore::countByState() {
    auto lock = m_db.lock();
    Statement st(m_db, "SELECT state, COUNT(*) FROM sessions GROUP BY state");
    std::map<SessionState, std::int64_t> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        if (const auto state = sessionStateFromString(st.text(0)))
            out[*state] = st.integer(1);
    }
    if (rc != SQLITE_DONE)
        return tl::unexpected("cannot count sessions: " + m_db.lastError());
    return out;
}

StoreResult<std::vector<Session>> SqliteSessionStore::select(const char* where,
                                                             std::int64_t argument,
                                                             const std::string& textArgument) {
    auto lock = m_db.lock();
    const std::string sql = std::string("SELECT ") + kColumns + " FROM sessions WHERE " + where;
    Statement st(m_db, sql.c_str());
    st.bind(1, argument).bind(2, textArgument);
    std::vector<Session> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(readSession(st));
    if (rc != SQLITE_DONE)
        return tl::unexpected("cannot read sessions: " + m_db.lastError());
    return out;
}

} // namespace hoist
