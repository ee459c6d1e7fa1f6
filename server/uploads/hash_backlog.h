#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace hoist {

// Chunks of windowed sessions that were stored ahead of the hash frontier, kept in
// memory until the frontier reaches them (docs/protocol.md, "Parallel chunks"). One per
// node, shared by every session, bounded by --hash-buffer (docs/admin.md): a chunk that
// finds no room is not kept, and its staged bytes are read back instead. Thread-safe.
class HashBacklog final {
  public:
    explicit HashBacklog(std::int64_t budgetBytes) : m_budget(budgetBytes) {}

    // Room for `length` bytes of the session's chunk, taken before it streams; false when
    // the budget is spent or the session's frontier was given up (abandon()).
    bool reserve(const std::string& sessionId, std::int64_t length);
    // Gives back a reservation that keep() will not use (the chunk was refused).
    void release(std::int64_t length);
    // The bytes of a stored chunk, within a reservation made for them.
    void keep(const std::string& sessionId, std::int64_t index, std::string bytes);
    // The kept bytes of a chunk, handed over (and their room freed).
    std::optional<std::string> take(const std::string& sessionId, std::int64_t index);
    // Frees every chunk kept for a session (complete, abort, failure, expiry).
    void drop(const std::string& sessionId);
    // Frees them and keeps no more for the session until drop(): its frontier cannot
    // move before complete (staged bytes that cannot be read back).
    void abandon(const std::string& sessionId);
    // Held while a session's hash frontier advances on this node, so two requests do
    // not both hash the same kept chunks (across nodes the store's compare-and-swap
    // decides). Striped: a lock per session would need a map that only grows.
    std::mutex& frontierMutex(const std::string& sessionId);

    std::int64_t usedBytes() const;

  private:
    void freeChunks(const std::string& sessionId); // with m_mutex held

    std::int64_t m_budget;
    mutable std::mutex m_mutex;
    std::int64_t m_used = 0;
    std::map<std::pair<std::string, std::int64_t>, std::string> m_chunks;
    std::set<std::string> m_abandoned;
    std::array<std::mutex, 64> m_frontiers;
};

} // namespace hoist
