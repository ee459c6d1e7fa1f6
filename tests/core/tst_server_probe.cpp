// ServerProbe against a real hoistd: one typed outcome for each situation.

#include "hoistd_process.h"
#include "server_probe.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using hoist::ServerProbe;
using Outcome = ServerProbe::Report::Outcome;

class TestServerProbe final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;

    static ServerProbe::Report check(const QUrl& server, const QString& token,
                                     const QString& caFile = {}) {
        return QCoro::waitFor(ServerProbe::check(server, token, caFile));
    }

  private slots:
    void initTestCase() {
        m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
        QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    }

    void acceptedToken() {
        const auto report = check(m_server->url(), "tokA");
        QVERIFY2(report.ok(), qPrintable(report.error.describe()));
    }

    void refusedToken() {
        const auto report = check(m_server->url(), "wrong");
        QVERIFY(report.outcome == Outcome::TokenRefused);
        QCOMPARE(report.error.httpStatus, 401);
    }

    void missingToken() { QVERIFY(check(m_server->url(), {}).outcome == Outcome::NoToken); }

    void unreachableServer() {
        QTcpServer closed; // a port that was free a moment ago and is closed now
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const auto report = check(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), "tokA");
        QVERIFY(report.outcome == Outcome::Unreachable);
        QVERIFY(!report.error.message.isEmpty());
    }

    void notAHoistdServer() {
        // Something answers, but with no health check where hoistd has one.
        QUrl elsewhere = m_server->url();
        elsewhere.setPath(QStringLiteral("/not-hoistd"));
        const auto report = check(elsewhere, "tokA");
        QVERIFY(report.outcome == Outcome::NotAServer);
        QCOMPARE(report.error.httpStatus, 404);
    }

    void notAnAddress() {
        QVERIFY(check(QUrl("ftp://x"), "tokA").outcome == Outcome::InvalidAddress);
        QVERIFY(check(QUrl("http://"), "tokA").outcome == Outcome::InvalidAddress);
    }

    void unusableCaFile() {
        const QString missing = m_dir.filePath("missing.pem");
        const auto report = check(m_server->url(), "tokA", missing);
        QVERIFY(report.outcome == Outcome::UnusableCaFile);
        QVERIFY2(report.detail.contains(missing), qPrintable(report.detail));
    }
};

QTEST_GUILESS_MAIN(TestServerProbe)
#include "tst_server_probe.moc"
