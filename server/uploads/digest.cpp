#include "digest.h"

#include "crypto.h"

#include <openssl/evp.h>

namespace hoist {

namespace {
const EVP_MD* mdOf(DigestAlgorithm algorithm) {
    switch (algorithm) {
    case DigestAlgorithm::Sha1:
        return EVP_sha1();
    case DigestAlgorithm::Md5:
        return EVP_md5();
    case DigestAlgorithm::Sha256:
        break;
    }
    return EVP_sha256();
}
} // namespace

void DigestHasher::Free::operator()(evp_md_ctx_st* context) const {
    EVP_MD_CTX_free(context);
}

DigestHasher::DigestHasher(DigestAlgorithm algorithm) : m_context(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(m_context.get(), mdOf(algorithm), nullptr);
}

void DigestHasher::update(std::span<const char> bytes) {
    EVP_DigestUpdate(m_context.get(), bytes.data(), bytes.size());
}

std::string DigestHasher::hexDigest() const {
    std::unique_ptr<EVP_MD_CTX, Free> copy(EVP_MD_CTX_new());
    EVP_MD_CTX_copy_ex(copy.get(), m_context.get());
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(copy.get(), out, &length);
    return toHex(std::string_view(reinterpret_cast<const char*>(out), length));
}

} // namespace hoist
