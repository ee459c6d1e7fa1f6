// The request values checked in support/validation: X-Upload-Offset (parseOffset),
// X-Chunk-SHA256 and fingerprints (isFingerprint), session ids (isUuid), byte sizes
// (parseByteSize) and file names (checkFileName).
#include "fuzz_check.h"
#include "validation.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
constexpr std::int64_t kMaxWireInteger = std::int64_t{1} << 53;

bool allOf(std::string_view text, std::string_view alphabet) {
    return text.find_first_not_of(alphabet) == std::string_view::npos;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (const auto offset = hoist::parseOffset(text)) {
        FUZZ_CHECK(*offset >= 0 && *offset <= kMaxWireInteger);
        FUZZ_CHECK(!text.empty() && allOf(text, "0123456789"));
        const auto digits = text.find_first_not_of('0');
        const std::string_view canonical =
            digits == std::string_view::npos ? "0" : text.substr(digits);
        FUZZ_CHECK(std::to_string(*offset) == canonical);
    }
    if (const auto bytes = hoist::parseByteSize(text))
        FUZZ_CHECK(*bytes >= 0 && *bytes <= kMaxWireInteger);

    FUZZ_CHECK(hoist::isFingerprint(text) ==
               (text.size() == 64 && allOf(text, "0123456789abcdef")));
    if (hoist::isUuid(text))
        FUZZ_CHECK(text.size() == 36 && allOf(text, "0123456789abcdef-") && text[14] != '-');

    if (!hoist::checkFileName(text)) {
        FUZZ_CHECK(!text.empty() && text.size() <= 255 && text != "." && text != "..");
        FUZZ_CHECK(text.find_first_of("/\\") == std::string_view::npos);
        for (const char c : text)
            FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
        // Names are echoed in JSON answers: dump() throws on anything but valid UTF-8.
        FUZZ_CHECK(!nlohmann::json(std::string(text)).dump().empty());
    }
    return 0;
}
