#include "postgres_session_store.h"

#include "schema_migrator.h"
#include "session_row.h"

namespace hoist {

namespace {
using P = PostgresParam;

StoreResult<void> done(const StoreResult<PostgresResult>& result) {
    if (!result)
        return tl::unexpected(result.error());
    return {};
}
} // namespace

StoreResult<std::unique_ptr<PostgresSessionStore>>
PostgresSessionStore::open(PostgresDatabase& db) {
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
    return std::unique_ptr<PostgresSessionStore>(new PostgresSessionStore(db));
}

StoreResult<void> PostgresSessionStore::create(const Session& s) {
    return done(m_db.exec(
        "INSERT INTO sessions (id, user_id, file_name, mime_type, claimed_fingerprint, size, "
        "chunk_size, uploaded_bytes, state, created_at, expires_at, staging_key, upload_id, "
        "hash_state, head, fingerprint, detected_mime_type, file_id, failure_reason, "
        "finalize_attempts, next_finalize_at, tail_key, parallel_chunks, hashed_bytes, is_partial, "
        "concatenated_from, length_deferred) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
        "$21, $22, $23, $24, $25, $26, $27)",
        {P::text(s.id),
         P::text(s.userId),
         P::text(s.fileName),
         P::text(s.mimeType),
         P::text(s.claimedFingerprint),
         P::integer(s.size),
         P::integer(s.chunkSize),
         P::integer(s.uploadedBytes),
         P::text(toString(s.state)),
         P::integer(s.createdAt),
         P::integer(s.expiresAt),
         P::text(s.staging.key),
         P::text(s.staging.uploadId),
         P::bytes(s.hashState),
         P::bytes(s.head),
         P::text(s.fingerprint),
         P::text(s.detectedMimeType),
         P::text(s.fileId),
         P::text(s.failureReason),
         P::integer(s.finalizeAttempts),
         P::integer(s.nextFinalizeAt),
         P::text(s.tailKey),
         P::integer(s.parallelChunks),
         P::integer(s.hashedBytes),
         P::integer(s.partial ? 1 : 0),
         P::text(s.concatenatedFrom),
         P::integer(s.lengthDeferred ? 1 : 0)}));
}

StoreResult<std::optional<Session>> PostgresSessionStore::find(const std::string& id) {
    auto rows = select("id = $1", {P::text(id)});
    if (!rows)
        return tl::unexpected(rows.error());
    if (rows->empty())
        return std::optional<Session>{};
    return std::optional<Session>{std::move(rows->front())};
}

StoreResult<void> PostgresSessionStore::commitChunk(const Session& s, std::int64_t expectedOffset,
                                                    const ChunkReceipt& receipt) {
    // One statement, so one round trip and one transaction: the receipt is written only
    // by the commit that moved the offset, so a part another node re-uploaded after a
    // crash never replaces the ETag of an acknowledged chunk.
    auto moved = m_db.exec(
        "WITH moved AS (UPDATE sessions SET uploaded_bytes = $1, hash_state = $2, head = $3, "
        "expires_at = $4, tail_key = $9 WHERE id = $5 AND uploaded_bytes = $6 RETURNING id), "
        "receipt AS (INSERT INTO chunk_receipts (session_id, chunk_index, etag) "
        "SELECT id, $7::bigint, $8::text FROM moved WHERE $8::text <> '' "
        "ON CONFLICT (session_id, chunk_index) DO UPDATE SET etag = EXCLUDED.etag) "
        "SELECT count(*) FROM moved",
        {P::integer(s.uploadedBytes), P::bytes(s.hashState), P::bytes(s.head),
         P::integer(s.expiresAt), P::text(s.id), P::integer(expectedOffset),
         P::integer(receipt.index), P::text(receipt.etag), P::text(s.tailKey)});
    if (!moved)
        return tl::unexpected(moved.error());
    if (moved->integer(0, 0) == 1)
        return {};
    auto truth = m_db.exec("SELECT uploaded_bytes FROM sessions WHERE id = $1", {P::text(s.id)});
    if (!truth)
        return tl::unexpected(truth.error());
    if (truth->rows() == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::NotFound, "session " + s.id + " no longer exists"});
    return tl::unexpected(
        StoreError{StoreError::Kind::Conflict, "session " + s.id + " is at offset " +
                                                   std::to_string(truth->integer(0, 0)) + ", not " +
                                                   std::to_string(expectedOffset)});
}

// A tail is committed like a chunk, without a receipt: the empty ETag records none.
StoreResult<void> PostgresSessionStore::commitTail(const Session& s, std::int64_t expectedOffset) {
    return commitChunk(s, expectedOffset, ChunkReceipt{});
}

StoreResult<WindowProgress> PostgresSessionStore::storeWindowChunk(const WindowChunk& chunk) {
    auto connection = m_db.acquire();
    if (!connection)
        return tl::unexpected(connection.error());
    if (auto begun = connection->begin(); !begun)
        return tl::unexpected(begun.error());
    // The row lock orders every node's chunk commits of this session, so each one
    // computes the prefix from every receipt committed before it.
    auto row = connection->exec("SELECT size, chunk_size, uploaded_bytes, hashed_bytes FROM "
                                "sessions WHERE id = $1 FOR UPDATE",
                                {P::text(chunk.sessionId)});
    if (!row)
        return tl::unexpected(row.error());
    if (row->rows() == 0)
        return tl::unexpected(StoreError{StoreError::Kind::NotFound,
                                         "session " + chunk.sessionId + " no longer exists"});
    Session session;
    session.size = row->integer(0, 0);
    session.chunkSize = row->integer(0, 1);
    session.uploadedBytes = row->integer(0, 2);
    session.hashedBytes = row->integer(0, 3);
    auto inserted = connection->exec(
        "INSERT INTO chunk_receipts (session_id, chunk_index, etag) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING chunk_index",
        {P::text(chunk.sessionId), P::integer(chunk.receipt.index), P::text(chunk.receipt.etag)});
    if (!inserted)
        return tl::unexpected(inserted.error());
    if (inserted->rows() == 0)
        return tl::unexpected(StoreError{StoreError::Kind::Conflict,
                                         "chunk " + std::to_string(chunk.receipt.index) +
                                             " of session " + chunk.sessionId + " is stored"});
    auto rows = connection->exec(
        "SELECT chunk_index FROM chunk_receipts WHERE session_id = $1 "
        "AND chunk_index >= $2 ORDER BY chunk_index",
        {P::text(chunk.sessionId), P::integer(session.uploadedBytes / session.chunkSize)});
    if (!rows)
        return tl::unexpected(rows.error());
    std::vector<std::int64_t> stored;
    for (int i = 0; i < rows->rows(); ++i)
        stored.push_back(rows->integer(i, 0));
    WindowProgress progress = advanceWindow(session, stored);
    const bool hashed = chunk.hashedFrom && *chunk.hashedFrom == session.hashedBytes;
    if (hashed)
        progress.hashedBytes = chunk.hashedTo;
    auto updated = connection->exec(
        "UPDATE sessions SET uploaded_bytes = $1, expires_at = $2, hashed_bytes = $3, "
        "hash_state = CASE WHEN $4::boolean THEN $5 ELSE hash_state END, "
        "head = CASE WHEN $6::boolean THEN $7 ELSE head END WHERE id = $8",
        {P::integer(progress.uploadedBytes), P::integer(chunk.expiresAt),
         P::integer(progress.hashedBytes), P::text(hashed ? "true" : "false"),
         P::bytes(chunk.hashState), P::text(chunk.head.empty() ? "false" : "true"),
         P::bytes(chunk.head), P::text(chunk.sessionId)});
    if (!updated)
        return tl::unexpected(updated.error());
    if (auto ok = connection->commit(); !ok)
        return tl::unexpected(ok.error());
    return progress;
}

StoreResult<void> PostgresSessionStore::advanceHash(const std::string& id, std::int64_t from,
                                                    std::int64_t to, const std::string& hashState) {
    auto moved = m_db.exec("UPDATE sessions SET hashed_bytes = $1, hash_state = $2 "
                           "WHERE id = $3 AND hashed_bytes = $4 RETURNING id",
                           {P::integer(to), P::bytes(hashState), P::text(id), P::integer(from)});
    if (!moved)
        return tl::unexpected(moved.error());
    if (moved->rows() == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + id + " is gone or hashed past " +
                                                       std::to_string(from) + " already"});
    return {};
}

StoreResult<void> PostgresSessionStore::declareSize(const std::string& id, std::int64_t size) {
    auto declared = m_db.exec("UPDATE sessions SET size = $1, length_deferred = 0 WHERE id = $2 "
                              "AND length_deferred = 1 AND uploaded_bytes <= $1 RETURNING id",
                              {P::integer(size), P::text(id)});
    if (!declared)
        return tl::unexpected(declared.error());
    if (declared->rows() > 0)
        return {};
    auto truth =
        m_db.exec("SELECT size, uploaded_bytes FROM sessions WHERE id = $1", {P::text(id)});
    if (!truth)
        return tl::unexpected(truth.error());
    if (truth->rows() == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::NotFound, "session " + id + " no longer exists"});
    return tl::unexpected(lengthConflict(id, size, truth->integer(0, 0), truth->integer(0, 1)));
}

StoreResult<void> PostgresSessionStore::update(const Session& s) {
    return done(m_db.exec(
        "UPDATE sessions SET state = $1, expires_at = $2, staging_key = $3, upload_id = $4, "
        "fingerprint = $5, detected_mime_type = $6, file_id = $7, failure_reason = $8, "
        "finalize_attempts = $9, next_finalize_at = $10 WHERE id = $11",
        {P::text(toString(s.state)), P::integer(s.expiresAt), P::text(s.staging.key),
         P::text(s.staging.uploadId), P::text(s.fingerprint), P::text(s.detectedMimeType),
         P::text(s.fileId), P::text(s.failureReason), P::integer(s.finalizeAttempts),
         P::integer(s.nextFinalizeAt), P::text(s.id)}));
}

StoreResult<void> PostgresSessionStore::remove(const std::string& id) {
    return done(m_db.exec("DELETE FROM sessions WHERE id = $1", {P::text(id)}));
}

StoreResult<std::vector<ChunkReceipt>> PostgresSessionStore::receipts(const std::string& id) {
    auto rows = m_db.exec("SELECT chunk_index, etag FROM chunk_receipts WHERE session_id = $1 "
                          "ORDER BY chunk_index",
                          {P::text(id)});
    if (!rows)
        return tl::unexpected(rows.error());
    std::vector<ChunkReceipt> out;
    for (int i = 0; i < rows->rows(); ++i)
        out.push_back(ChunkReceipt{rows->integer(i, 0), rows->text(i, 1)});
    return out;
}

StoreResult<std::vector<Session>>
PostgresSessionStore::expiredBy(std::int64_t now, std::size_t limit,
                                const std::optional<ExpiryCursor>& after) {
    PostgresParams params{P::integer(now)};
    std::string where = "expires_at <= $1";
    if (after) {
        where += " AND (expires_at, id) > ($2, $3)";
        params.push_back(P::integer(after->expiresAt));
        params.push_back(P::text(after->id));
    }
    return select(where + " ORDER BY expires_at, id LIMIT " + std::to_string(limit), params);
}

StoreResult<std::vector<Session>> PostgresSessionStore::inState(SessionState state) {
    return select("state = $1", {P::text(toString(state))});
}

StoreResult<std::map<SessionState, std::int64_t>> PostgresSessionStore::countByState() {
    auto rows = m_db.exec("SELECT state, count(*) FROM sessions GROUP BY state");
    if (!rows)
        return tl::unexpected(rows.error());
    std::map<SessionState, std::int64_t> out;
    for (int i = 0; i < rows->rows(); ++i) {
        if (const auto state = sessionStateFromString(rows->text(i, 0)))
            out[*state] = rows->integer(i, 1);
    }
    return out;
}

StoreResult<OpenSessionUsage> PostgresSessionStore::openUsageOf(const std::string& userId) {
    auto rows = m_db.exec(kOpenUsageSql, {P::text(userId)});
    if (!rows)
        return tl::unexpected(rows.error());
    return OpenSessionUsage{rows->integer(0, 0), rows->integer(0, 1)};
}

StoreResult<bool> PostgresSessionStore::ownsStaging(const StagingRef& staging) {
    auto rows = m_db.exec("SELECT 1 FROM sessions WHERE staging_key = $1 AND upload_id = $2 "
                          "LIMIT 1",
                          {P::text(staging.key), P::text(staging.uploadId)});
    if (!rows)
        return tl::unexpected(rows.error());
    return rows->rows() > 0;
}

StoreResult<std::vector<Session>> PostgresSessionStore::select(const std::string& where,
                                                               const PostgresParams& params) {
    const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE " + where;
    auto rows = m_db.exec(sql.c_str(), params);
    if (!rows)
        return tl::unexpected(rows.error());
    std::vector<Session> out;
    for (int i = 0; i < rows->rows(); ++i)
        out.push_back(sessionFromRow(rows->row(i)));
    return out;
}

} // namespace hoist
