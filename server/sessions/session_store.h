#pragma once

#include "session.h"

#include <tl/expected.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

template <typename T> using StoreResult = tl::expected<T, std::string>;

// Persists sessions (DESIGN: SQLite by default; the same interface can sit on
// PostgreSQL so several hoistd share sessions). Thread-safe. Callers validate input
// and hold the session's lock for writes; the store only keeps what it is given,
// durably, before returning.
class SessionStore {
  public:
    virtual ~SessionStore() = default;

    virtual StoreResult<void> create(const Session& session) = 0;
    virtual StoreResult<std::optional<Session>> find(const std::string& id) = 0;
    // One chunk accepted: the new offset, hash state, head bytes and expiry of
    // `session`, plus the backend's receipt, in one transaction.
    virtual StoreResult<void> commitChunk(const Session& session, const ChunkReceipt& receipt) = 0;
    // State, result and finalization fields of `session` (not its offset).
    virtual StoreResult<void> update(const Session& session) = 0;
    virtual StoreResult<void> remove(const std::string& id) = 0;
    virtual StoreResult<std::vector<ChunkReceipt>> receipts(const std::string& id) = 0;

    virtual StoreResult<std::vector<Session>> expiredBy(std::int64_t now) = 0;
    virtual StoreResult<std::vector<Session>> inState(SessionState state) = 0;
    virtual StoreResult<std::map<SessionState, std::int64_t>> countByState() = 0;
};

} // namespace hoist
