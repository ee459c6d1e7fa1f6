#pragma once

#include "postgres_result.h"
#include "store_error.h"

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hoist {

// One statement parameter: text, or raw bytes sent in binary form (bytea).
struct PostgresParam {
    std::string value;
    bool binary = false;

    static PostgresParam text(std::string value) { return {std::move(value), false}; }
    static PostgresParam integer(std::int64_t value) { return {std::to_string(value), false}; }
    static PostgresParam bytes(std::string value) { return {std::move(value), true}; }
};
using PostgresParams = std::vector<PostgresParam>;

// A bounded pool of libpq connections to one PostgreSQL database, shared by the
// stores of one hoistd node. Connections are made on demand up to the bound and
// handed to one thread at a time; one that broke (the server restarted, the network
// dropped) is closed when it comes back and a fresh one is made on the next demand,
// so the pool recovers by itself. A database that cannot be reached is
// StoreError::Unavailable (503 with Retry-After, docs/protocol.md), never a crash.
class PostgresDatabase final {
  public:
    struct Options {
        std::string url; // libpq connection URI or key=value string (sslmode etc. honoured)
        std::size_t maxConnections = 16;
        // How long a request waits for a free connection before answering 503.
        std::chrono::milliseconds acquireTimeout{5000};
    };

    // A connection borrowed from the pool, returned when destroyed (rolled back
    // first if a transaction is still open).
    class Connection final {
      public:
        Connection(Connection&& other) noexcept;
        Connection& operator=(Connection&&) = delete;
        ~Connection();

        StoreResult<PostgresResult> exec(const char* sql, const PostgresParams& params = {});
        // Several statements without parameters (schema steps).
        StoreResult<void> script(const char* sql);
        // BEGIN; the transaction is rolled back unless commit() succeeds.
        StoreResult<void> begin();
        StoreResult<void> commit();

      private:
        friend class PostgresDatabase;
        Connection(PostgresDatabase& pool, PGconn* connection)
            : m_pool(&pool), m_connection(connection) {}
        PostgresDatabase* m_pool;
        PGconn* m_connection;
    };

    // Connects once to prove the URL and the credentials.
    static StoreResult<std::unique_ptr<PostgresDatabase>> open(Options options);
    ~PostgresDatabase();
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    // What /metrics shows of the pool (docs/protocol.md, "Metrics"), from memory.
    struct Stats {
        std::size_t idle = 0;
        std::size_t busy = 0; // borrowed, or being connected
        std::size_t limit = 0;
        // As last seen by the pool: the last connection made or given back was sound.
        bool up = false;
        std::uint64_t acquireTimeouts = 0; // requests that found every connection busy
    };

    StoreResult<Connection> acquire();
    Stats stats() const;
    // Empty when the database answers; otherwise why not, for /healthz and /readyz.
    // Kept for a second, so a flood of probes is not a flood of queries.
    std::string problem();
    // One statement on a connection of the pool (its own transaction).
    StoreResult<PostgresResult> exec(const char* sql, const PostgresParams& params = {});

  private:
    explicit PostgresDatabase(Options options) : m_options(std::move(options)) {}
    StoreResult<PGconn*> connect();
    void giveBack(PGconn* connection);

    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_freed;
    std::vector<PGconn*> m_idle;
    std::size_t m_open = 0; // idle + borrowed + being made
    std::atomic<bool> m_up{false};
    std::atomic<std::uint64_t> m_acquireTimeouts{0};
    std::mutex m_probeMutex;
    std::chrono::steady_clock::time_point m_probedAt;
    bool m_probed = false;
    std::string m_problem;
};

} // namespace hoist
