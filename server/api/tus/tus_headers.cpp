#include "tus_headers.h"

#include "crypto.h"

#include <algorithm>

namespace hoist::tus {

namespace {
std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}
} // namespace

tl::expected<std::map<std::string, std::string>, std::string> parseMetadata(std::string_view text) {
    std::map<std::string, std::string> out;
    if (trimmed(text).empty())
        return out;
    std::size_t at = 0;
    for (;;) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        const std::string_view pair = trimmed(text.substr(at, comma - at));
        const std::size_t space = pair.find(' ');
        const std::string_view key = pair.substr(0, space);
        const std::string_view value =
            space == std::string_view::npos ? std::string_view() : pair.substr(space + 1);
        if (key.empty())
            return tl::unexpected(std::string("Upload-Metadata has an empty key"));
        if (value.find(' ') != std::string_view::npos)
            return tl::unexpected("Upload-Metadata: the value of '" + std::string(key) +
                                  "' is not one base64 word");
        auto decoded = base64Decode(value);
        if (!decoded)
            return tl::unexpected("Upload-Metadata: the value of '" + std::string(key) +
                                  "' is not base64");
        if (!out.emplace(std::string(key), std::move(*decoded)).second)
            return tl::unexpected("Upload-Metadata: the key '" + std::string(key) +
                                  "' appears twice");
        if (comma == text.size())
            return out;
        at = comma + 1;
    }
}

std::string renderMetadata(const std::string& fileName, const std::string& mimeType) {
    std::string out = "filename " + base64Encode(fileName);
    if (!mimeType.empty())
        out += ",filetype " + base64Encode(mimeType);
    return out;
}

tl::expected<Digest, ChecksumProblem> parseChecksum(std::string_view text) {
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos)
        return tl::unexpected(
            ChecksumProblem{false, "Upload-Checksum must be '<algorithm> <base64 digest>'"});
    const std::string_view name = text.substr(0, space);
    Digest digest;
    std::size_t length = 0;
    if (name == "sha1") {
        digest.algorithm = DigestAlgorithm::Sha1;
        length = 20;
    } else if (name == "md5") {
        digest.algorithm = DigestAlgorithm::Md5;
        length = 16;
    } else if (name == "sha256") {
        digest.algorithm = DigestAlgorithm::Sha256;
        length = 32;
    } else {
        return tl::unexpected(ChecksumProblem{
            true, "Upload-Checksum: algorithm '" + std::string(name) +
                      "' is not supported (Tus-Checksum-Algorithm lists sha1, md5, sha256)"});
    }
    auto bytes = base64Decode(text.substr(space + 1));
    if (!bytes || bytes->size() != length)
        return tl::unexpected(ChecksumProblem{false, "Upload-Checksum: the digest is not " +
                                                         std::to_string(length) +
                                                         " bytes of base64"});
    digest.bytes = std::move(*bytes);
    return digest;
}

tl::expected<Concat, std::string> parseConcat(std::string_view text) {
    text = trimmed(text);
    if (text == "partial")
        return Concat{true, {}};
    constexpr std::string_view kFinal = "final;";
    if (!text.starts_with(kFinal))
        return tl::unexpected(
            std::string("Upload-Concat must be 'partial' or 'final;<upload URLs>'"));
    Concat out;
    std::size_t at = kFinal.size();
    while (at < text.size()) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        const std::string_view url = text.substr(at, end - at);
        at = end + 1;
        if (url.empty())
            continue;
        constexpr std::string_view kFace = "/tus/";
        const std::size_t face = url.rfind(kFace);
        const std::string_view id =
            face == std::string_view::npos ? std::string_view() : url.substr(face + kFace.size());
        if (id.empty() || id.find_first_of("/?#") != std::string_view::npos)
            return tl::unexpected("Upload-Concat: '" + std::string(url) +
                                  "' is not an upload URL of this server (.../tus/{id})");
        out.partialIds.emplace_back(id);
    }
    if (out.partialIds.empty())
        return tl::unexpected(std::string("Upload-Concat: final names no partial upload"));
    return out;
}

} // namespace hoist::tus
