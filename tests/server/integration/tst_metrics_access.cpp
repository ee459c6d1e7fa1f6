// /metrics beyond loopback (docs/admin.md, "Security" / "Metrics"): hoistd refuses to
// listen on a non-loopback address with /metrics open unless told so explicitly.
#include "hoistd_process.h"
#include "test_http_client.h"

#include <QTemporaryDir>
#include <QTest>

class TestMetricsAccess final : public QObject {
    Q_OBJECT

  private slots:
    void openMetricsBeyondLoopbackIsRefused_data();
    void openMetricsBeyondLoopbackIsRefused();
    void gaugeFollowsSessionsWithoutAScan();

  private:
    QTemporaryDir m_dir;
};

void TestMetricsAccess::openMetricsBeyondLoopbackIsRefused_data() {
    QTest::addColumn<QString>("listen");
    QTest::newRow("IPv4 any") << "0.0.0.0:0";
    QTest::newRow("IPv6 any") << "[::]:0";
}

void TestMetricsAccess::openMetricsBeyondLoopbackIsRefused() {
    QFETCH(QString, listen);
    // The later --listen wins over the loopback one HoistdProcess gives.
    HoistdProcess server(m_dir.filePath(QTest::currentDataTag()), {"--listen", listen});
    QVERIFY(!server.start());
    QVERIFY(server.waitForExit());
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 2);
    QVERIFY(server.stderrOutput().contains("--metrics-token"));
    QVERIFY(server.stderrOutput().contains("--metrics-public"));
}

void TestMetricsAccess::gaugeFollowsSessionsWithoutAScan() {
    HoistdProcess server(m_dir.filePath("gauge"), {"--metrics-token", "scrape"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    TestHttpClient scraper(server.url(), "scrape");
    const QByteArray bytes = testBytes(3000, 5);
    const QString open = client.init("open.bin", 100)["sessionId"].toString();
    QVERIFY(!open.isEmpty());
    QCOMPARE(client.upload("done.bin", bytes)["state"].toString(), QString("completed"));
    QByteArray metrics = scraper.get("/metrics").body;
    QVERIFY2(metrics.contains("hoistd_sessions{state=\"uploading\"} 1\n"), metrics.constData());
    QVERIFY(metrics.contains("hoistd_sessions{state=\"completed\"} 1\n"));
    QCOMPARE(client.send("DELETE", "/upload/" + open).status, 204);
    metrics = scraper.get("/metrics").body;
    QVERIFY2(metrics.contains("hoistd_sessions{state=\"uploading\"} 0\n"), metrics.constData());

    // Counted from the store once at start-up.
    QVERIFY(server.terminate());
    HoistdProcess again(m_dir.filePath("gauge"), {"--metrics-token", "scrape"});
    QVERIFY(again.start());
    metrics = TestHttpClient(again.url(), "scrape").get("/metrics").body;
    QVERIFY2(metrics.contains("hoistd_sessions{state=\"completed\"} 1\n"), metrics.constData());
    QVERIFY(metrics.contains("hoistd_sessions{state=\"uploading\"} 0\n"));
}

QTEST_GUILESS_MAIN(TestMetricsAccess)
#include "tst_metrics_access.moc"
