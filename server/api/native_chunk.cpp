#include "native_chunk.h"

#include "validation.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace hoist {

namespace {
ApiError badRequest(std::string message) {
    return makeError(ErrorCode::BadRequest, std::move(message));
}

// 64 lowercase hex digits to the 32 raw bytes the service compares.
std::optional<Digest> sha256Digest(const std::string& hex) {
    if (!isFingerprint(hex))
        return std::nullopt;
    std::string raw(32, '\0');
    std::size_t decoded = 0;
    if (OPENSSL_hexstr2buf_ex(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), &decoded,
                              hex.c_str(), '\0') != 1)
        return std::nullopt;
    return Digest{DigestAlgorithm::Sha256, std::move(raw)};
}
} // namespace

ApiResult<NativeChunkAck> putNativeChunk(UploadService& uploads, const std::string& userId,
                                         const std::string& sessionId, const NativeChunk& chunk) {
    auto open = uploads.openAppend(userId, sessionId);
    if (!open)
        return tl::unexpected(open.error());
    // Chunks are cut from a known length; only tus can declare it (creation-defer-length).
    if (open->session().lengthDeferred)
        return tl::unexpected(badRequest("the length of this upload is not declared yet: it "
                                         "continues through tus (PATCH /tus/{id} with "
                                         "Upload-Length)"));
    if (!chunk.offset)
        return tl::unexpected(badRequest("X-Upload-Offset is missing"));
    const auto offset = parseOffset(*chunk.offset);
    if (!offset)
        return tl::unexpected(badRequest("X-Upload-Offset must be a non-negative integer"));
    if (!chunk.contentLength)
        return tl::unexpected(makeError(ErrorCode::LengthRequired,
                                        "a chunk needs a Content-Length (no chunked encoding)"));
    const std::int64_t length = *chunk.contentLength;
    if (auto ok = open->admits(*offset, length); !ok)
        return tl::unexpected(ok.error());
    const Session& session = open->session();
    // After admits(), the offset is a chunk boundary: the prefix, or within the window.
    const std::int64_t expected = std::min(session.chunkSize, session.size - *offset);
    if (length != expected)
        return tl::unexpected(badRequest("a chunk at offset " + std::to_string(*offset) +
                                         " must be " + std::to_string(expected) + " bytes, not " +
                                         std::to_string(length)));
    std::optional<Digest> digest;
    if (chunk.chunkSha256) {
        digest = sha256Digest(*chunk.chunkSha256);
        if (!digest)
            return tl::unexpected(badRequest("X-Chunk-SHA256 must be 64 lowercase hex digits"));
    }
    const bool parallel = session.parallelChunks > 0;
    auto written = open->writeChunk({*offset, length, std::move(digest), chunk.readBody});
    if (!written) {
        if (written.error().code == ErrorCode::ChecksumMismatch)
            written.error().message = "the chunk's SHA-256 does not match X-Chunk-SHA256";
        return tl::unexpected(written.error());
    }
    NativeChunkAck ack{written->uploadedBytes, std::nullopt};
    if (parallel)
        ack.storedChunks = std::move(written->storedChunks);
    return ack;
}

} // namespace hoist
