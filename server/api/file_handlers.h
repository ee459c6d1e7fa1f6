#pragma once

#include "auth.h"
#include "file_catalog.h"
#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "storage_backend.h"

namespace hoist {

// /files/*: the built-in library's records and contents.
void registerFileRoutes(HttpServer& server, FileCatalog& catalog, StorageBackend& backend,
                        const TokenAuthenticator& auth, Metrics& metrics, Logger& logger);

// Looks up the user's file; answers 404 (none, or another user's) or 500 itself and
// returns nullopt when there is none.
std::optional<FileRecord> findFile(FileCatalog& catalog, const std::string& user,
                                   const std::string& fileId, ServerResponse& response,
                                   Metrics& metrics);

// Marks an answer that carries private bytes or a capability as never to be stored by
// a cache or proxy on the way (docs/protocol.md, "Caching").
void forbidCaching(ServerResponse& response);

// Streams [range] of a stored object as the response body (shared with the
// capability links of the finalization callback).
void streamObject(ServerResponse& response, StorageBackend& backend, const std::string& key,
                  std::int64_t size, const std::optional<std::string>& rangeHeader,
                  const std::string& contentType);

} // namespace hoist
