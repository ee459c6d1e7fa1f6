// One request per session at a time: a second one is answered 423 at once, and the
// lock is released before the answer so the client's next chunk never sees a 423.
#include "hoistd_process.h"
#include "raw_http_connection.h"
#include "test_http_client.h"

#include <QTemporaryDir>
#include <QTest>

class TestSessionLock final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void secondRequestWhileAChunkIsInFlightIs423();
    void otherSessionsAreNotBlocked();
    void lockIsReleasedBeforeTheAnswer();

  private:
    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
};

void TestSessionLock::initTestCase() {
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("data"));
    QVERIFY(m_server->start());
}

void TestSessionLock::secondRequestWhileAChunkIsInFlightIs423() {
    TestHttpClient client(m_server->url());
    const QByteArray data = testBytes(8 * 1024 * 1024 + 3);
    const QJsonObject session = client.init("locked.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();

    RawHttpConnection slow;
    QVERIFY(slow.beginChunk(m_server->port(), id, 0, chunk));
    QVERIFY(slow.sendBytes(data.left(1024)));
    QTest::qWait(200);
    const TestReply second = client.putChunk(id, 0, data.left(chunk));
    QCOMPARE(second.status, 423);
    QCOMPARE(second.json()["error"].toString(), QString("locked"));
    QCOMPARE(client.send("DELETE", "/upload/" + id).status, 423);
    QCOMPARE(client.postJson("/upload/" + id + "/complete", {}).status, 423);
    // Reading the status needs no lock.
    QCOMPARE(client.get("/upload/" + id).status, 200);

    QVERIFY(slow.sendBytes(data.mid(1024, chunk - 1024)));
    QCOMPARE(slow.readStatus(), 200);
    QCOMPARE(client.putChunk(id, chunk, data.mid(chunk)).status, 200);
}

void TestSessionLock::otherSessionsAreNotBlocked() {
    TestHttpClient client(m_server->url());
    const QByteArray data = testBytes(1000);
    const QString busy = client.init("busy.bin", data.size())["sessionId"].toString();
    const QString free = client.init("free.bin", data.size())["sessionId"].toString();
    RawHttpConnection slow;
    QVERIFY(slow.beginChunk(m_server->port(), busy, 0, 1000));
    QVERIFY(slow.sendBytes(data.left(10)));
    QTest::qWait(100);
    QCOMPARE(client.putChunk(free, 0, data).status, 200);
    QVERIFY(slow.sendBytes(data.mid(10)));
    QCOMPARE(slow.readStatus(), 200);
}

void TestSessionLock::lockIsReleasedBeforeTheAnswer() {
    TestHttpClient client(m_server->url());
    const QByteArray data = testBytes(3 * 1024 * 1024 * 8 + 77, 9);
    const QJsonObject session = client.init("fast.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    // Back-to-back chunks on one keep-alive connection: any late release would 423.
    for (qint64 offset = 0; offset < data.size(); offset += chunk)
        QCOMPARE(client.putChunk(id, offset, data.mid(offset, chunk)).status, 200);
}

QTEST_GUILESS_MAIN(TestSessionLock)
#include "tst_session_lock.moc"
