#pragma once

#include <memory>
#include <span>
#include <string>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

namespace hoist {

// Digests a protocol face can carry with an append: the native face sends SHA-256,
// tus clients choose among sha1, md5 and sha256 (docs/protocol.md, "tus 1.0.0").
enum class DigestAlgorithm { Sha256, Sha1, Md5 };

struct Digest {
    DigestAlgorithm algorithm = DigestAlgorithm::Sha256;
    std::string bytes; // raw, not hex
};

// One running digest of an append's bytes.
class DigestHasher final {
  public:
    explicit DigestHasher(DigestAlgorithm algorithm);

    void update(std::span<const char> bytes);
    // Lowercase hex of the digest of everything so far.
    std::string hexDigest() const;

  private:
    struct Free {
        void operator()(evp_md_ctx_st* context) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_context;
};

} // namespace hoist
