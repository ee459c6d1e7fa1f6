#pragma once

#include <cstddef>
#include <functional>

namespace hoist {

// Where streamed bytes go, piece by piece: false stops the stream. Shared by the HTTP
// layer (request and response bodies) and the upload service, which never sees HTTP.
using ByteSink = std::function<bool(const char* data, std::size_t size)>;

} // namespace hoist
