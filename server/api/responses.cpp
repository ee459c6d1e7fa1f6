#include "responses.h"

#include "http_status.h"

namespace hoist {

void writeJson(ServerResponse& response, int status, const nlohmann::json& body) {
    response.setJson(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void writeError(ServerResponse& response, const ApiError& error, Metrics& metrics) {
    metrics.countError(wireCode(error.code));
    writeJson(response, httpStatus(error.code), error.body());
    if (error.code == ErrorCode::Unavailable)
        response.headers.emplace_back("Retry-After", "1");
    if (const auto it = error.extra.find("uploadedBytes"); it != error.extra.end())
        response.headers.emplace_back("X-Upload-Offset", std::to_string(it->get<std::int64_t>()));
}

std::optional<std::string> authenticate(const TokenAuthenticator& auth, const ServerRequest& request,
                                        ServerResponse& response, Metrics& metrics) {
    auto user = auth.userFor(request.header("authorization"));
    if (!user) {
        writeError(response,
                   makeError(ErrorCode::Unauthorized, "a valid 'Authorization: Bearer' token is required"),
                   metrics);
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    return user;
}

HttpHandler authenticated(const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler) {
    return [&auth, &metrics, handler = std::move(handler)](const ServerRequest& request,
                                                           ServerResponse& response) {
        if (const auto user = authenticate(auth, request, response, metrics))
            handler(*user, request, response);
    };
}

} // namespace hoist
