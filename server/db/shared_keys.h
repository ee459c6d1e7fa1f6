#pragma once

#include "postgres_database.h"

#include <string>

namespace hoist {

// Secrets every node must agree on (the key behind capability links), kept in the
// shared database: the first node to start stores its candidate, every node reads the
// stored one, so a link made by one node verifies on every other.
class SharedKeys final {
  public:
    static StoreResult<std::string> get(PostgresDatabase& db, const std::string& name,
                                        const std::string& candidate);
};

} // namespace hoist
