#include "responses.h"

#include "http_status.h"
#include "json_body.h"

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

std::optional<nlohmann::json> readJsonBody(const ServerRequest& request, ServerResponse& response,
                                           Metrics& metrics, bool allowEmpty) {
    if (request.contentLength && *request.contentLength > kMaxJsonBody) {
        writeError(response,
                   makeError(ErrorCode::PayloadTooLarge, "the JSON body is larger than 64 KiB"),
                   metrics);
        return std::nullopt;
    }
    const auto body = request.readSmallBody(kMaxJsonBody);
    if (!body) {
        writeError(response, makeError(ErrorCode::BadRequest, "the body could not be read"),
                   metrics);
        return std::nullopt;
    }
    auto parsed = parseJsonObject(*body, allowEmpty);
    if (!parsed) {
        writeError(response, parsed.error(), metrics);
        return std::nullopt;
    }
    return std::move(*parsed);
}

std::optional<std::string> authenticate(const TokenAuthenticator& auth,
                                        const ServerRequest& request, ServerResponse& response,
                                        Metrics& metrics) {
    auto user = auth.userFor(request.header("authorization"));
    if (!user) {
        writeError(
            response,
            makeError(ErrorCode::Unauthorized, "a valid 'Authorization: Bearer' token is required"),
            metrics);
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    return user;
}

Admission bearerAdmission(const TokenAuthenticator& auth, Metrics& metrics) {
    return [&auth, &metrics](const ServerRequest& request, ServerResponse& response) {
        return authenticate(auth, request, response, metrics).has_value();
    };
}

void renderRefusals(HttpServer& server, Metrics& metrics) {
    server.setRefusalRenderer([&metrics](Refusal refusal, ServerResponse& response) {
        const auto [code, message] = [refusal]() -> std::pair<ErrorCode, const char*> {
            switch (refusal) {
            case Refusal::BadRequest:
                return {ErrorCode::BadRequest, "the request is malformed"};
            case Refusal::NotFound:
                return {ErrorCode::NotFound, "no such resource"};
            case Refusal::MethodNotAllowed:
                return {ErrorCode::MethodNotAllowed, "the method is not allowed here"};
            case Refusal::RequestTimeout:
                return {ErrorCode::RequestTimeout, "the request head did not arrive in time"};
            case Refusal::PayloadTooLarge:
                return {ErrorCode::PayloadTooLarge, "the request body is too large"};
            case Refusal::UriTooLong:
                return {ErrorCode::UriTooLong, "the request line is too long"};
            case Refusal::RangeNotSatisfiable:
                return {ErrorCode::RangeNotSatisfiable, "the range is not satisfiable"};
            case Refusal::UnsupportedMediaType:
                return {ErrorCode::UnsupportedMediaType, "request bodies must not be encoded"};
            case Refusal::HeaderFieldsTooLarge:
                return {ErrorCode::RequestHeaderFieldsTooLarge,
                        "too many or too large header fields"};
            case Refusal::Internal:
                return {ErrorCode::Internal, "internal server error"};
            }
            return {ErrorCode::Internal, "internal server error"};
        }();
        writeError(response, makeError(code, message), metrics);
    });
}

HttpHandler authenticated(const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler) {
    return [&auth, &metrics, handler = std::move(handler)](const ServerRequest& request,
                                                           ServerResponse& response) {
        if (const auto user = authenticate(auth, request, response, metrics))
            handler(*user, request, response);
    };
}

void routeAuthenticated(HttpServer& server, const std::string& method, const std::string& pattern,
                        const TokenAuthenticator& auth, Metrics& metrics, UserHandler handler) {
    server.route(method, pattern, authenticated(auth, metrics, std::move(handler)),
                 bearerAdmission(auth, metrics));
}

} // namespace hoist
