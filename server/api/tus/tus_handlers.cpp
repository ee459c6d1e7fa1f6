#include "tus_handlers.h"

#include "http_status.h"
#include "responses.h"
#include "time_format.h"
#include "tus_headers.h"
#include "validation.h"

namespace hoist {

namespace {
constexpr const char* kOffsetStream = "application/offset+octet-stream";
constexpr const char* kExtensions = "creation,creation-with-upload,termination,expiration,checksum";
constexpr const char* kChecksumAlgorithms = "sha1,md5,sha256";
// A tus upload without a filename in its metadata still needs a valid file name.
constexpr const char* kDefaultFileName = "upload";

ApiError badRequest(std::string message) {
    return makeError(ErrorCode::BadRequest, std::move(message));
}

std::string metadataValue(const std::map<std::string, std::string>& metadata, const char* key,
                          const char* alias) {
    if (const auto it = metadata.find(key); it != metadata.end())
        return it->second;
    if (const auto it = metadata.find(alias); it != metadata.end())
        return it->second;
    return {};
}

// The client's digest of the body, when it sent one; a problem is a 400.
tl::expected<std::optional<Digest>, ApiError> checksumOf(const ServerRequest& request) {
    const auto header = request.header("upload-checksum");
    if (!header)
        return std::optional<Digest>();
    auto digest = tus::parseChecksum(*header);
    if (!digest)
        return tl::unexpected(badRequest(digest.error().message));
    return std::optional<Digest>(std::move(*digest));
}

// Bytes of a tus request body must say what they are (tus 1.0.0: PATCH and the body of
// creation-with-upload).
std::optional<ApiError> checkOffsetStream(const ServerRequest& request) {
    if (request.header("content-type") == kOffsetStream)
        return std::nullopt;
    return makeError(ErrorCode::UnsupportedMediaType,
                     std::string("tus bytes need Content-Type: ") + kOffsetStream);
}

void putOffsetHeaders(ServerResponse& response, const Session& session) {
    response.headers.emplace_back("Upload-Offset", std::to_string(session.uploadedBytes));
    response.headers.emplace_back("Upload-Expires", formatHttpDate(session.expiresAt));
}
} // namespace

TusHandlers::TusHandlers(UploadService& uploads, const TokenAuthenticator& auth, Metrics& metrics,
                         TusOptions options)
    : m_uploads(uploads), m_auth(auth), m_metrics(metrics), m_options(std::move(options)),
      m_cors(m_options.corsOrigins) {}

void TusHandlers::registerRoutes(HttpServer& server) {
    const std::string collection = "/tus/?";
    const std::string upload = "/tus/([^/]+)";
    const auto admission = [this](const ServerRequest& request, ServerResponse& response) {
        return admit(request, response);
    };
    const auto options = [this](const ServerRequest& request, ServerResponse& response) {
        this->options(request, response);
    };
    // Preflights carry no token (browsers never send one), so OPTIONS is open.
    server.route("OPTIONS", collection, options);
    server.route("OPTIONS", upload, options);
    server.route("POST", collection, face(&TusHandlers::create), admission, m_options.maxSize);
    server.route("GET", upload, face(&TusHandlers::head), admission);
    server.route("PATCH", upload, face(&TusHandlers::patch), admission, m_options.maxSize);
    server.route("DELETE", upload, face(&TusHandlers::terminate), admission);
}

void TusHandlers::decorate(const ServerRequest& request, ServerResponse& response) const {
    response.headers.emplace_back("Tus-Resumable", tus::kVersion);
    // A 409 tells where the upload is, in tus's header as well as ours.
    for (const auto& [name, value] : response.headers) {
        if (name == "X-Upload-Offset") {
            response.headers.emplace_back("Upload-Offset", value);
            break;
        }
    }
    m_cors.decorate(request, response);
}

void TusHandlers::fail(ServerResponse& response, ApiError error) {
    if (error.code == ErrorCode::NotFound && error.expired)
        error.code = ErrorCode::Gone;
    if (error.code == ErrorCode::ChecksumMismatch)
        error.code = ErrorCode::TusChecksumMismatch;
    writeError(response, error, m_metrics);
}

bool TusHandlers::admit(const ServerRequest& request, ServerResponse& response) {
    if (request.header("tus-resumable") != tus::kVersion) {
        writeError(response,
                   makeError(ErrorCode::UnsupportedVersion, std::string("this server speaks tus ") +
                                                                tus::kVersion + " (Tus-Resumable)"),
                   m_metrics);
        response.headers.emplace_back("Tus-Version", tus::kVersion);
        decorate(request, response);
        return false;
    }
    const bool known = authenticate(m_auth, request, response, m_metrics).has_value();
    if (!known)
        decorate(request, response);
    return known;
}

HttpHandler TusHandlers::face(void (TusHandlers::*handler)(const std::string&, const ServerRequest&,
                                                           ServerResponse&)) {
    auto inner = authenticated(
        m_auth, m_metrics,
        [this, handler](const std::string& user, const ServerRequest& request,
                        ServerResponse& response) { (this->*handler)(user, request, response); });
    return [this, inner](const ServerRequest& request, ServerResponse& response) {
        inner(request, response);
        decorate(request, response);
    };
}

void TusHandlers::options(const ServerRequest& request, ServerResponse& response) {
    response.status = http::Ok;
    response.headers.emplace_back("Tus-Version", tus::kVersion);
    response.headers.emplace_back("Tus-Extension", kExtensions);
    response.headers.emplace_back("Tus-Max-Size", std::to_string(m_options.maxSize));
    response.headers.emplace_back("Tus-Checksum-Algorithm", kChecksumAlgorithms);
    m_cors.decoratePreflight(request, response);
    decorate(request, response);
}

std::string TusHandlers::location(const ServerRequest& request, const std::string& id) const {
    std::string base = m_options.publicUrl;
    if (base.empty())
        base = std::string(m_options.tls ? "https://" : "http://") +
               request.header("host").value_or("localhost");
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/tus/" + id;
}

ApiResult<Session> TusHandlers::completeIfFull(const std::string& user, Session session) {
    if (session.state != SessionState::Uploading || session.uploadedBytes != session.size)
        return session;
    return m_uploads.complete(user, session.id, std::nullopt);
}

ApiResult<Session> TusHandlers::append(const std::string& user, const std::string& id,
                                       std::int64_t offset, const ServerRequest& request) {
    auto digest = checksumOf(request);
    if (!digest)
        return tl::unexpected(digest.error());
    if (!request.contentLength)
        return tl::unexpected(makeError(ErrorCode::LengthRequired,
                                        "tus bytes need a Content-Length (no chunked encoding)"));
    Session session;
    {
        auto open = m_uploads.openAppend(user, id);
        if (!open)
            return tl::unexpected(open.error());
        auto written = open->write(
            {offset, *request.contentLength, std::move(*digest), request.readBody, true});
        if (!written)
            return tl::unexpected(written.error());
        session = open->session();
    } // the session's lock is let go here: completion takes it again
    return completeIfFull(user, std::move(session));
}

void TusHandlers::create(const std::string& user, const ServerRequest& request,
                         ServerResponse& response) {
    if (request.header("upload-concat"))
        return fail(response, badRequest("concatenation is not supported by this server"));
    if (request.header("upload-defer-length"))
        return fail(response, badRequest("Upload-Defer-Length is not supported by this server"));
    const auto lengthHeader = request.header("upload-length");
    if (!lengthHeader)
        return fail(response, badRequest("Upload-Length is required"));
    const auto length = parseOffset(*lengthHeader);
    if (!length)
        return fail(response, badRequest("Upload-Length must be a non-negative integer"));
    auto metadata = tus::parseMetadata(request.header("upload-metadata").value_or(""));
    if (!metadata)
        return fail(response, badRequest(metadata.error()));
    const bool withBody = request.contentLength.value_or(0) > 0;
    if (withBody) {
        if (auto problem = checkOffsetStream(request))
            return fail(response, *problem);
    }
    std::string fileName = metadataValue(*metadata, "filename", "name");
    if (fileName.empty())
        fileName = kDefaultFileName;
    auto created = m_uploads.init(
        user, {fileName, *length, metadataValue(*metadata, "filetype", "type"), std::string()});
    if (!created)
        return fail(response, created.error());
    response.headers.emplace_back("Location", location(request, created->id));
    auto session = withBody ? append(user, created->id, 0, request)
                            : completeIfFull(user, std::move(*created));
    if (!session)
        return fail(response, session.error());
    response.status = http::Created;
    putOffsetHeaders(response, *session);
}

void TusHandlers::head(const std::string& user, const ServerRequest& request,
                       ServerResponse& response) {
    if (request.method != "HEAD")
        return fail(response, makeError(ErrorCode::MethodNotAllowed,
                                        "tus uploads are read with HEAD; files live under /files"));
    auto session = m_uploads.status(user, request.pathParams[0]);
    if (session)
        session = completeIfFull(user, std::move(*session));
    if (!session)
        return fail(response, session.error());
    if (session->state == SessionState::Failed)
        return fail(response, makeError(ErrorCode::SessionFailed,
                                        "this upload failed: " + session->failureReason));
    response.status = http::Ok;
    putOffsetHeaders(response, *session);
    response.headers.emplace_back("Upload-Length", std::to_string(session->size));
    response.headers.emplace_back("Upload-Metadata",
                                  tus::renderMetadata(session->fileName, session->mimeType));
    response.headers.emplace_back("Cache-Control", "no-store");
}

void TusHandlers::patch(const std::string& user, const ServerRequest& request,
                        ServerResponse& response) {
    if (auto problem = checkOffsetStream(request))
        return fail(response, *problem);
    const auto offsetHeader = request.header("upload-offset");
    if (!offsetHeader)
        return fail(response, badRequest("Upload-Offset is required"));
    const auto offset = parseOffset(*offsetHeader);
    if (!offset)
        return fail(response, badRequest("Upload-Offset must be a non-negative integer"));
    auto session = append(user, request.pathParams[0], *offset, request);
    if (!session)
        return fail(response, session.error());
    response.status = http::NoContent;
    putOffsetHeaders(response, *session);
}

void TusHandlers::terminate(const std::string& user, const ServerRequest& request,
                            ServerResponse& response) {
    if (auto ok = m_uploads.abort(user, request.pathParams[0]); !ok)
        return fail(response, ok.error());
    response.status = http::NoContent;
}

} // namespace hoist
