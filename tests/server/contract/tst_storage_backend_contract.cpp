// The StorageBackend contract (storage_backend.h), run against every implementation:
// the in-memory fake, the local disk and S3 on a real moto_server. A new backend gets
// every check by one line in implementations().
#include "disk_backend.h"
#include "fake_storage_backend.h"
#include "implementation_rows.h"
#include "moto_s3_config.h"
#include "moto_server.h"
#include "s3_backend.h"
#include "test_bytes.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace hoist;
using hoist::test::Implementation;
using hoist::test::patternBytes;
using hoist::test::spanOf;

namespace {

// S3's smallest part but the last: every backend takes it, so one session shape serves all.
constexpr std::int64_t kChunk = 5 * 1024 * 1024;
const std::string kData = patternBytes(2 * kChunk + 1000); // chunks 0 and 1 full, 2 short
// An ETag no store gave: a receipt for a chunk that never reached the store.
const std::string kForeignEtag = "\"0123456789abcdef0123456789abcdef\"";

// One implementation on a store of its own.
class BackendUnderTest {
  public:
    virtual ~BackendUnderTest() = default;
    virtual StorageBackend& backend() = 0;
    // The backend a restarted hoistd opens on the same store: it did not begin the
    // stagings it finds there.
    virtual StorageBackend& restarted() = 0;
};

using Made = tl::expected<std::unique_ptr<BackendUnderTest>, QString>;

class FakeUnderTest final : public BackendUnderTest {
  public:
    StorageBackend& backend() override { return m_fake; }
    // The fake's memory is its store.
    StorageBackend& restarted() override { return m_fake; }

  private:
    hoist::test::FakeStorageBackend m_fake;
};

class DiskUnderTest final : public BackendUnderTest {
  public:
    StorageBackend& backend() override { return *m_backend; }
    StorageBackend& restarted() override {
        m_restarted = open();
        return *m_restarted;
    }

  private:
    std::unique_ptr<DiskBackend> open() const {
        auto backend = DiskBackend::open(m_dir.filePath("data").toStdString());
        if (!backend)
            qFatal("%s", backend.error().message.c_str());
        return std::move(*backend);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<DiskBackend> m_backend = open();
    std::unique_ptr<DiskBackend> m_restarted;
};

// One moto_server for every S3 row, started when the first one needs it.
class SharedMoto final {
  public:
    tl::expected<S3Config, QString> config() {
        if (!m_started) {
            m_started = m_moto.start() && m_moto.createBucket(kBucket);
            m_error = m_moto.errorString();
        }
        if (!*m_started)
            return tl::unexpected(m_error);
        return hoist::test::motoS3Config(m_moto, kBucket);
    }

  private:
    inline static const QString kBucket = QStringLiteral("hoist-contract");
    MotoServer m_moto;
    std::optional<bool> m_started;
    QString m_error;
};

class S3UnderTest final : public BackendUnderTest {
  public:
    static Made make(SharedMoto& moto) {
        auto config = moto.config();
        if (!config)
            return tl::unexpected(config.error());
        return std::unique_ptr<BackendUnderTest>(new S3UnderTest(*config));
    }
    StorageBackend& backend() override { return *m_backend; }
    StorageBackend& restarted() override {
        m_restarted = open();
        return *m_restarted;
    }

  private:
    explicit S3UnderTest(S3Config config) : m_config(std::move(config)) {}
    std::unique_ptr<StorageBackend> open() const {
        auto backend = makeS3Backend(m_config);
        if (!backend)
            qFatal("%s", backend.error().c_str());
        return std::move(*backend);
    }

    S3Config m_config;
    std::unique_ptr<StorageBackend> m_backend = open();
    std::unique_ptr<StorageBackend> m_restarted;
};

template <typename T> QByteArray why(const StorageResult<T>& result) {
    return result ? QByteArray() : QByteArray::fromStdString(result.error().message);
}

Session newSession(std::int64_t size) {
    Session session;
    // S3Backend owns only keys shaped like session ids (UUIDs).
    session.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    session.userId = "alice";
    session.size = size;
    session.chunkSize = kChunk;
    return session;
}

std::string chunkOf(std::int64_t index) {
    return kData.substr(static_cast<std::size_t>(index * kChunk), static_cast<std::size_t>(kChunk));
}

// Writes chunk `index` in two pieces (a body arrives in pieces of any size).
StorageResult<ChunkReceipt> writeChunk(StorageBackend& backend, const Session& session,
                                       std::int64_t index) {
    const std::string bytes = chunkOf(index);
    auto writer = backend.openChunk(session, index, static_cast<std::int64_t>(bytes.size()));
    if (!writer)
        return tl::unexpected(writer.error());
    for (const auto piece : {spanOf(bytes).first(3), spanOf(bytes).subspan(3)})
        if (auto appended = (*writer)->append(piece); !appended)
            return tl::unexpected(appended.error());
    return (*writer)->commit();
}

// Chunks [first, end) committed, the offset moved as the session store would.
StorageResult<std::vector<ChunkReceipt>> writeChunks(StorageBackend& backend, Session& session,
                                                     std::int64_t first, std::int64_t end) {
    std::vector<ChunkReceipt> receipts;
    for (std::int64_t index = first; index < end; ++index) {
        auto receipt = writeChunk(backend, session, index);
        if (!receipt)
            return tl::unexpected(receipt.error());
        receipts.push_back(*receipt);
        session.uploadedBytes += static_cast<std::int64_t>(chunkOf(index).size());
    }
    return receipts;
}

StorageResult<std::string> read(StorageBackend& backend, const std::string& key,
                                std::int64_t offset, std::int64_t length) {
    std::string bytes;
    auto done = backend.readObject(key, offset, length, [&](std::span<const char> piece) {
        bytes.append(piece.data(), piece.size());
        return true;
    });
    if (!done)
        return tl::unexpected(done.error());
    return bytes;
}

} // namespace

class TestStorageBackendContract final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase_data();
    void init();
    void cleanup();
    void committedChunksAssembleInOrder();
    void writerDestroyedWithoutCommitLeavesNothing();
    void completeAgainAfterALostAnswer();
    void keptTailsContinueTheirChunk();
    void abortRemovesTheTail();
    void zeroByteFile();
    void abortIsIdempotentAndLeavesNothing();
    void verifyChecksStagingAgainstReceipts();
    void readObjectRanges();
    void removeObjectIsIdempotent();
    void reconcileRemovesOnlyUnownedStaging();

  private:
    std::vector<Implementation<BackendUnderTest>> implementations();
    StorageBackend& backend() { return m_underTest->backend(); }
    // A session begun and every chunk committed: the receipts.
    StorageResult<std::vector<ChunkReceipt>> stageAll(Session& session);
    // ... and the object completed.
    StorageResult<StoredObject> uploadAll(Session& session);

    SharedMoto m_moto;
    std::unique_ptr<BackendUnderTest> m_underTest;
};

std::vector<Implementation<BackendUnderTest>> TestStorageBackendContract::implementations() {
    return {
        {"fake", [] { return Made(std::make_unique<FakeUnderTest>()); }},
        {"disk", [] { return Made(std::make_unique<DiskUnderTest>()); }},
        {"s3", [this] { return S3UnderTest::make(m_moto); }},
    };
}

void TestStorageBackendContract::initTestCase_data() {
    hoist::test::addImplementationRows(implementations());
}

void TestStorageBackendContract::init() {
    hoist::test::makeCurrentImplementation(implementations(), m_underTest);
}

void TestStorageBackendContract::cleanup() {
    m_underTest.reset();
}

StorageResult<std::vector<ChunkReceipt>> TestStorageBackendContract::stageAll(Session& session) {
    auto staging = backend().begin(session);
    if (!staging)
        return tl::unexpected(staging.error());
    session.staging = *staging;
    return writeChunks(backend(), session, 0, session.chunkCount());
}

StorageResult<StoredObject> TestStorageBackendContract::uploadAll(Session& session) {
    return stageAll(session).and_then([&](const std::vector<ChunkReceipt>& receipts) {
        return backend().complete(session, receipts);
    });
}

void TestStorageBackendContract::committedChunksAssembleInOrder() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    const auto receipts = stageAll(session);
    QVERIFY2(receipts, why(receipts).constData());
    QCOMPARE(receipts->size(), std::size_t(3));
    for (std::size_t i = 0; i < receipts->size(); ++i)
        QCOMPARE((*receipts)[i].index, static_cast<std::int64_t>(i));

    const auto object = backend().complete(session, *receipts);
    QVERIFY2(object, why(object).constData());
    QCOMPARE(object->size, session.size);
    const auto bytes = read(backend(), object->key, 0, object->size);
    QVERIFY2(bytes, why(bytes).constData());
    QVERIFY(*bytes == kData);
    QVERIFY(backend().removeObject(object->key));
}

void TestStorageBackendContract::writerDestroyedWithoutCommitLeavesNothing() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    session.staging = backend().begin(session).value();
    auto receipts = writeChunks(backend(), session, 0, 1);
    QVERIFY2(receipts, why(receipts).constData());
    {
        auto writer = backend().openChunk(session, 1, kChunk);
        QVERIFY2(writer, why(writer).constData());
        QVERIFY((*writer)->append(spanOf(std::string(kChunk / 2, 'x'))));
    } // a body cut short: the chunk is sent again
    const auto rest = writeChunks(backend(), session, 1, session.chunkCount());
    QVERIFY2(rest, why(rest).constData());
    receipts->insert(receipts->end(), rest->begin(), rest->end());

    const auto object = backend().complete(session, *receipts);
    QVERIFY2(object, why(object).constData());
    QVERIFY(read(backend(), object->key, 0, object->size).value() == kData);
    QVERIFY(backend().removeObject(object->key));
}

namespace {
// Bytes [session.uploadedBytes, end) of kData, kept as the tail of their chunk (a tus
// PATCH that ended mid-chunk); the session moves as the store's commitTail would.
StorageResult<void> keepTail(StorageBackend& backend, Session& session, std::int64_t end) {
    const std::int64_t index = session.uploadedBytes / kChunk;
    const std::int64_t length = std::min(kChunk, session.size - index * kChunk);
    auto writer = backend.openChunk(session, index, length);
    if (!writer)
        return tl::unexpected(writer.error());
    const std::string bytes = kData.substr(static_cast<std::size_t>(session.uploadedBytes),
                                           static_cast<std::size_t>(end - session.uploadedBytes));
    if (auto appended = (*writer)->append(spanOf(bytes)); !appended)
        return tl::unexpected(appended.error());
    auto kept = (*writer)->keep();
    if (!kept)
        return tl::unexpected(kept.error());
    if (!session.tailKey.empty() && session.tailKey != *kept)
        (void)backend.removeObject(session.tailKey);
    session.tailKey = *kept;
    session.uploadedBytes = end;
    return {};
}
} // namespace

void TestStorageBackendContract::keptTailsContinueTheirChunk() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    session.staging = backend().begin(session).value();
    auto receipts = writeChunks(backend(), session, 0, 1);
    QVERIFY2(receipts, why(receipts).constData());
    auto kept = keepTail(backend(), session, kChunk + 1000);
    QVERIFY2(kept, why(kept).constData());
    // Another process (a restart, another node) continues the same chunk from the tail.
    StorageBackend& other = m_underTest->restarted();
    kept = keepTail(other, session, kChunk + 3000);
    QVERIFY2(kept, why(kept).constData());
    {
        auto writer = other.openChunk(session, 1, kChunk);
        QVERIFY2(writer, why(writer).constData());
        QVERIFY((*writer)->append(spanOf(std::string(500, 'x'))));
    } // a PATCH cut before anything was kept: the tail stays as it was
    auto writer = other.openChunk(session, 1, kChunk);
    QVERIFY2(writer, why(writer).constData());
    const std::string rest = kData.substr(kChunk + 3000, kChunk - 3000);
    QVERIFY((*writer)->append(spanOf(rest)));
    const auto receipt = (*writer)->commit();
    QVERIFY2(receipt, why(receipt).constData());
    QCOMPARE(receipt->index, std::int64_t{1});
    receipts->push_back(*receipt);
    if (!session.tailKey.empty())
        QVERIFY(other.removeObject(session.tailKey));
    session.tailKey.clear();
    session.uploadedBytes = 2 * kChunk;
    const auto last = writeChunks(other, session, 2, 3);
    QVERIFY2(last, why(last).constData());
    receipts->push_back(last->front());
    QVERIFY2(other.verify(session, *receipts), "verify refused the staging");
    const auto object = other.complete(session, *receipts);
    QVERIFY2(object, why(object).constData());
    QVERIFY(read(other, object->key, 0, object->size).value() == kData);
    QVERIFY(other.removeObject(object->key));
}

void TestStorageBackendContract::abortRemovesTheTail() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    session.staging = backend().begin(session).value();
    const auto kept = keepTail(backend(), session, 1234);
    QVERIFY2(kept, why(kept).constData());
    QVERIFY(backend().abort(session));
    // A tail kept in an object of its own goes with the staging.
    if (!session.tailKey.empty())
        QVERIFY(!read(backend(), session.tailKey, 0, 1));
    QVERIFY(backend().abort(session));
}

void TestStorageBackendContract::completeAgainAfterALostAnswer() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    const auto receipts = stageAll(session);
    QVERIFY2(receipts, why(receipts).constData());
    const auto object = backend().complete(session, *receipts);
    QVERIFY2(object, why(object).constData());
    // The store completed but the answer was lost: the same object, not an error.
    const auto again = backend().complete(session, *receipts);
    QVERIFY2(again, why(again).constData());
    QCOMPARE(again->key, object->key);
    QCOMPARE(again->size, session.size);
    QVERIFY(backend().removeObject(object->key));
}

void TestStorageBackendContract::zeroByteFile() {
    Session session = newSession(0);
    const auto object = uploadAll(session);
    QVERIFY2(object, why(object).constData());
    QCOMPARE(object->size, std::int64_t(0));
    const auto bytes = read(backend(), object->key, 0, 0);
    QVERIFY2(bytes, why(bytes).constData());
    QVERIFY(bytes->empty());
    QVERIFY(backend().removeObject(object->key));
}

void TestStorageBackendContract::abortIsIdempotentAndLeavesNothing() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    const auto receipts = stageAll(session);
    QVERIFY2(receipts, why(receipts).constData());

    QVERIFY(backend().abort(session));
    QVERIFY(backend().abort(session));
    const auto verified = backend().verify(session, *receipts);
    QVERIFY(!verified);
    QCOMPARE(verified.error().kind, StorageError::Kind::NotFound);
    // Only that they fail: moto answers both for an aborted upload 500, not S3's
    // NoSuchUpload, and the upload service fails the session on any such error.
    QVERIFY(!writeChunk(backend(), session, 2));
    QVERIFY(!backend().complete(session, *receipts));
}

void TestStorageBackendContract::verifyChecksStagingAgainstReceipts() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    session.staging = backend().begin(session).value();
    const auto receipts = writeChunks(backend(), session, 0, 2);
    QVERIFY2(receipts, why(receipts).constData());
    const auto verified = backend().verify(session, *receipts);
    QVERIFY2(verified, why(verified).constData());

    // The store claims a chunk the staging never got (a staging that lost bytes).
    Session claimsMore = session;
    claimsMore.uploadedBytes += static_cast<std::int64_t>(chunkOf(2).size());
    auto claimed = *receipts;
    claimed.push_back({2, kForeignEtag});
    const auto missing = backend().verify(claimsMore, claimed);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, StorageError::Kind::NotFound);
    QVERIFY(backend().abort(session));
}

void TestStorageBackendContract::readObjectRanges() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    const auto object = uploadAll(session);
    QVERIFY2(object, why(object).constData());
    // Across the boundary of chunks 0 and 1.
    const auto range = read(backend(), object->key, kChunk - 10, 30);
    QVERIFY2(range, why(range).constData());
    QVERIFY(*range == kData.substr(kChunk - 10, 30));
    const auto tail = read(backend(), object->key, session.size - 7, 7);
    QVERIFY(tail.value() == kData.substr(kData.size() - 7));

    int calls = 0;
    QVERIFY(backend().readObject(object->key, 0, session.size, [&](std::span<const char>) {
        ++calls;
        return false; // the client went away
    }));
    QCOMPARE(calls, 1);

    const auto missing = read(backend(), "no-such-object", 0, 1);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, StorageError::Kind::NotFound);
    QVERIFY(backend().removeObject(object->key));
}

void TestStorageBackendContract::removeObjectIsIdempotent() {
    Session session = newSession(static_cast<std::int64_t>(kData.size()));
    const auto object = uploadAll(session);
    QVERIFY2(object, why(object).constData());
    QVERIFY(backend().removeObject(object->key));
    const auto gone = read(backend(), object->key, 0, 1);
    QVERIFY(!gone);
    QCOMPARE(gone.error().kind, StorageError::Kind::NotFound);
    QVERIFY(backend().removeObject(object->key));
}

void TestStorageBackendContract::reconcileRemovesOnlyUnownedStaging() {
    Session live = newSession(static_cast<std::int64_t>(kData.size()));
    Session orphan = newSession(static_cast<std::int64_t>(kData.size()));
    live.staging = backend().begin(live).value();
    orphan.staging = backend().begin(orphan).value();
    const auto liveReceipts = writeChunks(backend(), live, 0, 1);
    const auto orphanReceipts = writeChunks(backend(), orphan, 0, 1);
    QVERIFY2(liveReceipts && orphanReceipts, (why(liveReceipts) + why(orphanReceipts)).constData());

    StorageBackend& restarted = m_underTest->restarted();
    restarted.reconcile([&](const StagingRef& staging) {
        return staging.key == live.staging.key && staging.uploadId == live.staging.uploadId;
    });
    const auto kept = restarted.verify(live, *liveReceipts);
    QVERIFY2(kept, why(kept).constData());
    const auto removed = restarted.verify(orphan, *orphanReceipts);
    QVERIFY(!removed);
    QCOMPARE(removed.error().kind, StorageError::Kind::NotFound);
    QVERIFY(restarted.abort(live));
}

QTEST_GUILESS_MAIN(TestStorageBackendContract)
#include "tst_storage_backend_contract.moc"
