#include "disk_backend.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hoist {

namespace fs = std::filesystem;

namespace {
StorageError::Kind kindOf(int error) {
    switch (error) {
    case ENOENT:
        return StorageError::Kind::NotFound;
    case ENOSPC:
    case EDQUOT:
        return StorageError::Kind::NoSpace;
    default:
        return StorageError::Kind::Fatal;
    }
}

StorageError ioError(const std::string& what, const fs::path& path, int error = errno) {
    return StorageError{kindOf(error), what + " " + path.string() + ": " + std::strerror(error)};
}

// A rename or create is durable only once its directory entry is flushed.
void syncDirectory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

class DiskChunkWriter final : public ChunkWriter {
  public:
    DiskChunkWriter(int fd, fs::path path, std::int64_t index, std::int64_t offset, bool windowed)
        : m_fd(fd), m_path(std::move(path)), m_index(index), m_start(offset), m_position(offset),
          m_windowed(windowed) {}

    ~DiskChunkWriter() override {
        // An uncommitted chunk leaves nothing behind: cut the file back to where the
        // chunk began (the session's committed offset). Not in a windowed session, whose
        // file may hold stored chunks past this one: there the bytes stay unowned until
        // the chunk is sent again and overwrites them (docs/protocol.md, "Parallel chunks").
        if (!m_committed && !m_windowed)
            (void)::ftruncate(m_fd, m_start);
        ::close(m_fd);
    }

    StorageResult<void> append(std::span<const char> bytes) override {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::pwrite(m_fd, bytes.data() + done, bytes.size() - done,
                                       static_cast<off_t>(m_position));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return tl::unexpected(ioError("cannot write", m_path));
            }
            done += static_cast<std::size_t>(n);
            m_position += n;
        }
        // Start writeback now, so the fdatasync at commit has little left to wait for.
        (void)::sync_file_range(
            m_fd, static_cast<off_t>(m_position - static_cast<std::int64_t>(bytes.size())),
            static_cast<off_t>(bytes.size()), SYNC_FILE_RANGE_WRITE);
        return {};
    }

    StorageResult<ChunkReceipt> commit() override {
        if (auto ok = flush(); !ok)
            return tl::unexpected(ok.error());
        return ChunkReceipt{m_index, {}};
    }

    // The tail stays in place, in the staging file at its offset.
    StorageResult<std::string> keep() override {
        if (auto ok = flush(); !ok)
            return tl::unexpected(ok.error());
        return std::string();
    }

  private:
    StorageResult<void> flush() {
        if (::fdatasync(m_fd) != 0)
            return tl::unexpected(ioError("cannot flush", m_path));
        m_committed = true;
        return {};
    }

    int m_fd;
    fs::path m_path;
    std::int64_t m_index;
    std::int64_t m_start;
    std::int64_t m_position;
    bool m_windowed;
    bool m_committed = false;
};
} // namespace

StorageResult<std::unique_ptr<DiskBackend>> DiskBackend::open(const fs::path& dataDir) {
    const fs::path staging = dataDir / "staging";
    const fs::path objects = dataDir / "objects";
    for (const auto& dir : {staging, objects}) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            return tl::unexpected(
                StorageError{StorageError::Kind::Fatal,
                             "cannot create folder " + dir.string() + ": " + ec.message()});
    }
    return std::unique_ptr<DiskBackend>(new DiskBackend(staging, objects));
}

fs::path DiskBackend::stagingPath(const Session& session) const {
    return m_staging / session.staging.key;
}

fs::path DiskBackend::objectPath(const std::string& key) const {
    return m_objects / key;
}

StorageResult<StagingRef> DiskBackend::begin(const Session& session) {
    StagingRef ref{session.id + ".part", {}};
    const fs::path path = m_staging / ref.key;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return tl::unexpected(ioError("cannot create", path));
    ::close(fd);
    syncDirectory(m_staging);
    return ref;
}

StorageResult<std::unique_ptr<ChunkWriter>>
DiskBackend::openChunk(const Session& session, std::int64_t index, std::int64_t length) {
    const fs::path path = stagingPath(session);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return tl::unexpected(ioError("cannot open", path));
    // A kept tail is already in the file: the chunk continues after it.
    const std::int64_t begin = index * session.chunkSize;
    const std::int64_t start = std::clamp(session.uploadedBytes, begin, begin + length);
    return std::make_unique<DiskChunkWriter>(fd, path, index, start, session.windowed());
}

StorageResult<StoredObject> DiskBackend::complete(const Session& session,
                                                  const std::vector<ChunkReceipt>&) {
    const fs::path from = stagingPath(session);
    const fs::path to = objectPath(session.id);
    struct stat info {};
    // Already assembled by an earlier attempt that did not get to record it.
    if (::stat(from.c_str(), &info) != 0 && errno == ENOENT && ::stat(to.c_str(), &info) == 0 &&
        info.st_size == session.size)
        return StoredObject{session.id, session.size};
    if (::truncate(from.c_str(), static_cast<off_t>(session.size)) != 0)
        return tl::unexpected(ioError("cannot finish", from));
    if (::rename(from.c_str(), to.c_str()) != 0)
        return tl::unexpected(ioError("cannot move", from));
    syncDirectory(m_objects);
    syncDirectory(m_staging);
    return StoredObject{session.id, session.size};
}

StorageResult<void> DiskBackend::abort(const Session& session) {
    const fs::path path = stagingPath(session);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return tl::unexpected(ioError("cannot remove", path));
    return {};
}

StorageResult<void> DiskBackend::verify(const Session& session, const std::vector<ChunkReceipt>&) {
    const fs::path path = stagingPath(session);
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return tl::unexpected(ioError("staging is missing:", path));
    if (info.st_size < session.uploadedBytes)
        return tl::unexpected(
            StorageError{StorageError::Kind::NotFound, "staging " + path.string() +
                                                           " holds fewer bytes than "
                                                           "the session committed"});
    return {};
}

StorageResult<void>
DiskBackend::readStaged(const Session& session, std::int64_t offset, std::int64_t length,
                        const std::function<bool(std::span<const char>)>& sink) {
    return readFile(stagingPath(session), offset, length, sink);
}

StorageResult<void>
DiskBackend::readObject(const std::string& key, std::int64_t offset, std::int64_t length,
                        const std::function<bool(std::span<const char>)>& sink) {
    return readFile(objectPath(key), offset, length, sink);
}

StorageResult<void> DiskBackend::readFile(const fs::path& path, std::int64_t offset,
                                          std::int64_t length,
                                          const std::function<bool(std::span<const char>)>& sink) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tl::unexpected(ioError("cannot open", path));
    std::vector<char> buffer(256 * 1024);
    StorageResult<void> result;
    while (length > 0) {
        const auto want = static_cast<std::size_t>(
            std::min<std::int64_t>(length, static_cast<std::int64_t>(buffer.size())));
        const ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            result =
                tl::unexpected(n == 0 ? StorageError{StorageError::Kind::Fatal,
                                                     path.string() + " is shorter than recorded"}
                                      : ioError("cannot read", path));
            break;
        }
        if (!sink(std::span<const char>(buffer.data(), static_cast<std::size_t>(n))))
            break;
        offset += n;
        length -= n;
    }
    ::close(fd);
    return result;
}

StorageResult<void> DiskBackend::removeObject(const std::string& key) {
    const fs::path path = objectPath(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return tl::unexpected(ioError("cannot remove", path));
    return {};
}

std::optional<std::string> DiskBackend::presignGet(const std::string&, std::chrono::seconds) {
    return std::nullopt;
}

void DiskBackend::reconcile(const std::function<bool(const StagingRef&)>& isOwned) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_staging, ec)) {
        if (!isOwned(StagingRef{entry.path().filename().string(), {}}))
            fs::remove(entry.path(), ec);
    }
}

} // namespace hoist
