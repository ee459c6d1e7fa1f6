#pragma once

#include "capability_links.h"
#include "http_server.h"
#include "session_store.h"
#include "storage_backend.h"

namespace hoist {

// GET /staged/<session>?expires=&signature=: the capability URL of a staged object
// for the application server (no token; the signed, expiring link is the credential).
void registerStagedRoute(HttpServer& server, SessionStore& store, StorageBackend& backend,
                         const CapabilityLinks& links);

} // namespace hoist
