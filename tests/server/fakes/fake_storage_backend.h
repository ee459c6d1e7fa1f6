#pragma once

#include "storage_backend.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace hoist::test {

// An in-memory StorageBackend for fast tests of what sits above the storage seam.
// It keeps the seam's promises the way the real backends do — an uncommitted chunk
// leaves nothing visible, complete() wants every chunk's receipt in order (as S3's
// CompleteMultipartUpload does), abort() is idempotent — and it can be told to fail a
// chosen call, so tests can break storage in the middle of a chunk.
class FakeStorageBackend final : public StorageBackend {
  public:
    enum class Operation { Begin, Append, Commit, Keep, Complete, Verify };

    // The nth call of `operation` from now on (1 = the next one) fails with `kind`.
    void failAt(Operation operation, int nth, StorageError::Kind kind = StorageError::Kind::Fatal);
    // How many calls of `operation` were made, failed ones included.
    int calls(Operation operation) const;

    // What became visible: the committed bytes of a staging (by StagingRef::key).
    bool hasStaging(const std::string& key) const;
    std::string staged(const std::string& key) const;
    // Assembled objects (by StoredObject::key) and kept tails (by Session::tailKey);
    // empty when there is none.
    std::string object(const std::string& key) const;
    // Stagings abort() removed and objects removeObject() removed, in call order.
    std::vector<std::string> aborted() const;
    std::vector<std::string> removedObjects() const;

    std::string name() const override { return "fake"; }
    std::optional<std::string> bucket() const override { return std::nullopt; }
    StorageResult<StagingRef> begin(const Session& session) override;
    StorageResult<std::unique_ptr<ChunkWriter>>
    openChunk(const Session& session, std::int64_t index, std::int64_t length) override;
    StorageResult<StoredObject> complete(const Session& session,
                                         const std::vector<ChunkReceipt>& receipts) override;
    StorageResult<void> abort(const Session& session) override;
    StorageResult<void> verify(const Session& session,
                               const std::vector<ChunkReceipt>& receipts) override;
    StorageResult<void> readObject(const std::string& key, std::int64_t offset, std::int64_t length,
                                   const std::function<bool(std::span<const char>)>& sink) override;
    StorageResult<void> removeObject(const std::string& key) override;
    std::optional<std::string> presignGet(const std::string& key,
                                          std::chrono::seconds ttl) override;
    void reconcile(const std::function<bool(const StagingRef&)>& isOwned) override;

  private:
    friend class FakeChunkWriter;

    // Counts a call; the injected failure when this call is the chosen one.
    std::optional<StorageError> countCall(Operation operation);
    StorageResult<ChunkReceipt> commitChunk(const std::string& key, std::int64_t index,
                                            std::int64_t offset, const std::string& bytes);
    StorageResult<std::string> keepTail(const std::string& key, const std::string& bytes);

    struct Failure {
        int atCall = 0;
        StorageError::Kind kind = StorageError::Kind::Fatal;
    };

    mutable std::mutex m_mutex;
    std::map<Operation, int> m_calls;
    std::map<Operation, Failure> m_failures;
    std::map<std::string, std::string> m_staging;
    // Per staging: chunks committed beyond its contiguous bytes, by offset.
    std::map<std::string, std::map<std::int64_t, std::string>> m_ahead;
    std::map<std::string, std::string> m_objects;
    std::vector<std::string> m_aborted;
    std::vector<std::string> m_removedObjects;
    int m_tails = 0;
};

} // namespace hoist::test
