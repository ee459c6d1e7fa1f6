// Per-user limits checked at init (docs/protocol.md, "Limits"): open sessions, the
// byte quota (declared by open sessions plus stored files), and 255-byte caps on the
// names a client sends. Each is refused at init, never discovered mid-upload.
#include "hoistd_process.h"
#include "test_http_client.h"

#include <QTemporaryDir>
#include <QTest>

class TestLimits final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void openSessionsAreCappedPerUser();
    void quotaCountsOpenSessionsAndStoredFiles();
    void longNamesAreTooLarge();

  private:
    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
};

void TestLimits::initTestCase() {
    m_server = std::make_unique<HoistdProcess>(
        m_dir.filePath("data"), QStringList{"--max-open-sessions", "3", "--quota", "10000"});
    QVERIFY(m_server->start());
}

void TestLimits::openSessionsAreCappedPerUser() {
    TestHttpClient bob(m_server->url(), "tokB");
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        const TestReply reply = bob.postJson("/upload/init", {{"fileName", "f.bin"}, {"size", 10}});
        QCOMPARE(reply.status, 201);
        ids << reply.json()["sessionId"].toString();
    }
    const TestReply refused = bob.postJson("/upload/init", {{"fileName", "f.bin"}, {"size", 10}});
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.json()["error"].toString(), QString("too_many_sessions"));
    // Another user is not affected.
    TestHttpClient alice(m_server->url(), "tokA");
    const QString other = alice.init("a.bin", 10)["sessionId"].toString();
    QVERIFY(!other.isEmpty());
    QCOMPARE(alice.send("DELETE", "/upload/" + other).status, 204);
    // A completed session no longer counts; a deleted one neither.
    const QByteArray data = testBytes(10);
    QCOMPARE(bob.putChunk(ids[0], 0, data).status, 200);
    QCOMPARE(bob.complete(ids[0], data).status, 200);
    QCOMPARE(bob.send("DELETE", "/upload/" + ids[1]).status, 204);
    QCOMPARE(bob.postJson("/upload/init", {{"fileName", "g.bin"}, {"size", 10}}).status, 201);
    const TestReply last = bob.postJson("/upload/init", {{"fileName", "h.bin"}, {"size", 10}});
    QCOMPARE(last.status, 201);
    QCOMPARE(bob.postJson("/upload/init", {{"fileName", "i.bin"}, {"size", 10}}).status, 429);
    QCOMPARE(bob.send("DELETE", "/upload/" + last.json()["sessionId"].toString()).status, 204);
}

void TestLimits::quotaCountsOpenSessionsAndStoredFiles() {
    TestHttpClient alice(m_server->url(), "tokA");
    const QByteArray stored = testBytes(4000);
    QCOMPARE(alice.upload("stored.bin", stored)["state"].toString(), QString("completed"));
    const TestReply open =
        alice.postJson("/upload/init", {{"fileName", "open.bin"}, {"size", 5000}});
    QCOMPARE(open.status, 201);
    const TestReply over = alice.postJson("/upload/init", {{"fileName", "x.bin"}, {"size", 1001}});
    QCOMPARE(over.status, 413);
    QCOMPARE(over.json()["error"].toString(), QString("quota_exceeded"));
    QCOMPARE(over.json()["quota"].toInteger(), 10000);
    QCOMPARE(over.json()["used"].toInteger(), 9000);
    // Exactly up to the quota is fine.
    QCOMPARE(alice.postJson("/upload/init", {{"fileName", "y.bin"}, {"size", 1000}}).status, 201);
    // The quota is per user: bob holds 30 bytes, so 9000 more fit for him.
    TestHttpClient bob(m_server->url(), "tokB");
    QCOMPARE(bob.postJson("/upload/init", {{"fileName", "z.bin"}, {"size", 9000}}).status, 201);
}

void TestLimits::longNamesAreTooLarge() {
    TestHttpClient alice(m_server->url(), "tokA");
    // 128 two-byte characters: 256 bytes of UTF-8 although only 128 characters.
    const QString longName = QString(128, QChar(0x00E9));
    const TestReply name = alice.postJson("/upload/init", {{"fileName", longName}, {"size", 1}});
    QCOMPARE(name.status, 413);
    QCOMPARE(name.json()["error"].toString(), QString("too_large"));
    const TestReply mime = alice.postJson(
        "/upload/init", {{"fileName", "m.bin"}, {"size", 1}, {"mimeType", QString(256, 'a')}});
    QCOMPARE(mime.status, 413);
    QCOMPARE(mime.json()["error"].toString(), QString("too_large"));
    const TestReply fits = alice.postJson(
        "/upload/init",
        {{"fileName", QString(255, 'n')}, {"size", 0}, {"mimeType", QString(255, 'a')}});
    QCOMPARE(fits.status, 201);
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
