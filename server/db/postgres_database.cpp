#include "postgres_database.h"

#include <cstring>

namespace hoist {

namespace {

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// SQLSTATE classes that say "try again": the connection or the server is going away
// or starting (08, 57P0x), too many connections (53300), or a transaction lost a
// serialization race (40001, 40P01).
bool isTransient(const std::string& state) {
    return state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0 || state == "53300" ||
           state == "40001" || state == "40P01";
}

StoreError errorOf(PGconn* connection, const PGresult* result, const std::string& what) {
    const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string state = field ? field : "";
    auto kind = StoreError::Kind::Fatal;
    if (PQstatus(connection) != CONNECTION_OK || isTransient(state))
        kind = StoreError::Kind::Unavailable;
    else if (state == "23505")
        kind = StoreError::Kind::Conflict;
    const char* message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
    return StoreError{kind, what + ": " + trimmed(message)};
}

} // namespace

StoreResult<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(Options options) {
    std::unique_ptr<PostgresDatabase> pool(new PostgresDatabase(std::move(options)));
    auto first = pool->acquire();
    if (!first)
        return tl::unexpected(first.error());
    return pool;
}

PostgresDatabase::~PostgresDatabase() {
    for (PGconn* connection : m_idle)
        PQfinish(connection);
}

StoreResult<PGconn*> PostgresDatabase::connect() {
    // Our defaults come first: whatever the operator's URL says wins over them.
    // Notices ("already exists, skipping") are not for the operator's log.
    const char* keywords[] = {"connect_timeout", "application_name", "options", "dbname", nullptr};
    const char* values[] = {"5", "hoistd", "-c client_min_messages=warning", m_options.url.c_str(),
                            nullptr};
    PGconn* connection = PQconnectdbParams(keywords, values, 1);
    m_up = PQstatus(connection) == CONNECTION_OK;
    if (PQstatus(connection) != CONNECTION_OK) {
        StoreError error{StoreError::Kind::Unavailable,
                         "cannot connect to the database: " + trimmed(PQerrorMessage(connection))};
        PQfinish(connection);
        return tl::unexpected(error);
    }
    return connection;
}

StoreResult<PostgresDatabase::Connection> PostgresDatabase::acquire() {
    std::unique_lock lock(m_mutex);
    const bool free = m_freed.wait_for(lock, m_options.acquireTimeout, [this] {
        return !m_idle.empty() || m_open < m_options.maxConnections;
    });
    if (!free) {
        ++m_acquireTimeouts;
        return tl::unexpected(StoreError{StoreError::Kind::Unavailable,
                                         "every database connection is busy (" +
                                             std::to_string(m_options.maxConnections) + ")"});
    }
    if (!m_idle.empty()) {
        PGconn* connection = m_idle.back();
        m_idle.pop_back();
        return Connection(*this, connection);
    }
    ++m_open;
    lock.unlock();
    auto made = connect();
    if (!made) {
        lock.lock();
        --m_open;
        m_freed.notify_one();
        return tl::unexpected(made.error());
    }
    return Connection(*this, *made);
}

StoreResult<PostgresResult> PostgresDatabase::exec(const char* sql, const PostgresParams& params) {
    auto connection = acquire();
    if (!connection)
        return tl::unexpected(connection.error());
    return connection->exec(sql, params);
}

PostgresDatabase::Stats PostgresDatabase::stats() const {
    std::lock_guard lock(m_mutex);
    return Stats{m_idle.size(), m_open - m_idle.size(), m_options.maxConnections, m_up,
                 m_acquireTimeouts};
}

std::string PostgresDatabase::problem() {
    std::lock_guard lock(m_probeMutex);
    const auto now = std::chrono::steady_clock::now();
    if (m_probed && now - m_probedAt < std::chrono::seconds(1))
        return m_problem;
    auto answered = exec("SELECT 1");
    m_problem = answered ? std::string() : answered.error().message;
    m_probed = true;
    m_probedAt = now;
    return m_problem;
}

void PostgresDatabase::giveBack(PGconn* connection) {
    if (PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) != PQTRANS_IDLE) {
        PostgresResult rolledBack(PQexec(connection, "ROLLBACK"));
        (void)rolledBack;
    }
    const bool healthy =
        PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE;
    if (!healthy)
        PQfinish(connection);
    m_up = healthy;
    std::lock_guard lock(m_mutex);
    if (healthy)
        m_idle.push_back(connection);
    else
        --m_open;
    m_freed.notify_one();
}

PostgresDatabase::Connection::Connection(Connection&& other) noexcept
    : m_pool(other.m_pool), m_connection(other.m_connection) {
    other.m_connection = nullptr;
}

PostgresDatabase::Connection::~Connection() {
    if (m_connection)
        m_pool->giveBack(m_connection);
}

StoreResult<PostgresResult> PostgresDatabase::Connection::exec(const char* sql,
                                                               const PostgresParams& params) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const PostgresParam& param : params) {
        values.push_back(param.value.data());
        lengths.push_back(static_cast<int>(param.value.size()));
        formats.push_back(param.binary ? 1 : 0);
    }
    PostgresResult result(PQexecParams(m_connection, sql, static_cast<int>(params.size()), nullptr,
                                       values.data(), lengths.data(), formats.data(), 0));
    const PGresult* raw = result.raw();
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return tl::unexpected(errorOf(m_connection, raw, "database"));
    return result;
}

StoreResult<void> PostgresDatabase::Connection::script(const char* sql) {
    PostgresResult result(PQexec(m_connection, sql));
    const PGresult* raw = result.raw();
    if (!raw || PQresultStatus(raw) != PGRES_COMMAND_OK)
        return tl::unexpected(errorOf(m_connection, raw, "database"));
    return {};
}

StoreResult<void> PostgresDatabase::Connection::begin() {
    auto begun = exec("BEGIN");
    if (!begun)
        return tl::unexpected(begun.error());
    return {};
}

StoreResult<void> PostgresDatabase::Connection::commit() {
    auto committed = exec("COMMIT");
    if (!committed)
        return tl::unexpected(committed.error());
    return {};
}

} // namespace hoist
