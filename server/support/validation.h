#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoist {

// Input checks shared by the handlers. Each returns an explanation of what is wrong,
// or nullopt when the value is acceptable.
std::optional<std::string> checkFileName(std::string_view name);

bool isFingerprint(std::string_view text); // 64 lowercase hex digits
bool isUuid(std::string_view text);        // canonical lowercase 8-4-4-4-12
// Strict decimal: digits only, no sign, no spaces, at most 2^53.
std::optional<std::int64_t> parseOffset(std::string_view text);
// "10485760", "10M", "1.5G" is refused; suffixes K, M, G, T are binary (KiB...).
std::optional<std::int64_t> parseByteSize(std::string_view text);

std::string newUuid();

} // namespace hoist
