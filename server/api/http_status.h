#pragma once

#include "api_error.h"

namespace hoist {

// The only place HTTP status numbers live (DESIGN: "status codes appear in exactly
// one server file"): success statuses by name, errors through their table.
namespace http {
inline constexpr int Ok = 200;
inline constexpr int Created = 201;
inline constexpr int Accepted = 202;
inline constexpr int NoContent = 204;
inline constexpr int PartialContent = 206;
inline constexpr int NotFound = 404;
inline constexpr int InternalError = 500;
} // namespace http

int httpStatus(ErrorCode code);

} // namespace hoist
