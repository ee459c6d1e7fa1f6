#include "private_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace hoist {

tl::expected<void, std::string> writePrivateFile(const std::string& path, std::string_view bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return tl::unexpected("cannot create " + path + ": " + std::strerror(errno));
    const bool written =
        ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
        ::fsync(fd) == 0;
    const std::string reason = std::strerror(errno);
    ::close(fd);
    if (!written)
        return tl::unexpected("cannot write " + path + ": " + reason);
    return {};
}

tl::expected<void, std::string> makePrivateDirectory(const std::string& path) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::path(path).lexically_normal();
    if (!dir.has_filename()) // "data/": the directory is "data", not its parent
        dir = dir.parent_path();
    if (dir.has_parent_path())
        std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec)
        return tl::unexpected("cannot create " + dir.parent_path().string() + ": " + ec.message());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return tl::unexpected("cannot create " + path + ": " + std::strerror(errno));
    if (!std::filesystem::is_directory(dir, ec))
        return tl::unexpected(path + " is not a directory");
    return {};
}

} // namespace hoist
