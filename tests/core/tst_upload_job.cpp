#include "fake_protocol_client.h"

#include "file_identity.h"
#include "upload_job.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    }

    void uploadsInChunks() {
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
        QCOMPARE(m_client.bytesReceived, 10000);
        QCOMPARE(job->record().fileId, QStringLiteral("file-1"));
        QCOMPARE(job->record().fingerprint.size(), 64);
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
    void exhaustedRetriesFailThenRetryResumes() {
        m_client.failNextChunks = 3; // one more than the two retries
        auto job = makeJob();
        job->start();
        QTRY_COMPARE(job->state(), JobState::Failed);
        QVERIFY(job->record().error.contains("injected"));
        job->retry();
        QCOMPARE(job->state(), JobState::Queued);
        job->start();
        QTRY_COMPARE(job->state(), JobState::Done);
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

  private:
    std::unique_ptr<UploadJob> makeJob() {
        const auto identity = FileIdentity::of(m_path);
        JobRecord record;
        record.path = identity->path;
        record.size = identity->size;
        record.modifiedMs = identity->modifiedMs;
        UploadJob::Context context;
        context.client = &m_client;
        context.retryDelays = {10ms, 20ms};
        context.finalizePollInterval = 10ms;
        return std::make_unique<UploadJob>(record, context);
    }

    QTemporaryDir m_dir;
    QString m_path;
    FakeProtocolClient m_client;
};

QTEST_GUILESS_MAIN(TestUploadJob)
#include "tst_upload_job.moc"
