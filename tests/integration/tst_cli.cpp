// The `hoist` command line against a real hoistd: result lines and exit status,
// and kill -9 of `hoist upload` mid-file followed by `hoist resume`; `hoist login`
// and the commands that then need no token (ls, get resumed, rm); --max-wait; `hoist share`.

#include "hoistd_process.h"
#include "test_http_client.h"
#include "test_support.h"

#include "queue_store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {
constexpr qint64 kMiB = 1024 * 1024;
}

class TestCli final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void versionAndHelp();
    void uploadPrintsOneResultLinePerFile();
    void missingFileFails();
    void killedThenResumed();
    void sharePrintsALinkThatServesTheFile();
    void loginThenListGetAndRemoveWithoutAToken();
    void loginRefusesAWrongToken();
    void anAbsentServerIsWaitedForUpToMaxWait();

  private:
    std::unique_ptr<QProcess> hoist(const QStringList& arguments, const QString& dataHome,
                                    const QByteArray& input = {});
    QString server() const { return m_server->url().toString(); }

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
};

void TestCli::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
}

std::unique_ptr<QProcess> TestCli::hoist(const QStringList& arguments, const QString& dataHome,
                                         const QByteArray& input) {
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("XDG_DATA_HOME", dataHome);
    // `hoist login` keeps the server and token in the settings: one folder per test.
    environment.insert("XDG_CONFIG_HOME", dataHome + "/config");
    environment.remove("HOIST_TOKEN");
    process->setProcessEnvironment(environment);
    process->setProgram(environment.value("HOIST_PATH", "hoist"));
    process->setArguments(arguments);
    process->start();
    if (!input.isEmpty()) {
        process->waitForStarted(10000);
        process->write(input);
    }
    process->closeWriteChannel();
    return process;
}

void TestCli::versionAndHelp() {
    auto version = hoist({"--version"}, m_dir.filePath("xdg-version"));
    QVERIFY(version->waitForFinished(10000));
    QCOMPARE(version->exitCode(), 0);
    QVERIFY(version->readAllStandardOutput().startsWith("hoist "));
    auto usage = hoist({"upload"}, m_dir.filePath("xdg-version"));
    QVERIFY(usage->waitForFinished(10000));
    QCOMPARE(usage->exitCode(), 2);
    auto help = hoist({"--help"}, m_dir.filePath("xdg-version"));
    QVERIFY(help->waitForFinished(10000));
    QVERIFY(help->readAllStandardOutput().contains("--chunks N"));
    for (const char* chunks : {"0", "7", "two"}) {
        auto refused = hoist({"upload", "f", "--chunks", chunks}, m_dir.filePath("xdg-version"));
        QVERIFY(refused->waitForFinished(10000));
        QVERIFY2(refused->exitCode() == 2, chunks);
    }
}

void TestCli::uploadPrintsOneResultLinePerFile() {
    const QString folder = m_dir.filePath("folder");
    QVERIFY(QDir().mkpath(folder + "/sub"));
    const QByteArray a = test_support::writeRandomFile(folder + "/a.bin", 3 * kMiB);
    const QByteArray b = test_support::writeRandomFile(folder + "/sub/b.bin", 100);
    auto run = hoist({"upload", folder, "--server", server(), "--token", "tokA", "--json"},
                     m_dir.filePath("xdg-json"));
    QVERIFY(run->waitForFinished(60000));
    const QByteArray errors = run->readAllStandardError();
    QCOMPARE(run->exitCode(), 0);
    const QList<QByteArray> lines = run->readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    for (const QByteArray& line : lines) {
        const QJsonObject result = QJsonDocument::fromJson(line).object();
        QCOMPARE(result.value("state").toString(), QStringLiteral("done"));
        const QByteArray expected = result.value("path").toString().endsWith("a.bin") ? a : b;
        const auto stored =
            test_support::download(m_server->url(), "tokA", result.value("fileId").toString());
        QVERIFY2(stored && *stored == expected, errors.constData());
    }
}

void TestCli::missingFileFails() {
    auto run =
        hoist({"upload", m_dir.filePath("no-such-file"), "--server", server(), "--token", "tokA"},
              m_dir.filePath("xdg-missing"));
    QVERIFY(run->waitForFinished(30000));
    QCOMPARE(run->exitCode(), 1);
    QVERIFY(run->readAllStandardOutput().startsWith("failed\t"));
}

void TestCli::killedThenResumed() {
    const QString dataHome = m_dir.filePath("xdg-kill");
    const QString file = m_dir.filePath("killed.bin");
    const QByteArray bytes = test_support::writeRandomFile(file, 40 * kMiB);
    auto upload = hoist({"upload", file, "--server", server(), "--token", "tokA", "--limit",
                         QString::number(16 * kMiB)},
                        dataHome);
    QVERIFY(upload->waitForStarted(10000));
    const hoist::QueueStore store(dataHome + "/hoist/hoist");
    QTRY_VERIFY_WITH_TIMEOUT(!store.load().isEmpty() && store.load()[0].confirmedBytes >= 8 * kMiB,
                             30000);
    ::kill(static_cast<pid_t>(upload->processId()), SIGKILL);
    QVERIFY(upload->waitForFinished(10000));

    auto status = hoist({"status"}, dataHome);
    QVERIFY(status->waitForFinished(10000));
    QVERIFY(status->readAllStandardOutput().startsWith("uploading\t"));

    auto resume = hoist({"resume", "--token", "tokA"}, dataHome);
    QVERIFY(resume->waitForFinished(60000));
    const QByteArray errors = resume->readAllStandardError();
    QCOMPARE(resume->exitCode(), 0);
    const QList<QByteArray> fields = resume->readAllStandardOutput().trimmed().split('\t');
    QCOMPARE(fields.size(), 3);
    QCOMPARE(fields[0], QByteArray("done"));
    const auto stored =
        test_support::download(m_server->url(), "tokA", QString::fromUtf8(fields[2]));
    QVERIFY2(stored && *stored == bytes, errors.constData());
}

void TestCli::sharePrintsALinkThatServesTheFile() {
    TestHttpClient alice(m_server->url(), "tokA");
    const QByteArray data = testBytes(5000, 21);
    const QString fileId = alice.upload("shared.bin", data)["fileId"].toString();
    QVERIFY(!fileId.isEmpty());
    const QString dataHome = m_dir.filePath("xdg-share");

    const qint64 before = QDateTime::currentSecsSinceEpoch();
    auto run = hoist({"share", fileId, "--server", server(), "--token", "tokA", "--expires", "2h"},
                     dataHome);
    QVERIFY(run->waitForFinished(30000));
    const QByteArray errors = run->readAllStandardError();
    QCOMPARE(run->exitCode(), 0);
    const QString url = QString::fromUtf8(run->readAllStandardOutput().trimmed());
    QVERIFY2(url.startsWith(server() + "/s/"), errors.constData());
    QCOMPARE(TestHttpClient(m_server->url(), "").get(url).body, data);
    const QJsonArray links = alice.get("/files/" + fileId + "/links").json()["links"].toArray();
    QCOMPARE(links.size(), 1);
    const qint64 expires =
        QDateTime::fromString(links[0].toObject()["expiresAt"].toString(), Qt::ISODate)
            .toSecsSinceEpoch();
    QVERIFY(expires >= before + 7200 && expires <= before + 7260);

    auto json =
        hoist({"share", fileId, "--server", server(), "--token", "tokA", "--json"}, dataHome);
    QVERIFY(json->waitForFinished(30000));
    QCOMPARE(json->exitCode(), 0);
    const QJsonObject printed = QJsonDocument::fromJson(json->readAllStandardOutput()).object();
    QVERIFY(printed["url"].toString().startsWith(server() + "/s/"));
    QVERIFY(!printed["linkId"].toString().isEmpty());
    QVERIFY(!printed["expiresAt"].toString().isEmpty());

    // Another user's file is no file: the server's 404, exit status 1.
    auto foreign = hoist({"share", fileId, "--server", server(), "--token", "tokB"}, dataHome);
    QVERIFY(foreign->waitForFinished(30000));
    QCOMPARE(foreign->exitCode(), 1);
    QVERIFY(foreign->readAllStandardOutput().isEmpty());
    QVERIFY(!foreign->readAllStandardError().isEmpty());

    for (const QStringList& usage :
         {QStringList{"share", "--server", server(), "--token", "tokA"},
          QStringList{"share", fileId, "--server", server(), "--token", "tokA", "--expires", "0"},
          QStringList{"share", fileId, "--server", server(), "--token", "tokA", "--expires", "3x"},
          QStringList{"share", fileId, "--server", server()}}) {
        auto refused = hoist(usage, dataHome);
        QVERIFY(refused->waitForFinished(30000));
        QVERIFY2(refused->exitCode() == 2, qPrintable(usage.join(' ')));
    }
    QCOMPARE(alice.get("/files/" + fileId + "/links").json()["links"].toArray().size(), 2);
}

void TestCli::loginThenListGetAndRemoveWithoutAToken() {
    const QString home = m_dir.filePath("xdg-login");
    // No keychain runs here: the settings file may hold the token, as asked.
    auto login = hoist({"login", "--server", server(), "--token-in-file"}, home, "tokA\n");
    QVERIFY(login->waitForFinished(30000));
    QVERIFY2(login->exitCode() == 0, login->readAllStandardError().constData());

    const QString file = m_dir.filePath("listed.bin");
    const QByteArray bytes = test_support::writeRandomFile(file, 3 * kMiB + 5);
    auto upload = hoist({"upload", file, "--json"}, home);
    QVERIFY(upload->waitForFinished(60000));
    QVERIFY2(upload->exitCode() == 0, upload->readAllStandardError().constData());
    const QString fileId = QJsonDocument::fromJson(upload->readAllStandardOutput())
                               .object()
                               .value("fileId")
                               .toString();
    QVERIFY(!fileId.isEmpty());

    auto list = hoist({"ls", "--json"}, home);
    QVERIFY(list->waitForFinished(30000));
    QCOMPARE(list->exitCode(), 0);
    bool listed = false;
    for (const QByteArray& line : list->readAllStandardOutput().trimmed().split('\n')) {
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        if (entry.value("fileId").toString() == fileId) {
            listed = true;
            QCOMPARE(entry.value("fileName").toString(), QStringLiteral("listed.bin"));
            QCOMPARE(entry.value("size").toInteger(), bytes.size());
        }
    }
    QVERIFY(listed);

    // An earlier download stopped after 1 MiB: get continues from there.
    const QString target = m_dir.filePath("downloaded.bin");
    QFile part(target + ".part");
    QVERIFY(part.open(QIODevice::WriteOnly));
    part.write(bytes.left(kMiB));
    part.close();
    auto get = hoist({"get", fileId, "-o", target, "--json"}, home);
    QVERIFY(get->waitForFinished(30000));
    QVERIFY2(get->exitCode() == 0, get->readAllStandardError().constData());
    const QJsonObject got = QJsonDocument::fromJson(get->readAllStandardOutput()).object();
    QCOMPARE(got.value("resumedAt").toInteger(), kMiB);
    QFile downloaded(target);
    QVERIFY(downloaded.open(QIODevice::ReadOnly));
    QVERIFY(downloaded.readAll() == bytes);
    QVERIFY(!QFile::exists(target + ".part"));

    auto remove = hoist({"rm", fileId}, home);
    QVERIFY(remove->waitForFinished(30000));
    QCOMPARE(remove->exitCode(), 0);
    QVERIFY(remove->readAllStandardOutput().startsWith("deleted\t"));
    QCOMPARE(test_support::httpStatus(m_server->url().resolved(QUrl("/files/" + fileId)), "tokA"),
             404);
    auto again = hoist({"get", fileId, "-o", target}, home);
    QVERIFY(again->waitForFinished(30000));
    QCOMPARE(again->exitCode(), 1);
}

void TestCli::loginRefusesAWrongToken() {
    const QString home = m_dir.filePath("xdg-wrong");
    auto login = hoist({"login", "--server", server(), "--token-in-file"}, home, "nope\n");
    QVERIFY(login->waitForFinished(30000));
    QCOMPARE(login->exitCode(), 1);
    auto list = hoist({"ls"}, home);
    QVERIFY(list->waitForFinished(30000));
    QCOMPARE(list->exitCode(), 2); // nothing was stored: no server, no token
}

void TestCli::anAbsentServerIsWaitedForUpToMaxWait() {
    QTcpServer closed; // a port nobody listens on once it is closed again
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString absent = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
    closed.close();
    const QString tokenFile = m_dir.filePath("token");
    QFile token(tokenFile);
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("tokA\n");
    token.close();
    const QString file = m_dir.filePath("patient.bin");
    test_support::writeRandomFile(file, 1000);
    auto run =
        hoist({"upload", file, "--server", absent, "--token-file", tokenFile, "--max-wait", "3s"},
              m_dir.filePath("xdg-absent"));
    QVERIFY(run->waitForFinished(30000));
    QCOMPARE(run->exitCode(), 1);
    const QByteArray line = run->readAllStandardOutput();
    QVERIFY2(line.startsWith("failed\t") && line.contains("Gave up after waiting 3 s"),
             line.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
