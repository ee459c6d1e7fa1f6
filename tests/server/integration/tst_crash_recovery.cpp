// PROTOCOL duty 7: a hoistd killed with SIGKILL at any moment resumes every session
// from its last acknowledged byte, with nothing lost or duplicated.
#include "hoistd_process.h"
#include "raw_http_connection.h"
#include "test_http_client.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

class TestCrashRecovery final : public QObject {
    Q_OBJECT

  private slots:
    void killBetweenChunksResumesAtLastAcknowledgedByte();
    void killInTheMiddleOfAChunkChangesNothing();
    void killDuringManySessionsKeepsEveryOffset();

  private:
    QTemporaryDir m_dir;
};

void TestCrashRecovery::killBetweenChunksResumesAtLastAcknowledgedByte() {
    HoistdProcess server(m_dir.filePath("between"));
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QJsonObject session = client.init("between.bin", 20 * 1024 * 1024 + 5);
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    const QByteArray data = testBytes(20 * 1024 * 1024 + 5, 7);
    QCOMPARE(client.putChunk(id, 0, data.left(chunk)).status, 200);
    QCOMPARE(client.putChunk(id, chunk, data.mid(chunk, chunk)).status, 200);

    server.kill9();
    QVERIFY(server.start());
    TestHttpClient after(server.url());
    const QJsonObject status = after.get("/upload/" + id).json();
    QCOMPARE(status["uploadedBytes"].toInteger(), 2 * chunk);
    QCOMPARE(status["state"].toString(), QString("uploading"));
    // A replay of an acknowledged chunk is refused: nothing is written twice.
    const TestReply replay = after.putChunk(id, chunk, data.mid(chunk, chunk));
    QCOMPARE(replay.status, 409);
    QCOMPARE(replay.header("X-Upload-Offset"), QByteArray::number(2 * chunk));
    QCOMPARE(after.putChunk(id, 2 * chunk, data.mid(2 * chunk)).status, 200);
    const TestReply done = after.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(after.fileContent(done) == data);
}

void TestCrashRecovery::killInTheMiddleOfAChunkChangesNothing() {
    HoistdProcess server(m_dir.filePath("middle"));
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray data = testBytes(9 * 1024 * 1024, 11);
    const QJsonObject session = client.init("middle.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();

    // Half of the first chunk reaches the server (and its staging file), then SIGKILL.
    RawHttpConnection connection;
    QVERIFY(connection.beginChunk(server.port(), id, 0, chunk));
    QVERIFY(connection.sendBytes(data.left(chunk / 2)));
    QTest::qWait(300);
    server.kill9();
    connection.close();

    QVERIFY(server.start());
    TestHttpClient after(server.url());
    QCOMPARE(after.get("/upload/" + id).json()["uploadedBytes"].toInteger(), 0);
    // The whole file goes up again from 0 and hashes right: no partial bytes leaked in.
    QCOMPARE(after.putChunk(id, 0, data.left(chunk)).status, 200);
    QCOMPARE(after.putChunk(id, chunk, data.mid(chunk)).status, 200);
    const TestReply done = after.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(after.fileContent(done) == data);
}

void TestCrashRecovery::killDuringManySessionsKeepsEveryOffset() {
    HoistdProcess server(m_dir.filePath("many"));
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray data = testBytes(8 * 1024 * 1024 + 100, 3);
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        const QString id =
            client.init(QString("f%1.bin").arg(i), data.size())["sessionId"].toString();
        // Even sessions get their first chunk acknowledged before the crash.
        if (i % 2 == 0)
            QCOMPARE(client.putChunk(id, 0, data.left(8 * 1024 * 1024)).status, 200);
        ids << id;
    }
    server.kill9();
    QVERIFY(server.start());
    TestHttpClient after(server.url());
    for (int i = 0; i < ids.size(); ++i) {
        const qint64 expected = i % 2 == 0 ? 8 * 1024 * 1024 : 0;
        QCOMPARE(after.get("/upload/" + ids[i]).json()["uploadedBytes"].toInteger(), expected);
    }
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crash_recovery.moc"
