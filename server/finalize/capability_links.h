#pragma once

#include <cstdint>
#include <string>

namespace hoist {

// Unguessable, expiring URLs for a staged object (the callback's downloadUrl on
// backends that cannot presign): /staged/<session>?expires=<unix>&signature=<hmac>.
// The key survives restarts (kept in the data directory), so links handed out before
// a restart stay valid until they expire.
class CapabilityLinks final {
  public:
    explicit CapabilityLinks(std::string key) : m_key(std::move(key)) {}

    // Loads the key from `path`, creating it (random, owner-only) on first use;
    // throws when it cannot be written (hoistd then refuses to start).
    static CapabilityLinks loadOrCreate(const std::string& path);

    void setBaseUrl(std::string baseUrl) { m_baseUrl = std::move(baseUrl); }
    std::string make(const std::string& sessionId, std::int64_t expiresAt) const;
    bool verify(const std::string& sessionId, const std::string& expires,
                const std::string& signature, std::int64_t now) const;

  private:
    std::string sign(const std::string& sessionId, const std::string& expires) const;
    std::string m_key;
    std::string m_baseUrl;
};

} // namespace hoist
