#include "hash_backlog.h"

#include <functional>

namespace hoist {

bool HashBacklog::reserve(const std::string& sessionId, std::int64_t length) {
    std::lock_guard lock(m_mutex);
    if (m_used + length > m_budget || m_abandoned.count(sessionId) > 0)
        return false;
    m_used += length;
    return true;
}

void HashBacklog::release(std::int64_t length) {
    std::lock_guard lock(m_mutex);
    m_used -= length;
}

void HashBacklog::keep(const std::string& sessionId, std::int64_t index, std::string bytes) {
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_chunks.try_emplace({sessionId, index}, std::move(bytes));
    // A chunk is stored once (the store's receipt), so a second keep of it cannot
    // happen; should it, the reservation it came with is given back.
    if (!inserted)
        m_used -= static_cast<std::int64_t>(bytes.size());
}

std::optional<std::string> HashBacklog::take(const std::string& sessionId, std::int64_t index) {
    std::lock_guard lock(m_mutex);
    const auto it = m_chunks.find({sessionId, index});
    if (it == m_chunks.end())
        return std::nullopt;
    std::string bytes = std::move(it->second);
    m_chunks.erase(it);
    m_used -= static_cast<std::int64_t>(bytes.size());
    return bytes;
}

void HashBacklog::drop(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    freeChunks(sessionId);
    m_abandoned.erase(sessionId);
}

void HashBacklog::abandon(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    freeChunks(sessionId);
    m_abandoned.insert(sessionId);
}

void HashBacklog::freeChunks(const std::string& sessionId) {
    auto it = m_chunks.lower_bound({sessionId, 0});
    while (it != m_chunks.end() && it->first.first == sessionId) {
        m_used -= static_cast<std::int64_t>(it->second.size());
        it = m_chunks.erase(it);
    }
}

std::mutex& HashBacklog::frontierMutex(const std::string& sessionId) {
    return m_frontiers[std::hash<std::string>{}(sessionId) % m_frontiers.size()];
}

std::int64_t HashBacklog::usedBytes() const {
    std::lock_guard lock(m_mutex);
    return m_used;
}

} // namespace hoist
