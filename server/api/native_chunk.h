#pragma once

#include "byte_sink.h"
#include "upload_service.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// A native PUT /upload/{id} as it arrived: header text, unparsed.
struct NativeChunk {
    std::optional<std::string> offset; // X-Upload-Offset
    std::optional<std::int64_t> contentLength;
    std::optional<std::string> chunkSha256; // X-Chunk-SHA256
    std::function<bool(const ByteSink&)> readBody;
};

// A chunk's 200: storedChunks only for a session that asked for parallel chunks.
struct NativeChunkAck {
    std::int64_t uploadedBytes = 0;
    std::optional<std::vector<std::int64_t>> storedChunks;
};

// The native face's rule over UploadService's appends: exactly one whole chunk per
// request, with the refusals and their precedence of docs/protocol.md (state, then
// header syntax, 411, offset mismatch, exceeds_size, wrong chunk length, digest
// syntax). Returns the progress after the chunk (the committed offset and, for a windowed
// session, the chunks stored beyond it: docs/protocol.md, "Parallel chunks").
ApiResult<NativeChunkAck> putNativeChunk(UploadService& uploads, const std::string& userId,
                                         const std::string& sessionId, const NativeChunk& chunk);

} // namespace hoist
