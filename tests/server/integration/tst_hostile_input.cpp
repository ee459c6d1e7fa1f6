// Bad input gets a 4xx with the error JSON: never a 5xx, a crash, a hang, or a file
// written outside the data directory.
#include "hoistd_process.h"
#include "raw_http_connection.h"
#include "test_http_client.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

class TestHostileInput final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void hostileSessionIds_data();
    void hostileSessionIds();
    void absurdOffsets_data();
    void absurdOffsets();
    void hugeAndDeepJson();
    void hostileFileNames();
    void bodyShorterThanContentLength();
    void bodyLargerThanAnyChunk();
    void cleanupTestCase();

  private:
    void expectError(const TestReply& reply, int status);
    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    std::unique_ptr<TestHttpClient> m_client;
    QString m_session;
};

void TestHostileInput::expectError(const TestReply& reply, int status) {
    QCOMPARE(reply.status, status);
    QVERIFY2(!reply.json()["error"].toString().isEmpty(), reply.body.constData());
    QVERIFY(!reply.json()["message"].toString().isEmpty());
}

void TestHostileInput::initTestCase() {
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("data"));
    QVERIFY(m_server->start());
    m_client = std::make_unique<TestHttpClient>(m_server->url());
    m_session = m_client->init("target.bin", 100)["sessionId"].toString();
    QVERIFY(!m_session.isEmpty());
}

void TestHostileInput::hostileSessionIds_data() {
    QTest::addColumn<QString>("id");
    QTest::newRow("dot-dot") << "..%2F..%2Fetc%2Fpasswd";
    QTest::newRow("encoded-nul") << "abc%00def";
    QTest::newRow("sql") << "x'%3B%20DROP%20TABLE%20sessions%3B--";
    QTest::newRow("very long") << QString(5000, 'a');
    QTest::newRow("uppercase uuid") << "0F8FAD5B-D9CB-469F-A165-70867728950E";
    QTest::newRow("unicode") << "%C3%A9t%C3%A9";
}

void TestHostileInput::hostileSessionIds() {
    QFETCH(QString, id);
    expectError(m_client->get("/upload/" + id), 404);
    expectError(m_client->putChunk(id, 0, "x"), 404);
    expectError(m_client->send("DELETE", "/upload/" + id), 404);
    expectError(m_client->postJson("/upload/" + id + "/complete", {}), 404);
    expectError(m_client->get("/files/" + id + "/content"), 404);
}

void TestHostileInput::absurdOffsets_data() {
    QTest::addColumn<QByteArray>("offset");
    QTest::newRow("negative") << QByteArray("-1");
    QTest::newRow("huge") << QByteArray("99999999999999999999999999");
    QTest::newRow("2^63") << QByteArray("9223372036854775808");
    QTest::newRow("exponent") << QByteArray("1e3");
    QTest::newRow("plus") << QByteArray("+0");
    QTest::newRow("hex") << QByteArray("0x0");
}

void TestHostileInput::absurdOffsets() {
    QFETCH(QByteArray, offset);
    const TestReply reply = m_client->send("PUT", "/upload/" + m_session, QByteArray(100, 'x'),
                                           {{"X-Upload-Offset", offset}});
    expectError(reply, 400);
    QCOMPARE(m_client->get("/upload/" + m_session).json()["uploadedBytes"].toInteger(), 0);
}

void TestHostileInput::hugeAndDeepJson() {
    const QByteArray huge =
        "{\"fileName\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\",\"size\":1}";
    expectError(
        m_client->send("POST", "/upload/init", huge, {{"Content-Type", "application/json"}}), 413);
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    expectError(
        m_client->send("POST", "/upload/init", deep, {{"Content-Type", "application/json"}}), 413);
    const QByteArray deepSmall = QByteArray(10000, '[') + QByteArray(10000, ']');
    expectError(
        m_client->send("POST", "/upload/init", deepSmall, {{"Content-Type", "application/json"}}),
        400);
    const QByteArray deepObject = "{\"a\":" + QByteArray(5000, '[') + QByteArray(5000, ']') + "}";
    expectError(
        m_client->send("POST", "/upload/dedup", deepObject, {{"Content-Type", "application/json"}}),
        400);
    QCOMPARE(m_client->get("/healthz").status, 200);
}

void TestHostileInput::hostileFileNames() {
    for (const QByteArray& name :
         {QByteArray("../../escape.bin"), QByteArray("/tmp/abs.bin"), QByteArray("..\\\\win.bin"),
          QByteArray("bad\\xff\\xfe.bin"), QByteArray("nul\\u0000.bin")}) {
        const QByteArray body = "{\"fileName\":\"" + name + "\",\"size\":5}";
        expectError(
            m_client->send("POST", "/upload/init", body, {{"Content-Type", "application/json"}}),
            400);
    }
    // Raw invalid UTF-8 bytes inside the JSON string.
    expectError(m_client->send("POST", "/upload/init",
                               "{\"fileName\":\"a\xff\xfe.bin\",\"size\":5}",
                               {{"Content-Type", "application/json"}}),
                400);
}

void TestHostileInput::bodyShorterThanContentLength() {
    RawHttpConnection connection;
    QVERIFY(connection.beginChunk(m_server->port(), m_session, 0, 100));
    QVERIFY(connection.sendBytes(QByteArray(60, 'z')));
    connection.close();
    QTest::qWait(200);
    QCOMPARE(m_client->get("/upload/" + m_session).json()["uploadedBytes"].toInteger(), 0);
    QCOMPARE(m_client->putChunk(m_session, 0, QByteArray(100, 'y')).status, 200);
}

void TestHostileInput::bodyLargerThanAnyChunk() {
    RawHttpConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    QVERIFY(connection.sendHead(
        "PUT", "/upload/" + m_session.toUtf8(),
        {"Authorization: Bearer tokA", "X-Upload-Offset: 100", "Content-Length: 1099511627776"}));
    const int status = connection.readStatus();
    QVERIFY2(status == 413, QByteArray::number(status).constData());
    QCOMPARE(m_client->get("/healthz").status, 200);
}

void TestHostileInput::cleanupTestCase() {
    // Nothing but the data directory and the server's log appeared beside it.
    const QStringList entries =
        QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    QCOMPARE(entries, QStringList({"data", "data.log"}));
    QDirIterator it(m_dir.filePath("data"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        QVERIFY2(!it.next().contains("escape"), qPrintable(it.filePath()));
    QVERIFY(m_server->isRunning());
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostile_input.moc"
