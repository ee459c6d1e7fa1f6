#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The few S3 response elements hoistd reads, picked out of the XML without a parser:
// S3's answers are flat, machine-written documents, and no XML library is on the stack.
// Element names match exactly (<Part> is not <PartNumber>), attributes are skipped,
// and text is unescaped.
namespace hoist::s3xml {

// The text of the first <name> element in xml (unescaped); nullopt when absent.
// An empty element (<name/> or <name></name>) is an empty string.
std::optional<std::string> text(std::string_view xml, std::string_view name);

// The inner XML of every <name> element, in document order (not unescaped: search
// them with text()).
std::vector<std::string_view> elements(std::string_view xml, std::string_view name);

// Escapes text for an element body.
std::string escape(std::string_view text);
std::string unescape(std::string_view text);

} // namespace hoist::s3xml
