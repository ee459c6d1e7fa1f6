// The data directory (docs/admin.md, "Security" / "Permissions" and "Disk"): created
// owner-only with owner-only secrets in it; an I/O failure at start-up exits 1 (retried
// by systemd), not 2 (a configuration error); /healthz reports a data directory that
// takes no writes.
#include "hoistd_process.h"
#include "test_http_client.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

namespace {
// The permission bits of `path`, or -1 when it does not exist.
int modeOf(const QString& path) {
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}
} // namespace

class TestDataDirModes final : public QObject {
    Q_OBJECT

  private slots:
    void freshDataDirIsOwnerOnly();
    void startUpIoFailureIsNotAConfigurationError_data();
    void startUpIoFailureIsNotAConfigurationError();
    void healthzReportsAnUnwritableDataDir();

  private:
    QTemporaryDir m_dir;
};

void TestDataDirModes::freshDataDirIsOwnerOnly() {
    const QString data = m_dir.filePath("fresh");
    HoistdProcess server(data, {}, /*defaultTokens=*/false); // makes the dev token too
    QVERIFY(server.start());
    TestHttpClient(server.url(), {}).get("/healthz"); // the database has been written
    QCOMPARE(modeOf(data), 0700);
    for (const char* name :
         {"hoistd.db", "hoistd.db-wal", "hoistd.db-shm", "capability.key", "dev-token"})
        QVERIFY2(modeOf(data + "/" + name) == 0600,
                 qPrintable(QString("%1: %2").arg(name).arg(modeOf(data + "/" + name), 0, 8)));
}

void TestDataDirModes::startUpIoFailureIsNotAConfigurationError_data() {
    QTest::addColumn<QString>("dataDir");
    QTest::addColumn<QString>("blocker"); // a file or directory in the way
    QTest::addColumn<bool>("blockerIsDirectory");
    QTest::newRow("data dir is a file")
        << m_dir.filePath("a-file") << m_dir.filePath("a-file") << false;
    QTest::newRow("database is a directory")
        << m_dir.filePath("dbdir") << m_dir.filePath("dbdir/hoistd.db") << true;
}

void TestDataDirModes::startUpIoFailureIsNotAConfigurationError() {
    QFETCH(QString, dataDir);
    QFETCH(QString, blocker);
    QFETCH(bool, blockerIsDirectory);
    if (blockerIsDirectory) {
        QVERIFY(QDir().mkpath(blocker));
    } else {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    HoistdProcess server(dataDir);
    QVERIFY(!server.start());
    QVERIFY(server.waitForExit());
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 1);
}

void TestDataDirModes::healthzReportsAnUnwritableDataDir() {
    const QString data = m_dir.filePath("vanishing");
    HoistdProcess server(data);
    QVERIFY(server.start());
    TestHttpClient anonymous(server.url(), {});
    QCOMPARE(anonymous.get("/healthz").status, 200);
    // The directory goes away under the running server (a lost mount, an admin's
    // mistake): nothing can be written there any more.
    QVERIFY(QDir(data).removeRecursively());
    QTRY_COMPARE_WITH_TIMEOUT(anonymous.get("/healthz").status, 503, 5000);
    const QJsonObject health = anonymous.get("/healthz").json();
    QCOMPARE(health["status"].toString(), QString("degraded"));
    QVERIFY(!health["storage"].toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestDataDirModes)
#include "tst_data_dir_modes.moc"
