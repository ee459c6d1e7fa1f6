#pragma once

#include <tl/expected.hpp>

#include <string>

namespace hoist {

class PostgresDatabase;
class SqliteDatabase;

// Why the schema could not be brought to this binary's version.
struct SchemaError {
    enum class Kind {
        TooNew, // written by a newer hoistd: this binary must not touch it (exit status 2)
        Failed, // the database refused a step or could not be reached
    };
    Kind kind = Kind::Failed;
    std::string message;
};

// The versioned schema of every durable record (sessions, chunk receipts, the file
// library, and on PostgreSQL the session leases and the keys shared by all nodes),
// applied at start-up in order, each step at most once, in one transaction with its
// version. On PostgreSQL an advisory lock held for that transaction makes nodes that
// start at once on an empty database take turns: the first applies, the others find
// the work done (docs/admin.md, "Running several nodes").
class SchemaMigrator final {
  public:
    static int latestVersion();
    static tl::expected<void, SchemaError> migrate(SqliteDatabase& db);
    static tl::expected<void, SchemaError> migrate(PostgresDatabase& db);
};

} // namespace hoist
