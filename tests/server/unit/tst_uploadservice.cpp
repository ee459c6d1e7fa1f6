// The upload protocol's decisions (UploadService) over in-memory fakes of the store,
// the backend and the finalizer: init rules, the offset handshake and its precedence,
// atomic chunks, verification at completion, the per-session lock and the sweep.
#include "fake_finalizer.h"
#include "fake_session_store.h"
#include "fake_storage_backend.h"
#include "in_process_session_locker.h"
#include "native_chunk.h"
#include "sqlite_file_catalog.h"
#include "temporary_store.h"
#include "test_bytes.h"
#include "upload_service.h"

#include "sha256_state.h"
#include "time_format.h"
#include "validation.h"

#include <QCryptographicHash>
#include <QTest>

#include <set>

using namespace hoist;
using hoist::test::FakeFinalizer;
using hoist::test::FakeSessionStore;
using hoist::test::FakeStorageBackend;
using hoist::test::patternBytes;
using hoist::test::spanOf;
using hoist::test::TemporaryStore;
using Operation = FakeStorageBackend::Operation;

Q_DECLARE_METATYPE(Operation)
Q_DECLARE_METATYPE(StorageError::Kind)

namespace {
constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kChunk = 8 * kMiB;
const std::string kAlice = "alice";
// Three chunks: 8 MiB, 8 MiB and 1000 bytes.
const std::string kFile = patternBytes(static_cast<std::size_t>(2 * kChunk + 1000));
const std::string kPngHead("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);

std::string slice(const std::string& data, std::int64_t offset, std::int64_t length) {
    return data.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
}

// "ok", or the error's wire code: failures then print what happened.
template <typename T> std::string codeOf(const ApiResult<T>& result) {
    return result ? "ok" : wireCode(result.error().code);
}

// A request whose body delivers `body` (which must outlive it) in pieces.
NativeChunk chunkRequest(std::int64_t offset, std::string_view body,
                         std::size_t piece = 100 * 1024) {
    NativeChunk request;
    request.offset = std::to_string(offset);
    request.contentLength = static_cast<std::int64_t>(body.size());
    request.readBody = [body, piece](const ByteSink& sink) {
        for (std::size_t at = 0; at < body.size(); at += piece)
            if (!sink(body.data() + at, std::min(piece, body.size() - at)))
                return false;
        return true;
    };
    return request;
}

// Everything an UploadService stands on, faked where it is a seam.
struct Harness {
    explicit Harness(UploadPolicy policy = {})
        : service(store, backend, catalog.store(), finalization, locks, metrics, logger,
                  std::move(policy)) {}

    Session stored(const std::string& id) { return store.find(id).value().value(); }

    Session start(std::int64_t size, const std::string& fingerprint = {}) {
        auto session = service.init(kAlice, InitRequest{"file.bin", size, "", fingerprint});
        if (!session)
            qFatal("init failed: %s", session.error().message.c_str());
        return *session;
    }

    ApiResult<NativeChunkAck> put(const Session& session, const std::string& data,
                                  std::int64_t index) {
        const std::int64_t offset = index * session.chunkSize;
        const std::string body = slice(data, offset, session.chunkSize);
        return putNativeChunk(service, kAlice, session.id, chunkRequest(offset, body));
    }

    // Every chunk of `data`; false at the first refusal.
    bool putAll(const Session& session, const std::string& data) {
        for (std::int64_t index = 0; index < session.chunkCount(); ++index)
            if (!put(session, data, index))
                return false;
        return true;
    }

    ApiResult<Session> complete(const Session& session,
                                const std::optional<std::string>& fingerprint = std::nullopt) {
        return service.complete(kAlice, session.id, fingerprint);
    }

    void expire(const std::string& id) {
        Session s = stored(id);
        s.expiresAt = nowSeconds() - 1;
        if (!store.update(s))
            qFatal("update failed");
    }

    FakeSessionStore store;
    FakeStorageBackend backend;
    FakeFinalizer finalizer;
    TemporaryStore<SqliteFileCatalog> catalog;
    InProcessSessionLocker locks;
    Metrics metrics;
    Logger logger{LogLevel::Error};
    FinalizationRunner finalization{store, finalizer, locks, metrics, logger};
    UploadService service;
};
} // namespace

class TestUploadService final : public QObject {
    Q_OBJECT

  private slots:
    void init() { m = std::make_unique<Harness>(); }
    void cleanup() { m.reset(); }

    void initCreatesASession();
    void aChunkStartingWhileTheHashCatchesUpIsKept();
    void initRefusesBadRequests();
    void initStorageFailureCreatesNothing();
    void chunkSizeRule_data();
    void chunkSizeRule();
    void zeroByteFileCompletesAtOnce();
    void wholeUploadCompletes();
    void offsetMismatchAnswersTheTruth();
    void refusalPrecedence_data();
    void refusalPrecedence();
    void lastChunkIsExactlyTheRest();
    void storageFailureMidChunkCommitsNothing_data();
    void storageFailureMidChunkCommitsNothing();
    void bodyCutShortCommitsNothing();
    void bodyLongerThanDeclaredCommitsNothing();
    void checksumMismatchCommitsNothing();
    void wrongFingerprintFailsTheSession();
    void fingerprintFromInitIsChecked();
    void withoutFingerprintTheServersHashCounts();
    void completeBeforeAllBytesIsIncomplete();
    void completeStorageFailureCanBeRetried();
    void disallowedTypeFailsTheSession();
    void allowedTypeCompletes();
    void completionIsIdempotent();
    void slowFinalizationStaysFinalizing();
    void secondRequestWhileBodyIsReadIsLocked();
    void foreignMissingAndExpiredSessionsAreNotFound();
    void abortRemovesBytesAndSession();
    void restartedServiceResumesFromTheLastByte();
    void lostStagingFailsTheSession();
    void unavailableStorageAtResumeIsRetryable();
    void sweepExpiresSessionsAndAbortsStaging();
    void sweepSkipsSessionsInUse();
    void sweepPagesThroughManyExpiredSessions();
    void openSessionsAreLimitedPerUser();
    void quotaCountsDeclaredAndStoredBytes();
    void namesLongerThan255BytesAreTooLarge();
    void lostCompareAndSwapAnswersTheStoresTruth();
    void unavailableStoreIsRetryable();
    void fullDiskIsInsufficientStorageAndTheChunkIsAcceptedLater();
    void appendOfAnyLengthCommitsWholeChunks();
    void digestCoversOneChunkAtMost();
    void keptTailsMakeWholeChunksOfSmallAppends();
    void cutAppendKeepsWhatArrived();
    void digestOfACutAppendKeepsNothing();
    void deferredLengthIsDeclaredOnce();
    void declaringTheLengthCommitsTheKeptTail_data();
    void declaringTheLengthCommitsTheKeptTail();
    void deferredUploadsGrowIntoTheQuota();
    void nativeFaceWaitsForTheLength();

  private:
    std::unique_ptr<Harness> m;
};

void TestUploadService::initCreatesASession() {
    const std::int64_t before = nowSeconds();
    const auto session = m->service.init(kAlice, {"holiday.mp4", 20 * kMiB, "video/mp4", ""});
    QCOMPARE(codeOf(session), "ok");
    QVERIFY(isUuid(session->id));
    QCOMPARE(session->userId, kAlice);
    QCOMPARE(session->uploadedBytes, std::int64_t{0});
    QCOMPARE(session->chunkSize, kChunk);
    QCOMPARE(session->state, SessionState::Uploading);
    QVERIFY(session->expiresAt >= before + 86400 && session->expiresAt <= nowSeconds() + 86400);
    QVERIFY(m->backend.hasStaging(session->staging.key));
    QCOMPARE(m->stored(session->id).fileName, "holiday.mp4");
    QVERIFY(m->service.init(kAlice, {"holiday.mp4", 1, "", ""})->id != session->id);
}

void TestUploadService::initRefusesBadRequests() {
    m = std::make_unique<Harness>(UploadPolicy{1000 * kMiB, 86400, {}, 1000, std::nullopt});
    for (const char* name : {"", "..", "a/b", "a\\b", "a\nb", "\xC0\xAF"})
        QCOMPARE(codeOf(m->service.init(kAlice, {name, 10, "", ""})), "bad_request");
    const auto tooLarge = m->service.init(kAlice, {"big.iso", 1000 * kMiB + 1, "", ""});
    QCOMPARE(codeOf(tooLarge), "too_large");
    QCOMPARE(tooLarge.error().extra["maxSize"].get<std::int64_t>(), 1000 * kMiB);
    QCOMPARE(m->backend.calls(Operation::Begin), 0);
    QCOMPARE(codeOf(m->service.init(kAlice, {"max.iso", 1000 * kMiB, "", ""})), "ok");
}

void TestUploadService::initStorageFailureCreatesNothing() {
    m->backend.failAt(Operation::Begin, 1, StorageError::Kind::Unavailable);
    QCOMPARE(codeOf(m->service.init(kAlice, {"a.bin", 10, "", ""})), "storage_unavailable");
    QVERIFY(m->store.countByState().value().empty());
}

void TestUploadService::chunkSizeRule_data() {
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("expected"); // 0: only the rule's bounds are checked
    const qint64 MiB = kMiB;
    const qint64 GiB = qint64(1) << 30;
    QTest::newRow("empty") << qint64(0) << 8 * MiB;
    QTest::newRow("one byte") << qint64(1) << 8 * MiB;
    QTest::newRow("10,000 default chunks") << 8 * MiB * 10000 << 8 * MiB;
    QTest::newRow("one byte more") << 8 * MiB * 10000 + 1 << 9 * MiB;
    QTest::newRow("100 GiB") << 100 * GiB << 11 * MiB;
    QTest::newRow("1 TiB") << 1024 * GiB << qint64(0);
    QTest::newRow("5 TiB") << 5 * 1024 * GiB << qint64(0);
    QTest::newRow("odd size") << qint64(123456789012) << qint64(0);
}

void TestUploadService::chunkSizeRule() {
    QFETCH(qint64, size);
    QFETCH(qint64, expected);
    const std::int64_t chunk = UploadService::chunkSizeFor(size);
    if (expected != 0)
        QCOMPARE(chunk, expected);
    QVERIFY(chunk >= 5 * kMiB);                   // S3's smallest part
    QVERIFY((size + chunk - 1) / chunk <= 10000); // S3's part count
    QVERIFY(chunk <= std::int64_t{5} << 30);      // S3's largest part
}

void TestUploadService::zeroByteFileCompletesAtOnce() {
    const Session session = m->start(0);
    const auto done = m->complete(session);
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
    QCOMPARE(done->fingerprint, Sha256State().hexDigest());
    QCOMPARE(done->size, std::int64_t{0});
}

void TestUploadService::wholeUploadCompletes() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QCOMPARE(session.chunkCount(), std::int64_t{3});
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "ok");
    QCOMPARE(m->put(session, kFile, 1)->uploadedBytes, 2 * kChunk);
    QCOMPARE(m->put(session, kFile, 2)->uploadedBytes, static_cast<std::int64_t>(kFile.size()));
    QCOMPARE(m->service.status(kAlice, session.id)->uploadedBytes,
             static_cast<std::int64_t>(kFile.size()));

    const std::string fingerprint = Sha256State::hexOf(spanOf(kFile));
    const auto done = m->complete(session, fingerprint);
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
    QCOMPARE(done->fileId, "file-" + session.id);
    QCOMPARE(done->fingerprint, fingerprint);
    QCOMPARE(done->detectedMimeType, "application/octet-stream");
    QCOMPARE(m->stored(session.id).state, SessionState::Completed);
    // The finalizer got the assembled object, every byte in order.
    const auto finalized = m->finalizer.finalized();
    QCOMPARE(finalized.size(), std::size_t(1));
    QCOMPARE(finalized[0].state, SessionState::Finalizing);
    QVERIFY(m->backend.object(finalized[0].staging.key) == kFile);
    QVERIFY(!m->backend.hasStaging(session.staging.key));
}

void TestUploadService::offsetMismatchAnswersTheTruth() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    const int appends = m->backend.calls(Operation::Append);
    // Behind (a lost answer) and ahead (a confused client): both get the truth.
    for (std::int64_t index : {0, 2}) {
        const auto refused = m->put(session, kFile, index);
        QCOMPARE(codeOf(refused), "offset_mismatch");
        QCOMPARE(refused.error().extra["uploadedBytes"].get<std::int64_t>(), kChunk);
    }
    QCOMPARE(m->backend.calls(Operation::Append), appends);
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
}

void TestUploadService::refusalPrecedence_data() {
    QTest::addColumn<QString>("offset"); // "-" for none
    QTest::addColumn<qint64>("length");  // -1 for no Content-Length
    QTest::addColumn<QString>("sha256"); // "" for none
    QTest::addColumn<QString>("code");
    const qint64 size = static_cast<qint64>(kFile.size());
    const QString none;
    // docs/protocol.md: 409 offset mismatch, then 413 exceeds_size, then 400 wrong length.
    const qint64 chunk = kChunk;
    QTest::newRow("mismatch before exceeds") << "5" << size + 1 << none << "offset_mismatch";
    QTest::newRow("mismatch before length") << "5" << qint64(3) << none << "offset_mismatch";
    QTest::newRow("exceeds before length") << "0" << size + 1 << none << "exceeds_size";
    QTest::newRow("short first chunk") << "0" << chunk - 1 << none << "bad_request";
    QTest::newRow("long first chunk") << "0" << chunk + 1 << none << "bad_request";
    QTest::newRow("no offset") << "-" << chunk << none << "bad_request";
    QTest::newRow("offset not a number") << "abc" << chunk << none << "bad_request";
    QTest::newRow("negative offset") << "-1" << chunk << none << "bad_request";
    QTest::newRow("offset with sign") << "+0" << chunk << none << "bad_request";
    QTest::newRow("no length") << "0" << qint64(-1) << none << "length_required";
    QTest::newRow("malformed checksum") << "0" << chunk << QString(64, 'A') << "bad_request";
}

void TestUploadService::refusalPrecedence() {
    QFETCH(QString, offset);
    QFETCH(qint64, length);
    QFETCH(QString, sha256);
    QFETCH(QString, code);
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    bool bodyRead = false;
    NativeChunk request;
    if (offset != "-")
        request.offset = offset.toStdString();
    if (length >= 0)
        request.contentLength = length;
    if (!sha256.isEmpty())
        request.chunkSha256 = sha256.toStdString();
    request.readBody = [&](const ByteSink&) { return bodyRead = true; };
    const auto refused = putNativeChunk(m->service, kAlice, session.id, request);
    QCOMPARE(QString::fromStdString(codeOf(refused)), code);
    QVERIFY2(!bodyRead, "a refused chunk's body was read");
    if (code == "exceeds_size" || code == "offset_mismatch")
        QCOMPARE(refused.error().extra["uploadedBytes"].get<std::int64_t>(), std::int64_t{0});
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
}

void TestUploadService::lastChunkIsExactlyTheRest() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    QVERIFY(m->put(session, kFile, 1));
    const std::string rest = slice(kFile, 2 * kChunk, 1000);
    const std::string tooLong = rest + "x";
    QCOMPARE(
        codeOf(putNativeChunk(m->service, kAlice, session.id, chunkRequest(2 * kChunk, tooLong))),
        "exceeds_size");
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id,
                                   chunkRequest(2 * kChunk, rest.substr(1)))),
             "bad_request");
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, chunkRequest(2 * kChunk, rest))),
             "ok");
}

void TestUploadService::storageFailureMidChunkCommitsNothing_data() {
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<int>("nth");
    QTest::addColumn<StorageError::Kind>("kind");
    QTest::addColumn<QString>("code");
    // Pieces of the 8 MiB chunk reach the writer in 1 MiB blocks: call 4 is mid-chunk.
    QTest::newRow("append, fatal")
        << Operation::Append << 4 << StorageError::Kind::Fatal << "internal";
    QTest::newRow("append, unavailable")
        << Operation::Append << 4 << StorageError::Kind::Unavailable << "storage_unavailable";
    QTest::newRow("last append") << Operation::Append << 8 << StorageError::Kind::Fatal
                                 << "internal";
    QTest::newRow("commit") << Operation::Commit << 1 << StorageError::Kind::Unavailable
                            << "storage_unavailable";
}

void TestUploadService::storageFailureMidChunkCommitsNothing() {
    QFETCH(Operation, operation);
    QFETCH(int, nth);
    QFETCH(StorageError::Kind, kind);
    QFETCH(QString, code);
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    const Session before = m->stored(session.id);

    m->backend.failAt(operation, nth, kind);
    QCOMPARE(QString::fromStdString(codeOf(m->put(session, kFile, 1))), code);
    const Session after = m->stored(session.id);
    QCOMPARE(after.uploadedBytes, kChunk);
    QVERIFY(after.hashState == before.hashState);
    QVERIFY(m->backend.staged(session.staging.key) == slice(kFile, 0, kChunk));

    // The client retries the same chunk, and the file comes out whole.
    QCOMPARE(codeOf(m->put(session, kFile, 1)), "ok");
    QCOMPARE(codeOf(m->put(session, kFile, 2)), "ok");
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
    QVERIFY(m->backend.object(m->finalizer.finalized().at(0).staging.key) == kFile);
}

void TestUploadService::bodyCutShortCommitsNothing() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string chunk = slice(kFile, 0, kChunk);
    // The connection drops after half the chunk.
    NativeChunk request = chunkRequest(0, chunk);
    request.readBody = [&chunk](const ByteSink& sink) {
        sink(chunk.data(), chunk.size() / 2);
        return false;
    };
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "bad_request");
    // A body that ends early without an error from the transport is no better.
    request.readBody = [&chunk](const ByteSink& sink) { return sink(chunk.data(), 1000); };
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "bad_request");

    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    QCOMPARE(m->stored(session.id).hashState, Sha256State().serialize());
    QVERIFY(m->backend.staged(session.staging.key).empty());
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "ok");
}

void TestUploadService::bodyLongerThanDeclaredCommitsNothing() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string longer = slice(kFile, 0, kChunk + 10);
    NativeChunk request = chunkRequest(0, longer);
    request.contentLength = kChunk; // the declared length is right, the body is not
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "bad_request");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    QVERIFY(m->backend.staged(session.staging.key).empty());
}

void TestUploadService::checksumMismatchCommitsNothing() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string chunk = slice(kFile, 0, kChunk);
    NativeChunk request = chunkRequest(0, chunk);
    request.chunkSha256 = Sha256State::hexOf(spanOf(chunk.substr(1)));
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "checksum_mismatch");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    QVERIFY(m->backend.staged(session.staging.key).empty());

    request.chunkSha256 = Sha256State::hexOf(spanOf(chunk));
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "ok");
}

void TestUploadService::wrongFingerprintFailsTheSession() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->putAll(session, kFile));
    const auto refused = m->complete(session, std::string(64, '0'));
    QCOMPARE(codeOf(refused), "fingerprint_mismatch");
    QCOMPARE(m->service.status(kAlice, session.id)->state, SessionState::Failed);
    QVERIFY(!m->backend.hasStaging(session.staging.key));
    QCOMPARE(m->backend.aborted(), std::vector<std::string>{session.staging.key});
    QVERIFY(m->finalizer.finalized().empty());
    // A failed session stays failed, whatever comes next.
    QCOMPARE(codeOf(m->complete(session, Sha256State::hexOf(spanOf(kFile)))), "session_failed");
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "session_failed");
}

void TestUploadService::fingerprintFromInitIsChecked() {
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000, Sha256State::hexOf(spanOf(data + "x")));
    QVERIFY(m->putAll(session, data));
    QCOMPARE(codeOf(m->complete(session)), "fingerprint_mismatch");
}

void TestUploadService::withoutFingerprintTheServersHashCounts() {
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000);
    QVERIFY(m->putAll(session, data));
    const auto done = m->complete(session);
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->fingerprint, Sha256State::hexOf(spanOf(data)));
}

void TestUploadService::completeBeforeAllBytesIsIncomplete() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    const auto refused = m->complete(session);
    QCOMPARE(codeOf(refused), "incomplete");
    QCOMPARE(refused.error().extra["uploadedBytes"].get<std::int64_t>(), kChunk);
    QCOMPARE(m->stored(session.id).state, SessionState::Uploading);
}

void TestUploadService::completeStorageFailureCanBeRetried() {
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000);
    QVERIFY(m->putAll(session, data));
    m->backend.failAt(Operation::Complete, 1, StorageError::Kind::Unavailable);
    QCOMPARE(codeOf(m->complete(session)), "storage_unavailable");
    QCOMPARE(m->stored(session.id).state, SessionState::Uploading);
    QCOMPARE(codeOf(m->complete(session)), "ok");
}

void TestUploadService::disallowedTypeFailsTheSession() {
    m = std::make_unique<Harness>(
        UploadPolicy{std::int64_t{1} << 40, 86400, {"image/png"}, 1000, std::nullopt});
    const std::string pdf = "%PDF-1.7\n" + patternBytes(1000);
    const Session session = m->start(static_cast<std::int64_t>(pdf.size()));
    QVERIFY(m->putAll(session, pdf));
    QCOMPARE(codeOf(m->complete(session)), "type_not_allowed");
    QCOMPARE(m->stored(session.id).state, SessionState::Failed);
    QVERIFY(!m->backend.hasStaging(session.staging.key));
    QVERIFY(m->finalizer.finalized().empty());
}

void TestUploadService::allowedTypeCompletes() {
    m = std::make_unique<Harness>(UploadPolicy{
        std::int64_t{1} << 40, 86400, {"image/jpeg", "image/png"}, 1000, std::nullopt});
    // The client's claim does not matter; the bytes do.
    const std::string png = kPngHead + patternBytes(1000);
    auto session = m->service.init(
        kAlice, {"photo.jpg", static_cast<std::int64_t>(png.size()), "image/jpeg", ""});
    QVERIFY(session);
    QVERIFY(m->putAll(*session, png));
    const auto done = m->complete(*session);
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->detectedMimeType, "image/png");
}

void TestUploadService::completionIsIdempotent() {
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000);
    QVERIFY(m->putAll(session, data));
    const auto first = m->complete(session);
    const auto second = m->complete(session, Sha256State::hexOf(spanOf(data)));
    QCOMPARE(codeOf(second), "ok");
    QCOMPARE(second->state, SessionState::Completed);
    QCOMPARE(second->fileId, first->fileId);
    QCOMPARE(second->fingerprint, first->fingerprint);
    QCOMPARE(m->finalizer.finalized().size(), std::size_t(1));
    QCOMPARE(codeOf(m->put(session, data, 0)), "completed");
    QCOMPARE(codeOf(m->service.abort(kAlice, session.id)), "completed");
}

void TestUploadService::slowFinalizationStaysFinalizing() {
    m->finalizer.setOutcome(FinalizeOutcome::Status::Retry);
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000);
    QVERIFY(m->putAll(session, data));
    const auto pending = m->complete(session);
    QCOMPARE(codeOf(pending), "ok");
    QCOMPARE(pending->state, SessionState::Finalizing);
    QCOMPARE(pending->finalizeAttempts, 1);
    QVERIFY(pending->nextFinalizeAt > nowSeconds() - 1);
    QCOMPARE(m->stored(session.id).state, SessionState::Finalizing);
    // Polling complete() again does not deliver again: the runner retries on its own.
    QCOMPARE(m->complete(session)->state, SessionState::Finalizing);
    QCOMPARE(m->finalizer.finalized().size(), std::size_t(1));
    QCOMPARE(codeOf(m->put(session, data, 0)), "finalizing");
    QCOMPARE(codeOf(m->service.abort(kAlice, session.id)), "finalizing");
}

void TestUploadService::secondRequestWhileBodyIsReadIsLocked() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const Session other = m->start(1000);
    const std::string otherData = patternBytes(1000);
    const std::string chunk = slice(kFile, 0, kChunk);
    std::string lockedPut, lockedComplete, lockedAbort, otherPut;
    NativeChunk request = chunkRequest(0, chunk);
    request.readBody = [&](const ByteSink& sink) {
        // The first request is reading its body: everything else on the session waits.
        lockedPut = codeOf(m->put(session, kFile, 0));
        lockedComplete = codeOf(m->complete(session));
        lockedAbort = codeOf(m->service.abort(kAlice, session.id));
        otherPut = codeOf(m->put(other, otherData, 0)); // other sessions do not
        return sink(chunk.data(), chunk.size());
    };
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "ok");
    QCOMPARE(lockedPut, "locked");
    QCOMPARE(lockedComplete, "locked");
    QCOMPARE(lockedAbort, "locked");
    QCOMPARE(otherPut, "ok");
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
    // Released with the first request.
    QCOMPARE(codeOf(m->put(session, kFile, 1)), "ok");
}

void TestUploadService::foreignMissingAndExpiredSessionsAreNotFound() {
    const Session session = m->start(1000);
    const std::string data = patternBytes(1000);
    const std::string bob = "bob";
    QCOMPARE(codeOf(m->service.status(bob, session.id)), "not_found");
    QCOMPARE(codeOf(putNativeChunk(m->service, bob, session.id, chunkRequest(0, data))),
             "not_found");
    QCOMPARE(codeOf(m->service.complete(bob, session.id, std::nullopt)), "not_found");
    QCOMPARE(codeOf(m->service.abort(bob, session.id)), "not_found");
    QVERIFY(m->backend.hasStaging(session.staging.key));

    QCOMPARE(codeOf(m->service.status(kAlice, newUuid())), "not_found");
    QCOMPARE(codeOf(m->service.status(kAlice, "not-a-uuid")), "not_found");
    m->expire(session.id);
    QCOMPARE(codeOf(m->service.status(kAlice, session.id)), "not_found");
    QCOMPARE(codeOf(m->put(session, data, 0)), "not_found");
}

void TestUploadService::abortRemovesBytesAndSession() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    QCOMPARE(codeOf(m->service.abort(kAlice, session.id)), "ok");
    QVERIFY(!m->backend.hasStaging(session.staging.key));
    QCOMPARE(codeOf(m->service.status(kAlice, session.id)), "not_found");
    QCOMPARE(codeOf(m->service.abort(kAlice, session.id)), "not_found");
}

void TestUploadService::restartedServiceResumesFromTheLastByte() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    QVERIFY(m->put(session, kFile, 1));
    QCOMPARE(m->backend.calls(Operation::Verify), 1); // once per session and process

    // A new process over the same store and staging: hashing resumes from the
    // persisted state, and the staging is checked again before it is trusted.
    UploadService restarted(m->store, m->backend, m->catalog.store(), m->finalization, m->locks,
                            m->metrics, m->logger, UploadPolicy{});
    QCOMPARE(restarted.status(kAlice, session.id)->uploadedBytes, 2 * kChunk);
    const std::string rest = slice(kFile, 2 * kChunk, 1000);
    QCOMPARE(codeOf(putNativeChunk(restarted, kAlice, session.id, chunkRequest(2 * kChunk, rest))),
             "ok");
    QCOMPARE(m->backend.calls(Operation::Verify), 2);
    const auto done = restarted.complete(kAlice, session.id, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
}

void TestUploadService::lostStagingFailsTheSession() {
    const Session session = m->start(1000);
    m->backend.failAt(Operation::Verify, 1, StorageError::Kind::NotFound);
    QCOMPARE(codeOf(m->put(session, patternBytes(1000), 0)), "session_failed");
    QCOMPARE(m->stored(session.id).state, SessionState::Failed);
    QVERIFY(!m->stored(session.id).failureReason.empty());
}

void TestUploadService::unavailableStorageAtResumeIsRetryable() {
    const std::string data = patternBytes(1000);
    const Session session = m->start(1000);
    m->backend.failAt(Operation::Verify, 1, StorageError::Kind::Unavailable);
    QCOMPARE(codeOf(m->put(session, data, 0)), "storage_unavailable");
    QCOMPARE(m->stored(session.id).state, SessionState::Uploading);
    QCOMPARE(codeOf(m->put(session, data, 0)), "ok");
}

void TestUploadService::sweepExpiresSessionsAndAbortsStaging() {
    const std::string data = patternBytes(1000);
    const Session live = m->start(1000);
    const Session stale = m->start(1000);
    QVERIFY(m->put(stale, data, 0));
    m->finalizer.setOutcome(FinalizeOutcome::Status::Retry);
    const Session finalizing = m->start(1000);
    QVERIFY(m->putAll(finalizing, data));
    const std::string objectKey = m->complete(finalizing)->staging.key;
    // Staging nobody owns (a crash between begin and the session row).
    Session orphan;
    orphan.id = newUuid();
    const std::string orphanKey = m->backend.begin(orphan).value().key;

    m->expire(stale.id);
    m->expire(finalizing.id);
    QCOMPARE(m->service.sweep(), std::size_t(2));

    QVERIFY(!m->store.find(stale.id).value());
    QVERIFY(!m->store.find(finalizing.id).value());
    QVERIFY(!m->backend.hasStaging(stale.staging.key));
    QCOMPARE(m->backend.removedObjects(), std::vector<std::string>{objectKey});
    QVERIFY(!m->backend.hasStaging(orphanKey));
    QVERIFY(m->backend.hasStaging(live.staging.key));
    QCOMPARE(m->stored(live.id).state, SessionState::Uploading);
    QCOMPARE(m->service.sweep(), std::size_t(0));
}

void TestUploadService::sweepSkipsSessionsInUse() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string chunk = slice(kFile, 0, kChunk);
    std::size_t swept = 99;
    NativeChunk request = chunkRequest(0, chunk);
    request.readBody = [&](const ByteSink& sink) {
        m->expire(session.id);
        swept = m->service.sweep();
        return sink(chunk.data(), chunk.size());
    };
    QCOMPARE(codeOf(putNativeChunk(m->service, kAlice, session.id, request)), "ok");
    QCOMPARE(swept, std::size_t(0));
    // The accepted chunk renewed the expiry.
    QVERIFY(m->stored(session.id).expiresAt > nowSeconds());
    QVERIFY(m->backend.staged(session.staging.key) == chunk);
}

void TestUploadService::sweepPagesThroughManyExpiredSessions() {
    const std::size_t count = UploadService::kSweepPage * 2 + 7;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i)
        ids.push_back(m->start(10).id);
    for (const std::string& id : ids)
        m->expire(id);
    const Session live = m->start(10);
    QCOMPARE(m->service.sweep(), count);
    QVERIFY(m->store.find(live.id).value().has_value());
    QCOMPARE(m->store.countByState().value().at(SessionState::Uploading), std::int64_t{1});
}

void TestUploadService::openSessionsAreLimitedPerUser() {
    UploadPolicy policy;
    policy.maxOpenSessions = 2;
    m = std::make_unique<Harness>(policy);
    const Session first = m->start(10);
    m->start(10);
    const auto refused = m->service.init(kAlice, {"third.bin", 10, "", ""});
    QCOMPARE(codeOf(refused), "too_many_sessions");
    QCOMPARE(m->backend.calls(Operation::Begin), 2); // refused before staging is made
    QCOMPARE(codeOf(m->service.init("bob", {"bob.bin", 10, "", ""})), "ok");
    // A completed session is no longer open.
    const std::string data = patternBytes(10);
    QVERIFY(m->put(first, data, 0));
    QCOMPARE(m->complete(first)->state, SessionState::Completed);
    QCOMPARE(codeOf(m->service.init(kAlice, {"third.bin", 10, "", ""})), "ok");
}

void TestUploadService::quotaCountsDeclaredAndStoredBytes() {
    UploadPolicy policy;
    policy.quotaBytes = 1000;
    m = std::make_unique<Harness>(policy);
    FileRecord stored;
    stored.fileId = "f1";
    stored.userId = kAlice;
    stored.fileName = "old.bin";
    stored.size = 300;
    QVERIFY(m->catalog.store().add(stored));
    m->start(600);
    const auto refused = m->service.init(kAlice, {"more.bin", 101, "", ""});
    QCOMPARE(codeOf(refused), "quota_exceeded");
    QCOMPARE(refused.error().extra["quota"].get<std::int64_t>(), std::int64_t{1000});
    QCOMPARE(refused.error().extra["used"].get<std::int64_t>(), std::int64_t{900});
    QCOMPARE(codeOf(m->service.init(kAlice, {"fits.bin", 100, "", ""})), "ok");
    QCOMPARE(codeOf(m->service.init("bob", {"bob.bin", 1000, "", ""})), "ok");
}

void TestUploadService::namesLongerThan255BytesAreTooLarge() {
    // 128 two-byte characters: 256 bytes of UTF-8.
    std::string longName;
    for (int i = 0; i < 128; ++i)
        longName += "\xC3\xA9";
    QCOMPARE(codeOf(m->service.init(kAlice, {longName, 1, "", ""})), "too_large");
    QCOMPARE(codeOf(m->service.init(kAlice, {"a.bin", 1, std::string(256, 'm'), ""})), "too_large");
    QCOMPARE(codeOf(m->service.init(kAlice, {std::string(255, 'n'), 1, std::string(255, 'm'), ""})),
             "ok");
}

void TestUploadService::lostCompareAndSwapAnswersTheStoresTruth() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string chunk = slice(kFile, 0, kChunk);
    NativeChunk request = chunkRequest(0, chunk);
    request.readBody = [&](const ByteSink& sink) {
        // Another node, whose lock this one never saw, commits the same chunk first.
        Session other = m->stored(session.id);
        other.uploadedBytes = kChunk;
        if (!m->store.commitChunk(other, 0, ChunkReceipt{0, ""}))
            qFatal("the other node's commit failed");
        return sink(chunk.data(), chunk.size());
    };
    const auto lost = putNativeChunk(m->service, kAlice, session.id, request);
    QCOMPARE(codeOf(lost), "offset_mismatch");
    QCOMPARE(lost.error().extra["uploadedBytes"].get<std::int64_t>(), kChunk);
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
}

void TestUploadService::unavailableStoreIsRetryable() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    m->store.failNext(StoreError{StoreError::Kind::Unavailable, "database is locked"});
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "unavailable");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "ok");
    m->store.failNext(StoreError{StoreError::Kind::Unavailable, "database is locked"});
    QCOMPARE(codeOf(m->service.init(kAlice, {"b.bin", 1, "", ""})), "unavailable");
}

void TestUploadService::fullDiskIsInsufficientStorageAndTheChunkIsAcceptedLater() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    QVERIFY(m->put(session, kFile, 0));
    m->backend.failAt(Operation::Append, 2, StorageError::Kind::NoSpace);
    QCOMPARE(codeOf(m->put(session, kFile, 1)), "insufficient_storage");
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
    m->backend.failAt(Operation::Commit, 1, StorageError::Kind::NoSpace);
    QCOMPARE(codeOf(m->put(session, kFile, 1)), "insufficient_storage");
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
    // Space is back: the same chunk is accepted and the file completes intact.
    QVERIFY(m->put(session, kFile, 1));
    QVERIFY(m->put(session, kFile, 2));
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
}

void TestUploadService::appendOfAnyLengthCommitsWholeChunks() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const auto appendAt = [&](std::int64_t offset, std::int64_t length) {
        auto open = m->service.openAppend(kAlice, session.id);
        if (!open)
            return ApiResult<std::int64_t>(tl::unexpected(open.error()));
        const std::string body = slice(kFile, offset, length);
        return open->write({offset, length, std::nullopt, chunkRequest(offset, body).readBody});
    };
    // One and a half chunks: the whole first one is committed, the trailing half not.
    QCOMPARE(appendAt(0, kChunk + kChunk / 2).value(), kChunk);
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk);
    QCOMPARE(codeOf(appendAt(kChunk + kChunk / 2, 10)), "offset_mismatch");
    // The rest of the file in one append: the last, short chunk completes the file.
    QCOMPARE(appendAt(kChunk, static_cast<std::int64_t>(kFile.size()) - kChunk).value(),
             static_cast<std::int64_t>(kFile.size()));
    QCOMPARE(m->backend.calls(Operation::Commit), 3);
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
}

void TestUploadService::digestCoversOneChunkAtMost() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    auto open = m->service.openAppend(kAlice, session.id);
    QVERIFY(open);
    const std::string body = slice(kFile, 0, kChunk + 1);
    bool bodyRead = false;
    const auto refused =
        open->write({0, kChunk + 1, Digest{DigestAlgorithm::Sha256, std::string(32, 'x')},
                     [&](const ByteSink&) { return bodyRead = true; }});
    QCOMPARE(codeOf(refused), "bad_request");
    QVERIFY(!bodyRead);
    // Its message names no header: the face adds its own words.
    QVERIFY(refused.error().message.find("X-") == std::string::npos);
}

namespace {
// An append as the tus face makes it: keepPartial, the body `cutAfter` bytes short of
// `length` when given (a connection lost mid-PATCH).
ApiResult<std::int64_t> keepingAppend(Harness& h, const Session& session, std::int64_t offset,
                                      std::int64_t length, std::optional<Digest> digest = {},
                                      std::optional<std::int64_t> cutAfter = {}) {
    auto open = h.service.openAppend(kAlice, session.id);
    if (!open)
        return tl::unexpected(open.error());
    const std::string body = slice(kFile, offset, cutAfter.value_or(length));
    auto read = chunkRequest(offset, body).readBody;
    return open->write(
        {offset, length, std::move(digest),
         [read, cut = cutAfter.has_value()](const ByteSink& sink) { return read(sink) && !cut; },
         true});
}
} // namespace

void TestUploadService::keptTailsMakeWholeChunksOfSmallAppends() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    // Appends of 3 MiB: every one is committed, yet the backend only ever stages whole
    // chunks (S3 parts of 8 MiB) and tails beside them.
    std::int64_t offset = 0;
    std::set<std::string> tails;
    while (offset < static_cast<std::int64_t>(kFile.size())) {
        const std::int64_t length =
            std::min<std::int64_t>(3 * kMiB, static_cast<std::int64_t>(kFile.size()) - offset);
        const auto written = keepingAppend(*m, session, offset, length);
        QCOMPARE(codeOf(written), "ok");
        offset += length;
        QCOMPARE(*written, offset);
        const Session stored = m->stored(session.id);
        QCOMPARE(stored.uploadedBytes, offset);
        QCOMPARE(stored.tailKey.empty(), offset % kChunk == 0 || offset == session.size);
        if (!stored.tailKey.empty())
            tails.insert(stored.tailKey);
    }
    QCOMPARE(m->backend.calls(Operation::Commit), 3);
    QVERIFY(tails.size() > 3);
    // Each tail was removed once the store no longer named it.
    for (const std::string& tail : tails)
        QVERIFY(m->backend.object(tail).empty());
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
}

void TestUploadService::cutAppendKeepsWhatArrived() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::int64_t whole = static_cast<std::int64_t>(kFile.size());
    // The whole file announced, the connection lost after a chunk and a half.
    const auto cut = keepingAppend(*m, session, 0, whole, {}, kChunk + kChunk / 2);
    QCOMPARE(codeOf(cut), "bad_request");
    QCOMPARE(m->stored(session.id).uploadedBytes, kChunk + kChunk / 2);
    QCOMPARE(codeOf(keepingAppend(*m, session, kChunk + kChunk / 2, whole - kChunk - kChunk / 2)),
             "ok");
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
}

void TestUploadService::digestOfACutAppendKeepsNothing() {
    const Session session = m->start(static_cast<std::int64_t>(kFile.size()));
    const std::string body = slice(kFile, 0, 1000);
    const auto cut = keepingAppend(
        *m, session, 0, 1000,
        Digest{DigestAlgorithm::Md5,
               QCryptographicHash::hash(QByteArray::fromStdString(body), QCryptographicHash::Md5)
                   .toStdString()},
        500);
    QCOMPARE(codeOf(cut), "bad_request");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    // Whole and matching, its bytes are kept although they end mid-chunk.
    const auto whole = keepingAppend(
        *m, session, 0, 1000,
        Digest{DigestAlgorithm::Sha1,
               QCryptographicHash::hash(QByteArray::fromStdString(body), QCryptographicHash::Sha1)
                   .toStdString()});
    QCOMPARE(codeOf(whole), "ok");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{1000});
    const auto wrong =
        keepingAppend(*m, session, 1000, 1000, Digest{DigestAlgorithm::Sha1, std::string(20, 'x')});
    QCOMPARE(codeOf(wrong), "checksum_mismatch");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{1000});
}

namespace {
// A tus upload created with Upload-Defer-Length: 1.
Session startDeferred(Harness& h) {
    InitRequest request{"streamed.bin", 0, "", ""};
    request.lengthDeferred = true;
    auto session = h.service.init(kAlice, request);
    if (!session)
        qFatal("init failed: %s", session.error().message.c_str());
    return *session;
}

// A PATCH that declares the length (Upload-Length) and carries no bytes.
ApiResult<std::int64_t> declare(Harness& h, const Session& session, std::int64_t size) {
    auto open = h.service.openAppend(kAlice, session.id);
    if (!open)
        return tl::unexpected(open.error());
    if (auto ok = open->declareSize(size); !ok)
        return tl::unexpected(ok.error());
    return open->write({open->session().uploadedBytes, 0, std::nullopt,
                        [](const ByteSink&) { return true; }, true});
}
} // namespace

// Until the length is declared, 10,000 chunks of 8 MiB (below the default maximum of
// 1 TiB) bound the upload; the length declared later replaces the bound, once.
void TestUploadService::deferredLengthIsDeclaredOnce() {
    const std::int64_t bound = 10000 * kChunk;
    const Session session = startDeferred(*m);
    QVERIFY(session.lengthDeferred);
    QCOMPARE(session.size, bound);
    QCOMPARE(session.chunkSize, kChunk);
    const std::int64_t whole = static_cast<std::int64_t>(kFile.size());
    QCOMPARE(codeOf(keepingAppend(*m, session, 0, 3 * kMiB)), "ok");
    QCOMPARE(m->backend.calls(Operation::Commit), 0); // a tail
    const auto below = declare(*m, session, 3 * kMiB - 1);
    QCOMPARE(codeOf(below), "bad_request");
    QCOMPARE(below.error().extra["uploadedBytes"].get<std::int64_t>(), 3 * kMiB);
    const auto tooLong = declare(*m, session, bound + 1);
    QCOMPARE(codeOf(tooLong), "too_large");
    QCOMPARE(tooLong.error().extra["maxSize"].get<std::int64_t>(), bound);
    QVERIFY(m->stored(session.id).lengthDeferred);
    QCOMPARE(codeOf(declare(*m, session, whole)), "ok");
    Session declared = m->stored(session.id);
    QVERIFY(!declared.lengthDeferred);
    QCOMPARE(declared.size, whole);
    QCOMPARE(declared.chunkSize, kChunk);
    QCOMPARE(codeOf(declare(*m, session, whole)), "ok");
    QCOMPARE(codeOf(declare(*m, session, whole + 1)), "bad_request");
    QCOMPARE(codeOf(keepingAppend(*m, session, 3 * kMiB, whole - 3 * kMiB)), "ok");
    QCOMPARE(m->backend.calls(Operation::Commit), 3);
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(kFile)));
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
}

void TestUploadService::declaringTheLengthCommitsTheKeptTail_data() {
    QTest::addColumn<qint64>("length");
    QTest::addColumn<int>("chunks");
    QTest::newRow("short file") << qint64(1000) << 1;
    QTest::newRow("three chunks") << qint64(kFile.size()) << 3;
}

// Every byte arrived before the length was declared (tus-js-client sends Upload-Length
// with an empty last PATCH): the kept tail becomes the file's last, short chunk.
void TestUploadService::declaringTheLengthCommitsTheKeptTail() {
    QFETCH(qint64, length);
    QFETCH(int, chunks);
    const Session session = startDeferred(*m);
    for (std::int64_t offset = 0; offset < length; offset += 3 * kMiB)
        QCOMPARE(codeOf(keepingAppend(*m, session, offset,
                                      std::min<std::int64_t>(3 * kMiB, length - offset))),
                 "ok");
    const std::string tail = m->stored(session.id).tailKey;
    QVERIFY(!tail.empty());
    QCOMPARE(m->backend.calls(Operation::Commit), chunks - 1);
    QCOMPARE(declare(*m, session, length).value(), length);
    const Session declared = m->stored(session.id);
    QCOMPARE(declared.uploadedBytes, length);
    QVERIFY(declared.tailKey.empty());
    QVERIFY(m->backend.object(tail).empty());
    QCOMPARE(m->backend.calls(Operation::Commit), chunks);
    const std::string bytes = slice(kFile, 0, length);
    const auto done = m->complete(session, Sha256State::hexOf(spanOf(bytes)));
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->state, SessionState::Completed);
}

// The bound is not counted against the quota: the bytes are, as they arrive, and the
// length once declared.
void TestUploadService::deferredUploadsGrowIntoTheQuota() {
    UploadPolicy policy;
    policy.quotaBytes = 10 * kMiB;
    m = std::make_unique<Harness>(policy);
    const Session session = startDeferred(*m);
    QCOMPARE(m->store.openUsageOf(kAlice).value().declaredBytes, std::int64_t{0});
    QCOMPARE(codeOf(keepingAppend(*m, session, 0, 3 * kMiB)), "ok");
    QCOMPARE(m->store.openUsageOf(kAlice).value().declaredBytes, 3 * kMiB);
    const auto over = keepingAppend(*m, session, 3 * kMiB, 8 * kMiB);
    QCOMPARE(codeOf(over), "quota_exceeded");
    QCOMPARE(over.error().extra["used"].get<std::int64_t>(), 3 * kMiB);
    QCOMPARE(m->stored(session.id).uploadedBytes, 3 * kMiB);
    QCOMPARE(codeOf(declare(*m, session, 10 * kMiB + 1)), "quota_exceeded");
    QCOMPARE(codeOf(declare(*m, session, 10 * kMiB)), "ok");
    QCOMPARE(m->store.openUsageOf(kAlice).value().declaredBytes, 10 * kMiB);
    QCOMPARE(codeOf(m->service.init(kAlice, {"more.bin", 1, "", ""})), "quota_exceeded");
}

void TestUploadService::nativeFaceWaitsForTheLength() {
    const Session session = startDeferred(*m);
    QCOMPARE(codeOf(m->put(session, kFile, 0)), "bad_request");
    QCOMPARE(m->stored(session.id).uploadedBytes, std::int64_t{0});
    QCOMPARE(codeOf(m->complete(session)), "incomplete");
    QCOMPARE(codeOf(declare(*m, session, 0)), "ok");
    const auto done = m->complete(session);
    QCOMPARE(codeOf(done), "ok");
    QCOMPARE(done->size, std::int64_t{0});
}

// Between a windowed chunk that moves the prefix and the hash's catch-up after it, the
// frontier is behind the prefix without being stuck: a chunk starting then is kept for
// the hash like any other. The fake backend cannot read staged bytes back (as S3), so a
// chunk not kept stopped the hash until complete, which then read the rest back from
// the assembled object (200 of 256 MiB on S3).
void TestUploadService::aChunkStartingWhileTheHashCatchesUpIsKept() {
    const std::string data = patternBytes(static_cast<std::size_t>(4 * kChunk));
    auto session = m->service.init(kAlice, InitRequest{"file.bin", 4 * kChunk, "", ""}, 4);
    QVERIFY(session);
    QCOMPARE(codeOf(m->put(*session, data, 1)), std::string("ok")); // ahead of the frontier: kept
    bool started = false;
    m->store.afterWindowChunk = [&] {
        if (!std::exchange(started, true))
            QVERIFY(m->put(*session, data, 2)); // after chunk 0 is stored, before its catch-up
    };
    QVERIFY(m->put(*session, data, 0));
    m->store.afterWindowChunk = nullptr;
    QVERIFY(started);
    QVERIFY(m->put(*session, data, 3));
    QCOMPARE(m->stored(session->id).hashedBytes, 4 * kChunk);
    const auto done = m->complete(*session, Sha256State::hexOf(spanOf(data)));
    QCOMPARE(codeOf(done), std::string("ok"));
}

QTEST_GUILESS_MAIN(TestUploadService)
#include "tst_uploadservice.moc"
