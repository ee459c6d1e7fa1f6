#include "postgres_result.h"

#include <cstdlib>

namespace hoist {

std::int64_t PostgresResult::affected() const {
    return std::strtoll(PQcmdTuples(m_result.get()), nullptr, 10);
}

std::string PostgresResult::text(int row, int column) const {
    return std::string(PQgetvalue(m_result.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(m_result.get(), row, column)));
}

std::string PostgresResult::blob(int row, int column) const {
    std::size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(m_result.get(), row, column)), &length);
    if (!bytes)
        return {};
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
}

std::int64_t PostgresResult::integer(int row, int column) const {
    return std::strtoll(PQgetvalue(m_result.get(), row, column), nullptr, 10);
}

} // namespace hoist
