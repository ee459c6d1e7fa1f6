// hoist's tus client against real tus servers, one data row per server: an upload
// whose connection is cut mid-PATCH resumes from HEAD on the same upload, and
// `hoist upload --protocol tus` killed mid-file is finished by `hoist resume` from the
// upload URL kept in the queue file. The stored file is byte-identical each time.
//
// A server is a TusPeer: @tus/server (Node.js) and hoistd's own tus face.

#include "hoistd_process.h"
#include "tcp_proxy.h"
#include "test_support.h"

#include "queue_store.h"
#include "upload_engine.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <memory>

using namespace hoist;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// A tus server the test starts, and reads uploads back from.
class TusPeer {
  public:
    virtual ~TusPeer() = default;
    // Starts the server keeping its files below `directory`; false with `error`.
    virtual bool start(const QString& directory, QString& error) = 0;
    // The creation URL.
    virtual QUrl url() const = 0;
    // The bytes the server stored for the upload at `upload`.
    virtual std::optional<QByteArray> stored(const QUrl& upload) const = 0;
    // The bearer token the server wants; empty for an open server.
    virtual QString token() const { return {}; }
};

// @tus/server 2.4.5 with @tus/file-store 2.1.1 (tests/integration/tus-peer, installed
// by `scripts/install-deps.sh test`): the file store keeps an upload as one file named
// by the last segment of its URL.
class NodeTusPeer final : public TusPeer {
  public:
    ~NodeTusPeer() override {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    bool start(const QString& directory, QString& error) override {
        const QString peer = QStringLiteral(HOIST_TUS_PEER_DIR);
        if (!QFileInfo::exists(peer + "/node_modules/@tus/server")) {
            error = "@tus/server is not installed: run scripts/install-deps.sh test";
            return false;
        }
        m_directory = directory;
        QDir().mkpath(directory);
        m_process.setWorkingDirectory(peer);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start("node", {peer + "/tus_peer.mjs", directory});
        while (m_process.waitForReadyRead(30000)) {
            const QByteArray line = m_process.readLine().trimmed();
            if (line.startsWith("listening on ")) {
                m_url = QUrl(QString::fromUtf8(line.mid(13)));
                return true;
            }
        }
        error = "the tus peer did not start: " + m_process.errorString();
        return false;
    }
    QUrl url() const override { return m_url; }
    std::optional<QByteArray> stored(const QUrl& upload) const override {
        QFile file(m_directory + "/" + upload.fileName());
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        return file.readAll();
    }

  private:
    QProcess m_process;
    QString m_directory;
    QUrl m_url;
};

// hoistd's tus face (/tus/) on disk: a finished upload is the library's file, kept under
// the data folder's objects/ by its session id, the last segment of its URL.
class HoistdTusPeer final : public TusPeer {
  public:
    bool start(const QString& directory, QString& error) override {
        m_hoistd = std::make_unique<HoistdProcess>(directory);
        if (!m_hoistd->start()) {
            error = "hoistd did not start";
            return false;
        }
        return true;
    }
    QUrl url() const override { return m_hoistd->url().resolved(QUrl("/tus/")); }
    std::optional<QByteArray> stored(const QUrl& upload) const override {
        QFile file(m_hoistd->dataDir() + "/objects/" + upload.fileName());
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        return file.readAll();
    }
    QString token() const override { return QStringLiteral("tokA"); }

  private:
    std::unique_ptr<HoistdProcess> m_hoistd;
};

using PeerFactory = std::function<std::unique_ptr<TusPeer>()>;

// The data row as a file name ("@tus/server" holds a slash).
QString rowName() {
    return QString(QTest::currentDataTag()).replace('/', '-');
}

// The same server's creation URL, reached through `proxy`.
QUrl through(const TcpProxy& proxy, const QUrl& url) {
    QUrl proxied = proxy.url();
    proxied.setPath(url.path());
    return proxied;
}

} // namespace

Q_DECLARE_METATYPE(PeerFactory)

class TestTusClient final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cutMidPatchResumesFromHead_data() { servers(); }
    void cutMidPatchResumesFromHead();
    void killedCliResumesFromTheKeptUrl_data() { servers(); }
    void killedCliResumesFromTheKeptUrl();

  private:
    static void servers() {
        QTest::addColumn<PeerFactory>("peer");
        QTest::newRow("@tus/server") << PeerFactory([] { return std::make_unique<NodeTusPeer>(); });
        QTest::newRow("hoistd") << PeerFactory([] { return std::make_unique<HoistdTusPeer>(); });
    }
    std::unique_ptr<TusPeer> startPeer(const QString& name);

    QTemporaryDir m_dir;
};

std::unique_ptr<TusPeer> TestTusClient::startPeer(const QString& name) {
    QFETCH(PeerFactory, peer);
    auto server = peer();
    QString error;
    if (!server->start(m_dir.filePath(name + "-" + QTest::currentDataTag()), error)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return nullptr;
    }
    return server;
}

void TestTusClient::cutMidPatchResumesFromHead() {
    const auto server = startPeer("cut");
    QVERIFY(server);
    TcpProxy proxy(static_cast<quint16>(server->url().port()));
    QVERIFY(proxy.listen());
    // 8 MiB PATCHes: the connection dies 11 MiB into the traffic, inside the second.
    proxy.injectFault(TcpProxy::Fault::Cut, 11 * kMiB);
    const QUrl url = through(proxy, server->url());
    const QString file = m_dir.filePath("cut-" + rowName() + ".bin");
    const QByteArray bytes = test_support::writeRandomFile(file, 20 * kMiB + 5);

    Settings settings = test_support::fastSettings(url);
    settings.token = server->token();
    UploadEngine engine(settings, m_dir.filePath("queue-cut" + rowName()));
    QVERIFY(engine.queue().addPaths({file}, url, Protocol::Tus).isEmpty());
    UploadJob* job = engine.queue().job(0);
    QString firstUpload;
    connect(job, &UploadJob::recordChanged, this, [job, &firstUpload] {
        if (firstUpload.isEmpty())
            firstUpload = job->record().sessionId;
    });
    test_support::runUntilSettled(*job, 60000);
    QVERIFY2(job->state() == JobState::Done, qPrintable(job->record().error));
    QCOMPARE(proxy.faultsTriggered(), 1);
    // The same upload continued from the server's offset: no second creation.
    QCOMPARE(job->record().sessionId, firstUpload);
    QVERIFY(job->record().fileId.isEmpty());
    QVERIFY(job->record().note.contains("Not checked for duplicates"));
    const auto stored = server->stored(QUrl(job->record().sessionId));
    QVERIFY(stored);
    QVERIFY(*stored == bytes);
}

void TestTusClient::killedCliResumesFromTheKeptUrl() {
    const auto server = startPeer("kill");
    QVERIFY(server);
    const QString dataHome = m_dir.filePath("xdg-kill-" + rowName());
    const QString file = m_dir.filePath("killed-" + rowName() + ".bin");
    const QByteArray bytes = test_support::writeRandomFile(file, 40 * kMiB);
    const QString token = server->token();
    const auto hoist = [&dataHome, &token](const QStringList& arguments) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_DATA_HOME", dataHome);
        if (!token.isEmpty())
            environment.insert("HOIST_TOKEN", token);
        process->setProcessEnvironment(environment);
        process->setProgram(environment.value("HOIST_PATH", "hoist"));
        process->setArguments(arguments);
        process->start();
        return process;
    };

    auto upload = hoist({"upload", file, "--protocol", "tus", "--server", server->url().toString(),
                         "--limit", QString::number(16 * kMiB)});
    QVERIFY(upload->waitForStarted(10000));
    const QueueStore store(dataHome + "/hoist/hoist");
    QTRY_VERIFY_WITH_TIMEOUT(!store.load().isEmpty() && store.load()[0].confirmedBytes >= 8 * kMiB,
                             30000);
    ::kill(static_cast<pid_t>(upload->processId()), SIGKILL);
    QVERIFY(upload->waitForFinished(10000));
    const JobRecord kept = store.load()[0];
    QCOMPARE(kept.protocol, Protocol::Tus);
    QVERIFY(kept.sessionId.startsWith(server->url().toString()));

    auto resume = hoist({"resume", "--token", "unused-by-an-open-server", "--json"});
    QVERIFY(resume->waitForFinished(60000));
    const QByteArray errors = resume->readAllStandardError();
    QCOMPARE(resume->exitCode(), 0);
    QVERIFY2(resume->readAllStandardOutput().contains("\"state\":\"done\""), errors.constData());
    QCOMPARE(store.load()[0].sessionId, kept.sessionId);
    const auto stored = server->stored(QUrl(kept.sessionId));
    QVERIFY(stored);
    QVERIFY(*stored == bytes);
}

QTEST_GUILESS_MAIN(TestTusClient)
#include "tst_tus_client.moc"
