#pragma once

#include "storage_backend.h"

#include <atomic>
#include <filesystem>

namespace hoist {

// Stages each session in one file under <data>/staging and keeps finished objects
// under <data>/objects. Chunks are written in place at their offset (page-aligned
// pieces with O_DIRECT where the file system takes it) and flushed with fdatasync
// before commit() returns; bytes past the committed offset (a chunk cut
// short, or a crash before the commit) are never visible and are overwritten or cut
// off later.
class DiskBackend final : public StorageBackend {
  public:
    // Creates the folders; an error names the folder that could not be made.
    static StorageResult<std::unique_ptr<DiskBackend>> open(const std::filesystem::path& dataDir);

    std::string name() const override { return "disk"; }
    std::optional<std::string> bucket() const override { return std::nullopt; }
    StorageResult<StagingRef> begin(const Session& session) override;
    StorageResult<std::unique_ptr<ChunkWriter>>
    openChunk(const Session& session, std::int64_t index, std::int64_t length) override;
    StorageResult<StoredObject> complete(const Session& session,
                                         const std::vector<ChunkReceipt>& receipts) override;
    StorageResult<void> abort(const Session& session) override;
    StorageResult<void> verify(const Session& session,
                               const std::vector<ChunkReceipt>& receipts) override;
    StorageResult<void> readStaged(const Session& session, std::int64_t offset, std::int64_t length,
                                   const std::function<bool(std::span<const char>)>& sink) override;
    StorageResult<void> readObject(const std::string& key, std::int64_t offset, std::int64_t length,
                                   const std::function<bool(std::span<const char>)>& sink) override;
    StorageResult<void> removeObject(const std::string& key) override;
    std::optional<std::string> presignGet(const std::string& key,
                                          std::chrono::seconds ttl) override;
    void reconcile(const std::function<bool(const StagingRef&)>& isOwned) override;

  private:
    DiskBackend(std::filesystem::path staging, std::filesystem::path objects)
        : m_staging(std::move(staging)), m_objects(std::move(objects)) {}
    std::filesystem::path stagingPath(const Session& session) const;
    std::filesystem::path objectPath(const std::string& key) const;
    static StorageResult<void> readFile(const std::filesystem::path& path, std::int64_t offset,
                                        std::int64_t length,
                                        const std::function<bool(std::span<const char>)>& sink);

    std::filesystem::path m_staging;
    std::filesystem::path m_objects;
    // The file system refused O_DIRECT once: every chunk goes through the page cache.
    std::atomic<bool> m_directRefused = false;
};

} // namespace hoist
