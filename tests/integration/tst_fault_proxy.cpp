// Connections cut mid-chunk and stalled mid-chunk (a loopback proxy between the
// engine and hoistd): the upload still completes, byte for byte.

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

class TestFaultProxy final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cutConnectionsMidChunk();
    void stalledConnectionMidChunk();

  private:
    void uploadThrough(TcpProxy& proxy, const QString& name);

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
};

void TestFaultProxy::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
}

void TestFaultProxy::uploadThrough(TcpProxy& proxy, const QString& name) {
    const QString file = m_dir.filePath(name);
    const QByteArray bytes = test_support::writeRandomFile(file, 24 * kMiB + 7);
    UploadEngine engine(test_support::fastSettings(proxy.url()), m_dir.filePath("queue-" + name));
    QVERIFY(engine.queue().addPaths({file}, proxy.url()).isEmpty());
    UploadJob* job = engine.queue().job(0);
    QTRY_VERIFY_WITH_TIMEOUT(isDone(job->state()) || job->state() == JobState::Failed, 60000);
    QVERIFY2(job->state() == JobState::Done, qPrintable(job->record().error));
    QCOMPARE(proxy.pendingFaults(), 0);
    const auto stored = test_support::download(m_server->url(), "tokA", job->record().fileId);
    QVERIFY(stored);
    QVERIFY(*stored == bytes);
}

void TestFaultProxy::cutConnectionsMidChunk() {
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    // Connections die 3 MiB into the proxy's traffic (inside the first chunk) and
    // 14 MiB into it: 3 MiB lost, 8 MiB for the first chunk again, then 3 MiB into
    // the second.
    proxy.injectFault(TcpProxy::Fault::Cut, 3 * kMiB);
    proxy.injectFault(TcpProxy::Fault::Cut, 14 * kMiB);
    uploadThrough(proxy, "cut.bin");
    QCOMPARE(proxy.faultsTriggered(), 2);
}

void TestFaultProxy::stalledConnectionMidChunk() {
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    // Bytes stop flowing mid-chunk; the transfer timeout must notice.
    proxy.injectFault(TcpProxy::Fault::Stall, 2 * kMiB);
    uploadThrough(proxy, "stall.bin");
    QCOMPARE(proxy.faultsTriggered(), 1);
}

QTEST_GUILESS_MAIN(TestFaultProxy)
#include "tst_fault_proxy.moc"
