#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>

namespace hoist {

// One PGresult, freed with it; columns read as text (bytea unescaped by blob()).
class PostgresResult final {
  public:
    explicit PostgresResult(PGresult* result) : m_result(result, &PQclear) {}

    int rows() const { return PQntuples(m_result.get()); }
    // Rows an UPDATE, INSERT or DELETE touched.
    std::int64_t affected() const;
    bool isNull(int row, int column) const { return PQgetisnull(m_result.get(), row, column); }
    std::string text(int row, int column) const;
    std::string blob(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    const PGresult* raw() const { return m_result.get(); }

    // One row, read with the same calls as a SQLite Statement's current row, so that
    // the mapping of columns to fields is written once for both engines.
    class Row final {
      public:
        Row(const PostgresResult& result, int row) : m_result(result), m_row(row) {}
        std::string text(int column) const { return m_result.text(m_row, column); }
        std::string blob(int column) const { return m_result.blob(m_row, column); }
        std::int64_t integer(int column) const { return m_result.integer(m_row, column); }

      private:
        const PostgresResult& m_result;
        int m_row;
    };
    Row row(int row) const { return Row(*this, row); }

  private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> m_result;
};

} // namespace hoist
