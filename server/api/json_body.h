#pragma once

#include "api_error.h"

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace hoist {

// Request bodies of the JSON endpoints are small; anything bigger is refused before
// it is read, and nesting is bounded so no parser recursion can be driven deep.
inline constexpr std::int64_t kMaxJsonBody = 64 * 1024;
inline constexpr int kMaxJsonDepth = 32;

// Parses a request body that must be a JSON object. An empty body is an empty object
// when allowEmpty (complete's fingerprint is optional).
tl::expected<nlohmann::json, ApiError> parseJsonObject(const std::string& body,
                                                       bool allowEmpty = false);

// Field readers: nullopt when absent; an error when present with the wrong type.
tl::expected<std::optional<std::string>, ApiError> stringField(const nlohmann::json& object,
                                                               const char* name);
// A non-negative integer (JSON integers only: no floats, strings or booleans).
// Values beyond int64 come back as INT64_MAX so callers can answer "too large".
tl::expected<std::optional<std::int64_t>, ApiError> sizeField(const nlohmann::json& object,
                                                              const char* name);
// A fingerprint field: absent, or 64 lowercase hex digits.
tl::expected<std::optional<std::string>, ApiError> fingerprintField(const nlohmann::json& object);

} // namespace hoist
