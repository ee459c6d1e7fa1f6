#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hoist {

// The small landing page a browser gets for a share link (docs/protocol.md, "Share
// links"): the file's name and size and a download button. Self-contained: one inline
// style allowed by its hash in sharePageCsp(), no script, no external resource.
std::string sharePageHtml(std::string_view fileName, std::int64_t size, std::int64_t expiresAt,
                          std::string_view downloadHref);
// The same page's "expired or revoked" variant, for a 404.
std::string goneSharePageHtml();
// Content-Security-Policy of both pages: nothing but their own inline style.
std::string sharePageCsp();

} // namespace hoist
