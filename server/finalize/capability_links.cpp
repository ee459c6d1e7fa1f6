#include "capability_links.h"

#include "crypto.h"
#include "validation.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace hoist {

CapabilityLinks CapabilityLinks::loadOrCreate(const std::string& path) {
    constexpr std::size_t kKeyBytes = 32;
    std::string key;
    if (std::ifstream in(path, std::ios::binary); in)
        key.assign(std::istreambuf_iterator<char>(in), {});
    if (key.size() == kKeyBytes)
        return CapabilityLinks(std::move(key));
    key = randomBytes(kKeyBytes);
    // Created owner-only from the start: the key must never be readable by others,
    // not even for a moment.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::write(fd, key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
        ::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot write the capability key " + path + ": " + reason);
    }
    ::close(fd);
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
