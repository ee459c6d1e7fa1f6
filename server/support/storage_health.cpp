#include "storage_health.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace hoist {

std::string StorageHealth::problem() {
    constexpr auto kFreshness = std::chrono::seconds(1);
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (!m_checked || now - m_checkedAt >= kFreshness) {
        m_problem = probe();
        m_checkedAt = now;
        m_checked = true;
    }
    return m_problem;
}

std::string StorageHealth::probe() const {
    struct statvfs space {};
    if (::statvfs(m_dataDir.c_str(), &space) != 0)
        return "data directory unavailable: " + std::string(std::strerror(errno));
    if (space.f_bavail == 0)
        return "disk full";
    const std::string path = m_dataDir + "/.healthz-probe";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return "data directory not writable: " + std::string(std::strerror(errno));
    const bool written = ::write(fd, "ok", 2) == 2;
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(path.c_str());
    if (!written)
        return "data directory not writable: " + reason;
    return {};
}

} // namespace hoist
