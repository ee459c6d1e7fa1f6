#pragma once

#include <string>
#include <string_view>

namespace hoist {

// The secret of a share link's URL (docs/protocol.md, "Share links"): 256 random bits
// as 43 characters of unpadded base64url, so it fits a path segment unescaped.
std::string newShareToken();
// What the store keeps instead of the token: its lowercase hex SHA-256. A token has
// 256 bits of entropy, so a plain hash cannot be reversed by guessing.
std::string shareTokenHash(std::string_view token);
// Whether `text` has a token's shape; anything else is a 404 without a lookup.
bool isShareToken(std::string_view text);

} // namespace hoist
