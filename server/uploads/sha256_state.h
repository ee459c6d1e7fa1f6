#pragma once

#include <optional>
#include <span>
#include <string>

// The low-level SHA256_CTX is deprecated in OpenSSL 3, but it is the only OpenSSL
// SHA-256 whose midstate can be saved: the server persists it with every chunk so a
// restart resumes hashing without reading staged bytes back (S3 has no cheap way to).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace hoist {

class Sha256State final {
  public:
    Sha256State();

    void update(std::span<const char> bytes);
    // Lowercase hex digest of everything so far; the state itself continues.
    std::string hexDigest() const;

    std::string serialize() const;
    static std::optional<Sha256State> deserialize(const std::string& bytes);

    static std::string hexOf(std::span<const char> bytes);

  private:
    SHA256_CTX m_ctx;
};

} // namespace hoist
