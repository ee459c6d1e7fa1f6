#pragma once

#include "http_server.h"

#include <string>
#include <vector>

namespace hoist {

// Cross-origin access for browser tus clients (--cors-origin, docs/admin.md "tus"):
// only the listed origins (or any, for "*") may read answers; a preflight may send
// the tus request headers and Authorization.
class CorsPolicy final {
  public:
    explicit CorsPolicy(std::vector<std::string> origins) : m_origins(std::move(origins)) {}

    // Adds the headers that let an allowed Origin read this answer.
    void decorate(const ServerRequest& request, ServerResponse& response) const;
    // Adds what a preflight (OPTIONS with Access-Control-Request-Method) needs on top.
    void decoratePreflight(const ServerRequest& request, ServerResponse& response) const;

  private:
    bool allows(const std::string& origin) const;

    std::vector<std::string> m_origins;
};

} // namespace hoist
