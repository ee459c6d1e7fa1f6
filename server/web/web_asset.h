#pragma once

#include <span>
#include <string_view>

namespace hoist {

// One file of the browser app, built from web/ by Vite and compiled into hoistd
// (build_web_assets.cmake), so serving it needs neither the network nor a data file.
struct WebAsset {
    std::string_view path; // as requested, e.g. "/index.html", "/assets/index-1a2b.js"
    std::string_view contentType;
    std::string_view etag; // quoted, strong: the SHA-256 of the bytes
    std::string_view bytes;
};

// The bundle generated at build time.
std::span<const WebAsset> webAssets();

} // namespace hoist
