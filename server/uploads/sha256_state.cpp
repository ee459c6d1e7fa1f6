#include "sha256_state.h"

#include "crypto.h"

#include <cstring>

namespace hoist {

namespace {
// Bumped if the serialized layout ever changes, so old rows are refused, not misread.
constexpr char kFormatVersion = 1;
} // namespace

Sha256State::Sha256State() {
    SHA256_Init(&m_ctx);
}

void Sha256State::update(std::span<const char> bytes) {
    SHA256_Update(&m_ctx, bytes.data(), bytes.size());
}

std::string Sha256State::hexDigest() const {
    SHA256_CTX copy = m_ctx;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_Final(digest, &copy);
    return toHex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string Sha256State::serialize() const {
    std::string out(1 + sizeof m_ctx, kFormatVersion);
    std::memcpy(out.data() + 1, &m_ctx, sizeof m_ctx);
    return out;
}

std::optional<Sha256State> Sha256State::deserialize(const std::string& bytes) {
    if (bytes.size() != 1 + sizeof(SHA256_CTX) || bytes[0] != kFormatVersion)
        return std::nullopt;
    Sha256State state;
    std::memcpy(&state.m_ctx, bytes.data() + 1, sizeof state.m_ctx);
    return state;
}

std::string Sha256State::hexOf(std::span<const char> bytes) {
    Sha256State state;
    state.update(bytes);
    return state.hexDigest();
}

} // namespace hoist
