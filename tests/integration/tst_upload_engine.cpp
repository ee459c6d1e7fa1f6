// The engine against a real hoistd: content, dedup, persistence, the offset
// handshake, local file changes, pause and the bandwidth limit.

#include "hoistd_process.h"
#include "tcp_proxy.h"
#include "test_support.h"

#include "queue_store.h"
#include "upload_engine.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hoist;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kChunk = 8 * kMiB; // hoistd's default chunk size
constexpr int kTimeout = 30000;
} // namespace

// Waits until the job settles, then compares its state (showing its error if any).
#define WAIT_FOR_STATE(job, expected)                                                              \
    QTRY_VERIFY_WITH_TIMEOUT(isDone((job)->state()) || (job)->state() == JobState::Failed,         \
                             kTimeout);                                                            \
    QVERIFY2((job)->state() == (expected), qPrintable((job)->record().error))

class TestUploadEngine final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void init();
    void byteIdenticalUpload();
    void dedupSkipsKnownFile();
    void engineRecreatedResumesWithoutResending();
    void serverAheadIsAdopted();
    void fileModifiedMidUpload();
    void unreadableFile();
    void pauseAndResume();
    void removeDeletesTheSession();
    void bandwidthLimitHonoured();

  private:
    std::unique_ptr<UploadEngine> makeEngine(const QUrl& server, qint64 limit = 0);
    UploadJob* add(UploadEngine& engine, const QString& path, const QUrl& server);
    QString path(const QString& name) const { return m_dir.filePath(name); }
    void verifyStored(const UploadJob& job, const QByteArray& expected);

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    QString m_queueDir;
};

void TestUploadEngine::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
}

void TestUploadEngine::init() {
    m_queueDir = m_dir.filePath(QStringLiteral("queue-%1").arg(QTest::currentTestFunction()));
}

std::unique_ptr<UploadEngine> TestUploadEngine::makeEngine(const QUrl& server, qint64 limit) {
    Settings settings = test_support::fastSettings(server);
    settings.bandwidthLimit = limit;
    return std::make_unique<UploadEngine>(settings, m_queueDir);
}

UploadJob* TestUploadEngine::add(UploadEngine& engine, const QString& file, const QUrl& server) {
    const QStringList rejected = engine.queue().addPaths({file}, server);
    return rejected.isEmpty() ? engine.queue().job(engine.queue().count() - 1) : nullptr;
}

void TestUploadEngine::verifyStored(const UploadJob& job, const QByteArray& expected) {
    QVERIFY(!job.record().fileId.isEmpty());
    const auto stored = test_support::download(m_server->url(), "tokA", job.record().fileId);
    QVERIFY(stored);
    QCOMPARE(stored->size(), expected.size());
    QVERIFY(*stored == expected);
}

void TestUploadEngine::byteIdenticalUpload() {
    const QByteArray bytes = test_support::writeRandomFile(path("identical.bin"), 20 * kMiB + 123);
    auto engine = makeEngine(m_server->url());
    UploadJob* job = add(*engine, path("identical.bin"), m_server->url());
    QVERIFY(job);
    WAIT_FOR_STATE(job, JobState::Done);
    QCOMPARE(job->record().confirmedBytes, bytes.size());
    verifyStored(*job, bytes);
}

void TestUploadEngine::dedupSkipsKnownFile() {
    const QByteArray bytes = test_support::writeRandomFile(path("dedup-a.bin"), 3 * kMiB);
    QFile::copy(path("dedup-a.bin"), path("dedup-b.bin"));
    auto engine = makeEngine(m_server->url());
    UploadJob* first = add(*engine, path("dedup-a.bin"), m_server->url());
    WAIT_FOR_STATE(first, JobState::Done);
    const double received = test_support::metric(m_server->url(), "hoistd_bytes_received_total");

    UploadJob* second = add(*engine, path("dedup-b.bin"), m_server->url());
    WAIT_FOR_STATE(second, JobState::DoneDuplicate);
    QCOMPARE(second->record().fileId, first->record().fileId);
    QCOMPARE(test_support::metric(m_server->url(), "hoistd_bytes_received_total"), received);
}

void TestUploadEngine::engineRecreatedResumesWithoutResending() {
    const qint64 size = 40 * kMiB;
    const QByteArray bytes = test_support::writeRandomFile(path("recreated.bin"), size);
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());

    auto engine = makeEngine(proxy.url(), 32 * kMiB);
    UploadJob* job = add(*engine, path("recreated.bin"), proxy.url());
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= 2 * kChunk, kTimeout);
    engine.reset(); // mid-upload: a chunk is in flight

    engine = makeEngine(proxy.url());
    engine->queue().restore();
    QCOMPARE(engine->queue().count(), 1);
    job = engine->queue().job(0);
    QVERIFY(job->record().confirmedBytes >= 2 * kChunk);
    WAIT_FOR_STATE(job, JobState::Done);
    verifyStored(*job, bytes);
    // At most the one chunk that was in flight went twice (plus HTTP framing).
    QVERIFY2(proxy.bytesForwarded() <= size + kChunk + 256 * 1024,
             qPrintable(QString::number(proxy.bytesForwarded())));
}

void TestUploadEngine::serverAheadIsAdopted() {
    // Large enough that chunks are still to go when the first few (a window of them in
    // flight at once) are confirmed.
    const QByteArray bytes = test_support::writeRandomFile(path("ahead.bin"), 64 * kMiB);
    auto engine = makeEngine(m_server->url(), 32 * kMiB);
    UploadJob* job = add(*engine, path("ahead.bin"), m_server->url());
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= kChunk, kTimeout);
    engine.reset();

    // The client forgets what the server confirmed: its next chunk claims offset 0.
    const QueueStore store(m_queueDir);
    QList<JobRecord> records = store.load();
    QCOMPARE(records.size(), 1);
    QVERIFY(!records[0].sessionId.isEmpty());
    records[0].confirmedBytes = 0;
    QVERIFY(store.save(records));
    const QString mismatches = QStringLiteral("hoistd_errors_total{code=\"offset_mismatch\"}");
    const double before = std::max(0.0, test_support::metric(m_server->url(), mismatches));

    engine = makeEngine(m_server->url());
    engine->queue().restore();
    job = engine->queue().job(0);
    QCOMPARE(job->record().confirmedBytes, 0);
    WAIT_FOR_STATE(job, JobState::Done);
    verifyStored(*job, bytes);
    // A resumed job asks the server where it stands before it sends: nothing the server
    // holds is sent again, so no chunk is refused as a stale offset either.
    QCOMPARE(std::max(0.0, test_support::metric(m_server->url(), mismatches)), before);
}

void TestUploadEngine::fileModifiedMidUpload() {
    test_support::writeRandomFile(path("modified.bin"), 64 * kMiB);
    auto engine = makeEngine(m_server->url(), 16 * kMiB);
    UploadJob* job = add(*engine, path("modified.bin"), m_server->url());
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= kChunk, kTimeout);
    QFile file(path("modified.bin"));
    QVERIFY(file.open(QIODevice::Append));
    file.write("more");
    file.close();
    WAIT_FOR_STATE(job, JobState::Failed);
    QVERIFY2(job->record().error.contains("add it again"), qPrintable(job->record().error));
    QVERIFY(job->record().fileId.isEmpty());
}

void TestUploadEngine::unreadableFile() {
    const QString file = path("unreadable.bin");
    test_support::writeRandomFile(file, kMiB);
    auto engine = makeEngine(m_server->url());
    UploadJob* job = add(*engine, file, m_server->url());
    QVERIFY(QFile::setPermissions(file, {}));
    if (QFile(file).open(QIODevice::ReadOnly)) {
        // Root reads anything: make the path unreadable as a file another way.
        QVERIFY(QFile::remove(file));
        QVERIFY(QDir().mkdir(file));
    }
    WAIT_FOR_STATE(job, JobState::Failed);
    QVERIFY2(job->record().error.contains("add it again"), qPrintable(job->record().error));
}

void TestUploadEngine::pauseAndResume() {
    const QByteArray bytes = test_support::writeRandomFile(path("paused.bin"), 64 * kMiB);
    auto engine = makeEngine(m_server->url(), 16 * kMiB);
    UploadJob* job = add(*engine, path("paused.bin"), m_server->url());
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= kChunk, kTimeout);
    engine->queue().pause(0);
    QCOMPARE(job->state(), JobState::Paused);
    const qint64 confirmed = job->record().confirmedBytes;
    QTest::qWait(1000);
    QCOMPARE(job->state(), JobState::Paused);
    QCOMPARE(job->record().confirmedBytes, confirmed);

    engine->limiter().setLimit(0);
    engine->queue().resume(0);
    WAIT_FOR_STATE(job, JobState::Done);
    verifyStored(*job, bytes);
}

void TestUploadEngine::removeDeletesTheSession() {
    test_support::writeRandomFile(path("removed.bin"), 64 * kMiB);
    auto engine = makeEngine(m_server->url(), 16 * kMiB);
    UploadJob* job = add(*engine, path("removed.bin"), m_server->url());
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= kChunk, kTimeout);
    const QString sessionId = job->record().sessionId;
    engine->queue().remove(0);
    QCOMPARE(engine->queue().count(), 0);

    // The session is gone on the server.
    QUrl status = m_server->url();
    status.setPath(QStringLiteral("/upload/%1").arg(sessionId));
    QTRY_COMPARE_WITH_TIMEOUT(test_support::httpStatus(status, "tokA"), 404, kTimeout);
}

void TestUploadEngine::bandwidthLimitHonoured() {
    const qint64 limit = 8 * kMiB;
    const qint64 size = 24 * kMiB;
    const QByteArray bytes = test_support::writeRandomFile(path("limited.bin"), size);
    auto engine = makeEngine(m_server->url(), limit);
    UploadJob* job = add(*engine, path("limited.bin"), m_server->url());
    QElapsedTimer clock;
    connect(job, &UploadJob::stateChanged, this, [&clock](JobState state) {
        if (state == JobState::Uploading && !clock.isValid())
            clock.start();
    });
    test_support::runUntilSettled(*job, kTimeout);
    WAIT_FOR_STATE(job, JobState::Done);
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    const double rate = static_cast<double>(size) / seconds;
    QVERIFY2(rate <= 1.1 * limit && rate >= 0.9 * limit,
             qPrintable(QStringLiteral("%1 bytes/s for a limit of %2").arg(rate).arg(limit)));
    verifyStored(*job, bytes);
}

QTEST_GUILESS_MAIN(TestUploadEngine)
#include "tst_upload_engine.moc"
