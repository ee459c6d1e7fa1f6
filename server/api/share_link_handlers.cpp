#include "share_link_handlers.h"

#include "download_headers.h"
#include "file_handlers.h"
#include "http_status.h"
#include "json_body.h"
#include "responses.h"
#include "share_page.h"
#include "share_token.h"
#include "time_format.h"
#include "validation.h"

namespace hoist {

namespace {
using Request = const ServerRequest&;
using Response = ServerResponse&;

nlohmann::json linkJson(const ShareLinkRecord& link) {
    return {{"linkId", link.linkId},
            {"createdAt", formatRfc3339(link.createdAt)},
            {"expiresAt", formatRfc3339(link.expiresAt)}};
}

// The handlers of one server's share links, with what they share.
class ShareLinkRoutes final {
  public:
    ShareLinkRoutes(ShareLinkStore& links, FileCatalog& catalog, StorageBackend& backend,
                    Metrics& metrics, Logger& logger, const ShareLinkPolicy& policy)
        : m_links(links), m_catalog(catalog), m_backend(backend), m_metrics(metrics),
          m_logger(logger), m_policy(policy), m_pageCsp(sharePageCsp()) {}

    void create(const std::string& user, Request request, Response response) const;
    void list(const std::string& user, Request request, Response response) const;
    void revoke(const std::string& user, Request request, Response response) const;
    void serve(Request request, Response response) const;

  private:
    void storeFailed(Response response, const StoreError& error) const;
    // docs/protocol.md: the lifetime asked for, or the default; nullopt after a 400.
    std::optional<std::int64_t> lifetime(const nlohmann::json& body, Response response) const;
    void answerGone(bool html, Response response) const;

    ShareLinkStore& m_links;
    FileCatalog& m_catalog;
    StorageBackend& m_backend;
    Metrics& m_metrics;
    Logger& m_logger;
    const ShareLinkPolicy& m_policy;
    const std::string m_pageCsp;
};

void ShareLinkRoutes::storeFailed(Response response, const StoreError& error) const {
    m_logger.error("share links: " + error.message);
    if (error.kind == StoreError::Kind::Unavailable)
        return writeError(
            response,
            makeError(ErrorCode::Unavailable, "the database is busy or unreachable; retry later"),
            m_metrics);
    writeError(response, makeError(ErrorCode::Internal, "the share link store failed"), m_metrics);
}

std::optional<std::int64_t> ShareLinkRoutes::lifetime(const nlohmann::json& body,
                                                      Response response) const {
    auto field = sizeField(body, "expiresIn");
    if (!field) {
        writeError(response, field.error(), m_metrics);
        return std::nullopt;
    }
    const std::int64_t seconds = field->value_or(m_policy.defaultLifetimeSeconds);
    if (seconds < 1 || seconds > m_policy.maxLifetimeSeconds) {
        ApiError error = makeError(ErrorCode::BadRequest,
                                   "expiresIn must be from 1 to " +
                                       std::to_string(m_policy.maxLifetimeSeconds) + " seconds");
        error.extra["maxExpiresIn"] = m_policy.maxLifetimeSeconds;
        writeError(response, error, m_metrics);
        return std::nullopt;
    }
    return seconds;
}

void ShareLinkRoutes::create(const std::string& user, Request request, Response response) const {
    const auto body = readJsonBody(request, response, m_metrics, true);
    if (!body)
        return;
    const auto seconds = lifetime(*body, response);
    if (!seconds)
        return;
    const auto file = findFile(m_catalog, user, request.pathParams[0], response, m_metrics);
    if (!file)
        return;
    const std::string token = newShareToken();
    ShareLinkRecord link;
    link.linkId = newUuid();
    link.tokenHash = shareTokenHash(token);
    link.userId = user;
    link.fileId = file->fileId;
    link.createdAt = nowSeconds();
    link.expiresAt = link.createdAt + *seconds;
    if (auto added = m_links.add(link); !added)
        return storeFailed(response, added.error());
    m_metrics.countShareLink("created");
    m_logger.info("share link " + link.linkId + " of file " + file->fileId + " created");
    nlohmann::json out = linkJson(link);
    // The only time the token leaves the server: the store keeps its hash alone.
    out["url"] = m_policy.baseUrl + "/s/" + token;
    writeJson(response, http::Created, out);
}

void ShareLinkRoutes::list(const std::string& user, Request request, Response response) const {
    const auto file = findFile(m_catalog, user, request.pathParams[0], response, m_metrics);
    if (!file)
        return;
    const auto links = m_links.listLive(user, file->fileId, nowSeconds());
    if (!links)
        return storeFailed(response, links.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& link : *links)
        out.push_back(linkJson(link));
    writeJson(response, http::Ok, {{"links", out}});
}

void ShareLinkRoutes::revoke(const std::string& user, Request request, Response response) const {
    const auto file = findFile(m_catalog, user, request.pathParams[0], response, m_metrics);
    if (!file)
        return;
    const auto removed =
        m_links.removeLive(user, file->fileId, request.pathParams[1], nowSeconds());
    if (!removed)
        return storeFailed(response, removed.error());
    if (!*removed)
        return writeError(response, makeError(ErrorCode::NotFound, "no such share link"),
                          m_metrics);
    m_metrics.countShareLink("revoked");
    m_logger.info("share link " + request.pathParams[1] + " revoked by its user");
    response.status = http::NoContent;
}

void ShareLinkRoutes::answerGone(bool html, Response response) const {
    if (!html)
        return writeError(response,
                          makeError(ErrorCode::NotFound,
                                    "no such link: it expired, was revoked, or its file is gone"),
                          m_metrics);
    m_metrics.countError(wireCode(ErrorCode::NotFound));
    response.status = httpStatus(ErrorCode::NotFound);
    response.contentType = "text/html; charset=utf-8";
    response.body = goneSharePageHtml();
    response.headers.emplace_back("Content-Security-Policy", m_pageCsp);
}

void ShareLinkRoutes::serve(Request request, Response response) const {
    // The URL is the capability: no referrer may carry it on, and answers stay out of
    // shared caches (docs/protocol.md, "Share links").
    response.headers.emplace_back("Cache-Control", "private");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    const std::string& token = request.pathParams[0];
    const auto range = request.header("range");
    const bool html = prefersHtml(request.header("accept")) && !range &&
                      request.query.find("download") == request.query.end();
    if (!isShareToken(token))
        return answerGone(html, response);
    const auto link = m_links.findLive(shareTokenHash(token), nowSeconds());
    if (!link)
        return storeFailed(response, link.error());
    if (!*link)
        return answerGone(html, response);
    const auto file = m_catalog.find((*link)->userId, (*link)->fileId);
    if (!file)
        return storeFailed(response, file.error());
    if (!*file)
        return answerGone(html, response);
    if (html) {
        m_metrics.countShareLink("page");
        response.status = http::Ok;
        response.contentType = "text/html; charset=utf-8";
        response.body = sharePageHtml((*file)->fileName, (*file)->size, (*link)->expiresAt,
                                      token + "?download=1");
        response.headers.emplace_back("Content-Security-Policy", m_pageCsp);
        return;
    }
    m_metrics.countShareLink("served");
    streamObject(response, m_backend, (*file)->storageKey, (*file)->size, range,
                 (*file)->detectedMimeType.empty() ? "application/octet-stream"
                                                   : (*file)->detectedMimeType);
    response.headers.emplace_back("Content-Disposition", attachmentDisposition((*file)->fileName));
    response.headers.emplace_back("ETag", "\"" + (*file)->fingerprint + "\"");
    // Should an agent still render the bytes, they run in a sandbox with no rights.
    response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
}
} // namespace

void registerShareLinkRoutes(HttpServer& server, ShareLinkStore& links, FileCatalog& catalog,
                             StorageBackend& backend, const TokenAuthenticator& auth,
                             Metrics& metrics, Logger& logger, const ShareLinkPolicy& policy) {
    auto routes =
        std::make_shared<const ShareLinkRoutes>(links, catalog, backend, metrics, logger, policy);
    const auto route = [&](const char* method, const char* pattern,
                           void (ShareLinkRoutes::*handler)(const std::string&, Request, Response)
                               const) {
        routeAuthenticated(
            server, method, pattern, auth, metrics,
            [routes, handler](const std::string& user, Request request, Response response) {
                forbidCaching(response);
                ((*routes).*handler)(user, request, response);
            });
    };
    route("POST", "/files/([^/]+)/links", &ShareLinkRoutes::create);
    route("GET", "/files/([^/]+)/links", &ShareLinkRoutes::list);
    route("DELETE", "/files/([^/]+)/links/([^/]+)", &ShareLinkRoutes::revoke);
    server.route("GET", "/s/([^/]+)", [routes](Request request, Response response) {
        routes->serve(request, response);
    });
}

} // namespace hoist
