#pragma once

#include "http_server.h"
#include "web_asset.h"

#include <span>

namespace hoist {

// Serves the browser app: "/" is its index.html, every other asset at its own path
// (docs/protocol.md "The web app"). Paths outside the bundle are left to the HTTP
// layer's 404, so no route of the API is shadowed.
void registerWebRoutes(HttpServer& server, std::span<const WebAsset> assets);

} // namespace hoist
