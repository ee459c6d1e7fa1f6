// The real tus-js-client (npm, pinned in package-lock.json) against hoistd's tus face,
// on disk and on S3 (moto): an upload cut mid-PATCH by a proxy and resumed from HEAD,
// metadata, termination, checksums (460), expiry (410) and the finished files in /files
// with their SHA-256. The scenarios are in tus_client_suite.mjs; this test starts the
// servers and runs it with Node.
#include "hoistd_process.h"
#include "moto_server.h"

#include <QDir>
#include <QFileInfo>
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

  private:
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

void TestTusClients::tusJsClient() {
    QFETCH(bool, s3);
    QStringList args{"--session-ttl", QString::number(kSessionTtlSeconds)};
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (s3) {
        if (!m_haveMoto)
            QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
        QVERIFY(m_moto.createBucket("tus"));
        args << "--storage"
             << "s3"
             << "--s3-endpoint" << m_moto.endpoint() << "--s3-bucket"
             << "tus"
             << "--s3-region" << m_moto.region();
        environment = m_moto.credentialsEnvironment();
    }
    HoistdProcess hoistd(m_dir.filePath(s3 ? "s3" : "disk"), args);
    hoistd.setEnvironment(environment);
    QVERIFY(hoistd.start());

    QProcess node;
    QProcessEnvironment nodeEnvironment = QProcessEnvironment::systemEnvironment();
    nodeEnvironment.insert("HOIST_URL", hoistd.url().toString(QUrl::StripTrailingSlash));
    nodeEnvironment.insert("HOIST_TOKEN", "tokA");
    nodeEnvironment.insert("HOIST_TTL", QString::number(kSessionTtlSeconds));
    node.setProcessEnvironment(nodeEnvironment);
    node.setWorkingDirectory(QFileInfo(kSuite).absolutePath());
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start("node", {kSuite});
    QVERIFY(node.waitForStarted());
    QVERIFY2(node.waitForFinished(150000), "the tus-js-client suite did not finish in time");
    const QByteArray output = node.readAll();
    qInfo().noquote() << output;
    QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, output.constData());
    QVERIFY2(output.count("\nok ") + (output.startsWith("ok ") ? 1 : 0) == 5, output.constData());
}

QTEST_GUILESS_MAIN(TestTusClients)
#include "tst_tus_clients.moc"
