// Logs cannot be forged or turned against a terminal from outside (docs/admin.md,
// "Security" / "Logs"): control characters in a request path are written escaped.
#include "hoistd_process.h"
#include "raw_http_connection.h"

#include <QTemporaryDir>
#include <QTest>

class TestLogEscaping final : public QObject {
    Q_OBJECT

  private slots:
    void controlCharactersInAPathAreEscaped();

  private:
    QTemporaryDir m_dir;
};

void TestLogEscaping::controlCharactersInAPathAreEscaped() {
    HoistdProcess server(m_dir.filePath("log"));
    QVERIFY(server.start());
    RawHttpConnection connection;
    QVERIFY(connection.connectTo(server.port()));
    QVERIFY(connection.sendHead("GET",
                                "/nope%0d%0a2001-01-01T00:00:00Z%20error%20forged%1b%5b2J%7f%c2%9b",
                                {"Host: 127.0.0.1", "Connection: close"}));
    QVERIFY(connection.readStatus() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.stderrOutput().contains("forged"), 5000);

    const QByteArray log = server.stderrOutput();
    QVERIFY2(!log.contains("\n2001-01-01T00:00:00Z error forged"), log.constData());
    for (const char control : {'\r', '\x1b', '\x7f'})
        QVERIFY2(!log.contains(control), log.constData());
    QVERIFY(!log.contains("\xc2\x9b"));
    QVERIFY2(log.contains("\\x0d\\x0a2001-01-01T00:00:00Z error forged\\x1b[2J\\x7f\\xc2\\x9b"),
             log.constData());
}

QTEST_GUILESS_MAIN(TestLogEscaping)
#include "tst_log_escaping.moc"
