#include "validation.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace hoist {

namespace {
constexpr std::int64_t kMaxWireInteger = std::int64_t{1} << 53;
constexpr std::size_t kMaxFileNameBytes = 255;

bool isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Well-formed UTF-8 without overlongs or surrogates: names end up in JSON and file
// systems, where broken sequences turn into replacement characters or errors.
bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size())
            return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (cc & 0x3F);
        }
        const std::uint32_t minimum[] = {0, 0x80, 0x800, 0x10000};
        if (code < minimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}
} // namespace

std::optional<std::string> checkFileName(std::string_view name) {
    if (name.empty())
        return "fileName must not be empty";
    if (name.size() > kMaxFileNameBytes)
        return "fileName is longer than 255 bytes";
    if (name == "." || name == "..")
        return "fileName must not be '.' or '..'";
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == '\\')
            return "fileName must be a plain name, without '/' or '\\'";
        if (u < 0x20 || u == 0x7F)
            return "fileName must not contain control characters";
    }
    if (!isValidUtf8(name))
        return "fileName is not valid UTF-8";
    // The C1 controls U+0080..U+009F are control characters too; in valid UTF-8 they
    // are exactly the pairs 0xC2 0x80..0x9F.
    for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        if (static_cast<unsigned char>(name[i]) == 0xC2 &&
            static_cast<unsigned char>(name[i + 1]) <= 0x9F)
            return "fileName must not contain control characters";
    }
    return std::nullopt;
}

bool isFingerprint(std::string_view text) {
    if (text.size() != 64)
        return false;
    for (char c : text) {
        if (!isLowerHex(c))
            return false;
    }
    return true;
}

bool isUuid(std::string_view text) {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !isLowerHex(text[i]))
            return false;
    }
    return true;
}

std::optional<std::int64_t> parseOffset(std::string_view text) {
    if (text.empty() || text.size() > 16)
        return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > kMaxWireInteger)
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseByteSize(std::string_view text) {
    std::int64_t multiplier = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'K':
        case 'k':
            multiplier = std::int64_t{1} << 10;
            break;
        case 'M':
        case 'm':
            multiplier = std::int64_t{1} << 20;
            break;
        case 'G':
        case 'g':
            multiplier = std::int64_t{1} << 30;
            break;
        case 'T':
        case 't':
            multiplier = std::int64_t{1} << 40;
            break;
        default:
            break;
        }
        if (multiplier != 1)
            text.remove_suffix(1);
    }
    const auto number = parseOffset(text);
    if (!number || *number > kMaxWireInteger / multiplier)
        return std::nullopt;
    return *number * multiplier;
}

std::string newUuid() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("the system random generator failed");
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40); // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return out;
}

} // namespace hoist
