#pragma once

#include <map>
#include <optional>
#include <string>

namespace hoist {

// Maps bearer tokens to user ids. Comparison runs in constant time per token, so
// response timing does not leak how much of a guessed token was right.
class TokenAuthenticator final {
  public:
    explicit TokenAuthenticator(std::map<std::string, std::string> tokens)
        : m_tokens(std::move(tokens)) {}

    // The user behind an Authorization header value, if it is "Bearer <known token>".
    std::optional<std::string> userFor(const std::optional<std::string>& authorization) const;

  private:
    std::map<std::string, std::string> m_tokens;
};

} // namespace hoist
