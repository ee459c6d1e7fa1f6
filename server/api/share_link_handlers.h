#pragma once

#include "auth.h"
#include "file_catalog.h"
#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "share_link_store.h"
#include "storage_backend.h"

#include <cstdint>
#include <string>

namespace hoist {

// docs/protocol.md, "Share links": lifetimes from --share-link-ttl / --share-link-max-ttl.
struct ShareLinkPolicy {
    std::int64_t defaultLifetimeSeconds = 7 * 86400;
    std::int64_t maxLifetimeSeconds = 30 * 86400;
    // What links' URLs start with: --public-url, or the listening address. Set once the
    // server is bound, before it serves; read-only afterwards.
    std::string baseUrl;
};

// /files/{fileId}/links (create, list, revoke; the owner's bearer token) and /s/{token}
// (the public link itself: the file, or a landing page for a browser).
void registerShareLinkRoutes(HttpServer& server, ShareLinkStore& links, FileCatalog& catalog,
                             StorageBackend& backend, const TokenAuthenticator& auth,
                             Metrics& metrics, Logger& logger, const ShareLinkPolicy& policy);

} // namespace hoist
