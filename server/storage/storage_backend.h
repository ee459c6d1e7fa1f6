#pragma once

#include "session.h"

#include <tl/expected.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hoist {

struct StorageError {
    enum class Kind {
        NotFound,    // the staging or object is gone (expired elsewhere, aborted)
        Rejected,    // the store refused the request (S3: EntityTooSmall, InvalidPart, ...)
        Unavailable, // transient: the store is unreachable or overloaded; retrying may help
        NoSpace,     // the disk or the quota is full (ENOSPC, EDQUOT): retry once space returns
        Fatal,       // anything else (access denied, misconfiguration)
    };
    Kind kind = Kind::Fatal;
    std::string message;
};

template <typename T> using StorageResult = tl::expected<T, StorageError>;

// A completed, assembled object in the backend.
struct StoredObject {
    std::string key;
    std::int64_t size = 0;
};

// Receives one chunk's bytes. Created per PUT by StorageBackend::openChunk and used
// by one thread at a time (the request's, or a chunk pipeline's worker). Destroying
// it without commit() discards the chunk: nothing becomes visible and the committed
// offset never moves.
class ChunkWriter {
  public:
    virtual ~ChunkWriter() = default;
    // The chunk's bytes in order, in pieces of any size.
    virtual StorageResult<void> append(std::span<const char> bytes) = 0;
    // Every byte appended: make them durable. Only after success does the caller
    // commit the session's new offset (PROTOCOL: the 200 waits for this).
    virtual StorageResult<ChunkReceipt> commit() = 0;
    // Instead of commit() for a chunk not yet full (a tus PATCH may end anywhere): makes
    // the chunk's bytes so far durable as its unfinished beginning, its "tail", and
    // returns where they are kept — the next Session::tailKey (empty when in place).
    // Only after success does the caller commit the session's new offset; a tail key
    // names an object that removeObject() deletes once the store no longer needs it.
    // Every non-final S3 part stays a whole chunk: tails never become parts of their own.
    virtual StorageResult<std::string> keep() = 0;
};

// Stages the bytes of sessions and keeps finished objects. Handlers never know which
// implementation runs. Implementations are thread-safe; the caller holds the
// session's lock, so no two calls for one session overlap.
class StorageBackend {
  public:
    virtual ~StorageBackend() = default;

    // "disk" or "s3": appears in the finalization callback's storage object.
    virtual std::string name() const = 0;
    // The bucket, for backends that have one (the callback's storage.bucket).
    virtual std::optional<std::string> bucket() const = 0;

    // Prepares staging for a new session (S3: CreateMultipartUpload).
    virtual StorageResult<StagingRef> begin(const Session& session) = 0;
    // Opens chunk `index` (offset index * chunkSize) of `length` bytes. When
    // session.uploadedBytes lies inside the chunk, its bytes before that offset are the
    // tail kept by keep() (session.tailKey): the writer holds them already and takes
    // the rest.
    virtual StorageResult<std::unique_ptr<ChunkWriter>>
    openChunk(const Session& session, std::int64_t index, std::int64_t length) = 0;
    // Assembles the staged chunks (S3: CompleteMultipartUpload with every part's ETag,
    // in order) into one object of session.size bytes.
    virtual StorageResult<StoredObject> complete(const Session& session,
                                                 const std::vector<ChunkReceipt>& receipts) = 0;
    // Removes staged bytes (S3: AbortMultipartUpload, and the session's tail).
    // Idempotent: a missing staging is success.
    virtual StorageResult<void> abort(const Session& session) = 0;
    // Checks a resumed session's staging against what the store committed (S3:
    // ListParts); an error means the session cannot continue.
    virtual StorageResult<void> verify(const Session& session,
                                       const std::vector<ChunkReceipt>& receipts) = 0;

    // Streams [offset, offset + length) of a session's committed staged bytes into
    // sink, for hashing chunks that arrived ahead of the hash frontier (docs/protocol.md,
    // "Parallel chunks"). Backends that cannot read unfinished staging (S3 has no read of
    // a multipart upload's parts) answer Kind::Rejected; the hash is then finished from
    // the assembled object at complete.
    virtual StorageResult<void> readStaged(const Session& session, std::int64_t offset,
                                           std::int64_t length,
                                           const std::function<bool(std::span<const char>)>& sink) {
        (void)session;
        (void)offset;
        (void)length;
        (void)sink;
        return tl::unexpected(
            StorageError{StorageError::Kind::Rejected, name() + " cannot read staged bytes"});
    }
    // Streams [offset, offset + length) of a finished object into sink; sink returns
    // false to stop early.
    virtual StorageResult<void>
    readObject(const std::string& key, std::int64_t offset, std::int64_t length,
               const std::function<bool(std::span<const char>)>& sink) = 0;
    virtual StorageResult<void> removeObject(const std::string& key) = 0;
    // A URL anyone can GET the object from until it expires (S3: presigned GET);
    // nullopt when the backend has none and hoistd must serve the object itself.
    virtual std::optional<std::string> presignGet(const std::string& key,
                                                  std::chrono::seconds ttl) = 0;

    // Start-up and every sweep: remove staging that no live session owns (S3: abort
    // multipart uploads under our prefix that no session references). Asks `isOwned`
    // once per staged item, so nobody loads every live session; `isOwned` returns
    // true when in doubt (a store error), so nothing is removed on a guess.
    virtual void reconcile(const std::function<bool(const StagingRef&)>& isOwned) = 0;
};

} // namespace hoist
