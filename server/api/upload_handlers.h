#pragma once

#include "auth.h"
#include "file_catalog.h"
#include "http_server.h"
#include "metrics.h"
#include "upload_service.h"

namespace hoist {

// /upload/*: translate HTTP into UploadService calls and results into docs/protocol.md's
// answers. Nothing here decides anything about sessions.
void registerUploadRoutes(HttpServer& server, UploadService& uploads, FileCatalog& catalog,
                          const TokenAuthenticator& auth, Metrics& metrics);

} // namespace hoist
