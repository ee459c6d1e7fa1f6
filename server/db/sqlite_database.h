#pragma once

#include <sqlite3.h>
#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace hoist {

// One SQLite connection shared by the stores, serialized by a mutex. Writes are few
// (one short transaction per chunk), so one connection is simpler and as fast as a
// pool; WAL with synchronous=FULL makes every commit durable before it returns.
class SqliteDatabase final {
  public:
    static tl::expected<std::unique_ptr<SqliteDatabase>, std::string> open(const std::string& path);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    std::unique_lock<std::mutex> lock() { return std::unique_lock(m_mutex); }
    sqlite3* handle() const { return m_db; }
    // Runs SQL without results; the error text on failure. Caller holds lock().
    tl::expected<void, std::string> exec(const std::string& sql);
    std::string lastError() const;

  private:
    explicit SqliteDatabase(sqlite3* db) : m_db(db) {}
    sqlite3* m_db;
    std::mutex m_mutex;
};

// A prepared statement with positional binding (1-based, as SQLite counts).
class Statement final {
  public:
    Statement(SqliteDatabase& db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return m_stmt != nullptr; }
    Statement& bind(int index, const std::string& text);
    Statement& bind(int index, std::int64_t value);
    Statement& bindBlob(int index, const std::string& bytes);
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    std::string text(int column) const;
    std::string blob(int column) const;
    std::int64_t integer(int column) const;

  private:
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() succeeded.
class Transaction final {
  public:
    explicit Transaction(SqliteDatabase& db);
    ~Transaction();
    bool begun() const { return m_begun; }
    tl::expected<void, std::string> commit();

  private:
    SqliteDatabase& m_db;
    bool m_begun = false;
    bool m_done = false;
};

} // namespace hoist
