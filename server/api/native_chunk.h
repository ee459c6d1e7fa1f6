#pragma once

#include "byte_sink.h"
#include "upload_service.h"

#include <functional>
#include <optional>
#include <string>

namespace hoist {

// A native PUT /upload/{id} as it arrived: header text, unparsed.
struct NativeChunk {
    std::optional<std::string> offset; // X-Upload-Offset
    std::optional<std::int64_t> contentLength;
    std::optional<std::string> chunkSha256; // X-Chunk-SHA256
    std::function<bool(const ByteSink&)> readBody;
};

// The native face's rule over UploadService's appends: exactly one whole chunk per
// request, with the refusals and their precedence of docs/protocol.md (state, then
// header syntax, 411, offset mismatch, exceeds_size, wrong chunk length, digest
// syntax). Returns the committed offset after the chunk.
ApiResult<std::int64_t> putNativeChunk(UploadService& uploads, const std::string& userId,
                                       const std::string& sessionId, const NativeChunk& chunk);

} // namespace hoist
