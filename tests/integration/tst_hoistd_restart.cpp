// hoistd killed (-9) and restarted mid-upload: the engine backs off, asks for the
// offset and completes from the server's last acknowledged byte.

#include "hoistd_process.h"
#include "tcp_proxy.h"
#include "test_support.h"

#include "upload_engine.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hoist;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
}

class TestHoistdRestart final : public QObject {
    Q_OBJECT

  private slots:
    void killedAndRestartedMidUpload();
};

void TestHoistdRestart::killedAndRestartedMidUpload() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HoistdProcess server(dir.filePath("hoistd"));
    QVERIFY2(server.start(), server.stderrOutput().constData());
    // The engine talks to a fixed proxy port; the restarted hoistd gets a new port.
    TcpProxy proxy(server.port());
    QVERIFY(proxy.listen());

    const QString file = dir.filePath("restart.bin");
    const QByteArray bytes = test_support::writeRandomFile(file, 40 * kMiB);
    Settings settings = test_support::fastSettings(proxy.url());
    settings.bandwidthLimit = 32 * kMiB;
    UploadEngine engine(settings, dir.filePath("queue"));
    QVERIFY(engine.queue().addPaths({file}, proxy.url()).isEmpty());
    UploadJob* job = engine.queue().job(0);
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= 8 * kMiB, 30000);

    server.kill9();
    QVERIFY2(server.start(), server.stderrOutput().constData());
    proxy.setTargetPort(server.port());
    engine.limiter().setLimit(0);

    QTRY_VERIFY_WITH_TIMEOUT(isDone(job->state()) || job->state() == JobState::Failed, 60000);
    QVERIFY2(job->state() == JobState::Done, qPrintable(job->record().error));
    const auto stored = test_support::download(server.url(), "tokA", job->record().fileId);
    QVERIFY(stored);
    QVERIFY(*stored == bytes);
}

QTEST_GUILESS_MAIN(TestHoistdRestart)
#include "tst_hoistd_restart.moc"
