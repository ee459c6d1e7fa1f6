// "Test connection" against a real hoistd: a readable sentence for each outcome.

#include "connection_tester.h"
#include "hoistd_process.h"
#include "server_form.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using hoist::ConnectionTester;

class TestConnectionTester final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;

  private slots:
    void initTestCase() {
        m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
        QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    }

    void acceptedToken() {
        const auto report = QCoro::waitFor(ConnectionTester::check(m_server->url(), "tokA", {}));
        QVERIFY2(report.ok, qPrintable(report.text));
        QVERIFY(report.text.contains("accepted the token"));
    }

    void refusedToken() {
        const auto report = QCoro::waitFor(ConnectionTester::check(m_server->url(), "wrong", {}));
        QVERIFY(!report.ok);
        QVERIFY2(report.text.contains("refused the token"), qPrintable(report.text));
    }

    void missingToken() {
        const auto report = QCoro::waitFor(ConnectionTester::check(m_server->url(), {}, {}));
        QVERIFY(!report.ok);
        QVERIFY2(report.text.contains("server is up"), qPrintable(report.text));
    }

    void unreachableServer() {
        QTcpServer closed; // a port that was free a moment ago and is closed now
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const auto report = QCoro::waitFor(ConnectionTester::check(url, "tokA", {}));
        QVERIFY(!report.ok);
        QVERIFY2(report.text.startsWith("Cannot reach"), qPrintable(report.text));
    }

    void notAnAddress() {
        const auto report = QCoro::waitFor(ConnectionTester::check(QUrl("ftp://x"), "tokA", {}));
        QVERIFY(!report.ok);
        QVERIFY(report.text.contains("http://127.0.0.1:8080"));
    }

    void formShowsTheResult() {
        hoist::ServerForm form;
        form.setServerUrl(m_server->url());
        form.setToken("tokA");
        QSignalSpy finished(&form, &hoist::ServerForm::testFinished);
        form.testConnection();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(form.testResult().contains("accepted"));
    }
};

QTEST_MAIN(TestConnectionTester)
#include "tst_connection_tester.moc"
