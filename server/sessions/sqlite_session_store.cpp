#include "sqlite_session_store.h"

#include "schema_migrator.h"
#include "session_row.h"
#include "sqlite_store_error.h"

namespace hoist {

namespace {
StoreResult<void> fail(SqliteDatabase& db, const char* what) {
    return tl::unexpected(sqliteStoreError(db, what));
}
} // namespace

StoreResult<std::unique_ptr<SqliteSessionStore>> SqliteSessionStore::open(SqliteDatabase& db) {
    // Stores opened on their own (tests, tools) find the schema as hoistd leaves it.
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
    return std::unique_ptr<SqliteSessionStore>(new SqliteSessionStore(db));
}

StoreResult<void> SqliteSessionStore::create(const Session& s) {
    auto lock = m_db.lock();
    Statement st(m_db, "INSERT INTO sessions (id, user_id, file_name, mime_type, "
                       "claimed_fingerprint, size, chunk_size, uploaded_bytes, state, created_at, "
                       "expires_at, staging_key, upload_id, hash_state, head, fingerprint, "
                       "detected_mime_type, file_id, failure_reason, finalize_attempts, "
                       "next_finalize_at, tail_key, parallel_chunks, hashed_bytes, is_partial, "
                       "concatenated_from, length_deferred) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, s.id).bind(2, s.userId).bind(3, s.fileName).bind(4, s.mimeType);
    st.bind(5, s.claimedFingerprint).bind(6, s.size).bind(7, s.chunkSize);
    st.bind(8, s.uploadedBytes).bind(9, std::string(toString(s.state)));
    st.bind(10, s.createdAt).bind(11, s.expiresAt).bind(12, s.staging.key);
    st.bind(13, s.staging.uploadId).bindBlob(14, s.hashState).bindBlob(15, s.head);
    st.bind(16, s.fingerprint).bind(17, s.detectedMimeType).bind(18, s.fileId);
    st.bind(19, s.failureReason).bind(20, std::int64_t{s.finalizeAttempts});
    st.bind(21, s.nextFinalizeAt).bind(22, s.tailKey).bind(23, s.parallelChunks);
    st.bind(24, s.hashedBytes)
        .bind(25, std::int64_t{s.partial ? 1 : 0})
        .bind(26, s.concatenatedFrom)
        .bind(27, std::int64_t{s.lengthDeferred ? 1 : 0});
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

StoreResult<void> SqliteSessionStore::commitChunk(const Session& s, std::int64_t expectedOffset,
                                                  const ChunkReceipt& receipt) {
    return commitOffset(s, expectedOffset, &receipt);
}

StoreResult<void> SqliteSessionStore::commitTail(const Session& s, std::int64_t expectedOffset) {
    return commitOffset(s, expectedOffset, nullptr);
}

StoreResult<void> SqliteSessionStore::commitOffset(const Session& s, std::int64_t expectedOffset,
                                                   const ChunkReceipt* receipt) {
    auto lock = m_db.lock();
    Transaction tx(m_db);
    if (!tx.begun())
        return fail(m_db, "cannot begin chunk commit");
    Statement st(m_db, "UPDATE sessions SET uploaded_bytes = ?1, hash_state = ?2, head = ?3, "
                       "expires_at = ?4, tail_key = ?7 WHERE id = ?5 AND uploaded_bytes = ?6");
    st.bind(1, s.uploadedBytes).bindBlob(2, s.hashState).bindBlob(3, s.head);
    st.bind(4, s.expiresAt).bind(5, s.id).bind(6, expectedOffset).bind(7, s.tailKey);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot record chunk");
    if (sqlite3_changes(m_db.handle()) == 0) {
        Statement exists(m_db, "SELECT uploaded_bytes FROM sessions WHERE id = ?1");
        exists.bind(1, s.id);
        if (exists.step() != SQLITE_ROW)
            return tl::unexpected(
                StoreError{StoreError::Kind::NotFound, "session " + s.id + " no longer exists"});
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + s.id + " is at offset " +
                                                       std::to_string(exists.integer(0)) +
                                                       ", not " + std::to_string(expectedOffset)});
    }
    if (receipt && !receipt->etag.empty()) {
        Statement ins(m_db, "INSERT OR REPLACE INTO chunk_receipts (session_id, chunk_index, etag) "
                            "VALUES (?1, ?2, ?3)");
        ins.bind(1, s.id).bind(2, receipt->index).bind(3, receipt->etag);
        if (ins.step() != SQLITE_DONE)
            return fail(m_db, "cannot record chunk receipt");
    }
    if (auto ok = tx.commit(); !ok)
        return tl::unexpected(sqliteStoreError(m_db, "cannot commit chunk"));
    return {};
}

StoreResult<WindowProgress> SqliteSessionStore::storeWindowChunk(const WindowChunk& chunk) {
    auto lock = m_db.lock();
    Transaction tx(m_db);
    if (!tx.begun())
        return tl::unexpected(sqliteStoreError(m_db, "cannot begin chunk commit"));
    Session session;
    {
        Statement st(m_db, "SELECT size, chunk_size, uploaded_bytes, hashed_bytes FROM sessions "
                           "WHERE id = ?1");
        st.bind(1, chunk.sessionId);
        if (st.step() != SQLITE_ROW)
            return tl::unexpected(StoreError{StoreError::Kind::NotFound,
                                             "session " + chunk.sessionId + " no longer exists"});
        session.size = st.integer(0);
        session.chunkSize = st.integer(1);
        session.uploadedBytes = st.integer(2);
        session.hashedBytes = st.integer(3);
    }
    Statement ins(m_db, "INSERT INTO chunk_receipts (session_id, chunk_index, etag) "
                        "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    ins.bind(1, chunk.sessionId).bind(2, chunk.receipt.index).bind(3, chunk.receipt.etag);
    if (ins.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot record chunk receipt"));
    if (sqlite3_changes(m_db.handle()) == 0)
        return tl::unexpected(StoreError{StoreError::Kind::Conflict,
                                         "chunk " + std::to_string(chunk.receipt.index) +
                                             " of session " + chunk.sessionId + " is stored"});
    std::vector<std::int64_t> stored;
    {
        Statement st(m_db, "SELECT chunk_index FROM chunk_receipts WHERE session_id = ?1 AND "
                           "chunk_index >= ?2 ORDER BY chunk_index");
        st.bind(1, chunk.sessionId).bind(2, session.uploadedBytes / session.chunkSize);
        int rc;
        while ((rc = st.step()) == SQLITE_ROW)
            stored.push_back(st.integer(0));
        if (rc != SQLITE_DONE)
            return tl::unexpected(sqliteStoreError(m_db, "cannot read chunk receipts"));
    }
    WindowProgress progress = advanceWindow(session, stored);
    const bool hashed = chunk.hashedFrom && *chunk.hashedFrom == session.hashedBytes;
    if (hashed)
        progress.hashedBytes = chunk.hashedTo;
    Statement st(m_db, "UPDATE sessions SET uploaded_bytes = ?1, expires_at = ?2, "
                       "hashed_bytes = ?3, hash_state = CASE WHEN ?4 THEN ?5 ELSE hash_state END, "
                       "head = CASE WHEN ?6 THEN ?7 ELSE head END WHERE id = ?8");
    st.bind(1, progress.uploadedBytes).bind(2, chunk.expiresAt).bind(3, progress.hashedBytes);
    st.bind(4, std::int64_t{hashed}).bindBlob(5, chunk.hashState);
    st.bind(6, std::int64_t{!chunk.head.empty()}).bindBlob(7, chunk.head).bind(8, chunk.sessionId);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot record chunk"));
    if (auto ok = tx.commit(); !ok)
        return tl::unexpected(sqliteStoreError(m_db, "cannot commit chunk"));
    return progress;
}

StoreResult<void> SqliteSessionStore::advanceHash(const std::string& id, std::int64_t from,
                                                  std::int64_t to, const std::string& hashState) {
    auto lock = m_db.lock();
    Statement st(m_db, "UPDATE sessions SET hashed_bytes = ?1, hash_state = ?2 "
                       "WHERE id = ?3 AND hashed_bytes = ?4");
    st.bind(1, to).bindBlob(2, hashState).bind(3, id).bind(4, from);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot record the hash state");
    if (sqlite3_changes(m_db.handle()) == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + id + " is gone or hashed past " +
                                                       std::to_string(from) + " already"});
    return {};
}

StoreResult<void> SqliteSessionStore::declareSize(const std::string& id, std::int64_t size) {
    auto lock = m_db.lock();
    Statement st(m_db, "UPDATE sessions SET size = ?1, length_deferred = 0 "
                       "WHERE id = ?2 AND length_deferred = 1 AND uploaded_bytes <= ?1");
    st.bind(1, size).bind(2, id);
    if (st.step() != SQLITE_DONE)
        return fail(m_db, "cannot declare the length");
    if (sqlite3_changes(m_db.handle()) > 0)
        return {};
    Statement exists(m_db, "SELECT size, uploaded_bytes FROM sessions WHERE id = ?1");
    exists.bind(1, id);
    if (exists.step() != SQLITE_ROW)
        return tl::unexpected(
            StoreError{StoreError::Kind::NotFound, "session " + id + " no longer exists"});
    return tl::unexpected(lengthConflict(id, size, exists.integer(0), exists.integer(1)));
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
        return tl::unexpected(sqliteStoreError(m_db, "cannot read chunk receipts"));
    return out;
}

StoreResult<std::vector<Session>>
SqliteSessionStore::expiredBy(std::int64_t now, std::size_t limit,
                              const std::optional<ExpiryCursor>& after) {
    // Row values compare (expires_at, id) in one step of the sessions_by_expiry index.
    const std::string where = std::string("expires_at <= ?1") +
                              (after ? " AND (expires_at, id) > (?3, ?2)" : "") +
                              " ORDER BY expires_at, id LIMIT " + std::to_string(limit);
    return select(where.c_str(), now, after ? after->id : "", after ? after->expiresAt : 0);
}

StoreResult<OpenSessionUsage> SqliteSessionStore::openUsageOf(const std::string& userId) {
    auto lock = m_db.lock();
    Statement st(m_db, kOpenUsageSql);
    st.bind(1, userId);
    if (st.step() != SQLITE_ROW)
        return tl::unexpected(sqliteStoreError(m_db, "cannot count open sessions"));
    return OpenSessionUsage{st.integer(0), st.integer(1)};
}

StoreResult<bool> SqliteSessionStore::ownsStaging(const StagingRef& staging) {
    auto lock = m_db.lock();
    Statement st(m_db, "SELECT 1 FROM sessions WHERE staging_key = ?1 AND upload_id = ?2 LIMIT 1");
    st.bind(1, staging.key).bind(2, staging.uploadId);
    const int rc = st.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot look up staging"));
    return rc == SQLITE_ROW;
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
        return tl::unexpected(sqliteStoreError(m_db, "cannot count sessions"));
    return out;
}

StoreResult<std::vector<Session>> SqliteSessionStore::select(const char* where,
                                                             std::int64_t argument,
                                                             const std::string& textArgument,
                                                             std::int64_t thirdArgument) {
    auto lock = m_db.lock();
    const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE " + where;
    Statement st(m_db, sql.c_str());
    st.bind(1, argument).bind(2, textArgument).bind(3, thirdArgument);
    std::vector<Session> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(sessionFromRow(st));
    if (rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot read sessions"));
    return out;
}

} // namespace hoist
