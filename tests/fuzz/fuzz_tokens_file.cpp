// The tokens file (--tokens-file, "TOKEN USER" per line): every token it grants is one
// whitespace-free word with a user, and writing the grants back gives the same file.
#include "config.h"
#include "fuzz_check.h"
#include "scratch_file.h"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

namespace {
bool isWord(const std::string& text) {
    if (text.empty())
        return false;
    for (const char c : text)
        if (std::isspace(static_cast<unsigned char>(c)))
            return false;
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ScratchFile file;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto parsed = hoist::parseCommandLine({"--tokens-file", file.write(text)});
    if (!parsed)
        return 0;
    std::string written;
    for (const auto& [token, user] : parsed->config.tokens) {
        FUZZ_CHECK(isWord(token) && isWord(user));
        written += token + " " + user + "\n";
    }
    const auto again = hoist::parseCommandLine({"--tokens-file", file.write(written)});
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->config.tokens == parsed->config.tokens);
    return 0;
}
