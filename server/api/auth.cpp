#include "auth.h"

#include <openssl/crypto.h>

namespace hoist {

std::optional<std::string>
TokenAuthenticator::userFor(const std::optional<std::string>& authorization) const {
    static const std::string kScheme = "Bearer ";
    if (!authorization || authorization->size() <= kScheme.size() ||
        authorization->compare(0, kScheme.size(), kScheme) != 0)
        return std::nullopt;
    const std::string presented = authorization->substr(kScheme.size());
    std::optional<std::string> user;
    for (const auto& [token, userId] : m_tokens) {
        if (token.size() == presented.size() &&
            CRYPTO_memcmp(token.data(), presented.data(), token.size()) == 0)
            user = userId;
    }
    return user;
}

} // namespace hoist
