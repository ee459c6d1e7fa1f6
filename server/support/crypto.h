#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hoist {

// HMAC-SHA256 of data under key, as raw bytes.
std::string hmacSha256(std::string_view key, std::string_view data);
std::string toHex(std::string_view bytes);
std::string base64Encode(std::string_view bytes);
// Standard alphabet with padding; nullopt for anything else.
std::optional<std::string> base64Decode(std::string_view text);
// Constant-time equality, for comparing secrets and signatures.
bool secureEquals(std::string_view a, std::string_view b);
std::string randomBytes(std::size_t count);

} // namespace hoist
