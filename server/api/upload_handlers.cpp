#include "upload_handlers.h"

#include "http_status.h"
#include "json_body.h"
#include "native_chunk.h"
#include "responses.h"
#include "time_format.h"

namespace hoist {

namespace {
nlohmann::json sessionJson(const Session& s) {
    nlohmann::json out{{"sessionId", s.id},
                       {"fileName", s.fileName},
                       {"size", s.size},
                       {"uploadedBytes", s.uploadedBytes},
                       {"chunkSize", s.chunkSize},
                       {"state", toString(s.state)},
                       {"expiresAt", formatRfc3339(s.expiresAt)}};
    // A tus upload whose length is not declared yet: its size is the server's bound,
    // not the file's.
    if (s.lengthDeferred) {
        out["size"] = nullptr;
        out["lengthDeferred"] = true;
    }
    if (!s.fileId.empty())
        out["fileId"] = s.fileId;
    if (s.parallelChunks > 0) {
        out["parallelChunks"] = s.parallelChunks;
        out["storedChunks"] = s.storedChunks;
    }
    return out;
}

void writeCompletion(ServerResponse& response, const Session& s) {
    if (s.state != SessionState::Completed) {
        writeJson(response, http::Accepted, {{"state", toString(s.state)}});
        return;
    }
    writeJson(response, http::Ok,
              {{"state", "completed"},
               {"fileId", s.fileId},
               {"size", s.size},
               {"fingerprint", s.fingerprint},
               {"detectedMimeType", s.detectedMimeType}});
}

template <typename T>
bool take(tl::expected<T, ApiError> field, T& out, ServerResponse& response, Metrics& metrics) {
    if (!field) {
        writeError(response, field.error(), metrics);
        return false;
    }
    out = std::move(*field);
    return true;
}

void handleInit(UploadService& uploads, const std::string& user, const ServerRequest& request,
                ServerResponse& response, Metrics& metrics) {
    const auto body = readJsonBody(request, response, metrics);
    if (!body)
        return;
    std::optional<std::string> fileName, mimeType, fingerprint;
    std::optional<std::int64_t> size, parallelChunks;
    if (!take(stringField(*body, "fileName"), fileName, response, metrics) ||
        !take(sizeField(*body, "size"), size, response, metrics) ||
        !take(sizeField(*body, "parallelChunks"), parallelChunks, response, metrics) ||
        !take(stringField(*body, "mimeType"), mimeType, response, metrics) ||
        !take(fingerprintField(*body), fingerprint, response, metrics))
        return;
    if (!fileName || !size) {
        writeError(response, makeError(ErrorCode::BadRequest, "fileName and size are required"),
                   metrics);
        return;
    }
    auto session = uploads.init(
        user, {*fileName, *size, mimeType.value_or(""), fingerprint.value_or("")}, parallelChunks);
    if (!session)
        return writeError(response, session.error(), metrics);
    nlohmann::json created{{"sessionId", session->id},
                           {"uploadedBytes", session->uploadedBytes},
                           {"chunkSize", session->chunkSize},
                           {"expiresAt", formatRfc3339(session->expiresAt)}};
    if (session->parallelChunks > 0)
        created["parallelChunks"] = session->parallelChunks;
    writeJson(response, http::Created, created);
}

void handleDedup(FileCatalog& catalog, const std::string& user, const ServerRequest& request,
                 ServerResponse& response, Metrics& metrics) {
    const auto body = readJsonBody(request, response, metrics);
    if (!body)
        return;
    std::optional<std::string> fingerprint;
    std::optional<std::int64_t> size;
    if (!take(fingerprintField(*body), fingerprint, response, metrics) ||
        !take(sizeField(*body, "size"), size, response, metrics))
        return;
    if (!fingerprint || !size) {
        writeError(response, makeError(ErrorCode::BadRequest, "fingerprint and size are required"),
                   metrics);
        return;
    }
    auto found = catalog.findByFingerprint(user, *fingerprint, *size);
    if (!found) {
        writeError(response, makeError(ErrorCode::Internal, "the file catalog failed"), metrics);
        return;
    }
    if (!*found)
        return writeJson(response, http::Ok, {{"exists", false}});
    writeJson(response, http::Ok,
              {{"exists", true}, {"fileId", (*found)->fileId}, {"fileName", (*found)->fileName}});
}
} // namespace

void registerUploadRoutes(HttpServer& server, UploadService& uploads, FileCatalog& catalog,
                          const TokenAuthenticator& auth, Metrics& metrics) {
    using Request = const ServerRequest&;
    using Response = ServerResponse&;
    const auto route = [&](const char* method, const char* pattern, UserHandler handler) {
        routeAuthenticated(server, method, pattern, auth, metrics, std::move(handler));
    };
    route("POST", "/upload/init", [&](const std::string& user, Request request, Response response) {
        handleInit(uploads, user, request, response, metrics);
    });
    route("POST", "/upload/dedup",
          [&](const std::string& user, Request request, Response response) {
              handleDedup(catalog, user, request, response, metrics);
          });
    route(
        "PUT", "/upload/([^/]+)", [&](const std::string& user, Request request, Response response) {
            const NativeChunk chunk{request.header("x-upload-offset"), request.contentLength,
                                    request.header("x-chunk-sha256"), request.readBody};
            const auto result = putNativeChunk(uploads, user, request.pathParams[0], chunk);
            if (!result)
                return writeError(response, result.error(), metrics);
            nlohmann::json body{{"uploadedBytes", result->uploadedBytes}};
            if (result->storedChunks)
                body["storedChunks"] = *result->storedChunks;
            writeJson(response, http::Ok, body);
            response.headers.emplace_back("X-Upload-Offset", std::to_string(result->uploadedBytes));
        });
    route("GET", "/upload/([^/]+)",
          [&](const std::string& user, Request request, Response response) {
              const auto session = uploads.status(user, request.pathParams[0]);
              if (!session)
                  return writeError(response, session.error(), metrics);
              if (request.method == "HEAD") {
                  response.status = http::Ok;
                  response.headers.emplace_back("X-Upload-Offset",
                                                std::to_string(session->uploadedBytes));
                  response.headers.emplace_back("Cache-Control", "no-store");
                  return;
              }
              writeJson(response, http::Ok, sessionJson(*session));
              response.headers.emplace_back("Cache-Control", "no-store");
          });
    route("DELETE", "/upload/([^/]+)",
          [&](const std::string& user, Request request, Response response) {
              const auto result = uploads.abort(user, request.pathParams[0]);
              if (!result)
                  return writeError(response, result.error(), metrics);
              response.status = http::NoContent;
          });
    route("POST", "/upload/([^/]+)/complete",
          [&](const std::string& user, Request request, Response response) {
              const auto body = readJsonBody(request, response, metrics, true);
              std::optional<std::string> fingerprint;
              if (!body || !take(fingerprintField(*body), fingerprint, response, metrics))
                  return;
              const auto session = uploads.complete(user, request.pathParams[0], fingerprint);
              if (!session)
                  return writeError(response, session.error(), metrics);
              writeCompletion(response, *session);
          });
}

} // namespace hoist
