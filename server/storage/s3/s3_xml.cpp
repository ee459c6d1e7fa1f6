#include "s3_xml.h"

#include "markup_escape.h"

#include <charconv>

namespace hoist::s3xml {
namespace {

struct Element {
    std::string_view inner;
    std::size_t end = std::string_view::npos; // just past the element
};

// The next <name ...> ... </name> at or after `from`.
std::optional<Element> findElement(std::string_view xml, std::string_view name, std::size_t from) {
    while (true) {
        const auto open = xml.find('<', from);
        if (open == std::string_view::npos) {
            return std::nullopt;
        }
        from = open + 1;
        if (xml.compare(open + 1, name.size(), name) != 0) {
            continue;
        }
        const auto afterName = open + 1 + name.size();
        if (afterName >= xml.size()) {
            return std::nullopt;
        }
        const char next = xml[afterName];
        if (next != '>' && next != '/' && next != ' ' && next != '\t' && next != '\r' &&
            next != '\n') {
            continue;
        }
        const auto tagEnd = xml.find('>', afterName);
        if (tagEnd == std::string_view::npos) {
            return std::nullopt;
        }
        if (xml[tagEnd - 1] == '/') {
            return Element{std::string_view(), tagEnd + 1};
        }
        const std::string closing = "</" + std::string(name) + ">";
        const auto close = xml.find(closing, tagEnd + 1);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        return Element{xml.substr(tagEnd + 1, close - tagEnd - 1), close + closing.size()};
    }
}

void appendCodePoint(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace

std::string unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
        if (semicolon == std::string_view::npos) {
            out += text[i++];
            continue;
        }
        const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
        if (entity == "amp") {
            out += '&';
        } else if (entity == "lt") {
            out += '<';
        } else if (entity == "gt") {
            out += '>';
        } else if (entity == "quot") {
            out += '"';
        } else if (entity == "apos") {
            out += '\'';
        } else if (entity.size() > 1 && entity[0] == '#') {
            const bool hex = entity[1] == 'x' || entity[1] == 'X';
            const std::string_view digits = entity.substr(hex ? 2 : 1);
            unsigned long cp = 0;
            const auto [ptr, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
            if (ec != std::errc() || ptr != digits.data() + digits.size() || cp > 0x10FFFF) {
                out += text[i++];
                continue;
            }
            appendCodePoint(out, cp);
        } else {
            out += text[i++];
            continue;
        }
        i = semicolon + 1;
    }
    return out;
}

std::string escape(std::string_view text) {
    return escapeMarkup(text);
}

std::optional<std::string> text(std::string_view xml, std::string_view name) {
    const auto element = findElement(xml, name, 0);
    if (!element) {
        return std::nullopt;
    }
    return unescape(element->inner);
}

std::vector<std::string_view> elements(std::string_view xml, std::string_view name) {
    std::vector<std::string_view> out;
    std::size_t from = 0;
    while (const auto element = findElement(xml, name, from)) {
        out.push_back(element->inner);
        from = element->end;
    }
    return out;
}

} // namespace hoist::s3xml
