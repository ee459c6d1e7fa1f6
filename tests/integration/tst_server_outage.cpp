// hoistd killed during three uploads and started again seconds later: every job
// waits (JobState::Waiting, speed and ETA cleared, the reason shown) instead of
// failing, and all of them complete without anybody pressing Retry.

#include "hoistd_process.h"
#include "test_support.h"

#include "queue_model.h"
#include "upload_engine.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hoist;
using namespace std::chrono_literals;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
constexpr int kJobs = 3;
} // namespace

class TestServerOutage final : public QObject {
    Q_OBJECT

  private slots:
    void uploadsWaitOutARestartAndFinishOnTheirOwn();
};

void TestServerOutage::uploadsWaitOutARestartAndFinishOnTheirOwn() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HoistdProcess server(dir.filePath("hoistd"));
    QVERIFY2(server.start(), server.stderrOutput().constData());
    server.keepPort();

    QStringList files;
    QList<QByteArray> contents;
    for (int i = 0; i < kJobs; ++i) {
        files << dir.filePath(QStringLiteral("outage-%1.bin").arg(i));
        contents << test_support::writeRandomFile(files.last(), 12 * kMiB);
    }
    Settings settings = test_support::fastSettings(server.url());
    settings.maxConcurrent = kJobs;
    settings.bandwidthLimit = 6 * kMiB;
    // Longer than the outage: only the server watch's probe brings the jobs back soon.
    settings.retry.maxDelay = 20s;
    UploadEngine engine(settings, dir.filePath("queue"));
    QueueModel model(engine.queue());
    QVERIFY(engine.queue().addPaths(files, server.url()).isEmpty());
    const auto allIn = [&engine](JobState state) {
        for (int row = 0; row < kJobs; ++row) {
            if (engine.queue().job(row)->state() != state)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allIn(JobState::Uploading), 30000);

    server.kill9();
    QTRY_VERIFY_WITH_TIMEOUT(allIn(JobState::Waiting), 15000);
    QVERIFY(!engine.serverWatch().isReachable(server.url()));
    // Many backoff rounds: nothing may fail while the server is away.
    for (int second = 0; second < 8; ++second) {
        QTest::qWait(1000);
        for (int row = 0; row < kJobs; ++row) {
            const UploadJob* job = engine.queue().job(row);
            QVERIFY2(job->state() == JobState::Waiting || job->state() == JobState::Checking ||
                         job->state() == JobState::Uploading,
                     qPrintable(jobStateName(job->state()) + ": " + job->record().error));
        }
    }
    model.flush();
    const QModelIndex first = model.index(0, QueueModel::Error);
    QCOMPARE(model.data(first, QueueModel::StateRole).toInt(), int(JobState::Waiting));
    QCOMPARE(model.data(first, QueueModel::SpeedRole).toDouble(), 0.0);
    QCOMPARE(model.data(first, QueueModel::EtaRole).toLongLong(), qint64(-1));
    QVERIFY(model.data(first).toString().contains("Next try at"));

    QVERIFY2(server.start(), server.stderrOutput().constData());
    engine.limiter().setLimit(0);
    for (int row = 0; row < kJobs; ++row) {
        const UploadJob* job = engine.queue().job(row);
        QTRY_VERIFY_WITH_TIMEOUT(isDone(job->state()) || job->state() == JobState::Failed, 30000);
        QVERIFY2(job->state() == JobState::Done, qPrintable(job->record().error));
        const auto stored = test_support::download(server.url(), "tokA", job->record().fileId);
        QVERIFY(stored);
        QVERIFY(*stored == contents[row]);
    }
    QVERIFY(engine.serverWatch().isReachable(server.url()));
}

QTEST_GUILESS_MAIN(TestServerOutage)
#include "tst_server_outage.moc"
