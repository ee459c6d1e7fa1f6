// Running hoistd: health, metrics, configuration file, development token, TLS.
#include "hoistd_process.h"
#include "test_certificate.h"
#include "test_http_client.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

class TestOperations final : public QObject {
    Q_OBJECT

  private slots:
    void metricsCountWhatHappened();
    void metricsTokenGuardsMetrics();
    void configFileWithFlagsWinning();
    void developmentTokenWhenNoneConfigured();
    void badConfigFileExits2();
    void servesHttpsWithGivenCertificate();

  private:
    QTemporaryDir m_dir;
};

void TestOperations::metricsCountWhatHappened() {
    HoistdProcess server(m_dir.filePath("metrics"));
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray data = testBytes(4321);
    QCOMPARE(client.upload("m.bin", data)["state"].toString(), QString("completed"));
    QCOMPARE(client.get("/upload/00000000-0000-4000-8000-000000000000").status, 404);
    TestHttpClient anonymous(server.url(), {});
    const TestReply metrics = anonymous.get("/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("Content-Type").startsWith("text/plain"));
    QVERIFY(metrics.body.contains("hoistd_bytes_received_total 4321\n"));
    QVERIFY(metrics.body.contains("hoistd_sessions{state=\"completed\"} 1\n"));
    QVERIFY(metrics.body.contains("hoistd_finalizations_total{outcome=\"completed\"} 1\n"));
    QVERIFY(metrics.body.contains("hoistd_errors_total{code=\"not_found\"} 1\n"));
    QVERIFY(metrics.body.contains("hoistd_requests_total{method=\"PUT\",status=\"200\"} 1\n"));
    QVERIFY(server.stderrOutput().contains("PUT /upload/"));
}

void TestOperations::metricsTokenGuardsMetrics() {
    HoistdProcess server(m_dir.filePath("guarded"), {"--metrics-token", "scrape-me"});
    QVERIFY(server.start());
    QCOMPARE(TestHttpClient(server.url(), {}).get("/metrics").status, 401);
    QCOMPARE(TestHttpClient(server.url(), "tokA").get("/metrics").status, 401);
    QCOMPARE(TestHttpClient(server.url(), "scrape-me").get("/metrics").status, 200);
    QCOMPARE(TestHttpClient(server.url(), {}).get("/healthz").status, 200);
}

void TestOperations::configFileWithFlagsWinning() {
    const QString config = m_dir.filePath("hoistd.conf");
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# a comment\nmax-size = 1K\ntoken = fromfile:carol\n"
               "session-ttl = 3600\nlog-level = warn\n");
    file.close();
    HoistdProcess server(m_dir.filePath("configured"), {"--config", config, "--max-size", "2K"},
                         false);
    QVERIFY(server.start());
    TestHttpClient client(server.url(), "fromfile");
    QCOMPARE(client.init("fits.bin", 2048)["chunkSize"].toInteger(), 8 * 1024 * 1024);
    const TestReply tooBig = client.postJson("/upload/init", {{"fileName", "x"}, {"size", 2049}});
    QCOMPARE(tooBig.status, 413);
    QCOMPARE(tooBig.json()["maxSize"].toInteger(), 2048);
    // log-level warn: no per-request lines.
    QVERIFY(!server.stderrOutput().contains("POST /upload/init"));
}

void TestOperations::developmentTokenWhenNoneConfigured() {
    const QString data = m_dir.filePath("dev");
    HoistdProcess server(data, {}, false);
    QVERIFY(server.start());
    QFile tokenFile(data + "/dev-token");
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    const QByteArray token = tokenFile.readAll().trimmed();
    QVERIFY(token.size() >= 32);
    QVERIFY(server.stderrOutput().contains(token));
    QCOMPARE(TestHttpClient(server.url(), token).get("/files").status, 200);
    QCOMPARE(TestHttpClient(server.url(), "tokA").get("/files").status, 401);
    // The same token after a restart.
    QVERIFY(server.terminate());
    QVERIFY(server.start());
    QCOMPARE(TestHttpClient(server.url(), token).get("/files").status, 200);
}

void TestOperations::badConfigFileExits2() {
    const QString config = m_dir.filePath("bad.conf");
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("max-size = plenty\n");
    file.close();
    QProcess process;
    process.start(HoistdProcess::executable(), {"--config", config});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardError().contains("bad.conf:1"));
}

void TestOperations::servesHttpsWithGivenCertificate() {
    TestCertificate certificate;
    QVERIFY(makeTestCertificate(m_dir.path(), certificate));
    const QString cert = certificate.certFile;
    HoistdProcess server(m_dir.filePath("tls"),
                         {"--tls-cert", cert, "--tls-key", certificate.keyFile});
    QVERIFY(server.start());
    QCOMPARE(server.url().scheme(), QString("https"));

    // Trust exactly this certificate: the way the app adds a custom CA.
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(QSslCertificate::fromPath(cert));
    QSslConfiguration::setDefaultConfiguration(tls);
    TestHttpClient client(server.url());
    const QByteArray data = testBytes(70000);
    QCOMPARE(client.upload("secure.bin", data)["state"].toString(), QString("completed"));
}

QTEST_GUILESS_MAIN(TestOperations)
#include "tst_operations.moc"
