#include "file_handlers.h"

#include "byte_range.h"
#include "http_status.h"
#include "responses.h"
#include "time_format.h"

namespace hoist {

namespace {
nlohmann::json fileJson(const FileRecord& f) {
    return {{"fileId", f.fileId},
            {"fileName", f.fileName},
            {"size", f.size},
            {"fingerprint", f.fingerprint},
            {"mimeType", f.mimeType},
            {"detectedMimeType", f.detectedMimeType},
            {"createdAt", formatRfc3339(f.createdAt)}};
}

} // namespace

std::optional<FileRecord> findFile(FileCatalog& catalog, const std::string& user,
                                   const std::string& fileId, ServerResponse& response,
                                   Metrics& metrics) {
    auto found = catalog.find(user, fileId);
    if (!found) {
        writeError(response, makeError(ErrorCode::Internal, "the file catalog failed"), metrics);
        return std::nullopt;
    }
    if (!*found)
        writeError(response, makeError(ErrorCode::NotFound, "no such file"), metrics);
    return *found;
}

void forbidCaching(ServerResponse& response) {
    response.headers.emplace_back("Cache-Control", "no-store");
}

void streamObject(ServerResponse& response, StorageBackend& backend, const std::string& key,
                  std::int64_t size, const std::optional<std::string>& rangeHeader,
                  const std::string& contentType) {
    const RangeRequest range = parseRange(rangeHeader, size);
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (range.kind == RangeRequest::Kind::Unsatisfiable) {
        writeJson(response, httpStatus(ErrorCode::RangeNotSatisfiable),
                  makeError(ErrorCode::RangeNotSatisfiable,
                            "the range lies outside the file's " + std::to_string(size) + " bytes")
                      .body());
        response.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return;
    }
    ByteRange span{0, size - 1};
    response.status = http::Ok;
    if (range.kind == RangeRequest::Kind::Partial) {
        span = range.range;
        response.status = http::PartialContent;
        response.headers.emplace_back("Content-Range", "bytes " + std::to_string(span.first) + "-" +
                                                           std::to_string(span.last) + "/" +
                                                           std::to_string(size));
    }
    response.contentType = contentType;
    if (size == 0)
        return;
    response.streamLength = span.length();
    const std::int64_t base = span.first;
    response.stream = [&backend, key, base](std::int64_t offset, std::int64_t length,
                                            const ByteSink& sink) {
        return backend
            .readObject(
                key, base + offset, length,
                [&sink](std::span<const char> bytes) { return sink(bytes.data(), bytes.size()); })
            .has_value();
    };
}

void registerFileRoutes(HttpServer& server, FileCatalog& catalog, StorageBackend& backend,
                        const TokenAuthenticator& auth, Metrics& metrics, Logger& logger) {
    using Request = const ServerRequest&;
    using Response = ServerResponse&;
    const auto route = [&](const char* method, const char* pattern, UserHandler handler) {
        routeAuthenticated(server, method, pattern, auth, metrics,
                           [handler = std::move(handler)](const std::string& user, Request request,
                                                          Response response) {
                               forbidCaching(response);
                               handler(user, request, response);
                           });
    };
    route("GET", "/files", [&](const std::string& user, Request, Response response) {
        auto files = catalog.list(user);
        if (!files)
            return writeError(response, makeError(ErrorCode::Internal, "the file catalog failed"),
                              metrics);
        nlohmann::json list = nlohmann::json::array();
        for (const auto& f : *files)
            list.push_back(fileJson(f));
        writeJson(response, http::Ok, {{"files", list}});
    });
    route(
        "GET", "/files/([^/]+)", [&](const std::string& user, Request request, Response response) {
            if (const auto file = findFile(catalog, user, request.pathParams[0], response, metrics))
                writeJson(response, http::Ok, fileJson(*file));
        });
    route("GET", "/files/([^/]+)/content",
          [&](const std::string& user, Request request, Response response) {
              const auto file = findFile(catalog, user, request.pathParams[0], response, metrics);
              if (!file)
                  return;
              streamObject(response, backend, file->storageKey, file->size, request.header("range"),
                           file->detectedMimeType.empty() ? "application/octet-stream"
                                                          : file->detectedMimeType);
              response.headers.emplace_back("ETag", "\"" + file->fingerprint + "\"");
          });
    route("DELETE", "/files/([^/]+)",
          [&](const std::string& user, Request request, Response response) {
              const auto file = findFile(catalog, user, request.pathParams[0], response, metrics);
              if (!file)
                  return;
              if (auto ok = catalog.remove(user, file->fileId); !ok)
                  return writeError(
                      response, makeError(ErrorCode::Internal, "the file catalog failed"), metrics);
              if (auto ok = backend.removeObject(file->storageKey); !ok)
                  logger.warn("file " + file->fileId + ": " + ok.error().message);
              logger.info("file " + file->fileId + " deleted by its user");
              response.status = http::NoContent;
          });
}

} // namespace hoist
