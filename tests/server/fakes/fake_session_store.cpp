#include "fake_session_store.h"

namespace hoist::test {

StoreResult<void> FakeSessionStore::create(const Session& session) {
    std::lock_guard lock(m_mutex);
    if (!m_sessions.emplace(session.id, session).second)
        return tl::unexpected("session " + session.id + " exists already");
    return {};
}

StoreResult<std::optional<Session>> FakeSessionStore::find(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return std::optional<Session>{};
    return std::optional<Session>{it->second};
}

StoreResult<void> FakeSessionStore::commitChunk(const Session& session,
                                                const ChunkReceipt& receipt) {
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(session.id);
    if (it == m_sessions.end())
        return tl::unexpected("no session " + session.id);
    Session& stored = it->second;
    stored.uploadedBytes = session.uploadedBytes;
    stored.hashState = session.hashState;
    stored.head = session.head;
    stored.expiresAt = session.expiresAt;
    if (!receipt.etag.empty())
        m_receipts[session.id][receipt.index] = receipt.etag;
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

StoreResult<std::vector<Session>> FakeSessionStore::expiredBy(std::int64_t now) {
    return select([now](const Session& s) { return s.expiresAt <= now; });
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
