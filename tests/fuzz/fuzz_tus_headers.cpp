// The tus request headers hoistd parses (docs/protocol.md, "tus 1.0.0"): the first byte
// picks the header, the rest is its value. Upload-Metadata that parses renders back to
// what parses to the same name and type; a checksum that parses has its algorithm's
// digest length; offsets are never negative; a final Upload-Concat names at least one
// upload, each id one non-empty path segment.
#include "fuzz_check.h"
#include "tus_headers.h"
#include "validation.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0: {
        const auto metadata = hoist::tus::parseMetadata(value);
        if (!metadata)
            break;
        const auto name = metadata->find("filename");
        const auto type = metadata->find("filetype");
        const std::string fileName = name == metadata->end() ? "x" : name->second;
        const std::string mimeType = type == metadata->end() ? "" : type->second;
        const auto again =
            hoist::tus::parseMetadata(hoist::tus::renderMetadata(fileName, mimeType));
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->at("filename") == fileName);
        FUZZ_CHECK(mimeType.empty() ? !again->count("filetype")
                                    : again->at("filetype") == mimeType);
        break;
    }
    case 1: {
        const auto digest = hoist::tus::parseChecksum(value);
        if (!digest)
            break;
        const std::size_t length = digest->algorithm == hoist::DigestAlgorithm::Sha1  ? 20
                                   : digest->algorithm == hoist::DigestAlgorithm::Md5 ? 16
                                                                                      : 32;
        FUZZ_CHECK(digest->bytes.size() == length);
        break;
    }
    case 2: {
        const auto concat = hoist::tus::parseConcat(value);
        if (!concat || concat->partial)
            break;
        FUZZ_CHECK(!concat->partialIds.empty());
        for (const std::string& id : concat->partialIds)
            FUZZ_CHECK(!id.empty() && id.find_first_of("/?# ") == std::string::npos);
        break;
    }
    default: {
        // Upload-Offset and Upload-Length.
        const auto offset = hoist::parseOffset(value);
        FUZZ_CHECK(!offset || *offset >= 0);
        break;
    }
    }
    return 0;
}
