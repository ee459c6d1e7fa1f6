#include "disk_backend.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
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

// Writes all of `bytes` at `offset`; 0 or the errno of the failure, with `done` the
// bytes written before it.
int writeAt(int fd, std::span<const char> bytes, std::int64_t offset, std::size_t& done) {
    done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                                   static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

// O_DIRECT wants the memory, the file offset and the length aligned to the device's
// logical block; 4 KiB covers 512-byte and 4 KiB devices.
constexpr std::uintptr_t kDirectAlign = 4096;

bool directAligned(std::span<const char> bytes, std::int64_t offset) {
    return reinterpret_cast<std::uintptr_t>(bytes.data()) % kDirectAlign == 0 &&
           static_cast<std::uintptr_t>(offset) % kDirectAlign == 0 &&
           bytes.size() % kDirectAlign == 0;
}

class DiskChunkWriter final : public ChunkWriter {
  public:
    // `directFd`: the same file opened with O_DIRECT, or -1.
    DiskChunkWriter(int fd, int directFd, std::atomic<bool>& directRefused, fs::path path,
                    std::int64_t index, std::int64_t offset, bool windowed)
        : m_fd(fd), m_directFd(directFd), m_directRefused(directRefused), m_path(std::move(path)),
          m_index(index), m_start(offset), m_position(offset), m_windowed(windowed) {}

    ~DiskChunkWriter() override {
        // An uncommitted chunk leaves nothing behind: cut the file back to where the
        // chunk began (the session's committed offset). Not in a windowed session, whose
        // file may hold stored chunks past this one: there the bytes stay unowned until
        // the chunk is sent again and overwrites them (docs/protocol.md, "Parallel chunks").
        if (!m_committed && !m_windowed)
            (void)::ftruncate(m_fd, m_start);
        if (m_directFd >= 0)
            ::close(m_directFd);
        ::close(m_fd);
    }

    // Aligned pieces (the chunk pipeline's whole blocks) go straight to the disk: no
    // copy into the page cache, which with 200 uploads at once was a third of hoistd's
    // CPU time (bench/README.md), and nothing left for fdatasync but the metadata and
    // the device's cache. The rest (a chunk's last piece, a chunk after a kept tail) is
    // written through the page cache.
    StorageResult<void> append(std::span<const char> bytes) override {
        if (m_directFd >= 0 && directAligned(bytes, m_position)) {
            std::size_t done = 0;
            const int error = writeAt(m_directFd, bytes, m_position, done);
            m_position += static_cast<std::int64_t>(done);
            bytes = bytes.subspan(done);
            if (error == EINVAL) {
                // A file system that opens with O_DIRECT but refuses the writes.
                m_directRefused = true;
                ::close(m_directFd);
                m_directFd = -1;
            } else if (error != 0) {
                return tl::unexpected(ioError("cannot write", m_path, error));
            }
        }
        if (bytes.empty())
            return {};
        std::size_t done = 0;
        const int error = writeAt(m_fd, bytes, m_position, done);
        m_position += static_cast<std::int64_t>(done);
        if (error != 0)
            return tl::unexpected(ioError("cannot write", m_path, error));
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
    int m_directFd;
    std::atomic<bool>& m_directRefused;
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
    int directFd = -1;
    if (!m_directRefused) {
        directFd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_DIRECT);
        // EINVAL: this file system has no O_DIRECT (tmpfs before Linux 6.6).
        if (directFd < 0 && errno == EINVAL)
            m_directRefused = true;
    }
    // A kept tail is already in the file: the chunk continues after it.
    const std::int64_t begin = index * session.chunkSize;
    const std::int64_t start = std::clamp(session.uploadedBytes, begin, begin + length);
    return std::make_unique<DiskChunkWriter>(fd, directFd, m_directRefused, path, index, start,
                                             session.windowed());
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
