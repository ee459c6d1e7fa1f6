// Three hoistd nodes on one PostgreSQL database and one S3 bucket (moto) behind a real
// HAProxy from Debian (round robin, no stickiness, request bodies not buffered): any
// node serves any request, a node can die mid-upload (docs/admin.md, "Running several
// nodes").
#include "hoistd_process.h"
#include "moto_server.h"
#include "postgres_cluster.h"
#include "raw_http_connection.h"
#include "stub_app_server.h"
#include "test_http_client.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <csignal>
#include <memory>

namespace {
constexpr int kNodes = 3;
constexpr qint64 kMiB = 1024 * 1024;

// One sample of a node's /metrics (docs/protocol.md, "Metrics"); -1 when absent.
qint64 metric(const QUrl& node, const QByteArray& sample) {
    const QByteArray text = TestHttpClient(node).get("/metrics").body;
    for (const QByteArray& line : text.split('\n'))
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1).toLongLong();
    return -1;
}

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

class TestCluster final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void aRetryElsewhereIsAcceptedSoonAfterKill9();
    void sameChunkToTwoNodesAtOnceHasOneWinner();
    void uploadsThroughTheBalancerWhileNodesDie();
    void filesAreTheSameOnEveryNode();
    void aStoppingNodeDrainsBehindTheBalancer();
    void everySessionResumesAfterAllNodesDied();
    void aLostDatabaseIs503AndThePoolRecovers();
    void aSchemaNewerThanTheBinaryRefusesToStart();
    void expiryAndCallbacksHappenOncePerAttempt();

  private:
    std::unique_ptr<HoistdProcess> node(const QString& name, const QString& database,
                                        const QStringList& extra = {});
    bool startBalancer();
    // Init, every chunk and complete through the balancer, resuming from the server's
    // offset after any failure (a killed node, a 423 while its lease runs, a 502).
    QJsonObject resilientUpload(TestHttpClient& client, const QString& name, const QByteArray& data,
                                const std::function<void()>& betweenChunks);

    QTemporaryDir m_dir;
    MotoServer m_moto;
    PostgresCluster m_postgres;
    QString m_database;
    std::array<std::unique_ptr<HoistdProcess>, kNodes> m_nodes;
    std::unique_ptr<QProcess> m_haproxy;
    quint16 m_balancerPort = 0;
};

std::unique_ptr<HoistdProcess> TestCluster::node(const QString& name, const QString& database,
                                                 const QStringList& extra) {
    auto process = std::make_unique<HoistdProcess>(
        m_dir.filePath(name),
        QStringList{"--database", database, "--storage", "s3", "--s3-endpoint", m_moto.endpoint(),
                    "--s3-bucket", "cluster", "--s3-region", m_moto.region()} +
            extra);
    process->setEnvironment(m_moto.credentialsEnvironment());
    return process;
}

void TestCluster::initTestCase() {
    if (!m_moto.start())
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
    QVERIFY(m_moto.createBucket("cluster"));
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    m_database = m_postgres.createDatabase();
    QVERIFY2(!m_database.isEmpty(), qPrintable(m_postgres.errorString()));
    // Started at once on the empty database: the migration runs once, the others wait.
    for (int i = 0; i < kNodes; ++i)
        m_nodes[static_cast<std::size_t>(i)] = node(QString("node%1").arg(i), m_database);
    for (auto& n : m_nodes)
        QVERIFY(n->start());
    for (auto& n : m_nodes)
        n->keepPort();
    QVERIFY(startBalancer());
}

void TestCluster::cleanupTestCase() {
    if (m_haproxy) {
        m_haproxy->kill();
        m_haproxy->waitForFinished();
    }
    for (auto& n : m_nodes)
        if (n)
            n->terminate();
}

bool TestCluster::startBalancer() {
    m_balancerPort = freePort();
    QString servers;
    for (int i = 0; i < kNodes; ++i)
        servers += QString("  server n%1 127.0.0.1:%2 check\n")
                       .arg(i)
                       .arg(m_nodes[static_cast<std::size_t>(i)]->port());
    // Round robin per request, no stickiness, no request buffering (HAProxy streams
    // bodies unless told `option http-buffer-request`), /readyz as the health check.
    const QString config = QString("global\n  maxconn 1000\n"
                                   "defaults\n  mode http\n  timeout connect 2s\n"
                                   "  timeout client 60s\n  timeout server 60s\n"
                                   "  retries 2\n  option redispatch\n"
                                   "frontend in\n  bind 127.0.0.1:%1\n  default_backend nodes\n"
                                   "backend nodes\n  balance roundrobin\n"
                                   "  option httpchk GET /readyz\n"
                                   "  default-server inter 300ms fall 1 rise 1\n%2")
                               .arg(m_balancerPort)
                               .arg(servers);
    QFile file(m_dir.filePath("haproxy.cfg"));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0)
        return false;
    file.close();
    m_haproxy = std::make_unique<QProcess>();
    m_haproxy->setProcessChannelMode(QProcess::MergedChannels);
    m_haproxy->setStandardOutputFile(m_dir.filePath("haproxy.log"));
    m_haproxy->start(QStringLiteral("haproxy"), {"-db", "-f", file.fileName()});
    if (!m_haproxy->waitForStarted(5000))
        return false;
    TestHttpClient probe(QUrl(QString("http://127.0.0.1:%1").arg(m_balancerPort)));
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        if (probe.get("/readyz").status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

QJsonObject TestCluster::resilientUpload(TestHttpClient& client, const QString& name,
                                         const QByteArray& data,
                                         const std::function<void()>& betweenChunks) {
    QJsonObject session;
    for (int attempt = 0; attempt < 50 && session["sessionId"].toString().isEmpty(); ++attempt)
        session = client.init(name, data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    qint64 offset = 0;
    for (int attempt = 0; attempt < 400 && offset < data.size(); ++attempt) {
        betweenChunks();
        const TestReply put = client.putChunk(id, offset, data.mid(offset, chunk));
        if (put.status == 200) {
            offset += chunk;
            continue;
        }
        QTest::qWait(200);
        const TestReply status = client.get("/upload/" + id);
        if (status.status == 200)
            offset = status.json()["uploadedBytes"].toInteger();
    }
    for (int attempt = 0; attempt < 50; ++attempt) {
        const TestReply done = client.complete(id, data);
        if (done.status == 200)
            return done.json();
        QTest::qWait(200);
    }
    return {};
}

void TestCluster::aRetryElsewhereIsAcceptedSoonAfterKill9() {
    TestHttpClient first(m_nodes[0]->url());
    const QByteArray data = testBytes(8 * kMiB + 77, 31);
    const QJsonObject session = first.init("dies.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    // Node 0 holds the session's lease for a chunk half sent, then dies.
    RawHttpConnection dying;
    QVERIFY(dying.beginChunk(m_nodes[0]->port(), id, 0, chunk));
    QVERIFY(dying.sendBytes(data.left(chunk / 2)));
    TestHttpClient second(m_nodes[1]->url());
    QTRY_COMPARE_WITH_TIMEOUT(second.putChunk(id, 0, data.left(chunk)).status, 423, 5000);
    // Each node's /metrics shows its own pool and leases.
    QCOMPARE(metric(m_nodes[0]->url(), "hoistd_session_leases_held"), 1);
    QCOMPARE(metric(m_nodes[1]->url(), "hoistd_session_leases_held"), 0);
    QCOMPARE(metric(m_nodes[0]->url(), "hoistd_db_up"), 1);
    QCOMPARE(metric(m_nodes[0]->url(), "hoistd_db_pool_max_connections"), 16);
    const qint64 busy = metric(m_nodes[0]->url(), "hoistd_db_pool_connections{state=\"busy\"}");
    const qint64 idle = metric(m_nodes[0]->url(), "hoistd_db_pool_connections{state=\"idle\"}");
    QVERIFY2(busy >= 0 && idle >= 0 && busy + idle >= 1 && busy + idle <= 16,
             qPrintable(QString("busy %1 idle %2").arg(busy).arg(idle)));
    const qint64 takeovers = metric(m_nodes[1]->url(), "hoistd_session_lease_takeovers_total");
    QVERIFY(takeovers >= 0);
    m_nodes[0]->kill9();
    QElapsedTimer sinceKill;
    sinceKill.start();
    int status = 0;
    while (sinceKill.elapsed() < 20000 &&
           (status = second.putChunk(id, 0, data.left(chunk)).status) == 423)
        QTest::qWait(100);
    const qint64 acceptedAfterMs = sinceKill.elapsed();
    qInfo("kill -9 to the retry on another node accepted: %lld ms", acceptedAfterMs);
    QCOMPARE(status, 200);
    QVERIFY2(acceptedAfterMs < 15000, qPrintable(QString::number(acceptedAfterMs)));
    QCOMPARE(metric(m_nodes[1]->url(), "hoistd_session_lease_takeovers_total"), takeovers + 1);
    QCOMPARE(metric(m_nodes[1]->url(), "hoistd_session_leases_held"), 0);
    QCOMPARE(second.putChunk(id, chunk, data.mid(chunk)).status, 200);
    const TestReply done = second.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(TestHttpClient(m_nodes[2]->url()).fileContent(done) == data);
    QVERIFY(m_nodes[0]->start());
}

void TestCluster::sameChunkToTwoNodesAtOnceHasOneWinner() {
    TestHttpClient setup(m_nodes[0]->url());
    const QByteArray data = testBytes(8 * kMiB + 5, 32);
    const QJsonObject session = setup.init("race.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    // Both heads first, then both bodies: the two requests overlap on two nodes.
    std::array<RawHttpConnection, 2> racers;
    for (std::size_t i = 0; i < racers.size(); ++i)
        QVERIFY(racers[i].beginChunk(m_nodes[i + 1]->port(), id, 0, chunk));
    for (RawHttpConnection& racer : racers)
        racer.sendBytes(data.left(chunk)); // the refused one may be cut off: that is fine
    QList<int> statuses;
    for (RawHttpConnection& racer : racers)
        statuses << racer.readStatus(30000);
    std::sort(statuses.begin(), statuses.end());
    QCOMPARE(statuses.count(200), 1);
    QVERIFY2(statuses[1] == 409 || statuses[1] == 423,
             qPrintable(QString("%1 %2").arg(statuses[0]).arg(statuses[1])));
    QCOMPARE(setup.get("/upload/" + id).json()["uploadedBytes"].toInteger(), chunk);
    // Cancelled: its multipart upload is not an orphan for the checks below.
    QCOMPARE(setup.send("DELETE", "/upload/" + id).status, 204);
}

void TestCluster::uploadsThroughTheBalancerWhileNodesDie() {
    TestHttpClient client(QUrl(QString("http://127.0.0.1:%1").arg(m_balancerPort)));
    QRandomGenerator random(7);
    int chunksSent = 0;
    // Every third chunk a random node is killed, and the one killed before comes back.
    int dead = -1;
    const auto chaos = [&] {
        if (++chunksSent % 3 != 0)
            return;
        if (dead >= 0)
            QVERIFY(m_nodes[static_cast<std::size_t>(dead)]->start());
        dead = static_cast<int>(random.bounded(kNodes));
        m_nodes[static_cast<std::size_t>(dead)]->kill9();
    };
    QList<QByteArray> files;
    QList<QJsonObject> completions;
    for (int i = 0; i < 3; ++i) {
        files << testBytes(16 * kMiB + 1000 * i + 1, 40 + static_cast<quint32>(i));
        completions << resilientUpload(client, QString("f%1.bin").arg(i), files.last(), chaos);
        QVERIFY2(!completions.last()["fileId"].toString().isEmpty(), "upload did not complete");
    }
    if (dead >= 0)
        QVERIFY(m_nodes[static_cast<std::size_t>(dead)]->start());
    for (int i = 0; i < 3; ++i) {
        for (auto& n : m_nodes) {
            TestHttpClient direct(n->url());
            QVERIFY(direct.get("/files/" + completions[i]["fileId"].toString() + "/content").body ==
                    files[i]);
        }
    }
    QCOMPARE(m_moto.multipartUploads("cluster"), QStringList());
}

void TestCluster::filesAreTheSameOnEveryNode() {
    TestHttpClient one(m_nodes[0]->url());
    const QByteArray data = testBytes(1000, 50);
    const QJsonObject done = one.upload("small.bin", data);
    const QString fileId = done["fileId"].toString();
    QVERIFY(!fileId.isEmpty());
    for (auto& n : m_nodes) {
        TestHttpClient other(n->url());
        QCOMPARE(other.get("/files/" + fileId + "/content").body, data);
    }
    // A fresh node with an empty data directory serves it too, and keeps no key of its
    // own: the capability key is the database's.
    auto fresh = node("fresh", m_database);
    QVERIFY(fresh->start());
    QCOMPARE(TestHttpClient(fresh->url()).get("/files/" + fileId + "/content").body, data);
    QVERIFY(!QFile::exists(m_dir.filePath("fresh/capability.key")));
}

void TestCluster::aStoppingNodeDrainsBehindTheBalancer() {
    for (auto& n : m_nodes)
        QTRY_COMPARE_WITH_TIMEOUT(TestHttpClient(n->url()).get("/readyz").status, 200, 10000);
    QTest::qWait(1000); // the balancer's checks see every node up again
    TestHttpClient client(QUrl(QString("http://127.0.0.1:%1").arg(m_balancerPort)));
    // Six uploads, each with its first chunk half sent through the balancer: round robin
    // puts two of them in flight on every node, node 0 among them.
    constexpr int kUploads = 6;
    std::array<QByteArray, kUploads> files;
    std::array<QString, kUploads> ids;
    std::array<RawHttpConnection, kUploads> inFlight;
    qint64 chunk = 0;
    for (int i = 0; i < kUploads; ++i) {
        const auto at = static_cast<std::size_t>(i);
        files[at] = testBytes(12 * kMiB + 100 * i + 3, 70 + static_cast<quint32>(i));
        const QJsonObject session = client.init(QString("drain%1.bin").arg(i), files[at].size());
        ids[at] = session["sessionId"].toString();
        chunk = session["chunkSize"].toInteger();
        QVERIFY(!ids[at].isEmpty());
    }
    for (std::size_t i = 0; i < inFlight.size(); ++i) {
        QVERIFY(inFlight[i].beginChunk(m_balancerPort, ids[i], 0, chunk));
        QVERIFY(inFlight[i].sendBytes(files[i].left(chunk / 2)));
    }
    QTest::qWait(300); // the half bodies reach the nodes
    HoistdProcess& stopping = *m_nodes[0];
    TestHttpClient direct(stopping.url());
    QElapsedTimer sinceTerm;
    sinceTerm.start();
    stopping.sendSignal(SIGTERM);
    // Out of rotation at once, while its chunks are still in flight.
    QTRY_COMPARE_WITH_TIMEOUT(direct.get("/readyz").status, 503, 2000);
    QCOMPARE(direct.get("/readyz").json()["status"].toString(), QString("draining"));
    QVERIFY(stopping.isRunning());
    // Every chunk in flight is drained: its 200 comes, through the balancer.
    for (std::size_t i = 0; i < inFlight.size(); ++i)
        QVERIFY(inFlight[i].sendBytes(files[i].mid(chunk / 2, chunk - chunk / 2)));
    for (std::size_t i = 0; i < inFlight.size(); ++i)
        QCOMPARE(inFlight[i].readStatus(30000), 200);
    QVERIFY(stopping.waitForExit(25000));
    qInfo("SIGTERM to exit with every chunk drained: %lld ms", sinceTerm.elapsed());
    QCOMPARE(stopping.exitStatus(), QProcess::NormalExit);
    QCOMPARE(stopping.exitCode(), 0);
    // Node 0 had chunks of its own to drain (round robin gave it two).
    QVERIFY(stopping.stderrOutput().contains("draining"));
    QVERIFY(!stopping.stderrOutput().contains("draining 0 requests"));
    // The rest through the balancer, which no longer sends anything to node 0.
    for (std::size_t i = 0; i < files.size(); ++i) {
        QCOMPARE(client.get("/upload/" + ids[i]).json()["uploadedBytes"].toInteger(), chunk);
        for (qint64 offset = chunk; offset < files[i].size(); offset += chunk)
            QCOMPARE(client.putChunk(ids[i], offset, files[i].mid(offset, chunk)).status, 200);
        const TestReply done = client.complete(ids[i], files[i]);
        QCOMPARE(done.status, 200);
        QVERIFY(client.fileContent(done) == files[i]);
    }
    QVERIFY(stopping.start());
}

void TestCluster::everySessionResumesAfterAllNodesDied() {
    TestHttpClient client(m_nodes[0]->url());
    const QByteArray data = testBytes(16 * kMiB + 9, 55);
    const QJsonObject session = client.init("all-die.bin", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    QCOMPARE(client.putChunk(id, 0, data.left(chunk)).status, 200);
    for (auto& n : m_nodes)
        n->kill9();
    for (auto& n : m_nodes)
        QVERIFY(n->start());
    TestHttpClient after(m_nodes[2]->url());
    QCOMPARE(after.get("/upload/" + id).json()["uploadedBytes"].toInteger(), chunk);
    for (qint64 offset = chunk; offset < data.size(); offset += chunk)
        QCOMPARE(after.putChunk(id, offset, data.mid(offset, chunk)).status, 200);
    const TestReply done = after.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(TestHttpClient(m_nodes[1]->url()).fileContent(done) == data);
}

void TestCluster::aLostDatabaseIs503AndThePoolRecovers() {
    TestHttpClient client(m_nodes[1]->url());
    QCOMPARE(client.get("/readyz").status, 200);
    QVERIFY(m_postgres.stop());
    const TestReply lost = client.postJson("/upload/init", {{"fileName", "x.bin"}, {"size", 10}});
    QCOMPARE(lost.status, 503);
    QCOMPARE(lost.json()["error"].toString(), QString("unavailable"));
    QVERIFY(!lost.header("Retry-After").isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/readyz").status, 503, 5000);
    QCOMPARE(client.get("/healthz").json()["status"].toString(), QString("degraded"));
    QCOMPARE(metric(m_nodes[1]->url(), "hoistd_db_up"), 0);
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/readyz").status, 200, 10000);
    QCOMPARE(metric(m_nodes[1]->url(), "hoistd_db_up"), 1);
    QVERIFY(!client.upload("after.bin", testBytes(100, 51))["fileId"].toString().isEmpty());
}

void TestCluster::aSchemaNewerThanTheBinaryRefusesToStart() {
    const QString newer = m_postgres.createDatabase();
    QVERIFY(!newer.isEmpty());
    const QString name = newer.section('/', -1);
    QVERIFY(m_postgres.exec(name, "CREATE TABLE schema_version (version INTEGER NOT NULL); "
                                  "INSERT INTO schema_version VALUES (1000)"));
    auto old = node("old", newer);
    QVERIFY(!old->start(5000));
    QVERIFY(old->waitForExit());
    QCOMPARE(old->exitCode(), 2);
    QVERIFY(old->stderrOutput().contains("newer than this hoistd knows"));
}

void TestCluster::expiryAndCallbacksHappenOncePerAttempt() {
    // The first delivery fails, the retry succeeds: two attempts, made by whichever
    // nodes claim them, never the same attempt twice.
    StubAppServer app({{500, "{}"}, {200, R"({"fileId":"app-file"})"}});
    QVERIFY(app.listen());
    const QString database = m_postgres.createDatabase();
    QVERIFY(!database.isEmpty());
    const QStringList options{"--finalize-url", app.url(), "--finalize-secret", "cluster-secret",
                              "--session-ttl",  "6",       "--sweep-interval",  "1"};
    std::array<std::unique_ptr<HoistdProcess>, kNodes> nodes;
    for (int i = 0; i < kNodes; ++i) {
        nodes[static_cast<std::size_t>(i)] = node(QString("callback%1").arg(i), database, options);
        QVERIFY(nodes[static_cast<std::size_t>(i)]->start());
    }
    TestHttpClient first(nodes[0]->url());
    TestHttpClient second(nodes[1]->url());
    const QByteArray data = testBytes(1000, 60);
    const QString delivered = first.init("cb.bin", data.size())["sessionId"].toString();
    QCOMPARE(first.putChunk(delivered, 0, data).status, 200);
    QCOMPARE(second.complete(delivered, data).status, 202);
    const QString abandoned = first.init("left.bin", data.size())["sessionId"].toString();
    QVERIFY(!abandoned.isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(first.get("/upload/" + delivered).json()["state"].toString(),
                              QString("completed"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(first.get("/upload/" + abandoned).status, 404, 20000);
    QTest::qWait(3000); // time for a duplicate to show, if any node would make one
    QCOMPARE(app.received().size(), 2);
    for (const auto& delivery : app.received())
        QCOMPARE(delivery.headers["webhook-id"], delivered.toUtf8());
    int sweeps = 0;
    for (auto& n : nodes)
        sweeps += n->stderrOutput().count(("session " + abandoned + " expired").toUtf8());
    QCOMPARE(sweeps, 1);
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
