#pragma once

#include <tl/expected.hpp>

#include <string>
#include <string_view>

namespace hoist {

// Writes a secret (a key, a token) to `path`, replacing what was there, durably. The
// file is created owner-only (0600) by open() itself: a chmod afterwards would leave a
// moment in which others could read it (docs/admin.md, "Security").
tl::expected<void, std::string> writePrivateFile(const std::string& path, std::string_view bytes);

// Creates the directory `path` owner-only (0700) if it does not exist, and its missing
// parents with the default mode; an existing directory keeps its mode.
tl::expected<void, std::string> makePrivateDirectory(const std::string& path);

} // namespace hoist
