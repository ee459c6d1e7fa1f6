// The Range header of GET /files/{id}/content and share links, against a file of a
// size taken from the input: a range that is served lies within the file.
#include "byte_range.h"
#include "fuzz_check.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < sizeof(std::uint64_t))
        return 0;
    std::uint64_t raw = 0;
    std::memcpy(&raw, data, sizeof raw);
    // Sizes up to 2^53 (the protocol's largest integer); small ones are the interesting edge.
    const auto fileSize = static_cast<std::int64_t>(raw & 1 ? (raw >> 1) % 64 : (raw >> 11));
    const std::string_view header(reinterpret_cast<const char*>(data) + sizeof raw,
                                  size - sizeof raw);

    const hoist::RangeRequest request = hoist::parseRange(header, fileSize);
    switch (request.kind) {
    case hoist::RangeRequest::Kind::Partial:
        FUZZ_CHECK(request.range.first >= 0);
        FUZZ_CHECK(request.range.first <= request.range.last);
        FUZZ_CHECK(request.range.last < fileSize);
        FUZZ_CHECK(request.range.length() >= 1 && request.range.length() <= fileSize);
        break;
    case hoist::RangeRequest::Kind::Unsatisfiable:
        FUZZ_CHECK(header.substr(0, 6) == "bytes=");
        break;
    case hoist::RangeRequest::Kind::Whole:
        break;
    }
    FUZZ_CHECK(hoist::parseRange(std::nullopt, fileSize).kind == hoist::RangeRequest::Kind::Whole);
    return 0;
}
