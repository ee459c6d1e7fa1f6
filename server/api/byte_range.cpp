#include "byte_range.h"

#include "validation.h"

namespace hoist {

RangeRequest parseRange(std::optional<std::string_view> header, std::int64_t size) {
    constexpr std::string_view kUnit = "bytes=";
    RangeRequest whole;
    if (!header || header->substr(0, kUnit.size()) != kUnit)
        return whole;
    const std::string_view spec = header->substr(kUnit.size());
    if (spec.find(',') != std::string_view::npos)
        return whole;
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return whole;
    const std::string_view from = spec.substr(0, dash);
    const std::string_view to = spec.substr(dash + 1);
    const RangeRequest unsatisfiable{RangeRequest::Kind::Unsatisfiable, {}};
    if (from.empty()) {
        const auto suffix = parseOffset(to);
        if (!suffix)
            return whole;
        if (*suffix == 0 || size == 0)
            return unsatisfiable;
        const std::int64_t n = std::min(*suffix, size);
        return {RangeRequest::Kind::Partial, {size - n, size - 1}};
    }
    const auto first = parseOffset(from);
    // An end past any real size means "to the end" (RFC 9110: clamp, don't refuse).
    const bool endBeyondAnySize = !to.empty() && !parseOffset(to) &&
                                  to.find_first_not_of("0123456789") == std::string_view::npos;
    const auto last =
        to.empty() || endBeyondAnySize ? std::optional<std::int64_t>(size - 1) : parseOffset(to);
    if (!first || !last || (!to.empty() && *last < *first))
        return whole;
    if (*first >= size)
        return unsatisfiable;
    return {RangeRequest::Kind::Partial, {*first, std::min(*last, size - 1)}};
}

} // namespace hoist
