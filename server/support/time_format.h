#pragma once

#include <cstdint>
#include <string>

namespace hoist {

std::int64_t nowSeconds();
// "2026-11-25T10:09:43Z"
std::string formatRfc3339(std::int64_t unixSeconds);
// RFC 9110's IMF-fixdate: "Wed, 25 Nov 2026 10:09:43 GMT" (tus's Upload-Expires).
std::string formatHttpDate(std::int64_t unixSeconds);

} // namespace hoist
