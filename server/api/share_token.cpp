#include "share_token.h"

#include "crypto.h"
#include "sha256_state.h"

#include <algorithm>

namespace hoist {

namespace {
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenLength = 43; // ceil(32 * 4 / 3), unpadded

bool isBase64UrlChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}
} // namespace

std::string newShareToken() {
    std::string token = base64Encode(randomBytes(kTokenBytes));
    // RFC 4648 section 5: the URL-safe alphabet, without padding.
    std::replace(token.begin(), token.end(), '+', '-');
    std::replace(token.begin(), token.end(), '/', '_');
    token.erase(token.find_last_not_of('=') + 1);
    return token;
}

std::string shareTokenHash(std::string_view token) {
    return Sha256State::hexOf(token);
}

bool isShareToken(std::string_view text) {
    return text.size() == kTokenLength && std::all_of(text.begin(), text.end(), isBase64UrlChar);
}

} // namespace hoist
