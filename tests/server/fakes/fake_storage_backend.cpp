#include "fake_storage_backend.h"

#include <algorithm>

namespace hoist::test {

namespace {
StorageError notFound(const std::string& what) {
    return StorageError{StorageError::Kind::NotFound, what};
}

StorageError rejected(const std::string& what) {
    return StorageError{StorageError::Kind::Rejected, what};
}

std::string etagOf(std::int64_t index) {
    return "etag-" + std::to_string(index);
}
} // namespace

// Buffers a chunk privately; only commit() hands it to the backend, so a writer
// destroyed without commit leaves no trace, as the seam requires.
class FakeChunkWriter final : public ChunkWriter {
  public:
    FakeChunkWriter(FakeStorageBackend& backend, std::string key, std::int64_t index,
                    std::int64_t offset, std::int64_t length, std::string tail)
        : m_backend(backend), m_key(std::move(key)), m_index(index), m_offset(offset),
          m_length(length), m_pending(std::move(tail)) {}

    StorageResult<void> append(std::span<const char> bytes) override {
        if (auto failure = m_backend.countCall(FakeStorageBackend::Operation::Append))
            return tl::unexpected(*failure);
        m_pending.append(bytes.data(), bytes.size());
        return {};
    }

    StorageResult<ChunkReceipt> commit() override {
        if (auto failure = m_backend.countCall(FakeStorageBackend::Operation::Commit))
            return tl::unexpected(*failure);
        // S3 too refuses a part whose size differs from the one announced.
        if (static_cast<std::int64_t>(m_pending.size()) != m_length)
            return tl::unexpected(rejected("chunk " + std::to_string(m_index) + " has " +
                                           std::to_string(m_pending.size()) + " bytes, not " +
                                           std::to_string(m_length)));
        return m_backend.commitChunk(m_key, m_index, m_offset, m_pending);
    }

    // Like S3: the tail is an object of its own, under a fresh name.
    StorageResult<std::string> keep() override {
        if (auto failure = m_backend.countCall(FakeStorageBackend::Operation::Keep))
            return tl::unexpected(*failure);
        return m_backend.keepTail(m_key, m_pending);
    }

  private:
    FakeStorageBackend& m_backend;
    std::string m_key;
    std::int64_t m_index;
    std::int64_t m_offset;
    std::int64_t m_length;
    std::string m_pending;
};

void FakeStorageBackend::failAt(Operation operation, int nth, StorageError::Kind kind) {
    std::lock_guard lock(m_mutex);
    m_failures[operation] = Failure{m_calls[operation] + nth, kind};
}

int FakeStorageBackend::calls(Operation operation) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_calls.find(operation);
    return it == m_calls.end() ? 0 : it->second;
}

std::optional<StorageError> FakeStorageBackend::countCall(Operation operation) {
    std::lock_guard lock(m_mutex);
    const int call = ++m_calls[operation];
    const auto it = m_failures.find(operation);
    if (it == m_failures.end() || it->second.atCall != call)
        return std::nullopt;
    return StorageError{it->second.kind, "injected failure of call " + std::to_string(call)};
}

bool FakeStorageBackend::hasStaging(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    return m_staging.count(key) != 0;
}

std::string FakeStorageBackend::staged(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_staging.find(key);
    return it == m_staging.end() ? std::string() : it->second;
}

std::string FakeStorageBackend::object(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_objects.find(key);
    return it == m_objects.end() ? std::string() : it->second;
}

std::vector<std::string> FakeStorageBackend::aborted() const {
    std::lock_guard lock(m_mutex);
    return m_aborted;
}

std::vector<std::string> FakeStorageBackend::removedObjects() const {
    std::lock_guard lock(m_mutex);
    return m_removedObjects;
}

StorageResult<StagingRef> FakeStorageBackend::begin(const Session& session) {
    if (auto failure = countCall(Operation::Begin))
        return tl::unexpected(*failure);
    std::lock_guard lock(m_mutex);
    const std::string key = "staging/" + session.id;
    if (!m_staging.emplace(key, std::string()).second)
        return tl::unexpected(rejected("staging " + key + " exists already"));
    return StagingRef{key, "upload-" + session.id};
}

StorageResult<std::unique_ptr<ChunkWriter>>
FakeStorageBackend::openChunk(const Session& session, std::int64_t index, std::int64_t length) {
    if (!hasStaging(session.staging.key))
        return tl::unexpected(notFound("no staging " + session.staging.key));
    const std::int64_t begin = index * session.chunkSize;
    const std::int64_t tailLength =
        std::clamp(session.uploadedBytes - begin, std::int64_t{0}, length);
    std::string tail;
    if (tailLength > 0) {
        std::lock_guard lock(m_mutex);
        const auto it = m_objects.find(session.tailKey);
        if (it == m_objects.end() || static_cast<std::int64_t>(it->second.size()) < tailLength)
            return tl::unexpected(notFound("no tail " + session.tailKey));
        tail = it->second.substr(0, static_cast<std::size_t>(tailLength));
    }
    return std::make_unique<FakeChunkWriter>(*this, session.staging.key, index, begin, length,
                                             std::move(tail));
}

StorageResult<std::string> FakeStorageBackend::keepTail(const std::string& key,
                                                        const std::string& bytes) {
    std::lock_guard lock(m_mutex);
    const std::string tailKey = key + ".tail-" + std::to_string(++m_tails);
    m_objects[tailKey] = bytes;
    return tailKey;
}

StorageResult<ChunkReceipt> FakeStorageBackend::commitChunk(const std::string& key,
                                                            std::int64_t index, std::int64_t offset,
                                                            const std::string& bytes) {
    std::lock_guard lock(m_mutex);
    const auto it = m_staging.find(key);
    if (it == m_staging.end())
        return tl::unexpected(notFound("no staging " + key));
    // A chunk beyond the contiguous bytes (a windowed session's, docs/protocol.md "Parallel
    // chunks") waits beside them, as an S3 part or a disk offset would, until they reach it.
    auto& ahead = m_ahead[key];
    if (offset > static_cast<std::int64_t>(it->second.size())) {
        ahead[offset] = bytes;
        return ChunkReceipt{index, etagOf(index)};
    }
    it->second.resize(static_cast<std::size_t>(offset));
    it->second += bytes;
    for (auto next = ahead.begin();
         next != ahead.end() && next->first == static_cast<std::int64_t>(it->second.size());
         next = ahead.erase(next))
        it->second += next->second;
    return ChunkReceipt{index, etagOf(index)};
}

StorageResult<StoredObject>
FakeStorageBackend::complete(const Session& session, const std::vector<ChunkReceipt>& receipts) {
    if (auto failure = countCall(Operation::Complete))
        return tl::unexpected(*failure);
    std::lock_guard lock(m_mutex);
    const std::string objectKey = "objects/" + session.id;
    const auto staging = m_staging.find(session.staging.key);
    if (staging == m_staging.end()) {
        // Assembled by an earlier attempt that did not get to record it.
        const auto done = m_objects.find(objectKey);
        if (done != m_objects.end() &&
            static_cast<std::int64_t>(done->second.size()) == session.size)
            return StoredObject{objectKey, session.size};
        return tl::unexpected(notFound("no staging " + session.staging.key));
    }
    if (static_cast<std::int64_t>(receipts.size()) != session.chunkCount())
        return tl::unexpected(rejected(std::to_string(receipts.size()) + " receipts for " +
                                       std::to_string(session.chunkCount()) + " chunks"));
    for (std::size_t i = 0; i < receipts.size(); ++i) {
        const auto index = static_cast<std::int64_t>(i);
        if (receipts[i].index != index || receipts[i].etag != etagOf(index))
            return tl::unexpected(rejected("receipt " + std::to_string(i) + " is wrong"));
    }
    if (static_cast<std::int64_t>(staging->second.size()) != session.size)
        return tl::unexpected(rejected("staging holds " + std::to_string(staging->second.size()) +
                                       " bytes, not " + std::to_string(session.size)));
    m_objects[objectKey] = std::move(staging->second);
    m_staging.erase(staging);
    m_ahead.erase(session.staging.key);
    return StoredObject{objectKey, session.size};
}

StorageResult<void> FakeStorageBackend::abort(const Session& session) {
    std::lock_guard lock(m_mutex);
    m_staging.erase(session.staging.key);
    m_ahead.erase(session.staging.key);
    m_objects.erase(session.tailKey);
    m_aborted.push_back(session.staging.key);
    return {};
}

StorageResult<void> FakeStorageBackend::verify(const Session& session,
                                               const std::vector<ChunkReceipt>&) {
    if (auto failure = countCall(Operation::Verify))
        return tl::unexpected(*failure);
    std::lock_guard lock(m_mutex);
    const auto it = m_staging.find(session.staging.key);
    if (it == m_staging.end())
        return tl::unexpected(notFound("no staging " + session.staging.key));
    // A kept tail lives beside the staging, which holds the whole chunks before it.
    const std::int64_t whole = session.tailKey.empty()
                                   ? session.uploadedBytes
                                   : session.uploadedBytes / session.chunkSize * session.chunkSize;
    if (static_cast<std::int64_t>(it->second.size()) < whole ||
        (!session.tailKey.empty() && m_objects.count(session.tailKey) == 0))
        return tl::unexpected(notFound("staging " + session.staging.key + " lost bytes"));
    return {};
}

StorageResult<void>
FakeStorageBackend::readObject(const std::string& key, std::int64_t offset, std::int64_t length,
                               const std::function<bool(std::span<const char>)>& sink) {
    std::string bytes;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_objects.find(key);
        if (it == m_objects.end())
            return tl::unexpected(notFound("no object " + key));
        if (offset + length > static_cast<std::int64_t>(it->second.size()))
            return tl::unexpected(rejected("range past the end of " + key));
        bytes =
            it->second.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
    }
    sink(std::span<const char>(bytes.data(), bytes.size()));
    return {};
}

StorageResult<void> FakeStorageBackend::removeObject(const std::string& key) {
    std::lock_guard lock(m_mutex);
    m_objects.erase(key);
    m_removedObjects.push_back(key);
    return {};
}

std::optional<std::string> FakeStorageBackend::presignGet(const std::string&,
                                                          std::chrono::seconds) {
    return std::nullopt;
}

void FakeStorageBackend::reconcile(const std::function<bool(const StagingRef&)>& isOwned) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_staging, [&](const auto& entry) {
        return !isOwned(
            StagingRef{entry.first, "upload-" + entry.first.substr(entry.first.find('/') + 1)});
    });
}

} // namespace hoist::test
