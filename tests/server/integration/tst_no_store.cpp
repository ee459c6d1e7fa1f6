// Answers that carry a capability or private bytes say Cache-Control: no-store, so no
// cache or proxy on the way keeps them (docs/protocol.md, "Caching").
#include "hoistd_process.h"
#include "stub_app_server.h"
#include "test_http_client.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

class TestNoStore final : public QObject {
    Q_OBJECT

  private slots:
    void libraryAnswersAreNotStored();
    void stagedBytesAreNotStored();

  private:
    QTemporaryDir m_dir;
};

void TestNoStore::libraryAnswersAreNotStored() {
    HoistdProcess server(m_dir.filePath("library"));
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(5000, 6);
    const QString id = client.init("private.bin", bytes.size())["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, bytes).status, 200);
    const TestReply completion = client.complete(id, bytes);
    QCOMPARE(completion.status, 200);
    const QString fileId = completion.json()["fileId"].toString();
    for (const QString& path : {"/upload/" + id, QString("/files"), "/files/" + fileId,
                                "/files/" + fileId + "/content"}) {
        const TestReply reply = client.get(path);
        QCOMPARE(reply.status, 200);
        QVERIFY2(reply.header("Cache-Control") == "no-store", qPrintable(path));
    }
}

void TestNoStore::stagedBytesAreNotStored() {
    StubAppServer app({{500, "{}"}});
    QVERIFY(app.listen());
    HoistdProcess server(m_dir.filePath("staged"),
                         {"--finalize-url", app.url(), "--finalize-secret", "no-store-secret"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(5000, 7);
    const QString id = client.init("staged.bin", bytes.size())["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, bytes).status, 200);
    QCOMPARE(client.complete(id, bytes).status, 202);
    QVERIFY(!app.received().isEmpty());
    const QString link =
        QJsonDocument::fromJson(app.received().first().body).object()["downloadUrl"].toString();
    const TestReply staged = TestHttpClient(server.url(), {}).get(link);
    QCOMPARE(staged.status, 200);
    QVERIFY(staged.body == bytes);
    QCOMPARE(staged.header("Cache-Control"), QByteArray("no-store"));
}

QTEST_GUILESS_MAIN(TestNoStore)
#include "tst_no_store.moc"
