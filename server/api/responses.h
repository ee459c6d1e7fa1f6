#pragma once

#include "api_error.h"
#include "auth.h"
#include "http_server.h"
#include "metrics.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace hoist {

void writeJson(ServerResponse& response, int status, const nlohmann::json& body);
// The error JSON of PROTOCOL.md, plus X-Upload-Offset beside an uploadedBytes field.
void writeError(ServerResponse& response, const ApiError& error, Metrics& metrics);

// The user of the request's bearer token; otherwise answers 401 and returns nullopt.
// Runs before any body is read (DESIGN: authenticate first).
std::optional<std::string> authenticate(const TokenAuthenticator& auth, const ServerRequest& request,
                                        ServerResponse& response, Metrics& metrics);

using UserHandler =
    std::function<void(const std::string& user, const ServerRequest&, ServerResponse&)>;
// A route handler that authenticates first and hands the user to `handler`.
HttpHandler authenticated(const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler);

} // namespace hoist
