#include "capability_links.h"

#include "crypto.h"
#include "private_file.h"
#include "validation.h"

#include <fstream>
#include <stdexcept>

namespace hoist {

CapabilityLinks CapabilityLinks::loadOrCreate(const std::string& path) {
    constexpr std::size_t kKeyBytes = 32;
    std::string key;
    if (std::ifstream in(path, std::ios::binary); in)
        key.assign(std::istreambuf_iterator<char>(in), {});
    if (key.size() == kKeyBytes)
        return CapabilityLinks(std::move(key));
    key = randomBytes(kKeyBytes);
    if (auto written = writePrivateFile(path, key); !written)
        throw std::runtime_error("cannot write the capability key: " + written.error());
    return CapabilityLinks(std::move(key));
}

std::string CapabilityLinks::sign(const std::string& sessionId, const std::string& expires) const {
    return toHex(hmacSha256(m_key, "staged\n" + sessionId + "\n" + expires));
}

std::string CapabilityLinks::make(const std::string& sessionId, std::int64_t expiresAt) const {
    const std::string expires = std::to_string(expiresAt);
    return m_baseUrl + "/staged/" + sessionId + "?expires=" + expires +
           "&signature=" + sign(sessionId, expires);
}

bool CapabilityLinks::verify(const std::string& sessionId, const std::string& expires,
                             const std::string& signature, std::int64_t now) const {
    const auto until = parseOffset(expires);
    return until && *until > now && secureEquals(sign(sessionId, expires), signature);
}

} // namespace hoist
