// Parallel chunks (docs/protocol.md, "Parallel chunks") against a real hoistd: the
// engine keeps several chunks in flight through a proxy that cuts connections,
// across a kill -9 of the server and a stop of the client; the file arrives byte
// for byte and no stored chunk is committed twice. Skipped by a hoistd that grants
// no window.

#include "hoistd_process.h"
#include "tcp_proxy.h"
#include "test_support.h"

#include "http_protocol_client.h"
#include "upload_engine.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <QCoroTask>

using namespace hoist;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
constexpr char kReceived[] = "hoistd_bytes_received_total";
} // namespace

class TestParallelUpload final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cutConnectionsMidWindow();
    void serverKilledMidWindow();
    void clientStoppedMidWindow();

  private:
    QString newFile(const QString& name, QByteArray& bytes);
    void expectStored(const UploadJob& job, const QByteArray& bytes, const QUrl& server);

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    qint64 m_chunkSize = 0;
};

void TestParallelUpload::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    QNetworkAccessManager network;
    HttpProtocolClient client(network, {m_server->url(), QStringLiteral("tokA"), {}, {}});
    NewSession probe{QStringLiteral("probe.bin"), 1, {}, {}, 4};
    const auto session = QCoro::waitFor(client.createSession(probe));
    if (!session)
        QFAIL(qPrintable(session.error().describe()));
    QVERIFY(QCoro::waitFor(client.abortSession(session->sessionId)));
    if (session->parallelChunks == 0)
        QSKIP("this hoistd grants no window (docs/protocol.md, \"Parallel chunks\")");
    QVERIFY(session->parallelChunks > 1);
    m_chunkSize = session->chunkSize;
}

QString TestParallelUpload::newFile(const QString& name, QByteArray& bytes) {
    const QString file = m_dir.filePath(name);
    bytes = test_support::writeRandomFile(file, 5 * m_chunkSize + 7);
    return file;
}

void TestParallelUpload::expectStored(const UploadJob& job, const QByteArray& bytes,
                                      const QUrl& server) {
    QTRY_VERIFY_WITH_TIMEOUT(isDone(job.state()) || job.state() == JobState::Failed, 60000);
    QVERIFY2(job.state() == JobState::Done, qPrintable(job.record().error));
    const auto stored = test_support::download(server, "tokA", job.record().fileId);
    QVERIFY(stored);
    QVERIFY(*stored == bytes);
}

void TestParallelUpload::cutConnectionsMidWindow() {
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    // Three connections die mid-body, each losing the chunk it carried; the chunks on
    // the other connections are acknowledged meanwhile.
    for (const qint64 at : {3 * kMiB, 2 * m_chunkSize + kMiB, 4 * m_chunkSize})
        proxy.injectFault(TcpProxy::Fault::Cut, at);
    QByteArray bytes;
    const QString file = newFile("cut.bin", bytes);
    const double before = test_support::metric(m_server->url(), kReceived);
    UploadEngine engine(test_support::fastSettings(proxy.url()), m_dir.filePath("queue-cut"));
    QVERIFY(engine.queue().addPaths({file}, proxy.url()).isEmpty());
    expectStored(*engine.queue().job(0), bytes, m_server->url());
    QCOMPARE(proxy.faultsTriggered(), 3);
    // Only whole chunks are committed, each once: a cut one is sent again, a stored one never.
    const double received = test_support::metric(m_server->url(), kReceived) - before;
    QVERIFY2(received >= bytes.size() && received <= bytes.size() + 3 * m_chunkSize,
             qPrintable(QString::number(received)));
}

void TestParallelUpload::serverKilledMidWindow() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HoistdProcess server(dir.filePath("hoistd"));
    QVERIFY2(server.start(), server.stderrOutput().constData());
    // The engine talks to a fixed proxy port; the restarted hoistd gets a new port.
    TcpProxy proxy(server.port());
    QVERIFY(proxy.listen());
    QByteArray bytes;
    const QString file = newFile("killed.bin", bytes);
    Settings settings = test_support::fastSettings(proxy.url());
    settings.bandwidthLimit = 4 * m_chunkSize; // per second: a window is in flight when it dies
    UploadEngine engine(settings, dir.filePath("queue"));
    QVERIFY(engine.queue().addPaths({file}, proxy.url()).isEmpty());
    UploadJob* job = engine.queue().job(0);
    QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= m_chunkSize, 30000);

    const qint64 confirmed = job->record().confirmedBytes;
    server.kill9();
    QVERIFY2(server.start(), server.stderrOutput().constData());
    proxy.setTargetPort(server.port());
    engine.limiter().setLimit(0);
    expectStored(*job, bytes, server.url());
    // The restarted server's count: every acknowledged chunk survived, none came again.
    const double received = test_support::metric(server.url(), kReceived);
    QVERIFY2(received <= bytes.size() - confirmed, qPrintable(QString::number(received)));
}

void TestParallelUpload::clientStoppedMidWindow() {
    QByteArray bytes;
    const QString file = newFile("stopped.bin", bytes);
    const double before = test_support::metric(m_server->url(), kReceived);
    Settings settings = test_support::fastSettings(m_server->url());
    settings.bandwidthLimit = 4 * m_chunkSize;
    const QString queue = m_dir.filePath("queue-stopped");
    {
        UploadEngine engine(settings, queue);
        QVERIFY(engine.queue().addPaths({file}, m_server->url()).isEmpty());
        const UploadJob* job = engine.queue().job(0);
        QTRY_VERIFY_WITH_TIMEOUT(job->record().confirmedBytes >= m_chunkSize, 30000);
    } // the engine goes with chunks in flight, as a client that quits
    settings.bandwidthLimit = 0;
    UploadEngine engine(settings, queue);
    engine.queue().restore();
    QCOMPARE(engine.queue().count(), 1);
    expectStored(*engine.queue().job(0), bytes, m_server->url());
    const double received = test_support::metric(m_server->url(), kReceived) - before;
    QCOMPARE(received, double(bytes.size()));
}

QTEST_GUILESS_MAIN(TestParallelUpload)
#include "tst_parallel_upload.moc"
