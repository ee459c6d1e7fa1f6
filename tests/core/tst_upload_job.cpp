#include "fake_protocol_client.h"

#include "file_identity.h"
#include "server_watch.h"
#include "upload_job.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace hoist;
using namespace std::chrono_literals;

template <> inline char* QTest::toString(const hoist::JobState& state) {
    return qstrdup(qPrintable(hoist::jobStateName(state)));
}

class TestUploadJob final : public QObject {
    Q_OBJECT

  private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath("file.bin");
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(10000, 'z'));
        file.close();
        m_client = FakeProtocolClient();
        m_hashAlongsideFrom = qint64{1} << 40;
    }

    void uploadsInChunks() {
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.bytesReceived, 10000);
        QCOMPARE(job->record().fileId, QStringLiteral("file-1"));
        QCOMPARE(job->record().fingerprint.size(), 64);
        // Hashed first: the preflight, then a session that knows the fingerprint.
        QCOMPARE(m_client.chunksBeforeDedup, 0);
        QCOMPARE(m_client.initFingerprint, job->record().fingerprint);
        QCOMPARE(m_client.completeFingerprint, job->record().fingerprint);
    }
    void aLargeFileUploadsWhileItIsHashed() {
        // Sparse: hashing it takes a while, reading one chunk of it does not.
        const QString big = m_dir.filePath("big.bin");
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(qint64{512} << 20));
        file.close();
        m_path = big;
        m_client.chunkSize = qint64{64} << 20;
        m_hashAlongsideFrom = m_client.chunkSize;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), JobState::Done, 60000);
        QVERIFY(m_client.initFingerprint.isEmpty());
        QVERIFY2(m_client.chunksBeforeDedup > 0, "no chunk went out while the file was hashed");
        QCOMPARE(m_client.dedupCalls, 1);
        // `head -c 512M /dev/zero | sha256sum`
        const QString zeros =
            QStringLiteral("9acca8e8c22201155389f65abbf6bc9723edc7384ead80503839f49dcc56d767");
        QCOMPARE(job->record().fingerprint, zeros);
        QCOMPARE(m_client.completeFingerprint, zeros);
        QCOMPARE(m_client.bytesReceived, qint64{512} << 20);
    }
    void aDuplicateFoundWhileUploadingCancelsTheSession() {
        m_client.dedupHit = true;
        m_hashAlongsideFrom = 1;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::DoneDuplicate);
        QCOMPARE(job->record().fileId, QStringLiteral("known"));
        QVERIFY(job->record().sessionId.isEmpty());
        QCOMPARE(m_client.sessionAborts, 1);
        QVERIFY(m_client.completeFingerprint.isEmpty()); // never completed
        QCOMPARE(job->record().confirmedBytes, job->record().size);
    }
    void aResumedSessionIsHashedAlongside() {
        m_client.resumeSession(10000, 0, 4096, {});
        m_hashAlongsideFrom = 1;
        auto job = makeJob(nullptr, 1, QStringLiteral("s1"));
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.bytesReceived, 10000 - 4096);
        QCOMPARE(m_client.dedupCalls, 1);
        QCOMPARE(m_client.completeFingerprint.size(), 64);
        QCOMPARE(m_client.completeFingerprint, job->record().fingerprint);
    }
    void dedupHitFinishesAtOnce() {
        m_client.dedupHit = true;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::DoneDuplicate);
        QCOMPARE(job->record().fileId, QStringLiteral("known"));
        QCOMPARE(m_client.bytesReceived, 0);
    }
    void saysWhenNoDuplicateCheckWasMade() {
        m_client.dedupChecked = false; // as a tus server
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QVERIFY2(job->record().note.contains("Not checked for duplicates"),
                 qPrintable(job->record().note));
        QCOMPARE(m_client.bytesReceived, 10000);
        QVERIFY(JobRecord::fromJson(job->record().toJson())->note == job->record().note);
    }
    void completesWithoutAFileId() {
        m_client.fileId.clear(); // as a tus server does
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QVERIFY(job->record().fileId.isEmpty());
        QCOMPARE(job->record().confirmedBytes, job->record().size);
    }
    void pollsWhileTheServerFinalizes() {
        m_client.finalizingPolls = 2;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.finalizingPolls, 0);
        QCOMPARE(job->record().fileId, QStringLiteral("file-1"));
    }
    void adoptsTheServersOffset() {
        m_client.serverAhead = 4096;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        // One rejected chunk, then the rest from the server's offset.
        QCOMPARE(m_client.bytesReceived, 1024 + 10000 - 4096);
    }
    void transientFailuresAreRetried() {
        m_client.failNextChunks = 2;
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
    }
    void anOutageLongerThanMaxWaitFailsThenRetryResumes() {
        m_client.failNextChunks = 1000;
        auto job = makeJob();
        job->setRetryPolicy(policy(100ms));
        job->start();
        QTRY_COMPARE(job->state(), JobState::Failed);
        QVERIFY2(job->record().error.startsWith("Gave up after waiting"),
                 qPrintable(job->record().error));
        m_client.failNextChunks = 0;
        job->retry();
        QCOMPARE(job->state(), JobState::Queued);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
    }
    void aTransientFailureWaitsShowingWhyAndWhen() {
        m_client.failNextChunks = 6; // more than any fixed schedule of the past
        auto job = makeJob();
        QList<JobState> seen;
        QStringList reasons;
        connect(job.get(), &UploadJob::stateChanged, this, [&](JobState state) {
            seen << state;
            if (state == JobState::Waiting) {
                reasons << job->record().error;
                QVERIFY(job->nextTry().isValid());
                QCOMPARE(job->speed(), 0.0);
                QCOMPARE(job->etaSeconds(), qint64(-1));
            }
        });
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), JobState::Done, 10000);
        QCOMPARE(seen.count(JobState::Waiting), 6);
        QCOMPARE(reasons.first(), QStringLiteral("injected"));
        QVERIFY(job->record().error.isEmpty());
        QVERIFY(!job->nextTry().isValid());
    }
    void aServerThatStaysDownNeverFailsTheJob() {
        m_client.down = true;
        auto job = makeJob();
        job->start();
        QTest::qWait(500); // many backoff rounds at 10-20 ms
        // Between two waits a try is in flight (checking): never failed.
        QVERIFY2(job->state() == JobState::Waiting || job->state() == JobState::Checking,
                 qPrintable(jobStateName(job->state())));
        m_client.down = false;
        QTRY_COMPARE(job->state(), JobState::Done);
    }
    void theServerAnsweringCutsTheBackoffShort() {
        ServerWatch watch(20ms);
        m_client.down = true;
        auto job = makeJob(&watch);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Waiting);
        QTRY_VERIFY(m_client.healthChecks >= 2);
        QVERIFY(!watch.isReachable(job->record().server));
        m_client.down = false;
        // The backoff is half an hour at least: only the watch's probe can end it.
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), JobState::Done, 5000);
        QVERIFY(watch.isReachable(job->record().server));
    }
    void aPermanentRefusalFailsAtOnceInWords() {
        ProtocolError tooLarge =
            ProtocolError::fromResponse(413, {{"error", "too_large"}, {"maxSize", 64 << 20}}, {});
        m_client.initError = tooLarge;
        auto job = makeJob();
        QList<JobState> seen;
        connect(job.get(), &UploadJob::stateChanged, this, [&](JobState state) { seen << state; });
        job->start();
        QTRY_COMPARE(job->state(), JobState::Failed);
        QVERIFY(!seen.contains(JobState::Waiting));
        QCOMPARE(job->record().error,
                 QStringLiteral("The file is larger than this server accepts (at most 64 MiB)."));
    }
    void pauseStopsAtOnce() {
        m_client.latency = 50ms;
        auto job = makeJob();
        job->start();
        QTRY_VERIFY(job->record().confirmedBytes > 0);
        job->pause();
        QCOMPARE(job->state(), JobState::Paused);
        const qint64 confirmed = job->record().confirmedBytes;
        QTest::qWait(200);
        QCOMPARE(job->record().confirmedBytes, confirmed);
        job->resume();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
    }
    void changedFileFails() {
        auto job = makeJob();
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::Append));
        file.write("!");
        file.close();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Failed);
        QVERIFY(job->record().error.contains("add it again"));
    }
    void destroyedMidRunIsSafe() {
        m_client.latency = 50ms;
        auto job = makeJob();
        job->start();
        QTRY_VERIFY(job->record().confirmedBytes > 0);
        job.reset();
        QTest::qWait(200); // pending requests finish against a dead job
    }

    // Parallel chunks (docs/protocol.md): the fake grants a window of up to 8.
    void sendsSeveralChunksAtOnceWhenGranted() {
        m_client.grantWindow = 8;
        m_client.latency = 20ms;
        auto job = makeJob(nullptr, 4);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.askedWindow, 8); // twice the chunks in flight (see the next case)
        QCOMPARE(m_client.maxInFlight, 4);
        QCOMPARE(m_client.bytesReceived, 10000); // nothing twice
        QCOMPARE(m_client.conflicts, 0);
    }
    void aSlowChunkAtThePrefixDoesNotHoldTheOthers() {
        // The window counts from the prefix: asked for twice the chunks in flight, the
        // chunks answered while the first is still going are replaced by the next ones.
        m_client.grantWindow = 8;
        m_client.chunkLatency = [](qint64 offset) { return offset == 0 ? 3000ms : 5ms; };
        auto job = makeJob(nullptr, 4);
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_client.sentOffsets.size(), 8, 2000); // chunk 0 still going
        QCOMPARE(m_client.committed, 0);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), JobState::Done, 10000);
        QCOMPARE(m_client.bytesReceived, 10000);
    }
    void oneChunkAtATimeNeitherAsksNorOverlaps() {
        m_client.grantWindow = 8;
        auto job = makeJob(nullptr, 1);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.askedWindow, 0);
        QCOMPARE(m_client.maxInFlight, 1);
    }
    void aServerWithoutTheExtensionGetsOneChunkAtATime() {
        m_client.grantWindow = 0; // answers no parallelChunks, as today's servers
        auto job = makeJob(nullptr, 4);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.askedWindow, 8);
        QCOMPARE(m_client.maxInFlight, 1);
        QCOMPARE(m_client.bytesReceived, 10000);
    }
    void outOfOrderAnswersMoveProgressOnlyForward() {
        m_client.grantWindow = 4;
        // Within each group of four the last chunk answers first.
        m_client.chunkLatency = [](qint64 offset) {
            return std::chrono::milliseconds(5 + 15 * (3 - (offset / 1024) % 4));
        };
        auto job = makeJob(nullptr, 4);
        QList<qint64> progress;
        bool aheadOfThePrefix = false;
        connect(job.get(), &UploadJob::progressChanged, this, [&] {
            progress << job->record().confirmedBytes;
            aheadOfThePrefix = aheadOfThePrefix || progress.last() > m_client.committed;
        });
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.bytesReceived, 10000);
        QCOMPARE(m_client.conflicts, 0);
        QVERIFY(std::is_sorted(progress.cbegin(), progress.cend()));
        // Chunks stored beyond the prefix count before the prefix reaches them.
        QVERIFY(aheadOfThePrefix);
    }
    void aLostConnectionAmongAnsweredChunksDoesNotWait() {
        m_client.grantWindow = 4;
        m_client.failNextChunks = 1;
        auto job = makeJob(nullptr, 4);
        job->setRetryPolicy(policy(0ms, 1h)); // a backoff would outlast the test
        QList<JobState> seen;
        connect(job.get(), &UploadJob::stateChanged, this, [&](JobState state) { seen << state; });
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QVERIFY(!seen.contains(JobState::Waiting));
        QCOMPARE(m_client.bytesReceived, 10000 + 1024);
    }
    void aChunkWhoseAnswerWasLostIsNotSentAgainOnceKnownStored() {
        m_client.grantWindow = 4;
        m_client.loseAnswers = {2048};
        m_client.failStatusCalls = 1; // so that only the 409 can tell
        // Chunk 2 is stored last and its answer lost; sent again, it is answered first.
        m_client.chunkLatency = [sends = std::make_shared<int>(0)](qint64 offset) {
            if (offset != 2048)
                return std::chrono::milliseconds(60ms);
            return std::chrono::milliseconds(++*sends == 1 ? 400ms : 5ms);
        };
        auto job = makeJob(nullptr, 4);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        // Sent again once, refused as stored, and never again.
        QCOMPARE(m_client.sentOffsets.count(2048), 2);
        QCOMPARE(m_client.conflicts, 1);
        QCOMPARE(m_client.bytesReceived, 10000 + 1024);
    }
    void resumesWithoutResendingStoredChunks() {
        m_client.resumeSession(10000, 4, 2048, {3, 6});
        auto job = makeJob(nullptr, 4, QStringLiteral("s1"));
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QList<qint64> sent = m_client.sentOffsets; // in the order their reads finished
        std::sort(sent.begin(), sent.end());
        QCOMPARE(sent, (QList<qint64>{2048, 4096, 5120, 7168, 8192, 9216}));
        QCOMPARE(m_client.conflicts, 0);
        QCOMPARE(m_client.bytesReceived, 10000 - 2048 - 2 * 1024);
    }
    void pauseAbortsEveryChunkInFlight() {
        m_client.grantWindow = 8;
        m_client.latency = 50ms;
        auto job = makeJob(nullptr, 4);
        job->start();
        QTRY_COMPARE(m_client.inFlight, 4);
        job->pause();
        QCOMPARE(job->state(), JobState::Paused);
        QTRY_COMPARE(m_client.inFlight, 0);
        QCOMPARE(m_client.abortedChunks, 4);
        QCOMPARE(job->record().confirmedBytes, 0);
        job->resume();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.bytesReceived, 10000);
    }
    void aServerDownMidWindowIsWaitedForOnce() {
        m_client.grantWindow = 4;
        m_client.latency = 300ms; // long enough to see the four in flight
        auto job = makeJob(nullptr, 4);
        job->setRetryPolicy(policy(0ms, 300ms));
        QList<JobState> seen;
        connect(job.get(), &UploadJob::stateChanged, this, [&](JobState state) { seen << state; });
        job->start();
        QTRY_COMPARE(m_client.inFlight, 4);
        m_client.down = true; // every chunk in flight fails
        QTRY_COMPARE(job->state(), JobState::Waiting);
        QTRY_COMPARE(m_client.inFlight, 0);
        m_client.down = false;
        QTRY_COMPARE(job->state(), JobState::Done);
        // One wait for the four failures, not four.
        QCOMPARE(seen.count(JobState::Waiting), 1);
    }

  private:
    static RetryPolicy policy(std::chrono::milliseconds maxWait,
                              std::chrono::milliseconds first = 10ms) {
        RetryPolicy retry;
        retry.firstDelay = first;
        retry.maxDelay = std::max<std::chrono::milliseconds>(first, 20ms);
        retry.maxWait = maxWait;
        return retry;
    }
    std::unique_ptr<UploadJob> makeJob(ServerWatch* watch = nullptr, int parallelChunks = 1,
                                       const QString& sessionId = {}) {
        const auto identity = FileIdentity::of(m_path);
        JobRecord record;
        record.sessionId = sessionId;
        record.chunkSize = sessionId.isEmpty() ? 0 : m_client.chunkSize;
        record.path = identity->path;
        record.size = identity->size;
        record.modifiedMs = identity->modifiedMs;
        UploadJob::Context context;
        context.client = &m_client;
        context.watch = watch;
        context.retry = policy(0ms);
        context.retry.maxDelay = watch ? std::chrono::milliseconds(1h) : 20ms;
        context.retry.firstDelay = watch ? std::chrono::milliseconds(1h) : 10ms;
        context.finalizePollInterval = 10ms;
        context.parallelChunks = parallelChunks;
        context.hashAlongsideFrom = m_hashAlongsideFrom;
        return std::make_unique<UploadJob>(record, context);
    }

    QTemporaryDir m_dir;
    QString m_path;
    FakeProtocolClient m_client;
    qint64 m_hashAlongsideFrom = 0;
};

QTEST_GUILESS_MAIN(TestUploadJob)
#include "tst_upload_job.moc"
