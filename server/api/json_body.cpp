#include "json_body.h"

#include "validation.h"

#include <limits>

namespace hoist {

namespace {
bool nestingWithinLimit(const std::string& text) {
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[') {
            if (++depth > kMaxJsonDepth)
                return false;
        } else if (c == '}' || c == ']')
            --depth;
    }
    return true;
}

ApiError badRequest(std::string message) {
    return makeError(ErrorCode::BadRequest, std::move(message));
}
} // namespace

tl::expected<nlohmann::json, ApiError> parseJsonObject(const std::string& body, bool allowEmpty) {
    if (allowEmpty && body.find_first_not_of(" \t\r\n") == std::string::npos)
        return nlohmann::json::object();
    if (!nestingWithinLimit(body))
        return tl::unexpected(badRequest("the JSON body is nested too deeply"));
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded())
        return tl::unexpected(badRequest("the body is not valid JSON"));
    if (!parsed.is_object())
        return tl::unexpected(badRequest("the body must be a JSON object"));
    return parsed;
}

tl::expected<std::optional<std::string>, ApiError> stringField(const nlohmann::json& object,
                                                               const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        return tl::unexpected(badRequest(std::string(name) + " must be a string"));
    return it->get<std::string>();
}

tl::expected<std::optional<std::int64_t>, ApiError> sizeField(const nlohmann::json& object,
                                                              const char* name) {
    const auto it = object.find(name);
    if (it == object.end())
        return std::nullopt;
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::numeric_limits<std::int64_t>::max();
        return static_cast<std::int64_t>(value);
    }
    if (it->is_number_integer()) {
        const auto value = it->get<std::int64_t>();
        if (value < 0)
            return tl::unexpected(badRequest(std::string(name) + " must not be negative"));
        return value;
    }
    return tl::unexpected(badRequest(std::string(name) + " must be a non-negative integer"));
}

tl::expected<std::optional<std::string>, ApiError> fingerprintField(const nlohmann::json& object) {
    auto value = stringField(object, "fingerprint");
    if (!value)
        return value;
    if (*value && !isFingerprint(**value))
        return tl::unexpected(
            badRequest("fingerprint must be 64 lowercase hex digits (SHA-256 of the file)"));
    return value;
}

} // namespace hoist
