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
// The error JSON of docs/protocol.md, plus X-Upload-Offset beside an uploadedBytes field.
void writeError(ServerResponse& response, const ApiError& error, Metrics& metrics);

// Reads a small JSON object body (docs/protocol.md: at most 64 KiB); answers the error
// itself and returns nullopt when it cannot. An empty body is {} when allowEmpty.
std::optional<nlohmann::json> readJsonBody(const ServerRequest& request, ServerResponse& response,
                                           Metrics& metrics, bool allowEmpty = false);

// The user of the request's bearer token; otherwise answers 401 and returns nullopt.
// Runs before any body is read (DESIGN: authenticate first).
std::optional<std::string> authenticate(const TokenAuthenticator& auth,
                                        const ServerRequest& request, ServerResponse& response,
                                        Metrics& metrics);

// The bearer-token check as an admission: it runs on the request head, so a bad token
// is answered 401 before "100 Continue" and before any body byte is read.
Admission bearerAdmission(const TokenAuthenticator& auth, Metrics& metrics);
// Renders the HTTP layer's own refusals through the error table, counted in metrics.
void renderRefusals(HttpServer& server, Metrics& metrics);

using UserHandler =
    std::function<void(const std::string& user, const ServerRequest&, ServerResponse&)>;
// A route handler that authenticates first and hands the user to `handler`.
HttpHandler authenticated(const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler);
// Registers an authenticated route: the token is checked on the head (bearerAdmission)
// and the user handed to `handler`.
void routeAuthenticated(HttpServer& server, const std::string& method, const std::string& pattern,
                        const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler);

} // namespace hoist
