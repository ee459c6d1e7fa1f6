#pragma once

#include <tl/expected.hpp>

#include <string>

namespace hoist {

// What went wrong in a store (sessions or file catalog), as data: callers decide by
// kind, never by message text (docs/protocol.md maps Unavailable to 503).
struct StoreError {
    enum class Kind {
        Unavailable, // transient: busy or unreachable database; retrying may help
        Conflict,    // a compare-and-swap lost: the row is not in the state the caller expected
        NotFound,    // the row the call names does not exist
        Fatal,       // anything else (corrupt database, schema mismatch, misconfiguration)
    };
    Kind kind = Kind::Fatal;
    std::string message;
};

template <typename T> using StoreResult = tl::expected<T, StoreError>;

} // namespace hoist
