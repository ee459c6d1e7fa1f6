#pragma once

#include "auth.h"
#include "cors_policy.h"
#include "http_server.h"
#include "metrics.h"
#include "upload_concatenator.h"
#include "upload_service.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hoist {

struct TusOptions {
    std::int64_t maxSize = 0; // Tus-Max-Size, and the longest body a request may carry
    std::string publicUrl;    // base of Location; empty: the scheme and Host the client used
    bool tls = false;         // the scheme when Host decides
    std::vector<std::string> corsOrigins;
};

// hoistd's tus 1.0.0 face under /tus/ (docs/protocol.md, "tus 1.0.0"): the same
// sessions as the native face, one per tus upload (its id is the session id). It parses
// tus headers into UploadService calls and renders the answers; PATCH bytes are kept
// as they arrive (AppendRequest::keepPartial), and an upload that reaches its length
// is completed as a native one is. A final upload (concatenation) is made by
// UploadConcatenator within its creation request.
class TusHandlers final {
  public:
    TusHandlers(UploadService& uploads, UploadConcatenator& concatenator,
                const TokenAuthenticator& auth, Metrics& metrics, TusOptions options);

    void registerRoutes(HttpServer& server);

  private:
    // Tus-Resumable first (412), then the bearer token (401): both on the head.
    bool admit(const ServerRequest& request, ServerResponse& response);
    // Authenticated and decorated (Tus-Resumable, Upload-Offset on 409, CORS).
    HttpHandler face(void (TusHandlers::*handler)(const std::string&, const ServerRequest&,
                                                  ServerResponse&));
    void decorate(const ServerRequest& request, ServerResponse& response) const;
    void fail(ServerResponse& response, ApiError error);

    void options(const ServerRequest& request, ServerResponse& response);
    void create(const std::string& user, const ServerRequest& request, ServerResponse& response);
    void head(const std::string& user, const ServerRequest& request, ServerResponse& response);
    void patch(const std::string& user, const ServerRequest& request, ServerResponse& response);
    void terminate(const std::string& user, const ServerRequest& request, ServerResponse& response);

    // The bytes of a PATCH (or a creation's body) at `offset`, after the upload's length
    // when the PATCH declares it (creation-defer-length); the session after them,
    // completed when they were its last.
    ApiResult<Session> append(const std::string& user, const std::string& id, std::int64_t offset,
                              const ServerRequest& request,
                              std::optional<std::int64_t> declaredLength = std::nullopt);
    // Completes an upload whose bytes are all there (after the last PATCH, or on a HEAD
    // when an earlier completion failed midway).
    ApiResult<Session> completeIfFull(const std::string& user, Session session);
    std::string location(const ServerRequest& request, const std::string& id) const;
    // Upload-Concat of a partial or final upload as HEAD answers it; empty for others.
    std::string concatHeader(const ServerRequest& request, const Session& session) const;

    UploadService& m_uploads;
    UploadConcatenator& m_concatenator;
    const TokenAuthenticator& m_auth;
    Metrics& m_metrics;
    TusOptions m_options;
    CorsPolicy m_cors;
};

} // namespace hoist
