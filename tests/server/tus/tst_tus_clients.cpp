// The real tus-js-client (npm, pinned in package-lock.json) against hoistd's tus face,
// on disk and on S3 (moto): an upload cut mid-PATCH by a proxy and resumed from HEAD,
// metadata, termination, checksums (460), expiry (410), parallelUploads (concatenation),
// uploadLengthDeferred (creation-defer-length) and the finished files in /files with
// their SHA-256. The scenarios are in tus_client_suite.mjs;
// this test starts the servers and runs it with Node.
#include "hoistd_process.h"
#include "moto_server.h"
#include "test_http_client.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestTusClients final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void tusJsClient_data();
    void tusJsClient();
    void parallelUploads_data();
    void parallelUploads();
    void tailSurvivesKill9_data();
    void tailSurvivesKill9();
    void deferredLengthCommitsTheTail_data();
    void deferredLengthCommitsTheTail();

  private:
    // Runs the suite's `scenarios` against `hoistd`; the number of them that passed.
    int runSuite(HoistdProcess& hoistd, const QStringList& scenarios);
    std::unique_ptr<HoistdProcess> server(const QString& name, bool s3, QStringList args = {});
    QTemporaryDir m_dir;
    MotoServer m_moto;
    bool m_haveMoto = false;
};

namespace {
// Short, so that the expiry scenario waits little; every other scenario stays active.
constexpr int kSessionTtlSeconds = 3;
const QString kSuite = QStringLiteral(HOIST_TUS_SUITE);
} // namespace

void TestTusClients::initTestCase() {
    QVERIFY2(!QStandardPaths::findExecutable("node").isEmpty(), "Node.js is not installed");
    QVERIFY2(QFileInfo(QFileInfo(kSuite).dir().filePath("node_modules/tus-js-client")).isDir(),
             "tus-js-client is not installed: npm ci in tests/server/tus "
             "(scripts/install-deps.sh test)");
    m_haveMoto = m_moto.start();
}

void TestTusClients::tusJsClient_data() {
    QTest::addColumn<bool>("s3");
    QTest::newRow("disk") << false;
    QTest::newRow("s3") << true;
}

std::unique_ptr<HoistdProcess> TestTusClients::server(const QString& name, bool s3,
                                                      QStringList args) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (s3) {
        if (!m_moto.createBucket(name))
            return nullptr;
        args << "--storage"
             << "s3"
             << "--s3-endpoint" << m_moto.endpoint() << "--s3-bucket" << name << "--s3-region"
             << m_moto.region();
        environment = m_moto.credentialsEnvironment();
    }
    auto hoistd = std::make_unique<HoistdProcess>(m_dir.filePath(name), args);
    hoistd->setEnvironment(environment);
    return hoistd;
}

void TestTusClients::tusJsClient() {
    QFETCH(bool, s3);
    if (s3 && !m_haveMoto)
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
    auto server = this->server(s3 ? "tus-s3" : "tus-disk", s3,
                               {"--session-ttl", QString::number(kSessionTtlSeconds)});
    QVERIFY(server);
    HoistdProcess& hoistd = *server;
    QVERIFY(hoistd.start());

    const QStringList scenarios{
        "interruptedAndResumed", "metadata",       "termination", "checksum",
        "deferredStream",        "deferredBuffer", "expiry"};
    QCOMPARE(runSuite(hoistd, scenarios), scenarios.size());
}

int TestTusClients::runSuite(HoistdProcess& hoistd, const QStringList& scenarios) {
    QProcess node;
    QProcessEnvironment nodeEnvironment = QProcessEnvironment::systemEnvironment();
    nodeEnvironment.insert("HOIST_URL", hoistd.url().toString(QUrl::StripTrailingSlash));
    nodeEnvironment.insert("HOIST_TOKEN", "tokA");
    nodeEnvironment.insert("HOIST_TTL", QString::number(kSessionTtlSeconds));
    node.setProcessEnvironment(nodeEnvironment);
    node.setWorkingDirectory(QFileInfo(kSuite).absolutePath());
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start("node", QStringList{kSuite} + scenarios);
    if (!node.waitForStarted() || !node.waitForFinished(150000)) {
        qWarning("the tus-js-client suite did not finish in time");
        return -1;
    }
    const QByteArray output = node.readAll();
    qInfo().noquote() << output;
    if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0)
        return -1;
    return static_cast<int>(output.count("ok "));
}

void TestTusClients::parallelUploads_data() {
    tusJsClient_data();
}

// tus-js-client's parallelUploads: 3 uses concatenation; on S3 the final upload's parts
// are whole chunks although the partials end anywhere (moto refuses small parts).
void TestTusClients::parallelUploads() {
    QFETCH(bool, s3);
    if (s3 && !m_haveMoto)
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
    auto hoistd = server(s3 ? "parallel-s3" : "parallel-disk", s3);
    QVERIFY(hoistd);
    QVERIFY(hoistd->start());
    QCOMPARE(runSuite(*hoistd, {"parallelUploads"}), 1);
}

void TestTusClients::tailSurvivesKill9_data() {
    tusJsClient_data();
}

// A PATCH that ends inside a chunk is durable at its 204: hoistd killed right after it
// resumes the upload from that offset, the tail read back from disk or S3.
void TestTusClients::tailSurvivesKill9() {
    QFETCH(bool, s3);
    if (s3 && !m_haveMoto)
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
    auto hoistd = server(s3 ? "kill-s3" : "kill-disk", s3);
    QVERIFY(hoistd);
    QVERIFY(hoistd->start());
    hoistd->keepPort();
    const QByteArray data = testBytes(10 * 1024 * 1024 + 17, 7);
    const QList<QPair<QByteArray, QByteArray>> tus{{"Tus-Resumable", "1.0.0"}};
    TestHttpClient client(hoistd->url());
    const TestReply created =
        client.send("POST", "/tus/", {},
                    {{"Tus-Resumable", "1.0.0"},
                     {"Upload-Length", QByteArray::number(data.size())},
                     {"Upload-Metadata", "filename " + QByteArray("killed.bin").toBase64()}});
    QCOMPARE(created.status, 201);
    const QString path = QUrl(QString::fromUtf8(created.header("Location"))).path();
    const auto patch = [&](TestHttpClient& to, qint64 from, qint64 length) {
        return to.send("PATCH", path, data.mid(from, length),
                       {{"Tus-Resumable", "1.0.0"},
                        {"Upload-Offset", QByteArray::number(from)},
                        {"Content-Type", "application/offset+octet-stream"}});
    };
    const qint64 first = 3 * 1024 * 1024 + 5;
    QCOMPARE(patch(client, 0, first).status, 204);
    const qint64 second = 9 * 1024 * 1024; // past the first 8 MiB chunk, into the second
    QCOMPARE(patch(client, first, second - first).header("Upload-Offset"),
             QByteArray::number(second));
    hoistd->kill9();

    QVERIFY(hoistd->start());
    TestHttpClient after(hoistd->url());
    const TestReply head = after.send("HEAD", path, {}, tus);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Upload-Offset"), QByteArray::number(second));
    const TestReply last = patch(after, second, data.size() - second);
    QCOMPARE(last.status, 204);
    QCOMPARE(last.header("Upload-Offset"), QByteArray::number(data.size()));
    const QJsonArray files = after.get("/files").json()["files"].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0].toObject()["fingerprint"].toString(), QString(sha256Hex(data)));
}

void TestTusClients::deferredLengthCommitsTheTail_data() {
    tusJsClient_data();
}

// creation-defer-length by hand: every byte sent (kept as a tail, across a kill -9),
// then a PATCH with Upload-Length and no body makes the tail the file's last chunk. The
// refusals leave the upload as it was.
void TestTusClients::deferredLengthCommitsTheTail() {
    QFETCH(bool, s3);
    if (s3 && !m_haveMoto)
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
    auto hoistd = server(s3 ? "defer-s3" : "defer-disk", s3);
    QVERIFY(hoistd);
    QVERIFY(hoistd->start());
    hoistd->keepPort();
    const QByteArray data = testBytes(10 * 1024 * 1024 + 17, 11);
    const QList<QPair<QByteArray, QByteArray>> tus{{"Tus-Resumable", "1.0.0"}};
    TestHttpClient client(hoistd->url());
    const auto create = [&](const QByteArray& defer) {
        return client.send("POST", "/tus/", {},
                           {{"Tus-Resumable", "1.0.0"},
                            {"Upload-Defer-Length", defer},
                            {"Upload-Metadata", "filename " + QByteArray("later.bin").toBase64()}});
    };
    QCOMPARE(create("2").status, 400);
    const TestReply created = create("1");
    QCOMPARE(created.status, 201);
    const QString path = QUrl(QString::fromUtf8(created.header("Location"))).path();
    const auto patch = [&](TestHttpClient& to, qint64 from, qint64 length,
                           std::optional<qint64> declared = std::nullopt) {
        QList<QPair<QByteArray, QByteArray>> headers{
            {"Tus-Resumable", "1.0.0"},
            {"Upload-Offset", QByteArray::number(from)},
            {"Content-Type", "application/offset+octet-stream"}};
        if (declared)
            headers.append({"Upload-Length", QByteArray::number(*declared)});
        return to.send("PATCH", path, data.mid(from, length), headers);
    };
    const qint64 first = 3 * 1024 * 1024 + 5;
    QCOMPARE(patch(client, 0, first).status, 204);
    QCOMPARE(patch(client, first, data.size() - first).header("Upload-Offset"),
             QByteArray::number(data.size()));
    hoistd->kill9();

    QVERIFY(hoistd->start());
    TestHttpClient after(hoistd->url());
    const TestReply head = after.send("HEAD", path, {}, tus);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Upload-Offset"), QByteArray::number(data.size()));
    QCOMPARE(head.header("Upload-Defer-Length"), QByteArray("1"));
    QVERIFY(head.header("Upload-Length").isEmpty());
    const TestReply below = patch(after, data.size(), 0, data.size() - 1);
    QCOMPARE(below.status, 400);
    QCOMPARE(below.header("Upload-Offset"), QByteArray::number(data.size()));
    const TestReply declared = patch(after, data.size(), 0, data.size());
    QCOMPARE(declared.status, 204);
    QCOMPARE(declared.header("Upload-Offset"), QByteArray::number(data.size()));
    const TestReply done = after.send("HEAD", path, {}, tus);
    QCOMPARE(done.header("Upload-Length"), QByteArray::number(data.size()));
    QVERIFY(done.header("Upload-Defer-Length").isEmpty());
    QCOMPARE(patch(after, data.size(), 0, data.size() + 1).status, 409); // completed
    const QJsonArray files = after.get("/files").json()["files"].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0].toObject()["size"].toInteger(), data.size());
    QCOMPARE(files[0].toObject()["fingerprint"].toString(), QString(sha256Hex(data)));
}

QTEST_GUILESS_MAIN(TestTusClients)
#include "tst_tus_clients.moc"
