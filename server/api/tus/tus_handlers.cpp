#include "tus_handlers.h"

#include "http_status.h"
#include "responses.h"
#include "time_format.h"
#include "tus_headers.h"
#include "validation.h"

#include <algorithm>

namespace hoist {

namespace {
constexpr const char* kOffsetStream = "application/offset+octet-stream";
constexpr const char* kExtensions =
    "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum,"
    "concatenation";
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
    // tus concatenation: a final upload's offset is undefined until it is concatenated.
    if (session.concatenatedFrom.empty() || session.uploadedBytes == session.size)
        response.headers.emplace_back("Upload-Offset", std::to_string(session.uploadedBytes));
    response.headers.emplace_back("Upload-Expires", formatHttpDate(session.expiresAt));
}

// Upload-Length: decimal digits, the declared length of the file.
tl::expected<std::int64_t, ApiError> lengthOf(const std::string& header) {
    const auto length = parseOffset(header);
    if (!length)
        return tl::unexpected(badRequest("Upload-Length must be a non-negative integer"));
    return *length;
}

ApiError finalUpload() {
    return makeError(ErrorCode::FinalUpload,
                     "this is a final upload made by concatenation: it takes no bytes");
}
} // namespace

TusHandlers::TusHandlers(UploadService& uploads, UploadConcatenator& concatenator,
                         const TokenAuthenticator& auth, Metrics& metrics, TusOptions options)
    : m_uploads(uploads), m_concatenator(concatenator), m_auth(auth), m_metrics(metrics),
      m_options(std::move(options)), m_cors(m_options.corsOrigins) {}

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

std::string TusHandlers::concatHeader(const ServerRequest& request, const Session& session) const {
    if (session.partial)
        return "partial";
    if (session.concatenatedFrom.empty())
        return {};
    std::string out = "final;";
    std::size_t at = 0;
    while (at < session.concatenatedFrom.size()) {
        const std::size_t end =
            std::min(session.concatenatedFrom.find(' ', at), session.concatenatedFrom.size());
        out +=
            (at == 0 ? "" : " ") + location(request, session.concatenatedFrom.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

ApiResult<Session> TusHandlers::completeIfFull(const std::string& user, Session session) {
    if (session.state != SessionState::Uploading || session.lengthDeferred ||
        session.uploadedBytes != session.size)
        return session;
    return m_uploads.complete(user, session.id, std::nullopt);
}

ApiResult<Session> TusHandlers::append(const std::string& user, const std::string& id,
                                       std::int64_t offset, const ServerRequest& request,
                                       std::optional<std::int64_t> declaredLength) {
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
        if (!open->session().concatenatedFrom.empty())
            return tl::unexpected(finalUpload());
        if (declaredLength) {
            // The offset first: a PATCH refused for it declares nothing.
            if (auto ok = open->admits(offset, 0); !ok)
                return tl::unexpected(ok.error());
            if (*declaredLength >= offset && *request.contentLength > *declaredLength - offset)
                return tl::unexpected(
                    withOffset(ErrorCode::ExceedsSize,
                               "these bytes would go past the Upload-Length sent with them",
                               open->session().uploadedBytes));
            if (auto ok = open->declareSize(*declaredLength); !ok)
                return tl::unexpected(ok.error());
        }
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
    const auto deferHeader = request.header("upload-defer-length");
    if (deferHeader && *deferHeader != "1")
        return fail(response, badRequest("Upload-Defer-Length must be 1"));
    const bool deferred = deferHeader.has_value();
    std::optional<tus::Concat> concat;
    if (const auto header = request.header("upload-concat")) {
        auto parsed = tus::parseConcat(*header);
        if (!parsed)
            return fail(response, badRequest(parsed.error()));
        concat = std::move(*parsed);
    }
    const bool final = concat && !concat->partial;
    const auto lengthHeader = request.header("upload-length");
    if (final && (lengthHeader || deferred))
        return fail(response, badRequest("a final upload is as long as its partial uploads "
                                         "together: send no Upload-Length or "
                                         "Upload-Defer-Length"));
    if (lengthHeader && deferred)
        return fail(response, badRequest("send Upload-Length or Upload-Defer-Length, not both"));
    if (!final && !lengthHeader && !deferred)
        return fail(response, badRequest("Upload-Length (or Upload-Defer-Length: 1) is required"));
    tl::expected<std::int64_t, ApiError> length = 0; // final or deferred
    if (lengthHeader)
        length = lengthOf(*lengthHeader);
    if (!length)
        return fail(response, length.error());
    auto metadata = tus::parseMetadata(request.header("upload-metadata").value_or(""));
    if (!metadata)
        return fail(response, badRequest(metadata.error()));
    const bool withBody = request.contentLength.value_or(0) > 0;
    if (withBody && final)
        return fail(response, finalUpload());
    if (withBody) {
        if (auto problem = checkOffsetStream(request))
            return fail(response, *problem);
    }
    std::string fileName = metadataValue(*metadata, "filename", "name");
    if (fileName.empty())
        fileName = kDefaultFileName;
    InitRequest init{fileName, *length, metadataValue(*metadata, "filetype", "type"),
                     std::string()};
    init.partial = concat && concat->partial;
    init.lengthDeferred = deferred;
    if (final) {
        auto session = m_concatenator.concatenate(user, std::move(init), concat->partialIds);
        if (!session)
            return fail(response, session.error());
        response.headers.emplace_back("Location", location(request, session->id));
        response.status = http::Created;
        putOffsetHeaders(response, *session);
        return;
    }
    auto created = m_uploads.init(user, init);
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
    if (session->lengthDeferred)
        response.headers.emplace_back("Upload-Defer-Length", "1");
    else
        response.headers.emplace_back("Upload-Length", std::to_string(session->size));
    response.headers.emplace_back("Upload-Metadata",
                                  tus::renderMetadata(session->fileName, session->mimeType));
    if (const std::string concat = concatHeader(request, *session); !concat.empty())
        response.headers.emplace_back("Upload-Concat", concat);
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
    std::optional<std::int64_t> declaredLength;
    if (const auto lengthHeader = request.header("upload-length")) {
        auto length = lengthOf(*lengthHeader);
        if (!length)
            return fail(response, length.error());
        declaredLength = *length;
    }
    const std::string& id = request.pathParams[0];
    auto session = append(user, id, *offset, request, declaredLength);
    if (!session) {
        // tus: a final upload refuses bytes with 403, whatever its state.
        const ErrorCode code = session.error().code;
        if (code == ErrorCode::Completed || code == ErrorCode::Finalizing) {
            if (auto known = m_uploads.status(user, id); known && !known->concatenatedFrom.empty())
                return fail(response, finalUpload());
        }
        return fail(response, session.error());
    }
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
