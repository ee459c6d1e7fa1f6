#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hoist {

// Content-Disposition for a download of a file named `fileName` (UTF-8): "attachment",
// an ASCII `filename` for old agents and the exact name as `filename*` (RFC 6266 section
// 4.3, RFC 8187). Always an attachment, so no uploaded file is ever rendered as a page
// of hoistd's own origin (docs/admin.md, "Share links"). The value holds no control
// characters, whatever the name.
std::string attachmentDisposition(std::string_view fileName);

// Whether an Accept header asks for a page rather than the bytes: text/html is listed
// with a non-zero q (browsers navigating do; curl, wget and fetch() do not).
bool prefersHtml(const std::optional<std::string>& accept);

} // namespace hoist
