// S3Backend against a real S3 speaker: a moto_server checking SigV4 signatures, so a
// signing mistake fails these tests the way it would fail against AWS. What every
// backend promises is checked in tests/server/contract; here is what only S3 shows.
#include "moto_s3_config.h"
#include "moto_server.h"
#include "s3_backend.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTest>
#include <QUuid>

using namespace hoist;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

Session makeSession(std::int64_t size, std::int64_t chunkSize = 8 * kMiB) {
    Session session;
    session.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    session.userId = "alice";
    session.size = size;
    session.chunkSize = chunkSize;
    return session;
}

// Reproducible bytes for chunk `index`, so a large file never needs to be in memory.
std::string chunkBytes(std::uint64_t seed, std::int64_t index, std::int64_t length) {
    std::string bytes(static_cast<std::size_t>(length), '\0');
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(index) + 1;
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for (std::size_t b = 0; b < 8 && i + b < bytes.size(); ++b) {
            bytes[i + b] = static_cast<char>(state >> (8 * b));
        }
    }
    return bytes;
}

std::int64_t lengthOf(const Session& session, std::int64_t index) {
    return std::min(session.chunkSize, session.size - index * session.chunkSize);
}

} // namespace

class TestS3Backend final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void stagingIsAMultipartUploadUnderTheSessionKey();
    void largeUploadReadsBackByteIdentical();
    void chunkWriterKeepsToItsLength();
    void abortRemovesTheUpload();
    void verifyChecksPartsAgainstReceipts();
    void reconcileAbortsOnlyOrphans();
    void storeErrorsAreTyped();
    void presignedGetServesTheObject();

  private:
    S3Config configFor(const MotoServer& moto, const QString& bucket) const;
    // Stages and commits every chunk of session; the receipts, or an empty list.
    std::vector<ChunkReceipt> uploadAll(StorageBackend& backend, Session& session,
                                        std::uint64_t seed, QByteArray* sha256 = nullptr);

    MotoServer m_moto{true};
    MotoServer m_open{false};
    QString m_bucket = QStringLiteral("hoist-backend-test");
    std::unique_ptr<StorageBackend> m_backend;
};

S3Config TestS3Backend::configFor(const MotoServer& moto, const QString& bucket) const {
    return hoist::test::motoS3Config(moto, bucket);
}

void TestS3Backend::initTestCase() {
    if (!m_moto.start()) {
        QSKIP(qPrintable(m_moto.errorString()));
    }
    QVERIFY(m_moto.createBucket(m_bucket));
    auto backend = makeS3Backend(configFor(m_moto, m_bucket));
    QVERIFY2(backend, backend ? "" : backend.error().c_str());
    m_backend = std::move(*backend);
    QCOMPARE(m_backend->name(), std::string("s3"));
    QCOMPARE(m_backend->bucket().value(), m_bucket.toStdString());
}

void TestS3Backend::cleanupTestCase() {
    // Every test cleans up after itself: moto must hold no multipart upload now.
    if (m_backend) {
        QCOMPARE(m_moto.multipartUploads(m_bucket), QStringList());
    }
}

std::vector<ChunkReceipt> TestS3Backend::uploadAll(StorageBackend& backend, Session& session,
                                                   std::uint64_t seed, QByteArray* sha256) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    std::vector<ChunkReceipt> receipts;
    for (std::int64_t index = 0; index < session.chunkCount(); ++index) {
        const std::string bytes = chunkBytes(seed, index, lengthOf(session, index));
        hash.addData(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));
        auto writer = backend.openChunk(session, index, lengthOf(session, index));
        if (!writer) {
            qWarning() << "openChunk:" << writer.error().message.c_str();
            return {};
        }
        // In pieces, as a request body arrives.
        for (std::size_t at = 0; at < bytes.size(); at += 1 << 20) {
            const auto piece = std::min<std::size_t>(1 << 20, bytes.size() - at);
            if (!(*writer)->append(std::span<const char>(bytes.data() + at, piece))) {
                return {};
            }
        }
        auto receipt = (*writer)->commit();
        if (!receipt) {
            qWarning() << "commit:" << receipt.error().message.c_str();
            return {};
        }
        receipts.push_back(*receipt);
        session.uploadedBytes += lengthOf(session, index);
    }
    if (sha256 != nullptr) {
        *sha256 = hash.result();
    }
    return receipts;
}

void TestS3Backend::stagingIsAMultipartUploadUnderTheSessionKey() {
    Session session = makeSession(6 * kMiB, 5 * kMiB);
    auto staging = m_backend->begin(session);
    QVERIFY2(staging, staging ? "" : staging.error().message.c_str());
    QCOMPARE(staging->key, "hoist-" + session.id);
    QVERIFY(!staging->uploadId.empty());
    session.staging = *staging;

    const auto receipts = uploadAll(*m_backend, session, 1);
    QCOMPARE(receipts.size(), std::size_t(2));
    QVERIFY(!receipts[0].etag.empty());
    auto stored = m_backend->complete(session, receipts);
    QVERIFY2(stored, stored ? "" : stored.error().message.c_str());
    // The library keeps the object where the upload put it.
    QCOMPARE(stored->key, staging->key);
    // Completing again, as after an answer lost on its way back, finds the object.
    auto again = m_backend->complete(session, receipts);
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE(again->key, staging->key);
    QCOMPARE(again->size, session.size);
    QVERIFY(m_backend->removeObject(stored->key));
}

void TestS3Backend::largeUploadReadsBackByteIdentical() {
    Session session = makeSession(100 * kMiB + 7);
    auto staging = m_backend->begin(session);
    QVERIFY(staging);
    session.staging = *staging;

    QElapsedTimer timer;
    timer.start();
    QByteArray sha256;
    const auto receipts = uploadAll(*m_backend, session, 2, &sha256);
    QCOMPARE(static_cast<std::int64_t>(receipts.size()), session.chunkCount());
    auto stored = m_backend->complete(session, receipts);
    QVERIFY(stored);
    const double uploadSeconds = static_cast<double>(timer.restart()) / 1000.0;

    QCryptographicHash readBack(QCryptographicHash::Sha256);
    std::int64_t received = 0;
    QVERIFY(m_backend->readObject(stored->key, 0, session.size, [&](std::span<const char> bytes) {
        readBack.addData(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));
        received += static_cast<std::int64_t>(bytes.size());
        return true;
    }));
    const double readSeconds = static_cast<double>(timer.elapsed()) / 1000.0;
    QCOMPARE(received, session.size);
    QCOMPARE(readBack.result().toHex(), sha256.toHex());
    qInfo("100 MiB through moto_server: upload+complete %.2f s (%.1f MiB/s), read %.2f s (%.1f "
          "MiB/s)",
          uploadSeconds, 100.0 / uploadSeconds, readSeconds, 100.0 / readSeconds);
    QVERIFY(m_backend->removeObject(stored->key));
}

void TestS3Backend::chunkWriterKeepsToItsLength() {
    Session session = makeSession(6 * kMiB, 5 * kMiB);
    auto staging = m_backend->begin(session);
    QVERIFY(staging);
    session.staging = *staging;
    QCOMPARE(m_backend->openChunk(session, 0, 4 * kMiB).error().kind, StorageError::Kind::Rejected);
    QCOMPARE(m_backend->openChunk(session, 2, kMiB).error().kind, StorageError::Kind::Rejected);
    QCOMPARE(m_backend->openChunk(session, -1, kMiB).error().kind, StorageError::Kind::Rejected);

    auto writer = m_backend->openChunk(session, 1, kMiB);
    QVERIFY(writer);
    const std::string bytes(kMiB, 'x');
    QVERIFY((*writer)->append(std::span<const char>(bytes.data(), bytes.size() - 1)));
    QCOMPARE((*writer)->commit().error().kind, StorageError::Kind::Rejected);
    auto overfull = m_backend->openChunk(session, 1, kMiB);
    QVERIFY((*overfull)->append(bytes));
    QCOMPARE((*overfull)->append(std::span<const char>(bytes.data(), 1)).error().kind,
             StorageError::Kind::Rejected);
    // Completing with parts missing is refused before S3 is asked.
    QCOMPARE(m_backend->complete(session, {}).error().kind, StorageError::Kind::Rejected);
    QVERIFY(m_backend->abort(session));
}

void TestS3Backend::abortRemovesTheUpload() {
    Session session = makeSession(11 * kMiB, 5 * kMiB);
    auto staging = m_backend->begin(session);
    QVERIFY(staging);
    session.staging = *staging;
    QVERIFY(m_moto.multipartUploads(m_bucket).join(' ').contains(
        QString::fromStdString(staging->uploadId)));
    QVERIFY(m_backend->abort(session));
    QVERIFY(!m_moto.multipartUploads(m_bucket).join(' ').contains(
        QString::fromStdString(staging->uploadId)));
    // A session that never got an upload (begin failed) has nothing to abort.
    Session never = makeSession(1);
    QVERIFY(m_backend->abort(never));
}

void TestS3Backend::verifyChecksPartsAgainstReceipts() {
    Session session = makeSession(15 * kMiB, 5 * kMiB);
    auto staging = m_backend->begin(session);
    QVERIFY(staging);
    session.staging = *staging;
    std::vector<ChunkReceipt> receipts;
    for (std::int64_t index = 0; index < 2; ++index) {
        auto writer = m_backend->openChunk(session, index, 5 * kMiB);
        QVERIFY((*writer)->append(chunkBytes(5, index, 5 * kMiB)));
        receipts.push_back(*(*writer)->commit());
    }
    QVERIFY(m_backend->verify(session, receipts));
    // A part uploaded but never acknowledged (crash before the store's commit) is fine.
    QVERIFY(m_backend->verify(session, {receipts[0]}));

    auto wrongEtag = receipts;
    wrongEtag[1].etag = "\"0123456789abcdef0123456789abcdef\"";
    QCOMPARE(m_backend->verify(session, wrongEtag).error().kind, StorageError::Kind::Rejected);
    QVERIFY(m_backend->abort(session));
}

void TestS3Backend::reconcileAbortsOnlyOrphans() {
    // A second backend stands for the process that crashed: this one did not begin its
    // uploads, so nothing protects them but the sessions passed in.
    auto crashed = makeS3Backend(configFor(m_moto, m_bucket));
    QVERIFY(crashed);
    Session live = makeSession(kMiB);
    Session orphan = makeSession(kMiB);
    live.staging = *(*crashed)->begin(live);
    orphan.staging = *(*crashed)->begin(orphan);
    // Begun by this process and not yet recorded by the caller: not an orphan yet.
    Session fresh = makeSession(kMiB);
    fresh.staging = *m_backend->begin(fresh);

    // Uploads that are not hoistd's, in the same bucket.
    S3Config foreignConfig = configFor(m_moto, m_bucket);
    foreignConfig.pathStyle = true;
    S3Client foreign(foreignConfig);
    const auto otherApp = foreign.createMultipartUpload("other-app/file.bin");
    const auto underPrefix = foreign.createMultipartUpload("hoist-not-a-session");
    QVERIFY(otherApp && underPrefix);

    m_backend->reconcile(
        [&](const StagingRef& staging) { return staging.uploadId == live.staging.uploadId; });
    const QString uploads = m_moto.multipartUploads(m_bucket).join(' ');
    QVERIFY(uploads.contains(QString::fromStdString(live.staging.uploadId)));
    QVERIFY(!uploads.contains(QString::fromStdString(orphan.staging.uploadId)));
    QVERIFY(uploads.contains(QString::fromStdString(fresh.staging.uploadId)));
    QVERIFY(uploads.contains(QString::fromStdString(*otherApp)));
    QVERIFY(uploads.contains(QString::fromStdString(*underPrefix)));

    QVERIFY(m_backend->abort(live));
    QVERIFY(m_backend->abort(fresh));
    QVERIFY(foreign.abortMultipartUpload("other-app/file.bin", *otherApp));
    QVERIFY(foreign.abortMultipartUpload("hoist-not-a-session", *underPrefix));
}

void TestS3Backend::storeErrorsAreTyped() {
    // EntityTooSmall: a non-final part under 5 MiB.
    Session small = makeSession(2 * kMiB, kMiB);
    small.staging = *m_backend->begin(small);
    const auto receipts = uploadAll(*m_backend, small, 6);
    QCOMPARE(receipts.size(), std::size_t(2));
    auto tooSmall = m_backend->complete(small, receipts);
    QVERIFY(!tooSmall);
    QCOMPARE(tooSmall.error().kind, StorageError::Kind::Rejected);
    QVERIFY2(tooSmall.error().message.find("EntityTooSmall") != std::string::npos,
             tooSmall.error().message.c_str());
    QVERIFY(m_backend->abort(small));

    // InvalidPart: an ETag S3 never gave.
    Session session = makeSession(kMiB);
    session.staging = *m_backend->begin(session);
    auto invalid = m_backend->complete(session, {{0, "\"0123456789abcdef0123456789abcdef\""}});
    QVERIFY(!invalid);
    QCOMPARE(invalid.error().kind, StorageError::Kind::Rejected);
    QVERIFY2(invalid.error().message.find("InvalidPart") != std::string::npos,
             invalid.error().message.c_str());
    QVERIFY(m_backend->abort(session));

    // A wrong secret: moto checks the signature like S3.
    S3Config wrongSecret = configFor(m_moto, m_bucket);
    wrongSecret.secretAccessKey = "not-the-secret";
    auto refused = makeS3Backend(wrongSecret);
    QVERIFY(!refused);
    QVERIFY2(refused.error().find("SignatureDoesNotMatch") != std::string::npos,
             refused.error().c_str());

    auto missingBucket = makeS3Backend(configFor(m_moto, QStringLiteral("no-such-bucket")));
    QVERIFY(!missingBucket);
    QVERIFY2(missingBucket.error().find("NoSuchBucket") != std::string::npos,
             missingBucket.error().c_str());

    S3Config unreachable = configFor(m_moto, m_bucket);
    unreachable.endpoint = "http://127.0.0.1:1";
    auto down = makeS3Backend(unreachable);
    QVERIFY(!down);
    QVERIFY2(down.error().find("reachable") != std::string::npos, down.error().c_str());

    S3Config noBucket = configFor(m_moto, QString());
    QVERIFY(makeS3Backend(noBucket).error().find("--s3-bucket") != std::string::npos);
    S3Config badEndpoint = configFor(m_moto, m_bucket);
    badEndpoint.endpoint = "ftp://127.0.0.1";
    QVERIFY(makeS3Backend(badEndpoint).error().find("http(s)://") != std::string::npos);
}

void TestS3Backend::presignedGetServesTheObject() {
    // Moto answers 500 to presigned URLs while it checks signatures: use an open one.
    if (!m_open.start()) {
        QFAIL(qPrintable(m_open.errorString()));
    }
    QVERIFY(m_open.createBucket(QStringLiteral("presign")));
    auto backend = makeS3Backend(configFor(m_open, QStringLiteral("presign")));
    QVERIFY(backend);
    Session session = makeSession(kMiB + 1);
    session.staging = *(*backend)->begin(session);
    const auto receipts = uploadAll(**backend, session, 7);
    auto stored = (*backend)->complete(session, receipts);
    QVERIFY(stored);

    const auto url = (*backend)->presignGet(stored->key, std::chrono::seconds(600));
    QVERIFY(url.has_value());
    QVERIFY(url->find("X-Amz-Signature=") != std::string::npos);
    QVERIFY(url->find("X-Amz-Expires=600") != std::string::npos);
    HttpClient http;
    HttpRequest request;
    request.url = *url;
    const auto response = http.request(request);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(static_cast<std::int64_t>(response->body.size()), session.size);
    QVERIFY(response->body.substr(0, kMiB) == chunkBytes(7, 0, kMiB));
    QVERIFY((*backend)->removeObject(stored->key));
    m_open.stop();
}

QTEST_GUILESS_MAIN(TestS3Backend)
#include "tst_s3backend.moc"
