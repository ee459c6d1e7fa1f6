#include "sqlite_database.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace hoist {

tl::expected<std::unique_ptr<SqliteDatabase>, std::string>
SqliteDatabase::open(const std::string& path) {
    // Created owner-only before SQLite sees it: SQLite gives the -wal and -shm files the
    // database's mode, so none of them is ever readable by others (docs/admin.md,
    // "Security"), not even between creation and a chmod.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return tl::unexpected("cannot open database " + path + ": " + std::strerror(errno));
    ::close(fd);
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return tl::unexpected("cannot open database " + path + ": " + message);
    }
    std::unique_ptr<SqliteDatabase> out(new SqliteDatabase(db));
    sqlite3_busy_timeout(db, 5000);
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto ok = out->exec(pragma); !ok)
            return tl::unexpected("cannot set up database " + path + ": " + ok.error());
    }
    return out;
}

SqliteDatabase::~SqliteDatabase() {
    sqlite3_close(m_db);
}

tl::expected<void, std::string> SqliteDatabase::exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown SQLite error";
        sqlite3_free(error);
        return tl::unexpected(message);
    }
    return {};
}

std::string SqliteDatabase::lastError() const {
    return sqlite3_errmsg(m_db);
}

Statement::Statement(SqliteDatabase& db, const char* sql) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        m_stmt = nullptr;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, const std::string& text) {
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bindBlob(int index, const std::string& bytes) {
    sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

int Statement::step() {
    return m_stmt ? sqlite3_step(m_stmt) : SQLITE_ERROR;
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

std::string Statement::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

Transaction::Transaction(SqliteDatabase& db) : m_db(db) {
    m_begun = db.exec("BEGIN IMMEDIATE").has_value();
}

Transaction::~Transaction() {
    if (m_begun && !m_done)
        (void)m_db.exec("ROLLBACK");
}

tl::expected<void, std::string> Transaction::commit() {
    m_done = true;
    auto ok = m_db.exec("COMMIT");
    if (!ok)
        (void)m_db.exec("ROLLBACK");
    return ok;
}

} // namespace hoist
