#include "session_census.h"

namespace hoist {

SessionCensus::SessionCensus(SessionStore& store, Metrics& metrics)
    : m_store(store), m_metrics(metrics) {}

StoreResult<void> SessionCensus::count() {
    auto counts = m_store.countByState();
    if (!counts)
        return tl::unexpected(counts.error());
    {
        std::lock_guard lock(m_mutex);
        m_counts = std::move(*counts);
    }
    move(std::nullopt, std::nullopt);
    return {};
}

std::optional<SessionState> SessionCensus::stateOf(const std::string& id) {
    auto found = m_store.find(id);
    if (!found || !*found)
        return std::nullopt;
    return (*found)->state;
}

void SessionCensus::move(std::optional<SessionState> from, std::optional<SessionState> to) {
    std::map<std::string, std::int64_t> gauge;
    {
        std::lock_guard lock(m_mutex);
        if (from)
            --m_counts[*from];
        if (to)
            ++m_counts[*to];
        for (const auto& [state, n] : m_counts)
            gauge[toString(state)] = n;
    }
    m_metrics.setSessionsByState(std::move(gauge));
}

// Writers hold the session's lock (session_store.h), so the state read before a write
// is still the stored one when the write lands.
StoreResult<void> SessionCensus::create(const Session& session) {
    auto done = m_store.create(session);
    if (done)
        move(std::nullopt, session.state);
    return done;
}

StoreResult<void> SessionCensus::update(const Session& session) {
    const auto before = stateOf(session.id);
    auto done = m_store.update(session);
    if (done && before != session.state)
        move(before, session.state);
    return done;
}

StoreResult<void> SessionCensus::remove(const std::string& id) {
    const auto before = stateOf(id);
    auto done = m_store.remove(id);
    if (done && before)
        move(before, std::nullopt);
    return done;
}

StoreResult<std::optional<Session>> SessionCensus::find(const std::string& id) {
    return m_store.find(id);
}

StoreResult<void> SessionCensus::commitChunk(const Session& session, std::int64_t expectedOffset,
                                             const ChunkReceipt& receipt) {
    return m_store.commitChunk(session, expectedOffset, receipt);
}

StoreResult<void> SessionCensus::commitTail(const Session& session, std::int64_t expectedOffset) {
    return m_store.commitTail(session, expectedOffset);
}

StoreResult<WindowProgress> SessionCensus::storeWindowChunk(const WindowChunk& chunk) {
    return m_store.storeWindowChunk(chunk);
}

StoreResult<void> SessionCensus::advanceHash(const std::string& id, std::int64_t from,
                                             std::int64_t to, const std::string& hashState) {
    return m_store.advanceHash(id, from, to, hashState);
}

StoreResult<void> SessionCensus::declareSize(const std::string& id, std::int64_t size) {
    return m_store.declareSize(id, size);
}

StoreResult<std::vector<ChunkReceipt>> SessionCensus::receipts(const std::string& id) {
    return m_store.receipts(id);
}

StoreResult<std::vector<Session>>
SessionCensus::expiredBy(std::int64_t now, std::size_t limit,
                         const std::optional<ExpiryCursor>& after) {
    return m_store.expiredBy(now, limit, after);
}

StoreResult<std::vector<Session>> SessionCensus::inState(SessionState state) {
    return m_store.inState(state);
}

StoreResult<std::map<SessionState, std::int64_t>> SessionCensus::countByState() {
    return m_store.countByState();
}

StoreResult<OpenSessionUsage> SessionCensus::openUsageOf(const std::string& userId) {
    return m_store.openUsageOf(userId);
}

StoreResult<bool> SessionCensus::ownsStaging(const StagingRef& staging) {
    return m_store.ownsStaging(staging);
}

} // namespace hoist
