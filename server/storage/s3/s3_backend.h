#pragma once

#include "s3_client.h"
#include "s3_config.h"
#include "storage_backend.h"

#include <tl/expected.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace hoist {

// Sessions as S3 multipart uploads: begin → CreateMultipartUpload of
// <prefix><sessionId>, chunk i → part i + 1, complete → CompleteMultipartUpload (the
// object stays where it is: the library keeps that key), abort → AbortMultipartUpload.
class S3Backend final : public StorageBackend {
  public:
    S3Backend(S3Config config, std::unique_ptr<S3Client> client);

    std::string name() const override { return "s3"; }
    std::optional<std::string> bucket() const override { return m_config.bucket; }

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
    std::string keyFor(const Session& session) const;
    bool isSessionKey(const std::string& key) const;
    void warn(const std::string& message) const;

    S3Config m_config;
    std::unique_ptr<S3Client> m_client;
    // Uploads this process began, with when: a session is persisted only after begin()
    // returns, so a reconcile() running meanwhile must not take its upload for an orphan.
    std::mutex m_mutex;
    std::map<std::string, std::chrono::steady_clock::time_point> m_begun;
};

// Completes config (endpoint, addressing style, credentials from the environment when
// not given) and checks that the bucket answers to these credentials, so that a
// misconfigured store stops hoistd at start-up. The error is a sentence for the operator.
tl::expected<std::unique_ptr<StorageBackend>, std::string> makeS3Backend(const S3Config& config);

} // namespace hoist
