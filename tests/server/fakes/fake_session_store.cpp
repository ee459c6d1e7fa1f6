#include "fake_session_store.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace hoist::test {

StoreResult<void> FakeSessionStore::create(const Session& session) {
    std::lock_guard lock(m_mutex);
    if (auto failure = takeFailure())
        return tl::unexpected(*failure);
    if (!m_sessions.emplace(session.id, session).second)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + session.id + " exists already"});
    return {};
}

StoreResult<std::optional<Session>> FakeSessionStore::find(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return std::optional<Session>{};
    return std::optional<Session>{it->second};
}

StoreResult<void> FakeSessionStore::commitChunk(const Session& session, std::int64_t expectedOffset,
                                                const ChunkReceipt& receipt) {
    return commitOffset(session, expectedOffset, &receipt);
}

StoreResult<void> FakeSessionStore::commitTail(const Session& session,
                                               std::int64_t expectedOffset) {
    return commitOffset(session, expectedOffset, nullptr);
}

StoreResult<void> FakeSessionStore::commitOffset(const Session& session,
                                                 std::int64_t expectedOffset,
                                                 const ChunkReceipt* receipt) {
    std::lock_guard lock(m_mutex);
    if (auto failure = takeFailure())
        return tl::unexpected(*failure);
    const auto it = m_sessions.find(session.id);
    if (it == m_sessions.end())
        return tl::unexpected(StoreError{StoreError::Kind::NotFound, "no session " + session.id});
    Session& stored = it->second;
    if (stored.uploadedBytes != expectedOffset)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + session.id + " is at offset " +
                                                       std::to_string(stored.uploadedBytes)});
    stored.uploadedBytes = session.uploadedBytes;
    stored.hashState = session.hashState;
    stored.head = session.head;
    stored.expiresAt = session.expiresAt;
    stored.tailKey = session.tailKey;
    if (receipt && !receipt->etag.empty())
        m_receipts[session.id][receipt->index] = receipt->etag;
    return {};
}

StoreResult<WindowProgress> FakeSessionStore::storeWindowChunk(const WindowChunk& chunk) {
    auto stored = storeWindowChunkLocked(chunk);
    if (stored && afterWindowChunk)
        afterWindowChunk();
    return stored;
}

StoreResult<WindowProgress> FakeSessionStore::storeWindowChunkLocked(const WindowChunk& chunk) {
    std::lock_guard lock(m_mutex);
    if (auto failure = takeFailure())
        return tl::unexpected(*failure);
    const auto it = m_sessions.find(chunk.sessionId);
    if (it == m_sessions.end())
        return tl::unexpected(
            StoreError{StoreError::Kind::NotFound, "no session " + chunk.sessionId});
    auto& receipts = m_receipts[chunk.sessionId];
    if (!receipts.emplace(chunk.receipt.index, chunk.receipt.etag).second)
        return tl::unexpected(StoreError{StoreError::Kind::Conflict, "chunk is stored"});
    Session& stored = it->second;
    std::vector<std::int64_t> indexes;
    for (const auto& [index, etag] : receipts)
        indexes.push_back(index);
    WindowProgress progress = advanceWindow(stored, indexes);
    if (chunk.hashedFrom && *chunk.hashedFrom == stored.hashedBytes) {
        progress.hashedBytes = chunk.hashedTo;
        stored.hashState = chunk.hashState;
    }
    if (!chunk.head.empty())
        stored.head = chunk.head;
    stored.uploadedBytes = progress.uploadedBytes;
    stored.hashedBytes = progress.hashedBytes;
    stored.expiresAt = chunk.expiresAt;
    return progress;
}

StoreResult<void> FakeSessionStore::advanceHash(const std::string& id, std::int64_t from,
                                                std::int64_t to, const std::string& hashState) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end() || it->second.hashedBytes != from)
        return tl::unexpected(StoreError{StoreError::Kind::Conflict, "hash moved"});
    it->second.hashedBytes = to;
    it->second.hashState = hashState;
    return {};
}

StoreResult<void> FakeSessionStore::declareSize(const std::string& id, std::int64_t size) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return tl::unexpected(StoreError{StoreError::Kind::NotFound, "no session " + id});
    Session& stored = it->second;
    if (!stored.lengthDeferred || stored.uploadedBytes > size)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + id + " cannot take the length"});
    stored.size = size;
    stored.lengthDeferred = false;
    return {};
}

StoreResult<void> FakeSessionStore::update(const Session& session) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(session.id);
    if (it == m_sessions.end())
        return {}; // as an UPDATE that matches no row
    Session& stored = it->second;
    stored.state = session.state;
    stored.expiresAt = session.expiresAt;
    stored.staging = session.staging;
    stored.fingerprint = session.fingerprint;
    stored.detectedMimeType = session.detectedMimeType;
    stored.fileId = session.fileId;
    stored.failureReason = session.failureReason;
    stored.finalizeAttempts = session.finalizeAttempts;
    stored.nextFinalizeAt = session.nextFinalizeAt;
    return {};
}

StoreResult<void> FakeSessionStore::remove(const std::string& id) {
    std::lock_guard lock(m_mutex);
    m_sessions.erase(id);
    m_receipts.erase(id);
    return {};
}

StoreResult<std::vector<ChunkReceipt>> FakeSessionStore::receipts(const std::string& id) {
    std::lock_guard lock(m_mutex);
    std::vector<ChunkReceipt> out;
    if (const auto it = m_receipts.find(id); it != m_receipts.end())
        for (const auto& [index, etag] : it->second)
            out.push_back(ChunkReceipt{index, etag});
    return out;
}

template <typename Keep> std::vector<Session> FakeSessionStore::select(Keep keep) const {
    std::lock_guard lock(m_mutex);
    std::vector<Session> out;
    for (const auto& [id, session] : m_sessions)
        if (keep(session))
            out.push_back(session);
    return out;
}

StoreResult<std::vector<Session>>
FakeSessionStore::expiredBy(std::int64_t now, std::size_t limit,
                            const std::optional<ExpiryCursor>& after) {
    auto due = select([&](const Session& s) {
        return s.expiresAt <= now &&
               (!after || std::tie(s.expiresAt, s.id) > std::tie(after->expiresAt, after->id));
    });
    std::sort(due.begin(), due.end(), [](const Session& a, const Session& b) {
        return std::tie(a.expiresAt, a.id) < std::tie(b.expiresAt, b.id);
    });
    if (due.size() > limit)
        due.resize(limit);
    return due;
}

StoreResult<OpenSessionUsage> FakeSessionStore::openUsageOf(const std::string& userId) {
    OpenSessionUsage usage;
    for (const Session& s : select([&](const Session& s) {
             return s.userId == userId &&
                    (s.state == SessionState::Uploading || s.state == SessionState::Finalizing);
         })) {
        ++usage.sessions;
        usage.declaredBytes += s.lengthDeferred ? s.uploadedBytes : s.size;
    }
    return usage;
}

StoreResult<bool> FakeSessionStore::ownsStaging(const StagingRef& staging) {
    return !select([&](const Session& s) {
                return s.staging.key == staging.key && s.staging.uploadId == staging.uploadId;
            }).empty();
}

void FakeSessionStore::failNext(StoreError error) {
    std::lock_guard lock(m_mutex);
    m_failure = std::move(error);
}

std::optional<StoreError> FakeSessionStore::takeFailure() {
    return std::exchange(m_failure, std::nullopt);
}

StoreResult<std::vector<Session>> FakeSessionStore::inState(SessionState state) {
    return select([state](const Session& s) { return s.state == state; });
}

StoreResult<std::map<SessionState, std::int64_t>> FakeSessionStore::countByState() {
    std::lock_guard lock(m_mutex);
    std::map<SessionState, std::int64_t> out;
    for (const auto& [id, session] : m_sessions)
        ++out[session.state];
    return out;
}

} // namespace hoist::test
