#include "web_handlers.h"

#include <string>

namespace hoist {
namespace {

// Only the bundle's own files run or style the page: no inline script or style, no
// other origin; 'wasm-unsafe-eval' lets the hashing worker compile its WebAssembly
// (hash-wasm), which no JavaScript eval needs (docs/admin.md "The web app").
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Vite names everything under /assets/ after a hash of its content, so those never
// change under a name; index.html keeps its name and is revalidated by ETag.
std::string cacheControl(std::string_view path) {
    return path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
}

std::string escapeForRegex(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos)
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}

bool matchesEtag(const ServerRequest& request, std::string_view etag) {
    const auto tags = request.header("if-none-match");
    return tags && (*tags == "*" || tags->find(etag) != std::string::npos);
}

HttpHandler serveAsset(const WebAsset& asset) {
    return [&asset](const ServerRequest& request, ServerResponse& response) {
        response.headers = {{"ETag", std::string(asset.etag)},
                            {"Cache-Control", cacheControl(asset.path)},
                            {"Content-Security-Policy", kContentSecurityPolicy},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"}};
        if (matchesEtag(request, asset.etag)) {
            response.status = 304;
            return;
        }
        response.status = 200;
        response.contentType = std::string(asset.contentType);
        response.body = std::string(asset.bytes);
    };
}

} // namespace

void registerWebRoutes(HttpServer& server, std::span<const WebAsset> assets) {
    for (const WebAsset& asset : assets) {
        server.route("GET", escapeForRegex(asset.path), serveAsset(asset));
        if (asset.path == "/index.html")
            server.route("GET", "/", serveAsset(asset));
    }
}

} // namespace hoist
