#include "cors_policy.h"

#include <algorithm>

namespace hoist {

namespace {
constexpr const char* kExposed = "Location, Upload-Offset, Upload-Length, Upload-Defer-Length, "
                                 "Upload-Expires, "
                                 "Upload-Metadata, Upload-Concat, Tus-Resumable, Tus-Version, "
                                 "Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm";
constexpr const char* kAllowedHeaders =
    "Authorization, Content-Type, Tus-Resumable, Upload-Length, Upload-Offset, "
    "Upload-Metadata, Upload-Checksum, Upload-Concat, Upload-Defer-Length, X-Requested-With, "
    "X-HTTP-Method-Override";
constexpr const char* kAllowedMethods = "POST, HEAD, PATCH, DELETE, OPTIONS";
} // namespace

bool CorsPolicy::allows(const std::string& origin) const {
    return std::any_of(m_origins.begin(), m_origins.end(), [&](const std::string& allowed) {
        return allowed == "*" || allowed == origin;
    });
}

void CorsPolicy::decorate(const ServerRequest& request, ServerResponse& response) const {
    const auto origin = request.header("origin");
    if (!origin || !allows(*origin))
        return;
    // The origin itself, never "*": answers carry a bearer-authenticated user's data.
    response.headers.emplace_back("Access-Control-Allow-Origin", *origin);
    response.headers.emplace_back("Vary", "Origin");
    response.headers.emplace_back("Access-Control-Expose-Headers", kExposed);
}

void CorsPolicy::decoratePreflight(const ServerRequest& request, ServerResponse& response) const {
    const auto origin = request.header("origin");
    if (!origin || !allows(*origin) || !request.header("access-control-request-method"))
        return;
    response.headers.emplace_back("Access-Control-Allow-Methods", kAllowedMethods);
    response.headers.emplace_back("Access-Control-Allow-Headers", kAllowedHeaders);
    response.headers.emplace_back("Access-Control-Max-Age", "86400");
}

} // namespace hoist
