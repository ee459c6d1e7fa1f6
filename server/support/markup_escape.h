#pragma once

#include <string>
#include <string_view>

namespace hoist {

// Text made safe inside an XML or HTML element or a double-quoted attribute: & < > "
// become entities, everything else stays.
std::string escapeMarkup(std::string_view text);

} // namespace hoist
