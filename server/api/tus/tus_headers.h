#pragma once

#include "digest.h"

#include <tl/expected.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hoist {

// Parsers of the tus 1.0.0 request headers hoistd reads (docs/protocol.md, "tus
// 1.0.0"). Each takes the header's text as the client sent it and answers the value
// or a sentence saying what is wrong (the face answers 400 with it).
namespace tus {

inline constexpr const char* kVersion = "1.0.0";

// "key base64,key2 base64,key3": keys unique, without spaces or commas; values
// standard base64 with padding, decoded. A key alone has an empty value.
tl::expected<std::map<std::string, std::string>, std::string> parseMetadata(std::string_view text);
// The header value back from name and type, the only metadata hoistd keeps.
std::string renderMetadata(const std::string& fileName, const std::string& mimeType);

// "sha1 <base64>", "md5 <base64>" or "sha256 <base64>", of the digest's length.
struct ChecksumProblem {
    bool unsupportedAlgorithm = false;
    std::string message;
};
tl::expected<Digest, ChecksumProblem> parseChecksum(std::string_view text);

// Upload-Concat: "partial", or "final;<URL> <URL>…" where each URL (absolute, or a
// path) names an upload of this face, /tus/{id}: the ids in order.
struct Concat {
    bool partial = false;
    std::vector<std::string> partialIds; // of a final upload
};
tl::expected<Concat, std::string> parseConcat(std::string_view text);

} // namespace tus
} // namespace hoist
