#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace hoist::test {

// Deterministic pseudo-random bytes (xorshift), so that data of any length differs at
// every offset and a misplaced or repeated block changes every hash.
inline std::string patternBytes(std::size_t size, std::uint32_t seed = 1) {
    std::string out(size, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (char& c : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x & 0xFF);
    }
    return out;
}

inline std::span<const char> spanOf(const std::string& bytes) {
    return std::span<const char>(bytes.data(), bytes.size());
}

} // namespace hoist::test
