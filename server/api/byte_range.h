#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hoist {

struct ByteRange {
    std::int64_t first = 0;
    std::int64_t last = 0; // inclusive, as in Content-Range
    std::int64_t length() const { return last - first + 1; }
};

// The outcome of a Range header against a resource of `size` bytes (RFC 9110 14.2):
// serve everything (no header, or one we do not interpret, such as several ranges),
// one range, or 416.
struct RangeRequest {
    enum class Kind { Whole, Partial, Unsatisfiable };
    Kind kind = Kind::Whole;
    ByteRange range;
};

RangeRequest parseRange(std::optional<std::string_view> header, std::int64_t size);

} // namespace hoist
