#include "capability_links.h"

#include "crypto.h"
#include "validation.h"

#include <filesystem>
#include <fstream>

namespace hoist {

CapabilityLinks CapabilityLinks::loadOrCreate(const std::string& path) {
    std::string key;
    if (std::ifstream in(path, std::ios::binary); in)
        key.assign(std::istreambuf_iterator<char>(in), {});
    if (key.size() != 32) {
        key = randomBytes(32);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(key.data(), static_cast<std::streamsize>(key.size()));
        out.close();
        std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write);
    }
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
