#include "s3_backend.h"

#include "crypto.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <set>

namespace hoist {
namespace {

// S3 refuses presigned URLs that live longer than seven days.
constexpr std::chrono::seconds kMaxPresignTtl{7 * 24 * 3600};
// Far longer than begin() → session persisted takes; after that an unowned upload
// is an orphan.
constexpr std::chrono::minutes kBeginGrace{10};

std::string unquoted(const std::string& etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        return etag.substr(1, etag.size() - 2);
    }
    return etag;
}

StorageError storageError(StorageError::Kind kind, std::string message) {
    return StorageError{kind, std::move(message)};
}

// Holds one chunk in memory until commit(): the part upload must be retryable, and S3
// wants its length up front. A chunk begun by an earlier request starts with its tail,
// read back from the tail object (so memory stays one chunk, as for a whole one).
class S3ChunkWriter final : public ChunkWriter {
  public:
    S3ChunkWriter(S3Client& client, std::string key, std::string uploadId, std::int64_t index,
                  std::int64_t length, std::string tail)
        : m_client(client), m_key(std::move(key)), m_uploadId(std::move(uploadId)), m_index(index),
          m_length(length) {
        m_bytes.reserve(static_cast<std::size_t>(length));
        m_bytes = std::move(tail);
    }

    StorageResult<void> append(std::span<const char> bytes) override {
        if (static_cast<std::int64_t>(m_bytes.size() + bytes.size()) > m_length) {
            return tl::unexpected(
                storageError(StorageError::Kind::Rejected, "more bytes than the chunk's length"));
        }
        m_bytes.append(bytes.data(), bytes.size());
        return {};
    }

    StorageResult<ChunkReceipt> commit() override {
        if (static_cast<std::int64_t>(m_bytes.size()) != m_length) {
            return tl::unexpected(
                storageError(StorageError::Kind::Rejected, "the chunk is shorter than its length"));
        }
        auto etag = m_client.uploadPart(m_key, m_uploadId, static_cast<int>(m_index + 1), m_bytes);
        std::string().swap(m_bytes);
        if (!etag) {
            return tl::unexpected(toStorageError(etag.error(), "UploadPart " + m_key));
        }
        return ChunkReceipt{m_index, std::move(*etag)};
    }

    // A tail is an object of its own under a fresh name, never a part: parts other
    // than the last must be 5 MiB or more, and with a fresh name a request that lost
    // its session to another node cannot overwrite the tail the store recorded.
    StorageResult<std::string> keep() override {
        const std::string tailKey = m_key + ".tail-" + toHex(randomBytes(8));
        if (auto put = m_client.putObject(tailKey, m_bytes); !put) {
            return tl::unexpected(toStorageError(put.error(), "PutObject " + tailKey));
        }
        std::string().swap(m_bytes);
        return tailKey;
    }

  private:
    S3Client& m_client;
    std::string m_key;
    std::string m_uploadId;
    std::int64_t m_index;
    std::int64_t m_length;
    std::string m_bytes;
};

} // namespace

S3Backend::S3Backend(S3Config config, std::unique_ptr<S3Client> client)
    : m_config(std::move(config)), m_client(std::move(client)) {}

std::string S3Backend::keyFor(const Session& session) const {
    return m_config.prefix + session.id;
}

// Only keys shaped like ours (<prefix><uuid>) are hoistd's to abort, even when the
// prefix is empty and the bucket is shared.
bool S3Backend::isSessionKey(const std::string& key) const {
    if (key.size() != m_config.prefix.size() + 36 || key.rfind(m_config.prefix, 0) != 0) {
        return false;
    }
    const std::string id = key.substr(m_config.prefix.size());
    for (std::size_t i = 0; i < id.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) {
            return false;
        }
    }
    return true;
}

void S3Backend::warn(const std::string& message) const {
    if (m_config.warn) {
        m_config.warn(message);
    }
}

StorageResult<StagingRef> S3Backend::begin(const Session& session) {
    const std::string key = keyFor(session);
    auto uploadId = m_client->createMultipartUpload(key);
    if (!uploadId) {
        return tl::unexpected(toStorageError(uploadId.error(), "CreateMultipartUpload " + key));
    }
    std::lock_guard lock(m_mutex);
    m_begun[*uploadId] = std::chrono::steady_clock::now();
    return StagingRef{key, *uploadId};
}

StorageResult<std::unique_ptr<ChunkWriter>>
S3Backend::openChunk(const Session& session, std::int64_t index, std::int64_t length) {
    if (index < 0 || index >= session.chunkCount() || length != session.chunkLength(index)) {
        return tl::unexpected(
            storageError(StorageError::Kind::Rejected, "chunk " + std::to_string(index) + " of " +
                                                           std::to_string(length) +
                                                           " bytes does not fit the session"));
    }
    const std::int64_t begin = index * session.chunkSize;
    const std::int64_t tailLength =
        std::clamp(session.uploadedBytes - begin, std::int64_t{0}, length);
    std::string tail;
    if (tailLength > 0) {
        tail.reserve(static_cast<std::size_t>(length));
        auto read = m_client->getObject(session.tailKey, 0, tailLength,
                                        [&tail](std::span<const char> bytes) {
                                            tail.append(bytes.data(), bytes.size());
                                            return true;
                                        });
        if (!read) {
            return tl::unexpected(toStorageError(read.error(), "GetObject " + session.tailKey));
        }
        if (static_cast<std::int64_t>(tail.size()) != tailLength) {
            return tl::unexpected(storageError(StorageError::Kind::NotFound,
                                               "the tail " + session.tailKey + " is short"));
        }
    }
    return std::make_unique<S3ChunkWriter>(*m_client, session.staging.key, session.staging.uploadId,
                                           index, length, std::move(tail));
}

StorageResult<StoredObject> S3Backend::complete(const Session& session,
                                                const std::vector<ChunkReceipt>& receipts) {
    const std::string& key = session.staging.key;
    std::vector<ChunkReceipt> sorted = receipts;
    std::sort(sorted.begin(), sorted.end(),
              [](const ChunkReceipt& a, const ChunkReceipt& b) { return a.index < b.index; });
    if (static_cast<std::int64_t>(sorted.size()) != session.chunkCount()) {
        return tl::unexpected(storageError(StorageError::Kind::Rejected,
                                           "have " + std::to_string(sorted.size()) + " of " +
                                               std::to_string(session.chunkCount()) + " parts"));
    }
    if (sorted.empty()) {
        // S3 cannot complete a multipart upload of zero parts: an empty file is a plain
        // empty object.
        if (auto aborted = abort(session); !aborted) {
            return tl::unexpected(aborted.error());
        }
        if (auto put = m_client->putObject(key, {}); !put) {
            return tl::unexpected(toStorageError(put.error(), "PutObject " + key));
        }
        return StoredObject{key, 0};
    }
    std::vector<S3Part> parts;
    parts.reserve(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (sorted[i].index != static_cast<std::int64_t>(i)) {
            return tl::unexpected(storageError(StorageError::Kind::Rejected,
                                               "chunk " + std::to_string(i) + " is missing"));
        }
        parts.push_back({static_cast<int>(i + 1), sorted[i].etag, 0});
    }
    auto completed = m_client->completeMultipartUpload(key, session.staging.uploadId, parts);
    if (!completed) {
        // Completed already: an earlier attempt whose answer was lost (AWS answers its
        // retry with NoSuchUpload, moto under load with a 500), or a server that died
        // between completing and recording it. The key is this session's alone, so an
        // object of the session's size under it is this upload.
        auto size = m_client->headObject(key);
        if (size && *size == session.size) {
            return StoredObject{key, session.size};
        }
        return tl::unexpected(toStorageError(completed.error(), "CompleteMultipartUpload " + key));
    }
    return StoredObject{key, session.size};
}

StorageResult<void> S3Backend::abort(const Session& session) {
    if (!session.tailKey.empty()) {
        if (auto removed = removeObject(session.tailKey); !removed) {
            return removed;
        }
    }
    if (session.staging.uploadId.empty()) {
        return {};
    }
    auto aborted = m_client->abortMultipartUpload(session.staging.key, session.staging.uploadId);
    if (!aborted && aborted.error().code != S3Error::Code::NoSuchUpload) {
        return tl::unexpected(
            toStorageError(aborted.error(), "AbortMultipartUpload " + session.staging.key));
    }
    return {};
}

StorageResult<void> S3Backend::verify(const Session& session,
                                      const std::vector<ChunkReceipt>& receipts) {
    auto parts = m_client->listParts(session.staging.key, session.staging.uploadId);
    if (!parts) {
        return tl::unexpected(toStorageError(parts.error(), "ListParts " + session.staging.key));
    }
    std::map<int, const S3Part*> byNumber;
    for (const S3Part& part : *parts) {
        byNumber[part.number] = &part;
    }
    // Parts beyond the receipts are harmless: a chunk uploaded but never acknowledged
    // (crash before the commit) is sent again and overwrites its part.
    for (const ChunkReceipt& receipt : receipts) {
        const auto found = byNumber.find(static_cast<int>(receipt.index + 1));
        const std::string what =
            "part " + std::to_string(receipt.index + 1) + " of " + session.staging.key;
        if (found == byNumber.end()) {
            return tl::unexpected(storageError(StorageError::Kind::NotFound, what + " is missing"));
        }
        if (unquoted(found->second->etag) != unquoted(receipt.etag) ||
            found->second->size != session.chunkLength(receipt.index)) {
            return tl::unexpected(storageError(StorageError::Kind::Rejected,
                                               what + " differs from the recorded one"));
        }
    }
    const std::int64_t tailLength = session.uploadedBytes % session.chunkSize;
    if (!session.tailKey.empty() && tailLength > 0) {
        auto size = m_client->headObject(session.tailKey);
        if (!size) {
            return tl::unexpected(toStorageError(size.error(), "HeadObject " + session.tailKey));
        }
        if (*size < tailLength) {
            return tl::unexpected(storageError(StorageError::Kind::NotFound,
                                               "the tail " + session.tailKey + " is short"));
        }
    }
    return {};
}

StorageResult<void> S3Backend::readObject(const std::string& key, std::int64_t offset,
                                          std::int64_t length,
                                          const std::function<bool(std::span<const char>)>& sink) {
    auto read = m_client->getObject(key, offset, length, sink);
    if (!read) {
        return tl::unexpected(toStorageError(read.error(), "GetObject " + key));
    }
    return {};
}

StorageResult<void> S3Backend::removeObject(const std::string& key) {
    auto removed = m_client->deleteObject(key);
    if (!removed && removed.error().code != S3Error::Code::NoSuchKey) {
        return tl::unexpected(toStorageError(removed.error(), "DeleteObject " + key));
    }
    return {};
}

std::optional<std::string> S3Backend::presignGet(const std::string& key, std::chrono::seconds ttl) {
    return m_client->presignGet(key, std::clamp(ttl, std::chrono::seconds(1), kMaxPresignTtl),
                                std::chrono::system_clock::now());
}

namespace {
// Whether S3's "Initiated" time (ISO 8601, UTC) lies less than `grace` ago; an
// unreadable time counts as recent, so doubt never aborts an upload.
bool initiatedWithin(const std::string& initiated, std::chrono::seconds grace) {
    if (grace.count() == 0)
        return false;
    std::tm parts{};
    if (!strptime(initiated.c_str(), "%Y-%m-%dT%H:%M:%S", &parts))
        return true;
    const auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
    return std::chrono::system_clock::now() - at < grace;
}
} // namespace

void S3Backend::reconcile(const std::function<bool(const StagingRef&)>& isOwned) {
    std::set<std::string> recent;
    {
        std::lock_guard lock(m_mutex);
        const auto now = std::chrono::steady_clock::now();
        std::erase_if(m_begun, [&](const auto& entry) { return now - entry.second > kBeginGrace; });
        for (const auto& [uploadId, when] : m_begun) {
            recent.insert(uploadId);
        }
    }
    auto uploads = m_client->listMultipartUploads(m_config.prefix);
    if (!uploads) {
        warn("reconcile: ListMultipartUploads " + m_config.prefix + ": " +
             uploads.error().describe());
        return;
    }
    for (const S3Upload& upload : *uploads) {
        if (!isSessionKey(upload.key) || recent.count(upload.uploadId) > 0 ||
            initiatedWithin(upload.initiated, m_config.foreignUploadGrace) ||
            isOwned(StagingRef{upload.key, upload.uploadId})) {
            continue;
        }
        auto aborted = m_client->abortMultipartUpload(upload.key, upload.uploadId);
        if (!aborted && aborted.error().code != S3Error::Code::NoSuchUpload) {
            warn("reconcile: AbortMultipartUpload " + upload.key + ": " +
                 aborted.error().describe());
        }
    }
}

namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string hint(S3Error::Code code) {
    switch (code) {
    case S3Error::Code::NoSuchBucket:
        return " (does the bucket exist in this region?)";
    case S3Error::Code::InvalidAccessKeyId:
    case S3Error::Code::SignatureDoesNotMatch:
        return " (check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)";
    case S3Error::Code::AccessDenied:
        return " (the credentials need s3:ListBucketMultipartUploads, s3:PutObject, "
               "s3:GetObject, s3:DeleteObject and s3:AbortMultipartUpload on the bucket)";
    case S3Error::Code::Transport:
        return " (is the endpoint reachable?)";
    default:
        return "";
    }
}

} // namespace

tl::expected<std::unique_ptr<StorageBackend>, std::string> makeS3Backend(const S3Config& given) {
    S3Config config = given;
    if (config.bucket.empty()) {
        return tl::unexpected(std::string("S3 storage needs a bucket (--s3-bucket)"));
    }
    if (config.region.empty()) {
        config.region = "us-east-1";
    }
    if (config.endpoint.empty()) {
        config.endpoint = "https://s3." + config.region + ".amazonaws.com";
    }
    while (endsWith(config.endpoint, "/")) {
        config.endpoint.pop_back();
    }
    const auto schemeEnd = config.endpoint.find("://");
    const std::string scheme = config.endpoint.substr(0, schemeEnd);
    if (schemeEnd == std::string::npos || (scheme != "http" && scheme != "https") ||
        config.endpoint.size() == schemeEnd + 3 ||
        config.endpoint.find('/', schemeEnd + 3) != std::string::npos) {
        return tl::unexpected("S3 endpoint must be http(s)://HOST[:PORT], not '" + config.endpoint +
                              "'");
    }
    if (!config.pathStyle) {
        std::string host = config.endpoint.substr(schemeEnd + 3);
        host = host.substr(0, host.find(':'));
        // A dotted bucket name breaks the TLS wildcard of virtual-hosted AWS hosts.
        config.pathStyle =
            !endsWith(host, "amazonaws.com") || config.bucket.find('.') != std::string::npos;
    }
    if (config.accessKeyId.empty() && config.secretAccessKey.empty()) {
        config.accessKeyId = environment("AWS_ACCESS_KEY_ID");
        config.secretAccessKey = environment("AWS_SECRET_ACCESS_KEY");
        config.sessionToken = environment("AWS_SESSION_TOKEN");
    }
    if (config.accessKeyId.empty() || config.secretAccessKey.empty()) {
        return tl::unexpected(std::string(
            "S3 storage needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
    }

    auto client = std::make_unique<S3Client>(config);
    // The same call reconcile() depends on: it proves the bucket, the credentials, the
    // signature and the permission to list uploads in one request.
    if (auto probe = client->listMultipartUploads(config.prefix, 1); !probe) {
        return tl::unexpected("S3 bucket '" + config.bucket + "' at " + config.endpoint +
                              " is not usable: " + probe.error().describe() +
                              hint(probe.error().code));
    }
    return std::make_unique<S3Backend>(std::move(config), std::move(client));
}

} // namespace hoist
