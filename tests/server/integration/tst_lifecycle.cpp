// Session expiry (PROTOCOL duty 5) and graceful shutdown (duty 6).
#include "hoistd_process.h"
#include "raw_http_connection.h"
#include "test_http_client.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

class TestLifecycle final : public QObject {
    Q_OBJECT

  private slots:
    void expiredSessionsLoseTheirBytes();
    void activityExtendsExpiry();
    void sigtermFinishesTheChunkInFlightAndExitsZero();
    void sigintExitsZero();
    void aSecondServerOnTheSamePortRefusesToStart();

  private:
    static int stagedFiles(const QString& dataDir) {
        return int(QDir(dataDir + "/staging").entryList(QDir::Files).size());
    }
    QTemporaryDir m_dir;
};

void TestLifecycle::expiredSessionsLoseTheirBytes() {
    const QString data = m_dir.filePath("expiry");
    HoistdProcess server(data, {"--session-ttl", "2", "--sweep-interval", "1"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(1000);
    const QString id = client.init("soon-gone.bin", bytes.size())["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, bytes.left(1000)).status, 200);
    QCOMPARE(stagedFiles(data), 1);
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/upload/" + id).status, 404, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(stagedFiles(data), 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(server.stderrOutput().contains("expired (uploading)"), 5000);
}

void TestLifecycle::activityExtendsExpiry() {
    HoistdProcess server(m_dir.filePath("activity"),
                         {"--session-ttl", "6", "--sweep-interval", "1"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(8 * 1024 * 1024 + 10);
    const QString id = client.init("kept.bin", bytes.size())["sessionId"].toString();
    QTest::qWait(4000);
    QCOMPARE(client.putChunk(id, 0, bytes.left(8 * 1024 * 1024)).status, 200);
    QTest::qWait(3000);
    // 7 s after init but 3 s after the last accepted chunk: still alive (margins are
    // wide because CI machines are shared and slow).
    QCOMPARE(client.get("/upload/" + id).status, 200);
}

void TestLifecycle::sigtermFinishesTheChunkInFlightAndExitsZero() {
    const QString data = m_dir.filePath("shutdown");
    HoistdProcess server(data);
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(8 * 1024 * 1024 + 1, 5);
    const QJsonObject session = client.init("graceful.bin", bytes.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();

    RawHttpConnection connection;
    QVERIFY(connection.beginChunk(server.port(), id, 0, chunk));
    QVERIFY(connection.sendBytes(bytes.left(chunk / 2)));
    QTest::qWait(200);
    QVERIFY(server.isRunning());
    // SIGTERM while the chunk is half-way: the server must finish it before leaving.
    server.sendSignal(SIGTERM);
    QTest::qWait(200);
    QVERIFY(connection.sendBytes(bytes.mid(chunk / 2, chunk - chunk / 2)));
    QCOMPARE(connection.readStatus(), 200);
    QVERIFY(server.waitForExit(15000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);

    QVERIFY(server.start());
    TestHttpClient after(server.url());
    QCOMPARE(after.get("/upload/" + id).json()["uploadedBytes"].toInteger(), chunk);
}

void TestLifecycle::sigintExitsZero() {
    HoistdProcess server(m_dir.filePath("sigint"));
    QVERIFY(server.start());
    server.sendSignal(SIGINT);
    QVERIFY(server.waitForExit(15000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    QVERIFY(server.stderrOutput().contains("SIGINT"));
}

void TestLifecycle::aSecondServerOnTheSamePortRefusesToStart() {
    HoistdProcess first(m_dir.filePath("first"));
    QVERIFY(first.start());
    const QString address = QStringLiteral("127.0.0.1:%1").arg(first.port());
    HoistdProcess second(m_dir.filePath("second"), {"--listen", address});
    QVERIFY(!second.start());
    QVERIFY(second.waitForExit(15000));
    QVERIFY(second.exitCode() != 0);
    QVERIFY2(second.stderrOutput().contains("address in use"), second.stderrOutput());
    QCOMPARE(TestHttpClient(first.url()).get("/healthz").status, 200);
}

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
