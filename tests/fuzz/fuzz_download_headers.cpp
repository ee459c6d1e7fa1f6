// The share link's outside input (docs/protocol.md, "Share links"): the Accept header
// that chooses the landing page, and a file name (any bytes a user could have sent)
// turned into Content-Disposition. The header value must stay one clean ASCII line, its
// `filename` quoted-string must not end early, and `filename*` must give the name back.
#include "download_headers.h"
#include "fuzz_check.h"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percentDecoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        FUZZ_CHECK(i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0);
        out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
        i += 2;
    }
    return out;
}

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);

    const bool html = hoist::prefersHtml(input);
    FUZZ_CHECK(html == hoist::prefersHtml(input));
    if (lowered(input).find("text/html") == std::string::npos)
        FUZZ_CHECK(!html);
    FUZZ_CHECK(!hoist::prefersHtml(std::nullopt));

    const std::string value = hoist::attachmentDisposition(input);
    for (const char c : value)
        FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F);
    const std::string_view prefix = "attachment; filename=\"";
    FUZZ_CHECK(std::string_view(value).substr(0, prefix.size()) == prefix);
    const std::string_view rest = std::string_view(value).substr(prefix.size());
    const std::string_view middle = "\"; filename*=UTF-8''";
    const auto close = rest.find('"');
    FUZZ_CHECK(close != std::string_view::npos && rest.substr(close, middle.size()) == middle);
    FUZZ_CHECK(rest.substr(0, close).find('\\') == std::string_view::npos);
    FUZZ_CHECK(percentDecoded(rest.substr(close + middle.size())) == input);
    return 0;
}
