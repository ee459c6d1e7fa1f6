#pragma once

#include <cstdint>
#include <string>

namespace hoist {

std::int64_t nowSeconds();
// "2026-11-25T10:09:43Z"
std::string formatRfc3339(std::int64_t unixSeconds);

} // namespace hoist
