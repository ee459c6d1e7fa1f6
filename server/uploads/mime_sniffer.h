#pragma once

#include <string>
#include <string_view>

namespace hoist {

// The media type a file's leading bytes announce (magic numbers), never the
// client's claim; "application/octet-stream" when nothing matches.
std::string sniffMimeType(std::string_view head);

} // namespace hoist
