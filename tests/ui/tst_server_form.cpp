// "Test connection": the form shows core's ServerProbe verdict as a sentence.

#include "hoistd_process.h"
#include "probe_presentation.h"
#include "server_form.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using hoist::ServerProbe;
using Outcome = ServerProbe::Report::Outcome;

Q_DECLARE_METATYPE(Outcome)

class TestServerForm final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;

    bool runTest(const QString& token, const QString& caFile = {}) {
        hoist::ServerForm form;
        form.setServerUrl(m_server->url());
        form.setToken(token);
        form.setCaFile(caFile);
        QSignalSpy finished(&form, &hoist::ServerForm::testFinished);
        form.testConnection();
        if (!finished.wait(10000))
            return false;
        m_lastResult = form.testResult();
        return finished.first().at(0).toBool();
    }
    QString m_lastResult;

  private slots:
    void initTestCase() {
        m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
        QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    }

    void acceptedToken() {
        QVERIFY(runTest("tokA"));
        QVERIFY2(m_lastResult.contains("accepted the token"), qPrintable(m_lastResult));
    }
    void refusedToken() {
        QVERIFY(!runTest("wrong"));
        QVERIFY2(m_lastResult.contains("refused the token"), qPrintable(m_lastResult));
    }

    // The protocol is the settings' per-server choice; a tus address is asked about as one.
    void protocolChoice() {
        hoist::ServerForm form;
        QCOMPARE(form.protocol(), hoist::Protocol::Native);
        form.setProtocol(hoist::Protocol::Tus);
        QCOMPARE(form.protocol(), hoist::Protocol::Tus);
        ServerProbe::Report report;
        report.outcome = Outcome::NotAServer;
        const QString text = hoist::probeSentence(report, QUrl("http://h:1"), hoist::Protocol::Tus);
        QVERIFY2(text.contains("a tus server's upload address?"), qPrintable(text));
    }

    // Every outcome reads as a sentence that names what to do or what went wrong.
    void sentences_data() {
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ready") << Outcome::Ready << "accepted the token";
        QTest::newRow("address") << Outcome::InvalidAddress << "http://127.0.0.1:8080";
        QTest::newRow("ca") << Outcome::UnusableCaFile << "CA file cannot be used: why";
        QTest::newRow("unreachable") << Outcome::Unreachable << "Cannot reach http://h:1: boom";
        QTest::newRow("not a server") << Outcome::NotAServer << "is this a hoistd server?";
        QTest::newRow("no token") << Outcome::NoToken << "Enter a token";
        QTest::newRow("refused") << Outcome::TokenRefused << "refused the token";
        QTest::newRow("failed") << Outcome::RequestFailed << "request with the token failed: boom";
    }
    void sentences() {
        QFETCH(Outcome, outcome);
        QFETCH(QString, expected);
        ServerProbe::Report report;
        report.outcome = outcome;
        report.error.message = QStringLiteral("boom");
        report.detail = QStringLiteral("why");
        const QString text = hoist::probeSentence(report, QUrl("http://h:1"));
        QVERIFY2(text.contains(expected), qPrintable(text));
    }
};

QTEST_MAIN(TestServerForm)
#include "tst_server_form.moc"
