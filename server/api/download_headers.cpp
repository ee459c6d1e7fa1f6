#include "download_headers.h"

#include <algorithm>
#include <cctype>

namespace hoist {

namespace {
// RFC 8187's attr-char: what a filename* value may carry unescaped.
bool isAttrChar(unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// A plain ASCII stand-in: each non-ASCII character becomes one '_', and so do the
// characters a quoted-string would need escaped or that agents decode ('%').
std::string asciiFallback(std::string_view name) {
    std::string out;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 && c < 0xC0)
            continue; // a UTF-8 continuation byte: its lead byte was replaced already
        out += (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || c == '%') ? '_' : ch;
    }
    return out.empty() ? "download" : out;
}

std::string percentEncoded(std::string_view name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (isAttrChar(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// RFC 9110 12.4.2: a qvalue is 0 to 1 with at most three decimals; only "is it zero"
// matters here.
bool isZeroQuality(std::string_view value) {
    return !value.empty() && value.front() == '0' &&
           value.find_first_not_of("0.", 1) == std::string_view::npos;
}
} // namespace

std::string attachmentDisposition(std::string_view fileName) {
    return "attachment; filename=\"" + asciiFallback(fileName) + "\"; filename*=UTF-8''" +
           percentEncoded(fileName);
}

bool prefersHtml(const std::optional<std::string>& accept) {
    if (!accept)
        return false;
    std::string_view rest = *accept;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view range = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        const auto semicolon = range.find(';');
        if (!equalsIgnoringCase(trimmed(range.substr(0, semicolon)), "text/html"))
            continue;
        std::string_view params =
            semicolon == std::string_view::npos ? std::string_view() : range.substr(semicolon);
        bool zero = false;
        while (!params.empty()) {
            params.remove_prefix(1); // the ';'
            const auto next = params.find(';');
            const std::string_view param = trimmed(params.substr(0, next));
            if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
                zero = isZeroQuality(trimmed(param.substr(2)));
            params = next == std::string_view::npos ? std::string_view() : params.substr(next);
        }
        if (!zero)
            return true;
    }
    return false;
}

} // namespace hoist
